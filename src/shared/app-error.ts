/**
 * The one error type of the platform. `code` is a stable machine code for API clients,
 * `userMessage` is French and shown to people, `fields` carries field-level French messages.
 */
export type ErrorKind =
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'GONE'
  | 'LOCKED'
  | 'TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly userMessage: string;
  readonly fields?: Record<string, string>;

  constructor(kind: ErrorKind, code: string, userMessage: string, fields?: Record<string, string>) {
    super(`${code}: ${userMessage}`);
    this.kind = kind;
    this.code = code;
    this.userMessage = userMessage;
    this.fields = fields;
  }
}

export const httpStatusOf: Record<ErrorKind, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  LOCKED: 423,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export const notFound = (what: string) =>
  new AppError('NOT_FOUND', 'NOT_FOUND', `${what} introuvable.`);
export const forbidden = (message = "Vous n'avez pas le droit d'effectuer cette action.") =>
  new AppError('FORBIDDEN', 'FORBIDDEN', message);
export const unauthenticated = () =>
  new AppError('UNAUTHENTICATED', 'UNAUTHENTICATED', 'Vous devez être connecté.');
