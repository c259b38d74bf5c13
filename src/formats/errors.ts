import { AppError, type ErrorKind } from '../shared/app-error.ts';

/**
 * Why a document could not be read or written. Codes are stable (API clients and tests match on them);
 * messages are French and can be shown as they are.
 */
export type FormatErrorCode =
  | 'INPUT_TOO_LARGE'
  | 'XML_MALFORMED'
  | 'XML_DOCTYPE_FORBIDDEN'
  | 'XML_TOO_DEEP'
  | 'XML_TOO_MANY_ELEMENTS'
  | 'XML_ENCODING_UNSUPPORTED'
  | 'NOT_AN_INVOICE'
  | 'INVOICE_INCOMPLETE'
  | 'PDF_MALFORMED'
  | 'PDF_ENCRYPTED'
  | 'PDF_NO_INVOICE'
  | 'PDF_SEVERAL_INVOICES'
  | 'UNSUPPORTED_TARGET';

const KIND: Partial<Record<FormatErrorCode, ErrorKind>> = { INPUT_TOO_LARGE: 'TOO_LARGE' };

export class FormatError extends AppError {
  declare readonly code: FormatErrorCode;
  constructor(code: FormatErrorCode, message: string) {
    super(KIND[code] ?? 'VALIDATION', code, message);
    this.name = 'FormatError';
  }
}
