import { dec, maxTwoDecimals, normalizeSpace, num, round0, round2, stringValue, type Dec, type Reporter, type RuleFamily } from '../../engine.ts';
import { attr, type XmlDocument, type XmlElement } from '../../xml/tree.ts';
import { VAT_PREFIXES_CII } from '../shared.ts';
import { P, ciiRoot, filled, indicator, indicatorIs, isVatTax, roundD, s1, sumDouble, toDouble } from './common.ts';
import { allowanceReasonOk, co13, co16Exact, decimalsOk } from '../shared.ts';
import { mapped } from '../../../shared/mapped.ts';

/**
 * EN 16931 core rules bound to CII D16B: BR-01…BR-65, BR-CO-*, BR-DEC-*. One function per rule context
 * of the official binding (EN16931-CII-model.sch, 1.3.16), called and asserting in the official order. The
 * arithmetic follows the XPath types the binding uses: sum() of untyped values is xs:double, xs:decimal()
 * casts are exact.
 *
 * Kept as many small functions rather than one `run`: TurboFan compiles each cheaply, and a deoptimization
 * (a rarely seen map reaching an inlined array builtin) recompiles only the function it happened in.
 */

const decOf = (el: XmlElement | undefined, path: string): Dec | null => dec(P.str(el, path));

const TX = 'rsm:SupplyChainTradeTransaction';
const SELLER = `${TX}/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty`;
const BUYER = `${TX}/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty`;
const L_M_O = ['L', 'M', 'O'];

// Callbacks capturing nothing: one function each, instead of a closure per call.
const headerSettlementsOf = (t: XmlElement) => P.kids(t, 'ram:ApplicableHeaderTradeSettlement');
const headerAgreementsOf = (t: XmlElement) => P.kids(t, 'ram:ApplicableHeaderTradeAgreement');
const allowanceChargesOf = (s: XmlElement) => P.kids(s, 'ram:SpecifiedTradeAllowanceCharge');
const invoiceCurrencyCodesOf = (s: XmlElement) => P.kids(s, 'ram:InvoiceCurrencyCode');
const taxCurrencyCodesOf = (s: XmlElement) => P.kids(s, 'ram:TaxCurrencyCode');
const actualAmountsOf = (a: XmlElement) => P.kids(a, 'ram:ActualAmount');
const grandTotalsOf = (m: XmlElement) => P.kids(m, 'ram:GrandTotalAmount');
const taxBasisTotalsOf = (m: XmlElement) => P.kids(m, 'ram:TaxBasisTotalAmount');
const taxTotalsOf = (m: XmlElement) => P.kids(m, 'ram:TaxTotalAmount');
const firstUriCommunication = (p: XmlElement) => P.first(p, 'ram:URIUniversalCommunication');
const hasUriCommunication = (p: XmlElement) => P.has(p, 'ram:URIUniversalCommunication');
const isAllowance = (a: XmlElement) => indicator(a) === false;
const isCharge = (a: XmlElement) => indicator(a) === true;
const isDefined = <T>(x: T | undefined): x is T => x !== undefined;
const currencyOf = (a: XmlElement) => attr(a, 'currencyID');
const decValue = (a: XmlElement) => dec(stringValue(a));
const isFormat102 = (d: XmlElement) => attr(d, 'format') === '102';
const isVaScheme = (i: XmlElement) => attr(i, 'schemeID') === 'VA';
const hasUnitCode = (q: XmlElement) => attr(q, 'unitCode') !== undefined;
const isNonNegative = (p: XmlElement) => num(stringValue(p)) >= 0;
const isVatWithCategory = (t: XmlElement) => isVatTax(t) && P.has(t, 'ram:CategoryCode');
const isLmoCode = (c: XmlElement) => L_M_O.includes(stringValue(c));
const isCodeO = (c: XmlElement) => stringValue(c) === 'O';
const isHeaderVatBreakdown = (t: XmlElement) =>
  t.parent?.local === 'ApplicableHeaderTradeSettlement' && t.parent.parent?.local === 'SupplyChainTradeTransaction';

/** Values several rule contexts share, computed once per document. */
interface CiiCoreScope {
  readonly doc: XmlDocument;
  readonly root: XmlElement;
  readonly txs: XmlElement[];
  readonly settlements: XmlElement[];
  readonly agreements: XmlElement[];
  readonly headerAcs: XmlElement[];
  readonly invoiceCurrencies: string[];
  readonly taxCurrencies: string[];
}

function ciiCoreScope(doc: XmlDocument, root: XmlElement): CiiCoreScope {
  const txs = P.kids(root, 'rsm:SupplyChainTradeTransaction');
  const settlements = txs.flatMap(headerSettlementsOf);
  return {
    doc,
    root,
    txs,
    settlements,
    agreements: txs.flatMap(headerAgreementsOf),
    headerAcs: settlements.flatMap(allowanceChargesOf),
    invoiceCurrencies: mapped(settlements.flatMap(invoiceCurrencyCodesOf), stringValue),
    taxCurrencies: mapped(settlements.flatMap(taxCurrencyCodesOf), stringValue),
  };
}

export const ciiCore: RuleFamily = {
  name: 'en16931-cii-core',
  syntax: 'cii',
  ids: [],
  run(doc, r) {
    const root = ciiRoot(doc);
    if (!root) return;
    const sc = ciiCoreScope(doc, root);
    checkProductClassifications(sc, r);
    checkAdditionalDocuments(sc, r);
    checkPaymentCards(sc, r);
    checkPaymentMeansAccounts(sc, r);
    checkDeliveryAddresses(sc, r);
    checkAllowancesAndCharges(sc, r);
    checkDocumentTotals(sc, r);
    checkInvoiceMandatoryFields(sc, r);
    checkElectronicAddressSchemes(sc, r);
    checkInvoiceGrandTotal(sc, r);
    checkInvoiceLines(sc, r);
    checkInvoicingPeriods(sc, r);
    checkProductCharacteristics(sc, r);
    checkPayeeParties(sc, r);
    checkPaymentMeansTypes(sc, r);
    checkPrecedingInvoiceReferences(sc, r);
    checkSellerIdentifiers(sc, r);
    checkSellerTaxRepresentatives(sc, r);
    checkInvoiceTotalVat(sc, r);
    checkVatIdentifierPrefixes(sc, r);
    checkVatBreakdowns(sc, r);
  },
};

// Context: //ram:DesignatedProductClassification.
function checkProductClassifications(sc: CiiCoreScope, r: Reporter): void {
  for (const c of P.desc(sc.doc, 'ram:DesignatedProductClassification')) {
    const code = P.first(c, 'ram:ClassCode');
    r.check('BR-65', !code || normalizeSpace(attr(code, 'listID') ?? '') !== '', c);
  }
}

// Context: //ram:AdditionalReferencedDocument.
function checkAdditionalDocuments(sc: CiiCoreScope, r: Reporter): void {
  for (const d of P.desc(sc.doc, 'ram:AdditionalReferencedDocument')) r.check('BR-52', filled(d, 'ram:IssuerAssignedID'), d);
}

// Context: //ram:ApplicableTradeSettlementFinancialCard.
function checkPaymentCards(sc: CiiCoreScope, r: Reporter): void {
  for (const card of P.desc(sc.doc, 'ram:ApplicableTradeSettlementFinancialCard')) {
    r.check('BR-51', [...s1(card, 'ram:ID')].length <= 10, card);
  }
}

// Context: //ram:SpecifiedTradeSettlementPaymentMeans[ram:TypeCode = '30' or '58']/ram:PayeePartyCreditorFinancialAccount.
function checkPaymentMeansAccounts(sc: CiiCoreScope, r: Reporter): void {
  for (const pm of P.desc(sc.doc, 'ram:SpecifiedTradeSettlementPaymentMeans')) {
    const codes = mapped(P.kids(pm, 'ram:TypeCode'), stringValue);
    if (!codes.includes('30') && !codes.includes('58')) continue;
    for (const acc of P.kids(pm, 'ram:PayeePartyCreditorFinancialAccount')) {
      const ok = P.has(acc, 'ram:IBANID') || P.has(acc, 'ram:ProprietaryID');
      r.check('BR-50', ok, acc);
      r.check('BR-61', ok, acc);
    }
  }
}

// Context: /rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery.
function checkDeliveryAddresses(sc: CiiCoreScope, r: Reporter): void {
  for (const t of sc.txs) {
    for (const del of P.kids(t, 'ram:ApplicableHeaderTradeDelivery')) {
      const addr = P.has(del, 'ram:ShipToTradeParty/ram:PostalTradeAddress');
      r.check('BR-57', !addr || filled(del, 'ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID'), del);
    }
  }
}

// Document level and line allowances and charges (context: the ChargeIndicator).
function checkAllowancesAndCharges(sc: CiiCoreScope, r: Reporter): void {
  for (const ac of P.desc(sc.doc, 'ram:SpecifiedTradeAllowanceCharge')) {
    const parent = ac.parent;
    const header = parent?.local === 'ApplicableHeaderTradeSettlement';
    const line = parent?.local === 'SpecifiedLineTradeSettlement';
    if (!header && !line) continue;
    for (const ci of P.kids(ac, 'ram:ChargeIndicator')) {
      const allowance = indicatorIs(ci, 'false');
      const charge = !allowance && indicatorIs(ci, 'true');
      if (!allowance && !charge) continue;
      if (header) checkDocumentAllowanceCharge(r, ac, ci, allowance);
      else checkLineAllowanceCharge(r, ac, ci, allowance);
    }
  }
}

// Context: //ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator[udt:Indicator = …].
function checkDocumentAllowanceCharge(r: Reporter, ac: XmlElement, ci: XmlElement, allowance: boolean): void {
  const reason = allowanceReasonOk(P.has(ac, 'ram:Reason'), P.has(ac, 'ram:ReasonCode'));
  const amountOk = maxTwoDecimals(P.str(ac, 'ram:ActualAmount'));
  const baseOk = maxTwoDecimals(P.str(ac, 'ram:BasisAmount'));
  const hasAmount = P.has(ac, 'ram:ActualAmount');
  const vatCat = P.kids(ac, 'ram:CategoryTradeTax').some(isVatWithCategory);
  if (allowance) {
    r.check('BR-31', hasAmount, ci);
    r.check('BR-32', vatCat, ci);
    r.check('BR-33', reason, ci);
    r.check('BR-CO-05', true, ci);
    r.check('BR-CO-21', reason, ci);
    r.check('BR-DEC-01', amountOk, ci);
    r.check('BR-DEC-02', baseOk, ci);
  } else {
    r.check('BR-36', hasAmount, ci);
    r.check('BR-37', vatCat, ci);
    r.check('BR-38', reason, ci);
    r.check('BR-CO-06', true, ci);
    r.check('BR-CO-22', reason, ci);
    r.check('BR-DEC-05', amountOk, ci);
    r.check('BR-DEC-06', baseOk, ci);
  }
}

// Context: //ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator[udt:Indicator = …].
function checkLineAllowanceCharge(r: Reporter, ac: XmlElement, ci: XmlElement, allowance: boolean): void {
  const reason = allowanceReasonOk(P.has(ac, 'ram:Reason'), P.has(ac, 'ram:ReasonCode'));
  const amountOk = maxTwoDecimals(P.str(ac, 'ram:ActualAmount'));
  const baseOk = maxTwoDecimals(P.str(ac, 'ram:BasisAmount'));
  const hasAmount = P.has(ac, 'ram:ActualAmount');
  if (allowance) {
    r.check('BR-41', hasAmount, ci);
    r.check('BR-42', reason, ci);
    r.check('BR-CO-07', true, ci);
    r.check('BR-CO-23', reason, ci);
    r.check('BR-DEC-24', amountOk, ci);
    r.check('BR-DEC-25', baseOk, ci);
  } else {
    r.check('BR-43', hasAmount, ci);
    r.check('BR-44', reason, ci);
    r.check('BR-CO-08', true, ci);
    r.check('BR-CO-24', reason, ci);
    r.check('BR-DEC-27', amountOk, ci);
    r.check('BR-DEC-28', baseOk, ci);
  }
}

// Context: //ram:SpecifiedTradeSettlementHeaderMonetarySummation (document totals).
function checkDocumentTotals(sc: CiiCoreScope, r: Reporter): void {
  const headerAllowances = sc.headerAcs.filter(isAllowance);
  const headerCharges = sc.headerAcs.filter(isCharge);
  for (const ms of P.desc(sc.doc, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation')) {
    checkTotalsPresence(sc, r, ms);
    checkTotalsArithmetic(r, ms, headerAllowances, headerCharges);
    checkTotalsDecimals(sc, r, ms);
  }
}

// BR-12…BR-15, BR-53 of the document totals context.
function checkTotalsPresence(sc: CiiCoreScope, r: Reporter, ms: XmlElement): void {
  const { invoiceCurrencies, taxCurrencies } = sc;
  r.check('BR-12', P.has(ms, 'ram:LineTotalAmount'), ms);
  r.check('BR-13', P.has(ms, 'ram:TaxBasisTotalAmount'), ms);
  r.check('BR-14', P.has(ms, 'ram:GrandTotalAmount'), ms);
  r.check('BR-15', P.has(ms, 'ram:DuePayableAmount'), ms);
  const taxTotalCurrencies = mapped(P.kids(ms, 'ram:TaxTotalAmount'), currencyOf).filter(isDefined);
  r.check(
    'BR-53',
    taxCurrencies.length === 0 ||
      (taxTotalCurrencies.some((c) => taxCurrencies.includes(c)) && !taxCurrencies.some((c) => invoiceCurrencies.includes(c))),
    ms,
  );
}

// Sum of the ActualAmounts as the binding rounds it: round(sum * 10 * 10) div 100, in xs:double.
const totalOf = (acs: XmlElement[]) => roundD(sumDouble(mapped(acs.flatMap(actualAmountsOf), stringValue)) * 10 * 10) / 100;

// BR-CO-10…BR-CO-16, BR-DEC-09…BR-DEC-12, BR-DEC-14 of the document totals context.
function checkTotalsArithmetic(r: Reporter, ms: XmlElement, headerAllowances: XmlElement[], headerCharges: XmlElement[]): void {
  const tx = ms.parent?.parent;
  const lineTotals = tx
    ? P.all(tx, 'ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount')
    : [];
  const lta = decOf(ms, 'ram:LineTotalAmount');
  const lineSum = sumDouble(mapped(lineTotals, stringValue));
  const lineSumDec = Number.isFinite(lineSum) ? dec(String(lineSum)) ?? dec(lineSum.toFixed(20)) : null;
  r.check('BR-CO-10', lta !== null && lineSumDec !== null && lta.eq(round2(lineSumDec)), ms);
  const ata = P.kids(ms, 'ram:AllowanceTotalAmount');
  const cta = P.kids(ms, 'ram:ChargeTotalAmount');
  const allowanceExpected = totalOf(headerAllowances);
  const chargeExpected = totalOf(headerCharges);
  r.check('BR-CO-11', (headerAllowances.length === 0 && ata.length === 0) || ata.some((a) => toDouble(stringValue(a)) === allowanceExpected), ms);
  r.check('BR-CO-12', (headerCharges.length === 0 && cta.length === 0) || cta.some((a) => toDouble(stringValue(a)) === chargeExpected), ms);
  r.check(
    'BR-CO-13',
    co13(decOf(ms, 'ram:TaxBasisTotalAmount'), lta, ata.length ? dec(stringValue(ata[0])) : undefined, cta.length ? dec(stringValue(cta[0])) : undefined),
    ms,
  );
  r.check(
    'BR-CO-16',
    co16Exact(decOf(ms, 'ram:DuePayableAmount'), decOf(ms, 'ram:GrandTotalAmount'), P.str(ms, 'ram:TotalPrepaidAmount'), P.str(ms, 'ram:RoundingAmount')),
    ms,
  );
  r.check('BR-DEC-09', decimalsOk(ms, P, 'ram:LineTotalAmount'), ms);
  r.check('BR-DEC-10', decimalsOk(ms, P, 'ram:AllowanceTotalAmount'), ms);
  r.check('BR-DEC-11', decimalsOk(ms, P, 'ram:ChargeTotalAmount'), ms);
  r.check('BR-DEC-12', decimalsOk(ms, P, 'ram:TaxBasisTotalAmount'), ms);
  r.check('BR-DEC-14', decimalsOk(ms, P, 'ram:GrandTotalAmount'), ms);
}

function twoDecimalsD(a: XmlElement): boolean {
  const x = toDouble(stringValue(a));
  return x === roundD(x * 100) / 100;
}

// BR-DEC-13, BR-DEC-15…BR-DEC-18 of the document totals context.
function checkTotalsDecimals(sc: CiiCoreScope, r: Reporter, ms: XmlElement): void {
  const { invoiceCurrencies, taxCurrencies } = sc;
  const taxTotals = P.kids(ms, 'ram:TaxTotalAmount');
  r.check(
    'BR-DEC-13',
    taxTotals.length === 0 ||
      taxTotals.some((a) => {
        const inInvoiceCurrency = invoiceCurrencies.includes(attr(a, 'currencyID') ?? '\u0000');
        return (inInvoiceCurrency && twoDecimalsD(a)) || !inInvoiceCurrency;
      }),
    ms,
  );
  r.check(
    'BR-DEC-15',
    taxTotals.length === 0 ||
      taxTotals.some((a) => (taxCurrencies.includes(attr(a, 'currencyID') ?? '\u0000') && twoDecimalsD(a)) || taxCurrencies.length === 0),
    ms,
  );
  r.check('BR-DEC-16', decimalsOk(ms, P, 'ram:TotalPrepaidAmount'), ms);
  r.check('BR-DEC-17', decimalsOk(ms, P, 'ram:RoundingAmount'), ms);
  r.check('BR-DEC-18', decimalsOk(ms, P, 'ram:DuePayableAmount'), ms);
}

// Context: /rsm:CrossIndustryInvoice (BR-01…BR-16).
function checkInvoiceMandatoryFields(sc: CiiCoreScope, r: Reporter): void {
  const root = sc.root;
  r.check('BR-01', filled(root, 'rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID'), root);
  r.check('BR-02', filled(root, 'rsm:ExchangedDocument/ram:ID'), root);
  const dts = P.all(root, 'rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString').filter(isFormat102);
  r.check('BR-03', dts.length > 0 && normalizeSpace(stringValue(dts[0])) !== '', root);
  r.check('BR-04', filled(root, 'rsm:ExchangedDocument/ram:TypeCode'), root);
  r.check('BR-05', filled(root, `${TX}/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode`), root);
  r.check('BR-06', filled(root, `${SELLER}/ram:Name`), root);
  r.check('BR-07', filled(root, `${BUYER}/ram:Name`), root);
  r.check('BR-08', P.has(root, `${SELLER}/ram:PostalTradeAddress`), root);
  r.check('BR-09', filled(root, `${SELLER}/ram:PostalTradeAddress/ram:CountryID`), root);
  r.check('BR-10', P.has(root, `${BUYER}/ram:PostalTradeAddress`), root);
  r.check('BR-11', filled(root, `${BUYER}/ram:PostalTradeAddress/ram:CountryID`), root);
  r.check('BR-16', P.desc(sc.doc, 'ram:IncludedSupplyChainTradeLineItem').length > 0, root);
}

function endpointScheme(root: XmlElement, parties: string): boolean {
  const ps = P.all(root, parties);
  if (!ps.some(hasUriCommunication)) return true;
  const first = mapped(ps, firstUriCommunication).find(isDefined);
  const uri = first ? P.first(first, 'ram:URIID') : undefined;
  return uri !== undefined && normalizeSpace(attr(uri, 'schemeID') ?? '') !== '';
}

// Context: /rsm:CrossIndustryInvoice (BR-62, BR-63).
function checkElectronicAddressSchemes(sc: CiiCoreScope, r: Reporter): void {
  r.check('BR-62', endpointScheme(sc.root, SELLER), sc.root);
  r.check('BR-63', endpointScheme(sc.root, BUYER), sc.root);
}

// Context: /rsm:CrossIndustryInvoice (BR-CO-15).
function checkInvoiceGrandTotal(sc: CiiCoreScope, r: Reporter): void {
  const root = sc.root;
  const summations = P.desc(sc.doc, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation');
  const grand = mapped(summations.flatMap(grandTotalsOf), decValue);
  const basis = mapped(summations.flatMap(taxBasisTotalsOf), decValue);
  const grandEqBasis = grand.some((g) => g !== null && basis.some((b) => b !== null && g.eq(b)));
  const ok = sc.invoiceCurrencies.every((cur) => {
    const own = P.all(root, `${TX}/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount`).filter(
      (a) => attr(a, 'currencyID') === cur,
    );
    const vat = summations.flatMap(taxTotalsOf).filter((a) => attr(a, 'currencyID') === cur);
    let sumOk = false;
    if (basis.length === 1 && vat.length === 1 && basis[0] !== null) {
      const v = dec(stringValue(vat[0]));
      if (v !== null) {
        const expected = round2(basis[0].plus(v));
        sumOk = grand.some((g) => g !== null && g.eq(expected));
      }
    }
    return (own.length === 1 && sumOk) || grandEqBasis;
  });
  r.check('BR-CO-15', ok, root);
}

// Context: //ram:IncludedSupplyChainTradeLineItem.
function checkInvoiceLines(sc: CiiCoreScope, r: Reporter): void {
  // //rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax
  const vatBreakdownExists = P.desc(sc.doc, 'ram:ApplicableTradeTax').some(isHeaderVatBreakdown);
  for (const line of P.desc(sc.doc, 'ram:IncludedSupplyChainTradeLineItem')) {
    r.check('BR-21', filled(line, 'ram:AssociatedDocumentLineDocument/ram:LineID'), line);
    r.check('BR-22', P.has(line, 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity'), line);
    r.check('BR-23', P.all(line, 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity').some(hasUnitCode), line);
    r.check('BR-24', P.has(line, 'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount'), line);
    r.check('BR-25', filled(line, 'ram:SpecifiedTradeProduct/ram:Name'), line);
    const net = P.all(line, 'ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount');
    r.check('BR-26', net.length > 0, line);
    r.check('BR-27', net.some(isNonNegative), line);
    const gross = P.all(line, 'ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:ChargeAmount');
    r.check('BR-28', gross.length === 0 || gross.some(isNonNegative), line);
    const gid = P.all(line, 'ram:SpecifiedTradeProduct/ram:GlobalID');
    r.check('BR-64', gid.length === 0 || normalizeSpace(attr(gid[0], 'schemeID') ?? '') !== '', line);
    r.check('BR-CO-04', P.all(line, 'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax').some(isVatWithCategory), line);
    r.check('BR-CO-18', vatBreakdownExists, line);
    // BR-DEC-23 tests ram:SpecifiedTradeSettlement/… (not SpecifiedLineTradeSettlement): it never fails.
    r.check('BR-DEC-23', true, line);
  }
}

const formatted102Dates = (per: XmlElement, path: string) => mapped(P.all(per, path).filter(isFormat102), stringValue);

// Contexts: //ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod, then the ApplicableHeaderTradeSettlement one
// (line periods first: a BillingSpecifiedPeriod matches one context only).
function checkInvoicingPeriods(sc: CiiCoreScope, r: Reporter): void {
  for (const per of P.desc(sc.doc, 'ram:BillingSpecifiedPeriod')) {
    const parent = per.parent?.local;
    if (parent !== 'SpecifiedLineTradeSettlement' && parent !== 'ApplicableHeaderTradeSettlement') continue;
    const ends = formatted102Dates(per, 'ram:EndDateTime/udt:DateTimeString');
    const starts = formatted102Dates(per, 'ram:StartDateTime/udt:DateTimeString');
    const hasStart = P.has(per, 'ram:StartDateTime');
    const hasEnd = P.has(per, 'ram:EndDateTime');
    const ordered = ends.some((e) => starts.some((s) => e >= s)) || !hasEnd || !hasStart;
    if (parent === 'SpecifiedLineTradeSettlement') {
      r.check('BR-30', ordered, per);
      r.check('BR-CO-20', hasStart || hasEnd, per);
    } else {
      r.check('BR-29', ordered, per);
      r.check('BR-CO-19', hasStart || hasEnd, per);
    }
  }
}

// Context: //ram:ApplicableProductCharacteristic.
function checkProductCharacteristics(sc: CiiCoreScope, r: Reporter): void {
  for (const c of P.desc(sc.doc, 'ram:ApplicableProductCharacteristic')) r.check('BR-54', P.has(c, 'ram:Description') && P.has(c, 'ram:Value'), c);
}

const valuesAt = (els: XmlElement[], path: string) => mapped(els.flatMap((e) => P.all(e, path)), stringValue);

// Context: //ram:PayeeTradeParty.
function checkPayeeParties(sc: CiiCoreScope, r: Reporter): void {
  for (const payee of P.desc(sc.doc, 'ram:PayeeTradeParty')) {
    const sellerParty = payee.parent?.parent ? P.all(payee.parent.parent, 'ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty') : [];
    const same = (path: string) => {
      const mine = valuesAt([payee], path);
      const theirs = valuesAt(sellerParty, path);
      return mine.some((m) => theirs.includes(m));
    };
    r.check(
      'BR-17',
      P.has(payee, 'ram:Name') && !same('ram:Name') && !same('ram:ID') && !same('ram:SpecifiedLegalOrganization/ram:ID'),
      payee,
    );
  }
}

// Context: //ram:SpecifiedTradeSettlementPaymentMeans.
function checkPaymentMeansTypes(sc: CiiCoreScope, r: Reporter): void {
  for (const pm of P.desc(sc.doc, 'ram:SpecifiedTradeSettlementPaymentMeans')) r.check('BR-49', P.has(pm, 'ram:TypeCode'), pm);
}

// Context: /rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceReferencedDocument.
function checkPrecedingInvoiceReferences(sc: CiiCoreScope, r: Reporter): void {
  for (const s of sc.settlements) {
    for (const ref of P.kids(s, 'ram:InvoiceReferencedDocument')) r.check('BR-55', filled(ref, 'ram:IssuerAssignedID'), ref);
  }
}

// Context: //ram:SellerTradeParty.
function checkSellerIdentifiers(sc: CiiCoreScope, r: Reporter): void {
  for (const sp of P.desc(sc.doc, 'ram:SellerTradeParty')) {
    r.check(
      'BR-CO-26',
      P.has(sp, 'ram:ID') ||
        P.has(sp, 'ram:GlobalID') ||
        P.has(sp, 'ram:SpecifiedLegalOrganization/ram:ID') ||
        P.all(sp, 'ram:SpecifiedTaxRegistration/ram:ID').some(isVaScheme),
      sp,
    );
  }
}

// Context: //ram:SellerTaxRepresentativeTradeParty.
function checkSellerTaxRepresentatives(sc: CiiCoreScope, r: Reporter): void {
  for (const tr of P.desc(sc.doc, 'ram:SellerTaxRepresentativeTradeParty')) {
    r.check('BR-18', P.has(tr, 'ram:Name'), tr);
    r.check('BR-19', P.has(tr, 'ram:PostalTradeAddress'), tr);
    r.check('BR-20', P.has(tr, 'ram:PostalTradeAddress/ram:CountryID'), tr);
    const va = P.all(tr, 'ram:SpecifiedTaxRegistration/ram:ID').filter(isVaScheme);
    r.check('BR-56', va.length > 0 && normalizeSpace(stringValue(va[0])) !== '', tr);
  }
}

// Context: //ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount in the invoice currency.
function checkInvoiceTotalVat(sc: CiiCoreScope, r: Reporter): void {
  const breakdownTax = sumDouble(
    mapped(P.all(sc.root, `${TX}/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount`), stringValue),
  );
  const expected = roundD(breakdownTax * 10 * 10) / 100;
  for (const ms of P.desc(sc.doc, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation')) {
    for (const t of P.kids(ms, 'ram:TaxTotalAmount')) {
      const cur = attr(t, 'currencyID');
      if (cur === undefined || !sc.invoiceCurrencies.includes(cur)) continue;
      r.check('BR-CO-14', toDouble(stringValue(t)) === expected, t);
    }
  }
}

// Context: //ram:SpecifiedTaxRegistration/ram:ID[@schemeID = 'VA'].
function checkVatIdentifierPrefixes(sc: CiiCoreScope, r: Reporter): void {
  for (const reg of P.desc(sc.doc, 'ram:SpecifiedTaxRegistration')) {
    for (const id of P.kids(reg, 'ram:ID')) {
      if (attr(id, 'schemeID') !== 'VA') continue;
      const prefix = [...stringValue(id)].slice(0, 2).join('');
      r.check('BR-CO-09', VAT_PREFIXES_CII.includes(' ' + prefix + ' '), id);
    }
  }
}

// VAT breakdown (BG-23) rules, on breakdowns no category-specific context took first (L, M, O with VAT).
function checkVatBreakdowns(sc: CiiCoreScope, r: Reporter): void {
  const taxPoint = P.desc(sc.doc, 'ram:TaxPointDate').length > 0;
  const dueCode = P.desc(sc.doc, 'ram:DueDateTypeCode').length > 0;
  for (const s of sc.settlements) {
    if (s.parent?.local !== 'SupplyChainTradeTransaction') continue;
    for (const t of P.kids(s, 'ram:ApplicableTradeTax')) {
      if (isVatTax(t) && P.kids(t, 'ram:CategoryCode').some(isLmoCode)) continue;
      const vat = isVatTax(t);
      r.check('BR-45', P.has(t, 'ram:BasisAmount'), t);
      r.check('BR-46', P.has(t, 'ram:CalculatedAmount'), t);
      r.check('BR-47', vat && P.has(t, 'ram:CategoryCode'), t);
      r.check('BR-48', vat && (P.has(t, 'ram:RateApplicablePercent') || P.kids(t, 'ram:CategoryCode').some(isCodeO)), t);
      r.check('BR-CO-03', !(taxPoint && dueCode), t);
      r.check('BR-CO-17', vatAmountConsistent(t), t);
      r.check('BR-DEC-19', decimalsOk(t, P, 'ram:BasisAmount'), t);
      r.check('BR-DEC-20', decimalsOk(t, P, 'ram:CalculatedAmount'), t);
    }
  }
}

/** BR-CO-17: the VAT category tax amount is the taxable amount times the rate, within ±1. */
function vatAmountConsistent(t: XmlElement): boolean {
  const vatNs = normalizeSpace(s1(t, 'ram:TypeCode').toUpperCase()) === 'VAT' && P.has(t, 'ram:TypeCode');
  const rate = vatNs ? decOf(t, 'ram:RateApplicablePercent') : null;
  const calc = decOf(t, 'ram:CalculatedAmount');
  const basis = decOf(t, 'ram:BasisAmount');
  let co17 = false;
  if (rate !== null && calc !== null && round0(rate).isZero() && round0(calc).isZero()) co17 = true;
  if (!co17 && rate !== null && calc !== null && basis !== null && !round0(rate).isZero()) {
    const expected = round2(basis.abs().times(rate.div(100)));
    co17 = calc.abs().minus(1).lte(expected) && calc.abs().plus(1).gte(expected);
  }
  if (!co17 && rate === null && calc !== null && round0(calc).isZero()) co17 = true;
  return co17;
}
