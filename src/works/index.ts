export * from './decompte.ts';
export * from './deadlines.ts';
