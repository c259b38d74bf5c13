/**
 * A file that a request carried in base64, already decoded by the HTTP adapter that read the body
 * (http/json-with-files.ts): the body's value where the operation expects the base64 text. Whoever reads a file
 * field takes either (cpro/input.ts base64File).
 */
export class DecodedFile {
  constructor(readonly bytes: Buffer) {}
}

/** Base64 as a request may carry a file: either alphabet (`+/` or `-_`), at most two `=` at the end, no blanks. */
export const BASE64_TEXT = /^[A-Za-z0-9+/_-]*={0,2}$/;
/** The same without the final padding: a piece of such a text before its end. */
export const BASE64_PIECE = /^[A-Za-z0-9+/_-]*$/;
