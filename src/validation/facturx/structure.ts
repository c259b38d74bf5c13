import type { Reporter, RuleText } from '../engine.ts';
import { CII_NS, P } from '../en16931/cii/common.ts';
import { attr, stringValue, type XmlElement } from '../xml/tree.ts';
import { EN16931_CL, EXTENDED_CL, type FacturxProfile } from './codedb.ts';

/**
 * Structural checks of the Factur-X Schematron ("Element 'ram:X' must occur exactly 1 times", "… is marked as
 * not used in the given context", "Value of '@format' is not allowed."), as data: per context (a child path from the
 * document element, whose steps may carry a variant's predicate), the checks the Schematron makes there.
 * Transcribed: BASIC and BASIC WL (1.08 Schematrons, all contexts), MINIMUM (1.09), EN 16931 (1.09.2, its whole
 * table: assertions, reports, element variants, value lists), EXTENDED (1.09, its whole structural pattern). The
 * checks that every profile shares and that were written before (facturx/rules.ts: document ID and type, BT-24
 * context, seller and buyer, totals, the code lists of countries, currencies, schemes, VAT categories and exemption
 * codes, units, allowance reasons) are not repeated here.
 *
 * Ids: the Schematron's own (FX-SCH-A-*). The EN 16931 1.09.2 Schematron numbers its assertions anew; where the
 * message has a shared 1.09 id in the BASIC, BASIC WL or MINIMUM tables (or rules.ts), as the oracle's 1.09 runs
 * report it, that id is used, else the 1.09.2 id (see EN16931). EXTENDED numbers nothing (FX-SCH-EXT:…, see KNOWN_IDS).
 * The "not used" reports carry none: they are reported as FX-SCH-NOT-USED:<element>, FX-SCH-NOT-USED:@<attribute> or
 * FX-SCH-NOT-USED:<variant>, with the official message, as warnings (see `report`).
 *
 * The interpreter descends the tree once per document along a trie of the profile's context steps (trieOf), so that
 * its cost follows the elements the contexts reach, not the number of contexts.
 */

type Check =
  | { id: string; kind: 'exactly' | 'max' | 'min'; child: string }
  | { id: string; kind: 'attribute'; name: string }
  | { kind: 'notUsed'; child: string }
  | { kind: 'attributeNotUsed'; name: string }
  /** A context node matched by an "Element variant … is marked as not used" rule: reported on the node itself. */
  | { kind: 'variantNotUsed'; id: string; message: string }
  /** `Value of 'label' is not allowed.`: the node's value (or attribute), when not empty, in the EXTENDED CodeDB list. */
  | { kind: 'value'; id: string; list: number; label: string; attribute?: string };

const exactly = (id: string, child: string): Check => ({ id, kind: 'exactly', child });
const max = (id: string, child: string): Check => ({ id, kind: 'max', child });
const min = (id: string, child: string): Check => ({ id, kind: 'min', child });
const required = (id: string, name: string): Check => ({ id, kind: 'attribute', name });
const notUsed = (child: string): Check => ({ kind: 'notUsed', child });
const attrNotUsed = (name: string): Check => ({ kind: 'attributeNotUsed', name });

const TX = 'rsm:SupplyChainTradeTransaction';
const AGR = `${TX}/ram:ApplicableHeaderTradeAgreement`;
const DEL = `${TX}/ram:ApplicableHeaderTradeDelivery`;
const SET = `${TX}/ram:ApplicableHeaderTradeSettlement`;
const LINE = `${TX}/ram:IncludedSupplyChainTradeLineItem`;
const SUM = `${SET}/ram:SpecifiedTradeSettlementHeaderMonetarySummation`;

const address = (party: string): [string, Check[]] => [`${party}/ram:PostalTradeAddress`, [exactly('FX-SCH-A-000035', 'ram:CountryID'), max('FX-SCH-A-000167', 'ram:CountrySubDivisionName')]];
const taxRegistration = (at: string): [string, Check[]][] => [
  [at, [exactly('FX-SCH-A-000019', 'ram:ID')]],
  [`${at}/ram:ID`, [required('FX-SCH-A-000037', 'schemeID')]],
];
const reference = (doc: string): [string, Check[]][] => [
  [doc, [exactly('FX-SCH-A-000029', 'ram:IssuerAssignedID'), notUsed('ram:FormattedIssueDateTime')]],
  [`${doc}/ram:IssuerAssignedID`, [attrNotUsed('schemeID')]],
];
const dateTime = (at: string): [string, Check[]] => [`${at}/udt:DateTimeString`, [required('FX-SCH-A-000021', 'format')]];
const currencyNotUsed = (...at: string[]): [string, Check[]][] => at.map((p) => [p, [attrNotUsed('currencyID')]]);

/** ram:ChargeIndicator/udt:Indicator = "false" (allowance) or "true" (charge), compared as written. */
export const indicatorIs = (el: XmlElement, value: 'true' | 'false') => P.all(el, 'ram:ChargeIndicator/udt:Indicator').some((i) => stringValue(i) === value);
type Variant = { at: string; allowance: Check[]; charge: Check[]; amounts: [string, Check[]][] };

/**
 * The header contexts that BASIC (Schematron "Factur-X; 1.08; EN16931-COMPLIANT-BASIC") and BASIC WL ("Factur-X;
 * 1.08; Accounting, BASIC without Lines", read context by context) share word for word (the 1.09 profile XSDs agree).
 */
const HEADER: [string, Check[]][] = [
  ['rsm:ExchangedDocument/ram:ID', [attrNotUsed('schemeID')]],
  ['rsm:ExchangedDocument/ram:IncludedNote', [exactly('FX-SCH-A-000160', 'ram:Content'), max('FX-SCH-A-000161', 'ram:SubjectCode')]],
  dateTime('rsm:ExchangedDocument/ram:IssueDateTime'),
  ['rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter', [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ['rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID', [attrNotUsed('schemeID')]],
  ['rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter', [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ['rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID', [attrNotUsed('schemeID')]],
  ...reference(`${AGR}/ram:BuyerOrderReferencedDocument`),
  ...reference(`${AGR}/ram:ContractReferencedDocument`),
  // Buyer (BG-7).
  [
    `${AGR}/ram:BuyerTradeParty`,
    [max('FX-SCH-A-000163', 'ram:ID'), max('FX-SCH-A-000164', 'ram:GlobalID'), exactly('FX-SCH-A-000032', 'ram:PostalTradeAddress'), max('FX-SCH-A-000165', 'ram:URIUniversalCommunication'), max('FX-SCH-A-000166', 'ram:SpecifiedTaxRegistration')],
  ],
  [`${AGR}/ram:BuyerTradeParty/ram:GlobalID`, [required('FX-SCH-A-000037', 'schemeID')]],
  [`${AGR}/ram:BuyerTradeParty/ram:ID`, [attrNotUsed('schemeID')]],
  address(`${AGR}/ram:BuyerTradeParty`),
  [`${AGR}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization`, [notUsed('ram:TradingBusinessName')]],
  ...taxRegistration(`${AGR}/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration`),
  [`${AGR}/ram:BuyerTradeParty/ram:URIUniversalCommunication`, [exactly('FX-SCH-A-000168', 'ram:URIID')]],
  [`${AGR}/ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID`, [required('FX-SCH-A-000037', 'schemeID')]],
  // Seller's tax representative (BG-11).
  [
    `${AGR}/ram:SellerTaxRepresentativeTradeParty`,
    [exactly('FX-SCH-A-000030', 'ram:Name'), exactly('FX-SCH-A-000032', 'ram:PostalTradeAddress'), exactly('FX-SCH-A-000169', 'ram:SpecifiedTaxRegistration'), notUsed('ram:GlobalID'), notUsed('ram:ID'), notUsed('ram:SpecifiedLegalOrganization'), notUsed('ram:URIUniversalCommunication')],
  ],
  address(`${AGR}/ram:SellerTaxRepresentativeTradeParty`),
  ...taxRegistration(`${AGR}/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration`),
  // Seller (BG-4): the tax registrations are checked per scheme below.
  [`${AGR}/ram:SellerTradeParty`, [max('FX-SCH-A-000165', 'ram:URIUniversalCommunication')]],
  [`${AGR}/ram:SellerTradeParty/ram:GlobalID`, [required('FX-SCH-A-000037', 'schemeID')]],
  [`${AGR}/ram:SellerTradeParty/ram:ID`, [attrNotUsed('schemeID')]],
  [`${AGR}/ram:SellerTradeParty/ram:PostalTradeAddress`, [max('FX-SCH-A-000167', 'ram:CountrySubDivisionName')]],
  [`${AGR}/ram:SellerTradeParty/ram:URIUniversalCommunication`, [exactly('FX-SCH-A-000168', 'ram:URIID')]],
  [`${AGR}/ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID`, [required('FX-SCH-A-000037', 'schemeID')]],
  // Delivery (BG-13).
  [`${DEL}/ram:ActualDeliverySupplyChainEvent`, [exactly('FX-SCH-A-000171', 'ram:OccurrenceDateTime')]],
  dateTime(`${DEL}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime`),
  ...reference(`${DEL}/ram:DespatchAdviceReferencedDocument`),
  [`${DEL}/ram:ShipToTradeParty`, [max('FX-SCH-A-000163', 'ram:ID'), max('FX-SCH-A-000164', 'ram:GlobalID'), notUsed('ram:SpecifiedLegalOrganization'), notUsed('ram:SpecifiedTaxRegistration'), notUsed('ram:URIUniversalCommunication')]],
  [`${DEL}/ram:ShipToTradeParty/ram:GlobalID`, [required('FX-SCH-A-000037', 'schemeID')]],
  [`${DEL}/ram:ShipToTradeParty/ram:ID`, [attrNotUsed('schemeID')]],
  address(`${DEL}/ram:ShipToTradeParty`),
  // Settlement and VAT breakdown (BG-23).
  [SET, [max('FX-SCH-A-000172', 'ram:PaymentReference'), min('FX-SCH-A-000173', 'ram:ApplicableTradeTax'), max('FX-SCH-A-000174', 'ram:SpecifiedTradePaymentTerms'), max('FX-SCH-A-000175', 'ram:ReceivableSpecifiedTradeAccountingAccount')]],
  [`${SET}/ram:ApplicableTradeTax`, [exactly('FX-SCH-A-000176', 'ram:CalculatedAmount'), exactly('FX-SCH-A-000020', 'ram:TypeCode'), exactly('FX-SCH-A-000177', 'ram:BasisAmount'), exactly('FX-SCH-A-000178', 'ram:CategoryCode')]],
  [`${SET}/ram:ApplicableTradeTax/ram:BasisAmount`, [attrNotUsed('currencyID')]],
  [`${SET}/ram:ApplicableTradeTax/ram:CalculatedAmount`, [attrNotUsed('currencyID')]],
  dateTime(`${SET}/ram:BillingSpecifiedPeriod/ram:EndDateTime`),
  dateTime(`${SET}/ram:BillingSpecifiedPeriod/ram:StartDateTime`),
  [`${SET}/ram:CreditorReferenceID`, [attrNotUsed('schemeID')]],
  [`${SET}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString`, [required('FX-SCH-A-000021', 'format')]],
  [`${SET}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID`, [attrNotUsed('schemeID')]],
  // Payee (BG-10).
  [`${SET}/ram:PayeeTradeParty`, [max('FX-SCH-A-000163', 'ram:ID'), max('FX-SCH-A-000164', 'ram:GlobalID'), exactly('FX-SCH-A-000030', 'ram:Name'), notUsed('ram:PostalTradeAddress'), notUsed('ram:SpecifiedTaxRegistration'), notUsed('ram:URIUniversalCommunication')]],
  [`${SET}/ram:PayeeTradeParty/ram:GlobalID`, [required('FX-SCH-A-000037', 'schemeID')]],
  [`${SET}/ram:PayeeTradeParty/ram:ID`, [attrNotUsed('schemeID')]],
  [`${SET}/ram:PayeeTradeParty/ram:SpecifiedLegalOrganization`, [notUsed('ram:TradingBusinessName')]],
  [`${SET}/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID`, [attrNotUsed('schemeID')]],
  // Payment terms and means (BG-16).
  [`${SET}/ram:SpecifiedTradePaymentTerms`, [max('FX-SCH-A-000187', 'ram:Description'), max('FX-SCH-A-000188', 'ram:DirectDebitMandateID')]],
  [`${SET}/ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID`, [attrNotUsed('schemeID')]],
  dateTime(`${SET}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime`),
  [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans`, [exactly('FX-SCH-A-000020', 'ram:TypeCode'), max('FX-SCH-A-000194', 'ram:PayeePartyCreditorFinancialAccount')]],
  [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:IBANID`, [attrNotUsed('schemeID')]],
  [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID`, [attrNotUsed('schemeID')]],
  [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount`, [exactly('FX-SCH-A-000195', 'ram:IBANID')]],
  [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount/ram:IBANID`, [attrNotUsed('schemeID')]],
  // Totals (BG-22): the ones every profile checks are in rules.ts.
  [`${SET}/ram:SpecifiedTradeSettlementHeaderMonetarySummation`, [exactly('FX-SCH-A-000189', 'ram:LineTotalAmount'), max('FX-SCH-A-000190', 'ram:ChargeTotalAmount'), max('FX-SCH-A-000191', 'ram:AllowanceTotalAmount'), max('FX-SCH-A-000193', 'ram:TotalPrepaidAmount')]],
  ...currencyNotUsed(...['AllowanceTotalAmount', 'ChargeTotalAmount', 'DuePayableAmount', 'GrandTotalAmount', 'LineTotalAmount', 'TaxBasisTotalAmount', 'TotalPrepaidAmount'].map((x) => `${SUM}/ram:${x}`)),
];

/** BASIC: the shared header, at least one line, and the line contexts (BG-25). */
const BASIC: [string, Check[]][] = [
  ...HEADER,
  [TX, [min('FX-SCH-A-000265', 'ram:IncludedSupplyChainTradeLineItem')]],
  [LINE, [exactly('FX-SCH-A-000266', 'ram:AssociatedDocumentLineDocument'), exactly('FX-SCH-A-000267', 'ram:SpecifiedTradeProduct'), exactly('FX-SCH-A-000268', 'ram:SpecifiedLineTradeAgreement'), exactly('FX-SCH-A-000269', 'ram:SpecifiedLineTradeDelivery')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument`, [exactly('FX-SCH-A-000270', 'ram:LineID'), max('FX-SCH-A-000271', 'ram:IncludedNote')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument/ram:IncludedNote`, [exactly('FX-SCH-A-000160', 'ram:Content'), notUsed('ram:SubjectCode')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument/ram:LineID`, [attrNotUsed('schemeID')]],
  [`${LINE}/ram:SpecifiedLineTradeAgreement`, [exactly('FX-SCH-A-000272', 'ram:NetPriceProductTradePrice')]],
  [`${LINE}/ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice`, [exactly('FX-SCH-A-000273', 'ram:ChargeAmount')]],
  [`${LINE}/ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice`, [exactly('FX-SCH-A-000273', 'ram:ChargeAmount'), notUsed('ram:AppliedTradeAllowanceCharge')]],
  ...currencyNotUsed(`${LINE}/ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:ChargeAmount`, `${LINE}/ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount`),
  [`${LINE}/ram:SpecifiedLineTradeDelivery`, [exactly('FX-SCH-A-000276', 'ram:BilledQuantity')]],
  [`${LINE}/ram:SpecifiedLineTradeSettlement`, [exactly('FX-SCH-A-000278', 'ram:ApplicableTradeTax'), exactly('FX-SCH-A-000279', 'ram:SpecifiedTradeSettlementLineMonetarySummation')]],
  [`${LINE}/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax`, [exactly('FX-SCH-A-000020', 'ram:TypeCode'), exactly('FX-SCH-A-000178', 'ram:CategoryCode'), notUsed('ram:BasisAmount'), notUsed('ram:CalculatedAmount'), notUsed('ram:ExemptionReason'), notUsed('ram:ExemptionReasonCode')]],
  dateTime(`${LINE}/ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/ram:EndDateTime`),
  dateTime(`${LINE}/ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/ram:StartDateTime`),
  [`${LINE}/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation`, [exactly('FX-SCH-A-000189', 'ram:LineTotalAmount')]],
  ...currencyNotUsed(`${LINE}/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount`),
  [`${LINE}/ram:SpecifiedTradeProduct`, [exactly('FX-SCH-A-000030', 'ram:Name')]],
  [`${LINE}/ram:SpecifiedTradeProduct/ram:GlobalID`, [required('FX-SCH-A-000037', 'schemeID')]],
];

/** The document-level allowance / charge contexts (BG-20 / BG-21), split by ChargeIndicator as the Schematron's variants are. */
const HEADER_VARIANT: Variant = {
  at: `${SET}/ram:SpecifiedTradeAllowanceCharge`,
  allowance: [exactly('FX-SCH-A-000183', 'ram:ChargeIndicator'), exactly('FX-SCH-A-000184', 'ram:ActualAmount'), exactly('FX-SCH-A-000185', 'ram:CategoryTradeTax')],
  charge: [exactly('FX-SCH-A-000183', 'ram:ChargeIndicator'), exactly('FX-SCH-A-000184', 'ram:ActualAmount'), exactly('FX-SCH-A-000185', 'ram:CategoryTradeTax')],
  amounts: [
    ['ram:ActualAmount', [attrNotUsed('currencyID')]],
    ['ram:BasisAmount', [attrNotUsed('currencyID')]],
    ['ram:CategoryTradeTax', [exactly('FX-SCH-A-000020', 'ram:TypeCode'), exactly('FX-SCH-A-000178', 'ram:CategoryCode'), notUsed('ram:BasisAmount'), notUsed('ram:CalculatedAmount'), notUsed('ram:DueDateTypeCode'), notUsed('ram:ExemptionReason'), notUsed('ram:ExemptionReasonCode')]],
  ],
};

/** The allowance / charge contexts of BASIC: the document level, then the line level and the gross price discount. */
const BASIC_VARIANTS: Variant[] = [
  HEADER_VARIANT,
  {
    at: `${LINE}/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge`,
    allowance: [exactly('FX-SCH-A-000183', 'ram:ChargeIndicator'), exactly('FX-SCH-A-000184', 'ram:ActualAmount'), notUsed('ram:BasisAmount'), notUsed('ram:CalculationPercent'), notUsed('ram:CategoryTradeTax')],
    charge: [exactly('FX-SCH-A-000183', 'ram:ChargeIndicator'), exactly('FX-SCH-A-000184', 'ram:ActualAmount'), notUsed('ram:BasisAmount'), notUsed('ram:CalculationPercent'), notUsed('ram:CategoryTradeTax')],
    amounts: [['ram:ActualAmount', [attrNotUsed('currencyID')]]],
  },
  {
    // Gross price (BT-148) discount: at most one allowance; the Schematron has no rule for a charge there.
    at: `${LINE}/ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge`,
    allowance: [exactly('FX-SCH-A-000183', 'ram:ChargeIndicator'), exactly('FX-SCH-A-000184', 'ram:ActualAmount'), notUsed('ram:BasisAmount'), notUsed('ram:CalculationPercent'), notUsed('ram:CategoryTradeTax'), notUsed('ram:Reason'), notUsed('ram:ReasonCode')],
    charge: [],
    amounts: [['ram:ActualAmount', [attrNotUsed('currencyID')]]],
  },
];

/** MINIMUM: Schematron "Factur-X; 1.09; Accounting, MINIMUM" (compiled XSLT), all its structural contexts. */
const MINIMUM: [string, Check[]][] = [
  ['rsm:ExchangedDocument/ram:ID', [attrNotUsed('schemeID')]],
  dateTime('rsm:ExchangedDocument/ram:IssueDateTime'),
  ['rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter', [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ['rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID', [attrNotUsed('schemeID')]],
  ['rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter', [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ['rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID', [attrNotUsed('schemeID')]],
  [`${AGR}/ram:BuyerOrderReferencedDocument`, [exactly('FX-SCH-A-000029', 'ram:IssuerAssignedID')]],
  [`${AGR}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID`, [attrNotUsed('schemeID')]],
  [`${AGR}/ram:BuyerTradeParty`, [notUsed('ram:PostalTradeAddress'), notUsed('ram:SpecifiedTaxRegistration')]],
  [`${AGR}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization`, [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ...currencyNotUsed(`${SUM}/ram:DuePayableAmount`, `${SUM}/ram:GrandTotalAmount`, `${SUM}/ram:TaxBasisTotalAmount`),
];

/**
 * BASIC WL: Schematron "Factur-X; 1.08; Accounting, BASIC without Lines". Its structural pattern is BASIC's header
 * word for word, without the line contexts (the profile XSD has no line element).
 */
const BASIC_WL: [string, Check[]][] = HEADER;

/**
 * The ids of the EXTENDED assertions, which the EXTENDED Schematron does not number: the FX-SCH-A id another profile's
 * table gives the same message (kind and element), else FX-SCH-EXT:kind:element. The EN 16931 table is left out: where
 * no shared 1.09 id exists it carries the 1.09.2 id of one context, not a message's.
 */
const KNOWN_IDS = new Map<string, string>();
for (const checks of [MINIMUM, HEADER, BASIC].flatMap((t) => t.map(([, c]) => c)).concat(BASIC_VARIANTS.flatMap((v) => [v.allowance, v.charge, ...v.amounts.map(([, c]) => c)]))) {
  for (const c of checks) {
    if (c.kind === 'exactly' || c.kind === 'max' || c.kind === 'min') KNOWN_IDS.set(`${c.kind}:${c.child}`, c.id);
    else if (c.kind === 'attribute') KNOWN_IDS.set(`attribute:${c.name}`, c.id);
  }
}
const extId = (kind: string, what: string) => KNOWN_IDS.get(`${kind}:${what}`) ?? `FX-SCH-EXT:${kind}:${what}`;
const x = {
  exactly: (child: string) => exactly(extId('exactly', child), child),
  max: (child: string) => max(extId('max', child), child),
  min: (child: string) => min(extId('min', child), child),
  required: (name: string) => required(extId('attribute', name), name),
};
const notUsedAll = (...children: string[]) => children.map((c) => notUsed(`ram:${c}`));
const extDate = (at: string): [string, Check[]] => [`${at}/qdt:DateTimeString`, [x.required('format')]];

/**
 * The contexts the EXTENDED table gives every trade party (contact, IDs, addresses, registrations, electronic address).
 * The buyer and the seller may have a description; the seller's tax registrations are checked by scheme (VA / FC
 * variants, in checkStructure).
 */
const extParty = (party: string, top: Check[], opts: { description?: boolean; registrations?: boolean; legalAddress?: boolean } = {}): [string, Check[]][] => [
  [party, [...top, ...(opts.description ? [] : [notUsed('ram:Description')])]],
  [`${party}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication`, [x.exactly('ram:URIID'), notUsed('ram:CompleteNumber')]],
  [`${party}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID`, [attrNotUsed('schemeID')]],
  [`${party}/ram:DefinedTradeContact/ram:FaxUniversalCommunication`, [x.exactly('ram:CompleteNumber'), notUsed('ram:URIID')]],
  [`${party}/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication`, [x.exactly('ram:CompleteNumber'), notUsed('ram:URIID')]],
  // Every party's GlobalID scheme is in list 11 (the ISO 6523 list 12 plus BY and SE).
  [`${party}/ram:GlobalID`, [x.required('schemeID'), attrInList(11, 'schemeID', 'FX-SCH-A-000031')]],
  [`${party}/ram:ID`, [attrNotUsed('schemeID')]],
  [`${party}/ram:PostalTradeAddress`, [x.exactly('ram:CountryID'), x.max('ram:CountrySubDivisionName')]],
  [`${party}/ram:PostalTradeAddress/ram:PostcodeCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  ...(opts.legalAddress === false
    ? ([[`${party}/ram:SpecifiedLegalOrganization`, [notUsed('ram:PostalTradeAddress')]]] as [string, Check[]][])
    : ([
        [`${party}/ram:SpecifiedLegalOrganization/ram:PostalTradeAddress`, [x.exactly('ram:CountryID'), x.max('ram:CountrySubDivisionName')]],
        [`${party}/ram:SpecifiedLegalOrganization/ram:PostalTradeAddress/ram:PostcodeCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
      ] as [string, Check[]][])),
  ...(opts.registrations === false
    ? []
    : ([
        [`${party}/ram:SpecifiedTaxRegistration`, [x.exactly('ram:ID')]],
        [`${party}/ram:SpecifiedTaxRegistration/ram:ID`, [x.required('schemeID')]],
      ] as [string, Check[]][])),
  [`${party}/ram:URIUniversalCommunication`, [x.exactly('ram:URIID'), notUsed('ram:CompleteNumber')]],
  [`${party}/ram:URIUniversalCommunication/ram:URIID`, [x.required('schemeID')]],
];
/** A referenced document (order, contract, quotation, delivery note…): one ID, a dated `@format`, no scheme. */
const extReference = (at: string, unused: string[]): [string, Check[]][] => [
  [at, [x.exactly('ram:IssuerAssignedID'), ...notUsedAll(...unused)]],
  extDate(`${at}/ram:FormattedIssueDateTime`),
  [`${at}/ram:IssuerAssignedID`, [attrNotUsed('schemeID')]],
];
const ALL_BUT_ID = ['AttachmentBinaryObject', 'LineID', 'Name', 'ReferenceTypeCode', 'TypeCode', 'URIID'];
/** A document referenced by a line (order, contract, quotation lines): a dated `@format`, IDs without scheme. */
const lineReference = (at: string): [string, Check[]][] => [
  [at, notUsedAll('AttachmentBinaryObject', 'Name', 'ReferenceTypeCode', 'TypeCode', 'URIID')],
  extDate(`${at}/ram:FormattedIssueDateTime`),
  [`${at}/ram:IssuerAssignedID`, [attrNotUsed('schemeID')]],
  [`${at}/ram:LineID`, [attrNotUsed('schemeID')]],
];
/** A price's own tax (BT-X-…): amount, type, category and rate once, no basis or dates. */
const priceTax = (at: string): [string, Check[]][] => [
  [
    at,
    [x.exactly('ram:CalculatedAmount'), x.exactly('ram:TypeCode'), x.exactly('ram:CategoryCode'), x.exactly('ram:RateApplicablePercent'), ...notUsedAll('AllowanceChargeBasisAmount', 'BasisAmount', 'DueDateTypeCode', 'LineTotalBasisAmount', 'TaxPointDate')],
  ],
  ...currencyNotUsed(`${at}/ram:CalculatedAmount`),
  [`${at}/ram:ExemptionReasonCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
];
/**
 * The value checks rules.ts makes for every profile but EXTENDED, whose table checks the same values with its own
 * lists, by variant (same messages, same ids).
 */
export const EVERY_PROFILE_VALUE_IDS: ReadonlySet<string> = new Set(['FX-SCH-A-000031', 'FX-SCH-A-000045', 'FX-SCH-A-000186']);
/**
 * An EXTENDED value-list check on the context's value (`label` = its name as the message writes it) or attribute.
 * `id`: where the message is one rules.ts reports for every profile (EVERY_PROFILE_VALUE_IDS), its id.
 */
const inList = (list: number, label: string, id = `FX-SCH-EXT:value:${label}`): Check => ({ kind: 'value', id, list, label });
const attrInList = (list: number, name: string, id = `FX-SCH-EXT:value:@${name}`): Check => ({ kind: 'value', id, list, label: `@${name}`, attribute: name });
const formatIn = (list: number, at: string): [string, Check[]] => [at, [attrInList(list, 'format')]];
const GROSS_PRICE_REASON_VARIANT = 'Element variant \'ram:ReasonCode[ not(@listID="5153") and  not(not (@listID))]\' is marked as not used in the given context.';
const GROSS_PRICE_VARIANT =
  'Element variant \'ram:AppliedTradeAllowanceCharge[ not(ram:ChargeIndicator/udt:Indicator="false") and  not(ram:ChargeIndicator/udt:Indicator="true")]\' is marked as not used in the given context.';
/** The top cardinalities of a party other than the seller and the buyer (agents, representatives). */
const agentTop = (registration: Check): Check[] => [x.max('ram:ID'), x.exactly('ram:Name'), x.max('ram:RoleCode'), x.max('ram:URIUniversalCommunication'), registration];

const AC = `${SET}/ram:SpecifiedTradeAllowanceCharge`;
const LINE_AGR = `${LINE}/ram:SpecifiedLineTradeAgreement`;
const LINE_DEL = `${LINE}/ram:SpecifiedLineTradeDelivery`;
const LINE_SET = `${LINE}/ram:SpecifiedLineTradeSettlement`;
const LINE_AC = `${LINE_SET}/ram:SpecifiedTradeAllowanceCharge`;
const PROD = `${LINE}/ram:SpecifiedTradeProduct`;
const GROSS_AC = `${LINE_AGR}/ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge`;
const CHARGE_INDICATOR_VARIANT =
  'Element variant \'ram:SpecifiedTradeAllowanceCharge[ not(ram:ChargeIndicator/udt:Indicator="false") and  not(ram:ChargeIndicator/udt:Indicator="true")]\' is marked as not used in the given context.';
const REASON_CODE_VARIANT = 'Element variant \'ram:ReasonCode[ not(not (@listID)) and  not(@listID="5153")]\' is marked as not used in the given context.';
const ARD = `${AGR}/ram:AdditionalReferencedDocument`;
const ARD_OTHER = 'Element variant \'ram:AdditionalReferencedDocument[ not(ram:TypeCode="916") and  not(ram:TypeCode="50") and  not(ram:TypeCode="130")]\' is marked as not used in the given context.';
/** The document references (BG-24, BT-17, BT-18) by type code, as the EXTENDED variants split them. */
const additionalDocument = (code: string, top: Check[], unused: string[]): [string, Check[]][] => [
  [`${ARD}[ram:TypeCode="${code}"]`, [x.exactly('ram:IssuerAssignedID'), x.exactly('ram:TypeCode'), ...top, ...notUsedAll(...unused)]],
  extDate(`${ARD}[ram:TypeCode="${code}"]/ram:FormattedIssueDateTime`),
  [`${ARD}[ram:TypeCode="${code}"]/ram:IssuerAssignedID`, [attrNotUsed('schemeID')]],
];

/**
 * EN 16931: Schematron "Factur-X; 1.09.2; EN 16931" (compiled XSLT FACTUR-X_EN16931.xslt of `akretion/factur-x`),
 * read context by context: its structural pattern (priorities 1307 to 1000) and the Factur-X assertions of the
 * business patterns (preceding invoice, line settlement). The seller's tax registrations by scheme and the total VAT by
 * currency are in `checkStructure`, the gross price discount is BASIC's variant.
 *
 * Ids: 1.09.2 numbers every assertion anew (FX-SCH-A-000406…) while the official 1.09 runs of the oracle use one id
 * per message (FX-SCH-A-000019 for every "Element 'ram:ID' must occur exactly 1 times."): an assertion whose message
 * has a shared id in the BASIC, BASIC WL or MINIMUM tables (or rules.ts) reports that id, the others their 1.09.2 id.
 */
const en = {
  /** "Value of 'label' is not allowed.": the value (or the attribute's, for an '@x' label), when not empty, in list N of the EN 16931 CodeDB. */
  value: (id: string, list: number, label: string): Check => (label.startsWith('@') ? { kind: 'value', id, list, label, attribute: label.slice(1) } : { kind: 'value', id, list, label }),
  /** A date with its required format (shared id) in list 3, 27 or 33 (102), under its 1.09.2 id. */
  formatted: (at: string, id: string, list = 3): [string, Check[]] => [at, [required('FX-SCH-A-000021', 'format'), en.value(id, list, '@format')]],
  /** A referenced document that carries an ID only (BT-13, BT-12, BT-14, BT-16, BT-15, BT-25). */
  idOnly: (doc: string, unused = ['AttachmentBinaryObject', 'FormattedIssueDateTime', 'LineID', 'Name', 'ReferenceTypeCode', 'TypeCode', 'URIID']): [string, Check[]][] => [
    [doc, [exactly('FX-SCH-A-000029', 'ram:IssuerAssignedID'), ...notUsedAll(...unused)]],
    [`${doc}/ram:IssuerAssignedID`, [attrNotUsed('schemeID')]],
  ],
  /** The buyer's and the seller's contact, IDs, address and electronic address; `ids`: the 1.09.2 ids without a shared one. */
  party: (at: string, ids: { contacts: string; telephone: string }): [string, Check[]][] => [
    [at, [max(ids.contacts, 'ram:DefinedTradeContact'), max('FX-SCH-A-000165', 'ram:URIUniversalCommunication')]],
    [`${at}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication`, [exactly('FX-SCH-A-000168', 'ram:URIID'), notUsed('ram:CompleteNumber')]],
    [`${at}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID`, [attrNotUsed('schemeID')]],
    [`${at}/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication`, [exactly(ids.telephone, 'ram:CompleteNumber'), notUsed('ram:URIID')]],
    [`${at}/ram:GlobalID`, [required('FX-SCH-A-000037', 'schemeID')]],
    [`${at}/ram:ID`, [attrNotUsed('schemeID')]],
    [`${at}/ram:PostalTradeAddress`, [max('FX-SCH-A-000167', 'ram:CountrySubDivisionName')]],
    [`${at}/ram:PostalTradeAddress/ram:PostcodeCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
    [`${at}/ram:URIUniversalCommunication`, [exactly('FX-SCH-A-000168', 'ram:URIID'), notUsed('ram:CompleteNumber')]],
    [`${at}/ram:URIUniversalCommunication/ram:URIID`, [required('FX-SCH-A-000037', 'schemeID')]],
  ],
  /**
   * Allowances and charges by indicator (document or line level): the same checks for both, a variant not used for
   * another indicator; a charge's reason code from UNTDID 7161 without listID (list `reasons`), not used with a listID
   * other than 5153.
   */
  charges: (at: string, top: Check[], children: (base: string) => [string, Check[]][], reasonId: string, reasons: number): [string, Check[]][] => [
    [`${at}[!ram:ChargeIndicator/udt:Indicator="false"|"true"]`, [{ kind: 'variantNotUsed', id: 'FX-SCH-NOT-USED:ChargeIndicator-variant', message: CHARGE_INDICATOR_VARIANT }]],
    ...(['false', 'true'] as const).flatMap((i): [string, Check[]][] => [[`${at}[ram:ChargeIndicator/udt:Indicator="${i}"]`, top], ...children(`${at}[ram:ChargeIndicator/udt:Indicator="${i}"]`)]),
    [`${at}[ram:ChargeIndicator/udt:Indicator="true"]/ram:ReasonCode[!@listID="5153"]`, [{ kind: 'variantNotUsed', id: 'FX-SCH-NOT-USED:ReasonCode-variant', message: REASON_CODE_VARIANT }]],
    [`${at}[ram:ChargeIndicator/udt:Indicator="true"]/ram:ReasonCode[!@listID]`, [en.value(reasonId, reasons, 'ram:ReasonCode[not (@listID)]')]],
  ],
};
const EN_PM = `${SET}/ram:SpecifiedTradeSettlementPaymentMeans`;
/** A header additional document of one type code (the Schematron's variants). */
const ARD_V = (code: string) => `${ARD}[ram:TypeCode="${code}"]`;
const EN16931: [string, Check[]][] = [
  // Document (BT-1 … BT-3, notes BG-1) and its context (BT-23, BT-24): the ID, type code and contexts are in rules.ts.
  ['rsm:ExchangedDocument/ram:ID', [attrNotUsed('schemeID')]],
  ['rsm:ExchangedDocument/ram:IncludedNote', [exactly('FX-SCH-A-000160', 'ram:Content'), max('FX-SCH-A-000161', 'ram:SubjectCode')]],
  ['rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode', [en.value('FX-SCH-A-000553', 4, 'ram:SubjectCode'), attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  en.formatted('rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString', 'FX-SCH-A-000554'),
  ['rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter', [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ['rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID', [attrNotUsed('schemeID')]],
  ['rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter', [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ['rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID', [attrNotUsed('schemeID')]],
  [TX, [min('FX-SCH-A-000265', 'ram:IncludedSupplyChainTradeLineItem')]],
  // Additional documents by type code: 130 (invoiced object, BT-18), 50 (tender or lot, BT-17), 916 (supporting document).
  [`${ARD}[!ram:TypeCode="916"|"50"|"130"]`, [{ kind: 'variantNotUsed', id: 'FX-SCH-NOT-USED:AdditionalReferencedDocument-variant', message: ARD_OTHER }]],
  [ARD_V('130'), [exactly('FX-SCH-A-000029', 'ram:IssuerAssignedID'), exactly('FX-SCH-A-000020', 'ram:TypeCode'), ...notUsedAll('AttachmentBinaryObject', 'FormattedIssueDateTime', 'LineID', 'Name', 'URIID')]],
  [`${ARD_V('130')}/ram:ReferenceTypeCode`, [en.value('FX-SCH-A-000282', 14, 'ram:ReferenceTypeCode')]],
  [ARD_V('50'), [exactly('FX-SCH-A-000029', 'ram:IssuerAssignedID'), exactly('FX-SCH-A-000020', 'ram:TypeCode'), ...notUsedAll('AttachmentBinaryObject', 'FormattedIssueDateTime', 'LineID', 'Name', 'ReferenceTypeCode', 'URIID')]],
  [ARD_V('916'), [exactly('FX-SCH-A-000029', 'ram:IssuerAssignedID'), exactly('FX-SCH-A-000020', 'ram:TypeCode'), max('FX-SCH-A-000283', 'ram:Name'), max('FX-SCH-A-000284', 'ram:AttachmentBinaryObject'), ...notUsedAll('FormattedIssueDateTime', 'LineID', 'ReferenceTypeCode')]],
  [`${ARD_V('916')}/ram:AttachmentBinaryObject`, [required('FX-SCH-A-000285', 'mimeCode'), en.value('FX-SCH-A-000287', 21, '@mimeCode'), required('FX-SCH-A-000286', 'filename')]],
  [`${ARD_V('916')}/ram:URIID`, [attrNotUsed('schemeID')]],
  ...['130', '50', '916'].map((code): [string, Check[]] => [`${ARD_V(code)}/ram:IssuerAssignedID`, [attrNotUsed('schemeID')]]),
  // Order, contract and seller order references (BT-13, BT-12, BT-14): an ID only.
  ...en.idOnly(`${AGR}/ram:BuyerOrderReferencedDocument`),
  ...en.idOnly(`${AGR}/ram:ContractReferencedDocument`),
  ...en.idOnly(`${AGR}/ram:SellerOrderReferencedDocument`),
  // Buyer (BG-7): name in rules.ts.
  [`${AGR}/ram:BuyerTradeParty`, [max('FX-SCH-A-000163', 'ram:ID'), max('FX-SCH-A-000164', 'ram:GlobalID'), exactly('FX-SCH-A-000032', 'ram:PostalTradeAddress'), max('FX-SCH-A-000166', 'ram:SpecifiedTaxRegistration'), notUsed('ram:Description')]],
  ...en.party(`${AGR}/ram:BuyerTradeParty`, { contacts: 'FX-SCH-A-000288', telephone: 'FX-SCH-A-000289' }),
  [`${AGR}/ram:BuyerTradeParty/ram:PostalTradeAddress`, [exactly('FX-SCH-A-000035', 'ram:CountryID')]],
  ...taxRegistration(`${AGR}/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration`),
  // Seller's tax representative (BG-11).
  [
    `${AGR}/ram:SellerTaxRepresentativeTradeParty`,
    [exactly('FX-SCH-A-000030', 'ram:Name'), exactly('FX-SCH-A-000032', 'ram:PostalTradeAddress'), exactly('FX-SCH-A-000169', 'ram:SpecifiedTaxRegistration'), ...notUsedAll('DefinedTradeContact', 'Description', 'GlobalID', 'ID', 'SpecifiedLegalOrganization', 'URIUniversalCommunication')],
  ],
  address(`${AGR}/ram:SellerTaxRepresentativeTradeParty`),
  [`${AGR}/ram:SellerTaxRepresentativeTradeParty/ram:PostalTradeAddress/ram:PostcodeCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  ...taxRegistration(`${AGR}/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration`),
  // Seller (BG-4): name, address and country in rules.ts, tax registrations by scheme in checkStructure.
  [`${AGR}/ram:SellerTradeParty`, [max('FX-SCH-A-000187', 'ram:Description')]],
  ...en.party(`${AGR}/ram:SellerTradeParty`, { contacts: 'FX-SCH-A-000576', telephone: 'FX-SCH-A-000578' }),
  [`${AGR}/ram:SpecifiedProcuringProject/ram:ID`, [attrNotUsed('schemeID')]],
  // Delivery (BG-13): date, despatch and receiving advices, ship-to.
  [`${DEL}/ram:ActualDeliverySupplyChainEvent`, [exactly('FX-SCH-A-000171', 'ram:OccurrenceDateTime')]],
  en.formatted(`${DEL}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString`, 'FX-SCH-A-000583'),
  ...en.idOnly(`${DEL}/ram:DespatchAdviceReferencedDocument`),
  ...en.idOnly(`${DEL}/ram:ReceivingAdviceReferencedDocument`),
  [`${DEL}/ram:ShipToTradeParty`, [max('FX-SCH-A-000163', 'ram:ID'), max('FX-SCH-A-000164', 'ram:GlobalID'), ...notUsedAll('DefinedTradeContact', 'Description', 'SpecifiedLegalOrganization', 'SpecifiedTaxRegistration', 'URIUniversalCommunication')]],
  [`${DEL}/ram:ShipToTradeParty/ram:GlobalID`, [required('FX-SCH-A-000037', 'schemeID')]],
  [`${DEL}/ram:ShipToTradeParty/ram:ID`, [attrNotUsed('schemeID')]],
  address(`${DEL}/ram:ShipToTradeParty`),
  [`${DEL}/ram:ShipToTradeParty/ram:PostalTradeAddress/ram:PostcodeCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  // Settlement and VAT breakdown (BG-23): currency and totals group in rules.ts.
  [SET, [max('FX-SCH-A-000172', 'ram:PaymentReference'), min('FX-SCH-A-000173', 'ram:ApplicableTradeTax'), max('FX-SCH-A-000174', 'ram:SpecifiedTradePaymentTerms'), max('FX-SCH-A-000175', 'ram:ReceivableSpecifiedTradeAccountingAccount')]],
  [`${SET}/ram:ApplicableTradeTax`, [exactly('FX-SCH-A-000176', 'ram:CalculatedAmount'), exactly('FX-SCH-A-000020', 'ram:TypeCode'), exactly('FX-SCH-A-000177', 'ram:BasisAmount'), exactly('FX-SCH-A-000178', 'ram:CategoryCode')]],
  ...currencyNotUsed(`${SET}/ram:ApplicableTradeTax/ram:BasisAmount`, `${SET}/ram:ApplicableTradeTax/ram:CalculatedAmount`),
  [`${SET}/ram:ApplicableTradeTax/ram:DueDateTypeCode`, [en.value('FX-SCH-A-000588', 28, 'ram:DueDateTypeCode')]],
  [`${SET}/ram:ApplicableTradeTax/ram:ExemptionReasonCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  en.formatted(`${SET}/ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString`, 'FX-SCH-A-000591', 27),
  en.formatted(`${SET}/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString`, 'FX-SCH-A-000593'),
  en.formatted(`${SET}/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString`, 'FX-SCH-A-000594'),
  [`${SET}/ram:CreditorReferenceID`, [attrNotUsed('schemeID')]],
  // Preceding invoice (BG-3): its ID is asserted in a business pattern of the Schematron (1.09.2 FX-SCH-A-000415).
  ...en.idOnly(`${SET}/ram:InvoiceReferencedDocument`, ['AttachmentBinaryObject', 'LineID', 'Name', 'ReferenceTypeCode', 'TypeCode', 'URIID']),
  en.formatted(`${SET}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString`, 'FX-SCH-A-000596', 33),
  // Payee (BG-10).
  [`${SET}/ram:PayeeTradeParty`, [max('FX-SCH-A-000163', 'ram:ID'), max('FX-SCH-A-000164', 'ram:GlobalID'), exactly('FX-SCH-A-000030', 'ram:Name'), ...notUsedAll('DefinedTradeContact', 'Description', 'PostalTradeAddress', 'SpecifiedTaxRegistration', 'URIUniversalCommunication')]],
  [`${SET}/ram:PayeeTradeParty/ram:GlobalID`, [required('FX-SCH-A-000037', 'schemeID')]],
  [`${SET}/ram:PayeeTradeParty/ram:ID`, [attrNotUsed('schemeID')]],
  [`${SET}/ram:PayeeTradeParty/ram:SpecifiedLegalOrganization`, [notUsed('ram:TradingBusinessName')]],
  [`${SET}/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID`, [attrNotUsed('schemeID')]],
  // Document allowances and charges (BG-20, BG-21).
  ...en.charges(
    AC,
    [exactly('FX-SCH-A-000183', 'ram:ChargeIndicator'), exactly('FX-SCH-A-000184', 'ram:ActualAmount'), exactly('FX-SCH-A-000185', 'ram:CategoryTradeTax')],
    (base) => [
      ...currencyNotUsed(`${base}/ram:ActualAmount`, `${base}/ram:BasisAmount`),
      [`${base}/ram:CategoryTradeTax`, [exactly('FX-SCH-A-000020', 'ram:TypeCode'), exactly('FX-SCH-A-000178', 'ram:CategoryCode'), ...notUsedAll('BasisAmount', 'CalculatedAmount', 'DueDateTypeCode', 'ExemptionReason', 'ExemptionReasonCode', 'TaxPointDate')]],
    ],
    'FX-SCH-A-000604',
    30,
  ),
  // Payment terms and means (BG-16).
  [`${SET}/ram:SpecifiedTradePaymentTerms`, [max('FX-SCH-A-000187', 'ram:Description'), max('FX-SCH-A-000188', 'ram:DirectDebitMandateID')]],
  [`${SET}/ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID`, [attrNotUsed('schemeID')]],
  en.formatted(`${SET}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString`, 'FX-SCH-A-000605'),
  // Totals (BG-22): BT-109, BT-112, BT-115 in rules.ts, BT-110 / BT-111 by currency in checkStructure.
  [SUM, [exactly('FX-SCH-A-000189', 'ram:LineTotalAmount'), max('FX-SCH-A-000190', 'ram:ChargeTotalAmount'), max('FX-SCH-A-000191', 'ram:AllowanceTotalAmount'), max('FX-SCH-A-000290', 'ram:RoundingAmount'), max('FX-SCH-A-000193', 'ram:TotalPrepaidAmount')]],
  ...currencyNotUsed(...['AllowanceTotalAmount', 'ChargeTotalAmount', 'DuePayableAmount', 'GrandTotalAmount', 'LineTotalAmount', 'RoundingAmount', 'TaxBasisTotalAmount', 'TotalPrepaidAmount'].map((x) => `${SUM}/ram:${x}`)),
  [EN_PM, [exactly('FX-SCH-A-000020', 'ram:TypeCode'), max('FX-SCH-A-000291', 'ram:Information'), max('FX-SCH-A-000194', 'ram:PayeePartyCreditorFinancialAccount')]],
  [`${EN_PM}/ram:ApplicableTradeSettlementFinancialCard`, [exactly('FX-SCH-A-000019', 'ram:ID')]],
  [`${EN_PM}/ram:PayeeSpecifiedCreditorFinancialInstitution`, [exactly('FX-SCH-A-000292', 'ram:BICID')]],
  [`${EN_PM}/ram:PayerPartyDebtorFinancialAccount`, [exactly('FX-SCH-A-000195', 'ram:IBANID')]],
  ...['ApplicableTradeSettlementFinancialCard/ram:ID', 'PayeePartyCreditorFinancialAccount/ram:IBANID', 'PayeePartyCreditorFinancialAccount/ram:ProprietaryID', 'PayeeSpecifiedCreditorFinancialInstitution/ram:BICID', 'PayerPartyDebtorFinancialAccount/ram:IBANID'].map(
    (x): [string, Check[]] => [`${EN_PM}/ram:${x}`, [attrNotUsed('schemeID')]],
  ),
  // Lines (BG-25).
  [LINE, [exactly('FX-SCH-A-000266', 'ram:AssociatedDocumentLineDocument'), exactly('FX-SCH-A-000267', 'ram:SpecifiedTradeProduct'), exactly('FX-SCH-A-000268', 'ram:SpecifiedLineTradeAgreement'), exactly('FX-SCH-A-000269', 'ram:SpecifiedLineTradeDelivery')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument`, [exactly('FX-SCH-A-000270', 'ram:LineID'), max('FX-SCH-A-000271', 'ram:IncludedNote')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument/ram:IncludedNote`, [exactly('FX-SCH-A-000160', 'ram:Content'), notUsed('ram:SubjectCode')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument/ram:LineID`, [attrNotUsed('schemeID')]],
  [LINE_AGR, [exactly('FX-SCH-A-000272', 'ram:NetPriceProductTradePrice')]],
  [`${LINE_AGR}/ram:BuyerOrderReferencedDocument`, notUsedAll('AttachmentBinaryObject', 'FormattedIssueDateTime', 'IssuerAssignedID', 'Name', 'ReferenceTypeCode', 'TypeCode', 'URIID')],
  [`${LINE_AGR}/ram:BuyerOrderReferencedDocument/ram:LineID`, [attrNotUsed('schemeID')]],
  [`${LINE_AGR}/ram:GrossPriceProductTradePrice`, [exactly('FX-SCH-A-000273', 'ram:ChargeAmount')]],
  [`${LINE_AGR}/ram:NetPriceProductTradePrice`, [exactly('FX-SCH-A-000273', 'ram:ChargeAmount'), notUsed('ram:AppliedTradeAllowanceCharge')]],
  ...currencyNotUsed(`${LINE_AGR}/ram:GrossPriceProductTradePrice/ram:ChargeAmount`, `${LINE_AGR}/ram:NetPriceProductTradePrice/ram:ChargeAmount`),
  [LINE_DEL, [exactly('FX-SCH-A-000276', 'ram:BilledQuantity')]],
  // The line settlement's cardinalities are asserted in a business pattern of the Schematron (CII-SR-474's context).
  [LINE_SET, [exactly('FX-SCH-A-000278', 'ram:ApplicableTradeTax'), exactly('FX-SCH-A-000279', 'ram:SpecifiedTradeSettlementLineMonetarySummation'), max('FX-SCH-A-000293', 'ram:AdditionalReferencedDocument'), max('FX-SCH-A-000175', 'ram:ReceivableSpecifiedTradeAccountingAccount')]],
  // Invoiced object of the line (BT-128): its type code (FX-SCH-A-000020) is in rules.ts, for every profile.
  [`${LINE_SET}/ram:AdditionalReferencedDocument`, [exactly('FX-SCH-A-000029', 'ram:IssuerAssignedID'), ...notUsedAll('AttachmentBinaryObject', 'FormattedIssueDateTime', 'LineID', 'Name', 'URIID')]],
  [`${LINE_SET}/ram:AdditionalReferencedDocument/ram:IssuerAssignedID`, [attrNotUsed('schemeID')]],
  [`${LINE_SET}/ram:AdditionalReferencedDocument/ram:ReferenceTypeCode`, [en.value('FX-SCH-A-000617', 14, 'ram:ReferenceTypeCode')]],
  [`${LINE_SET}/ram:ApplicableTradeTax`, [exactly('FX-SCH-A-000020', 'ram:TypeCode'), exactly('FX-SCH-A-000178', 'ram:CategoryCode'), ...notUsedAll('BasisAmount', 'CalculatedAmount', 'DueDateTypeCode', 'ExemptionReason', 'ExemptionReasonCode', 'TaxPointDate')]],
  en.formatted(`${LINE_SET}/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString`, 'FX-SCH-A-000621'),
  en.formatted(`${LINE_SET}/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString`, 'FX-SCH-A-000622'),
  [`${LINE_SET}/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID`, [attrNotUsed('schemeID')]],
  ...en.charges(
    LINE_AC,
    [exactly('FX-SCH-A-000183', 'ram:ChargeIndicator'), exactly('FX-SCH-A-000184', 'ram:ActualAmount'), notUsed('ram:CategoryTradeTax')],
    (base) => currencyNotUsed(`${base}/ram:ActualAmount`, `${base}/ram:BasisAmount`),
    'FX-SCH-A-000624',
    12,
  ),
  [`${LINE_SET}/ram:SpecifiedTradeSettlementLineMonetarySummation`, [exactly('FX-SCH-A-000189', 'ram:LineTotalAmount')]],
  ...currencyNotUsed(`${LINE_SET}/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount`),
  // Item (BG-31, BG-32).
  [PROD, [exactly('FX-SCH-A-000030', 'ram:Name'), max('FX-SCH-A-000187', 'ram:Description')]],
  [`${PROD}/ram:ApplicableProductCharacteristic`, [exactly('FX-SCH-A-000294', 'ram:Description'), exactly('FX-SCH-A-000295', 'ram:Value')]],
  [`${PROD}/ram:BuyerAssignedID`, [attrNotUsed('schemeID')]],
  [`${PROD}/ram:DesignatedProductClassification/ram:ClassCode`, [required('FX-SCH-A-000296', 'listID'), en.value('FX-SCH-A-000297', 6, '@listID')]],
  [`${PROD}/ram:GlobalID`, [required('FX-SCH-A-000037', 'schemeID')]],
  [`${PROD}/ram:OriginTradeCountry`, [exactly('FX-SCH-A-000019', 'ram:ID')]],
  [`${PROD}/ram:SellerAssignedID`, [attrNotUsed('schemeID')]],
];

/** French texts of the EN 16931 value lists, by the label the official message names. */
const EN16931_VALUE_FR: Record<string, string> = {
  'ram:SubjectCode': "Le code sujet de la note (BT-21) n'est pas un code UNTDID 4451 admis par le profil Factur-X.",
  '@format': "Le format de la date n'est pas admis par le profil Factur-X (102, soit AAAAMMJJ).",
  'ram:ReferenceTypeCode': "Le schéma de l'identifiant d'objet facturé (BT-18-1, BT-128-1) n'est pas un code UNTDID 1153 admis par le profil Factur-X.",
  '@mimeCode': "Le type MIME de la pièce jointe (BT-125-1) n'est pas admis (PDF, PNG, JPEG, CSV, XLSX ou ODS).",
  'ram:DueDateTypeCode': "Le code de date d'exigibilité de la TVA (BT-8) n'est pas admis (5, 29 ou 72).",
  '@listID': "Le schéma de la classification de l'article (BT-158-1) n'est pas un code UNTDID 7143 admis par le profil Factur-X.",
  'ram:ReasonCode[not (@listID)]': "Le code du motif des frais (BT-105 ou BT-145) n'est pas un code UNTDID 7161 admis par le profil Factur-X.",
};

/**
 * The EXTENDED value lists (CodeDB list numbers of the Schematron): date formats, language, note subjects, line
 * status, document type and reference codes, delivery terms, transport mode, tax type and due date codes, payment
 * means, MIME codes, classification lists, buyer's and representative's registration schemes, and the allowance and
 * charge reason codes by variant (rules.ts leaves these to EXTENDED's own lists). The parties' and products' GlobalID
 * schemes are in extParty and the product contexts, the BT-110 / BT-111 currencies in checkStructure. The values
 * rules.ts checks for every profile with lists equal to EXTENDED's (BT-24, BT-3, countries, BT-5 / BT-6 currencies,
 * VAT categories and exemption codes, units, legal and electronic address schemes) are not repeated.
 */
const DT = 'udt:DateTimeString';
const QDT = 'qdt:DateTimeString';
const EXTENDED_VALUES: [string, Check[]][] = [
  formatIn(3, `rsm:ExchangedDocument/ram:EffectiveSpecifiedPeriod/ram:CompleteDateTime/${DT}`),
  [`rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode`, [inList(5, 'ram:SubjectCode')]],
  formatIn(3, `rsm:ExchangedDocument/ram:IssueDateTime/${DT}`),
  [`rsm:ExchangedDocument/ram:LanguageID`, [inList(4, 'ram:LanguageID')]],
  ...['130', '50', '916'].map((c) => formatIn(17, `${ARD_V(c)}/ram:FormattedIssueDateTime/${QDT}`)),
  [`${ARD_V('130')}/ram:ReferenceTypeCode`, [inList(20, 'ram:ReferenceTypeCode')]],
  [`${ARD_V('130')}/ram:TypeCode`, [inList(40, 'ram:TypeCode')]],
  [`${ARD_V('50')}/ram:TypeCode`, [inList(39, 'ram:TypeCode')]],
  [`${ARD_V('916')}/ram:TypeCode`, [inList(38, 'ram:TypeCode')]],
  [`${ARD_V('916')}/ram:AttachmentBinaryObject`, [attrInList(19, 'mimeCode')]],
  [`${AGR}/ram:ApplicableTradeDeliveryTerms/ram:DeliveryTypeCode`, [inList(36, 'ram:DeliveryTypeCode')]],
  [`${AGR}/ram:ApplicableTradeDeliveryTerms/ram:RelevantTradeLocation/ram:CountryID`, [inList(10, 'ram:CountryID')]],
  [`${AGR}/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID`, [attrInList(34, 'schemeID')]],
  [`${AGR}/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:ID`, [attrInList(35, 'schemeID')]],
  ...['BuyerOrder', 'Contract', 'Quotation', 'SellerOrder', 'UltimateCustomerOrder'].map((d) => formatIn(17, `${AGR}/ram:${d}ReferencedDocument/ram:FormattedIssueDateTime/${QDT}`)),
  [`${AGR}/ram:ContractReferencedDocument/ram:ReferenceTypeCode`, [inList(37, 'ram:ReferenceTypeCode')]],
  formatIn(3, `${DEL}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/${DT}`),
  ...['DeliveryNote', 'DespatchAdvice', 'ReceivingAdvice'].map((d) => formatIn(17, `${DEL}/ram:${d}ReferencedDocument/ram:FormattedIssueDateTime/${QDT}`)),
  [`${DEL}/ram:RelatedSupplyChainConsignment/ram:SpecifiedLogisticsTransportMovement/ram:ModeCode`, [inList(41, 'ram:ModeCode')]],
  [`${SET}/ram:ApplicableTradeTax/ram:DueDateTypeCode`, [inList(27, 'ram:DueDateTypeCode')]],
  [`${SET}/ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString`, [attrInList(44, 'format')]],
  ...[`${SET}/ram:ApplicableTradeTax`, `${SET}/ram:SpecifiedAdvancePayment/ram:IncludedTradeTax`, `${SET}/ram:SpecifiedLogisticsServiceCharge/ram:AppliedTradeTax`, `${AC}[ram:ChargeIndicator/udt:Indicator="false"]/ram:CategoryTradeTax`, `${AC}[ram:ChargeIndicator/udt:Indicator="true"]/ram:CategoryTradeTax`].map(
    (t): [string, Check[]] => [`${t}/ram:TypeCode`, [inList(26, 'ram:TypeCode')]],
  ),
  formatIn(3, `${SET}/ram:BillingSpecifiedPeriod/ram:EndDateTime/${DT}`),
  formatIn(3, `${SET}/ram:BillingSpecifiedPeriod/ram:StartDateTime/${DT}`),
  formatIn(17, `${SET}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/${QDT}`),
  [`${SET}/ram:InvoiceReferencedDocument/ram:TypeCode`, [inList(51, 'ram:TypeCode')]],
  [`${SET}/ram:ReceivableSpecifiedTradeAccountingAccount/ram:TypeCode`, [inList(52, 'ram:TypeCode')]],
  formatIn(17, `${SET}/ram:SpecifiedAdvancePayment/ram:FormattedReceivedDateTime/${QDT}`),
  formatIn(17, `${SET}/ram:SpecifiedAdvancePayment/ram:InvoiceSpecifiedReferencedDocument/ram:FormattedIssueDateTime/${QDT}`),
  [`${SET}/ram:SpecifiedAdvancePayment/ram:InvoiceSpecifiedReferencedDocument/ram:TypeCode`, [inList(53, 'ram:TypeCode')]],
  formatIn(3, `${SET}/ram:SpecifiedTradePaymentTerms/ram:ApplicableTradePaymentDiscountTerms/ram:BasisDateTime/${DT}`),
  formatIn(3, `${SET}/ram:SpecifiedTradePaymentTerms/ram:ApplicableTradePaymentPenaltyTerms/ram:BasisDateTime/${DT}`),
  formatIn(3, `${SET}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/${DT}`),
  [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode`, [inList(43, 'ram:TypeCode')]],
  formatIn(3, `${SET}/ram:TaxApplicableTradeCurrencyExchange/ram:ConversionRateDateTime/${DT}`),
  [`${SET}/ram:TaxApplicableTradeCurrencyExchange/ram:SourceCurrencyCode`, [inList(42, 'ram:SourceCurrencyCode')]],
  [`${SET}/ram:TaxApplicableTradeCurrencyExchange/ram:TargetCurrencyCode`, [inList(42, 'ram:TargetCurrencyCode')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:SubjectCode`, [inList(5, 'ram:SubjectCode')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument/ram:LineStatusCode`, [inList(6, 'ram:LineStatusCode')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode`, [inList(7, 'ram:LineStatusReasonCode')]],
  [`${LINE_AGR}/ram:AdditionalReferencedDocument/ram:AttachmentBinaryObject`, [attrInList(19, 'mimeCode')]],
  formatIn(17, `${LINE_AGR}/ram:AdditionalReferencedDocument/ram:FormattedIssueDateTime/${QDT}`),
  [`${LINE_AGR}/ram:AdditionalReferencedDocument/ram:ReferenceTypeCode`, [inList(20, 'ram:ReferenceTypeCode')]],
  [`${LINE_AGR}/ram:AdditionalReferencedDocument/ram:TypeCode`, [inList(18, 'ram:TypeCode')]],
  [`${LINE_AGR}/ram:ApplicableTradeDeliveryTerms/ram:DeliveryTypeCode`, [inList(16, 'ram:DeliveryTypeCode')]],
  [`${LINE_AGR}/ram:ApplicableTradeDeliveryTerms/ram:RelevantTradeLocation/ram:CountryID`, [inList(10, 'ram:CountryID')]],
  ...['BuyerOrder', 'Contract', 'Quotation', 'SellerOrder', 'UltimateCustomerOrder'].map((d) => formatIn(17, `${LINE_AGR}/ram:${d}ReferencedDocument/ram:FormattedIssueDateTime/${QDT}`)),
  // Allowance and charge reason codes: an allowance's in UNTDID 5189, a charge's in UNTDID 7161 without @listID or
  // in UNTDID 5153 with listID 5153, each variant with its own message (the gross price charge without @listID has none).
  [`${AC}[ram:ChargeIndicator/udt:Indicator="false"]/ram:ReasonCode`, [inList(45, 'ram:ReasonCode', 'FX-SCH-A-000186')]],
  [`${AC}[ram:ChargeIndicator/udt:Indicator="true"]/ram:ReasonCode[@listID="5153"]`, [inList(47, 'ram:ReasonCode[@listID="5153"]')]],
  [`${AC}[ram:ChargeIndicator/udt:Indicator="true"]/ram:ReasonCode[!@listID]`, [inList(46, 'ram:ReasonCode[not (@listID)]')]],
  [`${LINE_AC}[ram:ChargeIndicator/udt:Indicator="false"]/ram:ReasonCode`, [inList(28, 'ram:ReasonCode', 'FX-SCH-A-000186')]],
  [`${LINE_AC}[ram:ChargeIndicator/udt:Indicator="true"]/ram:ReasonCode[@listID="5153"]`, [inList(30, 'ram:ReasonCode[@listID="5153"]')]],
  [`${LINE_AC}[ram:ChargeIndicator/udt:Indicator="true"]/ram:ReasonCode[!@listID]`, [inList(29, 'ram:ReasonCode[not (@listID)]')]],
  [`${GROSS_AC}[ram:ChargeIndicator/udt:Indicator="false"]/ram:ReasonCode`, [inList(21, 'ram:ReasonCode')]],
  [`${GROSS_AC}[ram:ChargeIndicator/udt:Indicator="true"]/ram:ReasonCode[@listID="5153"]`, [inList(22, 'ram:ReasonCode[@listID="5153"]')]],
  [`${LINE_AGR}/ram:NetPriceProductTradePrice/ram:IncludedTradeTax/ram:TypeCode`, [inList(23, 'ram:TypeCode')]],
  formatIn(3, `${LINE_DEL}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/${DT}`),
  ...['DeliveryNote', 'DespatchAdvice', 'ReceivingAdvice'].map((d) => formatIn(17, `${LINE_DEL}/ram:${d}ReferencedDocument/ram:FormattedIssueDateTime/${QDT}`)),
  [`${LINE_SET}/ram:AdditionalReferencedDocument/ram:ReferenceTypeCode`, [inList(20, 'ram:ReferenceTypeCode')]],
  [`${LINE_SET}/ram:AdditionalReferencedDocument/ram:TypeCode`, [inList(18, 'ram:TypeCode')]],
  [`${LINE_SET}/ram:ApplicableTradeTax/ram:DueDateTypeCode`, [inList(27, 'ram:DueDateTypeCode')]],
  [`${LINE_SET}/ram:ApplicableTradeTax/ram:TypeCode`, [inList(26, 'ram:TypeCode')]],
  formatIn(3, `${LINE_SET}/ram:BillingSpecifiedPeriod/ram:EndDateTime/${DT}`),
  formatIn(3, `${LINE_SET}/ram:BillingSpecifiedPeriod/ram:StartDateTime/${DT}`),
  formatIn(17, `${LINE_SET}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/${QDT}`),
  [`${LINE_SET}/ram:InvoiceReferencedDocument/ram:TypeCode`, [inList(33, 'ram:TypeCode')]],
  [`${PROD}/ram:DesignatedProductClassification/ram:ClassCode`, [attrInList(9, 'listID')]],
  [`${PROD}/ram:OriginTradeCountry/ram:ID`, [inList(10, 'ram:ID')]],
];

/**
 * EXTENDED: Schematron "Factur-X; 1.09; EN16931-CONFORMANT-EXTENDED" (compiled XSLT, `fnfempe/France_RFE`
 * Factur-X/EXTENDED/xsl/Factur-X_1.09_EXTENDED.xslt, built from a readable source with the same tests), its structural
 * pattern read to the end: document, context, agreement, delivery, settlement, lines. Its assertions carry no id:
 * those whose message another profile numbers reuse that id (extId), the others are FX-SCH-EXT:kind:element; the
 * official run reports them by message. Its value lists (`Value of … is not allowed.`, CodeDB lists by number) are
 * EXTENDED_VALUES and the GlobalID schemes; the header rules' checks are not repeated.
 */
const EXTENDED: [string, Check[]][] = [
  ['rsm:ExchangedDocument', [max('FX-SCH-EXT:max:ram:Name', 'ram:Name'), max('FX-SCH-EXT:max:ram:LanguageID', 'ram:LanguageID')]],
  ['rsm:ExchangedDocument/ram:EffectiveSpecifiedPeriod', [exactly('FX-SCH-EXT:exactly:ram:CompleteDateTime', 'ram:CompleteDateTime'), notUsed('ram:Description'), notUsed('ram:EndDateTime'), notUsed('ram:StartDateTime')]],
  dateTime('rsm:ExchangedDocument/ram:EffectiveSpecifiedPeriod/ram:CompleteDateTime'),
  ['rsm:ExchangedDocument/ram:ID', [attrNotUsed('schemeID')]],
  ['rsm:ExchangedDocument/ram:IncludedNote', [max('FX-SCH-EXT:max:ram:Content', 'ram:Content'), max('FX-SCH-A-000161', 'ram:SubjectCode')]],
  ['rsm:ExchangedDocument/ram:IncludedNote/ram:ContentCode', [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  ['rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode', [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  dateTime('rsm:ExchangedDocument/ram:IssueDateTime'),
  ['rsm:ExchangedDocument/ram:LanguageID', [attrNotUsed('schemeID')]],
  ['rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter', [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ['rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID', [attrNotUsed('schemeID')]],
  ['rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter', [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ['rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID', [attrNotUsed('schemeID')]],
  [TX, [min('FX-SCH-A-000265', 'ram:IncludedSupplyChainTradeLineItem')]],
  // Agreement (BG-4, BG-7, references): document references by type code (916 supporting document, 50 tender or lot,
  // 130 invoiced object), the other type codes reported as a variant not used.
  [`${ARD}[!ram:TypeCode="916"|"50"|"130"]`, [{ kind: 'variantNotUsed', id: 'FX-SCH-NOT-USED:AdditionalReferencedDocument-variant', message: ARD_OTHER }]],
  ...additionalDocument('130', [], ['AttachmentBinaryObject', 'LineID', 'Name', 'URIID']),
  ...additionalDocument('50', [], ['AttachmentBinaryObject', 'LineID', 'Name', 'ReferenceTypeCode', 'URIID']),
  ...additionalDocument('916', [x.max('ram:Name'), x.max('ram:AttachmentBinaryObject')], ['LineID', 'ReferenceTypeCode']),
  [`${ARD}[ram:TypeCode="916"]/ram:AttachmentBinaryObject`, [x.required('mimeCode'), x.required('filename')]],
  [`${ARD}[ram:TypeCode="916"]/ram:URIID`, [attrNotUsed('schemeID')]],
  [`${AGR}/ram:ApplicableTradeDeliveryTerms`, [x.exactly('ram:DeliveryTypeCode')]],
  ...extParty(`${AGR}/ram:BuyerAgentTradeParty`, agentTop(x.max('ram:SpecifiedTaxRegistration'))),
  ...extReference(`${AGR}/ram:BuyerOrderReferencedDocument`, ALL_BUT_ID),
  ...extParty(`${AGR}/ram:BuyerTaxRepresentativeTradeParty`, agentTop(x.exactly('ram:SpecifiedTaxRegistration'))),
  // The buyer's name is checked for every profile (rules.ts).
  ...extParty(`${AGR}/ram:BuyerTradeParty`, [x.max('ram:ID'), x.max('ram:RoleCode'), x.max('ram:Description'), x.exactly('ram:PostalTradeAddress'), x.max('ram:URIUniversalCommunication'), x.max('ram:SpecifiedTaxRegistration')], { description: true }),
  ...extReference(`${AGR}/ram:ContractReferencedDocument`, ['AttachmentBinaryObject', 'LineID', 'Name', 'TypeCode', 'URIID']),
  ...extParty(`${AGR}/ram:ProductEndUserTradeParty`, agentTop(x.max('ram:SpecifiedTaxRegistration'))),
  ...extReference(`${AGR}/ram:QuotationReferencedDocument`, ALL_BUT_ID),
  ...extParty(`${AGR}/ram:SalesAgentTradeParty`, agentTop(x.max('ram:SpecifiedTaxRegistration'))),
  ...extReference(`${AGR}/ram:SellerOrderReferencedDocument`, ALL_BUT_ID),
  ...extParty(`${AGR}/ram:SellerTaxRepresentativeTradeParty`, [x.max('ram:ID'), x.exactly('ram:Name'), x.max('ram:RoleCode'), x.exactly('ram:PostalTradeAddress'), x.max('ram:URIUniversalCommunication'), x.exactly('ram:SpecifiedTaxRegistration')]),
  // The seller's name and address are checked for every profile (rules.ts), its registrations by scheme (checkStructure).
  ...extParty(`${AGR}/ram:SellerTradeParty`, [x.max('ram:RoleCode'), x.max('ram:Description'), x.max('ram:URIUniversalCommunication')], { description: true, registrations: false }),
  [`${AGR}/ram:SpecifiedProcuringProject/ram:ID`, [attrNotUsed('schemeID')]],
  ...extReference(`${AGR}/ram:UltimateCustomerOrderReferencedDocument`, ALL_BUT_ID),
  // Delivery (BG-13).
  [`${DEL}/ram:ActualDeliverySupplyChainEvent`, [x.exactly('ram:OccurrenceDateTime')]],
  dateTime(`${DEL}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime`),
  ...extReference(`${DEL}/ram:DeliveryNoteReferencedDocument`, ALL_BUT_ID),
  ...extReference(`${DEL}/ram:DespatchAdviceReferencedDocument`, ALL_BUT_ID),
  ...extReference(`${DEL}/ram:ReceivingAdviceReferencedDocument`, ALL_BUT_ID),
  [`${DEL}/ram:RelatedSupplyChainConsignment/ram:SpecifiedLogisticsTransportMovement`, [x.exactly('ram:ModeCode')]],
  ...['ShipFromTradeParty', 'ShipToTradeParty', 'UltimateShipToTradeParty'].flatMap((p) =>
    extParty(`${DEL}/ram:${p}`, [x.max('ram:ID'), x.max('ram:RoleCode'), x.max('ram:URIUniversalCommunication'), x.max('ram:SpecifiedTaxRegistration')]),
  ),
  // Settlement (currency and totals group counted in rules.ts): VAT breakdown, period, preceding invoice, parties.
  [SET, [x.max('ram:PaymentReference'), x.min('ram:ApplicableTradeTax')]],
  [
    `${SET}/ram:ApplicableTradeTax`,
    [x.exactly('ram:CalculatedAmount'), x.exactly('ram:TypeCode'), x.exactly('ram:BasisAmount'), x.max('ram:LineTotalBasisAmount'), x.max('ram:AllowanceChargeBasisAmount'), x.exactly('ram:CategoryCode')],
  ],
  ...currencyNotUsed(...['AllowanceChargeBasisAmount', 'BasisAmount', 'CalculatedAmount', 'LineTotalBasisAmount'].map((a) => `${SET}/ram:ApplicableTradeTax/ram:${a}`)),
  [`${SET}/ram:ApplicableTradeTax/ram:ExemptionReasonCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  [`${SET}/ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString`, [x.required('format')]],
  [`${SET}/ram:BillingSpecifiedPeriod`, [x.max('ram:Description'), notUsed('ram:CompleteDateTime')]],
  dateTime(`${SET}/ram:BillingSpecifiedPeriod/ram:EndDateTime`),
  dateTime(`${SET}/ram:BillingSpecifiedPeriod/ram:StartDateTime`),
  [`${SET}/ram:CreditorReferenceID`, [attrNotUsed('schemeID')]],
  // The preceding invoice's one ID is asserted in the business patterns of the EXTENDED Schematron, with BR-55.
  ...extReference(`${SET}/ram:InvoiceReferencedDocument`, ['AttachmentBinaryObject', 'LineID', 'Name', 'ReferenceTypeCode', 'URIID']),
  ...['InvoiceeTradeParty', 'InvoicerTradeParty', 'PayeeTradeParty', 'PayerTradeParty'].flatMap((p) => extParty(`${SET}/ram:${p}`, agentTop(x.max('ram:SpecifiedTaxRegistration')))),
  [`${SET}/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID`, [attrNotUsed('schemeID')]],
  // Advance payments, financial adjustments, logistics service fees.
  [`${SET}/ram:SpecifiedAdvancePayment`, [x.min('ram:IncludedTradeTax'), x.max('ram:InvoiceSpecifiedReferencedDocument')]],
  extDate(`${SET}/ram:SpecifiedAdvancePayment/ram:FormattedReceivedDateTime`),
  [
    `${SET}/ram:SpecifiedAdvancePayment/ram:IncludedTradeTax`,
    [x.exactly('ram:CalculatedAmount'), x.exactly('ram:TypeCode'), x.exactly('ram:CategoryCode'), ...notUsedAll('AllowanceChargeBasisAmount', 'BasisAmount', 'DueDateTypeCode', 'LineTotalBasisAmount', 'TaxPointDate')],
  ],
  ...currencyNotUsed(`${SET}/ram:SpecifiedAdvancePayment/ram:IncludedTradeTax/ram:CalculatedAmount`, `${SET}/ram:SpecifiedAdvancePayment/ram:PaidAmount`),
  [`${SET}/ram:SpecifiedAdvancePayment/ram:IncludedTradeTax/ram:ExemptionReasonCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  ...extReference(`${SET}/ram:SpecifiedAdvancePayment/ram:InvoiceSpecifiedReferencedDocument`, ['AttachmentBinaryObject', 'LineID', 'Name', 'ReferenceTypeCode', 'URIID']),
  [`${SET}/ram:SpecifiedFinancialAdjustment`, [x.exactly('ram:Reason'), x.exactly('ram:ActualAmount')]],
  ...currencyNotUsed(`${SET}/ram:SpecifiedFinancialAdjustment/ram:ActualAmount`, `${SET}/ram:SpecifiedLogisticsServiceCharge/ram:AppliedAmount`),
  [`${SET}/ram:SpecifiedLogisticsServiceCharge`, [x.exactly('ram:Description'), x.exactly('ram:AppliedAmount'), x.min('ram:AppliedTradeTax')]],
  [
    `${SET}/ram:SpecifiedLogisticsServiceCharge/ram:AppliedTradeTax`,
    [x.exactly('ram:TypeCode'), x.exactly('ram:CategoryCode'), x.exactly('ram:RateApplicablePercent'), ...notUsedAll('AllowanceChargeBasisAmount', 'BasisAmount', 'CalculatedAmount', 'DueDateTypeCode', 'LineTotalBasisAmount', 'TaxPointDate')],
  ],
  [`${SET}/ram:SpecifiedLogisticsServiceCharge/ram:AppliedTradeTax/ram:ExemptionReasonCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  // Document-level allowances and charges (BG-20, BG-21) by ChargeIndicator.
  [`${AC}[!ram:ChargeIndicator/udt:Indicator="false"|"true"]`, [{ kind: 'variantNotUsed', id: 'FX-SCH-NOT-USED:ChargeIndicator-variant', message: CHARGE_INDICATOR_VARIANT }]],
  ...['false', 'true'].flatMap((indicator): [string, Check[]][] => [
    [`${AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]`, [x.exactly('ram:ChargeIndicator'), x.exactly('ram:ActualAmount'), x.exactly('ram:CategoryTradeTax')]],
    ...currencyNotUsed(`${AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]/ram:ActualAmount`, `${AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]/ram:BasisAmount`),
    [
      `${AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]/ram:CategoryTradeTax`,
      [x.exactly('ram:TypeCode'), x.exactly('ram:CategoryCode'), ...notUsedAll('AllowanceChargeBasisAmount', 'BasisAmount', 'CalculatedAmount', 'DueDateTypeCode', 'LineTotalBasisAmount', 'TaxPointDate')],
    ],
    [`${AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]/ram:CategoryTradeTax/ram:ExemptionReasonCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  ]),
  [`${AC}[ram:ChargeIndicator/udt:Indicator="false"]/ram:ReasonCode`, [attrNotUsed('listID')]],
  // A charge reason code is UNTDID 7161 without list, or UNTDID 5153 (a tax) with listID 5153.
  [`${AC}[ram:ChargeIndicator/udt:Indicator="true"]/ram:ReasonCode[!@listID="5153"]`, [{ kind: 'variantNotUsed', id: 'FX-SCH-NOT-USED:ReasonCode-variant', message: REASON_CODE_VARIANT }]],
  // Payment terms (BG-16 / BT-20).
  [`${SET}/ram:SpecifiedTradePaymentTerms`, [x.max('ram:Description'), x.max('ram:DirectDebitMandateID'), x.max('ram:PartialPaymentAmount'), x.max('ram:PayeeTradeParty')]],
  ...['ApplicableTradePaymentDiscountTerms/ram:ActualDiscountAmount', 'ApplicableTradePaymentDiscountTerms/ram:BasisAmount', 'ApplicableTradePaymentPenaltyTerms/ram:ActualPenaltyAmount', 'ApplicableTradePaymentPenaltyTerms/ram:BasisAmount'].flatMap((a) =>
    currencyNotUsed(`${SET}/ram:SpecifiedTradePaymentTerms/ram:${a}`),
  ),
  dateTime(`${SET}/ram:SpecifiedTradePaymentTerms/ram:ApplicableTradePaymentDiscountTerms/ram:BasisDateTime`),
  dateTime(`${SET}/ram:SpecifiedTradePaymentTerms/ram:ApplicableTradePaymentPenaltyTerms/ram:BasisDateTime`),
  [`${SET}/ram:SpecifiedTradePaymentTerms/ram:ApplicableTradePaymentPenaltyTerms/ram:BasisPeriodMeasure`, [x.required('unitCode')]],
  [`${SET}/ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID`, [attrNotUsed('schemeID')]],
  dateTime(`${SET}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime`),
  ...currencyNotUsed(`${SET}/ram:SpecifiedTradePaymentTerms/ram:PartialPaymentAmount`),
  ...extParty(`${SET}/ram:SpecifiedTradePaymentTerms/ram:PayeeTradeParty`, agentTop(x.max('ram:SpecifiedTaxRegistration'))),
  // Totals (BG-22): BT-109, BT-112, BT-115 once are counted in rules.ts, the TaxTotalAmount variants in checkStructure.
  [SUM, [x.exactly('ram:LineTotalAmount'), x.max('ram:ChargeTotalAmount'), x.max('ram:AllowanceTotalAmount'), x.max('ram:RoundingAmount'), x.max('ram:TotalPrepaidAmount')]],
  ...currencyNotUsed(...['AllowanceTotalAmount', 'ChargeTotalAmount', 'DuePayableAmount', 'GrandTotalAmount', 'LineTotalAmount', 'RoundingAmount', 'TaxBasisTotalAmount', 'TotalPrepaidAmount'].map((a) => `${SUM}/ram:${a}`)),
  // Payment means (BG-16…19).
  [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans`, [x.exactly('ram:TypeCode'), x.max('ram:Information'), x.max('ram:PayeePartyCreditorFinancialAccount')]],
  [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard`, [x.exactly('ram:ID')]],
  [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeeSpecifiedCreditorFinancialInstitution`, [x.exactly('ram:BICID')]],
  [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount`, [x.exactly('ram:IBANID')]],
  ...[
    'ApplicableTradeSettlementFinancialCard/ram:ID',
    'PayeePartyCreditorFinancialAccount/ram:IBANID',
    'PayeePartyCreditorFinancialAccount/ram:ProprietaryID',
    'PayeeSpecifiedCreditorFinancialInstitution/ram:BICID',
    'PayerPartyDebtorFinancialAccount/ram:IBANID',
    'PayerSpecifiedDebtorFinancialInstitution/ram:BICID',
  ].map((a): [string, Check[]] => [`${SET}/ram:SpecifiedTradeSettlementPaymentMeans/ram:${a}`, [attrNotUsed('schemeID')]]),
  dateTime(`${SET}/ram:TaxApplicableTradeCurrencyExchange/ram:ConversionRateDateTime`),
  // Lines (BG-25): line document, notes, status, parent line.
  [LINE, [x.exactly('ram:AssociatedDocumentLineDocument'), x.exactly('ram:SpecifiedTradeProduct')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument`, [x.exactly('ram:LineID')]],
  [`${LINE}/ram:AssociatedDocumentLineDocument/ram:IncludedNote`, [x.max('ram:Content'), x.max('ram:SubjectCode')]],
  ...['IncludedNote/ram:ContentCode', 'IncludedNote/ram:SubjectCode', 'LineStatusReasonCode'].map((a): [string, Check[]] => [`${LINE}/ram:AssociatedDocumentLineDocument/ram:${a}`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]]),
  ...['LineID', 'ParentLineID'].map((a): [string, Check[]] => [`${LINE}/ram:AssociatedDocumentLineDocument/ram:${a}`, [attrNotUsed('schemeID')]]),
  // Line agreement: documents referenced by the line, delivery terms, order line.
  [`${LINE_AGR}/ram:AdditionalReferencedDocument`, [x.exactly('ram:IssuerAssignedID'), x.exactly('ram:TypeCode'), x.max('ram:Name'), x.max('ram:AttachmentBinaryObject')]],
  [`${LINE_AGR}/ram:AdditionalReferencedDocument/ram:AttachmentBinaryObject`, [x.required('mimeCode'), x.required('filename')]],
  extDate(`${LINE_AGR}/ram:AdditionalReferencedDocument/ram:FormattedIssueDateTime`),
  ...['IssuerAssignedID', 'LineID', 'URIID'].map((a): [string, Check[]] => [`${LINE_AGR}/ram:AdditionalReferencedDocument/ram:${a}`, [attrNotUsed('schemeID')]]),
  [`${LINE_AGR}/ram:ApplicableTradeDeliveryTerms`, [x.exactly('ram:DeliveryTypeCode')]],
  ...lineReference(`${LINE_AGR}/ram:BuyerOrderReferencedDocument`),
  ...lineReference(`${LINE_AGR}/ram:ContractReferencedDocument`),
  // Gross price (BT-148) and its discount (BT-147) by indicator.
  [`${LINE_AGR}/ram:GrossPriceProductTradePrice`, [x.exactly('ram:ChargeAmount'), notUsed('ram:IncludedTradeTax')]],
  ...currencyNotUsed(`${LINE_AGR}/ram:GrossPriceProductTradePrice/ram:ChargeAmount`),
  [`${GROSS_AC}[!ram:ChargeIndicator/udt:Indicator="false"|"true"]`, [{ kind: 'variantNotUsed', id: 'FX-SCH-NOT-USED:GrossPriceCharge', message: GROSS_PRICE_VARIANT }]],
  ...['false', 'true'].flatMap((indicator): [string, Check[]][] => [
    [`${GROSS_AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]`, [x.exactly('ram:ChargeIndicator'), x.exactly('ram:ActualAmount'), ...notUsedAll('BasisQuantity', 'CategoryTradeTax', 'SequenceNumeric')]],
    ...currencyNotUsed(`${GROSS_AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]/ram:ActualAmount`, `${GROSS_AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]/ram:BasisAmount`),
  ]),
  [`${GROSS_AC}[ram:ChargeIndicator/udt:Indicator="false"]/ram:ReasonCode`, [attrNotUsed('listID')]],
  [`${GROSS_AC}[ram:ChargeIndicator/udt:Indicator="true"]/ram:ReasonCode[!@listID="5153"]`, [{ kind: 'variantNotUsed', id: 'FX-SCH-NOT-USED:GrossPriceReasonCode-variant', message: GROSS_PRICE_REASON_VARIANT }]],
  // The line's seller (BT-X-…): registrations by scheme (checkStructure), no address for its legal organisation.
  ...extParty(`${LINE_AGR}/ram:ItemSellerTradeParty`, [x.max('ram:RoleCode'), x.max('ram:Description'), x.max('ram:URIUniversalCommunication')], { description: true, registrations: false, legalAddress: false }),
  // Net price (BT-146) with its own tax, no discount.
  [`${LINE_AGR}/ram:NetPriceProductTradePrice`, [x.exactly('ram:ChargeAmount'), x.max('ram:IncludedTradeTax'), notUsed('ram:AppliedTradeAllowanceCharge')]],
  ...currencyNotUsed(`${LINE_AGR}/ram:NetPriceProductTradePrice/ram:ChargeAmount`),
  ...priceTax(`${LINE_AGR}/ram:NetPriceProductTradePrice/ram:IncludedTradeTax`),
  ...lineReference(`${LINE_AGR}/ram:QuotationReferencedDocument`),
  ...lineReference(`${LINE_AGR}/ram:SellerOrderReferencedDocument`),
  ...lineReference(`${LINE_AGR}/ram:UltimateCustomerOrderReferencedDocument`),
  // Line delivery: event, quantities' units, delivery documents, ship-to parties.
  [`${LINE_DEL}/ram:ActualDeliverySupplyChainEvent`, [x.exactly('ram:OccurrenceDateTime')]],
  dateTime(`${LINE_DEL}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime`),
  ...['ChargeFreeQuantity', 'PackageQuantity', 'PerPackageUnitQuantity'].map((q): [string, Check[]] => [`${LINE_DEL}/ram:${q}`, [x.required('unitCode')]]),
  ...lineReference(`${LINE_DEL}/ram:DeliveryNoteReferencedDocument`),
  ...lineReference(`${LINE_DEL}/ram:DespatchAdviceReferencedDocument`),
  ...lineReference(`${LINE_DEL}/ram:ReceivingAdviceReferencedDocument`),
  ...['ShipToTradeParty', 'UltimateShipToTradeParty'].flatMap((p) =>
    extParty(`${LINE_DEL}/ram:${p}`, [x.max('ram:ID'), x.max('ram:RoleCode'), x.max('ram:URIUniversalCommunication'), x.max('ram:SpecifiedTaxRegistration')], { legalAddress: false }),
  ),
  [`${LINE_DEL}/ram:ShipToTradeParty/ram:SpecifiedLegalOrganization/ram:ID`, [x.required('schemeID')]],
  // Line settlement: object identifiers, VAT, period, preceding invoice line, allowances and charges, line totals.
  [LINE_SET, [x.max('ram:InvoiceReferencedDocument')]],
  [`${LINE_SET}/ram:AdditionalReferencedDocument`, [x.exactly('ram:IssuerAssignedID'), x.exactly('ram:TypeCode'), ...notUsedAll('AttachmentBinaryObject', 'FormattedIssueDateTime', 'LineID', 'Name', 'URIID')]],
  [`${LINE_SET}/ram:AdditionalReferencedDocument/ram:IssuerAssignedID`, [attrNotUsed('schemeID')]],
  [`${LINE_SET}/ram:ApplicableTradeTax`, [x.max('ram:CalculatedAmount'), x.exactly('ram:TypeCode'), x.exactly('ram:CategoryCode'), ...notUsedAll('AllowanceChargeBasisAmount', 'BasisAmount', 'LineTotalBasisAmount', 'TaxPointDate')]],
  ...currencyNotUsed(`${LINE_SET}/ram:ApplicableTradeTax/ram:CalculatedAmount`),
  [`${LINE_SET}/ram:ApplicableTradeTax/ram:ExemptionReasonCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  [`${LINE_SET}/ram:BillingSpecifiedPeriod`, notUsedAll('CompleteDateTime', 'Description')],
  dateTime(`${LINE_SET}/ram:BillingSpecifiedPeriod/ram:EndDateTime`),
  dateTime(`${LINE_SET}/ram:BillingSpecifiedPeriod/ram:StartDateTime`),
  [`${LINE_SET}/ram:InvoiceReferencedDocument`, notUsedAll('AttachmentBinaryObject', 'Name', 'ReferenceTypeCode', 'URIID')],
  extDate(`${LINE_SET}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime`),
  ...['InvoiceReferencedDocument/ram:IssuerAssignedID', 'InvoiceReferencedDocument/ram:LineID', 'ReceivableSpecifiedTradeAccountingAccount/ram:ID'].map((a): [string, Check[]] => [`${LINE_SET}/ram:${a}`, [attrNotUsed('schemeID')]]),
  [`${LINE_AC}[!ram:ChargeIndicator/udt:Indicator="false"|"true"]`, [{ kind: 'variantNotUsed', id: 'FX-SCH-NOT-USED:ChargeIndicator-variant', message: CHARGE_INDICATOR_VARIANT }]],
  ...['false', 'true'].flatMap((indicator): [string, Check[]][] => [
    [`${LINE_AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]`, [x.exactly('ram:ChargeIndicator'), x.exactly('ram:ActualAmount'), ...notUsedAll('BasisQuantity', 'CategoryTradeTax', 'SequenceNumeric')]],
    ...currencyNotUsed(`${LINE_AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]/ram:ActualAmount`, `${LINE_AC}[ram:ChargeIndicator/udt:Indicator="${indicator}"]/ram:BasisAmount`),
  ]),
  [`${LINE_AC}[ram:ChargeIndicator/udt:Indicator="false"]/ram:ReasonCode`, [attrNotUsed('listID')]],
  [`${LINE_AC}[ram:ChargeIndicator/udt:Indicator="true"]/ram:ReasonCode[!@listID="5153"]`, [{ kind: 'variantNotUsed', id: 'FX-SCH-NOT-USED:ReasonCode-variant', message: REASON_CODE_VARIANT }]],
  [
    `${LINE_SET}/ram:SpecifiedTradeSettlementLineMonetarySummation`,
    [x.max('ram:LineTotalAmount'), x.max('ram:ChargeTotalAmount'), x.max('ram:AllowanceTotalAmount'), x.max('ram:GrandTotalAmount'), x.max('ram:TotalAllowanceChargeAmount')],
  ],
  ...currencyNotUsed(...['AllowanceTotalAmount', 'ChargeTotalAmount', 'GrandTotalAmount', 'LineTotalAmount', 'TotalAllowanceChargeAmount'].map((a) => `${LINE_SET}/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:${a}`)),
  // Product (BG-31): identifiers without scheme, attributes, classification, included products, manufacturer, origin.
  [PROD, [x.exactly('ram:Name'), x.max('ram:Description')]],
  [`${PROD}/ram:ApplicableProductCharacteristic`, [x.max('ram:Description'), x.max('ram:Value')]],
  [`${PROD}/ram:ApplicableProductCharacteristic/ram:TypeCode`, [attrNotUsed('listID'), attrNotUsed('listVersionID')]],
  ...['BatchID', 'BuyerAssignedID', 'ID', 'IndustryAssignedID', 'ModelID', 'SellerAssignedID', 'IndividualTradeProductInstance/ram:BatchID', 'IndividualTradeProductInstance/ram:SupplierAssignedSerialID'].map(
    (a): [string, Check[]] => [`${PROD}/ram:${a}`, [attrNotUsed('schemeID')]],
  ),
  [`${PROD}/ram:DesignatedProductClassification`, [x.max('ram:ClassName')]],
  [`${PROD}/ram:DesignatedProductClassification/ram:ClassCode`, [x.required('listID')]],
  [`${PROD}/ram:GlobalID`, [x.required('schemeID'), attrInList(8, 'schemeID', 'FX-SCH-A-000031')]],
  [`${PROD}/ram:IncludedReferencedProduct`, [x.max('ram:ID'), x.max('ram:IndustryAssignedID'), x.exactly('ram:Name'), x.max('ram:Description'), x.max('ram:UnitQuantity')]],
  ...['BuyerAssignedID', 'ID', 'IndustryAssignedID', 'SellerAssignedID'].map((a): [string, Check[]] => [`${PROD}/ram:IncludedReferencedProduct/ram:${a}`, [attrNotUsed('schemeID')]]),
  // The included products' schemes are list 14: the ISO 6523 list without 0245…0248.
  [`${PROD}/ram:IncludedReferencedProduct/ram:GlobalID`, [x.required('schemeID'), attrInList(14, 'schemeID', 'FX-SCH-A-000031')]],
  [`${PROD}/ram:IncludedReferencedProduct/ram:UnitQuantity`, [x.required('unitCode')]],
  // The manufacturer: registrations by scheme, twice at most each (checkStructure).
  ...extParty(`${PROD}/ram:ManufacturerTradeParty`, [x.max('ram:RoleCode'), x.max('ram:Description'), x.max('ram:URIUniversalCommunication')], { description: true, registrations: false, legalAddress: false }),
  [`${PROD}/ram:OriginTradeCountry`, [x.exactly('ram:ID')]],
  ...EXTENDED_VALUES,
];

const TABLES: Partial<Record<FacturxProfile, [string, Check[]][]>> = { MINIMUM, 'BASIC WL': BASIC_WL, BASIC, EN16931, EXTENDED };
const VARIANTS: Partial<Record<FacturxProfile, Variant[]>> = { 'BASIC WL': [HEADER_VARIANT], BASIC: BASIC_VARIANTS, EN16931: [BASIC_VARIANTS[2]] };

const fatal = (message: string, messageFr: string): RuleText => ({ flag: 'fatal', message, messageFr });
/** The ids of the EXTENDED line totals' VAT amount variants by currency (their messages name the header's currency codes by absolute path). */
const LINE_TAX_TOTAL = {
  invoiceCurrency: 'FX-SCH-EXT:max:LineTaxTotalAmount-InvoiceCurrencyCode',
  taxCurrency: 'FX-SCH-EXT:max:LineTaxTotalAmount-TaxCurrencyCode',
  other: 'FX-SCH-NOT-USED:LineTaxTotalAmount-variant',
} as const;
/**
 * The Schematron's "not used" checks are `report`s (SVRL successful-report, no flag): the official verdicts of the
 * fixtures count failed assertions only and record none of them (the MINIMUM samples with a currencyID on
 * TaxBasisTotalAmount are valid there). Reported as warnings, so that an invoice the official run accepts is not
 * refused for them.
 */
const report = (message: string, messageFr: string): RuleText => ({ flag: 'warning', message, messageFr });
const name = (q: string) => q.replace(/^ram:/, '');

/** The texts of the structural checks (FX-SCH-A ids of the table and the not-used pseudo-ids). */
export function structureTexts(): Record<string, RuleText> {
  const out: Record<string, RuleText> = {};
  const lists: Check[][] = [];
  for (const table of Object.values(TABLES)) for (const [, checks] of table ?? []) lists.push(checks);
  for (const variants of Object.values(VARIANTS)) for (const v of variants ?? []) lists.push(v.allowance, v.charge, ...v.amounts.map(([, c]) => c));
  {
    for (const checks of lists) {
      for (const c of checks) {
        switch (c.kind) {
          case 'exactly':
            out[c.id] ??= fatal(`Element '${c.child}' must occur exactly 1 times.`, `L'élément ${name(c.child)} doit figurer exactement une fois à cet endroit (profil Factur-X).`);
            break;
          case 'max':
            out[c.id] ??= fatal(`Element '${c.child}' may occur at maximum 1 times.`, `L'élément ${name(c.child)} ne peut figurer qu'une fois à cet endroit (profil Factur-X).`);
            break;
          case 'min':
            out[c.id] ??= fatal(`Element '${c.child}' must occur at least 1 times.`, `L'élément ${name(c.child)} doit figurer au moins une fois à cet endroit (profil Factur-X).`);
            break;
          case 'attribute':
            out[c.id] ??= fatal(`Attribute '@${c.name}' is required in this context.`, `L'attribut ${c.name} doit figurer sur cet élément (profil Factur-X).`);
            break;
          case 'notUsed':
            out[`FX-SCH-NOT-USED:${c.child}`] ??= report(`Element '${c.child}' is marked as not used in the given context.`, `L'élément ${name(c.child)} n'est pas admis à cet endroit par le profil Factur-X.`);
            break;
          case 'attributeNotUsed':
            out[`FX-SCH-NOT-USED:@${c.name}`] ??= report(`Attribute @${c.name}' marked as not used in the given context.`, `L'attribut ${c.name} n'est pas admis sur cet élément par le profil Factur-X.`);
            break;
          case 'variantNotUsed':
            out[c.id] ??= report(c.message, "Cette variante de l'élément (selon son code de type) n'est pas admise à cet endroit par le profil Factur-X.");
            break;
          case 'value':
            out[c.id] ??= fatal(
              `Value of '${c.label}' is not allowed.`,
              c.id.startsWith('FX-SCH-A-') ? EN16931_VALUE_FR[c.label] : `La valeur de ${c.label.replace(/^ram:/, '')} n'est pas dans la liste de codes admise par le profil Factur-X EXTENDED.`,
            );
            break;
        }
      }
    }
  }
  out['FX-SCH-A-000033'] = fatal(`Element variant 'ram:SpecifiedTaxRegistration[ram:ID/@schemeID="VA"]' may occur at maximum 1 times.`, 'Le numéro de TVA du vendeur (BT-31) ne peut figurer qu’une fois.');
  out['FX-SCH-EXT:max2:VA-registration'] = fatal(`Element variant 'ram:SpecifiedTaxRegistration[ram:ID/@schemeID="VA"]' may occur at maximum 2 times.`, 'Le numéro de TVA du fabricant ne peut figurer que deux fois.');
  out['FX-SCH-EXT:max2:FC-registration'] = fatal(`Element variant 'ram:SpecifiedTaxRegistration[ram:ID/@schemeID="FC"]' may occur at maximum 2 times.`, "L'identifiant fiscal du fabricant ne peut figurer que deux fois.");
  out['FX-SCH-A-000034'] = fatal(`Element variant 'ram:SpecifiedTaxRegistration[ram:ID/@schemeID="FC"]' may occur at maximum 1 times.`, "L'identifiant fiscal du vendeur (BT-32) ne peut figurer qu’une fois.");
  out['FX-SCH-NOT-USED:ChargeIndicator-variant'] = report(
    `Element variant 'ram:SpecifiedTradeAllowanceCharge[ not(ram:ChargeIndicator/udt:Indicator="false") and  not(ram:ChargeIndicator/udt:Indicator="true")]' is marked as not used in the given context.`,
    "L'indicateur de la remise ou des frais (ChargeIndicator) doit valoir true (frais) ou false (remise).",
  );
  out['FX-SCH-NOT-USED:GrossPriceCharge'] = report(
    `Element variant 'ram:AppliedTradeAllowanceCharge[ not(ram:ChargeIndicator/udt:Indicator="false") and  not(ram:ChargeIndicator/udt:Indicator="true")]' is marked as not used in the given context.`,
    "L'indicateur du rabais sur le prix brut (ChargeIndicator) doit valoir false (remise) ou true.",
  );
  out['FX-SCH-A-000274'] = fatal(`Element variant 'ram:AppliedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator="false"]' may occur at maximum 1 times.`, 'Le rabais sur le prix brut (BT-147) ne peut figurer qu’une fois par ligne.');
  out['FX-SCH-A-000042'] = fatal(`Element variant 'ram:TaxTotalAmount[@currencyID=../../ram:InvoiceCurrencyCode]' may occur at maximum 1 times.`, 'Le montant total de TVA dans la devise de la facture (BT-110) ne peut figurer qu’une fois.');
  out['FX-SCH-A-000192'] = fatal(`Element variant 'ram:TaxTotalAmount[@currencyID=../../ram:TaxCurrencyCode]' may occur at maximum 1 times.`, 'Le montant total de TVA dans la devise de comptabilisation (BT-111) ne peut figurer qu’une fois.');
  out['FX-SCH-NOT-USED:TaxTotalAmount-variant'] = report(
    `Element variant 'ram:TaxTotalAmount[ not(@currencyID=../../ram:InvoiceCurrencyCode) and  not(@currencyID=../../ram:TaxCurrencyCode)]' is marked as not used in the given context.`,
    "Le montant total de TVA doit être exprimé dans la devise de la facture (BT-5) ou dans la devise de comptabilisation de la TVA (BT-6).",
  );
  const headerCurrency = (code: string) => `ram:TaxTotalAmount[@currencyID=/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:${code}]`;
  out[LINE_TAX_TOTAL.invoiceCurrency] = fatal(
    `Element variant '${headerCurrency('InvoiceCurrencyCode')}' may occur at maximum 1 times.`,
    'Le montant de TVA de la ligne dans la devise de la facture (BT-5) ne peut figurer qu’une fois.',
  );
  out[LINE_TAX_TOTAL.taxCurrency] = fatal(
    `Element variant '${headerCurrency('TaxCurrencyCode')}' may occur at maximum 1 times.`,
    'Le montant de TVA de la ligne dans la devise de comptabilisation de la TVA (BT-6) ne peut figurer qu’une fois.',
  );
  out[LINE_TAX_TOTAL.other] = report(
    `Element variant 'ram:TaxTotalAmount[ not(@currencyID=/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode) and  not(@currencyID=/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:TaxCurrencyCode)]' is marked as not used in the given context.`,
    "Le montant de TVA de la ligne doit être exprimé dans la devise de la facture (BT-5) ou dans la devise de comptabilisation de la TVA (BT-6).",
  );
  out['FX-SCH-NOT-USED:SpecifiedTaxRegistration-variant'] = report(
    `Element variant 'ram:SpecifiedTaxRegistration[ not(ram:ID/@schemeID="VA") and  not(ram:ID/@schemeID="FC")]' is marked as not used in the given context.`,
    "L'identifiant fiscal du vendeur doit être un numéro de TVA (schéma VA) ou un identifiant fiscal local (schéma FC).",
  );
  return out;
}

const reportedId = (c: Check) => (c.kind === 'notUsed' ? `FX-SCH-NOT-USED:${c.child}` : c.kind === 'attributeNotUsed' ? `FX-SCH-NOT-USED:@${c.name}` : c.id);

/**
 * The predicate of a context step, for a variant: `[ram:X="v"]` (a child X of that value, compared as a string),
 * `[!ram:X="a"|"b"]` (no child X of any of these values), `[@a="v"]` (the attribute has one of the values),
 * `[!@a="v"]` (it is present with another value), `[@a]` / `[!@a]` (the attribute present / absent); null for a
 * plain step.
 */
function predicateOf(step: string): { name: string; test: ((el: XmlElement) => boolean) | null } {
  const m = /^([^[]+)(?:\[(!?)([^=\]]+)(?:=(.+))?\])?$/.exec(step);
  if (!m) throw new Error(`bad context step ${step}`);
  const [, name, not, path, list] = m;
  if (!path) return { name, test: null };
  // [@a]: the attribute is present; [!@a]: it is absent.
  if (list === undefined) return { name, test: (el) => (attr(el, path.slice(1)) !== undefined) !== !!not };
  const wanted = list.split('|').map((v) => v.replace(/^"|"$/g, ''));
  if (path.startsWith('@')) {
    return { name, test: (el) => { const v = attr(el, path.slice(1)); return v !== undefined && wanted.includes(v) !== !!not; } };
  }
  return { name, test: (el) => P.all(el, path).some((k) => wanted.includes(stringValue(k))) !== !!not };
}

/**
 * A table as a trie of its context steps: one descent of the tree serves every context (the cost follows the
 * elements the contexts reach, not the number of contexts).
 */
interface Step {
  ns: string;
  local: string;
  key: string;
  test: ((el: XmlElement) => boolean) | null;
  checks: Check[][];
  next: Map<string, Step[]>;
}
const STEP_NS: Record<string, string> = CII_NS;
function trieOf(table: [string, Check[]][]): Step {
  const root: Step = { ns: '', local: '', key: '', test: null, checks: [], next: new Map() };
  for (const [context, checks] of table) {
    let at = root;
    // Steps split on the slashes outside the predicates.
    for (const step of context.match(/(?:[^/[]|\[[^\]]*\])+/g) ?? []) {
      const { name, test } = predicateOf(step);
      const [prefix, local] = name.split(':');
      const ns = STEP_NS[prefix];
      if (ns === undefined) throw new Error(`unknown prefix in ${context}`);
      const candidates = at.next.get(local) ?? [];
      let next = candidates.find((c) => c.key === step);
      if (!next) {
        next = { ns, local, key: step, test, checks: [], next: new Map() };
        candidates.push(next);
        at.next.set(local, candidates);
      }
      at = next;
    }
    at.checks.push(checks);
  }
  return root;
}
const tries = new Map<FacturxProfile, Step>();

function descend(el: XmlElement, step: Step, profile: FacturxProfile, r: Reporter): void {
  for (const k of el.children) {
    const candidates = step.next.get(k.local);
    if (!candidates) continue;
    for (const c of candidates) {
      if (c.ns !== k.ns || (c.test && !c.test(k))) continue;
      for (const checks of c.checks) runChecks(k, checks, profile, r);
      if (c.next.size) descend(k, c, profile, r);
    }
  }
}

/** The ids the structural table of a profile can report (its variants' included, and their "not used" variant). */
export function structureIdsOf(profile: FacturxProfile): string[] {
  const lists: Check[][] = (TABLES[profile] ?? []).map(([, checks]) => checks);
  const ids: string[] = [];
  for (const v of VARIANTS[profile] ?? []) {
    lists.push(v.allowance, v.charge, ...v.amounts.map(([, c]) => c));
    ids.push(...(v.charge.length === 0 ? ['FX-SCH-NOT-USED:GrossPriceCharge', 'FX-SCH-A-000274'] : ['FX-SCH-NOT-USED:ChargeIndicator-variant']));
  }
  return [...new Set([...lists.flat().map(reportedId), ...ids])];
}

function runChecks(node: XmlElement, checks: Check[], profile: FacturxProfile, r: Reporter): void {
  for (const c of checks) {
    switch (c.kind) {
      case 'exactly':
        r.check(c.id, P.count(node, c.child) === 1, node);
        break;
      case 'max':
        r.check(c.id, P.count(node, c.child) <= 1, node);
        break;
      case 'min':
        r.check(c.id, P.count(node, c.child) >= 1, node);
        break;
      case 'attribute':
        r.check(c.id, attr(node, c.name) !== undefined, node);
        break;
      case 'notUsed':
        for (const el of P.kids(node, c.child)) r.fail(`FX-SCH-NOT-USED:${c.child}`, el);
        break;
      case 'attributeNotUsed':
        if (attr(node, c.name) !== undefined) r.fail(`FX-SCH-NOT-USED:@${c.name}`, node, c.name);
        break;
      case 'variantNotUsed':
        r.fail(c.id, node);
        break;
      case 'value': {
        const v = c.attribute ? attr(node, c.attribute) ?? '' : stringValue(node);
        if (v !== '' && !inProfileList(profile, c.list, v)) r.fail(c.id, node, c.attribute);
        break;
      }
    }
  }
}

/** The CodeDB lists by number of the profiles whose structural table checks values (cl[@id=N]). */
const LISTS: Partial<Record<FacturxProfile, Readonly<Record<number, string>>>> = { EN16931: EN16931_CL, EXTENDED: EXTENDED_CL };
const listSets = new Map<string, Set<string>>();
/** `document('…_codedb.xml')/codedb/cl[@id=N]/enumeration[@value=$v]`: compared as written. */
function inProfileList(profile: FacturxProfile, list: number, value: string): boolean {
  const values = LISTS[profile]?.[list];
  if (values === undefined) throw new Error(`no CodeDB list ${list} for ${profile}`);
  let set = listSets.get(values);
  if (!set) listSets.set(values, (set = new Set(values.split(' '))));
  return set.has(value);
}

/** Runs the structural checks of the profile's table. */
export function checkStructure(profile: FacturxProfile, root: XmlElement, r: Reporter): void {
  const table = TABLES[profile];
  if (!table) return;
  let trie = tries.get(profile);
  if (!trie) tries.set(profile, (trie = trieOf(table)));
  descend(root, trie, profile, r);
  for (const v of VARIANTS[profile] ?? []) {
    const gross = v.charge.length === 0;
    const byParent = new Map<XmlElement | null, XmlElement[]>();
    for (const ac of P.all(root, v.at)) {
      const kind = indicatorIs(ac, 'false') ? v.allowance : indicatorIs(ac, 'true') ? v.charge : null;
      if (!kind) {
        r.fail(gross ? 'FX-SCH-NOT-USED:GrossPriceCharge' : 'FX-SCH-NOT-USED:ChargeIndicator-variant', ac);
        continue;
      }
      if (gross) byParent.set(ac.parent, [...(byParent.get(ac.parent) ?? []), ac]);
      runChecks(ac, kind, profile, r);
      for (const [child, checks] of v.amounts) for (const node of P.all(ac, child)) runChecks(node, checks, profile, r);
    }
    for (const [parent, list] of byParent) if (parent && list.length > 1) r.fail('FX-SCH-A-000274', parent);
  }
  if (profile === 'BASIC' || profile === 'BASIC WL' || profile === 'MINIMUM' || profile === 'EN16931' || profile === 'EXTENDED') sellerRegistrations(root, `${AGR}/ram:SellerTradeParty`, r);
  if (profile === 'EXTENDED') {
    sellerRegistrations(root, `${LINE}/ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty`, r);
    sellerRegistrations(root, `${LINE}/ram:SpecifiedTradeProduct/ram:ManufacturerTradeParty`, r, 2);
  }
  if (profile === 'BASIC' || profile === 'BASIC WL' || profile === 'MINIMUM' || profile === 'EN16931' || profile === 'EXTENDED') {
    // BT-110 / BT-111: the total VAT in the invoice currency and in the VAT accounting currency, once each.
    for (const sum of P.all(root, `${SET}/ram:SpecifiedTradeSettlementHeaderMonetarySummation`)) {
      const settlement = sum.parent;
      const currency = P.all(settlement ?? undefined, 'ram:InvoiceCurrencyCode').map(stringValue);
      const taxCurrency = P.all(settlement ?? undefined, 'ram:TaxCurrencyCode').map(stringValue);
      const totals = P.kids(sum, 'ram:TaxTotalAmount');
      const inCurrency = (list: string[]) => totals.filter((t) => list.includes(attr(t, 'currencyID') ?? '\u0000'));
      r.check('FX-SCH-A-000042', inCurrency(currency).length <= 1, sum);
      r.check('FX-SCH-A-000192', inCurrency(taxCurrency).length <= 1, sum);
      for (const t of totals) {
        const c = attr(t, 'currencyID');
        if (c === undefined || (!currency.includes(c) && !taxCurrency.includes(c))) r.fail('FX-SCH-NOT-USED:TaxTotalAmount-variant', t);
        // EXTENDED checks the currency of each variant, BT-110 against list 49, BT-111 against list 50 (the first
        // matching rule wins); a total in another currency is only the variant not used.
        else if (profile === 'EXTENDED') currencyInList(t, currency.includes(c) ? 49 : 50, r);
      }
    }
  }
  if (profile === 'EXTENDED') lineTaxTotals(root, r);
}

/** `Value of '@currencyID' is not allowed.` (FX-SCH-A-000045's message), against an EXTENDED list. */
function currencyInList(total: XmlElement, list: number, r: Reporter): void {
  const c = attr(total, 'currencyID') ?? '';
  if (c !== '' && !inProfileList('EXTENDED', list, c)) r.fail('FX-SCH-A-000045', total, 'currencyID');
}

/**
 * The line totals' VAT amounts (BT-X-…, `SpecifiedTradeSettlementLineMonetarySummation/ram:TaxTotalAmount`) by
 * currency, as the EXTENDED Schematron splits them: in the invoice currency once at most (currency list 31), in the
 * VAT accounting currency once at most (list 32), no other currency. Its predicates compare with the absolute path
 * of the header's currency codes, which its messages carry.
 */
function lineTaxTotals(root: XmlElement, r: Reporter): void {
  const settlements = P.all(root, SET);
  const currency = settlements.flatMap((s) => P.kids(s, 'ram:InvoiceCurrencyCode')).map(stringValue);
  const taxCurrency = settlements.flatMap((s) => P.kids(s, 'ram:TaxCurrencyCode')).map(stringValue);
  for (const sum of P.all(root, `${LINE}/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation`)) {
    const totals = P.kids(sum, 'ram:TaxTotalAmount');
    const inCurrency = (list: string[]) => totals.filter((t) => list.includes(attr(t, 'currencyID') ?? '\u0000'));
    r.check(LINE_TAX_TOTAL.invoiceCurrency, inCurrency(currency).length <= 1, sum);
    r.check(LINE_TAX_TOTAL.taxCurrency, inCurrency(taxCurrency).length <= 1, sum);
    for (const t of totals) {
      const c = attr(t, 'currencyID');
      if (c !== undefined && currency.includes(c)) currencyInList(t, 31, r);
      else if (c !== undefined && taxCurrency.includes(c)) currencyInList(t, 32, r);
      else r.fail(LINE_TAX_TOTAL.other, t);
    }
  }
}

/**
 * A seller's tax registrations by scheme: VA (BT-31) and FC (BT-32) once each (twice for the EXTENDED product's
 * manufacturer), no other scheme.
 */
function sellerRegistrations(root: XmlElement, at: string, r: Reporter, limit: 1 | 2 = 1): void {
  for (const seller of P.all(root, at)) {
    const regs = P.kids(seller, 'ram:SpecifiedTaxRegistration');
    const scheme = (reg: XmlElement) => P.all(reg, 'ram:ID').map((id) => attr(id, 'schemeID'));
    r.check(limit === 1 ? 'FX-SCH-A-000033' : 'FX-SCH-EXT:max2:VA-registration', regs.filter((g) => scheme(g).includes('VA')).length <= limit, seller);
    r.check(limit === 1 ? 'FX-SCH-A-000034' : 'FX-SCH-EXT:max2:FC-registration', regs.filter((g) => scheme(g).includes('FC')).length <= limit, seller);
    for (const reg of regs) {
      const s = scheme(reg);
      if (!s.includes('VA') && !s.includes('FC')) r.fail('FX-SCH-NOT-USED:SpecifiedTaxRegistration-variant', reg);
      else {
        r.check('FX-SCH-A-000019', P.count(reg, 'ram:ID') === 1, reg);
        for (const id of P.kids(reg, 'ram:ID')) r.check('FX-SCH-A-000037', attr(id, 'schemeID') !== undefined, id);
      }
    }
  }
}
