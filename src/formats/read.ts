import type { Invoice, Profile, Syntax } from './model.ts';
import { DEFAULT_XML_LIMITS, parseXml, type XmlLimits } from './xml/safe-parse.ts';
import { detectProfile, detectSyntax, type DocumentKind } from './detect.ts';
import { readUbl } from './ubl/read.ts';
import { readCii } from './cii/read.ts';

export interface ReadResult {
  syntax: Syntax;
  kind: DocumentKind;
  profile: Profile;
  invoice: Invoice;
}

/**
 * Reads a UBL 2.1 Invoice/CreditNote or a CII D16B CrossIndustryInvoice from untrusted bytes.
 * Throws a FormatError (stable code, French message) and never returns a partial result.
 */
export function readInvoiceXml(input: Uint8Array | string, limits: XmlLimits = DEFAULT_XML_LIMITS): ReadResult {
  const doc = parseXml(input, limits);
  const { syntax, kind } = detectSyntax(doc);
  const invoice = syntax === 'UBL' ? readUbl(doc.root) : readCii(doc.root);
  return { syntax, kind, profile: detectProfile(invoice.specificationIdentifier), invoice };
}
