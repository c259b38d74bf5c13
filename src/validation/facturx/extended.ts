import { D, dec, num, round2, sumDec, type Dec, type Reporter } from '../engine.ts';
import { CII_NS, P, ciiRoot, hasCategory, indicator, isVatTax, roundD, sumDouble } from '../en16931/cii/common.ts';
import { attr, hasAncestor, normalizeSpace, stringValue, type XmlDocument, type XmlElement } from '../xml/tree.ts';
import { indicatorIs } from './structure.ts';
import { EXTENDED_TEXTS } from './extended-texts.ts';

/**
 * The business rules of the Factur-X 1.09 EXTENDED Schematron ("Factur-X; 1.09; EN16931-CONFORMANT-EXTENDED",
 * compiled XSLT Factur-X/EXTENDED/xsl/Factur-X_1.09_EXTENDED.xslt of fnfempe/France_RFE, whose readable source
 * carries the same tests): the BR-FXEXT-* rules that replace the EN 16931 sums and VAT breakdown checks (a
 * rounding tolerance of 0.01 per amount summed, logistics service fees BT-X-272 counted as charges, only the
 * lines whose subtype BT-X-8 is DETAIL or absent), and its own checks on line hierarchies (GROUP lines, parent
 * line IDs), notes, tax registrations and date formats. Each test is written as the XSLT evaluates it: xs:decimal
 * sums are exact, `sum()` of untyped values is a double sum rounded to cents as XPath does, and a `for` over an
 * absent BT-116 / BT-119 / BT-106 yields nothing, which fails the assertion; over a repeated one the XSLT stops
 * (see SINGLE_NOT_COUNTED).
 */

export { EXTENDED_TEXTS };

/**
 * The EN 16931 rules the EXTENDED Schematron still carries, read from its business patterns: the others are
 * replaced by a BR-FXEXT version (sums, VAT breakdown -08 / S-09, line quantities and prices, charge reasons,
 * BT-115) or absent (BR-27 / 28 on prices, BR-CO-17, BR-CO-24, the -10 checks of S / Z / L / M, BR-O-02…04,
 * BR-O-08, BR-O-11…14, BR-X-08 of every category).
 */
export const EXTENDED_EMBEDDED = new Set([
  ...'01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 25 29 30 31 32 33 36 37 41 42 43 45 46 47 48 49 50 51 52 53 54 55 56 57 61 62 63 64 65'.split(' ').map((n) => `BR-${n}`),
  ...'03 05 07 09 14 18 19 20 21 23 25 26 27'.split(' ').map((n) => `BR-CO-${n}`),
  ...'01 02 05 06 09 10 11 12 13 14 15 16 17 18 19 20 23 24 25 27 28'.split(' ').map((n) => `BR-DEC-${n}`),
  ...['BR-S', 'BR-Z', 'BR-E', 'BR-AE', 'BR-IC', 'BR-G', 'BR-AF', 'BR-AG'].flatMap((f) => ['01', '02', '03', '04', '05', '06', '07'].map((n) => `${f}-${n}`)),
  'BR-O-01', 'BR-O-05', 'BR-O-06', 'BR-O-07', 'BR-O-09', 'BR-O-10',
  'BR-Z-09', 'BR-E-09', 'BR-E-10', 'BR-AE-09', 'BR-AE-10', 'BR-G-09', 'BR-G-10', 'BR-IC-09', 'BR-IC-10', 'BR-IC-11', 'BR-IC-12', 'BR-AF-09', 'BR-AG-09',
  'BR-B-01', 'BR-B-02', 'CII-SR-463',
]);

/** The VAT categories with a -08 family in the EXTENDED Schematron, by code, with the family's name. */
const FAMILY: Record<string, string> = { AE: 'AE', E: 'E', G: 'G', K: 'IC', L: 'AF', M: 'AG', O: 'O', S: 'S', Z: 'Z' };
const FATAL_08: Record<string, string> = { AE: 'BR-FXEXT-AE-08b', E: 'BR-FXEXT-E-08b', G: 'BR-FXEXT-G-08b', K: 'BR-FXEXT-IC-08b', L: 'BR-FXEXT-AF-08b', M: 'BR-FXEXT-AG-08b', O: 'BR-FXEXT-O-08b', S: 'BR-FXEXT-S08b', Z: 'BR-FXEXT-Z-08b' };

/** What a breakdown (BG-23) selects lines, allowances, charges and logistics fees by. */
interface Key {
  code: string;
  /** BT-119; undefined for O, whose tests have no rate. */
  rate?: Dec;
  /** BT-121 / BT-120 normalised, when the test compares the exemption reasons too. */
  exemption?: { code: string; text: string };
}

const firstNormalized = (taxes: XmlElement[], name: string) => {
  const el = taxes.flatMap((t) => P.kids(t, name))[0];
  return el ? normalizeSpace(stringValue(el)) : '';
};

/** The predicate on a line settlement, allowance or logistics charge: general comparisons over its taxes. */
function matches(taxes: XmlElement[], key: Key): boolean {
  if (!taxes.some((t) => hasCategory(t, key.code))) return false;
  const rate = key.rate;
  if (rate && !taxes.some((t) => P.kids(t, 'ram:RateApplicablePercent').some((x) => dec(stringValue(x))?.eq(rate) ?? false))) return false;
  if (key.exemption) {
    if (firstNormalized(taxes, 'ram:ExemptionReasonCode') !== key.exemption.code) return false;
    if (firstNormalized(taxes, 'ram:ExemptionReason') !== key.exemption.text) return false;
  }
  return true;
}

/** Not subtyped, or subtyped DETAIL (BT-X-8): the lines the EXTENDED sums count. */
export function isDetailLine(line: XmlElement): boolean {
  const status = P.all(line, 'ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode');
  return status.length === 0 || status.some((s) => stringValue(s) === 'DETAIL');
}

/** xs:decimal(round(sum(xs:decimal values) * 100) div 100). */
const cents = (values: string[]): Dec => round2(sumDec(values.map((v) => dec(v))));
/** xs:decimal(round(sum(untyped values) * 100) div 100): the sum is a double, as XPath computes it. */
const centsOfDouble = (values: string[]): Dec => new D(String(roundD(sumDouble(values) * 100) / 100));
const values = (els: XmlElement[], path: string) => els.flatMap((e) => P.all(e, path).map(stringValue));
const firstDec = (el: XmlElement, path: string): Dec | null => {
  const f = P.first(el, path);
  return f ? dec(stringValue(f)) : null;
};
const within = (diff: Dec, count: number) => diff.abs().lte(new D('0.01').times(count));

interface Parts {
  lines: XmlElement[];
  acs: XmlElement[];
  logistics: XmlElement[];
}

/** |BT-116 − Σ BT-131 + Σ BT-92 − Σ BT-99 − Σ BT-X-272| ≤ 0.01 × (lines + allowances and charges + fees), for one key. */
function breakdownHolds(basis: Dec, parts: Parts, key: Key): boolean {
  const settlements = parts.lines.filter(isDetailLine).flatMap((l) => P.kids(l, 'ram:SpecifiedLineTradeSettlement'));
  const lineSum = cents(values(settlements.filter((s) => matches(P.kids(s, 'ram:ApplicableTradeTax'), key)), 'ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount'));
  const acs = parts.acs.filter((ac) => matches(P.kids(ac, 'ram:CategoryTradeTax'), key));
  const allowances = cents(values(acs.filter((ac) => indicator(ac) === false), 'ram:ActualAmount'));
  const charges = cents(values(acs.filter((ac) => indicator(ac) === true), 'ram:ActualAmount'));
  const fees = parts.logistics.filter((lc) => matches(P.kids(lc, 'ram:AppliedTradeTax'), key));
  const feeSum = cents(values(fees, 'ram:AppliedAmount'));
  const nbLines = parts.lines.filter((l) => isDetailLine(l) && P.kids(l, 'ram:SpecifiedLineTradeSettlement').some((s) => matches(P.kids(s, 'ram:ApplicableTradeTax'), key))).length;
  return within(basis.minus(lineSum).plus(allowances).minus(charges).minus(feeSum), nbLines + acs.length + fees.length);
}

/** Counts of lines, allowances / charges and fees of a key (BR-FXEXT-S-09b's tolerance). */
function countOf(parts: Parts, key: Key): number {
  const lines = parts.lines.filter((l) => isDetailLine(l) && P.kids(l, 'ram:SpecifiedLineTradeSettlement').some((s) => matches(P.kids(s, 'ram:ApplicableTradeTax'), key)));
  const acs = parts.acs.filter((ac) => matches(P.kids(ac, 'ram:CategoryTradeTax'), key));
  const fees = parts.logistics.filter((lc) => matches(P.kids(lc, 'ram:AppliedTradeTax'), key));
  return lines.length + acs.length + fees.length;
}

/** The -08b (fatal), -08ini and -08rev (warnings) checks of one VAT breakdown (BG-23), whose single values are known. */
function checkBreakdown(tax: XmlElement, code: string, parts: Parts, r: Reporter): void {
  const exemption = { code: firstNormalized([tax], 'ram:ExemptionReasonCode'), text: firstNormalized([tax], 'ram:ExemptionReason') };
  const basis = firstDec(tax, 'ram:BasisAmount');
  // `for $rate in xs:decimal(ram:RateApplicablePercent), $basisAmount in xs:decimal(ram:BasisAmount)`: without a
  // rate or a basis the loop is empty and the three assertions fail. O's tests have no rate.
  const rate = code === 'O' ? undefined : firstDec(tax, 'ram:RateApplicablePercent');
  const evaluable = basis !== null && rate !== null;
  const key: Key = { code, rate: rate ?? undefined };
  const full = evaluable && breakdownHolds(basis, parts, { ...key, exemption });
  const initial = evaluable && breakdownHolds(basis, parts, key);
  r.check(FATAL_08[code], full || initial, tax);
  r.check(`BR-FXEXT-${FAMILY[code]}-08ini`, initial, tax);
  r.check(`BR-FXEXT-${FAMILY[code]}-08rev`, full, tax);
}

/** BR-FXEXT-S-09b: |BT-117 − round(BT-116 × BT-119 / 100)| ≤ 0.01 × the amounts of that rate. */
function checkStandardTax(tax: XmlElement, parts: Parts, r: Reporter): void {
  const exemption = { code: firstNormalized([tax], 'ram:ExemptionReasonCode'), text: firstNormalized([tax], 'ram:ExemptionReason') };
  const basis = firstDec(tax, 'ram:BasisAmount');
  const vat = firstDec(tax, 'ram:CalculatedAmount');
  const rate = firstDec(tax, 'ram:RateApplicablePercent');
  const diff = rate !== null && basis !== null && vat !== null ? vat.minus(round2(basis.times(rate).div(100))) : null;
  const ok = diff !== null && rate !== null && (within(diff, countOf(parts, { code: 'S', rate, exemption })) || within(diff, countOf(parts, { code: 'S', rate })));
  r.check('BR-FXEXT-S-09b', ok, tax);
}

/**
 * The values of a VAT breakdown that the -08 and S-09b tests take one at a time (`xs:decimal(ram:RateApplicablePercent)`,
 * `normalize-space(ram:ExemptionReason)`…): the profile XSD allows each once. On two of them the official XSLT stops
 * with a type error (XPTY0004) and gives no verdict, so these rules are not evaluated there; the breakdown is reported
 * instead — by FX-SCH-EXT:max:* for the rate and the exemption reasons (which no structural assertion counts), by
 * FX-SCH-A-000177 / 000176 (exactly one) for the amounts.
 */
const SINGLE_NOT_COUNTED = ['ram:RateApplicablePercent', 'ram:ExemptionReason', 'ram:ExemptionReasonCode'] as const;
const SINGLE_COUNTED = ['ram:BasisAmount', 'ram:CalculatedAmount'] as const;

/** BR-FXEXT-CO-10…13, 15, 16 on the document totals (BG-22). */
function checkTotals(sum: XmlElement, r: Reporter): void {
  const settlement = sum.parent;
  const tx = settlement?.parent;
  if (!settlement || !tx) return;
  const lines = P.kids(tx, 'ram:IncludedSupplyChainTradeLineItem');
  const detail = lines.filter(isDetailLine);
  const acs = P.kids(settlement, 'ram:SpecifiedTradeAllowanceCharge');
  // The totals' tests select allowances and charges with [udt:Indicator = 'false' / 'true'] (compared as strings).
  const allowances = acs.filter((ac) => indicatorIs(ac, 'false'));
  const charges = acs.filter((ac) => indicatorIs(ac, 'true'));
  const fees = P.kids(settlement, 'ram:SpecifiedLogisticsServiceCharge');
  const lineSum = centsOfDouble(values(detail, 'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount'));
  const allowanceSum = centsOfDouble(values(allowances, 'ram:ActualAmount'));
  const chargeSum = centsOfDouble(values(charges, 'ram:ActualAmount')).plus(centsOfDouble(values(fees, 'ram:AppliedAmount')));
  const amounts = detail.length + allowances.length + charges.length + fees.length;

  // CO-10 counts every line in its tolerance, subtyped or not.
  const bt106 = firstDec(sum, 'ram:LineTotalAmount');
  r.check('BR-FXEXT-CO-10', bt106 !== null && within(bt106.minus(lineSum), lines.length), sum);
  const bt107 = P.first(sum, 'ram:AllowanceTotalAmount');
  const bt107d = bt107 ? dec(stringValue(bt107)) : null;
  r.check('BR-FXEXT-CO-11', (allowances.length === 0 && !bt107) || (bt107d !== null && within(bt107d.minus(allowanceSum), allowances.length)), sum);
  const bt108 = P.first(sum, 'ram:ChargeTotalAmount');
  const bt108d = bt108 ? dec(stringValue(bt108)) : null;
  r.check('BR-FXEXT-CO-12', (charges.length === 0 && !bt108) || (bt108d !== null && within(bt108d.minus(chargeSum), charges.length + fees.length)), sum);
  const bt109 = firstDec(sum, 'ram:TaxBasisTotalAmount');
  r.check('BR-FXEXT-CO-13', bt109 !== null && within(bt109.minus(lineSum).plus(allowanceSum).minus(chargeSum), amounts), sum);

  // CO-15: `for $Currency in ../ram:InvoiceCurrencyCode, $BT110 in xs:decimal(ram:TaxTotalAmount[@currencyID = $Currency])`:
  // without a total VAT in the invoice currency the loop is empty and the assertion fails.
  const currencies = P.kids(settlement, 'ram:InvoiceCurrencyCode').map(stringValue);
  const bt112 = firstDec(sum, 'ram:GrandTotalAmount');
  let ok15 = currencies.length > 0 && bt109 !== null && bt112 !== null;
  for (const currency of currencies) {
    const inCurrency = P.kids(sum, 'ram:TaxTotalAmount').filter((t) => attr(t, 'currencyID') === currency);
    const bt110 = inCurrency.length === 1 ? dec(stringValue(inCurrency[0])) : null;
    if (!ok15 || bt110 === null || bt109 === null || bt112 === null) {
      ok15 = false;
      break;
    }
    ok15 = within(bt112.minus(bt110).minus(bt109), amounts);
  }
  r.check('BR-FXEXT-CO-15', ok15, sum);

  // CO-16: BT-115 = BT-112 − BT-113 + BT-114 + Σ BT-179 (financial adjustments), exactly.
  const total = (els: XmlElement[]) => sumDec(els.map((e) => dec(stringValue(e))));
  const due = firstDec(sum, 'ram:DuePayableAmount');
  const expected = total(P.kids(sum, 'ram:GrandTotalAmount'))
    .minus(total(P.kids(sum, 'ram:TotalPrepaidAmount')))
    .plus(total(P.kids(sum, 'ram:RoundingAmount')))
    .plus(total(P.all(settlement, 'ram:SpecifiedFinancialAdjustment/ram:ActualAmount')));
  r.check('BR-FXEXT-CO-16', due !== null && due.eq(expected), sum);
}

const lineStatus = (line: XmlElement) => {
  const first = [...P.kids(line, 'ram:LineStatusReasonCode'), ...P.all(line, 'ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode'), ...P.all(line, 'ram:SpecifiedLineTradeSettlement/ram:LineStatusReasonCode')]
    .sort((a, b) => a.order - b.order)[0];
  return first ? normalizeSpace(stringValue(first)) : '';
};
const parentId = (line: XmlElement) => normalizeSpace(P.str(line, 'ram:AssociatedDocumentLineDocument/ram:ParentLineID') ?? '');
const lineId = (line: XmlElement) => normalizeSpace(P.str(line, 'ram:AssociatedDocumentLineDocument/ram:LineID') ?? '');
const lineAmountNumber = (line: XmlElement) => num(normalizeSpace(P.str(line, 'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount') ?? ''));
const statusIs = (line: XmlElement, value: string) => P.all(line, 'ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode').some((s) => stringValue(s) === value);

/** BR-FXEXT-06, 08, 11, 12: the line hierarchy (parent line BT-X-304, subtype BT-X-8, GROUP subtotals). */
function checkLineHierarchy(doc: XmlDocument, r: Reporter): void {
  const all = P.desc(doc, 'ram:IncludedSupplyChainTradeLineItem');
  // BR-FXEXT-08 is a document-wide test evaluated in each line's context: it fires on every line when it fails.
  const groupsAddUp = all
    .filter((g) => statusIs(g, 'GROUP') && normalizeSpace(P.str(g, 'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount') ?? '') !== '')
    .every((g) => {
      const children = all.filter((c) => parentId(c) === lineId(g) && (statusIs(c, 'DETAIL') || statusIs(c, 'GROUP')));
      return lineAmountNumber(g) === children.reduce((s, c) => s + lineAmountNumber(c), 0);
    });
  const ids = new Set(all.flatMap((l) => P.all(l, 'ram:AssociatedDocumentLineDocument/ram:LineID').map((i) => normalizeSpace(stringValue(i)))));
  for (const line of all) {
    const noStatus = lineStatus(line) === '';
    const siblings = line.parent ? P.kids(line.parent, 'ram:IncludedSupplyChainTradeLineItem') : [];
    const isParent = siblings.some((o) => o !== line && parentId(o) === lineId(line));
    r.check('BR-FXEXT-06', !((parentId(line) !== '' && noStatus) || (isParent && noStatus)), line);
    r.check('BR-FXEXT-08', groupsAddUp, line);
    if (parentId(line) !== '') r.check('BR-FXEXT-11', ids.has(parentId(line)), line);
    if (statusIs(line, 'GROUP') && P.has(line, 'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount')) {
      const ownIds = P.all(line, 'ram:AssociatedDocumentLineDocument/ram:LineID').map(stringValue);
      // `for $lineID in ram:AssociatedDocumentLineDocument/ram:LineID`: a GROUP line without ID fails.
      const ok = ownIds.length > 0 && ownIds.every((id) => {
        const groups = all.filter((c) => P.all(c, 'ram:AssociatedDocumentLineDocument/ram:ParentLineID').some((p) => stringValue(p) === id) && statusIs(c, 'GROUP'));
        return groups.length === values(groups, 'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount').length;
      });
      r.check('BR-FXEXT-12', ok, line);
    }
  }
}

/** UNTDID 6313 and the Factur-X extension, as BR-FXEXT-04 lists them. */
const ARTICLE_ATTRIBUTES = new Set(
  'A AAA AAB AAC AAD AAF AAG AAH AAI AAJ AAK AAM AAN AAO AAP AAQ AAR AAS AAT AAU AAV AAW AAX AAY AAZ ABA ABB ABC ABD ABE ABF ABG ABH ABI ABJ ABK ABL ABM ABN ABO ABP ABS ABT ABX ABY ABZ ACA ACE ACG ACN ACP ACS ACV ACW ACX ADR ADS ADT ADU ADV ADW ADX ADY ADZ AEA AEB AEC AED AEE AEF AEG AEH AEI AEJ AEK AEL AEM AEN AEO AEP AEQ AER AES AET AEU AEV AEW AEX AEY AEZ AF AFA AFB AFC AFD AFE AFF AFG AFH AFI AFJ AFK AFL AFM AFN AFO AFP AFQ AFR AFS AFT AFU AFV AFW AFX B BL BMY BMZ BNA BNB BNC BND BNE BNF BNG BNH BNI BNJ BNK BNL BNM BNN BNO BNP BNQ BNR BNS BNT BNU BNV BNW BNX BNY BNZ BR BRA BRB BRC BRD BRE BRF BRG BRH BRI BRJ BRK BRL BRM BRN BRO BRP BRQ BRR BRS BRT BRU BRV BS BSW BSX BSY BSZ BTA BTB BTC BTD BTE BTF BTG BTH BTI BTJ BTK BTL BTM BW CHN CHO CM CT CV CZ D DI DL DN DP DR DS DW E EA F FI FL FN FV GG GW HF HM HT IB ID L LM LN LND M MO MW N OD PRS PTN RA RF RJ RMW RP RUN RY SQ T TC TH TN TT VGM VH VW WA WD WM WU XH XQ XZ YS ZAL ZAS ZB ZBI ZC ZCA ZCB ZCE ZCL ZCO ZCR ZCU ZFE ZFS ZGE ZH ZK ZMG ZMN ZMO ZN ZNA ZNB ZNI ZO ZP ZPB ZS ZSB ZSE ZSI ZSL ZSN ZTA ZTE ZTI ZV ZW ZWA ZZN ZZR ZZZ BEST_BEFORE_DATE COLOR_TEXT COMMISSION DEPOSIT_SYSTEM DEPOSIT_TYPE ENERGY_CLASS EXPIRATION_DATE FEE KIND_OF_ARTICLE MATERIAL METER_LOCATION METER_NUMBER ORGANIC_CONTROL_BODY PACKAGING_MATERIAL PACKAGING_TYPE PROMOTIONAL_VARIANT SEAL_NUMBER SIZE_CODE SIZE_TEXT TRADING_UNIT WASTE_CODE WASTE_FRACTION WEEE_NUMBER'.split(' '),
);

const DATE_205 = /^[ \t\n\r]*(\d{4})(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])([01][0-9]|2[0-3])[0-5][0-9][ \t\n\r]*$/;

/** Runs the EXTENDED business rules of the BR-FXEXT family on a CII document. */
export function checkExtendedRules(doc: XmlDocument, r: Reporter): void {
  const root = ciiRoot(doc);
  if (!root) return;
  const txs = P.kids(root, 'rsm:SupplyChainTradeTransaction');
  const settlements = txs.flatMap((t) => P.kids(t, 'ram:ApplicableHeaderTradeSettlement'));
  const parts: Parts = {
    lines: txs.flatMap((t) => P.kids(t, 'ram:IncludedSupplyChainTradeLineItem')),
    acs: settlements.flatMap((s) => P.kids(s, 'ram:SpecifiedTradeAllowanceCharge')),
    logistics: settlements.flatMap((s) => P.kids(s, 'ram:SpecifiedLogisticsServiceCharge')),
  };

  // VAT breakdown (BG-23): -08 per category (with the VAT type filter), S-09b (without it).
  for (const tax of P.desc(doc, 'ram:ApplicableTradeTax')) {
    if (tax.parent?.local !== 'ApplicableHeaderTradeSettlement' || tax.parent.ns !== CII_NS.ram) continue;
    const repeated = SINGLE_NOT_COUNTED.filter((n) => P.count(tax, n) > 1);
    for (const n of repeated) r.fail(`FX-SCH-EXT:max:${n}`, tax);
    if (repeated.length > 0 || SINGLE_COUNTED.some((n) => P.count(tax, n) > 1)) continue;
    const vat = isVatTax(tax);
    for (const code of Object.keys(FAMILY)) if (vat && hasCategory(tax, code)) checkBreakdown(tax, code, parts, r);
    if (hasCategory(tax, 'S')) checkStandardTax(tax, parts, r);
  }
  for (const sum of P.desc(doc, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation')) checkTotals(sum, r);

  // Lines subtyped DETAIL or not subtyped: quantity, unit, net amount, net price, VAT category.
  for (const line of P.desc(doc, 'ram:IncludedSupplyChainTradeLineItem')) {
    for (const ad of P.kids(line, 'ram:AssociatedDocumentLineDocument')) {
      const status = P.kids(ad, 'ram:LineStatusReasonCode');
      if (status.length > 0 && !status.some((s) => stringValue(s) === 'DETAIL')) continue;
      const quantities = P.all(line, 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity');
      r.check('BR-FXEXT-BR-22', quantities.length > 0, ad);
      r.check('BR-FXEXT-BR-23', quantities.some((q) => attr(q, 'unitCode') !== undefined), ad);
      r.check('BR-FXEXT-BR-24', P.has(line, 'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount'), ad);
      r.check('BR-FXEXT-BR-26', P.has(line, 'ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount'), ad);
      r.check('BR-FXEXT-CO-04', P.all(line, 'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax').some((t) => isVatTax(t) && P.has(t, 'ram:CategoryCode')), ad);
    }
  }
  checkLineHierarchy(doc, r);

  // Charges (document BG-21 and line BG-28): a reason or a reason code.
  for (const ac of P.desc(doc, 'ram:SpecifiedTradeAllowanceCharge')) {
    const where = ac.parent?.local === 'ApplicableHeaderTradeSettlement' ? 'BR-FXEXT-BR-38' : ac.parent?.local === 'SpecifiedLineTradeSettlement' ? 'BR-FXEXT-BR-44' : null;
    if (!where) continue;
    for (const ci of P.kids(ac, 'ram:ChargeIndicator')) {
      if (P.kids(ci, 'udt:Indicator').some((i) => stringValue(i) === 'true')) r.check(where, P.has(ac, 'ram:Reason') || P.has(ac, 'ram:ReasonCode'), ci);
    }
  }

  // Notes with a subject code: a text or a coded text (document BG-1, line BT-127).
  for (const note of P.all(root, 'rsm:ExchangedDocument/ram:IncludedNote')) {
    if (P.has(note, 'ram:SubjectCode')) r.check('BR-FXEXT-01', P.has(note, 'ram:ContentCode') || P.has(note, 'ram:Content'), note);
  }
  for (const ad of P.desc(doc, 'ram:AssociatedDocumentLineDocument')) {
    for (const note of P.kids(ad, 'ram:IncludedNote')) {
      if (P.has(note, 'ram:SubjectCode')) r.check('BR-FXEXT-02', P.has(note, 'ram:ContentCode') || P.has(note, 'ram:Content'), note);
    }
  }
  // Parties other than the seller: a VAT registration only.
  for (const reg of P.desc(doc, 'ram:SpecifiedTaxRegistration')) {
    for (const id of P.kids(reg, 'ram:ID')) {
      if (!hasAncestor(id, CII_NS.ram, 'SellerTradeParty')) r.check('BR-FXEXT-03', attr(id, 'schemeID') === 'VA', id);
    }
  }
  // Item attribute type codes (warning): UNTDID 6313 and the Factur-X extension.
  for (const c of P.desc(doc, 'ram:ApplicableProductCharacteristic')) {
    for (const tc of P.kids(c, 'ram:TypeCode')) {
      const v = normalizeSpace(stringValue(tc));
      r.check('BR-FXEXT-04', v !== '' && !v.includes(' ') && ARTICLE_ATTRIBUTES.has(v), tc);
    }
  }
  for (const d of P.desc(doc, 'udt:DateTimeString')) {
    if (attr(d, 'format') === '205') r.check('BR-FXEXT-CII-DT-097a', DATE_205.test(stringValue(d)), d);
  }
}
