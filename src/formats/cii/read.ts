import type {
  Contact,
  DocumentAllowanceCharge,
  Identifier,
  Invoice,
  InvoiceLine,
  LineAllowanceCharge,
  PaymentInstructions,
  Period,
  PostalAddress,
  SupportingDocument,
} from '../model.ts';
import type { XNode } from '../xml/safe-parse.ts';
import { all, at, attr, compact, strip, textOf, txt } from '../xml/tree.ts';

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
  const sums = at(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  const currency = txt(settlement, 'InvoiceCurrencyCode') ?? '';
  const vatAccountingCurrency = txt(settlement, 'TaxCurrencyCode');
  const taxTotals = all(sums, 'TaxTotalAmount');
  const accountingTotal =
    vatAccountingCurrency && vatAccountingCurrency !== currency ? taxTotals.find((t) => attr(t, 'currencyID') === vatAccountingCurrency) : undefined;
  const mainTotal = taxTotals.find((t) => t !== accountingTotal);
  const docRefs = all(agreement, 'AdditionalReferencedDocument');
  const typed = (code: string) => docRefs.find((d) => txt(d, 'TypeCode') === code);
  const invoicedObject = typed('130');
  const taxes = all(settlement, 'ApplicableTradeTax');
  const terms = all(settlement, 'SpecifiedTradePaymentTerms');
  const shipTo = at(deliveryNode, 'ShipToTradeParty');
  const payee = at(settlement, 'PayeeTradeParty');
  const taxRep = at(agreement, 'SellerTaxRepresentativeTradeParty');
  const seller = at(agreement, 'SellerTradeParty');
  const buyer = at(agreement, 'BuyerTradeParty');
  const allowanceCharges = all(settlement, 'SpecifiedTradeAllowanceCharge');

  const invoice: Invoice = {
    number: txt(doc, 'ID') ?? '',
    issueDate: date(at(doc, 'IssueDateTime')) ?? '',
    typeCode: txt(doc, 'TypeCode') ?? '',
    currency,
    vatAccountingCurrency,
    taxPointDate: taxes.map((t) => date(at(t, 'TaxPointDate'))).find(Boolean),
    vatPointDateCode: vatPointFromCii(taxes.map((t) => txt(t, 'DueDateTypeCode')).find(Boolean)),
    dueDate: terms.map((t) => date(at(t, 'DueDateDateTime'))).find(Boolean),
    buyerReference: txt(agreement, 'BuyerReference'),
    projectReference: txt(agreement, 'SpecifiedProcuringProject', 'ID'),
    contractReference: txt(agreement, 'ContractReferencedDocument', 'IssuerAssignedID'),
    purchaseOrderReference: txt(agreement, 'BuyerOrderReferencedDocument', 'IssuerAssignedID'),
    salesOrderReference: txt(agreement, 'SellerOrderReferencedDocument', 'IssuerAssignedID'),
    receivingAdviceReference: txt(deliveryNode, 'ReceivingAdviceReferencedDocument', 'IssuerAssignedID'),
    despatchAdviceReference: txt(deliveryNode, 'DespatchAdviceReferencedDocument', 'IssuerAssignedID'),
    tenderOrLotReference: txt(typed('50'), 'IssuerAssignedID'),
    invoicedObjectIdentifier: invoicedObject
      ? strip({ id: txt(invoicedObject, 'IssuerAssignedID') ?? '', schemeId: txt(invoicedObject, 'ReferenceTypeCode') })
      : undefined,
    buyerAccountingReference: txt(settlement, 'ReceivableSpecifiedTradeAccountingAccount', 'ID'),
    paymentTerms: terms.map((t) => txt(t, 'Description')).filter(Boolean).join('\n') || undefined,
    notes: all(doc, 'IncludedNote').map((n) => strip({ subjectCode: txt(n, 'SubjectCode'), text: all(n, 'Content').map(textOf).join('\n') })),
    businessProcessType: txt(root, 'ExchangedDocumentContext', 'BusinessProcessSpecifiedDocumentContextParameter', 'ID'),
    specificationIdentifier: txt(root, 'ExchangedDocumentContext', 'GuidelineSpecifiedDocumentContextParameter', 'ID') ?? '',
    precedingInvoices: all(settlement, 'InvoiceReferencedDocument').map((r) =>
      strip({ number: txt(r, 'IssuerAssignedID') ?? '', issueDate: date(at(r, 'FormattedIssueDateTime')) }),
    ),
    seller: strip({
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
    }),
    buyer: strip({
      name: txt(buyer, 'Name') ?? '',
      tradingName: txt(buyer, 'SpecifiedLegalOrganization', 'TradingBusinessName'),
      identifiers: partyIdentifiers(buyer),
      legalRegistration: identifier(at(buyer, 'SpecifiedLegalOrganization', 'ID')),
      vatId: taxRegistration(buyer, 'VA'),
      electronicAddress: identifier(at(buyer, 'URIUniversalCommunication', 'URIID')),
      address: address(at(buyer, 'PostalTradeAddress')),
      contact: contact(at(buyer, 'DefinedTradeContact')),
    }),
    payee: payee
      ? strip({ name: txt(payee, 'Name') ?? '', identifiers: partyIdentifiers(payee), legalRegistration: identifier(at(payee, 'SpecifiedLegalOrganization', 'ID')) })
      : undefined,
    taxRepresentative: taxRep
      ? { name: txt(taxRep, 'Name') ?? '', vatId: taxRegistration(taxRep, 'VA') ?? '', address: address(at(taxRep, 'PostalTradeAddress')) }
      : undefined,
    delivery: compact({
      name: txt(shipTo, 'Name'),
      locationId: partyIdentifiers(shipTo)[0],
      date: date(at(deliveryNode, 'ActualDeliverySupplyChainEvent', 'OccurrenceDateTime')),
      address: at(shipTo, 'PostalTradeAddress') ? address(at(shipTo, 'PostalTradeAddress')) : undefined,
    }),
    invoicingPeriod: period(at(settlement, 'BillingSpecifiedPeriod')),
    payment: readPayment(settlement),
    allowances: allowanceCharges.filter((a) => !isCharge(a)).map(documentAllowanceCharge),
    charges: allowanceCharges.filter(isCharge).map(documentAllowanceCharge),
    totals: strip({
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
    }),
    vatBreakdown: taxes.map((t) =>
      strip({
        taxableAmount: txt(t, 'BasisAmount') ?? '',
        taxAmount: txt(t, 'CalculatedAmount') ?? '',
        categoryCode: txt(t, 'CategoryCode') ?? '',
        rate: txt(t, 'RateApplicablePercent'),
        exemptionReason: txt(t, 'ExemptionReason'),
        exemptionReasonCode: txt(t, 'ExemptionReasonCode'),
      }),
    ),
    supportingDocuments: docRefs.filter((d) => txt(d, 'TypeCode') === '916').map(supportingDocument),
    lines: all(tx, 'IncludedSupplyChainTradeLineItem').map(readLine),
  };
  return strip(invoice);
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

function identifier(n: XNode | undefined): Identifier | undefined {
  const id = n && textOf(n);
  if (!id) return undefined;
  return strip({ id, schemeId: attr(n, 'schemeID') });
}

/** ram:ID (no scheme) then ram:GlobalID (with scheme), in document order. */
function partyIdentifiers(p: XNode | undefined): Identifier[] {
  if (!p) return [];
  return p.children
    .filter((c) => c.local === 'ID' || c.local === 'GlobalID')
    .map(identifier)
    .filter((i): i is Identifier => i !== undefined);
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

function readPayment(settlement: XNode | undefined): PaymentInstructions | undefined {
  const means = all(settlement, 'SpecifiedTradeSettlementPaymentMeans');
  const mandate = all(settlement, 'SpecifiedTradePaymentTerms').map((t) => txt(t, 'DirectDebitMandateID')).find(Boolean);
  const creditor = txt(settlement, 'CreditorReferenceID');
  const remittance = txt(settlement, 'PaymentReference');
  if (means.length === 0) return undefined;
  const first = means[0];
  const card = means.map((m) => at(m, 'ApplicableTradeSettlementFinancialCard')).find(Boolean);
  return strip({
    meansCode: txt(first, 'TypeCode') ?? '',
    meansText: txt(first, 'Information'),
    remittanceInformation: remittance,
    creditTransfers: means.flatMap((m) => {
      const acc = at(m, 'PayeePartyCreditorFinancialAccount');
      if (!acc) return [];
      return [
        strip({
          accountId: txt(acc, 'IBANID') ?? txt(acc, 'ProprietaryID') ?? '',
          accountName: txt(acc, 'AccountName'),
          serviceProviderId: txt(m, 'PayeeSpecifiedCreditorFinancialInstitution', 'BICID'),
        }),
      ];
    }),
    card: card ? strip({ primaryAccountNumber: txt(card, 'ID') ?? '', holderName: txt(card, 'CardholderName') }) : undefined,
    directDebit: compact({
      mandateReference: mandate,
      creditorReference: creditor,
      debitedAccount: means.map((m) => txt(m, 'PayerPartyDebtorFinancialAccount', 'IBANID')).find(Boolean),
    }),
  });
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
  const product = at(l, 'SpecifiedTradeProduct');
  const agreement = at(l, 'SpecifiedLineTradeAgreement');
  const gross = at(agreement, 'GrossPriceProductTradePrice');
  const net = at(agreement, 'NetPriceProductTradePrice');
  const qty = at(l, 'SpecifiedLineTradeDelivery', 'BilledQuantity');
  const settlement = at(l, 'SpecifiedLineTradeSettlement');
  const tax = at(settlement, 'ApplicableTradeTax');
  const basis = at(net, 'BasisQuantity') ?? at(gross, 'BasisQuantity');
  const objectRef = all(settlement, 'AdditionalReferencedDocument').find((d) => txt(d, 'TypeCode') === '130');
  const acs = all(settlement, 'SpecifiedTradeAllowanceCharge');
  const grossDiscount = all(gross, 'AppliedTradeAllowanceCharge').find((a) => !isCharge(a));
  return strip({
    id: txt(lineDoc, 'LineID') ?? '',
    note: all(lineDoc, 'IncludedNote', 'Content').map(textOf).filter(Boolean).join('\n') || undefined,
    objectIdentifier: objectRef ? strip({ id: txt(objectRef, 'IssuerAssignedID') ?? '', schemeId: txt(objectRef, 'ReferenceTypeCode') }) : undefined,
    quantity: qty ? textOf(qty) : '',
    unitCode: attr(qty, 'unitCode') ?? '',
    netAmount: txt(settlement, 'SpecifiedTradeSettlementLineMonetarySummation', 'LineTotalAmount') ?? '',
    orderLineReference: txt(agreement, 'BuyerOrderReferencedDocument', 'LineID'),
    accountingReference: txt(settlement, 'ReceivableSpecifiedTradeAccountingAccount', 'ID'),
    period: period(at(settlement, 'BillingSpecifiedPeriod')),
    allowances: acs.filter((a) => !isCharge(a)).map(lineAllowanceCharge),
    charges: acs.filter(isCharge).map(lineAllowanceCharge),
    price: strip({
      netPrice: txt(net, 'ChargeAmount') ?? '',
      discount: txt(grossDiscount, 'ActualAmount'),
      grossPrice: txt(gross, 'ChargeAmount'),
      baseQuantity: (basis && textOf(basis)) || undefined,
      baseQuantityUnitCode: attr(basis, 'unitCode'),
    }),
    vat: strip({ categoryCode: txt(tax, 'CategoryCode') ?? '', rate: txt(tax, 'RateApplicablePercent') }),
    item: strip({
      name: txt(product, 'Name') ?? '',
      description: txt(product, 'Description'),
      sellerId: txt(product, 'SellerAssignedID'),
      buyerId: txt(product, 'BuyerAssignedID'),
      standardId: identifier(at(product, 'GlobalID')),
      classifications: all(product, 'DesignatedProductClassification', 'ClassCode').map((c) =>
        strip({ code: textOf(c), listId: attr(c, 'listID'), listVersionId: attr(c, 'listVersionID') }),
      ),
      originCountryCode: txt(product, 'OriginTradeCountry', 'ID'),
      attributes: all(product, 'ApplicableProductCharacteristic').map((p) => ({ name: txt(p, 'Description') ?? '', value: txt(p, 'Value') ?? '' })),
    }),
  });
}
