import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AFRelationship, PDFArray, PDFDict, PDFName, PDFString } from '@cantoo/pdf-lib';
import { FormatError } from '../errors.ts';
import type { Profile } from '../model.ts';
import { facturxConformanceLevel } from '../detect.ts';
import { DEFAULT_PDF_LIMITS, extractInvoiceFromPdf, loadPdf, type PdfLimits } from './extract.ts';
import { afRelationshipOf, FACTURX_FILENAME, facturxXmp } from './generate.ts';

const require = createRequire(import.meta.url);
let srgb: Buffer | undefined;
/** The sRGB ICC profile pdfkit ships (js/data), used as the PDF/A output intent. */
function srgbProfile(): Buffer {
  srgb ??= readFileSync(path.join(path.dirname(require.resolve('pdfkit')), 'data', 'sRGB_IEC61966_2_1.icc'));
  return srgb;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmpDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A complete XMP packet: PDF/A-3 identification, Dublin Core title, dates, producer, Factur-X properties. */
export function xmpPacket(o: { title: string; producer: string; created: Date; modified: Date; conformanceLevel: string }): string {
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(o.title)}</rdf:li></rdf:Alt></dc:title>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreateDate>${xmpDate(o.created)}</xmp:CreateDate>
      <xmp:ModifyDate>${xmpDate(o.modified)}</xmp:ModifyDate>
      <xmp:MetadataDate>${xmpDate(o.modified)}</xmp:MetadataDate>
      <xmp:CreatorTool>${escapeXml(o.producer)}</xmp:CreatorTool>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>${escapeXml(o.producer)}</pdf:Producer>
    </rdf:Description>${facturxXmp(o.conformanceLevel)}
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

export interface AttachOptions {
  now: Date;
  profile: Profile;
  producer?: string;
  limits?: PdfLimits;
}

/**
 * Attaches our CII XML to the supplier's own PDF as factur-x.xml (AF, AFRelationship, EmbeddedFiles), writes the
 * Factur-X XMP (replacing the PDF's XMP) and an sRGB output intent when the PDF has none. The PDF must not
 * carry an invoice XML already. Whether the supplier's PDF itself is PDF/A (fonts embedded, no transparency…)
 * is not changed: see docs/formats.md.
 */
export async function attachFacturx(pdf: Uint8Array, xml: string | Uint8Array, options: AttachOptions): Promise<Uint8Array> {
  const limits = options.limits ?? DEFAULT_PDF_LIMITS;
  const already = await extractInvoiceFromPdf(pdf, limits).catch((err: unknown) => {
    if (err instanceof FormatError && err.code === 'PDF_NO_INVOICE') return null;
    throw err;
  });
  if (already) {
    throw new FormatError('PDF_SEVERAL_INVOICES', `Ce PDF contient déjà une facture XML (${already.filename}) : il ne peut pas en recevoir une seconde.`);
  }
  const doc = await loadPdf(pdf, limits);
  const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  const producer = options.producer ?? 'Ouvrage';
  await doc.attach(bytes, FACTURX_FILENAME, {
    mimeType: 'text/xml',
    description: 'Factur-X invoice',
    creationDate: options.now,
    modificationDate: options.now,
    afRelationship: afRelationshipOf(options.profile) === 'Data' ? AFRelationship.Data : AFRelationship.Alternative,
  });
  const created = doc.getCreationDate() ?? options.now;
  const title = doc.getTitle() ?? 'Facture';
  doc.setTitle(title);
  doc.setProducer(producer);
  doc.setCreator(producer);
  doc.setCreationDate(created);
  doc.setModificationDate(options.now);
  const ctx = doc.context;
  const metadata = ctx.stream(xmpPacket({ title, producer, created, modified: options.now, conformanceLevel: facturxConformanceLevel(options.profile) }), {
    Type: 'Metadata',
    Subtype: 'XML',
  });
  doc.catalog.set(PDFName.of('Metadata'), ctx.register(metadata));
  if (!(doc.catalog.lookup(PDFName.of('OutputIntents')) instanceof PDFArray)) {
    const icc = ctx.register(ctx.flateStream(srgbProfile(), { N: 3 }));
    const intent = ctx.obj({
      Type: 'OutputIntent',
      S: 'GTS_PDFA1',
      OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
      Info: PDFString.of('sRGB IEC61966-2.1'),
      DestOutputProfile: icc,
    }) as PDFDict;
    doc.catalog.set(PDFName.of('OutputIntents'), ctx.obj([ctx.register(intent)]));
  }
  return doc.save({ useObjectStreams: false });
}
