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
 * document is disposed after its check, and a compiled schema until `dispose()`.
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

const SCHEME = 'ouvrage-xsd:/';

/** The files served to libxml2 right now: only those of schemas being compiled. */
const served = new Map<string, Uint8Array>();
const open = new Map<number, { data: Uint8Array; at: number }>();
let nextFd = 1;
let nextSet = 1;
let loading: Promise<Libxml2> | undefined;

/** Loaded on first use: a process that validates nothing does not pay for the WebAssembly module. */
function libxml2(): Promise<Libxml2> {
  loading ??= import('libxml2-wasm').then((lib) => {
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
    return lib;
  });
  return loading;
}

/** No entity substitution (NOENT), no DTD loading (DTDLOAD), no external entity, no network; line numbers past 65535. */
function parseOptions(lib: Libxml2): number {
  const o = lib.ParseOption;
  return o.XML_PARSE_NONET | o.XML_PARSE_NO_XXE | o.XML_PARSE_BIG_LINES;
}

function lines(err: unknown, what: 'parser' | 'Schemas validity'): string[] {
  const details = (err as { details?: { message: string; line: number; level: number }[] }).details;
  if (!details?.length) return [err instanceof Error ? err.message : String(err)];
  return details.map((d) => `${d.line}: ${what} ${d.level === 1 ? 'warning' : 'error'} : ${d.message.trimEnd()}`);
}

export class CompiledSchema {
  private constructor(
    private readonly lib: Libxml2,
    private readonly schemaDoc: import('libxml2-wasm').XmlDocument,
    private readonly validator: import('libxml2-wasm').XsdValidator,
  ) {}

  static async compile(files: readonly SchemaFile[], main: string): Promise<CompiledSchema> {
    const lib = await libxml2();
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
        return new CompiledSchema(lib, schemaDoc, lib.XsdValidator.fromDoc(schemaDoc));
      } catch (err) {
        schemaDoc.dispose();
        throw new Error(`schema ${main} does not compile: ${lines(err, 'Schemas validity').join(' | ')}`);
      }
    } finally {
      for (const url of urls) served.delete(url);
    }
  }

  /** Validates one XML text (already decoded); a document libxml2 cannot parse is invalid with its parser errors. */
  check(xml: string): XsdCheck {
    let doc: import('libxml2-wasm').XmlDocument;
    try {
      // Already decoded to a string: read as UTF-8 whatever the XML declaration says. From a Buffer, not
      // fromString: Node's encoder is several times faster than the library's own string copy.
      doc = this.lib.XmlDocument.fromBuffer(Buffer.from(xml, 'utf8'), { encoding: 'utf-8', option: parseOptions(this.lib) });
    } catch (err) {
      return { valid: false, errors: lines(err, 'parser') };
    }
    try {
      this.validator.validate(doc);
      return { valid: true, errors: [] };
    } catch (err) {
      return { valid: false, errors: lines(err, 'Schemas validity') };
    } finally {
      doc.dispose();
    }
  }

  dispose(): void {
    this.validator.dispose();
    this.schemaDoc.dispose();
  }
}
