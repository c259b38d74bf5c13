export { recordEvent, listEvents } from './repository.ts';
