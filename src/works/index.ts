export * from './decompte.ts';
