import { AppError, type ErrorKind } from '../../shared/app-error.ts';

/** Stable codes of the ESPD library's errors (the French message goes with each). */
export type EspdErrorCode =
  | 'ESPD_TOO_LARGE'
  | 'ESPD_TOO_DEEP'
  | 'ESPD_XML_MALFORMED'
  | 'ESPD_XML_DOCTYPE_FORBIDDEN'
  | 'ESPD_XML_ENTITY_FORBIDDEN'
  | 'ESPD_NOT_ESPD'
  | 'ESPD_VERSION_UNKNOWN'
  | 'ESPD_VERSION_UNSUPPORTED'
  | 'ESPD_CONTENT_INVALID'
  | 'ESPD_EXPORT_UNSUPPORTED';

export class EspdError extends AppError {
  declare readonly code: EspdErrorCode;
  constructor(code: EspdErrorCode, message: string, kind: ErrorKind = 'VALIDATION') {
    super(kind, code, message);
  }
}
