import { D, dec, round2, stringValue, type Dec, type Reporter, type RuleFamily } from '../../engine.ts';
import type { XmlDocument, XmlElement } from '../../xml/tree.ts';
import { VAT_FAMILY, VAT_FAMILY_IDS, withinOne } from '../shared.ts';
import { P, RAM, ciiRoot, hasCategory, indicator, isVatTax, roundD, taxIdOf, toDouble } from './common.ts';
import { mapped } from '../../../shared/mapped.ts';

/**
 * The VAT category families bound to CII: BR-S, Z, E, AE, IC (K), G, O, AF (L), AG (M), and the split
 * payment rules BR-B. Contexts as in the official binding: breakdown rules on the breakdown's
 * ram:CategoryCode (S, Z, E, AE, K, G) or on the ram:ApplicableTradeTax (O, L, M); line rules on the
 * line's ram:ApplicableTradeTax; allowance/charge rules on ram:CategoryTradeTax. The VAT families'
 * "-01" rules sit in the invoice context and count categories without the VAT scheme filter.
 */

type Where = 'line' | 'allowance' | 'charge';

const valueOf = (x: XmlElement): number => toDouble(stringValue(x));
const decOf = (x: XmlElement): Dec | null => dec(stringValue(x));
const positive = (x: XmlElement): boolean => valueOf(x) > 0;
const nonNegative = (x: XmlElement): boolean => valueOf(x) >= 0;
const isZero = (x: XmlElement): boolean => valueOf(x) === 0;
const someZero = (r: XmlElement[]): boolean => r.some(isZero);

const RATE_RULE: Record<string, (rate: XmlElement[]) => boolean> = {
  S: (r) => r.some(positive),
  L: (r) => r.some(positive),
  M: (r) => r.some(nonNegative),
  O: (r) => r.length === 0,
  Z: someZero,
  E: someZero,
  AE: someZero,
  K: someZero,
  G: someZero,
};
const RULE_NO: Record<Where, [party: string, rate: string]> = { line: ['02', '05'], allowance: ['03', '06'], charge: ['04', '07'] };
/** The ids of those rules by place and category: [party rule, rate rule]. */
const TAX_RULES = Object.fromEntries(
  (Object.keys(RULE_NO) as Where[]).map((w) => [w, Object.fromEntries(Object.keys(VAT_FAMILY).map((c) => [c, RULE_NO[w].map((n) => `${VAT_FAMILY[c]}-${n}`)]))]),
) as Record<Where, Record<string, [party: string, rate: string]>>;

/** xs:decimal sum of values that are decimals. */
const ZERO = new D(0);

function sumD(values: string[]): Dec {
  let s = ZERO;
  for (const v of values) {
    const d = dec(v);
    if (d) s = s.plus(d);
  }
  return s;
}

function count(taxes: XmlElement[], code: string): number {
  let n = 0;
  for (const t of taxes) if (hasCategory(t, code)) n++;
  return n;
}

/** What the taxable amounts are summed from, read once per document: the lines' settlements and the header allowances and charges. */
interface Sums {
  lines: Array<{ taxes: XmlElement[]; amounts: string[] }>;
  acs: Array<{ ind: boolean | null; taxes: XmlElement[]; amounts: string[] }>;
}

/** Trade taxes of which one has the category `code` and (if a rate is given) one the rate `rate`. */
function taxesMatch(taxes: XmlElement[], code: string, rate?: Dec): boolean {
  if (!taxes.some((t) => hasCategory(t, code))) return false;
  if (rate === undefined) return true;
  return taxes.some((t) => P.kids(t, 'ram:RateApplicablePercent').some((x) => dec(stringValue(x))?.eq(rate) ?? false));
}

function acSum(sums: Sums, charge: boolean, code: string, rate?: Dec): Dec {
  const values: string[] = [];
  for (const ac of sums.acs) if (ac.ind === charge && taxesMatch(ac.taxes, code, rate)) values.push(...ac.amounts);
  return sumD(values);
}

/** round2(Σ lines) + round2(Σ charges) − round2(Σ allowances) for the category (and rate). */
function expectedTaxable(sums: Sums, code: string, rate?: Dec): Dec {
  const lineValues: string[] = [];
  for (const l of sums.lines) if (taxesMatch(l.taxes, code, rate)) lineValues.push(...l.amounts);
  return round2(sumD(lineValues)).plus(round2(acSum(sums, true, code, rate))).minus(round2(acSum(sums, false, code, rate)));
}

const exemption = (t: XmlElement) => P.has(t, 'ram:ExemptionReason') || P.has(t, 'ram:ExemptionReasonCode');
const zeroTax = (t: XmlElement) => P.kids(t, 'ram:CalculatedAmount').some(isZero);
const isNotO = (c: XmlElement) => stringValue(c) !== 'O';
const hasNotOCode = (x: XmlElement) => P.kids(x, 'ram:CategoryCode').some(isNotO);
const notO = (taxes: XmlElement[]) => taxes.some(hasNotOCode);

const VAT_CODES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'];
/** The X-01 rules asking for at least one breakdown of the category, and those asking for exactly one. */
const AT_LEAST_ONE_CODES = ['S', 'L', 'M'];
const EXACTLY_ONE_CODES = ['Z', 'E', 'AE', 'K', 'G'];

/** Lines, allowances and charges: parties (02/03/04) and rate (05/06/07). */
function checkTax(r: Reporter, partyRule: Record<string, boolean>, t: XmlElement, where: Where): void {
  if (!isVatTax(t)) return;
  for (const c of VAT_CODES) {
    if (!hasCategory(t, c)) continue;
    const [partyId, rateId] = TAX_RULES[where][c]!;
    r.check(partyId, partyRule[c], t);
    r.check(rateId, RATE_RULE[c](P.kids(t, 'ram:RateApplicablePercent')), t);
    break;
  }
}

// --- What the rule blocks share, read once per document.

/** The document's parts the blocks below read. */
interface VatDoc {
  readonly doc: XmlDocument;
  readonly root: XmlElement;
  readonly txs: XmlElement[];
  readonly settlements: XmlElement[];
  /** ram:ApplicableTradeTax of the lines' and of the header settlements. */
  readonly lineTaxes: XmlElement[];
  readonly headerTaxes: XmlElement[];
  readonly categoryTaxes: XmlElement[];
  /** The party rule (X-02/03/04) of each category, which only depends on the document. */
  readonly partyRule: Record<string, boolean>;
  readonly sums: Sums;
}

const VA = ['VA'];
const VA_FC = ['VA', 'FC'];
const hasVaId = (p: XmlElement): boolean => taxIdOf(p, VA);
const hasVaOrFcId = (p: XmlElement): boolean => taxIdOf(p, VA_FC);
const hasLegalId = (p: XmlElement): boolean => P.has(p, 'ram:SpecifiedLegalOrganization/ram:ID');
const agreementsOf = (tx: XmlElement): XmlElement[] => P.kids(tx, 'ram:ApplicableHeaderTradeAgreement');
const settlementsOf = (tx: XmlElement): XmlElement[] => P.kids(tx, 'ram:ApplicableHeaderTradeSettlement');
const linesOf = (tx: XmlElement): XmlElement[] => P.kids(tx, 'ram:IncludedSupplyChainTradeLineItem');
const lineSettlementsOf = (l: XmlElement): XmlElement[] => P.kids(l, 'ram:SpecifiedLineTradeSettlement');
const allowanceChargesOf = (s: XmlElement): XmlElement[] => P.kids(s, 'ram:SpecifiedTradeAllowanceCharge');
const sellersOf = (a: XmlElement): XmlElement[] => P.kids(a, 'ram:SellerTradeParty');
const taxRepsOf = (a: XmlElement): XmlElement[] => P.kids(a, 'ram:SellerTaxRepresentativeTradeParty');

const lineSums = (ls: XmlElement): Sums['lines'][number] => ({
  taxes: P.kids(ls, 'ram:ApplicableTradeTax'),
  amounts: mapped(P.all(ls, 'ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount'), stringValue),
});
const allowanceChargeSums = (ac: XmlElement): Sums['acs'][number] => ({
  ind: indicator(ac),
  taxes: P.kids(ac, 'ram:CategoryTradeTax'),
  amounts: mapped(P.kids(ac, 'ram:ActualAmount'), stringValue),
});

function readVatDoc(doc: XmlDocument, root: XmlElement): VatDoc {
  const txs = P.kids(root, 'rsm:SupplyChainTradeTransaction');
  const settlements = txs.flatMap(settlementsOf);
  // Every trade tax of the document by role (the official tests use // paths).
  const lineTaxes: XmlElement[] = [];
  const headerTaxes: XmlElement[] = [];
  for (const t of P.desc(doc, 'ram:ApplicableTradeTax')) {
    const p = t.parent;
    if (p?.ns !== RAM) continue;
    if (p.local === 'SpecifiedLineTradeSettlement') lineTaxes.push(t);
    else if (p.local === 'ApplicableHeaderTradeSettlement') headerTaxes.push(t);
  }
  return {
    doc,
    root,
    txs,
    settlements,
    lineTaxes,
    headerTaxes,
    categoryTaxes: P.desc(doc, 'ram:CategoryTradeTax'),
    partyRule: partyRules(doc, txs.flatMap(agreementsOf)),
    sums: {
      lines: mapped(txs.flatMap(linesOf).flatMap(lineSettlementsOf), lineSums),
      acs: mapped(settlements.flatMap(allowanceChargesOf), allowanceChargeSums),
    },
  };
}

/** For each category, whether the seller, tax representative and buyer identifiers its party rule asks for are there. */
function partyRules(doc: XmlDocument, agreements: XmlElement[]): Record<string, boolean> {
  const sellersAbs = agreements.flatMap(sellersOf);
  const taxRepsAbs = agreements.flatMap(taxRepsOf);
  const sellerVaFc = sellersAbs.some(hasVaOrFcId) || taxRepsAbs.some(hasVaId);
  const anySellerVaFc = P.desc(doc, 'ram:SellerTradeParty').some(hasVaOrFcId);
  const anySellerVa = P.desc(doc, 'ram:SellerTradeParty').some(hasVaId);
  const anyTaxRepVa = P.desc(doc, 'ram:SellerTaxRepresentativeTradeParty').some(hasVaId);
  const buyers = P.desc(doc, 'ram:BuyerTradeParty');
  const anyBuyerVa = buyers.some(hasVaId);
  const anyBuyerLegal = buyers.some(hasLegalId);
  const noVatIds = !sellersAbs.some(hasVaId) && !taxRepsAbs.some(hasVaId) && !anyBuyerVa;
  return {
    S: sellerVaFc,
    Z: sellerVaFc,
    E: sellerVaFc,
    L: sellerVaFc,
    M: sellerVaFc,
    AE: (anySellerVaFc || anyTaxRepVa) && (anyBuyerVa || anyBuyerLegal),
    K: (anySellerVa || anyTaxRepVa) && anyBuyerVa,
    G: anySellerVa || anyTaxRepVa,
    O: noVatIds,
  };
}

// --- The invoice: X-01 and split payment.

/** Invoice context, BR-S-01, BR-AF-01, BR-AG-01: a category used on lines or allowances/charges is in the breakdown. */
function checkCategoryInBreakdown(r: Reporter, v: VatDoc, code: string): void {
  const line = count(v.lineTaxes, code);
  const head = count(v.headerTaxes, code);
  const cat = count(v.categoryTaxes, code);
  r.check(`${VAT_FAMILY[code]}-01`, (line + head >= 2 || line === 0) && (cat + head >= 2 || cat === 0), v.root);
}

/** Invoice context, BR-Z/E/AE/IC/G-01: a category used on lines or allowances/charges has exactly one breakdown. */
function checkCategoryHasOneBreakdown(r: Reporter, v: VatDoc, code: string): void {
  const line = count(v.lineTaxes, code);
  const head = count(v.headerTaxes, code);
  const cat = count(v.categoryTaxes, code);
  r.check(`${VAT_FAMILY[code]}-01`, (head === 0 && line === 0 && cat === 0) || (head === 1 && (line > 0 || cat > 0)), v.root);
}

/** Invoice context, BR-O-01: at most one 'not subject to VAT' breakdown, and only if the category is used. */
function checkNotSubjectHasOneBreakdown(r: Reporter, v: VatDoc): void {
  const head = count(v.headerTaxes, 'O');
  r.check('BR-O-01', head === 0 || (head === 1 && (count(v.lineTaxes, 'O') > 0 || count(v.categoryTaxes, 'O') > 0)), v.root);
}

const notItaly = (c: XmlElement): boolean => stringValue(c) !== 'IT';

/** Invoice context, BR-B-01, BR-B-02: split payment only in Italy and not mixed with standard rate. */
function checkSplitPayment(r: Reporter, v: VatDoc): void {
  const codes = mapped(P.desc(v.doc, 'ram:CategoryCode'), stringValue);
  const hasB = codes.includes('B');
  const nonItaly = P.desc(v.doc, 'ram:CountryID').some(notItaly);
  r.check('BR-B-01', (!nonItaly && hasB) || !hasB, v.root);
  r.check('BR-B-02', (hasB && !codes.includes('S')) || !hasB, v.root);
}

// --- Breakdowns.

/** The header ram:ApplicableTradeTax: by category code, then (O, L, M with the VAT filter) by trade tax. */
function checkBreakdowns(r: Reporter, v: VatDoc): void {
  for (const s of v.settlements) {
    for (const t of P.kids(s, 'ram:ApplicableTradeTax')) {
      const vat = isVatTax(t);
      checkBreakdownCategoryCodes(r, v, s, t, vat);
      if (!vat) continue;
      if (hasCategory(t, 'O')) checkNotSubjectBreakdown(r, v, t);
      else if (hasCategory(t, 'L') || hasCategory(t, 'M')) checkIgicIpsiBreakdown(r, t);
    }
  }
}

/** Category-code contexts (S and Z without the VAT filter; E, AE, K, G with it). */
function checkBreakdownCategoryCodes(r: Reporter, v: VatDoc, s: XmlElement, t: XmlElement, vat: boolean): void {
  for (const cc of P.kids(t, 'ram:CategoryCode')) {
    const code = stringValue(cc);
    if (!(code === 'S' || code === 'Z' || (vat && (code === 'E' || code === 'AE' || code === 'K' || code === 'G')))) continue;
    const basis = mapped(P.kids(t, 'ram:BasisAmount'), valueOf);
    if (code === 'S') {
      checkStandardRatedBreakdown(r, v.sums, t, cc, basis);
    } else {
      checkZeroVatBreakdown(r, v.sums, t, cc, code, basis);
      if (code === 'K') checkIntraCommunityBreakdown(r, v.root, s, cc);
    }
  }
}

/** ram:CategoryCode = 'S' of a breakdown: BR-S-08 (taxable amount per rate), BR-S-09 (VAT amount), BR-S-10. */
function checkStandardRatedBreakdown(r: Reporter, sums: Sums, t: XmlElement, cc: XmlElement, basis: number[]): void {
  r.check('BR-S-08', standardTaxableMatches(sums, t, basis), cc);
  r.check('BR-S-09', standardVatMatches(t), cc);
  r.check('BR-S-10', !exemption(t), cc);
}

function standardTaxableMatches(sums: Sums, t: XmlElement, basis: number[]): boolean {
  const rates = mapped(P.kids(t, 'ram:RateApplicablePercent'), decOf);
  return rates.every((rate) => {
    if (rate === null) return true;
    const expected = expectedTaxable(sums, 'S', rate).toNumber();
    return basis.some((b) => b === expected);
  });
}

function standardVatMatches(t: XmlElement): boolean {
  const calc = P.first(t, 'ram:CalculatedAmount');
  const ba = dec(P.str(t, 'ram:BasisAmount'));
  const rateD = mapped(P.kids(t, 'ram:RateApplicablePercent'), valueOf);
  if (!calc || !ba || !rateD.length) return false;
  const ca = dec(stringValue(calc));
  if (!ca) return false;
  const expected = roundD(ba.abs().toNumber() * rateD[0]) / 100;
  return withinOne(ca.abs(), expected);
}

/** ram:CategoryCode = 'Z', 'E', 'AE', 'K' or 'G' of a breakdown: X-08 (taxable amount), X-09 (no VAT), X-10 (exemption). */
function checkZeroVatBreakdown(r: Reporter, sums: Sums, t: XmlElement, cc: XmlElement, code: string, basis: number[]): void {
  const fam = VAT_FAMILY[code];
  const expected = expectedTaxable(sums, code).toNumber();
  r.check(`${fam}-08`, basis.some((b) => withinOne(b, expected)), cc);
  r.check(`${fam}-09`, zeroTax(t), cc);
  r.check(`${fam}-10`, code === 'Z' ? !exemption(t) : exemption(t), cc);
}

/** ram:CategoryCode = 'K' of a breakdown: BR-IC-11 (delivery date or invoicing period), BR-IC-12 (deliver-to country). */
function checkIntraCommunityBreakdown(r: Reporter, root: XmlElement, s: XmlElement, cc: XmlElement): void {
  const delivered = P.all(
    root,
    'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString',
  ).length > 0;
  const period = P.has(s, 'ram:BillingSpecifiedPeriod/ram:StartDateTime') || P.has(s, 'ram:BillingSpecifiedPeriod/ram:EndDateTime');
  r.check('BR-IC-11', delivered || period, cc);
  r.check(
    'BR-IC-12',
    P.has(root, 'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID'),
    cc,
  );
}

/** ram:ApplicableTradeTax[ram:CategoryCode = 'O']: BR-O-08 to BR-O-14. */
function checkNotSubjectBreakdown(r: Reporter, v: VatDoc, t: XmlElement): void {
  const expected = expectedTaxable(v.sums, 'O').toNumber();
  r.check('BR-O-08', P.kids(t, 'ram:BasisAmount').some((b) => toDouble(stringValue(b)) === expected), t);
  r.check('BR-O-09', zeroTax(t), t);
  r.check('BR-O-10', exemption(t), t);
  const allApplicable = P.desc(v.doc, 'ram:ApplicableTradeTax');
  r.check('BR-O-11', !notO(allApplicable), t);
  r.check('BR-O-12', !notO(allApplicable), t);
  r.check('BR-O-13', !notO(v.categoryTaxes), t);
  r.check('BR-O-14', !notO(v.categoryTaxes), t);
}

/** ram:ApplicableTradeTax[ram:CategoryCode = 'L' or 'M'] (IGIC, IPSI): BR-AF/AG-08, 09, 10. */
function checkIgicIpsiBreakdown(r: Reporter, t: XmlElement): void {
  const fam = hasCategory(t, 'L') ? 'BR-AF' : 'BR-AG';
  // X-08 iterates over ../ram:RateApplicablePercent from the ApplicableTradeTax, an empty
  // sequence: the official test never fails. X-09 is true() (duplicate of BR-CO-17).
  r.check(`${fam}-08`, true, t);
  r.check(`${fam}-09`, true, t);
  r.check(`${fam}-10`, !exemption(t), t);
}

// --- Lines, allowances and charges: parties (02/03/04) and rate (05/06/07).

/** The lines' ram:ApplicableTradeTax: X-02 and X-05. */
function checkLineTaxes(r: Reporter, v: VatDoc): void {
  for (const txEl of v.txs) {
    for (const l of P.kids(txEl, 'ram:IncludedSupplyChainTradeLineItem')) {
      for (const t of P.all(l, 'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax')) checkTax(r, v.partyRule, t, 'line');
    }
  }
}

/** ram:CategoryTradeTax of allowances and charges. */
function checkAllowanceChargeTaxes(r: Reporter, v: VatDoc): void {
  for (const ac of P.desc(v.doc, 'ram:SpecifiedTradeAllowanceCharge')) {
    const ind = indicator(ac);
    if (ind === null) continue;
    for (const t of P.kids(ac, 'ram:CategoryTradeTax')) checkTax(r, v.partyRule, t, ind ? 'charge' : 'allowance');
  }
}

export const ciiVat: RuleFamily = {
  name: 'en16931-cii-vat',
  syntax: 'cii',
  ids: VAT_FAMILY_IDS,
  run(doc, r) {
    const root = ciiRoot(doc);
    if (!root) return;
    const v = readVatDoc(doc, root);
    for (const code of AT_LEAST_ONE_CODES) checkCategoryInBreakdown(r, v, code);
    for (const code of EXACTLY_ONE_CODES) checkCategoryHasOneBreakdown(r, v, code);
    checkNotSubjectHasOneBreakdown(r, v);
    checkSplitPayment(r, v);
    checkBreakdowns(r, v);
    checkLineTaxes(r, v);
    checkAllowanceChargeTaxes(r, v);
  },
};
