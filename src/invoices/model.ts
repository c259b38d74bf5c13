import { Decimal } from 'decimal.js';

/**
 * The pure rules of an invoice: amounts computed exactly (decimal.js, EN 16931 rounding: two decimals,
 * half-up, at line and total level), number format, attachment limits. No database, no clock.
 */
export const DOCUMENT_TYPES = ['FACTURE', 'AVOIR'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const DOCUMENT_TYPE_LABELS: Record<DocumentType, string> = { FACTURE: 'Facture', AVOIR: 'Avoir' };

export const DEPOSIT_MODES = ['SAISIE_WEB', 'DEPOT_PDF_PORTAIL', 'SAISIE_API', 'DEPOT_PDF_API'] as const;
export type DepositMode = (typeof DEPOSIT_MODES)[number];
/** Structured files (Factur-X, UBL, CII), named as Chorus Pro's modeDepot: uploaded on the portal or by API, or part of a flow. */
export const STRUCTURED_DEPOSIT_MODES = ['UPLOAD_PORTAIL', 'UPLOAD_API', 'EDI_XML_STRUCT', 'EDI_MIXTE'] as const;
export type StructuredDepositMode = (typeof STRUCTURED_DEPOSIT_MODES)[number];
export const DEPOSIT_MODE_LABELS: Record<DepositMode | StructuredDepositMode, string> = {
  SAISIE_WEB: 'Saisie sur le portail',
  DEPOT_PDF_PORTAIL: 'Dépôt PDF sur le portail',
  SAISIE_API: 'Saisie par API',
  DEPOT_PDF_API: 'Dépôt PDF par API',
  UPLOAD_PORTAIL: 'Dépôt d’un fichier structuré sur le portail',
  UPLOAD_API: 'Dépôt d’un fichier structuré par API',
  EDI_XML_STRUCT: 'Flux structuré (UBL, CII)',
  EDI_MIXTE: 'Flux mixte (Factur-X)',
};
export const isPdfMode = (m: string) => m === 'DEPOT_PDF_PORTAIL' || m === 'DEPOT_PDF_API';
export const isStructuredMode = (m: string) => (STRUCTURED_DEPOSIT_MODES as readonly string[]).includes(m);

/** Invoice number: at most 20 characters of letters, digits, - _ / + (chorus-pro.md §5). */
export const INVOICE_NUMBER = /^[A-Za-z0-9\-_/+]{1,20}$/;

/** ISO 4217 codes accepted on invoices to French public buyers. */
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'CAD', 'AUD', 'SEK', 'DKK', 'NOK', 'PLN', 'CZK', 'HUF', 'RON', 'BGN', 'XPF', 'XOF', 'XAF', 'MAD', 'TND', 'CNY'] as const;

/** VAT rates in France (metropolitan and overseas), in percent. */
export const VAT_RATES = ['20', '10', '8.5', '5.5', '2.1', '1.75', '1.05', '0.9', '0'] as const;

export const ATTACHMENT_RULES = {
  maxFileBytes: 10 * 1024 * 1024,
  maxInvoiceBytes: 120 * 1024 * 1024,
  maxNameLength: 50,
  extensions: ['BMP', 'GIF', 'FAX', 'ODT', 'PPT', 'TIFF', 'XLS', 'BZ2', 'GZ', 'JPEG', 'P7S', 'RTF', 'TXT', 'XML', 'CSV', 'GZIP', 'JPG', 'PDF', 'SVG', 'XHTML', 'XLSX', 'DOC', 'HTM', 'ODP', 'PNG', 'TGZ', 'XLC', 'ZIP', 'DOCX', 'HTML', 'ODS', 'PPS', 'TIF', 'XLM', 'PPTX'],
} as const;

export const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} Mo`.replace('.', ',');

/** The limits in French, for the forms and the API description (one source: ATTACHMENT_RULES). */
export const ATTACHMENT_LIMITS_TEXT =
  `${megabytes(ATTACHMENT_RULES.maxFileBytes)} au plus par fichier, ${megabytes(ATTACHMENT_RULES.maxInvoiceBytes)} au plus pour la facture et toutes ses pièces ; ` +
  `nom de ${ATTACHMENT_RULES.maxNameLength} caractères au plus (extension comprise), extensions autorisées : ${ATTACHMENT_RULES.extensions.map((e) => e.toLowerCase()).join(', ')}.`;
/** The `accept` attribute of a file input: the allowed extensions. */
export const ATTACHMENT_ACCEPT = ATTACHMENT_RULES.extensions.map((e) => `.${e.toLowerCase()}`).join(',');

export const fileTooLargeMessage = (name: string) => `Le fichier « ${name} » dépasse ${megabytes(ATTACHMENT_RULES.maxFileBytes)}.`;

/** The French message when a file breaks an attachment rule, or null. */
export function attachmentProblem(file: { filename: string; size: number; tooLarge?: boolean }): string | null {
  const name = file.filename;
  if (!name) return 'Le fichier doit avoir un nom.';
  if (name.length > ATTACHMENT_RULES.maxNameLength) return `Le nom du fichier « ${name} » dépasse ${ATTACHMENT_RULES.maxNameLength} caractères (extension comprise).`;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toUpperCase() : '';
  if (!ext) return `Le fichier « ${name} » doit avoir une extension.`;
  if (!(ATTACHMENT_RULES.extensions as readonly string[]).includes(ext)) return `L'extension « .${ext.toLowerCase()} » du fichier « ${name} » n'est pas autorisée.`;
  if (file.tooLarge || file.size > ATTACHMENT_RULES.maxFileBytes) return fileTooLargeMessage(name);
  if (file.size === 0) return `Le fichier « ${name} » est vide.`;
  return null;
}

/**
 * Every problem of a set of uploads, each a French message naming the file, keyed by its position: the rules
 * of each file, the main document in PDF, and the 120 MB of the invoice (`storedBytes` already attached) —
 * the file that crosses it is named.
 */
export function uploadProblems(files: Array<{ filename: string; size: number; tooLarge?: boolean }>, storedBytes: number, mainPdfAt: number | null = null): { byFile: Map<number, string>; overTotal: boolean } {
  const out = new Map<number, string>();
  let overTotal = false;
  files.forEach((f, i) => {
    const p = attachmentProblem(f);
    if (p) out.set(i, p);
    else if (i === mainPdfAt && !/\.pdf$/i.test(f.filename)) out.set(i, `La pièce principale « ${f.filename} » doit être un fichier PDF.`);
  });
  let total = storedBytes;
  for (const [i, f] of files.entries()) {
    total += f.tooLarge ? ATTACHMENT_RULES.maxFileBytes : f.size;
    if (total > ATTACHMENT_RULES.maxInvoiceBytes && !out.has(i)) {
      out.set(i, `Le fichier « ${f.filename} » porte la facture et ses pièces à ${megabytes(total)} : ${megabytes(ATTACHMENT_RULES.maxInvoiceBytes)} au plus au total.`);
      overTotal = true;
      break;
    }
  }
  return { byFile: out, overTotal };
}

/** An exact decimal typed by people or programs ("1 234,5" or "1234.5"), or null. */
export function parseDecimal(raw: string | number | null | undefined, maxDecimals = 6): Decimal | null {
  if (raw === null || raw === undefined) return null;
  const s = String(raw).replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!new RegExp(`^-?\\d{1,15}(\\.\\d{1,${maxDecimals}})?$`).test(s)) return null;
  return new Decimal(s);
}

/** EN 16931 rounding of amounts: two decimals, half away from zero. */
export const round2 = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
export const amount = (d: Decimal) => round2(d).toFixed(2);

export interface LineInput {
  description: string;
  quantity: string;
  unit?: string | null;
  unitPrice: string;
  discountAmount?: string | null;
  vatRate: string;
}
export interface ComputedLine {
  position: number;
  description: string;
  quantity: string;
  unit: string | null;
  unitPrice: string;
  discountAmount: string;
  vatRate: string;
  netAmount: string;
}
export interface Totals {
  totalWithoutVat: string;
  totalVat: string;
  totalWithVat: string;
  prepaidAmount: string;
  amountDue: string;
  vatBreakdown: Array<{ vatRate: string; taxableAmount: string; vatAmount: string }>;
}

/**
 * Lines → exact totals: line net = round2(quantity × unit price − discount); per VAT rate, taxable base =
 * Σ line nets and VAT = round2(base × rate / 100); HT = Σ bases, TVA = Σ VAT, TTC = HT + TVA,
 * amount due = TTC − prepaid. Field errors are French and keyed like the input (`lines.0.quantity`).
 */
export function computeTotals(lines: LineInput[], prepaid: string | null | undefined): { lines: ComputedLine[]; totals: Totals; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const out: ComputedLine[] = [];
  lines.forEach((l, i) => {
    const at = `lines.${i}`;
    const quantity = parseDecimal(l.quantity, 6);
    const unitPrice = parseDecimal(l.unitPrice, 6);
    const discount = l.discountAmount ? parseDecimal(l.discountAmount, 2) : new Decimal(0);
    const rate = parseDecimal(l.vatRate, 2);
    if (!l.description?.trim()) errors[`${at}.description`] = `Ligne ${i + 1} : la désignation est obligatoire.`;
    if (!quantity || quantity.lte(0)) errors[`${at}.quantity`] = `Ligne ${i + 1} : la quantité doit être un nombre positif (6 décimales au plus).`;
    if (!unitPrice || unitPrice.lt(0)) errors[`${at}.unitPrice`] = `Ligne ${i + 1} : le prix unitaire HT doit être un nombre positif ou nul (6 décimales au plus).`;
    if (!discount || discount.lt(0)) errors[`${at}.discountAmount`] = `Ligne ${i + 1} : la remise doit être un montant positif (2 décimales au plus).`;
    if (!rate || !(VAT_RATES as readonly string[]).includes(rate.toString())) errors[`${at}.vatRate`] = `Ligne ${i + 1} : le taux de TVA doit être l'un de ${VAT_RATES.join(' %, ')} %.`;
    if (!quantity || !unitPrice || !discount || !rate) return;
    const gross = round2(quantity.mul(unitPrice));
    if (discount.gt(gross)) errors[`${at}.discountAmount`] = `Ligne ${i + 1} : la remise dépasse le montant de la ligne.`;
    out.push({
      position: i + 1,
      description: l.description.trim(),
      quantity: quantity.toString(),
      unit: l.unit?.trim() || null,
      unitPrice: unitPrice.toString(),
      discountAmount: amount(discount),
      vatRate: rate.toFixed(2),
      netAmount: amount(gross.minus(discount)),
    });
  });
  const byRate = new Map<string, Decimal>();
  for (const l of out) byRate.set(l.vatRate, (byRate.get(l.vatRate) ?? new Decimal(0)).plus(l.netAmount));
  const vatBreakdown = [...byRate.entries()]
    .sort((a, b) => new Decimal(b[0]).cmp(a[0]))
    .map(([rate, base]) => ({ vatRate: rate, taxableAmount: amount(base), vatAmount: amount(base.mul(rate).div(100)) }));
  const ht = vatBreakdown.reduce((s, b) => s.plus(b.taxableAmount), new Decimal(0));
  const tva = vatBreakdown.reduce((s, b) => s.plus(b.vatAmount), new Decimal(0));
  const prepaidAmount = prepaid ? parseDecimal(prepaid, 2) : new Decimal(0);
  if (!prepaidAmount || prepaidAmount.lt(0)) errors.prepaidAmount = "Le montant déjà payé doit être un montant positif (2 décimales au plus).";
  const ttc = ht.plus(tva);
  const paid = prepaidAmount && prepaidAmount.gte(0) ? prepaidAmount : new Decimal(0);
  if (paid.gt(ttc)) errors.prepaidAmount = 'Le montant déjà payé dépasse le total TTC.';
  return {
    lines: out,
    totals: { totalWithoutVat: amount(ht), totalVat: amount(tva), totalWithVat: amount(ttc), prepaidAmount: amount(paid), amountDue: amount(ttc.minus(paid)), vatBreakdown },
    errors,
  };
}

export interface DeclaredVatRow { vatRate: string | number; taxableAmount?: string | null; vatAmount?: string | null }

/**
 * Totals typed by hand (PDF deposit): each must be an amount; missing amount due = TTC − prepaid. With a VAT
 * breakdown (base HT and TVA per rate), a missing HT, TVA or TTC is its sum; their consistency is checked
 * before sending (`totalsInconsistencies`), as for any invoice.
 */
export function declaredTotals(t: { totalWithoutVat?: string | null; totalVat?: string | null; totalWithVat?: string | null; prepaidAmount?: string | null; amountDue?: string | null; vatBreakdown?: DeclaredVatRow[] | null }) {
  const errors: Record<string, string> = {};
  const z = new Decimal(0);
  const vatBreakdown: Totals['vatBreakdown'] = [];
  (t.vatBreakdown ?? []).forEach((row, i) => {
    const at = `vatBreakdown.${i}`;
    const rate = parseDecimal(String(row.vatRate ?? ''), 2);
    const label = rate ? `${rate.toString().replace('.', ',')} %` : `ligne ${i + 1}`;
    if (!rate || !(VAT_RATES as readonly string[]).includes(rate.toString())) errors[`${at}.vatRate`] = `Récapitulatif de TVA, ${label} : le taux doit être l'un de ${VAT_RATES.join(' %, ')} %.`;
    const base = parseDecimal(row.taxableAmount ?? '', 2);
    const vat = parseDecimal(row.vatAmount ?? '', 2);
    if (!base || base.lt(0)) errors[`${at}.taxableAmount`] = `Récapitulatif de TVA, taux ${label} : la base HT doit être un montant positif (2 décimales au plus).`;
    if (!vat || vat.lt(0)) errors[`${at}.vatAmount`] = `Récapitulatif de TVA, taux ${label} : le montant de TVA doit être un montant positif (2 décimales au plus).`;
    if (rate && vatBreakdown.some((r) => r.vatRate === rate.toFixed(2))) errors[`${at}.vatRate`] = `Récapitulatif de TVA : le taux ${label} apparaît deux fois.`;
    if (rate && base && vat) vatBreakdown.push({ vatRate: rate.toFixed(2), taxableAmount: amount(base), vatAmount: amount(vat) });
  });
  const sumBases = vatBreakdown.reduce((s, b) => s.plus(b.taxableAmount), z);
  const sumVat = vatBreakdown.reduce((s, b) => s.plus(b.vatAmount), z);
  const derived = vatBreakdown.length > 0;
  const read = (key: 'totalWithoutVat' | 'totalVat' | 'totalWithVat' | 'prepaidAmount' | 'amountDue', label: string, required: boolean) => {
    const raw = t[key];
    if (raw === null || raw === undefined || raw === '') {
      if (required) errors[key] = `${label} est obligatoire.`;
      return null;
    }
    const d = parseDecimal(raw, 2);
    if (!d || d.lt(0)) errors[key] = `${label} doit être un montant positif (2 décimales au plus).`;
    return d;
  };
  const ht = read('totalWithoutVat', 'Le montant total HT', !derived) ?? (derived ? sumBases : null);
  const tva = read('totalVat', 'Le montant de TVA', !derived) ?? (derived ? sumVat : null);
  const ttc = read('totalWithVat', 'Le montant total TTC', !derived) ?? (derived && ht && tva ? ht.plus(tva) : null);
  const prepaid = read('prepaidAmount', 'Le montant déjà payé', false) ?? z;
  const due = read('amountDue', 'Le net à payer', false);
  vatBreakdown.sort((a, b) => new Decimal(b.vatRate).cmp(a.vatRate));
  return {
    totals: {
      totalWithoutVat: amount(ht ?? z),
      totalVat: amount(tva ?? z),
      totalWithVat: amount(ttc ?? z),
      prepaidAmount: amount(prepaid),
      amountDue: amount(due ?? (ttc ?? z).minus(prepaid)),
      vatBreakdown,
    },
    errors,
  };
}

/**
 * The consistency checks before sending (chorus-pro.md §5): Σ lines = HT per rate, VAT per rate,
 * HT + TVA = TTC, amount due = TTC − prepaid. Returns French messages keyed by field.
 */
export function totalsInconsistencies(
  inv: { total_without_vat: string; total_vat: string; total_with_vat: string; prepaid_amount: string; amount_due: string },
  lines: Array<{ net_amount: string; vat_rate: string }>,
  breakdown: Array<{ vat_rate: string; taxable_amount: string; vat_amount: string }>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const d = (s: string) => new Decimal(s);
  const ht = d(inv.total_without_vat);
  const tva = d(inv.total_vat);
  const ttc = d(inv.total_with_vat);
  if (!ht.plus(tva).eq(ttc)) errors.totalWithVat = `Le total TTC (${inv.total_with_vat}) doit être égal au total HT (${inv.total_without_vat}) plus la TVA (${inv.total_vat}).`;
  if (!ttc.minus(inv.prepaid_amount).eq(inv.amount_due)) errors.amountDue = `Le net à payer (${inv.amount_due}) doit être égal au total TTC moins le montant déjà payé (${inv.prepaid_amount}).`;
  if (lines.length) {
    const sumLines = lines.reduce((s, l) => s.plus(l.net_amount), new Decimal(0));
    if (!sumLines.eq(ht)) errors.totalWithoutVat = `Le total HT (${inv.total_without_vat}) doit être égal à la somme des lignes (${amount(sumLines)}).`;
  }
  if (breakdown.length) {
    const sumBases = breakdown.reduce((s, b) => s.plus(b.taxable_amount), new Decimal(0));
    const sumVat = breakdown.reduce((s, b) => s.plus(b.vat_amount), new Decimal(0));
    if (!sumBases.eq(ht)) errors.totalWithoutVat ??= `Le total HT (${inv.total_without_vat}) doit être égal à la somme des bases du récapitulatif de TVA (${amount(sumBases)}).`;
    if (!sumVat.eq(tva)) errors.totalVat = `Le montant de TVA (${inv.total_vat}) doit être égal à la somme du récapitulatif de TVA (${amount(sumVat)}).`;
    for (const b of breakdown) {
      const expected = amount(d(b.taxable_amount).mul(b.vat_rate).div(100));
      if (expected !== amount(d(b.vat_amount))) errors[`vatBreakdown.${b.vat_rate}`] = `La TVA à ${d(b.vat_rate).toString()} % doit être ${expected} (base ${b.taxable_amount}).`;
    }
  }
  return errors;
}
