import type { Contact, DocumentAllowanceCharge, Identifier, Invoice, InvoiceLine, LineAllowanceCharge, Period, PostalAddress } from '../model.ts';
import { Decimal } from 'decimal.js';
import { NS } from '../detect.ts';
import { binary } from '../ubl/write.ts';
import { el, leaf, serialize, type XEl } from '../xml/write.ts';

/** Model → CII D16B CrossIndustryInvoice, elements in XSD order (EN 16931-3-3 binding, Factur-X profiles). */
export function writeCii(inv: Invoice): string {
  const cur = { currencyID: inv.currency };
  const t = inv.totals;
  const p = inv.payment;
  const lines = inv.lines.map((l) => line(l));

  const context = el(
    'rsm:ExchangedDocumentContext',
    null,
    inv.businessProcessType && el('ram:BusinessProcessSpecifiedDocumentContextParameter', null, leaf('ram:ID', inv.businessProcessType)),
    el('ram:GuidelineSpecifiedDocumentContextParameter', null, leaf('ram:ID', inv.specificationIdentifier)),
  );
  const document = el(
    'rsm:ExchangedDocument',
    null,
    leaf('ram:ID', inv.number),
    leaf('ram:TypeCode', inv.typeCode),
    dateTime('ram:IssueDateTime', inv.issueDate),
    inv.notes.map((n) => el('ram:IncludedNote', null, leaf('ram:Content', n.text), leaf('ram:SubjectCode', n.subjectCode))),
  );
  const referenced = (name: string, id: string | undefined) => (id ? el(name, null, leaf('ram:IssuerAssignedID', id)) : undefined);
  const agreement = el(
    'ram:ApplicableHeaderTradeAgreement',
    null,
    leaf('ram:BuyerReference', inv.buyerReference),
    el(
      'ram:SellerTradeParty',
      null,
      partyIds(inv.seller.identifiers),
      leaf('ram:Name', inv.seller.name),
      leaf('ram:Description', inv.seller.legalInformation),
      legalOrganization(inv.seller.legalRegistration, inv.seller.tradingName),
      contact(inv.seller.contact),
      address(inv.seller.address),
      uri(inv.seller.electronicAddress),
      taxRegistration(inv.seller.vatId, 'VA'),
      taxRegistration(inv.seller.taxRegistrationId, 'FC'),
    ),
    el(
      'ram:BuyerTradeParty',
      null,
      partyIds(inv.buyer.identifiers),
      leaf('ram:Name', inv.buyer.name),
      legalOrganization(inv.buyer.legalRegistration, inv.buyer.tradingName),
      contact(inv.buyer.contact),
      address(inv.buyer.address),
      uri(inv.buyer.electronicAddress),
      taxRegistration(inv.buyer.vatId, 'VA'),
    ),
    inv.taxRepresentative &&
      el(
        'ram:SellerTaxRepresentativeTradeParty',
        null,
        leaf('ram:Name', inv.taxRepresentative.name),
        address(inv.taxRepresentative.address),
        taxRegistration(inv.taxRepresentative.vatId, 'VA'),
      ),
    referenced('ram:SellerOrderReferencedDocument', inv.salesOrderReference),
    referenced('ram:BuyerOrderReferencedDocument', inv.purchaseOrderReference),
    referenced('ram:ContractReferencedDocument', inv.contractReference),
    inv.supportingDocuments.map((d) =>
      el(
        'ram:AdditionalReferencedDocument',
        null,
        leaf('ram:IssuerAssignedID', d.reference),
        leaf('ram:URIID', d.externalUri),
        leaf('ram:TypeCode', '916'),
        leaf('ram:Name', d.description),
        d.attachment && binary('ram:AttachmentBinaryObject', d.attachment),
      ),
    ),
    inv.tenderOrLotReference && el('ram:AdditionalReferencedDocument', null, leaf('ram:IssuerAssignedID', inv.tenderOrLotReference), leaf('ram:TypeCode', '50')),
    inv.invoicedObjectIdentifier &&
      el(
        'ram:AdditionalReferencedDocument',
        null,
        leaf('ram:IssuerAssignedID', inv.invoicedObjectIdentifier.id),
        leaf('ram:TypeCode', '130'),
        leaf('ram:ReferenceTypeCode', inv.invoicedObjectIdentifier.schemeId),
      ),
    inv.projectReference && el('ram:SpecifiedProcuringProject', null, leaf('ram:ID', inv.projectReference), leaf('ram:Name', 'Project reference')),
  );
  const d = inv.delivery;
  const delivery: XEl = el(
    'ram:ApplicableHeaderTradeDelivery',
    null,
    d &&
      (d.name || d.locationId || d.address) &&
      el('ram:ShipToTradeParty', null, d.locationId && partyIds([d.locationId]), leaf('ram:Name', d.name), d.address && address(d.address)),
    d?.date && el('ram:ActualDeliverySupplyChainEvent', null, dateTime('ram:OccurrenceDateTime', d.date)),
    referenced('ram:DespatchAdviceReferencedDocument', inv.despatchAdviceReference),
    referenced('ram:ReceivingAdviceReferencedDocument', inv.receivingAdviceReference),
  ) ?? { name: 'ram:ApplicableHeaderTradeDelivery', attrs: {}, children: [] };

  const means = (account: NonNullable<typeof p>['creditTransfers'][number] | undefined, first: boolean) =>
    p &&
    el(
      'ram:SpecifiedTradeSettlementPaymentMeans',
      null,
      leaf('ram:TypeCode', p.meansCode),
      leaf('ram:Information', p.meansText),
      first && p.card && el('ram:ApplicableTradeSettlementFinancialCard', null, leaf('ram:ID', p.card.primaryAccountNumber), leaf('ram:CardholderName', p.card.holderName)),
      first && p.directDebit?.debitedAccount && el('ram:PayerPartyDebtorFinancialAccount', null, leaf('ram:IBANID', p.directDebit.debitedAccount)),
      account &&
        el(
          'ram:PayeePartyCreditorFinancialAccount',
          null,
          isIban(account.accountId) ? leaf('ram:IBANID', account.accountId) : undefined,
          leaf('ram:AccountName', account.accountName),
          isIban(account.accountId) ? undefined : leaf('ram:ProprietaryID', account.accountId),
        ),
      account?.serviceProviderId && el('ram:PayeeSpecifiedCreditorFinancialInstitution', null, leaf('ram:BICID', account.serviceProviderId)),
    );
  const paymentMeans = p ? (p.creditTransfers.length ? p.creditTransfers.map((a, i) => means(a, i === 0)) : [means(undefined, true)]) : [];
  const vatPointCode = inv.vatPointDateCode === undefined ? undefined : (VAT_POINT_TO_CII[inv.vatPointDateCode] ?? inv.vatPointDateCode);
  const taxes = inv.vatBreakdown.map((b) =>
    el(
      'ram:ApplicableTradeTax',
      null,
      leaf('ram:CalculatedAmount', b.taxAmount),
      leaf('ram:TypeCode', 'VAT'),
      leaf('ram:ExemptionReason', b.exemptionReason),
      leaf('ram:BasisAmount', b.taxableAmount),
      leaf('ram:CategoryCode', b.categoryCode),
      leaf('ram:ExemptionReasonCode', b.exemptionReasonCode),
      inv.taxPointDate && el('ram:TaxPointDate', null, leaf('udt:DateString', compactDate(inv.taxPointDate), { format: '102' })),
      leaf('ram:DueDateTypeCode', vatPointCode),
      leaf('ram:RateApplicablePercent', b.rate),
    ),
  );
  const settlement = el(
    'ram:ApplicableHeaderTradeSettlement',
    null,
    leaf('ram:CreditorReferenceID', p?.directDebit?.creditorReference),
    leaf('ram:PaymentReference', p?.remittanceInformation),
    leaf('ram:TaxCurrencyCode', inv.vatAccountingCurrency),
    leaf('ram:InvoiceCurrencyCode', inv.currency),
    inv.payee &&
      el(
        'ram:PayeeTradeParty',
        null,
        partyIds(inv.payee.identifiers),
        leaf('ram:Name', inv.payee.name),
        legalOrganization(inv.payee.legalRegistration, undefined),
      ),
    paymentMeans,
    taxes,
    period('ram:BillingSpecifiedPeriod', inv.invoicingPeriod),
    inv.allowances.map((a) => documentAC(a, false)),
    inv.charges.map((c) => documentAC(c, true)),
    (inv.paymentTerms || inv.dueDate || p?.directDebit?.mandateReference) &&
      el(
        'ram:SpecifiedTradePaymentTerms',
        null,
        leaf('ram:Description', inv.paymentTerms),
        inv.dueDate && dateTime('ram:DueDateDateTime', inv.dueDate),
        leaf('ram:DirectDebitMandateID', p?.directDebit?.mandateReference),
      ),
    el(
      'ram:SpecifiedTradeSettlementHeaderMonetarySummation',
      null,
      leaf('ram:LineTotalAmount', t.lineNetTotal),
      leaf('ram:ChargeTotalAmount', t.chargeTotal),
      leaf('ram:AllowanceTotalAmount', t.allowanceTotal),
      leaf('ram:TaxBasisTotalAmount', t.taxExclusiveAmount),
      leaf('ram:TaxTotalAmount', t.vatTotal, cur),
      leaf('ram:TaxTotalAmount', t.vatTotalInAccountingCurrency, { currencyID: inv.vatAccountingCurrency }),
      leaf('ram:RoundingAmount', t.roundingAmount),
      leaf('ram:GrandTotalAmount', t.taxInclusiveAmount),
      leaf('ram:TotalPrepaidAmount', t.prepaidAmount),
      leaf('ram:DuePayableAmount', t.payableAmount),
    ),
    // CII D16B allows one preceding invoice reference (BG-3 repeats in UBL only): the first is kept.
    inv.precedingInvoices.slice(0, 1).map((r) =>
      el(
        'ram:InvoiceReferencedDocument',
        null,
        leaf('ram:IssuerAssignedID', r.number),
        r.issueDate && el('ram:FormattedIssueDateTime', null, leaf('qdt:DateTimeString', compactDate(r.issueDate), { format: '102' })),
      ),
    ),
    inv.buyerAccountingReference && el('ram:ReceivableSpecifiedTradeAccountingAccount', null, leaf('ram:ID', inv.buyerAccountingReference)),
  );
  const root = el(
    'rsm:CrossIndustryInvoice',
    null,
    context,
    document,
    el('rsm:SupplyChainTradeTransaction', null, lines, agreement, delivery, settlement),
  );
  return serialize(root as XEl, { rsm: NS.rsm, ram: NS.ram, udt: NS.udt, qdt: NS.qdt });
}

/** BT-8: the model keeps UNTDID 2005 (UBL: 3, 35, 432); CII wants UNTDID 2475 (5, 29, 72). */
const VAT_POINT_TO_CII: Record<string, string> = { '3': '5', '35': '29', '432': '72' };

const isIban = (s: string) => /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(s.replace(/\s+/g, ''));
const compactDate = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.replace(/-/g, '') : iso);

function dateTime(name: string, iso: string | undefined) {
  return iso ? el(name, null, leaf('udt:DateTimeString', compactDate(iso), { format: '102' })) : undefined;
}

/** Identifiers without a scheme are ram:ID, with a scheme ram:GlobalID (XSD: every ID before every GlobalID). */
function partyIds(ids: Identifier[]) {
  return [
    ...ids.filter((i) => !i.schemeId).map((i) => leaf('ram:ID', i.id)),
    ...ids.filter((i) => i.schemeId).map((i) => leaf('ram:GlobalID', i.id, { schemeID: i.schemeId })),
  ];
}

function legalOrganization(id: Identifier | undefined, tradingName: string | undefined) {
  return el('ram:SpecifiedLegalOrganization', null, id && leaf('ram:ID', id.id, { schemeID: id.schemeId }), leaf('ram:TradingBusinessName', tradingName));
}

function contact(c: Contact | undefined) {
  return (
    c &&
    el(
      'ram:DefinedTradeContact',
      null,
      leaf('ram:PersonName', c.name),
      c.phone && el('ram:TelephoneUniversalCommunication', null, leaf('ram:CompleteNumber', c.phone)),
      c.email && el('ram:EmailURIUniversalCommunication', null, leaf('ram:URIID', c.email)),
    )
  );
}

function address(a: PostalAddress) {
  return el(
    'ram:PostalTradeAddress',
    null,
    leaf('ram:PostcodeCode', a.postCode),
    leaf('ram:LineOne', a.line1),
    leaf('ram:LineTwo', a.line2),
    leaf('ram:LineThree', a.line3),
    leaf('ram:CityName', a.city),
    leaf('ram:CountryID', a.countryCode),
    leaf('ram:CountrySubDivisionName', a.countrySubdivision),
  );
}

function uri(id: Identifier | undefined) {
  return id && el('ram:URIUniversalCommunication', null, leaf('ram:URIID', id.id, { schemeID: id.schemeId }));
}

function taxRegistration(id: string | undefined, scheme: 'VA' | 'FC') {
  return id && el('ram:SpecifiedTaxRegistration', null, leaf('ram:ID', id, { schemeID: scheme }));
}

function period(name: string, p: Period | undefined) {
  return (
    p &&
    el(
      name,
      null,
      p.startDate && dateTime('ram:StartDateTime', p.startDate),
      p.endDate && dateTime('ram:EndDateTime', p.endDate),
    )
  );
}

const indicator = (charge: boolean) => el('ram:ChargeIndicator', null, leaf('udt:Indicator', String(charge)));

function documentAC(a: DocumentAllowanceCharge, charge: boolean) {
  return el(
    'ram:SpecifiedTradeAllowanceCharge',
    null,
    indicator(charge),
    leaf('ram:CalculationPercent', a.percentage),
    leaf('ram:BasisAmount', a.baseAmount),
    leaf('ram:ActualAmount', a.amount),
    leaf('ram:ReasonCode', a.reasonCode),
    leaf('ram:Reason', a.reason),
    el('ram:CategoryTradeTax', null, leaf('ram:TypeCode', 'VAT'), leaf('ram:CategoryCode', a.vatCategoryCode), leaf('ram:RateApplicablePercent', a.vatRate)),
  );
}

function lineAC(a: LineAllowanceCharge, charge: boolean) {
  return el(
    'ram:SpecifiedTradeAllowanceCharge',
    null,
    indicator(charge),
    leaf('ram:CalculationPercent', a.percentage),
    leaf('ram:BasisAmount', a.baseAmount),
    leaf('ram:ActualAmount', a.amount),
    leaf('ram:ReasonCode', a.reasonCode),
    leaf('ram:Reason', a.reason),
  );
}

function line(l: InvoiceLine) {
  const item = l.item;
  const basis = leaf('ram:BasisQuantity', l.price.baseQuantity, { unitCode: l.price.baseQuantityUnitCode });
  return el(
    'ram:IncludedSupplyChainTradeLineItem',
    null,
    el('ram:AssociatedDocumentLineDocument', null, leaf('ram:LineID', l.id), l.note && el('ram:IncludedNote', null, leaf('ram:Content', l.note))),
    el(
      'ram:SpecifiedTradeProduct',
      null,
      item.standardId && leaf('ram:GlobalID', item.standardId.id, { schemeID: item.standardId.schemeId }),
      leaf('ram:SellerAssignedID', item.sellerId),
      leaf('ram:BuyerAssignedID', item.buyerId),
      leaf('ram:Name', item.name),
      leaf('ram:Description', item.description),
      item.attributes.map((a) => el('ram:ApplicableProductCharacteristic', null, leaf('ram:Description', a.name), leaf('ram:Value', a.value))),
      item.classifications.map((c) =>
        el('ram:DesignatedProductClassification', null, leaf('ram:ClassCode', c.code, { listID: c.listId, listVersionID: c.listVersionId })),
      ),
      item.originCountryCode && el('ram:OriginTradeCountry', null, leaf('ram:ID', item.originCountryCode)),
    ),
    el(
      'ram:SpecifiedLineTradeAgreement',
      null,
      l.orderLineReference && el('ram:BuyerOrderReferencedDocument', null, leaf('ram:LineID', l.orderLineReference)),
      (l.price.grossPrice !== undefined || l.price.discount !== undefined) &&
        el(
          'ram:GrossPriceProductTradePrice',
          null,
          // CII carries the discount BT-147 only inside the gross price BT-148: derive it when UBL gave none.
          leaf('ram:ChargeAmount', l.price.grossPrice ?? new Decimal(l.price.netPrice || '0').plus(l.price.discount ?? '0').toFixed()),
          basis,
          l.price.discount !== undefined && el('ram:AppliedTradeAllowanceCharge', null, indicator(false), leaf('ram:ActualAmount', l.price.discount)),
        ),
      el('ram:NetPriceProductTradePrice', null, leaf('ram:ChargeAmount', l.price.netPrice), basis),
    ),
    el('ram:SpecifiedLineTradeDelivery', null, leaf('ram:BilledQuantity', l.quantity, { unitCode: l.unitCode })),
    el(
      'ram:SpecifiedLineTradeSettlement',
      null,
      el('ram:ApplicableTradeTax', null, leaf('ram:TypeCode', 'VAT'), leaf('ram:CategoryCode', l.vat.categoryCode), leaf('ram:RateApplicablePercent', l.vat.rate)),
      period('ram:BillingSpecifiedPeriod', l.period),
      l.allowances.map((a) => lineAC(a, false)),
      l.charges.map((c) => lineAC(c, true)),
      el('ram:SpecifiedTradeSettlementLineMonetarySummation', null, leaf('ram:LineTotalAmount', l.netAmount)),
      l.objectIdentifier &&
        el(
          'ram:AdditionalReferencedDocument',
          null,
          leaf('ram:IssuerAssignedID', l.objectIdentifier.id),
          leaf('ram:TypeCode', '130'),
          leaf('ram:ReferenceTypeCode', l.objectIdentifier.schemeId),
        ),
      l.accountingReference && el('ram:ReceivableSpecifiedTradeAccountingAccount', null, leaf('ram:ID', l.accountingReference)),
    ),
  );
}
