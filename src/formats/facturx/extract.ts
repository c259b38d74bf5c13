import { inflateSync } from 'node:zlib';
import {
  decodePDFRawStream,
  EncryptedPDFError,
  PDFArray,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  type PDFObject,
} from '@cantoo/pdf-lib';
import { FormatError } from '../errors.ts';
import { indexPdf } from './pdf-xref.ts';

/** File names under which Factur-X / ZUGFeRD 2.x / XRechnung-in-PDF invoices are embedded. */
export const INVOICE_ATTACHMENT_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'];

export interface PdfLimits {
  /** Largest PDF accepted. */
  maxPdfBytes: number;
  /** Largest decoded attachment (guards against compression bombs). */
  maxAttachmentBytes: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = { maxPdfBytes: 50 * 1024 * 1024, maxAttachmentBytes: 20 * 1024 * 1024 };

export interface EmbeddedInvoice {
  /** Attachment name as written in the PDF (factur-x.xml, zugferd-invoice.xml…). */
  filename: string;
  xml: Uint8Array;
  /** /AFRelationship of the file specification (Alternative, Data, Source…), when present. */
  relationship?: string;
}

const MB = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} Mo`;

/** The checks on the bytes alone: size, header, end marker. */
function checkPdfBytes(bytes: Uint8Array, limits: PdfLimits): void {
  if (bytes.byteLength > limits.maxPdfBytes) {
    throw new FormatError('INPUT_TOO_LARGE', `PDF trop volumineux (${MB(bytes.byteLength)}) : la taille maximale est de ${MB(limits.maxPdfBytes)}.`);
  }
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw new FormatError('PDF_MALFORMED', "Ce fichier n'est pas un PDF (en-tête %PDF absent).");
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.byteLength - 2048))).toString('latin1');
  if (!tail.includes('%%EOF')) throw new FormatError('PDF_MALFORMED', 'PDF incomplet ou tronqué (marqueur de fin %%EOF absent).');
}

/** Loads an untrusted PDF: size limit, encryption refused, unreadable files refused with a French message. */
export async function loadPdf(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS): Promise<PDFDocument> {
  checkPdfBytes(bytes, limits);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  } catch (err) {
    if (err instanceof EncryptedPDFError || (err instanceof Error && /encrypt/i.test(err.message))) {
      throw new FormatError('PDF_ENCRYPTED', 'PDF chiffré ou protégé par mot de passe : une facture Factur-X (PDF/A-3) ne doit pas être chiffrée.');
    }
    throw new FormatError('PDF_MALFORMED', `PDF illisible : ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!doc.catalog || doc.getPageCount() === 0) throw new FormatError('PDF_MALFORMED', 'PDF illisible : aucune page trouvée.');
  return doc;
}

/** Every file specification of the PDF: the EmbeddedFiles name tree and the catalog's /AF array. */
function fileSpecs({ context: ctx, catalog }: { context: PDFContext; catalog: PDFDict }): PDFDict[] {
  const seen = new Set<PDFObject>();
  const specs: PDFDict[] = [];
  const add = (o: PDFObject | undefined) => {
    const d = o instanceof PDFRef ? ctx.lookup(o) : o;
    if (d instanceof PDFDict && !seen.has(d)) {
      seen.add(d);
      specs.push(d);
    }
  };
  const walk = (node: PDFObject | undefined, depth: number) => {
    const dict = node instanceof PDFRef ? ctx.lookup(node) : node;
    if (!(dict instanceof PDFDict) || depth > 32 || seen.has(dict)) return;
    seen.add(dict);
    const names = dict.lookup(PDFName.of('Names'));
    if (names instanceof PDFArray) for (let i = 1; i < names.size(); i += 2) add(names.get(i));
    const kids = dict.lookup(PDFName.of('Kids'));
    if (kids instanceof PDFArray) for (let i = 0; i < kids.size(); i++) walk(kids.get(i), depth + 1);
  };
  const namesDict = catalog.lookup(PDFName.of('Names'));
  if (namesDict instanceof PDFDict) walk(namesDict.get(PDFName.of('EmbeddedFiles')), 0);
  const af = catalog.lookup(PDFName.of('AF'));
  if (af instanceof PDFArray) for (let i = 0; i < af.size(); i++) add(af.get(i));
  return specs;
}

function text(o: PDFObject | undefined): string | undefined {
  if (o instanceof PDFString || o instanceof PDFHexString) return o.decodeText();
  if (o instanceof PDFName) return o.decodeText();
  return undefined;
}

function streamBytes(stream: PDFStream, limits: PdfLimits): Uint8Array {
  if (!(stream instanceof PDFRawStream)) return stream.getContents();
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const only = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter;
  const tooBig = () => new FormatError('INPUT_TOO_LARGE', `Pièce jointe XML trop volumineuse une fois décompressée (plus de ${MB(limits.maxAttachmentBytes)}).`);
  try {
    // Flate is decoded with a cap on the output, so a compression bomb stops early.
    if (only instanceof PDFName && only.asString() === '/FlateDecode' && !stream.dict.has(PDFName.of('DecodeParms'))) {
      return inflateSync(stream.contents, { maxOutputLength: limits.maxAttachmentBytes });
    }
    if (filter === undefined) return stream.contents;
    const out = decodePDFRawStream(stream).decode();
    if (out.byteLength > limits.maxAttachmentBytes) throw tooBig();
    return out;
  } catch (err) {
    if (err instanceof FormatError) throw err;
    if (err instanceof RangeError) throw tooBig();
    throw new FormatError('PDF_MALFORMED', `Pièce jointe illisible : ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The invoice attachments of a PDF (by name), and the names of all its attachments (exported for the tests). */
export function invoiceAttachments(pdf: { context: PDFContext; catalog: PDFDict }, limits: PdfLimits): { found: EmbeddedInvoice[]; attachmentNames: string[] } {
  const found: EmbeddedInvoice[] = [];
  const attachmentNames: string[] = [];
  for (const spec of fileSpecs(pdf)) {
    const filename = text(spec.lookup(PDFName.of('UF'))) ?? text(spec.lookup(PDFName.of('F'))) ?? '';
    attachmentNames.push(filename);
    if (!INVOICE_ATTACHMENT_NAMES.includes(filename.toLowerCase())) continue;
    const ef = spec.lookup(PDFName.of('EF'));
    const stream = ef instanceof PDFDict ? (ef.lookup(PDFName.of('UF')) ?? ef.lookup(PDFName.of('F'))) : undefined;
    if (!(stream instanceof PDFStream)) throw new FormatError('PDF_MALFORMED', `La pièce jointe « ${filename} » n'a pas de contenu.`);
    const relationship = text(spec.lookup(PDFName.of('AFRelationship')));
    found.push({ filename, xml: streamBytes(stream, limits), ...(relationship ? { relationship } : {}) });
  }
  return { found, attachmentNames };
}

/**
 * The invoice XML embedded in a Factur-X / ZUGFeRD 2.x PDF. Refuses a PDF without one (PDF_NO_INVOICE) and a PDF
 * carrying two different invoice XMLs (PDF_SEVERAL_INVOICES: the reader could not know which one is the invoice).
 */
export async function extractInvoiceFromPdf(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS): Promise<EmbeddedInvoice> {
  checkPdfBytes(bytes, limits);
  // Most Factur-X files are plain: their attachments are read through the cross-reference sections alone. Any
  // doubt (an irregular structure, an object that does not parse, no single invoice) and the PDF is loaded whole.
  const indexed = indexPdf(bytes);
  if (indexed) {
    try {
      const { found } = invoiceAttachments(indexed, limits);
      if (found.length === 1) return found[0];
    } catch {
      // judged below on the whole load
    }
  }
  const { found, attachmentNames } = invoiceAttachments(await loadPdf(bytes, limits), limits);
  if (found.length === 0) {
    throw new FormatError(
      'PDF_NO_INVOICE',
      `Ce PDF ne contient pas de facture XML (factur-x.xml ou zugferd-invoice.xml)${attachmentNames.length ? ` ; pièces jointes : ${attachmentNames.join(', ')}` : ''}.`,
    );
  }
  const distinct = found.filter((f, i) => found.findIndex((g) => Buffer.compare(Buffer.from(g.xml), Buffer.from(f.xml)) === 0) === i);
  if (distinct.length > 1) {
    throw new FormatError(
      'PDF_SEVERAL_INVOICES',
      `Ce PDF contient plusieurs factures XML (${found.map((f) => f.filename).join(', ')}) : impossible de savoir laquelle fait foi.`,
    );
  }
  return found[0];
}
