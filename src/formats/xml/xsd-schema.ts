/**
 * XSD validation with libxml2 compiled to WebAssembly (libxml2-wasm): a schema set is compiled once into a
 * `CompiledSchema` that stays in the process and validates any number of documents.
 *
 * Safety: libxml2 reads nothing by itself. One input provider, registered for the whole process, answers
 * every URL libxml2 asks for (xs:include / xs:import while a schema compiles), and serves only the schema
 * files handed to `CompiledSchema.compile`, in memory, under a URL of its own (`ouvrage-xsd:/<n>/<file>`) and only
 * while that schema compiles: never a path from disk, never the network. Documents are parsed without
 * entity substitution, DTD loading or external entities (NO_XXE, NONET).
 *
 * libxml2-wasm objects live in WebAssembly memory, which the garbage collector does not see: every parsed
 * document is freed after its check, and a compiled schema kept until `dispose()`.
 *
 * Speed (the XSD runs on every deposit): a document is checked with the library's own C functions
 * (libxml2-wasm/lib/libxml2.mjs, the version pinned in package.json), as its XmlDocument.fromBuffer and
 * XsdValidator.validate do, without their JavaScript wrappers, and with one parser context reused from
 * document to document while they parse cleanly (see `parserContext`). A document whose whitespace between
 * elements cannot change its verdict is first checked without that whitespace (see `blanksIgnorable`).
 */

export interface SchemaFile {
  /** Path relative to the schema set's root, with "/" (as the set's xs:include / xs:import name them). */
  fileName: string;
  contents: Uint8Array | string;
}

export interface XsdCheck {
  valid: boolean;
  /** libxml2 messages, as xmllint prints them without the file name: "12: Schemas validity error : Element …". */
  errors: string[];
}

type Libxml2 = typeof import('libxml2-wasm');
type Raw = typeof import('libxml2-wasm/lib/libxml2.mjs');

const SCHEME = 'ouvrage-xsd:/';

/** The files served to libxml2 right now: only those of schemas being compiled. */
const served = new Map<string, Uint8Array>();
const open = new Map<number, { data: Uint8Array; at: number }>();
let nextFd = 1;
let nextSet = 1;
let loading: Promise<{ lib: Libxml2; raw: Raw }> | undefined;

/**
 * libxml2's diagnostics of the check under way (its error handler's data is 0): only what the messages need
 * (libxml2-wasm's own collector also asks libxml2 for each one's node path), or only their number while a
 * document is checked without its blanks (see `validWithoutBlanks`).
 */
let diagnostics: ErrorDetail[] | null = null;
let diagnosticCount = 0;
let collector = 0;

/** Loaded on first use: a process that validates nothing does not pay for the WebAssembly module. */
function libxml2(): Promise<{ lib: Libxml2; raw: Raw }> {
  loading ??= Promise.all([import('libxml2-wasm'), import('libxml2-wasm/lib/libxml2.mjs')]).then(([lib, raw]) => {
    const registered = lib.xmlRegisterInputProvider({
      // Every URL is ours to answer (libxml2 asks the last registered provider first): an unknown one fails
      // to open instead of falling through to libxml2's own loaders.
      match: () => true,
      open: (url) => {
        const data = served.get(url);
        if (!data) return undefined;
        const fd = nextFd++;
        open.set(fd, { data, at: 0 });
        return fd;
      },
      read: (fd, buf) => {
        const f = open.get(fd);
        if (!f) return -1;
        const n = Math.min(buf.byteLength, f.data.byteLength - f.at);
        buf.set(f.data.subarray(f.at, f.at + n));
        f.at += n;
        return n;
      },
      close: (fd) => open.delete(fd),
    });
    if (!registered) throw new Error('libxml2: input provider not registered');
    const addFunction = (raw as unknown as { addFunction(f: (data: number, error: number) => void, signature: string): number }).addFunction;
    const e = raw.XmlErrorStruct;
    collector = addFunction((_data, error) => {
      diagnosticCount++;
      diagnostics?.push({ message: e.message(error), level: e.level(error), line: e.line(error), col: e.col(error) });
    }, 'vii');
    return { lib, raw };
  });
  return loading;
}

/**
 * The parser context of the process, reused while documents parse without a diagnostic: a new context costs
 * more than a small document's parse (its dictionary of names is built anew). Renewed after any diagnostic,
 * so that a document after a faulty one starts from a fresh context as before, and once it has read
 * PARSER_BUDGET bytes: the dictionary it keeps only grows with what it read, and libxml2 caps it (10 MB).
 */
const PARSER_BUDGET = 1024 * 1024;
let parser: { ptr: number; read: number; generation: number } | null = null;
let contexts = 0;

function parserContext(raw: Raw, size: number): number {
  if (parser && parser.read > 0 && parser.read + size > PARSER_BUDGET) dropParserContext(raw);
  parser ??= { ptr: raw.xmlNewParserCtxt(), read: 0, generation: ++contexts };
  if (!parser.ptr) {
    parser = null;
    throw new Error('libxml2: no parser context (out of memory)');
  }
  parser.read += size;
  return parser.ptr;
}

function dropParserContext(raw: Raw): void {
  const ptr = parser?.ptr;
  parser = null;
  if (ptr) raw.xmlFreeParserCtxt(ptr);
}

/** No entity substitution (NOENT), no DTD loading (DTDLOAD), no external entity, no network; line numbers past 65535. */
function parseOptions(lib: Libxml2): number {
  const o = lib.ParseOption;
  return o.XML_PARSE_NONET | o.XML_PARSE_NO_XXE | o.XML_PARSE_BIG_LINES;
}

/**
 * Whether libxml2 may leave out this document's whitespace-only text (XML_PARSE_NOBLANKS) without changing
 * whether it is valid. libxml2 drops a whitespace run of an element when the element has, or is about to have,
 * a child other than text. Where that child is an element, the run cannot matter: an element-only content
 * ignores it, a simple, empty or nilled one is invalid anyway with an element child, a mixed one does not
 * check its text. Where it is a comment, a CDATA section or a processing instruction, or where the run ends at a
 * carriage return (libxml2 hands the text before a CR on its own), the run may be part of a value. So: no CDATA,
 * DOCTYPE, processing instruction (the XML declaration aside), no whitespace right before a carriage return
 * (CR LF line ends after a tag or a text are fine), and a comment only beside an element of its parent (see
 * `commentBesideElement`). Messages may still differ: only a valid verdict is taken from such a check.
 */
function blanksIgnorable(bytes: Uint8Array): boolean {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = b.indexOf(0x0d); i !== -1; i = b.indexOf(0x0d, i + 1)) if (i === 0 || isBlank(b[i - 1]) || b[i - 1] === 0x0d) return false;
  for (let i = markup(b, 0x21, 0); i !== -1; i = markup(b, 0x21, i)) {
    const end = b[i + 1] === 0x2d && b[i + 2] === 0x2d ? b.indexOf('-->', i + 3) : -1;
    if (end === -1 || !commentBesideElement(b, i - 1, end + 3)) return false;
    i = end + 3;
  }
  const declaration = markup(b, 0x3f, 0); // only at the start, after a byte order mark at most
  return declaration === -1 || (declaration <= 4 && markup(b, 0x3f, declaration + 1) === -1);
}

/** Where `<` followed by `c` (`!`, `?`) first occurs from `from`: the index of `c`, or -1. Byte searches, not a string search (several times slower). */
function markup(b: Buffer, c: number, from: number): number {
  for (let i = b.indexOf(c, from); i !== -1; i = b.indexOf(c, i + 1)) if (b[i - 1] === 0x3c) return i;
  return -1;
}

const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a;
const isNameStart = (c: number | undefined) => c !== undefined && (((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f || c === 0x3a || c >= 0x80);

/**
 * Whether the comment from `start` (its `<`) to `end` (past its `-->`) lies before the root element, or has,
 * whitespace and other comments aside, an element's start tag right after it or an element's end tag or empty
 * tag right before it: an element of its own parent.
 */
function commentBesideElement(b: Buffer, start: number, end: number): boolean {
  let root = b.indexOf(0x3c);
  while (root !== -1 && !isNameStart(b[root + 1])) root = b.indexOf(0x3c, root + 1);
  if (root === -1 || start < root) return true;
  let j = end;
  for (;;) {
    while (isBlank(b[j])) j++;
    if (b[j] !== 0x3c || b[j + 1] !== 0x21 || b[j + 2] !== 0x2d || b[j + 3] !== 0x2d) break;
    const next = b.indexOf('-->', j + 4);
    if (next === -1) return false;
    j = next + 3;
  }
  if (b[j] === 0x3c && isNameStart(b[j + 1])) return true;
  let k = start - 1;
  for (;;) {
    while (isBlank(b[k])) k--;
    // A comment's end only if it ends the comment that starts last before it (a `-->` may end a tag or a text).
    const previous = b[k] === 0x3e && b[k - 1] === 0x2d && b[k - 2] === 0x2d ? b.lastIndexOf('<!--', k) : -1;
    if (previous === -1 || b.indexOf('-->', previous + 4) !== k - 2) break;
    k = previous - 1;
  }
  if (k < 0 || b[k] !== 0x3e) return false;
  const tag = b.lastIndexOf(0x3c, k);
  // A tag holds no other `>` (a `>` in an attribute's value only makes this answer no): `</x>` or `<x .../>`.
  return tag !== -1 && b.indexOf(0x3e, tag) === k && (b[tag + 1] === 0x2f || (b[k - 1] === 0x2f && isNameStart(b[tag + 1])));
}

type ErrorDetail = import('libxml2-wasm').ErrorDetail;

/**
 * A document libxml2 parsed without a single diagnostic, to be read in WebAssembly memory (`memory`, the module's
 * heap as it is after the parse: it is replaced when the heap grows) before it is checked (CompiledSchema.checkDocument).
 */
export interface ParsedDocument {
  readonly ptr: number;
  readonly memory: ArrayBuffer;
  /**
   * The parser context's number (one per context the process made): documents of the same number have their names
   * in the same libxml2 dictionary, the same name at the same pointer, for as long as that context is in use.
   */
  readonly dictionary: number;
}

/**
 * Parses a document for `use`, then frees it whatever `use` does: null for `use` when libxml2 reports anything
 * (warnings included) or gives no document. The same parse as `check`'s without blanks left out (XML_PARSE_COMPACT
 * only: the tree keeps every text), with the process's parser context.
 */
export async function withParsedDocument<T>(xml: string | Uint8Array, use: (doc: ParsedDocument | null) => Promise<T>): Promise<T> {
  const { lib, raw } = await libxml2();
  const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  diagnosticCount = 0;
  let ptr = 0;
  let dictionary = 0;
  try {
    const ctxt = parserContext(raw, bytes.byteLength);
    dictionary = parser!.generation;
    raw.xmlCtxtSetErrorHandler(ctxt, collector, 0);
    ptr = raw.xmlReadMemory(ctxt, bytes, null, 'utf-8', parseOptions(lib) | lib.ParseOption.XML_PARSE_COMPACT);
  } catch {
    dropParserContext(raw);
    ptr = 0;
  }
  if (diagnosticCount || !ptr) {
    dropParserContext(raw);
    if (ptr) raw.xmlFreeDoc(ptr);
    return use(null);
  }
  try {
    return await use({ ptr, memory: heapOf(raw, ptr), dictionary });
  } finally {
    raw.xmlFreeDoc(ptr);
  }
}

/**
 * The WebAssembly heap: libxml2-wasm keeps its module to itself, but a node set's table is a view of the heap
 * (an empty one here: the "table" read at `ptr` + 8, a document's name, is not used).
 */
function heapOf(raw: Raw, ptr: number): ArrayBuffer {
  return raw.XmlNodeSetStruct.nodeTable(ptr, 0).buffer as ArrayBuffer;
}

function lines(err: unknown, what: 'parser' | 'Schemas validity'): string[] {
  const details = (err as { details?: ErrorDetail[] }).details;
  if (!details?.length) return [err instanceof Error ? err.message : String(err)];
  return format(details, what);
}

function format(details: readonly ErrorDetail[], what: 'parser' | 'Schemas validity'): string[] {
  return details.map((d) => `${d.line}: ${what} ${d.level === 1 ? 'warning' : 'error'} : ${d.message.trimEnd()}`);
}

/** libxml2's xmlErrorLevel from which a diagnostic is a failure (1 is a warning). */
const XML_ERR_ERROR = 2;

export class CompiledSchema {
  /** The compiled xmlSchema in WebAssembly memory (the validator's pointer, internal to libxml2-wasm); 0 once disposed. */
  private schemaPtr: number;

  private constructor(
    private readonly lib: Libxml2,
    private readonly raw: Raw,
    private readonly schemaDoc: import('libxml2-wasm').XmlDocument,
    private readonly validator: import('libxml2-wasm').XsdValidator,
  ) {
    this.schemaPtr = (validator as unknown as { _ptr: number })._ptr;
    if (!this.schemaPtr) throw new Error('libxml2-wasm: compiled schema without a pointer');
  }

  static async compile(files: readonly SchemaFile[], main: string): Promise<CompiledSchema> {
    const { lib, raw } = await libxml2();
    const prefix = `${SCHEME}${nextSet++}/`;
    const urls = files.map((f) => {
      const url = prefix + f.fileName;
      served.set(url, typeof f.contents === 'string' ? Buffer.from(f.contents, 'utf8') : f.contents);
      return url;
    });
    try {
      const mainData = served.get(prefix + main);
      if (!mainData) throw new Error(`schema ${main} missing from the set`);
      const schemaDoc = lib.XmlDocument.fromBuffer(mainData, { url: prefix + main, option: parseOptions(lib) });
      try {
        // The compiled schema may point into its main document: both live and die together.
        return new CompiledSchema(lib, raw, schemaDoc, lib.XsdValidator.fromDoc(schemaDoc));
      } catch (err) {
        schemaDoc.dispose();
        throw new Error(`schema ${main} does not compile: ${lines(err, 'Schemas validity').join(' | ')}`);
      }
    } finally {
      for (const url of urls) served.delete(url);
    }
  }

  /**
   * Validates one document: its text (already decoded), or its bytes when they are UTF-8 (read as UTF-8
   * whatever the XML declaration says, as the text is). A document libxml2 cannot parse is invalid with its
   * parser errors. The same steps as libxml2-wasm's XmlDocument.fromBuffer then XsdValidator.validate.
   */
  check(xml: string | Uint8Array): XsdCheck {
    // From a Buffer, not a string: Node's encoder is several times faster than the library's own string copy.
    const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
    if (blanksIgnorable(bytes) && this.validWithoutBlanks(bytes)) return { valid: true, errors: [] };
    const parsed = this.parse(bytes);
    if (!parsed.ok) return { valid: false, errors: parsed.errors };
    try {
      return this.validate(parsed.doc);
    } finally {
      this.raw.xmlFreeDoc(parsed.doc);
    }
  }

  /**
   * True when the document, parsed without its ignorable whitespace (see `blanksIgnorable`) and its small texts
   * kept in their nodes (XML_PARSE_COMPACT), parses without any diagnostic and is valid. False otherwise: the
   * document is then checked again as it is, for its messages (its diagnostics here are only counted).
   */
  private validWithoutBlanks(bytes: Uint8Array): boolean {
    const { raw } = this;
    const o = this.lib.ParseOption;
    diagnosticCount = 0;
    let doc = 0;
    try {
      const ctxt = parserContext(raw, bytes.byteLength);
      raw.xmlCtxtSetErrorHandler(ctxt, collector, 0);
      doc = raw.xmlReadMemory(ctxt, bytes, null, 'utf-8', parseOptions(this.lib) | o.XML_PARSE_NOBLANKS | o.XML_PARSE_COMPACT);
    } catch {
      dropParserContext(raw);
      return false;
    }
    if (diagnosticCount || !doc) {
      dropParserContext(raw);
      if (doc) raw.xmlFreeDoc(doc);
      return false;
    }
    try {
      const vctxt = raw.xmlSchemaNewValidCtxt(this.schemaPtr);
      raw.xmlSchemaSetValidStructuredErrors(vctxt, collector, 0);
      const ret = raw.xmlSchemaValidateDoc(vctxt, doc);
      raw.xmlSchemaFreeValidCtxt(vctxt);
      return ret === 0;
    } finally {
      raw.xmlFreeDoc(doc);
    }
  }

  /** libxml2-wasm's parse (XmlDocument.fromBuffer): a failure is an error diagnostic or no document; warnings are dropped. */
  private parse(bytes: Uint8Array): { ok: true; doc: number } | { ok: false; errors: string[] } {
    const { raw } = this;
    const details: ErrorDetail[] = (diagnostics = []);
    let doc: number;
    try {
      const ctxt = parserContext(raw, bytes.byteLength);
      raw.xmlCtxtSetErrorHandler(ctxt, collector, 0);
      // Texts shorter than a pointer pair kept in their node (COMPACT): the same text, one allocation less each.
      doc = raw.xmlReadMemory(ctxt, bytes, null, 'utf-8', parseOptions(this.lib) | this.lib.ParseOption.XML_PARSE_COMPACT);
    } catch (err) {
      dropParserContext(raw);
      return { ok: false, errors: lines(err, 'parser') };
    } finally {
      diagnostics = null;
    }
    if (details.length || !doc) dropParserContext(raw);
    if (doc && !details.some((d) => d.level >= XML_ERR_ERROR)) return { ok: true, doc };
    if (doc) raw.xmlFreeDoc(doc);
    return { ok: false, errors: details.length ? format(details, 'parser') : ['Failed to parse XML'] };
  }

  /** Validates a document parsed by withParsedDocument (its messages as `check` gives them for the same document). */
  checkDocument(doc: ParsedDocument): XsdCheck {
    return this.validate(doc.ptr);
  }

  /** libxml2-wasm's XsdValidator.validate: a validation context for the document, its errors when it is invalid. */
  private validate(doc: number): XsdCheck {
    const { raw } = this;
    const details: ErrorDetail[] = (diagnostics = []);
    try {
      const vctxt = raw.xmlSchemaNewValidCtxt(this.schemaPtr);
      raw.xmlSchemaSetValidStructuredErrors(vctxt, collector, 0);
      const ret = raw.xmlSchemaValidateDoc(vctxt, doc);
      raw.xmlSchemaFreeValidCtxt(vctxt);
      if (ret < 0) return { valid: false, errors: ['Invalid input or internal error'] };
      if (ret > 0) return { valid: false, errors: details.length ? format(details, 'Schemas validity') : [''] };
      return { valid: true, errors: [] };
    } catch (err) {
      return { valid: false, errors: lines(err, 'Schemas validity') };
    } finally {
      diagnostics = null;
    }
  }

  dispose(): void {
    this.schemaPtr = 0;
    this.validator.dispose();
    this.schemaDoc.dispose();
  }
}
