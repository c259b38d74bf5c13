import type { Profile, Syntax } from './model.ts';
import type { ParsedXml } from './xml/safe-parse.ts';
import { FormatError } from './errors.ts';

export const NS = {
  ublInvoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  ublCreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
} as const;

export type DocumentKind = 'UBL Invoice' | 'UBL CreditNote' | 'CII';

/** The syntax of a parsed document, from its root element and the root's namespace. */
export function detectSyntax(doc: ParsedXml): { syntax: Syntax; kind: DocumentKind } {
  const { root, rootNamespace } = doc;
  if (root.local === 'Invoice' && rootNamespace === NS.ublInvoice) return { syntax: 'UBL', kind: 'UBL Invoice' };
  if (root.local === 'CreditNote' && rootNamespace === NS.ublCreditNote) return { syntax: 'UBL', kind: 'UBL CreditNote' };
  if (root.local === 'CrossIndustryInvoice' && rootNamespace === NS.rsm) return { syntax: 'CII', kind: 'CII' };
  if (root.local === 'CrossIndustryDocument') {
    throw new FormatError('NOT_AN_INVOICE', "Facture ZUGFeRD 1.0 (CrossIndustryDocument) : ce format ancien n'est pas pris en charge.");
  }
  throw new FormatError(
    'NOT_AN_INVOICE',
    `Ce document XML n'est pas une facture UBL 2.1 (Invoice, CreditNote) ni CII (CrossIndustryInvoice) : élément racine « ${root.local} »${rootNamespace ? ` de l'espace de noms ${rootNamespace}` : ''}.`,
  );
}

/**
 * The profile announced by the specification identifier BT-24. Factur-X 1.0 and ZUGFeRD 2.x identifiers are
 * both recognised; any other `urn:cen.eu:en16931:2017#compliant#…` is a CIUS of EN 16931 (Peppol BIS…).
 */
export function detectProfile(specificationIdentifier: string | undefined): Profile {
  const id = (specificationIdentifier ?? '').trim().toLowerCase();
  if (!id) return 'UNKNOWN';
  if (id.includes('extended-ctc-fr')) return 'EXTENDED-CTC-FR';
  if (/(factur-x\.eu:1p0|zugferd\.de:2p\d):extended/.test(id)) return 'EXTENDED';
  if (/(factur-x\.eu:1p0|zugferd\.de:2p\d):minimum/.test(id)) return 'MINIMUM';
  if (/(factur-x\.eu:1p0|zugferd\.de:2p\d):basicwl/.test(id)) return 'BASIC WL';
  if (/(factur-x\.eu:1p0|zugferd\.de:2p\d):basic/.test(id)) return 'BASIC';
  if (id.includes('xrechnung')) return 'XRECHNUNG';
  if (id === 'urn:cen.eu:en16931:2017' || id.startsWith('urn:cen.eu:en16931:2017#compliant#') || id.startsWith('urn:cen.eu:en16931:2017#conformant#')) {
    return 'EN16931';
  }
  return 'UNKNOWN';
}

/** Factur-X XMP conformance level of a profile (fx:ConformanceLevel). */
export function facturxConformanceLevel(profile: Profile): 'MINIMUM' | 'BASIC WL' | 'BASIC' | 'EN 16931' | 'EXTENDED' | 'XRECHNUNG' {
  switch (profile) {
    case 'MINIMUM':
    case 'BASIC WL':
    case 'BASIC':
    case 'EXTENDED':
    case 'XRECHNUNG':
      return profile;
    case 'EXTENDED-CTC-FR':
      return 'EXTENDED';
    default:
      return 'EN 16931';
  }
}
