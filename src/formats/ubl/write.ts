import type { DocumentAllowanceCharge, Identifier, Invoice, InvoiceLine, LineAllowanceCharge, Period, PostalAddress } from '../model.ts';
import { Decimal } from 'decimal.js';
import { NS } from '../detect.ts';
import { FormatError } from '../errors.ts';
import { el, leaf, serialize, type XEl } from '../xml/write.ts';

/** UNTDID 1001 codes that are credit notes (written as a UBL CreditNote by default). */
export const CREDIT_NOTE_TYPE_CODES = new Set(['81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '532']);

export interface UblWriteOptions {
  /** Root element; by default CreditNote for credit-note type codes (BT-3), Invoice otherwise. */
  document?: 'Invoice' | 'CreditNote';
}

/** Model → UBL 2.1, elements in XSD order, following the CEN syntax binding. */
export function writeUbl(inv: Invoice, options: UblWriteOptions = {}): string {
  if (inv.lines.length === 0) {
    throw new FormatError(
      'UNSUPPORTED_TARGET',
      "Conversion en UBL impossible : UBL exige au moins une ligne de facture, et ce document n'en a pas (profil Factur-X MINIMUM ou BASIC WL).",
    );
  }
  const creditNote = (options.document ?? (CREDIT_NOTE_TYPE_CODES.has(inv.typeCode) ? 'CreditNote' : 'Invoice')) === 'CreditNote';
  const cur = { currencyID: inv.currency };
  const amount = (name: string, v: string | undefined) => leaf(`cbc:${name}`, v, cur);
  const notes = inv.notes.map((n) => leaf('cbc:Note', n.subjectCode ? `#${n.subjectCode}#${n.text}` : n.text));
  const periodEl = invoicePeriod(inv.invoicingPeriod, inv.vatPointDateCode);
  const docRef = (name: string, id: string | undefined) => (id ? el(`cac:${name}`, null, leaf('cbc:ID', id)) : undefined);
  const additionalRefs = [
    inv.invoicedObjectIdentifier &&
      el('cac:AdditionalDocumentReference', null, idLeaf('cbc:ID', inv.invoicedObjectIdentifier), leaf('cbc:DocumentTypeCode', '130')),
    // UBL 2.1 CreditNote has no ProjectReference: the binding carries BT-11 as a document reference of type 50.
    creditNote && inv.projectReference && el('cac:AdditionalDocumentReference', null, leaf('cbc:ID', inv.projectReference), leaf('cbc:DocumentTypeCode', '50')),
    ...inv.supportingDocuments.map((d) =>
      el(
        'cac:AdditionalDocumentReference',
        null,
        leaf('cbc:ID', d.reference),
        leaf('cbc:DocumentDescription', d.description),
        el(
          'cac:Attachment',
          null,
          d.attachment && binary('cbc:EmbeddedDocumentBinaryObject', d.attachment),
          d.externalUri && el('cac:ExternalReference', null, leaf('cbc:URI', d.externalUri)),
        ),
      ),
    ),
  ];
  const orderRef =
    (inv.purchaseOrderReference || inv.salesOrderReference) &&
    el('cac:OrderReference', null, leaf('cbc:ID', inv.purchaseOrderReference ?? 'NA'), leaf('cbc:SalesOrderID', inv.salesOrderReference));
  const billingRefs = inv.precedingInvoices.map((p) =>
    el('cac:BillingReference', null, el('cac:InvoiceDocumentReference', null, leaf('cbc:ID', p.number), leaf('cbc:IssueDate', p.issueDate))),
  );
  const sepa = inv.payment?.directDebit?.creditorReference;
  const seller = inv.seller;
  const supplierParty = el(
    'cac:AccountingSupplierParty',
    null,
    el(
      'cac:Party',
      null,
      idLeaf('cbc:EndpointID', seller.electronicAddress),
      seller.identifiers.map((i) => el('cac:PartyIdentification', null, idLeaf('cbc:ID', i))),
      // BT-90 sits with the seller unless there is a payee (then with the payee).
      sepa && !inv.payee && el('cac:PartyIdentification', null, leaf('cbc:ID', sepa, { schemeID: 'SEPA' })),
      seller.tradingName && el('cac:PartyName', null, leaf('cbc:Name', seller.tradingName)),
      postalAddress('cac:PostalAddress', seller.address),
      seller.vatId && el('cac:PartyTaxScheme', null, leaf('cbc:CompanyID', seller.vatId), taxScheme('VAT')),
      seller.taxRegistrationId && el('cac:PartyTaxScheme', null, leaf('cbc:CompanyID', seller.taxRegistrationId), taxScheme('TAX')),
      el(
        'cac:PartyLegalEntity',
        null,
        leaf('cbc:RegistrationName', seller.name),
        idLeaf('cbc:CompanyID', seller.legalRegistration),
        leaf('cbc:CompanyLegalForm', seller.legalInformation),
      ),
      contactEl(seller.contact),
    ),
  );
  const buyer = inv.buyer;
  const customerParty = el(
    'cac:AccountingCustomerParty',
    null,
    el(
      'cac:Party',
      null,
      idLeaf('cbc:EndpointID', buyer.electronicAddress),
      buyer.identifiers.map((i) => el('cac:PartyIdentification', null, idLeaf('cbc:ID', i))),
      buyer.tradingName && el('cac:PartyName', null, leaf('cbc:Name', buyer.tradingName)),
      postalAddress('cac:PostalAddress', buyer.address),
      buyer.vatId && el('cac:PartyTaxScheme', null, leaf('cbc:CompanyID', buyer.vatId), taxScheme('VAT')),
      el('cac:PartyLegalEntity', null, leaf('cbc:RegistrationName', buyer.name), idLeaf('cbc:CompanyID', buyer.legalRegistration)),
      contactEl(buyer.contact),
    ),
  );
  const payee =
    inv.payee &&
    el(
      'cac:PayeeParty',
      null,
      inv.payee.identifiers.map((i) => el('cac:PartyIdentification', null, idLeaf('cbc:ID', i))),
      sepa && el('cac:PartyIdentification', null, leaf('cbc:ID', sepa, { schemeID: 'SEPA' })),
      el('cac:PartyName', null, leaf('cbc:Name', inv.payee.name)),
      inv.payee.legalRegistration && el('cac:PartyLegalEntity', null, idLeaf('cbc:CompanyID', inv.payee.legalRegistration)),
    );
  const taxRep =
    inv.taxRepresentative &&
    el(
      'cac:TaxRepresentativeParty',
      null,
      el('cac:PartyName', null, leaf('cbc:Name', inv.taxRepresentative.name)),
      postalAddress('cac:PostalAddress', inv.taxRepresentative.address),
      el('cac:PartyTaxScheme', null, leaf('cbc:CompanyID', inv.taxRepresentative.vatId), taxScheme('VAT')),
    );
  const d = inv.delivery;
  const delivery =
    d &&
    el(
      'cac:Delivery',
      null,
      leaf('cbc:ActualDeliveryDate', d.date),
      (d.locationId || d.address) && el('cac:DeliveryLocation', null, idLeaf('cbc:ID', d.locationId), d.address && postalAddress('cac:Address', d.address)),
      d.name && el('cac:DeliveryParty', null, el('cac:PartyName', null, leaf('cbc:Name', d.name))),
    );
  const p = inv.payment;
  const meansEl = (account?: (typeof p & {})['creditTransfers'][number], withRest = true) =>
    p &&
    el(
      'cac:PaymentMeans',
      null,
      leaf('cbc:PaymentMeansCode', p.meansCode, { name: p.meansText }),
      creditNote && withRest ? leaf('cbc:PaymentDueDate', inv.dueDate) : undefined,
      leaf('cbc:PaymentID', p.remittanceInformation),
      withRest &&
        p.card &&
        el('cac:CardAccount', null, leaf('cbc:PrimaryAccountNumberID', p.card.primaryAccountNumber), leaf('cbc:NetworkID', 'NA'), leaf('cbc:HolderName', p.card.holderName)),
      account &&
        el(
          'cac:PayeeFinancialAccount',
          null,
          leaf('cbc:ID', account.accountId),
          leaf('cbc:Name', account.accountName),
          account.serviceProviderId && el('cac:FinancialInstitutionBranch', null, leaf('cbc:ID', account.serviceProviderId)),
        ),
      withRest &&
        p.directDebit &&
        (p.directDebit.mandateReference || p.directDebit.debitedAccount) &&
        el(
          'cac:PaymentMandate',
          null,
          leaf('cbc:ID', p.directDebit.mandateReference),
          p.directDebit.debitedAccount && el('cac:PayerFinancialAccount', null, leaf('cbc:ID', p.directDebit.debitedAccount)),
        ),
    );
  // One PaymentMeans per credit-transfer account (BG-17 repeats, BG-16 does not in UBL).
  const paymentMeans = p ? (p.creditTransfers.length ? p.creditTransfers.map((a, i) => meansEl(a, i === 0)) : [meansEl(undefined)]) : [];
  const allowanceCharges = [...inv.allowances.map((a) => documentAC(a, false, cur)), ...inv.charges.map((c) => documentAC(c, true, cur))];
  const t = inv.totals;
  const taxTotals = [
    el(
      'cac:TaxTotal',
      null,
      // TaxTotal/TaxAmount is mandatory in UBL; CII may omit BT-110 (then it is the sum of the breakdown).
      leaf('cbc:TaxAmount', t.vatTotal ?? sum(inv.vatBreakdown.map((b) => b.taxAmount)), cur),
      inv.vatBreakdown.map((b) =>
        el(
          'cac:TaxSubtotal',
          null,
          amount('TaxableAmount', b.taxableAmount),
          amount('TaxAmount', b.taxAmount),
          el(
            'cac:TaxCategory',
            null,
            leaf('cbc:ID', b.categoryCode),
            leaf('cbc:Percent', b.rate),
            leaf('cbc:TaxExemptionReasonCode', b.exemptionReasonCode),
            leaf('cbc:TaxExemptionReason', b.exemptionReason),
            taxScheme('VAT'),
          ),
        ),
      ),
    ),
    t.vatTotalInAccountingCurrency !== undefined &&
      el('cac:TaxTotal', null, leaf('cbc:TaxAmount', t.vatTotalInAccountingCurrency, { currencyID: inv.vatAccountingCurrency })),
  ];
  const monetaryTotal = el(
    'cac:LegalMonetaryTotal',
    null,
    amount('LineExtensionAmount', t.lineNetTotal),
    amount('TaxExclusiveAmount', t.taxExclusiveAmount),
    amount('TaxInclusiveAmount', t.taxInclusiveAmount),
    amount('AllowanceTotalAmount', t.allowanceTotal),
    amount('ChargeTotalAmount', t.chargeTotal),
    amount('PrepaidAmount', t.prepaidAmount),
    amount('PayableRoundingAmount', t.roundingAmount),
    amount('PayableAmount', t.payableAmount),
  );
  const paymentTerms = inv.paymentTerms && el('cac:PaymentTerms', null, leaf('cbc:Note', inv.paymentTerms));
  const lines = inv.lines.map((l) => line(l, creditNote, cur));

  const head = [
    leaf('cbc:CustomizationID', inv.specificationIdentifier),
    leaf('cbc:ProfileID', inv.businessProcessType),
    leaf('cbc:ID', inv.number),
    leaf('cbc:IssueDate', inv.issueDate),
  ];
  const currencies = [leaf('cbc:DocumentCurrencyCode', inv.currency), leaf('cbc:TaxCurrencyCode', inv.vatAccountingCurrency)];
  const afterCurrencies = [leaf('cbc:AccountingCost', inv.buyerAccountingReference), leaf('cbc:BuyerReference', inv.buyerReference), periodEl];
  const parties = [supplierParty, customerParty, payee, taxRep, delivery, paymentMeans, paymentTerms];

  const root = creditNote
    ? el(
        'CreditNote',
        null,
        head,
        leaf('cbc:TaxPointDate', inv.taxPointDate),
        leaf('cbc:CreditNoteTypeCode', inv.typeCode),
        notes,
        currencies,
        afterCurrencies,
        orderRef,
        billingRefs,
        docRef('DespatchDocumentReference', inv.despatchAdviceReference),
        docRef('ReceiptDocumentReference', inv.receivingAdviceReference),
        docRef('ContractDocumentReference', inv.contractReference),
        additionalRefs,
        docRef('OriginatorDocumentReference', inv.tenderOrLotReference),
        parties,
        allowanceCharges,
        taxTotals,
        monetaryTotal,
        lines,
      )
    : el(
        'Invoice',
        null,
        head,
        leaf('cbc:DueDate', inv.dueDate),
        leaf('cbc:InvoiceTypeCode', inv.typeCode),
        notes,
        leaf('cbc:TaxPointDate', inv.taxPointDate),
        currencies,
        afterCurrencies,
        orderRef,
        billingRefs,
        docRef('DespatchDocumentReference', inv.despatchAdviceReference),
        docRef('ReceiptDocumentReference', inv.receivingAdviceReference),
        docRef('OriginatorDocumentReference', inv.tenderOrLotReference),
        docRef('ContractDocumentReference', inv.contractReference),
        additionalRefs,
        docRef('ProjectReference', inv.projectReference),
        parties,
        allowanceCharges,
        taxTotals,
        monetaryTotal,
        lines,
      );
  return serialize(root as XEl, { '': creditNote ? NS.ublCreditNote : NS.ublInvoice, cac: NS.cac, cbc: NS.cbc });
}

const sum = (amounts: string[]) => amounts.reduce((acc, a) => acc.plus(a || '0'), new Decimal(0)).toFixed(2);

/** A binary object, written even when its content is empty (the file name and type are still terms). */
export function binary(name: string, a: { content: string; mimeCode: string; filename: string }): XEl {
  return { name, attrs: { mimeCode: a.mimeCode, filename: a.filename }, children: a.content ? [a.content] : [] };
}

function idLeaf(name: string, id: Identifier | undefined): XEl | undefined {
  return id ? leaf(name, id.id, { schemeID: id.schemeId }) : undefined;
}

const taxScheme = (id: string) => el('cac:TaxScheme', null, leaf('cbc:ID', id));

function postalAddress(name: string, a: PostalAddress): XEl | undefined {
  return el(
    name,
    null,
    leaf('cbc:StreetName', a.line1),
    leaf('cbc:AdditionalStreetName', a.line2),
    leaf('cbc:CityName', a.city),
    leaf('cbc:PostalZone', a.postCode),
    leaf('cbc:CountrySubentity', a.countrySubdivision),
    a.line3 && el('cac:AddressLine', null, leaf('cbc:Line', a.line3)),
    a.countryCode && el('cac:Country', null, leaf('cbc:IdentificationCode', a.countryCode)),
  );
}

function contactEl(c: { name?: string; phone?: string; email?: string } | undefined) {
  return c && el('cac:Contact', null, leaf('cbc:Name', c.name), leaf('cbc:Telephone', c.phone), leaf('cbc:ElectronicMail', c.email));
}

function invoicePeriod(p: Period | undefined, descriptionCode?: string) {
  return el('cac:InvoicePeriod', null, leaf('cbc:StartDate', p?.startDate), leaf('cbc:EndDate', p?.endDate), leaf('cbc:DescriptionCode', descriptionCode));
}

function documentAC(a: DocumentAllowanceCharge, charge: boolean, cur: { currencyID: string }) {
  return el(
    'cac:AllowanceCharge',
    null,
    leaf('cbc:ChargeIndicator', String(charge)),
    leaf('cbc:AllowanceChargeReasonCode', a.reasonCode),
    leaf('cbc:AllowanceChargeReason', a.reason),
    leaf('cbc:MultiplierFactorNumeric', a.percentage),
    leaf('cbc:Amount', a.amount, cur),
    leaf('cbc:BaseAmount', a.baseAmount, cur),
    el('cac:TaxCategory', null, leaf('cbc:ID', a.vatCategoryCode), leaf('cbc:Percent', a.vatRate), taxScheme('VAT')),
  );
}

function lineAC(a: LineAllowanceCharge, charge: boolean, cur: { currencyID: string }) {
  return el(
    'cac:AllowanceCharge',
    null,
    leaf('cbc:ChargeIndicator', String(charge)),
    leaf('cbc:AllowanceChargeReasonCode', a.reasonCode),
    leaf('cbc:AllowanceChargeReason', a.reason),
    leaf('cbc:MultiplierFactorNumeric', a.percentage),
    leaf('cbc:Amount', a.amount, cur),
    leaf('cbc:BaseAmount', a.baseAmount, cur),
  );
}

function line(l: InvoiceLine, creditNote: boolean, cur: { currencyID: string }) {
  const acs = [...l.allowances.map((a) => lineAC(a, false, cur)), ...l.charges.map((c) => lineAC(c, true, cur))];
  const item = l.item;
  const priceDiscount =
    (l.price.discount !== undefined || l.price.grossPrice !== undefined) &&
    el(
      'cac:AllowanceCharge',
      null,
      leaf('cbc:ChargeIndicator', 'false'),
      // UBL needs the discount amount with the gross price; when only CII's gross price is known it is gross − net.
      leaf('cbc:Amount', l.price.discount ?? new Decimal(l.price.grossPrice ?? '0').minus(l.price.netPrice || '0').toFixed(), cur),
      leaf('cbc:BaseAmount', l.price.grossPrice, cur),
    );
  return el(
    creditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine',
    null,
    leaf('cbc:ID', l.id),
    leaf('cbc:Note', l.note),
    leaf(creditNote ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', l.quantity, { unitCode: l.unitCode }),
    leaf('cbc:LineExtensionAmount', l.netAmount, cur),
    leaf('cbc:AccountingCost', l.accountingReference),
    invoicePeriod(l.period),
    l.orderLineReference && el('cac:OrderLineReference', null, leaf('cbc:LineID', l.orderLineReference)),
    l.objectIdentifier && el('cac:DocumentReference', null, idLeaf('cbc:ID', l.objectIdentifier), leaf('cbc:DocumentTypeCode', '130')),
    acs,
    el(
      'cac:Item',
      null,
      leaf('cbc:Description', item.description),
      leaf('cbc:Name', item.name),
      item.buyerId && el('cac:BuyersItemIdentification', null, leaf('cbc:ID', item.buyerId)),
      item.sellerId && el('cac:SellersItemIdentification', null, leaf('cbc:ID', item.sellerId)),
      item.standardId && el('cac:StandardItemIdentification', null, idLeaf('cbc:ID', item.standardId)),
      item.originCountryCode && el('cac:OriginCountry', null, leaf('cbc:IdentificationCode', item.originCountryCode)),
      item.classifications.map((c) =>
        el('cac:CommodityClassification', null, leaf('cbc:ItemClassificationCode', c.code, { listID: c.listId, listVersionID: c.listVersionId })),
      ),
      el('cac:ClassifiedTaxCategory', null, leaf('cbc:ID', l.vat.categoryCode), leaf('cbc:Percent', l.vat.rate), taxScheme('VAT')),
      item.attributes.map((a) => el('cac:AdditionalItemProperty', null, leaf('cbc:Name', a.name), leaf('cbc:Value', a.value))),
    ),
    el(
      'cac:Price',
      null,
      leaf('cbc:PriceAmount', l.price.netPrice, cur),
      leaf('cbc:BaseQuantity', l.price.baseQuantity, { unitCode: l.price.baseQuantityUnitCode }),
      priceDiscount,
    ),
  );
}
