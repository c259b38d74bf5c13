import { dec, num, round2, stringValue, sumDec, type Dec, type Reporter, type RuleFamily } from '../../engine.ts';
import type { XmlDocument, XmlElement } from '../../xml/tree.ts';
import { P, categoryCode, chargeIndicator, isVat, ublRoot } from './common.ts';
import { VAT_FAMILY_IDS } from '../shared.ts';
import { mapped } from '../../../shared/mapped.ts';

/**
 * The VAT category families bound to UBL: BR-S (standard), BR-Z (zero), BR-E (exempt), BR-AE (reverse
 * charge), BR-IC (intra-community, code K), BR-G (export), BR-O (not subject), BR-AF (IGIC, L), BR-AG
 * (IPSI, M) and the split payment rules BR-B. The official tests are not uniform across families (some
 * filter on the VAT scheme, some do not; some require one breakdown, some at least one): each family
 * below follows its own official test.
 */

type Cat = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O' | 'L' | 'M';
const FAMILY: Record<Cat, string> = { S: 'BR-S', Z: 'BR-Z', E: 'BR-E', AE: 'BR-AE', K: 'BR-IC', G: 'BR-G', O: 'BR-O', L: 'BR-AF', M: 'BR-AG' };

interface Facts {
  root: XmlElement;
  /** //cac:TaxCategory (doc and breakdown and allowance categories). */
  taxCats: XmlElement[];
  classified: XmlElement[];
  /** Every cac:AllowanceCharge of the document, at any level. */
  allAcs: XmlElement[];
  breakdownCats: XmlElement[];
  sellerAnyTaxId: boolean;
  sellerVatId: boolean;
  taxRepVatId: boolean;
  buyerVatId: boolean;
  buyerLegalId: boolean;
  invoiceLines: XmlElement[];
  creditLines: XmlElement[];
  /** allAcs read once: indicator and tax categories. */
  acs: AcInfo[];
  /** The document level allowances and charges (children of the invoice), with their amount. */
  rootAcs: AcInfo[];
  invoiceLineInfo: LineInfo[];
  creditLineInfo: LineInfo[];
}

interface AcInfo {
  ind: boolean | null;
  cats: XmlElement[];
  amount: Dec | null;
}

interface LineInfo {
  /** cac:Item/cac:ClassifiedTaxCategory */
  cats: XmlElement[];
  amount: Dec | null;
}

const acInfo = (ac: XmlElement, withAmount: boolean): AcInfo => ({
  ind: chargeIndicator(ac),
  cats: P.kids(ac, 'cac:TaxCategory'),
  amount: withAmount ? dec(P.str(ac, 'cbc:Amount')) : null,
});
const lineInfo = (l: XmlElement): LineInfo => ({
  cats: P.all(l, 'cac:Item/cac:ClassifiedTaxCategory'),
  amount: dec(P.str(l, 'cbc:LineExtensionAmount')),
});

function vatIdOf(parties: XmlElement[], vatOnly: boolean): boolean {
  return parties.some((p) => P.kids(p, 'cac:PartyTaxScheme').some((s) => (!vatOnly || isVat(s)) && P.has(s, 'cbc:CompanyID')));
}

const partiesOf = (s: XmlElement) => P.kids(s, 'cac:Party');
const hasLegalId = (p: XmlElement) => P.has(p, 'cac:PartyLegalEntity/cbc:CompanyID');
const anyAcInfo = (ac: XmlElement) => acInfo(ac, false);
const rootAcInfo = (ac: XmlElement) => acInfo(ac, true);

function facts(doc: XmlDocument, root: XmlElement): Facts {
  const sellerParties = P.desc(doc, 'cac:AccountingSupplierParty').flatMap(partiesOf);
  const buyerParties = P.desc(doc, 'cac:AccountingCustomerParty').flatMap(partiesOf);
  const allAcs = P.desc(doc, 'cac:AllowanceCharge');
  const invoiceLines = P.desc(doc, 'cac:InvoiceLine');
  const creditLines = P.desc(doc, 'cac:CreditNoteLine');
  return {
    root,
    taxCats: P.desc(doc, 'cac:TaxCategory'),
    classified: P.desc(doc, 'cac:ClassifiedTaxCategory'),
    allAcs,
    breakdownCats: P.all(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory'),
    sellerAnyTaxId: vatIdOf(sellerParties, false),
    sellerVatId: vatIdOf(sellerParties, true),
    taxRepVatId: vatIdOf(P.desc(doc, 'cac:TaxRepresentativeParty'), true),
    buyerVatId: vatIdOf(buyerParties, true),
    buyerLegalId: buyerParties.some(hasLegalId),
    invoiceLines,
    creditLines,
    acs: mapped(allAcs, anyAcInfo),
    rootAcs: mapped(P.kids(root, 'cac:AllowanceCharge'), rootAcInfo),
    invoiceLineInfo: mapped(invoiceLines, lineInfo),
    creditLineInfo: mapped(creditLines, lineInfo),
  };
}

const codeIs = (c: XmlElement, code: string) => categoryCode(c) === code;
/** cbc:ID = 'X' (general comparison without normalize-space, any ID). */
const rawIdIs = (c: XmlElement, code: string) => P.kids(c, 'cbc:ID').some((i) => stringValue(i) === code);

/** Number of AllowanceCharge categories with the given indicator (null = any) and code. */
function acCats(f: Facts, charge: boolean | null, code: string, vat: boolean, raw = false): number {
  let n = 0;
  for (const ac of f.acs) {
    if (charge !== null && ac.ind !== charge) continue;
    for (const c of ac.cats) if ((raw ? rawIdIs(c, code) : codeIs(c, code)) && (!vat || isVat(c))) n++;
  }
  return n;
}

function lineCats(f: Facts, code: string, vat: boolean): number {
  let n = 0;
  for (const c of f.classified) if (codeIs(c, code) && (!vat || isVat(c))) n++;
  return n;
}

const percentOf = (c: XmlElement) => dec(P.str(c, 'cbc:Percent'));

/** Categories of which one has the code `code` and (if a rate is given) one the rate `rate`. */
function catsMatch(cats: XmlElement[], code: string, rate?: Dec | null): boolean {
  if (!cats.some((c) => codeIs(c, code))) return false;
  if (rate === undefined) return true;
  return rate !== null && cats.some((c) => eqDec(percentOf(c), rate));
}

/** Sum of LineExtensionAmount of lines whose item category is `code` (and, if given, whose rate equals `rate`). */
function linesSum(lines: LineInfo[], code: string, rate?: Dec | null): Dec {
  let s = ZERO;
  for (const l of lines) if (catsMatch(l.cats, code, rate) && l.amount) s = s.plus(l.amount);
  return s;
}

function docAcSum(f: Facts, charge: boolean, code: string, rate?: Dec | null): Dec {
  let s = ZERO;
  for (const ac of f.rootAcs) if (ac.ind === charge && catsMatch(ac.cats, code, rate) && ac.amount) s = s.plus(ac.amount);
  return s;
}

const ZERO = sumDec([]);

export const ublVat: RuleFamily = {
  name: 'en16931-ubl-vat',
  syntax: 'ubl',
  ids: VAT_FAMILY_IDS,
  run(doc, r) {
    const root = ublRoot(doc);
    if (!root) return;
    const f = facts(doc, root);
    for (const code of BREAKDOWN_EXACTLY_ONCE) checkUsedCategoryInBreakdown(f, code, r);
    checkStandardRatedInBreakdown(f, r);
    checkIgicInBreakdown(f, r);
    checkIpsiInBreakdown(f, r);
    const ids = partyIds(f);
    checkStandardRatedSellerIds(f, ids, r);
    for (const code of SELLER_ID_ONLY) checkSellerIdsFor(f, code, ids, r);
    checkReverseChargeIds(f, ids, r);
    checkIntraCommunityIds(f, ids, r);
    checkExportIds(f, ids, r);
    checkNotSubjectIds(f, r);
    checkIntraCommunityDelivery(f, r);
    checkNotSubjectAlone(f, r);
    checkSplitPaymentItaly(doc, f, r);
    checkSplitPaymentNotStandard(f, r);
    for (const st of P.all(root, 'cac:TaxTotal/cac:TaxSubtotal')) checkBreakdownSubtotal(f, st, r);
    checkAllowanceChargeRates(f, r);
    checkLineRates(f, r);
  },
};

// --- a category used on lines, allowances or charges appears in the VAT breakdown.

const BREAKDOWN_EXACTLY_ONCE = ['AE', 'E', 'G', 'K', 'O', 'Z'] as const;

/** BR-AE/E/G/IC/O/Z-01 on the invoice: a used category has exactly one breakdown. */
function checkUsedCategoryInBreakdown(f: Facts, code: Cat, r: Reporter): void {
  const used = anyCat(f, code, true);
  r.check(`${FAMILY[code]}-01`, (used && breakdownCount(f, code, true) === 1) || !used, f.root);
}

/** BR-S-01 on the invoice: standard rated items and breakdowns go together. */
function checkStandardRatedInBreakdown(f: Facts, r: Reporter): void {
  const used = acCats(f, null, 'S', false) + lineCats(f, 'S', false);
  const inBreakdown = breakdownCount(f, 'S', false);
  r.check('BR-S-01', (used > 0 && inBreakdown > 0) || (used === 0 && inBreakdown === 0), f.root);
}

/** BR-AF-01 on the invoice: IGIC items and breakdowns go together. */
function checkIgicInBreakdown(f: Facts, r: Reporter): void {
  const used = acCats(f, null, 'L', true) + lineCats(f, 'L', true);
  r.check(
    'BR-AF-01',
    (used > 0 && breakdownCount(f, 'L', false, true) > 0) || (used === 0 && breakdownCount(f, 'L', true) === 0),
    f.root,
  );
}

const isRawVatM = (c: XmlElement) => rawIdIs(c, 'M') && isVat(c);

/** BR-AG-01 on the invoice: IPSI items and breakdowns go together. */
function checkIpsiInBreakdown(f: Facts, r: Reporter): void {
  const used = acCats(f, null, 'M', true) + lineCats(f, 'M', true);
  r.check(
    'BR-AG-01',
    (used > 0 && f.breakdownCats.filter(isRawVatM).length > 0) || (used === 0 && breakdownCount(f, 'M', true) === 0),
    f.root,
  );
}

// --- X-02/03/04: the parties' identifiers a category requires (or forbids).

interface PartyIds {
  sellerOrRep: boolean;
  sellerVatOrRep: boolean;
  buyer: boolean;
}

function partyIds(f: Facts): PartyIds {
  return {
    sellerOrRep: f.sellerAnyTaxId || f.taxRepVatId,
    sellerVatOrRep: f.sellerVatId || f.taxRepVatId,
    buyer: f.buyerVatId || f.buyerLegalId,
  };
}

/** BR-S-02/03/04 on the invoice: standard rated lines, allowances and charges need a seller tax identifier. */
function checkStandardRatedSellerIds(f: Facts, ids: PartyIds, r: Reporter): void {
  r.check('BR-S-02', (line(f, 'S') && ids.sellerOrRep) || lineCats(f, 'S', false) === 0, f.root);
  r.check('BR-S-03', (allowance(f, 'S') && ids.sellerOrRep) || !allowance(f, 'S'), f.root);
  r.check('BR-S-04', (charge(f, 'S') && ids.sellerOrRep) || !charge(f, 'S'), f.root);
}

const SELLER_ID_ONLY = ['Z', 'E', 'L', 'M'] as const;

/** BR-Z/E/AF/AG-02/03/04 on the invoice: lines, allowances and charges of the category need a seller tax identifier. */
function checkSellerIdsFor(f: Facts, code: Cat, ids: PartyIds, r: Reporter): void {
  const fam = FAMILY[code];
  r.check(`${fam}-02`, (line(f, code) && ids.sellerOrRep) || !line(f, code), f.root);
  r.check(`${fam}-03`, (allowance(f, code) && ids.sellerOrRep) || !allowance(f, code), f.root);
  if (code === 'L') {
    const rawCharge = acCats(f, true, 'L', true, true) > 0;
    r.check(`${fam}-04`, (charge(f, code) && ids.sellerOrRep) || !rawCharge, f.root);
  } else r.check(`${fam}-04`, (charge(f, code) && ids.sellerOrRep) || !charge(f, code), f.root);
}

/** BR-AE-02/03/04 on the invoice: reverse charge needs the seller's and the buyer's identifiers. */
function checkReverseChargeIds(f: Facts, ids: PartyIds, r: Reporter): void {
  const both = ids.sellerOrRep && ids.buyer;
  r.check('BR-AE-02', (line(f, 'AE') && both) || !line(f, 'AE'), f.root);
  r.check('BR-AE-03', (allowance(f, 'AE') && both) || !allowance(f, 'AE'), f.root);
  r.check('BR-AE-04', (charge(f, 'AE') && both) || !charge(f, 'AE'), f.root);
}

/** BR-IC-02/03/04 on the invoice: intra-community supplies need the seller's and the buyer's VAT identifiers. */
function checkIntraCommunityIds(f: Facts, ids: PartyIds, r: Reporter): void {
  const both = ids.sellerVatOrRep && f.buyerVatId;
  r.check('BR-IC-02', (line(f, 'K') && both) || !line(f, 'K'), f.root);
  r.check('BR-IC-03', (allowance(f, 'K') && both) || !allowance(f, 'K'), f.root);
  r.check('BR-IC-04', (charge(f, 'K') && both) || !charge(f, 'K'), f.root);
}

/** BR-G-02/03/04 on the invoice: exports need the seller's VAT identifier. */
function checkExportIds(f: Facts, ids: PartyIds, r: Reporter): void {
  r.check('BR-G-02', (line(f, 'G') && ids.sellerVatOrRep) || !line(f, 'G'), f.root);
  r.check('BR-G-03', (acCats(f, false, 'G', false) > 0 && ids.sellerVatOrRep) || !allowance(f, 'G'), f.root);
  r.check('BR-G-04', (acCats(f, true, 'G', false) > 0 && ids.sellerVatOrRep) || !charge(f, 'G'), f.root);
}

/** BR-O-02/03/04 on the invoice: supplies not subject to VAT forbid every VAT identifier. */
function checkNotSubjectIds(f: Facts, r: Reporter): void {
  const noVatIds = !f.sellerVatId && !f.taxRepVatId && !f.buyerVatId;
  r.check('BR-O-02', (line(f, 'O') && noVatIds) || !line(f, 'O'), f.root);
  r.check('BR-O-03', (docAc(f, false) && noVatIds) || !docAc(f, false), f.root);
  r.check('BR-O-04', (docAc(f, true) && noVatIds) || !docAc(f, true), f.root);
}

// --- IC-11/12 and O-11..14 on the invoice.

const isVatK = (c: XmlElement) => isVat(c) && codeIs(c, 'K');
const isVatO = (c: XmlElement) => isVat(c) && codeIs(c, 'O');
const isVatNotO = (c: XmlElement) => isVat(c) && !codeIs(c, 'O');
const hasChildren = (e: XmlElement) => e.children.length > 0;
const isAllowanceNotO = (ac: AcInfo) => ac.ind === false && ac.cats.some(isVatNotO);
const isChargeNotO = (ac: AcInfo) => ac.ind === true && ac.cats.some(isVatNotO);

/** BR-IC-11/12 on the invoice: an intra-community supply has a delivery date or period, and a delivery country. */
function checkIntraCommunityDelivery(f: Facts, r: Reporter): void {
  const root = f.root;
  const hasK = f.breakdownCats.some(isVatK);
  r.check(
    'BR-IC-11',
    !hasK ||
      [...(P.str(root, 'cac:Delivery/cbc:ActualDeliveryDate') ?? '')].length > 1 ||
      P.all(root, 'cac:InvoicePeriod').some(hasChildren),
    root,
  );
  r.check('BR-IC-12', !hasK || [...(P.str(root, 'cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode') ?? '')].length > 1, root);
}

/** BR-O-11..14 on the invoice: a breakdown not subject to VAT excludes every other VAT category. */
function checkNotSubjectAlone(f: Facts, r: Reporter): void {
  const hasO = f.breakdownCats.some(isVatO);
  r.check('BR-O-11', !hasO || !f.breakdownCats.some(isVatNotO), f.root);
  r.check('BR-O-12', !hasO || !f.classified.some(isVatNotO), f.root);
  r.check('BR-O-13', !hasO || !f.acs.some(isAllowanceNotO), f.root);
  r.check('BR-O-14', !hasO || !f.acs.some(isChargeNotO), f.root);
}

// --- Split payment.

const isRawB = (c: XmlElement) => rawIdIs(c, 'B');
const isRawS = (c: XmlElement) => rawIdIs(c, 'S');
const notItaly = (c: XmlElement) => stringValue(c) !== 'IT';
const catsOf = (ac: AcInfo) => ac.cats;

/** BR-B-01 on the invoice: split payment only in Italy. */
function checkSplitPaymentItaly(doc: XmlDocument, f: Facts, r: Reporter): void {
  const hasB = f.taxCats.some(isRawB) || f.classified.some(isRawB);
  const nonIt = P.desc(doc, 'cbc:IdentificationCode').some(notItaly);
  r.check('BR-B-01', (!nonIt && hasB) || !hasB, f.root);
}

/** BR-B-02 on the invoice: split payment and standard rate are not mixed. */
function checkSplitPaymentNotStandard(f: Facts, r: Reporter): void {
  const rootAcCats = f.rootAcs.flatMap(catsOf);
  const bUsed = f.breakdownCats.some(isRawB) || rootAcCats.some(isRawB) || f.classified.some(isRawB);
  const sUsed = rootAcCats.some(isRawS) || f.classified.some(isRawS);
  r.check('BR-B-02', (bUsed && !sUsed) || !bUsed, f.root);
}

// --- Per category: breakdown (08/09/10), allowance (06), charge (07), line (05).

/** cac:TaxTotal/cac:TaxSubtotal: BR-x-08/09/10 on each of its VAT categories. */
function checkBreakdownSubtotal(f: Facts, st: XmlElement, r: Reporter): void {
  for (const cat of P.kids(st, 'cac:TaxCategory')) {
    if (!isVat(cat)) continue;
    const code = categoryCode(cat) as Cat;
    const fam = FAMILY[code];
    if (!fam) continue;
    if (code === 'S' || code === 'L' || code === 'M') checkRatedBreakdown(f, st, cat, code, fam, r);
    else checkUnratedBreakdown(f, st, cat, code, fam, r);
  }
}

const hasExemption = (cat: XmlElement) => P.has(cat, 'cbc:TaxExemptionReason') || P.has(cat, 'cbc:TaxExemptionReasonCode');

/** cac:TaxSubtotal/cac:TaxCategory S, L or M: taxable amount of the rate, tax at the rate, no exemption reason. */
function checkRatedBreakdown(f: Facts, st: XmlElement, cat: XmlElement, code: Cat, fam: string, r: Reporter): void {
  const taxable = dec(P.str(st, 'cbc:TaxableAmount'));
  const tax = dec(P.str(st, 'cbc:TaxAmount'));
  r.check(`${fam}-08`, ratedTaxableMatches(f, cat, code, taxable), cat);
  r.check(`${fam}-09`, taxAtRate(cat, taxable, tax), cat);
  r.check(`${fam}-10`, !hasExemption(cat), cat);
}

/** BR-S/AF/AG-08: the taxable amount of a rate is the sum of the lines, allowances and charges at that rate. */
function ratedTaxableMatches(f: Facts, cat: XmlElement, code: Cat, taxable: Dec | null): boolean {
  if (!P.has(cat, 'cbc:Percent')) return true;
  const rate = dec(P.str(cat, 'cbc:Percent'));
  if (code === 'S') {
    return (
      (standardRateUsed(f, f.invoiceLineInfo, rate) && within(f, f.invoiceLineInfo, code, rate, taxable)) ||
      (standardRateUsed(f, f.creditLineInfo, rate) && within(f, f.creditLineInfo, code, rate, taxable))
    );
  }
  return (
    (f.invoiceLines.length > 0 && within(f, f.invoiceLineInfo, code, rate, taxable)) ||
    (f.creditLines.length > 0 && within(f, f.creditLineInfo, code, rate, taxable))
  );
}

/** BR-S/AF/AG-09: the tax amount is the taxable amount times the rate, within 1. */
function taxAtRate(cat: XmlElement, taxable: Dec | null, tax: Dec | null): boolean {
  const pct = dec(P.str(cat, 'cbc:Percent'));
  if (tax === null || taxable === null || pct === null) return false;
  const expected = round2(taxable.abs().times(pct.div(100)));
  return tax.abs().minus(1).lt(expected) && tax.abs().plus(1).gt(expected);
}

/** cac:TaxSubtotal/cac:TaxCategory of the other codes: taxable amount of the lines, zero tax, exemption reason. */
function checkUnratedBreakdown(f: Facts, st: XmlElement, cat: XmlElement, code: Cat, fam: string, r: Reporter): void {
  const taxable = dec(P.str(st, 'cbc:TaxableAmount'));
  const tax = dec(P.str(st, 'cbc:TaxAmount'));
  const ok08 =
    (f.invoiceLines.length > 0 && taxable !== null && taxable.eq(expectedTaxable(f, f.invoiceLineInfo, code))) ||
    (f.creditLines.length > 0 && taxable !== null && taxable.eq(expectedTaxable(f, f.creditLineInfo, code)));
  r.check(`${fam}-08`, ok08, cat);
  r.check(`${fam}-09`, tax !== null && tax.isZero(), cat);
  const exemption = hasExemption(cat);
  r.check(`${fam}-10`, code === 'Z' ? !exemption : exemption, cat);
}

/** cac:AllowanceCharge/cac:TaxCategory: BR-x-06 (allowance) and BR-x-07 (charge), the category's rate. */
function checkAllowanceChargeRates(f: Facts, r: Reporter): void {
  for (const ac of f.acs) {
    if (ac.ind === null) continue;
    const suffix = ac.ind ? '07' : '06';
    for (const cat of ac.cats) checkCategoryRate(cat, suffix, r);
  }
}

/** cac:InvoiceLine (or cac:CreditNoteLine)/cac:Item/cac:ClassifiedTaxCategory: BR-x-05, the category's rate. */
function checkLineRates(f: Facts, r: Reporter): void {
  for (const l of f.invoiceLineInfo) for (const cat of l.cats) checkCategoryRate(cat, '05', r);
  for (const l of f.creditLineInfo) for (const cat of l.cats) checkCategoryRate(cat, '05', r);
}

function checkCategoryRate(cat: XmlElement, suffix: string, r: Reporter): void {
  if (!isVat(cat)) return;
  const code = categoryCode(cat) as Cat;
  if (!FAMILY[code]) return;
  r.check(`${FAMILY[code]}-${suffix}`, rateCheck(code, P.str(cat, 'cbc:Percent'), P.has(cat, 'cbc:Percent')), cat);
}

// --- Helpers.

function anyCat(f: Facts, code: string, vat: boolean): boolean {
  return f.taxCats.some((c) => codeIs(c, code) && (!vat || isVat(c))) || f.classified.some((c) => codeIs(c, code) && (!vat || isVat(c)));
}

function breakdownCount(f: Facts, code: string, vat: boolean, raw = false): number {
  let n = 0;
  for (const c of f.breakdownCats) if ((raw ? rawIdIs(c, code) : codeIs(c, code)) && (!vat || isVat(c))) n++;
  return n;
}

function line(f: Facts, code: string): boolean {
  return lineCats(f, code, true) > 0;
}

function allowance(f: Facts, code: string): boolean {
  return acCats(f, false, code, true) > 0;
}

function charge(f: Facts, code: string): boolean {
  return acCats(f, true, code, true) > 0;
}

function docAc(f: Facts, charge: boolean): boolean {
  return f.rootAcs.some((ac) => ac.ind === charge && ac.cats.some(isVatO));
}

/** The taxable amount of a rated category within 1 of the lines' and document allowances' and charges' sum. */
function within(f: Facts, ls: LineInfo[], code: string, rate: Dec | null, taxable: Dec | null): boolean {
  if (taxable === null) return false;
  const expected = linesSum(ls, code, rate).plus(docAcSum(f, true, code, rate)).minus(docAcSum(f, false, code, rate));
  return taxable.minus(1).lt(expected) && taxable.plus(1).gt(expected);
}

const isS = (c: XmlElement) => codeIs(c, 'S');

/** The standard rate used on a line or an allowance or charge. */
function standardRateUsed(f: Facts, ls: LineInfo[], rate: Dec | null): boolean {
  return (
    ls.some((l) => l.cats.some(isS) && l.cats.some((c) => eqDec(percentOf(c), rate))) ||
    f.acs.some((ac) => ac.cats.some(isS) && ac.cats.some((c) => eqDec(percentOf(c), rate)))
  );
}

function expectedTaxable(f: Facts, ls: LineInfo[], code: string): Dec {
  return linesSum(ls, code).plus(docAcSum(f, true, code)).minus(docAcSum(f, false, code));
}

function rateCheck(code: Cat, pct: string | undefined, hasPct: boolean): boolean {
  switch (code) {
    case 'S':
      return num(pct) > 0;
    case 'O':
      return !hasPct;
    case 'L':
    case 'M':
      return num(pct) >= 0;
    default: {
      const d = dec(pct);
      return d !== null && d.isZero();
    }
  }
}

function eqDec(a: Dec | null, b: Dec | null): boolean {
  return a !== null && b !== null && a.eq(b);
}
