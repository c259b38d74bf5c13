import { P as CII, ciiRoot } from '../en16931/cii/common.ts';
import { P as UBL, ublRoot } from '../en16931/ubl/common.ts';
import type { ModelReporter } from '../model-rules.ts';
import { attr, normalizeSpace, stringValue, type XmlDocument, type XmlElement } from '../xml/tree.ts';

/**
 * The BR-FR rules that need the document rather than the model: the lexical form of amounts, quantities,
 * prices and rates (BR-FR-DEC-01…04: the model holds exact decimals, not what was written), repeated object
 * identifiers (BR-FR-29, 30) and the item attribute group as written (BR-FR-27, 28). Each rule is evaluated on
 * the paths of the official binding of its syntax (BR-FR-Flux2 CII / UBL 1.4.0) and reports the element.
 */

const value = (s: string) => `Valeur reçue : « ${s} ».`;

// custom:is-valid-decimal-19-2, -19-4, -19-6(-positive), is-valid-percent-4-2-positive: the pattern and at most
// 19 (4) characters once the separator is removed.
const digits = (s: string) => s.replace('.', '').length;
const AMOUNT = /^-?\d{1,19}(\.\d{1,2})?$/;
const QUANTITY = /^-?\d{1,19}(\.\d{1,4})?$/;
const PRICE = /^\d{1,19}(\.\d{1,6})?$/;
const SIGNED_PRICE = /^-?\d{1,19}(\.\d{1,6})?$/;
const RATE = /^\d{1,4}(\.\d{1,2})?$/;
const fits = (re: RegExp, max: number) => (s: string) => re.test(s) && digits(s) <= max;
const isAmount = fits(AMOUNT, 19);
const isQuantity = fits(QUANTITY, 19);
const isPrice = fits(PRICE, 19);
const isSignedPrice = fits(SIGNED_PRICE, 19);
const isRate = fits(RATE, 4);

/** Bidirectional self-billing frameworks: their prices may be negative (BR-FR-DEC-03). */
const BIDIRECTIONAL = new Set(['S9', 'B9', 'M9']);

type Check = (s: string) => boolean;

function format(r: ModelReporter, id: string, els: XmlElement[], ok: Check): void {
  for (const el of els) {
    const v = normalizeSpace(stringValue(el));
    r.checkAt(id, ok(v), el, value(v));
  }
}

// ---------------------------------------------------------------------------------------------------
// CII

const SET = 'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement';
const SUM = `${SET}/ram:SpecifiedTradeSettlementHeaderMonetarySummation`;
const LINE = 'rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem';

function ciiRules(root: XmlElement, r: ModelReporter, framework: string): void {
  const amounts = [
    `${SET}/ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount`,
    `${SET}/ram:SpecifiedTradeAllowanceCharge/ram:BasisAmount`,
    ...['LineTotalAmount', 'AllowanceTotalAmount', 'ChargeTotalAmount', 'TaxBasisTotalAmount', 'TaxTotalAmount', 'GrandTotalAmount', 'TotalPrepaidAmount', 'RoundingAmount', 'DuePayableAmount'].map((x) => `${SUM}/ram:${x}`),
    `${SET}/ram:ApplicableTradeTax/ram:BasisAmount`,
    `${SET}/ram:ApplicableTradeTax/ram:CalculatedAmount`,
    `${LINE}/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount`,
    `${LINE}/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount`,
    `${LINE}/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:BasisAmount`,
  ];
  for (const p of amounts) format(r, 'BR-FR-DEC-01', CII.all(root, p), isAmount);
  format(r, 'BR-FR-DEC-02', CII.all(root, `${LINE}/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity`), isQuantity);
  format(r, 'BR-FR-DEC-02', CII.all(root, `${LINE}/ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:BasisQuantity`), isQuantity);
  const price = BIDIRECTIONAL.has(framework) ? isSignedPrice : isPrice;
  for (const p of ['NetPriceProductTradePrice/ram:ChargeAmount', 'GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ActualAmount', 'GrossPriceProductTradePrice/ram:ChargeAmount']) {
    format(r, 'BR-FR-DEC-03', CII.all(root, `${LINE}/ram:SpecifiedLineTradeAgreement/ram:${p}`), price);
  }
  for (const p of [`${SET}/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:RateApplicablePercent`, `${SET}/ram:ApplicableTradeTax/ram:RateApplicablePercent`, `${LINE}/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent`]) {
    format(r, 'BR-FR-DEC-04', CII.all(root, p), isRate);
  }

  // BR-FR-27 / 28: each item attribute (BG-32) has a name or a code, and a value or a measured value.
  for (const c of CII.all(root, `${LINE}/ram:SpecifiedTradeProduct/ram:ApplicableProductCharacteristic`)) {
    r.checkAt('BR-FR-27', CII.has(c, 'ram:Description') || CII.has(c, 'ram:TypeCode'), c);
    for (const n of [...CII.kids(c, 'ram:Description'), ...CII.kids(c, 'ram:TypeCode')]) r.checkAt('BR-FR-27', normalizeSpace(stringValue(n)) !== '', n);
    const measured = CII.kids(c, 'ram:ValueMeasure').some((m) => attr(m, 'unitCode') !== undefined);
    const plain = CII.has(c, 'ram:Value');
    r.checkAt('BR-FR-28', (plain || measured) && !(plain && measured), c);
  }

  // BR-FR-29: the invoiced object identifiers (BT-18) carry each of the schemes AFL and AVV at most once.
  const agreement = CII.first(root, 'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement');
  if (agreement) objectIdentifiers(r, 'BR-FR-29', agreement, CII.kids(agreement, 'ram:AdditionalReferencedDocument'), (d) => CII.str(d, 'ram:ReferenceTypeCode'), (d) => CII.kids(d, 'ram:IssuerAssignedID'));
  // BR-FR-30 as the official CII binding writes it: on ram:AdditionalReferencedDocument children of the line
  // item itself (CII places BT-128 under SpecifiedLineTradeSettlement, so a schema-valid invoice never has them).
  for (const line of CII.all(root, LINE)) {
    objectIdentifiers(r, 'BR-FR-30', line, CII.kids(line, 'ram:AdditionalReferencedDocument'), (d) => CII.str(d, 'ram:ReferenceTypeCode'), (d) => CII.kids(d, 'ram:IssuerAssignedID'));
  }
}

function objectIdentifiers(
  r: ModelReporter,
  id: 'BR-FR-29' | 'BR-FR-30',
  context: XmlElement,
  docs: XmlElement[],
  scheme: (d: XmlElement) => string | undefined,
  ids: (d: XmlElement) => XmlElement[],
): void {
  const of = (s: string) => docs.filter((d) => scheme(d) === s);
  const afl = of('AFL');
  const avv = of('AVV');
  r.checkAt(id, afl.length <= 1 && avv.length <= 1, context, `AFL : ${afl.length}, AVV : ${avv.length}.`);
  for (const d of [...afl, ...avv]) for (const n of ids(d)) r.checkAt(id, normalizeSpace(stringValue(n)) !== '', n, `Identifiant ${scheme(d)} vide.`);
}

// ---------------------------------------------------------------------------------------------------
// UBL

function ublRules(root: XmlElement, r: ModelReporter, framework: string): void {
  const credit = root.local === 'CreditNote';
  const lines = UBL.all(root, credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine');
  const amounts = [
    'cac:AllowanceCharge/cbc:Amount',
    'cac:AllowanceCharge/cbc:BaseAmount',
    ...['LineExtensionAmount', 'AllowanceTotalAmount', 'ChargeTotalAmount', 'TaxExclusiveAmount', 'TaxInclusiveAmount', 'PrepaidAmount', 'PayableRoundingAmount', 'PayableAmount'].map((x) => `cac:LegalMonetaryTotal/cbc:${x}`),
    'cac:TaxTotal/cbc:TaxAmount',
    'cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount',
    'cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount',
  ];
  for (const p of amounts) format(r, 'BR-FR-DEC-01', UBL.all(root, p), isAmount);
  const price = BIDIRECTIONAL.has(framework) ? isSignedPrice : isPrice;
  for (const line of lines) {
    for (const p of ['cbc:LineExtensionAmount', 'cac:AllowanceCharge/cbc:Amount', 'cac:AllowanceCharge/cbc:BaseAmount']) format(r, 'BR-FR-DEC-01', UBL.all(line, p), isAmount);
    format(r, 'BR-FR-DEC-02', UBL.all(line, credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity'), isQuantity);
    format(r, 'BR-FR-DEC-02', UBL.all(line, 'cac:Price/cbc:BaseQuantity'), isQuantity);
    for (const p of ['cac:Price/cbc:PriceAmount', 'cac:Price/cac:AllowanceCharge/cbc:Amount', 'cac:Price/cac:AllowanceCharge/cbc:BaseAmount']) format(r, 'BR-FR-DEC-03', UBL.all(line, p), price);
    format(r, 'BR-FR-DEC-04', UBL.all(line, 'cac:Item/cac:ClassifiedTaxCategory/cbc:Percent'), isRate);

    for (const c of UBL.all(line, 'cac:Item/cac:AdditionalItemProperty')) {
      r.checkAt('BR-FR-27', UBL.has(c, 'cbc:Name') || UBL.has(c, 'cbc:NameCode'), c);
      for (const n of [...UBL.kids(c, 'cbc:Name'), ...UBL.kids(c, 'cbc:NameCode')]) r.checkAt('BR-FR-27', normalizeSpace(stringValue(n)) !== '', n);
      const measured = UBL.kids(c, 'cbc:ValueQuantity').some((m) => attr(m, 'unitCode') !== undefined);
      const plain = UBL.has(c, 'cbc:Value');
      r.checkAt('BR-FR-28', (plain || measured) && !(plain && measured), c);
    }
    // BR-FR-30 (UBL binding): per line document reference, the IDs of scheme AFL / AVV.
    for (const d of UBL.kids(line, 'cac:DocumentReference')) {
      objectIdentifiers(r, 'BR-FR-30', d, UBL.kids(d, 'cbc:ID'), (n) => attr(n, 'schemeID'), (n) => [n]);
    }
  }
  for (const p of ['cac:AllowanceCharge/cac:TaxCategory/cbc:Percent', 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent']) format(r, 'BR-FR-DEC-04', UBL.all(root, p), isRate);
  // BR-FR-29 (UBL binding): the document references' IDs of scheme AFL / AVV.
  objectIdentifiers(r, 'BR-FR-29', root, UBL.all(root, 'cac:AdditionalDocumentReference/cbc:ID'), (n) => attr(n, 'schemeID'), (n) => [n]);
}

/** Runs the tree part of the BR-FR set on the document the model was read from. */
export function brFrTreeRules(doc: XmlDocument, r: ModelReporter, framework: string): void {
  const cii = ciiRoot(doc);
  if (cii) return ciiRules(cii, r, framework);
  const ubl = ublRoot(doc);
  if (ubl) ublRules(ubl, r, framework);
}
