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
 * UBL 2.1 Invoice / CreditNote → model, following the CEN syntax binding (EN 16931-3-2).
 * Notes carrying a subject code are written "#AAI#text" (the convention of the French CTC and Peppol).
 */
export function readUbl(root: XNode): Invoice {
  const isCreditNote = root.local === 'CreditNote';
  const currency = txt(root, 'DocumentCurrencyCode') ?? '';
  const vatAccountingCurrency = txt(root, 'TaxCurrencyCode');
  const supplier = at(root, 'AccountingSupplierParty', 'Party');
  const payeeParty = at(root, 'PayeeParty');
  const docRefs = all(root, 'AdditionalDocumentReference');
  const taxTotals = all(root, 'TaxTotal');
  const mainTaxTotal = taxTotalIn(taxTotals, currency) ?? taxTotals.find(hasTaxSubtotals) ?? taxTotals[0];
  const accountingTaxTotal = vatAccountingCurrency && vatAccountingCurrency !== currency ? taxTotalIn(taxTotals, vatAccountingCurrency) : undefined;
  const period = at(root, 'InvoicePeriod');

  const invoice: Invoice = {
    number: txt(root, 'ID') ?? '',
    issueDate: txt(root, 'IssueDate') ?? '',
    typeCode: txt(root, isCreditNote ? 'CreditNoteTypeCode' : 'InvoiceTypeCode') ?? (isCreditNote ? '381' : '380'),
    currency,
    vatAccountingCurrency,
    taxPointDate: txt(root, 'TaxPointDate'),
    vatPointDateCode: txt(period, 'DescriptionCode'),
    dueDate: txt(root, 'DueDate') ?? mapped(all(root, 'PaymentMeans'), paymentDueDate).find(Boolean),
    ...readReferences(root, docRefs),
    paymentTerms: mapped(all(root, 'PaymentTerms', 'Note'), textOf).filter(Boolean).join('\n') || undefined,
    notes: mapped(all(root, 'Note'), note).filter(hasNoteContent),
    businessProcessType: txt(root, 'ProfileID'),
    specificationIdentifier: txt(root, 'CustomizationID') ?? '',
    precedingInvoices: mapped(all(root, 'BillingReference', 'InvoiceDocumentReference'), precedingInvoice),
    seller: readSeller(supplier),
    buyer: readBuyer(at(root, 'AccountingCustomerParty', 'Party')),
    payee: payeeParty ? readPayee(payeeParty) : undefined,
    taxRepresentative: readTaxRepresentative(at(root, 'TaxRepresentativeParty')),
    delivery: readDelivery(at(root, 'Delivery')),
    invoicingPeriod: readPeriod(period),
    payment: readPayment(root, supplier, payeeParty),
    allowances: mapped(all(root, 'AllowanceCharge').filter(isAllowance), documentAllowanceCharge),
    charges: mapped(all(root, 'AllowanceCharge').filter(isCharge), documentAllowanceCharge),
    totals: readTotals(at(root, 'LegalMonetaryTotal'), mainTaxTotal, accountingTaxTotal),
    vatBreakdown: mapped(all(mainTaxTotal, 'TaxSubtotal'), vatBreakdown),
    supportingDocuments: mapped(docRefs.filter(isSupportingDocument), supportingDocument),
    lines: mapped(all(root, isCreditNote ? 'CreditNoteLine' : 'InvoiceLine'), readLine),
  };
  return strip(invoice);
}

function readReferences(root: XNode, docRefs: XNode[]): InvoiceReferences {
  const invoicedObject = docRefs.find(isInvoicedObject);
  return {
    buyerReference: txt(root, 'BuyerReference'),
    projectReference: txt(root, 'ProjectReference', 'ID') ?? txt(docRefs.find(isProject), 'ID'),
    contractReference: txt(root, 'ContractDocumentReference', 'ID'),
    // OrderReference/ID is mandatory in UBL: 'NA' stands for "no purchase order, only a sales order".
    purchaseOrderReference: txt(root, 'OrderReference', 'SalesOrderID') && txt(root, 'OrderReference', 'ID') === 'NA' ? undefined : txt(root, 'OrderReference', 'ID'),
    salesOrderReference: txt(root, 'OrderReference', 'SalesOrderID'),
    receivingAdviceReference: txt(root, 'ReceiptDocumentReference', 'ID'),
    despatchAdviceReference: txt(root, 'DespatchDocumentReference', 'ID'),
    tenderOrLotReference: txt(root, 'OriginatorDocumentReference', 'ID'),
    invoicedObjectIdentifier: invoicedObject ? identifier(at(invoicedObject, 'ID')) : undefined,
    buyerAccountingReference: txt(root, 'AccountingCost'),
  };
}

const paymentDueDate = (p: XNode) => txt(p, 'PaymentDueDate');
const isInvoicedObject = (d: XNode) => txt(d, 'DocumentTypeCode') === '130';
const isProject = (d: XNode) => txt(d, 'DocumentTypeCode') === '50';
const isSupportingDocument = (d: XNode) => !['130', '50'].includes(txt(d, 'DocumentTypeCode') ?? '');
const isAllowance = (a: XNode) => txt(a, 'ChargeIndicator') === 'false';
const isCharge = (a: XNode) => txt(a, 'ChargeIndicator') === 'true';
const isSepa = (i: XNode) => attr(i, 'schemeID') === 'SEPA';
const isNotSepa = (i: XNode) => attr(i, 'schemeID') !== 'SEPA';
const isIdentifier = (i: Identifier | undefined): i is Identifier => i !== undefined;

function note(n: XNode): Invoice['notes'][number] {
  return splitNote(textOf(n));
}

const hasNoteContent = (n: Invoice['notes'][number]) => n.text !== '' || n.subjectCode;

/** "#AAI#text" → { subjectCode: 'AAI', text }. */
function splitNote(raw: string): { subjectCode?: string; text: string } {
  const m = /^#([A-Z0-9]{1,3})#([\s\S]*)$/.exec(raw);
  return m ? { subjectCode: m[1], text: m[2].trim() } : { text: raw };
}

function precedingInvoice(r: XNode): Invoice['precedingInvoices'][number] {
  return strip({ number: txt(r, 'ID') ?? '', issueDate: txt(r, 'IssueDate') });
}

function taxTotalIn(taxTotals: XNode[], currency: string | undefined): XNode | undefined {
  return taxTotals.find((t) => attr(at(t, 'TaxAmount'), 'currencyID') === currency);
}

const hasTaxSubtotals = (t: XNode) => all(t, 'TaxSubtotal').length > 0;

function identifier(n: XNode | undefined): Identifier | undefined {
  const id = n && textOf(n);
  if (!id) return undefined;
  return strip({ id, schemeId: attr(n, 'schemeID') });
}

function address(a: XNode | undefined): PostalAddress {
  return strip({
    line1: txt(a, 'StreetName'),
    line2: txt(a, 'AdditionalStreetName'),
    line3: txt(a, 'AddressLine', 'Line'),
    city: txt(a, 'CityName'),
    postCode: txt(a, 'PostalZone'),
    countrySubdivision: txt(a, 'CountrySubentity'),
    countryCode: txt(a, 'Country', 'IdentificationCode'),
  });
}

function contact(c: XNode | undefined): Contact | undefined {
  return c ? compact({ name: txt(c, 'Name'), phone: txt(c, 'Telephone'), email: txt(c, 'ElectronicMail') }) : undefined;
}

/** PartyIdentification except the SEPA creditor identifier, which is BT-90. */
function partyIdentifiers(p: XNode | undefined): Identifier[] {
  return mapped(all(p, 'PartyIdentification', 'ID').filter(isNotSepa), identifier).filter(isIdentifier);
}

function vatSchemeId(p: XNode | undefined, vat: boolean): string | undefined {
  const scheme = all(p, 'PartyTaxScheme').find((s) => (txt(s, 'TaxScheme', 'ID') === 'VAT') === vat);
  return txt(scheme, 'CompanyID');
}

function readSeller(p: XNode | undefined): Seller {
  return strip({
    name: txt(p, 'PartyLegalEntity', 'RegistrationName') ?? txt(p, 'PartyName', 'Name') ?? '',
    tradingName: txt(p, 'PartyName', 'Name'),
    identifiers: partyIdentifiers(p),
    legalRegistration: identifier(at(p, 'PartyLegalEntity', 'CompanyID')),
    vatId: vatSchemeId(p, true),
    taxRegistrationId: vatSchemeId(p, false),
    legalInformation: txt(p, 'PartyLegalEntity', 'CompanyLegalForm'),
    electronicAddress: identifier(at(p, 'EndpointID')),
    address: address(at(p, 'PostalAddress')),
    contact: contact(at(p, 'Contact')),
  });
}

function readBuyer(p: XNode | undefined): Buyer {
  return strip({
    name: txt(p, 'PartyLegalEntity', 'RegistrationName') ?? txt(p, 'PartyName', 'Name') ?? '',
    tradingName: txt(p, 'PartyName', 'Name'),
    identifiers: partyIdentifiers(p),
    legalRegistration: identifier(at(p, 'PartyLegalEntity', 'CompanyID')),
    vatId: vatSchemeId(p, true),
    electronicAddress: identifier(at(p, 'EndpointID')),
    address: address(at(p, 'PostalAddress')),
    contact: contact(at(p, 'Contact')),
  });
}

function readPayee(p: XNode): Payee {
  return strip({
    name: txt(p, 'PartyName', 'Name') ?? '',
    identifiers: partyIdentifiers(p),
    legalRegistration: identifier(at(p, 'PartyLegalEntity', 'CompanyID')),
  });
}

function readTaxRepresentative(p: XNode | undefined): TaxRepresentative | undefined {
  if (!p) return undefined;
  return {
    name: txt(p, 'PartyName', 'Name') ?? '',
    vatId: txt(p, 'PartyTaxScheme', 'CompanyID') ?? '',
    address: address(at(p, 'PostalAddress')),
  };
}

function readDelivery(delivery: XNode | undefined): Delivery | undefined {
  if (!delivery) return undefined;
  return compact({
    name: txt(delivery, 'DeliveryParty', 'PartyName', 'Name'),
    locationId: identifier(at(delivery, 'DeliveryLocation', 'ID')),
    date: txt(delivery, 'ActualDeliveryDate'),
    address: at(delivery, 'DeliveryLocation', 'Address') ? address(at(delivery, 'DeliveryLocation', 'Address')) : undefined,
  });
}

function readPeriod(p: XNode | undefined): Period | undefined {
  return p ? compact({ startDate: txt(p, 'StartDate'), endDate: txt(p, 'EndDate') }) : undefined;
}

function readTotals(lmt: XNode | undefined, mainTaxTotal: XNode | undefined, accountingTaxTotal: XNode | undefined): DocumentTotals {
  return strip({
    lineNetTotal: txt(lmt, 'LineExtensionAmount'),
    allowanceTotal: txt(lmt, 'AllowanceTotalAmount'),
    chargeTotal: txt(lmt, 'ChargeTotalAmount'),
    taxExclusiveAmount: txt(lmt, 'TaxExclusiveAmount') ?? '',
    vatTotal: txt(mainTaxTotal, 'TaxAmount'),
    vatTotalInAccountingCurrency: txt(accountingTaxTotal, 'TaxAmount'),
    taxInclusiveAmount: txt(lmt, 'TaxInclusiveAmount') ?? '',
    prepaidAmount: txt(lmt, 'PrepaidAmount'),
    roundingAmount: txt(lmt, 'PayableRoundingAmount'),
    payableAmount: txt(lmt, 'PayableAmount') ?? '',
  });
}

function vatBreakdown(s: XNode): VatBreakdown {
  return strip({
    taxableAmount: txt(s, 'TaxableAmount') ?? '',
    taxAmount: txt(s, 'TaxAmount') ?? '',
    categoryCode: txt(s, 'TaxCategory', 'ID') ?? '',
    rate: txt(s, 'TaxCategory', 'Percent'),
    exemptionReason: txt(s, 'TaxCategory', 'TaxExemptionReason'),
    exemptionReasonCode: txt(s, 'TaxCategory', 'TaxExemptionReasonCode'),
  });
}

const paymentMandate = (m: XNode) => at(m, 'PaymentMandate');
const cardAccount = (m: XNode) => at(m, 'CardAccount');
const paymentId = (m: XNode) => txt(m, 'PaymentID');

function readPayment(root: XNode, supplier: XNode | undefined, payee: XNode | undefined): PaymentInstructions | undefined {
  const means = all(root, 'PaymentMeans');
  const sepa = [...all(payee, 'PartyIdentification', 'ID'), ...all(supplier, 'PartyIdentification', 'ID')].find(isSepa);
  if (means.length === 0) return undefined;
  const first = means[0];
  const mandate = mapped(means, paymentMandate).find(Boolean);
  const card = mapped(means, cardAccount).find(Boolean);
  const directDebit = compact({
    mandateReference: txt(mandate, 'ID'),
    creditorReference: (sepa && textOf(sepa)) || undefined,
    debitedAccount: txt(mandate, 'PayerFinancialAccount', 'ID'),
  });
  return strip({
    meansCode: txt(first, 'PaymentMeansCode') ?? '',
    meansText: attr(at(first, 'PaymentMeansCode'), 'name'),
    remittanceInformation: mapped(means, paymentId).find(Boolean),
    creditTransfers: means.flatMap(creditTransfers),
    card: card ? strip({ primaryAccountNumber: txt(card, 'PrimaryAccountNumberID') ?? '', holderName: txt(card, 'HolderName') }) : undefined,
    directDebit,
  });
}

function creditTransfers(m: XNode): CreditTransfer[] {
  return mapped(all(m, 'PayeeFinancialAccount'), creditTransfer);
}

function creditTransfer(a: XNode): CreditTransfer {
  return strip({ accountId: txt(a, 'ID') ?? '', accountName: txt(a, 'Name'), serviceProviderId: txt(a, 'FinancialInstitutionBranch', 'ID') });
}

function documentAllowanceCharge(a: XNode): DocumentAllowanceCharge {
  return strip({
    amount: txt(a, 'Amount') ?? '',
    baseAmount: txt(a, 'BaseAmount'),
    percentage: txt(a, 'MultiplierFactorNumeric'),
    vatCategoryCode: txt(a, 'TaxCategory', 'ID') ?? '',
    vatRate: txt(a, 'TaxCategory', 'Percent'),
    reason: txt(a, 'AllowanceChargeReason'),
    reasonCode: txt(a, 'AllowanceChargeReasonCode'),
  });
}

function lineAllowanceCharge(a: XNode): LineAllowanceCharge {
  return strip({
    amount: txt(a, 'Amount') ?? '',
    baseAmount: txt(a, 'BaseAmount'),
    percentage: txt(a, 'MultiplierFactorNumeric'),
    reason: txt(a, 'AllowanceChargeReason'),
    reasonCode: txt(a, 'AllowanceChargeReasonCode'),
  });
}

function supportingDocument(d: XNode): SupportingDocument {
  const bin = at(d, 'Attachment', 'EmbeddedDocumentBinaryObject');
  return strip({
    reference: txt(d, 'ID') ?? '',
    description: txt(d, 'DocumentDescription'),
    externalUri: txt(d, 'Attachment', 'ExternalReference', 'URI'),
    attachment: bin ? { content: textOf(bin).replace(/\s+/g, ''), mimeCode: attr(bin, 'mimeCode') ?? '', filename: attr(bin, 'filename') ?? '' } : undefined,
  });
}

function readLine(l: XNode): InvoiceLine {
  const qty = at(l, 'InvoicedQuantity') ?? at(l, 'CreditedQuantity');
  const item = at(l, 'Item');
  const objectRef = all(l, 'DocumentReference').find(isInvoicedObject) ?? at(l, 'DocumentReference');
  return strip({
    id: txt(l, 'ID') ?? '',
    note: mapped(all(l, 'Note'), textOf).filter(Boolean).join('\n') || undefined,
    objectIdentifier: identifier(at(objectRef, 'ID')),
    quantity: qty ? textOf(qty) : '',
    unitCode: attr(qty, 'unitCode') ?? '',
    netAmount: txt(l, 'LineExtensionAmount') ?? '',
    orderLineReference: txt(l, 'OrderLineReference', 'LineID'),
    accountingReference: txt(l, 'AccountingCost'),
    period: readPeriod(at(l, 'InvoicePeriod')),
    allowances: mapped(all(l, 'AllowanceCharge').filter(isAllowance), lineAllowanceCharge),
    charges: mapped(all(l, 'AllowanceCharge').filter(isCharge), lineAllowanceCharge),
    price: readPrice(at(l, 'Price')),
    vat: strip({ categoryCode: txt(item, 'ClassifiedTaxCategory', 'ID') ?? '', rate: txt(item, 'ClassifiedTaxCategory', 'Percent') }),
    item: readItem(item),
  });
}

const isPriceDiscount = (a: XNode) => txt(a, 'ChargeIndicator') !== 'true';

function readPrice(price: XNode | undefined): PriceDetails {
  const priceDiscount = all(price, 'AllowanceCharge').find(isPriceDiscount);
  return strip({
    netPrice: txt(price, 'PriceAmount') ?? '',
    discount: txt(priceDiscount, 'Amount'),
    grossPrice: txt(priceDiscount, 'BaseAmount'),
    baseQuantity: txt(price, 'BaseQuantity'),
    baseQuantityUnitCode: attr(at(price, 'BaseQuantity'), 'unitCode'),
  });
}

function readItem(item: XNode | undefined): Item {
  return strip({
    name: txt(item, 'Name') ?? '',
    description: txt(item, 'Description'),
    sellerId: txt(item, 'SellersItemIdentification', 'ID'),
    buyerId: txt(item, 'BuyersItemIdentification', 'ID'),
    standardId: identifier(at(item, 'StandardItemIdentification', 'ID')),
    classifications: mapped(all(item, 'CommodityClassification', 'ItemClassificationCode'), classification),
    originCountryCode: txt(item, 'OriginCountry', 'IdentificationCode'),
    attributes: mapped(all(item, 'AdditionalItemProperty'), itemAttribute),
  });
}

function classification(c: XNode): Item['classifications'][number] {
  return strip({ code: textOf(c), listId: attr(c, 'listID'), listVersionId: attr(c, 'listVersionID') });
}

function itemAttribute(p: XNode): Item['attributes'][number] {
  return { name: txt(p, 'Name') ?? '', value: txt(p, 'Value') ?? '' };
}
