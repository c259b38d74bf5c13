import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { BASE64_PIECE, BASE64_TEXT, DecodedFile } from '../shared/decoded-file.ts';

/** A string value at least this long is cut out of the text before parsing, when it is plain ASCII (a file in base64). */
export const LONG_STRING_BYTES = 64 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
/** Printable ASCII but the quote and the backslash: such a JSON string's value is its bytes read as Latin-1. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** A file field's base64 is decoded by slices of this many characters (a multiple of 4): no string of the whole. */
const SLICE = 64 * 1024;

/**
 * A JSON body whose long plain-ASCII string values (files in base64: up to 200 Mo in one `deposer/flux`) are read
 * apart: each is taken from the bytes as a Latin-1 string, a short marker takes its place in the text that is parsed,
 * and the parsed value gets the long strings back. The same value as JSON.parse of the UTF-8 text (keys, escapes and
 * every other string go through the parser), without decoding the whole body as UTF-8 then copying each long string
 * character by character; and Node's base64 decoder runs twice as fast on such a flat Latin-1 string.
 * The value of a key of `fileFields` that is base64 without blanks becomes the decoded bytes (DecodedFile), decoded
 * slice by slice: a string of the whole file (150 Mo) would cost more than the decoding itself, mostly in fresh
 * memory (docs/benchmarks.md).
 * Null when there is nothing long to cut (the body is then parsed as it is).
 */
export function cutLongStrings(body: Buffer, fileFields: ReadonlySet<string> = NO_FIELDS): { text: string; restore: (value: unknown) => unknown } | null {
  if (body.length < LONG_STRING_BYTES) return null;
  const marker = `\u0000${randomBytes(9).toString('base64')}:`;
  const pieces: Array<Buffer | string> = [];
  const long: Array<string | DecodedFile> = [];
  let copied = 0;
  let previous = { start: -1, end: -1 };
  for (let pos = 0; ; ) {
    // Outside strings, valid JSON has no quote: each quote found from here opens a string (or the text is invalid,
    // and stays so: only a string whose value is exactly its bytes is ever replaced, by another string).
    const start = body.indexOf(QUOTE, pos);
    if (start < 0) break;
    let end = body.indexOf(QUOTE, start + 1);
    while (end > 0 && escaped(body, end)) end = body.indexOf(QUOTE, end + 1);
    if (end < 0) break;
    pos = end + 1;
    const key = previous;
    previous = { start, end };
    if (end - start - 1 < LONG_STRING_BYTES || nextIsColon(body, pos)) continue;
    const file = fileFields.size && isKeyOf(body, key, start, fileFields) ? decodeBase64(body, start + 1, end) : null;
    const value = file ?? body.toString('latin1', start + 1, end);
    if (!file && !PLAIN.test(value as string)) continue;
    pieces.push(body.subarray(copied, start), JSON.stringify(marker + long.length));
    long.push(value);
    copied = end + 1;
  }
  if (!long.length) return null;
  pieces.push(body.subarray(copied));
  const text = pieces.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join('');
  const restore = (v: unknown): unknown => {
    if (typeof v === 'string') return v.startsWith(marker) ? (long[Number(v.slice(marker.length))] ?? v) : v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = restore(v[i]);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) o[k] = restore(o[k]);
    }
    return v;
  };
  return { text, restore };
}

const NO_FIELDS: ReadonlySet<string> = new Set();

/** The string before the value (`key`, quotes included) is its key, one of `names`: only a colon and blanks lie between. */
function isKeyOf(body: Buffer, key: { start: number; end: number }, valueStart: number, names: ReadonlySet<string>): boolean {
  if (key.start < 0 || key.end - key.start > 100) return false;
  let at = key.end + 1;
  while (isBlank(body[at])) at++;
  if (body[at] !== COLON) return false;
  at++;
  while (isBlank(body[at])) at++;
  return at === valueStart && names.has(body.toString('latin1', key.start + 1, key.end));
}

/** The bytes of base64 text body[from, to) without blanks, decoded slice by slice; null when it is not such a text. */
function decodeBase64(body: Buffer, from: number, to: number): DecodedFile | null {
  const out = Buffer.allocUnsafe(Math.ceil(((to - from) * 3) / 4));
  let written = 0;
  for (let at = from; at < to; at += SLICE) {
    const end = Math.min(to, at + SLICE);
    const slice = body.toString('latin1', at, end);
    if (!(end === to ? BASE64_TEXT : BASE64_PIECE).test(slice)) return null;
    written += out.write(slice, written, 'base64');
  }
  return new DecodedFile(out.subarray(0, written));
}

/** The quote at `at` is escaped when an odd number of backslashes precede it. */
function escaped(body: Buffer, at: number): boolean {
  let n = 0;
  while (body[at - 1 - n] === BACKSLASH) n++;
  return n % 2 === 1;
}

/** A key, not a value: the string is followed by a colon (JSON whitespace allowed). */
function nextIsColon(body: Buffer, at: number): boolean {
  while (isBlank(body[at])) at++;
  return body[at] === COLON;
}
const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Replaces the JSON parser of an encapsulated Fastify context (e.g. the Chorus-Pro-compatible API) by one that reads
 * files in base64 apart (cutLongStrings; those of `fileFields` decoded); small bodies go to Fastify's parser as
 * before, with the same errors.
 */
export function parseJsonWithFiles(app: FastifyInstance, fileFields: ReadonlySet<string> = NO_FIELDS) {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const bytes = body as Buffer;
    const cut = cutLongStrings(bytes, fileFields);
    if (!cut) return parse(req, bytes.toString('utf8'), done);
    parse(req, cut.text, (err, value) => (err ? done(err, undefined) : done(null, cut.restore(value))));
  });
}
