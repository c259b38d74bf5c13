/**
 * A file that a request carried in base64, already decoded by the HTTP adapter that read the body
 * (http/json-with-files.ts): the body's value where the operation expects the base64 text. Whoever reads a file
 * field takes either (cpro/input.ts base64File).
 */
export class DecodedFile {
  constructor(readonly bytes: Buffer) {}
}
