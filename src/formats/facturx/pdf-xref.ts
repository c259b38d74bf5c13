import {
  decodePDFRawStream,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  PDFXRefStreamParser,
  type PDFObject,
} from '@cantoo/pdf-lib';

/**
 * A PDF read on demand through its cross-reference sections: only the objects asked for are parsed (the catalog,
 * the attachments, the page tree's root), instead of every object as PDFDocument.load does (fonts, pages,
 * images: most of the cost of reading a Factur-X). Only for PDFs whose structure is plain — one chain of classic
 * or stream cross-reference sections pointing at the objects they name, no encryption, a catalog with pages;
 * anything else gives null, and the caller loads the PDF whole, which judges every irregular file as before.
 */
export interface IndexedPdf {
  context: PDFContext;
  catalog: PDFDict;
}

/** Thrown inside when the file is not plain; never leaves this module. */
class NotPlain extends Error {}

type Entry = { offset: number; generation: number } | { stream: number; index: number };

const latin1 = (bytes: Uint8Array, from: number, to: number) => Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.max(0, Math.min(to, bytes.byteLength) - from)).toString('latin1');

export function indexPdf(bytes: Uint8Array): IndexedPdf | null {
  try {
    return open(bytes);
  } catch {
    return null;
  }
}

function open(bytes: Uint8Array): IndexedPdf {
  const context = PDFContext.create();
  const tail = latin1(bytes, Math.max(0, bytes.byteLength - 1024), bytes.byteLength);
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) throw new NotPlain();
  const entries = new Map<number, Entry>();
  let trailer: PDFDict | undefined;
  const seen = new Set<number>();
  for (let offset: number | undefined = Number(m[1]); offset !== undefined; ) {
    if (seen.has(offset) || seen.size > 32 || offset >= bytes.byteLength) throw new NotPlain();
    seen.add(offset);
    const dict: PDFDict = latin1(bytes, offset, offset + 4) === 'xref' ? readTable(bytes, offset, context, entries) : readStream(bytes, offset, context, entries);
    trailer ??= dict;
    // A hybrid file (XRefStm) or an encrypted one: left to the whole load.
    if (dict.has(PDFName.of('XRefStm')) || dict.has(PDFName.of('Encrypt'))) throw new NotPlain();
    const prev: PDFObject | undefined = dict.get(PDFName.of('Prev'));
    offset = prev instanceof PDFNumber ? prev.asNumber() : undefined;
    if (prev !== undefined && !(prev instanceof PDFNumber)) throw new NotPlain();
  }
  const objects = new LazyObjects(bytes, context, entries);
  (context as unknown as { indirectObjects: Map<PDFRef, PDFObject> }).indirectObjects = objects;
  const root = trailer!.get(PDFName.of('Root'));
  const catalog = root instanceof PDFRef ? context.lookup(root) : undefined;
  if (!(catalog instanceof PDFDict) || catalog.lookup(PDFName.of('Type')) !== PDFName.of('Catalog')) throw new NotPlain();
  const pages = catalog.lookup(PDFName.of('Pages'));
  const count = pages instanceof PDFDict ? pages.lookup(PDFName.of('Count')) : undefined;
  if (!(count instanceof PDFNumber) || count.asNumber() < 1) throw new NotPlain();
  return { context, catalog };
}

/** A classic section: `xref`, subsections of 20-byte entries, then `trailer << … >>`. The newest entry of an object wins. */
function readTable(bytes: Uint8Array, offset: number, context: PDFContext, entries: Map<number, Entry>): PDFDict {
  const end = indexOf(bytes, 'trailer', offset);
  if (end < 0) throw new NotPlain();
  const text = latin1(bytes, offset + 4, end).trimEnd();
  const re = /\s*(\d+)\s+(\d+)\s*/y;
  const entry = /(\d{10}) (\d{5}) ([nf])(?:\s{1,2}|$)/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const sub = re.exec(text);
    if (!sub) throw new NotPlain();
    i = re.lastIndex;
    const first = Number(sub[1]);
    const n = Number(sub[2]);
    for (let k = 0; k < n; k++) {
      entry.lastIndex = i;
      const e = entry.exec(text);
      if (!e) throw new NotPlain();
      i = entry.lastIndex;
      if (!entries.has(first + k) && e[3] === 'n') entries.set(first + k, { offset: Number(e[1]), generation: Number(e[2]) });
      else if (!entries.has(first + k)) entries.set(first + k, { offset: -1, generation: Number(e[2]) });
    }
  }
  const parser = PDFObjectParser.forBytes(bytes.subarray(end + 7), context);
  const dict = parser.parseObject();
  if (!(dict instanceof PDFDict)) throw new NotPlain();
  return dict;
}

/** A cross-reference stream (PDF 1.5): its dictionary is the trailer. */
function readStream(bytes: Uint8Array, offset: number, context: PDFContext, entries: Map<number, Entry>): PDFDict {
  const { object } = objectAt(bytes, offset, context);
  if (!(object instanceof PDFRawStream) || object.dict.lookup(PDFName.of('Type')) !== PDFName.of('XRef')) throw new NotPlain();
  for (const v of [object.dict.get(PDFName.of('Filter')), object.dict.get(PDFName.of('DecodeParms')), object.dict.get(PDFName.of('W')), object.dict.get(PDFName.of('Index'))])
    if (v instanceof PDFRef) throw new NotPlain();
  for (const e of PDFXRefStreamParser.forStream(object).parseIntoContext()) {
    const n = e.ref.objectNumber;
    if (entries.has(n)) continue;
    entries.set(n, e.deleted ? { offset: -1, generation: e.ref.generationNumber } : e.inObjectStream ? { stream: e.offset, index: e.ref.generationNumber } : { offset: e.offset, generation: e.ref.generationNumber });
  }
  return object.dict;
}

/** The indirect object written at `offset`: `N G obj … endobj`. */
function objectAt(bytes: Uint8Array, offset: number, context: PDFContext): { ref: PDFRef; object: PDFObject } {
  const head = /^(\d+)\s+(\d+)\s+obj\b/.exec(latin1(bytes, offset, offset + 32));
  if (!head) throw new NotPlain();
  const ref = PDFRef.of(Number(head[1]), Number(head[2]));
  const parser = PDFObjectParser.forBytes(bytes.subarray(offset + head[0].length), context);
  return { ref, object: parser.parseObject(ref) };
}

function indexOf(bytes: Uint8Array, word: string, from: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(word, from, 'latin1');
}

/** The context's objects, each parsed the first time it is looked up. */
class LazyObjects extends Map<PDFRef, PDFObject> {
  private readonly streams = new Map<number, { decoded: Uint8Array; first: number; offsets: number[] }>();
  constructor(
    private readonly bytes: Uint8Array,
    private readonly context: PDFContext,
    private readonly xref: Map<number, Entry>,
  ) {
    super();
  }

  override get(ref: PDFRef): PDFObject | undefined {
    if (super.has(ref)) return super.get(ref);
    const object = this.load(ref);
    super.set(ref, object);
    return object;
  }

  private load(ref: PDFRef): PDFObject {
    const e = this.xref.get(ref.objectNumber);
    if (!e) throw new NotPlain();
    if ('stream' in e) {
      if (ref.generationNumber !== 0) throw new NotPlain();
      return this.fromStream(e.stream, e.index, ref);
    }
    if (e.offset < 0 || e.generation !== ref.generationNumber) throw new NotPlain();
    const { ref: found, object } = objectAt(this.bytes, e.offset, this.context);
    if (found !== ref) throw new NotPlain();
    return object;
  }

  /** Object `index` of the object stream `stream` (its offsets table read once). */
  private fromStream(stream: number, index: number, ref: PDFRef): PDFObject {
    let s = this.streams.get(stream);
    if (!s) {
      const obj = this.get(PDFRef.of(stream, 0));
      if (!(obj instanceof PDFRawStream) || obj.dict.lookup(PDFName.of('Type')) !== PDFName.of('ObjStm')) throw new NotPlain();
      const n = obj.dict.lookup(PDFName.of('N'));
      const first = obj.dict.lookup(PDFName.of('First'));
      if (!(n instanceof PDFNumber) || !(first instanceof PDFNumber)) throw new NotPlain();
      const decoded = decodePDFRawStream(obj).decode();
      const pairs = latin1(decoded, 0, first.asNumber()).trim().split(/\s+/).map(Number);
      const offsets: number[] = [];
      for (let i = 0; i < n.asNumber(); i++) {
        if (pairs[2 * i + 1] === undefined || !Number.isInteger(pairs[2 * i + 1])) throw new NotPlain();
        offsets.push(pairs[2 * i + 1]);
        if (i === index && pairs[2 * i] !== ref.objectNumber) throw new NotPlain();
      }
      s = { decoded, first: first.asNumber(), offsets };
      this.streams.set(stream, s);
    }
    if (index >= s.offsets.length) throw new NotPlain();
    return PDFObjectParser.forBytes(s.decoded.subarray(s.first + s.offsets[index]), this.context).parseObject(ref);
  }
}
