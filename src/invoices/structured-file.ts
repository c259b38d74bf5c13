import { Decimal } from 'decimal.js';
import { CREDIT_NOTE_TYPE_CODES, type Invoice as En16931Invoice, type Profile, type Syntax } from '../formats/index.ts';
import { SCHEMA_LABELS, shortName, xsdErrorFr, type Finding, type SchemaKey } from '../validation/index.ts';
import { FRAMEWORKS, type Framework } from './lifecycle.ts';
import { ATTACHMENT_RULES, amount, megabytes, type ComputedLine, type DocumentType, type Totals } from './model.ts';
import { mapped } from '../shared/mapped.ts';

/**
 * The pure part of a structured deposit (Factur-X PDF, UBL or CII): what kind of file it is, which fields of
 * the invoice the XML decides, and the EN 16931 findings as French messages keyed by the invoice's fields.
 * No database, no clock.
 */

/** One problem (or warning) of a structured deposit: a stable code, the invoice field it concerns, a French message. */
export interface DepositIssue {
  code: string;
  /** The invoice field (`number`, `recipientSiret`, `totalWithVat`, `lines`…) or `file` for the file as a whole. */
  field: string;
  message: string;
  /** The EN 16931 rule that fired (BR-CO-10…), for validation findings. */
  rule?: string;
  /** Where in the XML (XPath), for validation findings. */
  location?: string;
}

export type Container = 'FACTURX' | 'XML';

/** By content, not by name: a PDF (Factur-X), an XML document, or something else. */
export function containerOf(bytes: Uint8Array): Container | null {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'FACTURX';
  const text = head.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').replace(/^\xFF\xFE|^\xFE\xFF/, '').trimStart();
  if (text.startsWith('<')) return 'XML';
  return null;
}

/** A stored name that follows the attachment rules (≤ 50 characters, allowed extension) and keeps the extension of the content. */
export function storedFilename(filename: string, container: Container): string {
  const ext = container === 'FACTURX' ? '.pdf' : '.xml';
  const base = (filename.split(/[\\/]/).pop() ?? '').replace(/\.(pdf|xml)$/i, '').replace(/[^\p{L}\p{N}._+-]+/gu, '_').replace(/^[._]+/, '') || 'facture';
  return base.slice(0, ATTACHMENT_RULES.maxNameLength - ext.length) + ext;
}

/**
 * The invoice as a PDF inside the XML of a mixed (E2) flow: the first supporting document (BG-24) whose
 * attachment (BT-125) is declared application/pdf, decoded. A French message when it is missing or not a PDF.
 */
export function embeddedPdf(inv: En16931Invoice): { ok: true; bytes: Buffer; filename: string } | { ok: false; issue: DepositIssue } {
  const fail = (message: string) => ({ ok: false as const, issue: { code: 'MIXED_PDF_MISSING', field: 'mainDocument', message } });
  const doc = inv.supportingDocuments.find((d) => d.attachment && d.attachment.mimeCode.trim().toLowerCase() === 'application/pdf');
  if (!doc?.attachment)
    return fail('Facture PDF (BG-24, BT-125) : un flux mixte (E2) joint la facture en PDF au fichier XML (document justificatif, pièce jointe de type application/pdf) ; il n\'y en a pas.');
  const name = doc.attachment.filename || `${doc.reference || inv.number}.pdf`;
  const bytes = Buffer.from(doc.attachment.content, 'base64');
  if (bytes.byteLength > ATTACHMENT_RULES.maxFileBytes) return fail(`Facture PDF (BT-125) : « ${name.slice(0, 60)} » dépasse ${megabytes(ATTACHMENT_RULES.maxFileBytes)}.`);
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return fail(`Facture PDF (BT-125) : « ${name.slice(0, 60)} » est déclarée application/pdf mais n'est pas un PDF.`);
  return { ok: true, bytes, filename: storedFilename(name, 'FACTURX') };
}

/** The fields of the invoice the XML decides: locked on the form. */
export const LOCKED_BY_XML = [
  'number', 'invoiceDate', 'dueDate', 'currency', 'documentType', 'originalInvoiceNumber', 'recipientSiret',
  'lines', 'prepaidAmount', 'totalWithoutVat', 'totalVat', 'totalWithVat', 'amountDue',
] as const;

/** What the XML gives the invoice. */
export interface StructuredInvoiceData {
  number: string;
  invoiceDate: string;
  dueDate: string | null;
  currency: string;
  documentType: DocumentType;
  originalInvoiceNumber: string | null;
  /** Candidate SIRETs of the buyer, best first (BT-47, BT-46, BT-49). */
  recipientSirets: string[];
  serviceCode: string | null;
  ejNumber: string | null;
  /** From BT-23 (Chorus Pro's cadre de facturation), when the XML carries one. */
  framework: Framework | null;
  lines: ComputedLine[];
  totals: Totals;
  /** Fields the XML sets (the others may be completed on the form). */
  locked: string[];
  sellerIds: string[];
}

const digits = (s: string | undefined) => (s ?? '').replace(/[\s.]/g, '');
const isSiret = (s: string) => /^\d{14}$/.test(s);

/** Identifiers of a party as written, the scheme 0009 (SIRET) first. */
function partyIds(p: { identifiers: Array<{ id: string; schemeId?: string }>; legalRegistration?: { id: string; schemeId?: string }; electronicAddress?: { id: string; schemeId?: string } }): string[] {
  const all = [p.legalRegistration, ...p.identifiers, p.electronicAddress].filter((x): x is { id: string; schemeId?: string } => !!x?.id);
  const sorted = [...all.filter((x) => x.schemeId === '0009'), ...all.filter((x) => x.schemeId !== '0009')];
  return [...new Set(mapped(sorted, (x) => digits(x.id)))];
}

/** Does the XML's seller designate this structure (its SIRET, or the SIREN of a SIRET)? */
export function sellerMatches(data: StructuredInvoiceData, structureIdentifier: string): boolean {
  const id = digits(structureIdentifier);
  return data.sellerIds.some((s) => s === id || (isSiret(id) && /^\d{9}$/.test(s) && id.startsWith(s)));
}

const FRAMEWORK_CODES: Record<string, Framework> = { A1: 'A1_FACTURE_FOURNISSEUR', A2: 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE' };
for (const f of FRAMEWORKS) FRAMEWORK_CODES[f] = f;

/** Fits a numeric(precision, scale) column? */
function fits(v: string, d: Decimal, integerDigits: number): boolean {
  // Written with at most `integerDigits` digits before the point (no exponent): below 10^integerDigits.
  const sign = v.charCodeAt(0) === 45 || v.charCodeAt(0) === 43 ? 1 : 0;
  const point = v.indexOf('.');
  if (/^[+-]?\d*(\.\d*)?$/.test(v) && (point < 0 ? v.length : point) - sign <= integerDigits) return true;
  let limit = LIMITS.get(integerDigits);
  if (!limit) LIMITS.set(integerDigits, (limit = [new Decimal(10).pow(integerDigits), new Decimal(10).pow(integerDigits).neg()]));
  return d.lt(limit[0]) && d.gt(limit[1]);
}
const LIMITS = new Map<number, [Decimal, Decimal]>();

/**
 * The XML's numbers by their text (null: not a number): every invoice repeats quantities, rates and amounts. Decimals
 * are immutable, so one instance serves every reader; short texts only, and bounded.
 */
const PARSED = new Map<string, Decimal | null>();
function parseNumber(v: string): Decimal | null {
  let d = PARSED.get(v);
  if (d !== undefined) return d;
  try {
    d = new Decimal(v);
  } catch {
    d = null;
  }
  if (v.length <= 64) {
    if (PARSED.size >= 20_000) PARSED.clear();
    PARSED.set(v, d);
  }
  return d;
}
const ZERO = new Decimal(0);
const ONE = new Decimal(1);

/**
 * The EN 16931 model → the invoice's data, exactly: amounts are the XML's (BT-109 HT, BT-110 TVA, BT-112 TTC,
 * BT-113 prepaid, BT-115 due), lines keep their net amount BT-131; the VAT breakdown is summed per rate (two
 * categories at 0 % share a row). Problems come back as issues (values too large for the register, a framework
 * other than A1/A2).
 */
export function invoiceDataOf(inv: En16931Invoice): { data: StructuredInvoiceData; issues: DepositIssue[] } {
  const issues: DepositIssue[] = [];
  // `line`: the field is the line's (`lines.<line>.<field>`, named only when there is an issue to report).
  const dec = (v: string | undefined, field: string, integerDigits = 17, line = -1): Decimal => {
    if (v === undefined || v === '') return ZERO;
    const d = parseNumber(v);
    if (d === null) {
      issues.push({ code: 'VALUE_INVALID', field: line < 0 ? field : `lines.${line}.${field}`, message: `La valeur « ${v.slice(0, 40)} » n'est pas un nombre.` });
      return ZERO;
    }
    if (!d.isFinite() || !fits(v, d, integerDigits)) {
      issues.push({ code: 'VALUE_OUT_OF_RANGE', field: line < 0 ? field : `lines.${line}.${field}`, message: `La valeur « ${v.slice(0, 40)} » est trop grande.` });
      return ZERO;
    }
    return d;
  };
  const lines: ComputedLine[] = mapped(inv.lines, (l, i) => {
    const base = l.price.baseQuantity ? dec(l.price.baseQuantity, 'unitPrice', 13, i) : ONE;
    const net = dec(l.price.netPrice, 'unitPrice', 13, i);
    const unitPrice = base.isZero() ? net : net.div(base);
    let discount = ZERO;
    for (const a of l.allowances) discount = discount.plus(dec(a.amount, 'discountAmount', 17, i));
    const rate = dec(l.vat.rate, 'vatRate', 3, i);
    return {
      position: i + 1,
      description: (l.item.name || l.item.description || `Ligne ${l.id}`).slice(0, 1000),
      quantity: dec(l.quantity, 'quantity', 13, i).toDecimalPlaces(6).toString(),
      unit: l.unitCode || null,
      unitPrice: unitPrice.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toString(),
      discountAmount: amount(discount),
      vatRate: rate.toFixed(2),
      netAmount: amount(dec(l.netAmount, 'netAmount', 17, i)),
    };
  });
  const byRate = new Map<string, { base: Decimal; vat: Decimal }>();
  for (const b of inv.vatBreakdown) {
    const rate = dec(b.rate ?? '0', 'vatBreakdown', 3).toFixed(2);
    const cur = byRate.get(rate) ?? { base: new Decimal(0), vat: new Decimal(0) };
    byRate.set(rate, { base: cur.base.plus(dec(b.taxableAmount, 'vatBreakdown')), vat: cur.vat.plus(dec(b.taxAmount, 'vatBreakdown')) });
  }
  const rates = [...byRate.entries()].sort((a, b) => new Decimal(b[0]).cmp(a[0]));
  const vatBreakdown = mapped(rates, ([rate, v]) => ({ vatRate: rate, taxableAmount: amount(v.base), vatAmount: amount(v.vat) }));
  const t = inv.totals;
  const vatTotal = t.vatTotal !== undefined ? dec(t.vatTotal, 'totalVat') : vatBreakdown.reduce((s, b) => s.plus(b.vatAmount), new Decimal(0));
  const totals: Totals = {
    totalWithoutVat: amount(dec(t.taxExclusiveAmount, 'totalWithoutVat')),
    totalVat: amount(vatTotal),
    totalWithVat: amount(dec(t.taxInclusiveAmount, 'totalWithVat')),
    prepaidAmount: amount(dec(t.prepaidAmount, 'prepaidAmount')),
    amountDue: amount(dec(t.payableAmount, 'amountDue')),
    vatBreakdown,
  };
  const bt23 = inv.businessProcessType?.trim();
  let framework: Framework | null = null;
  if (bt23) {
    framework = FRAMEWORK_CODES[bt23.toUpperCase()] ?? null;
    // Other business process codes (Peppol "urn:fdc:…", reform codes B1/S1…) say nothing of the Chorus Pro framework.
    if (!framework && /^A\d{1,2}$/i.test(bt23))
      issues.push({ code: 'FRAMEWORK_UNSUPPORTED', field: 'framework', message: `Cadre de facturation (BT-23) : « ${bt23} » n'est pas accepté ici ; seuls A1 (facture) et A2 (facture déjà payée) le sont.` });
  }
  const isCreditNote = CREDIT_NOTE_TYPE_CODES.has(inv.typeCode);
  const locked: string[] = [...LOCKED_BY_XML];
  const serviceCode = inv.buyerReference?.trim() || null;
  const ejNumber = inv.purchaseOrderReference?.trim() || null;
  if (serviceCode) locked.push('serviceCode');
  if (ejNumber) locked.push('ejNumber');
  if (framework) locked.push('framework');
  return {
    data: {
      number: inv.number.trim(),
      invoiceDate: inv.issueDate,
      dueDate: inv.dueDate ?? null,
      currency: inv.currency.trim().toUpperCase(),
      documentType: isCreditNote ? 'AVOIR' : 'FACTURE',
      originalInvoiceNumber: isCreditNote ? (inv.precedingInvoices[0]?.number?.trim() || null) : null,
      recipientSirets: partyIds(inv.buyer).filter(isSiret),
      serviceCode,
      ejNumber,
      framework,
      lines,
      totals,
      locked,
      sellerIds: partyIds(inv.seller),
    },
    issues,
  };
}

/** Business terms → the invoice's fields, to key a finding on the field the user knows. */
const FIELD_OF_BT: Record<number, string> = {
  1: 'number', 2: 'invoiceDate', 3: 'documentType', 5: 'currency', 9: 'dueDate', 10: 'serviceCode', 13: 'ejNumber', 23: 'framework', 25: 'originalInvoiceNumber',
  27: 'supplier', 29: 'supplier', 30: 'supplier', 31: 'supplier', 44: 'recipientSiret', 46: 'recipientSiret', 47: 'recipientSiret', 48: 'recipientSiret',
  106: 'totalWithoutVat', 107: 'totalWithoutVat', 108: 'totalWithoutVat', 109: 'totalWithoutVat', 110: 'totalVat', 111: 'totalVat', 112: 'totalWithVat',
  113: 'prepaidAmount', 114: 'amountDue', 115: 'amountDue', 116: 'vatBreakdown', 117: 'vatBreakdown', 118: 'vatBreakdown', 119: 'vatBreakdown',
};
/** The invoice field a finding concerns: from the first business term its message cites. */
export function fieldOfFinding(f: Pick<Finding, 'message' | 'messageFr'>): string {
  for (const text of [f.messageFr, f.message]) {
    const m = /\bBT-(\d+)/.exec(text);
    if (m) {
      const n = Number(m[1]);
      if (FIELD_OF_BT[n]) return FIELD_OF_BT[n];
      if (n >= 126 && n <= 161) return 'lines';
    }
    if (/\bBG-25\b/.test(text)) return 'lines';
    if (/\bBG-23\b/.test(text)) return 'vatBreakdown';
    if (/\bBG-4\b|\bBG-5\b/.test(text)) return 'supplier';
    if (/\bBG-7\b|\bBG-8\b/.test(text)) return 'recipientSiret';
  }
  return 'file';
}

export const issueOfFinding = (f: Finding): DepositIssue => ({ code: f.flag === 'fatal' ? 'EN16931_RULE' : 'EN16931_WARNING', field: fieldOfFinding(f), message: f.messageFr, rule: f.rule, location: f.location });

/** Issues → the `fields` of an API error: one message per field, further ones under `field.RULE` (or `field.2`). */
export function fieldsOfIssues(issues: DepositIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const i of issues) {
    let key = i.field;
    if (fields[key] !== undefined) key = i.rule ? `${i.field}.${i.rule}` : i.field;
    for (let n = 2; fields[key] !== undefined; n++) key = `${i.field}.${i.rule ?? ''}${n}`;
    fields[key] = i.message;
  }
  return fields;
}

/** The line elements, which a mixed (E2) flow's minimal XML may leave out although UBL 2.1 and Factur-X EN 16931 require one. */
const LINE_ELEMENTS = /^(?:cac:InvoiceLine|cac:CreditNoteLine|ram:IncludedSupplyChainTradeLineItem)$/;
/** Issues listed for one file at most: the first errors tell what to fix, libxml2 may report hundreds. */
const MAX_XSD_ISSUES = 20;

/**
 * libxml2's errors of a file → the deposit's issues: one per error, in French (element, line, what was expected)
 * with libxml2's own message kept after it. In a mixed flow (`mixed`), the only error of a file without lines —
 * the missing line element — is no error (docs/api-cpro.md, E2 minimal syntaxes).
 */
export function xsdIssues(schema: SchemaKey, errors: readonly string[], options: { mixed?: boolean } = {}): { count: number; first: string; issues: DepositIssue[] } {
  const kept = options.mixed ? errors.filter((e) => !missingLineOnly(e)) : errors;
  const translated = kept.slice(0, MAX_XSD_ISSUES).map((e) => ({ e, fr: xsdErrorFr(e) }));
  const issues: DepositIssue[] = translated.map(({ e, fr }) => ({
    code: 'XSD_ERROR', field: 'file', rule: 'XSD', location: fr.line === null ? SCHEMA_LABELS[schema] : `ligne ${fr.line}`,
    message: `${fr.message} (message du validateur : ${e.replace(/^\s*\d+\s*:\s*(?:Schemas validity|parser) (?:error|warning)\s*:\s*/, '')})`,
  }));
  const more = kept.length - MAX_XSD_ISSUES;
  if (more > 0) issues.push({ code: 'XSD_ERROR', field: 'file', rule: 'XSD', message: `… et ${more} autre${more > 1 ? 's' : ''} erreur${more > 1 ? 's' : ''} de schéma.` });
  return { count: kept.length, first: translated[0]?.fr.message ?? '', issues };
}

/** An error that says only that a line element is missing where lines begin. */
function missingLineOnly(error: string): boolean {
  const e = /Expected is (?:one of )?\(\s*(.*?)\s*\)\.?$/.exec(error);
  if (!e || !/This element is not expected\.|Missing child element\(s\)\./.test(error)) return false;
  const expected = e[1]!.split(',').map((s) => s.trim()).filter((s) => s && s !== '...');
  return expected.length > 0 && expected.every((n) => LINE_ELEMENTS.test(shortName(n)));
}

export type { Profile, Syntax };
