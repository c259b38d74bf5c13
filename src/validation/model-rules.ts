import type { Invoice } from '../formats/model.ts';
import type { Finding, Flag, Syntax } from './engine.ts';
import { locationOf, type XmlDocument, type XmlElement } from './xml/tree.ts';

/**
 * Rules written on the EN 16931 model (src/formats/model.ts) instead of the XML tree: one implementation for
 * both syntaxes. Used by the rule sets that are not a binding of an official Schematron to one syntax
 * (Chorus Pro pre-deposit checks, the French rules BR-FR). A finding names the field by its business term;
 * its location is the XPath of that term in the document's syntax.
 */

export interface ModelRuleText {
  flag: Flag;
  /** The official message where there is one (BR-FR: the French rule text of the FNFE package). */
  message: string;
  /** French message naming the field as a user knows it. */
  messageFr: string;
}

/** Requirements of the invoice's recipient in the Chorus Pro directory (structure and service parameters). */
export interface RecipientRequirements {
  /** `codeServiceDoitEtreRenseigne`: the service code (BT-10) is mandatory. */
  serviceCode?: boolean;
  /** `numeroEJDoitEtreRenseigne` (of the structure, or of the chosen service): the legal commitment (BT-13) is mandatory. */
  ej?: boolean;
  /** `gestionNumeroEJOuCodeService`: the legal commitment or the service code is mandatory. */
  ejOrServiceCode?: boolean;
  /** When known: the recipient's active service codes; BT-10 must be one of them. */
  services?: readonly { code: string; active?: boolean; ej?: boolean }[];
}

export interface ModelRuleContext {
  syntax: Syntax;
  /** UBL: 'Invoice' or 'CreditNote' (root element), for the locations. */
  root: string;
  recipientRequirements?: RecipientRequirements;
  /**
   * The parsed document the model was read from. Rules on what the model does not keep (the lexical form of
   * an amount, repeated identifiers, the EXTENDED-CTC-FR extension fields) read it and report the element.
   */
  doc?: XmlDocument;
}

export interface ModelRuleSet {
  readonly name: string;
  /** Rule ids this set can report, with their flags and messages. */
  readonly texts: Readonly<Record<string, ModelRuleText>>;
  run(invoice: Invoice, r: ModelReporter, ctx: ModelRuleContext): void;
}

const UBL_PARTY = { seller: 'cac:AccountingSupplierParty/cac:Party', buyer: 'cac:AccountingCustomerParty/cac:Party' };
const CII_TX = '/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction';
const CII_AGR = `${CII_TX}/ram:ApplicableHeaderTradeAgreement`;
const CII_SET = `${CII_TX}/ram:ApplicableHeaderTradeSettlement`;
const CII_SUM = `${CII_SET}/ram:SpecifiedTradeSettlementHeaderMonetarySummation`;
const UBL_SUM = 'cac:LegalMonetaryTotal';

/** Where each business term sits: [UBL path under the root element, CII absolute path]. */
const TERMS: Record<string, readonly [string, string]> = {
  'BT-1': ['cbc:ID', '/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID'],
  'BT-2': ['cbc:IssueDate', '/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString'],
  'BT-3': ['cbc:InvoiceTypeCode', '/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode'],
  'BT-5': ['cbc:DocumentCurrencyCode', `${CII_SET}/ram:InvoiceCurrencyCode`],
  'BT-6': ['cbc:TaxCurrencyCode', `${CII_SET}/ram:TaxCurrencyCode`],
  'BT-9': ['cbc:DueDate', `${CII_SET}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString`],
  'BT-10': ['cbc:BuyerReference', `${CII_AGR}/ram:BuyerReference`],
  'BT-12': ['cac:ContractDocumentReference/cbc:ID', `${CII_AGR}/ram:ContractReferencedDocument/ram:IssuerAssignedID`],
  'BT-13': ['cac:OrderReference/cbc:ID', `${CII_AGR}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID`],
  'BT-22': ['cbc:Note', '/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IncludedNote/ram:Content'],
  'BT-23': ['cbc:ProfileID', '/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID'],
  'BT-24': ['cbc:CustomizationID', '/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID'],
  'BT-25': ['cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID', `${CII_SET}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID`],
  'BT-29': [`${UBL_PARTY.seller}/cac:PartyIdentification/cbc:ID`, `${CII_AGR}/ram:SellerTradeParty/ram:ID`],
  'BT-30': [`${UBL_PARTY.seller}/cac:PartyLegalEntity/cbc:CompanyID`, `${CII_AGR}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID`],
  'BT-31': [`${UBL_PARTY.seller}/cac:PartyTaxScheme/cbc:CompanyID`, `${CII_AGR}/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID`],
  'BT-34': [`${UBL_PARTY.seller}/cbc:EndpointID`, `${CII_AGR}/ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID`],
  'BT-40': [`${UBL_PARTY.seller}/cac:PostalAddress/cac:Country/cbc:IdentificationCode`, `${CII_AGR}/ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID`],
  'BT-44': [`${UBL_PARTY.buyer}/cac:PartyLegalEntity/cbc:RegistrationName`, `${CII_AGR}/ram:BuyerTradeParty/ram:Name`],
  'BT-46': [`${UBL_PARTY.buyer}/cac:PartyIdentification/cbc:ID`, `${CII_AGR}/ram:BuyerTradeParty/ram:ID`],
  'BT-47': [`${UBL_PARTY.buyer}/cac:PartyLegalEntity/cbc:CompanyID`, `${CII_AGR}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID`],
  'BT-48': [`${UBL_PARTY.buyer}/cac:PartyTaxScheme/cbc:CompanyID`, `${CII_AGR}/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID`],
  'BT-49': [`${UBL_PARTY.buyer}/cbc:EndpointID`, `${CII_AGR}/ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID`],
  'BT-106': [`${UBL_SUM}/cbc:LineExtensionAmount`, `${CII_SUM}/ram:LineTotalAmount`],
  'BT-107': [`${UBL_SUM}/cbc:AllowanceTotalAmount`, `${CII_SUM}/ram:AllowanceTotalAmount`],
  'BT-108': [`${UBL_SUM}/cbc:ChargeTotalAmount`, `${CII_SUM}/ram:ChargeTotalAmount`],
  'BT-109': [`${UBL_SUM}/cbc:TaxExclusiveAmount`, `${CII_SUM}/ram:TaxBasisTotalAmount`],
  'BT-110': ['cac:TaxTotal/cbc:TaxAmount', `${CII_SUM}/ram:TaxTotalAmount`],
  'BT-112': [`${UBL_SUM}/cbc:TaxInclusiveAmount`, `${CII_SUM}/ram:GrandTotalAmount`],
  'BT-113': [`${UBL_SUM}/cbc:PrepaidAmount`, `${CII_SUM}/ram:TotalPrepaidAmount`],
  'BT-114': [`${UBL_SUM}/cbc:PayableRoundingAmount`, `${CII_SUM}/ram:RoundingAmount`],
  'BT-115': [`${UBL_SUM}/cbc:PayableAmount`, `${CII_SUM}/ram:DuePayableAmount`],
  'BG-11': ['cac:TaxRepresentativeParty', `${CII_AGR}/ram:SellerTaxRepresentativeTradeParty`],
  'BG-23': ['cac:TaxTotal/cac:TaxSubtotal', `${CII_SET}/ram:ApplicableTradeTax`],
  'BT-118': ['cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID', `${CII_SET}/ram:ApplicableTradeTax/ram:CategoryCode`],
  'BT-119': ['cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent', `${CII_SET}/ram:ApplicableTradeTax/ram:RateApplicablePercent`],
  'BG-24': ['cac:AdditionalDocumentReference', `${CII_AGR}/ram:AdditionalReferencedDocument`],
  'BT-7': ['cbc:TaxPointDate', `${CII_SET}/ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString`],
  'BT-26': ['cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate', `${CII_SET}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString`],
  'BT-60': ['cac:PayeeParty/cac:PartyIdentification/cbc:ID', `${CII_SET}/ram:PayeeTradeParty/ram:ID`],
  'BT-61': ['cac:PayeeParty/cac:PartyLegalEntity/cbc:CompanyID', `${CII_SET}/ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:ID`],
  'BT-72': ['cac:Delivery/cbc:ActualDeliveryDate', `${CII_TX}/ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString`],
  'BT-73': ['cac:InvoicePeriod/cbc:StartDate', `${CII_SET}/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString`],
  'BT-74': ['cac:InvoicePeriod/cbc:EndDate', `${CII_SET}/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString`],
  'BT-95': ['cac:AllowanceCharge/cac:TaxCategory/cbc:ID', `${CII_SET}/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:CategoryCode`],
  'BT-96': ['cac:AllowanceCharge/cac:TaxCategory/cbc:Percent', `${CII_SET}/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:RateApplicablePercent`],
  'BT-111': ['cac:TaxTotal/cbc:TaxAmount', `${CII_SUM}/ram:TaxTotalAmount`],
  'BT-123': ['cac:AdditionalDocumentReference/cbc:DocumentDescription', `${CII_AGR}/ram:AdditionalReferencedDocument/ram:Name`],
  'BT-151': ['cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:ID', `${CII_TX}/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode`],
  'BT-152': ['cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent', `${CII_TX}/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent`],
  'BG-25': ['cac:InvoiceLine', `${CII_TX}/ram:IncludedSupplyChainTradeLineItem`],
};

/** The XPath of a business term (or group) in the given syntax: '/Invoice/cbc:BuyerReference'. */
export function termLocation(term: string, ctx: Pick<ModelRuleContext, 'syntax' | 'root'>): string {
  const t = TERMS[term];
  if (!t) throw new Error(`no location for ${term}`);
  if (ctx.syntax === 'cii') return t[1];
  let p = t[0];
  if (ctx.root === 'CreditNote') p = p.replace('cbc:InvoiceTypeCode', 'cbc:CreditNoteTypeCode').replace('cac:InvoiceLine', 'cac:CreditNoteLine');
  return `/${ctx.root}/${p}`;
}

export class ModelReporter {
  readonly findings: Finding[] = [];
  constructor(
    private readonly set: ModelRuleSet,
    private readonly ctx: ModelRuleContext,
  ) {}

  /** Records that rule `id` failed on business term `term`; `detail` is appended to the French message (e.g. the value found). */
  fail(id: string, term: string, detail?: string): void {
    const t = this.set.texts[id];
    if (!t) throw new Error(`rule ${id} has no text in ${this.set.name}`);
    this.findings.push({
      rule: id,
      flag: t.flag,
      location: termLocation(term, this.ctx),
      message: t.message,
      messageFr: detail ? `${t.messageFr} ${detail}` : t.messageFr,
    });
  }

  check(id: string, ok: boolean, term: string, detail?: string): void {
    if (!ok) this.fail(id, term, detail);
  }

  /** Records that rule `id` failed on an element of the document (rules written on the tree). */
  failAt(id: string, node: XmlElement, detail?: string): void {
    const t = this.set.texts[id];
    if (!t) throw new Error(`rule ${id} has no text in ${this.set.name}`);
    this.findings.push({
      rule: id,
      flag: t.flag,
      location: locationOf(node),
      message: t.message,
      messageFr: detail ? `${t.messageFr} ${detail}` : t.messageFr,
    });
  }

  checkAt(id: string, ok: boolean, node: XmlElement, detail?: string): void {
    if (!ok) this.failAt(id, node, detail);
  }
}

/** Runs a model rule set. */
export function runModelRules(set: ModelRuleSet, invoice: Invoice, ctx: ModelRuleContext): Finding[] {
  const r = new ModelReporter(set, ctx);
  set.run(invoice, r, ctx);
  // A rule checked on each line reports one finding per distinct location and message.
  const seen = new Set<string>();
  return r.findings.filter((f) => {
    const k = `${f.rule}\n${f.location}\n${f.messageFr}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
