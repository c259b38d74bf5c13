import PDFKit from 'pdfkit';
import { pdfBytes } from '../../shared/pdf-output.ts';
import type { Invoice, Profile } from '../model.ts';
import { detectProfile, facturxConformanceLevel } from '../detect.ts';
import { writeCii } from '../cii/write.ts';
import { dejaVuFonts, renderInvoice } from './render.ts';

/** Factur-X XMP namespace (Factur-X 1.0 and later). */
export const FX_NAMESPACE = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
export const FACTURX_FILENAME = 'factur-x.xml';

/**
 * Factur-X (§ "embedding"): the XML is an Alternative representation of the PDF for the profiles that are
 * complete invoices (BASIC, EN 16931, EXTENDED), and Data for MINIMUM and BASIC WL, which are not.
 */
export function afRelationshipOf(profile: Profile): 'Alternative' | 'Data' {
  return profile === 'MINIMUM' || profile === 'BASIC WL' ? 'Data' : 'Alternative';
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The fx: properties and the PDF/A extension schema that declares them (mandatory for PDF/A-3). */
export function facturxXmp(conformanceLevel: string, filename = FACTURX_FILENAME): string {
  const property = (name: string, description: string) => `
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>${name}</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>${description}</pdfaProperty:description>
            </rdf:li>`;
  return `
    <rdf:Description rdf:about="" xmlns:fx="${FX_NAMESPACE}">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>${escapeXml(filename)}</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>${escapeXml(conformanceLevel)}</fx:ConformanceLevel>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>${FX_NAMESPACE}</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>${property('DocumentFileName', 'name of the embedded XML invoice file')}${property('DocumentType', 'INVOICE')}${property(
                'Version',
                'The actual version of the Factur-X XML schema',
              )}${property('ConformanceLevel', 'The conformance level of the embedded Factur-X data')}
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>`;
}

export interface FacturxOptions {
  /** Creation instant of the PDF (the library reads no clock). */
  now: Date;
  /** The CII XML to embed; by default the invoice written with writeCii. */
  xml?: string | Uint8Array;
  /** Producer name in the PDF metadata. */
  producer?: string;
}

/** PDF/A-safe single-line text for the Info dictionary and XMP (pdfkit copies it unescaped into the XMP). */
const plain = (s: string) => s.replace(/[<>&"]/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * A Factur-X PDF/A-3b: French rendering with embedded DejaVu fonts, sRGB output intent (pdfkit ships the ICC
 * profile), the CII XML attached as factur-x.xml with its AFRelationship, and XMP metadata carrying pdfaid
 * (part 3, conformance B) and the fx: properties with their extension schema.
 */
export async function generateFacturx(inv: Invoice, options: FacturxOptions): Promise<Buffer> {
  const profile = detectProfile(inv.specificationIdentifier);
  const xml = options.xml ?? writeCii(inv);
  const xmlBytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  const title = plain(`Facture ${inv.number}`);
  const { regular, bold } = dejaVuFonts();
  const doc = new PDFKit({
    // No default font: pdfkit would load Helvetica (unembedded, forbidden in PDF/A). Passing a parsed font here
    // would defeat pdfkit's font cache (every font() call would reopen it), so the renderer selects 'Regular'.
    font: null as unknown as string,
    size: 'A4',
    margin: 40,
    subset: 'PDF/A-3b',
    pdfVersion: '1.7',
    lang: 'fr-FR',
    tagged: false,
    displayTitle: true,
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: title,
      Author: plain(inv.seller.name) || 'Vendeur',
      Subject: plain(`Facture ${inv.number} de ${inv.seller.name} à ${inv.buyer.name}`),
      Creator: options.producer ?? 'Ouvrage',
      Producer: options.producer ?? 'Ouvrage',
      CreationDate: options.now,
    },
  });
  const done = pdfBytes(doc);
  doc.registerFont('Regular', regular);
  doc.registerFont('Bold', bold);
  renderInvoice(doc, inv, { profile, attachmentName: FACTURX_FILENAME });
  // @types/pdfkit 0.17 lacks the relationship option of pdfkit 0.20's file().
  doc.file(Buffer.from(xmlBytes), {
    name: FACTURX_FILENAME,
    type: 'text/xml',
    relationship: afRelationshipOf(profile),
    description: 'Factur-X invoice',
    creationDate: options.now,
    modifiedDate: options.now,
  } as PDFKit.Mixins.PDFAttachmentOptions);
  doc.appendXML(facturxXmp(facturxConformanceLevel(profile)));
  doc.end();
  return done;
}

/** The French rendering alone, as a PDF/A-3b without attachment (`ouvrage render`). */
export async function renderInvoicePdf(inv: Invoice, options: { now: Date; producer?: string }): Promise<Buffer> {
  const { regular, bold } = dejaVuFonts();
  const doc = new PDFKit({
    font: null as unknown as string,
    size: 'A4',
    margin: 40,
    subset: 'PDF/A-3b',
    pdfVersion: '1.7',
    lang: 'fr-FR',
    displayTitle: true,
    bufferPages: true,
    info: { Title: plain(`Facture ${inv.number}`), Creator: options.producer ?? 'Ouvrage', Producer: options.producer ?? 'Ouvrage', CreationDate: options.now },
  });
  const done = pdfBytes(doc);
  doc.registerFont('Regular', regular);
  doc.registerFont('Bold', bold);
  renderInvoice(doc, inv, { profile: detectProfile(inv.specificationIdentifier) });
  doc.end();
  return done;
}
