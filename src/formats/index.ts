/** The e-invoice formats library: bytes ⇄ the EN 16931 model. Pure: no database, no clock, no network. */
export type * from './model.ts';
export { FormatError, type FormatErrorCode } from './errors.ts';
export { readInvoiceXml, type ReadResult } from './read.ts';
export { detectProfile, detectSyntax, facturxConformanceLevel, NS, type DocumentKind } from './detect.ts';
export { parseXml, decodeXmlBytes, DEFAULT_XML_LIMITS, type XmlLimits, type XNode, type ParsedXml } from './xml/safe-parse.ts';
export { writeUbl, CREDIT_NOTE_TYPE_CODES, type UblWriteOptions } from './ubl/write.ts';
export { writeCii } from './cii/write.ts';
export { extractInvoiceFromPdf, loadPdf, INVOICE_ATTACHMENT_NAMES, DEFAULT_PDF_LIMITS, type EmbeddedInvoice, type PdfLimits } from './facturx/extract.ts';
export { generateFacturx, renderInvoicePdf, facturxXmp, afRelationshipOf, FX_NAMESPACE, FACTURX_FILENAME, type FacturxOptions } from './facturx/generate.ts';
export { money, price, number, percent, dateFr, documentTitle } from './facturx/french.ts';
export { attachFacturx, xmpPacket, type AttachOptions } from './facturx/attach.ts';
