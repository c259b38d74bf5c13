import type {
  Buyer,
  Contact,
  CreditTransfer,
  Delivery,
  DocumentAllowanceCharge,
  DocumentTotals,
  Identifier,
  Invoice,
  InvoiceReferences,
  InvoiceLine,
  Item,
  LineAllowanceCharge,
  Payee,
  PaymentInstructions,
  Period,
  PostalAddress,
  PriceDetails,
  Seller,
  SupportingDocument,
  TaxRepresentative,
  VatBreakdown,
} from '../model.ts';
import type { XNode } from '../xml/safe-parse.ts';
import { all, at, attr, compact, strip, textOf, txt } from '../xml/tree.ts';
import { mapped } from '../../shared/mapped.ts';

/*
 * The readers are split into small module-level functions (and callbacks of array methods, when they capture
 * nothing, are module-level too): each compiles cheaply, and a deoptimisation only recompiles a small one.
 */

/**
 * UN/CEFACT CII D16B CrossIndustryInvoice → model, following the CEN syntax binding (EN 16931-3-3) and
 * Factur-X (all profiles: what a profile lacks is simply absent).
 */
export function readCii(root: XNode): Invoice {
  const doc = at(root, 'ExchangedDocument');
  const tx = at(root, 'SupplyChainTradeTransaction');
  const agreement = at(tx, 'ApplicableHeaderTradeAgreement');
  const deliveryNode = at(tx, 'ApplicableHeaderTradeDelivery');
  const settlement = at(tx, 'ApplicableHeaderTradeSettlement');
  const currency = txt(settlement, 'InvoiceCurrencyCode') ?? '';
  const vatAccountingCurrency = txt(settlement, 'TaxCurrencyCode');
  const docRefs = all(agreement, 'AdditionalReferencedDocument');
  const taxes = all(settlement, 'ApplicableTradeTax');
  const terms = all(settlement, 'SpecifiedTradePaymentTerms');
  const allowanceCharges = all(settlement, 'SpecifiedTradeAllowanceCharge');

  const invoice: Invoice = {
    number: txt(doc, 'ID') ?? '',
    issueDate: date(at(doc, 'IssueDateTime')) ?? '',
    typeCode: txt(doc, 'TypeCode') ?? '',
    currency,
    vatAccountingCurrency,
    taxPointDate: mapped(taxes, taxPointDate).find(Boolean),
    vatPointDateCode: vatPointFromCii(mapped(taxes, dueDateTypeCode).find(Boolean)),
    dueDate: mapped(terms, dueDate).find(Boolean),
    ...readReferences(agreement, deliveryNode, settlement, docRefs),
    paymentTerms: mapped(terms, termsDescription).filter(Boolean).join('\n') || undefined,
    notes: mapped(all(doc, 'IncludedNote'), note),
    businessProcessType: txt(root, 'ExchangedDocumentContext', 'BusinessProcessSpecifiedDocumentContextParameter', 'ID'),
    specificationIdentifier: txt(root, 'ExchangedDocumentContext', 'GuidelineSpecifiedDocumentContextParameter', 'ID') ?? '',
    precedingInvoices: mapped(all(settlement, 'InvoiceReferencedDocument'), precedingInvoice),
    seller: readSeller(at(agreement, 'SellerTradeParty')),
    buyer: readBuyer(at(agreement, 'BuyerTradeParty')),
    payee: readPayee(at(settlement, 'PayeeTradeParty')),
    taxRepresentative: readTaxRepresentative(at(agreement, 'SellerTaxRepresentativeTradeParty')),
    delivery: readDelivery(deliveryNode),
    invoicingPeriod: period(at(settlement, 'BillingSpecifiedPeriod')),
    payment: readPayment(settlement),
    allowances: mapped(allowanceCharges.filter(isAllowance), documentAllowanceCharge),
    charges: mapped(allowanceCharges.filter(isCharge), documentAllowanceCharge),
    totals: readTotals(settlement, currency, vatAccountingCurrency),
    vatBreakdown: mapped(taxes, vatBreakdown),
    supportingDocuments: mapped(docRefs.filter(isSupportingDocument), supportingDocument),
    lines: mapped(all(tx, 'IncludedSupplyChainTradeLineItem'), readLine),
  };
  return strip(invoice);
}

function readReferences(agreement: XNode | undefined, delivery: XNode | undefined, settlement: XNode | undefined, docRefs: XNode[]): InvoiceReferences {
  return {
    buyerReference: txt(agreement, 'BuyerReference'),
    projectReference: txt(agreement, 'SpecifiedProcuringProject', 'ID'),
    contractReference: txt(agreement, 'ContractReferencedDocument', 'IssuerAssignedID'),
    purchaseOrderReference: txt(agreement, 'BuyerOrderReferencedDocument', 'IssuerAssignedID'),
    salesOrderReference: txt(agreement, 'SellerOrderReferencedDocument', 'IssuerAssignedID'),
    receivingAdviceReference: txt(delivery, 'ReceivingAdviceReferencedDocument', 'IssuerAssignedID'),
    despatchAdviceReference: txt(delivery, 'DespatchAdviceReferencedDocument', 'IssuerAssignedID'),
    tenderOrLotReference: txt(docRefs.find(isTenderOrLot), 'IssuerAssignedID'),
    invoicedObjectIdentifier: objectIdentifier(docRefs.find(isInvoicedObject)),
    buyerAccountingReference: txt(settlement, 'ReceivableSpecifiedTradeAccountingAccount', 'ID'),
  };
}

const taxPointDate = (t: XNode) => date(at(t, 'TaxPointDate'));
const dueDateTypeCode = (t: XNode) => txt(t, 'DueDateTypeCode');
const dueDate = (t: XNode) => date(at(t, 'DueDateDateTime'));
const termsDescription = (t: XNode) => txt(t, 'Description');
const isTenderOrLot = (d: XNode) => txt(d, 'TypeCode') === '50';
const isInvoicedObject = (d: XNode) => txt(d, 'TypeCode') === '130';
const isSupportingDocument = (d: XNode) => txt(d, 'TypeCode') === '916';

function note(n: XNode): Invoice['notes'][number] {
  return strip({ subjectCode: txt(n, 'SubjectCode'), text: mapped(all(n, 'Content'), textOf).join('\n') });
}

function precedingInvoice(r: XNode): Invoice['precedingInvoices'][number] {
  return strip({ number: txt(r, 'IssuerAssignedID') ?? '', issueDate: date(at(r, 'FormattedIssueDateTime')) });
}

/** udt:DateTimeString / udt:DateString / qdt:DateTimeString in format 102 (YYYYMMDD) → ISO date. */
function date(n: XNode | undefined): string | undefined {
  const first = n?.children[0];
  const s = first ? textOf(first) : n && textOf(n);
  if (!s) return undefined;
  return /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s;
}

/** BT-8: CII uses UNTDID 2475 (5, 29, 72), the model keeps UBL's UNTDID 2005 (3, 35, 432). */
const VAT_POINT_FROM_CII: Record<string, string> = { '5': '3', '29': '35', '72': '432' };
function vatPointFromCii(code: string | undefined): string | undefined {
  return code === undefined ? undefined : (VAT_POINT_FROM_CII[code] ?? code);
}

const isCharge = (a: XNode) => (txt(a, 'ChargeIndicator', 'Indicator') ?? txt(a, 'ChargeIndicator')) === 'true';
const isAllowance = (a: XNode) => !isCharge(a);

function identifier(n: XNode | undefined): Identifier | undefined {
  const id = n && textOf(n);
  if (!id) return undefined;
  return strip({ id, schemeId: attr(n, 'schemeID') });
}

/** BT-18 / BT-128 from a referenced document of type 130. */
function objectIdentifier(ref: XNode | undefined): Identifier | undefined {
  return ref ? strip({ id: txt(ref, 'IssuerAssignedID') ?? '', schemeId: txt(ref, 'ReferenceTypeCode') }) : undefined;
}

const isPartyIdentifier = (c: XNode) => c.local === 'ID' || c.local === 'GlobalID';
const isIdentifier = (i: Identifier | undefined): i is Identifier => i !== undefined;

/** ram:ID (no scheme) then ram:GlobalID (with scheme), in document order. */
function partyIdentifiers(p: XNode | undefined): Identifier[] {
  if (!p) return [];
  return mapped(p.children.filter(isPartyIdentifier), identifier).filter(isIdentifier);
}

function taxRegistration(p: XNode | undefined, scheme: 'VA' | 'FC'): string | undefined {
  const id = all(p, 'SpecifiedTaxRegistration', 'ID').find((i) => attr(i, 'schemeID') === scheme);
  return (id && textOf(id)) || undefined;
}

function address(a: XNode | undefined): PostalAddress {
  return strip({
    line1: txt(a, 'LineOne'),
    line2: txt(a, 'LineTwo'),
    line3: txt(a, 'LineThree'),
    city: txt(a, 'CityName'),
    postCode: txt(a, 'PostcodeCode'),
    countrySubdivision: txt(a, 'CountrySubDivisionName'),
    countryCode: txt(a, 'CountryID'),
  });
}

function contact(c: XNode | undefined): Contact | undefined {
  if (!c) return undefined;
  return compact({
    name: txt(c, 'PersonName') ?? txt(c, 'DepartmentName'),
    phone: txt(c, 'TelephoneUniversalCommunication', 'CompleteNumber'),
    email: txt(c, 'EmailURIUniversalCommunication', 'URIID'),
  });
}

function period(p: XNode | undefined): Period | undefined {
  return p ? compact({ startDate: date(at(p, 'StartDateTime')), endDate: date(at(p, 'EndDateTime')) }) : undefined;
}

function readSeller(seller: XNode | undefined): Seller {
  return strip({
    name: txt(seller, 'Name') ?? '',
    tradingName: txt(seller, 'SpecifiedLegalOrganization', 'TradingBusinessName'),
    identifiers: partyIdentifiers(seller),
    legalRegistration: identifier(at(seller, 'SpecifiedLegalOrganization', 'ID')),
    vatId: taxRegistration(seller, 'VA'),
    taxRegistrationId: taxRegistration(seller, 'FC'),
    legalInformation: txt(seller, 'Description'),
    electronicAddress: identifier(at(seller, 'URIUniversalCommunication', 'URIID')),
    address: address(at(seller, 'PostalTradeAddress')),
    contact: contact(at(seller, 'DefinedTradeContact')),
  });
}

function readBuyer(buyer: XNode | undefined): Buyer {
  return strip({
    name: txt(buyer, 'Name') ?? '',
    tradingName: txt(buyer, 'SpecifiedLegalOrganization', 'TradingBusinessName'),
    identifiers: partyIdentifiers(buyer),
    legalRegistration: identifier(at(buyer, 'SpecifiedLegalOrganization', 'ID')),
    vatId: taxRegistration(buyer, 'VA'),
    electronicAddress: identifier(at(buyer, 'URIUniversalCommunication', 'URIID')),
    address: address(at(buyer, 'PostalTradeAddress')),
    contact: contact(at(buyer, 'DefinedTradeContact')),
  });
}

function readPayee(payee: XNode | undefined): Payee | undefined {
  return payee
    ? strip({ name: txt(payee, 'Name') ?? '', identifiers: partyIdentifiers(payee), legalRegistration: identifier(at(payee, 'SpecifiedLegalOrganization', 'ID')) })
    : undefined;
}

function readTaxRepresentative(taxRep: XNode | undefined): TaxRepresentative | undefined {
  return taxRep
    ? { name: txt(taxRep, 'Name') ?? '', vatId: taxRegistration(taxRep, 'VA') ?? '', address: address(at(taxRep, 'PostalTradeAddress')) }
    : undefined;
}

function readDelivery(deliveryNode: XNode | undefined): Delivery | undefined {
  const shipTo = at(deliveryNode, 'ShipToTradeParty');
  return compact({
    name: txt(shipTo, 'Name'),
    locationId: partyIdentifiers(shipTo)[0],
    date: date(at(deliveryNode, 'ActualDeliverySupplyChainEvent', 'OccurrenceDateTime')),
    address: at(shipTo, 'PostalTradeAddress') ? address(at(shipTo, 'PostalTradeAddress')) : undefined,
  });
}

function readTotals(settlement: XNode | undefined, currency: string, vatAccountingCurrency: string | undefined): DocumentTotals {
  const sums = at(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  const taxTotals = all(sums, 'TaxTotalAmount');
  const accountingTotal =
    vatAccountingCurrency && vatAccountingCurrency !== currency ? taxTotals.find((t) => attr(t, 'currencyID') === vatAccountingCurrency) : undefined;
  const mainTotal = taxTotals.find((t) => t !== accountingTotal);
  return strip({
    lineNetTotal: txt(sums, 'LineTotalAmount'),
    allowanceTotal: txt(sums, 'AllowanceTotalAmount'),
    chargeTotal: txt(sums, 'ChargeTotalAmount'),
    taxExclusiveAmount: txt(sums, 'TaxBasisTotalAmount') ?? '',
    vatTotal: (mainTotal && textOf(mainTotal)) || undefined,
    vatTotalInAccountingCurrency: (accountingTotal && textOf(accountingTotal)) || undefined,
    taxInclusiveAmount: txt(sums, 'GrandTotalAmount') ?? '',
    prepaidAmount: txt(sums, 'TotalPrepaidAmount'),
    roundingAmount: txt(sums, 'RoundingAmount'),
    payableAmount: txt(sums, 'DuePayableAmount') ?? '',
  });
}

function vatBreakdown(t: XNode): VatBreakdown {
  return strip({
    taxableAmount: txt(t, 'BasisAmount') ?? '',
    taxAmount: txt(t, 'CalculatedAmount') ?? '',
    categoryCode: txt(t, 'CategoryCode') ?? '',
    rate: txt(t, 'RateApplicablePercent'),
    exemptionReason: txt(t, 'ExemptionReason'),
    exemptionReasonCode: txt(t, 'ExemptionReasonCode'),
  });
}

const directDebitMandate = (t: XNode) => txt(t, 'DirectDebitMandateID');
const financialCard = (m: XNode) => at(m, 'ApplicableTradeSettlementFinancialCard');
const debitedAccount = (m: XNode) => txt(m, 'PayerPartyDebtorFinancialAccount', 'IBANID');

function readPayment(settlement: XNode | undefined): PaymentInstructions | undefined {
  const means = all(settlement, 'SpecifiedTradeSettlementPaymentMeans');
  const mandate = mapped(all(settlement, 'SpecifiedTradePaymentTerms'), directDebitMandate).find(Boolean);
  const creditor = txt(settlement, 'CreditorReferenceID');
  const remittance = txt(settlement, 'PaymentReference');
  if (means.length === 0) return undefined;
  const first = means[0];
  const card = mapped(means, financialCard).find(Boolean);
  return strip({
    meansCode: txt(first, 'TypeCode') ?? '',
    meansText: txt(first, 'Information'),
    remittanceInformation: remittance,
    creditTransfers: means.flatMap(creditTransfers),
    card: card ? strip({ primaryAccountNumber: txt(card, 'ID') ?? '', holderName: txt(card, 'CardholderName') }) : undefined,
    directDebit: compact({
      mandateReference: mandate,
      creditorReference: creditor,
      debitedAccount: mapped(means, debitedAccount).find(Boolean),
    }),
  });
}

/** The credit transfer of one payment means: none, or one. */
function creditTransfers(m: XNode): CreditTransfer[] {
  const acc = at(m, 'PayeePartyCreditorFinancialAccount');
  if (!acc) return [];
  return [
    strip({
      accountId: txt(acc, 'IBANID') ?? txt(acc, 'ProprietaryID') ?? '',
      accountName: txt(acc, 'AccountName'),
      serviceProviderId: txt(m, 'PayeeSpecifiedCreditorFinancialInstitution', 'BICID'),
    }),
  ];
}

function documentAllowanceCharge(a: XNode): DocumentAllowanceCharge {
  return strip({
    amount: txt(a, 'ActualAmount') ?? '',
    baseAmount: txt(a, 'BasisAmount'),
    percentage: txt(a, 'CalculationPercent'),
    vatCategoryCode: txt(a, 'CategoryTradeTax', 'CategoryCode') ?? '',
    vatRate: txt(a, 'CategoryTradeTax', 'RateApplicablePercent'),
    reason: txt(a, 'Reason'),
    reasonCode: txt(a, 'ReasonCode'),
  });
}

function lineAllowanceCharge(a: XNode): LineAllowanceCharge {
  return strip({
    amount: txt(a, 'ActualAmount') ?? '',
    baseAmount: txt(a, 'BasisAmount'),
    percentage: txt(a, 'CalculationPercent'),
    reason: txt(a, 'Reason'),
    reasonCode: txt(a, 'ReasonCode'),
  });
}

function supportingDocument(d: XNode): SupportingDocument {
  const bin = at(d, 'AttachmentBinaryObject');
  return strip({
    reference: txt(d, 'IssuerAssignedID') ?? '',
    description: txt(d, 'Name'),
    externalUri: txt(d, 'URIID'),
    attachment: bin ? { content: textOf(bin).replace(/\s+/g, ''), mimeCode: attr(bin, 'mimeCode') ?? '', filename: attr(bin, 'filename') ?? '' } : undefined,
  });
}

function readLine(l: XNode): InvoiceLine {
  const lineDoc = at(l, 'AssociatedDocumentLineDocument');
  const agreement = at(l, 'SpecifiedLineTradeAgreement');
  const qty = at(l, 'SpecifiedLineTradeDelivery', 'BilledQuantity');
  const settlement = at(l, 'SpecifiedLineTradeSettlement');
  const tax = at(settlement, 'ApplicableTradeTax');
  const acs = all(settlement, 'SpecifiedTradeAllowanceCharge');
  return strip({
    id: txt(lineDoc, 'LineID') ?? '',
    note: mapped(all(lineDoc, 'IncludedNote', 'Content'), textOf).filter(Boolean).join('\n') || undefined,
    objectIdentifier: objectIdentifier(all(settlement, 'AdditionalReferencedDocument').find(isInvoicedObject)),
    quantity: qty ? textOf(qty) : '',
    unitCode: attr(qty, 'unitCode') ?? '',
    netAmount: txt(settlement, 'SpecifiedTradeSettlementLineMonetarySummation', 'LineTotalAmount') ?? '',
    orderLineReference: txt(agreement, 'BuyerOrderReferencedDocument', 'LineID'),
    accountingReference: txt(settlement, 'ReceivableSpecifiedTradeAccountingAccount', 'ID'),
    period: period(at(settlement, 'BillingSpecifiedPeriod')),
    allowances: mapped(acs.filter(isAllowance), lineAllowanceCharge),
    charges: mapped(acs.filter(isCharge), lineAllowanceCharge),
    price: readPrice(agreement),
    vat: strip({ categoryCode: txt(tax, 'CategoryCode') ?? '', rate: txt(tax, 'RateApplicablePercent') }),
    item: readItem(at(l, 'SpecifiedTradeProduct')),
  });
}

function readPrice(agreement: XNode | undefined): PriceDetails {
  const gross = at(agreement, 'GrossPriceProductTradePrice');
  const net = at(agreement, 'NetPriceProductTradePrice');
  const basis = at(net, 'BasisQuantity') ?? at(gross, 'BasisQuantity');
  const grossDiscount = all(gross, 'AppliedTradeAllowanceCharge').find(isAllowance);
  return strip({
    netPrice: txt(net, 'ChargeAmount') ?? '',
    discount: txt(grossDiscount, 'ActualAmount'),
    grossPrice: txt(gross, 'ChargeAmount'),
    baseQuantity: (basis && textOf(basis)) || undefined,
    baseQuantityUnitCode: attr(basis, 'unitCode'),
  });
}

function readItem(product: XNode | undefined): Item {
  return strip({
    name: txt(product, 'Name') ?? '',
    description: txt(product, 'Description'),
    sellerId: txt(product, 'SellerAssignedID'),
    buyerId: txt(product, 'BuyerAssignedID'),
    standardId: identifier(at(product, 'GlobalID')),
    classifications: mapped(all(product, 'DesignatedProductClassification', 'ClassCode'), classification),
    originCountryCode: txt(product, 'OriginTradeCountry', 'ID'),
    attributes: mapped(all(product, 'ApplicableProductCharacteristic'), itemAttribute),
  });
}

function classification(c: XNode): Item['classifications'][number] {
  return strip({ code: textOf(c), listId: attr(c, 'listID'), listVersionId: attr(c, 'listVersionID') });
}

function itemAttribute(p: XNode): Item['attributes'][number] {
  return { name: txt(p, 'Description') ?? '', value: txt(p, 'Value') ?? '' };
}
