/**
 * The invoice as EN 16931-1 describes it (the semantic model), independent of any syntax.
 *
 * Every property names its business term (BT-n) or group (BG-n). Amounts, quantities and percentages are
 * exact decimal strings exactly as written in the source document ('1234.50', '-3', '19.6'); never JS
 * numbers. Dates are ISO calendar dates 'YYYY-MM-DD'. Optional terms are absent (undefined) rather than
 * empty; repeating groups are arrays (possibly empty).
 *
 * Terms that only one syntax can carry (UBL extensions, CII EXTENDED-only elements) are outside the model:
 * a conversion drops them.
 */

/** An exact decimal number, as text: '1234.50'. */
export type Decimal = string;
/** An ISO 8601 calendar date: '2026-11-28'. */
export type IsoDate = string;

/** An identifier with its optional scheme (ISO 6523 ICD, EAS, or a code list id). */
export interface Identifier {
  id: string;
  schemeId?: string;
}

/** BG-5, BG-8, BG-12, BG-15: a postal address. */
export interface PostalAddress {
  line1?: string; // BT-35 / BT-50 / BT-64 / BT-75
  line2?: string; // BT-36 / BT-51 / BT-65 / BT-76
  line3?: string; // BT-162 / BT-163 / BT-164 / BT-165
  city?: string; // BT-37 / BT-52 / BT-66 / BT-77
  postCode?: string; // BT-38 / BT-53 / BT-67 / BT-78
  countrySubdivision?: string; // BT-39 / BT-54 / BT-68 / BT-79
  countryCode?: string; // BT-40 / BT-55 / BT-69 / BT-80 (ISO 3166-1 alpha-2)
}

/** BG-6, BG-9: a contact. */
export interface Contact {
  name?: string; // BT-41 / BT-56 (contact point)
  phone?: string; // BT-42 / BT-57
  email?: string; // BT-43 / BT-58
}

/** BG-4 Seller. */
export interface Seller {
  name: string; // BT-27
  tradingName?: string; // BT-28
  identifiers: Identifier[]; // BT-29 (with scheme BT-29-1); a SIRET is scheme 0009
  legalRegistration?: Identifier; // BT-30 (scheme BT-30-1)
  vatId?: string; // BT-31
  taxRegistrationId?: string; // BT-32 (local tax registration, CII scheme "FC")
  legalInformation?: string; // BT-33 (e.g. "SAS au capital de…")
  electronicAddress?: Identifier; // BT-34 (scheme BT-34-1)
  address: PostalAddress; // BG-5
  contact?: Contact; // BG-6
}

/** BG-7 Buyer. */
export interface Buyer {
  name: string; // BT-44
  tradingName?: string; // BT-45
  identifiers: Identifier[]; // BT-46 (scheme BT-46-1)
  legalRegistration?: Identifier; // BT-47 (scheme BT-47-1)
  vatId?: string; // BT-48
  electronicAddress?: Identifier; // BT-49 (scheme BT-49-1)
  address: PostalAddress; // BG-8
  contact?: Contact; // BG-9
}

/** BG-10 Payee, when different from the seller. */
export interface Payee {
  name: string; // BT-59
  identifiers: Identifier[]; // BT-60 (scheme BT-60-1)
  legalRegistration?: Identifier; // BT-61 (scheme BT-61-1)
}

/** BG-11 Seller tax representative party. */
export interface TaxRepresentative {
  name: string; // BT-62
  vatId: string; // BT-63
  address: PostalAddress; // BG-12
}

/** BG-13 Delivery information. */
export interface Delivery {
  name?: string; // BT-70 deliver to party name
  locationId?: Identifier; // BT-71 (scheme BT-71-1)
  date?: IsoDate; // BT-72 actual delivery date
  address?: PostalAddress; // BG-15
}

/** BG-14 / BG-26 Invoicing period. */
export interface Period {
  startDate?: IsoDate; // BT-73 / BT-134
  endDate?: IsoDate; // BT-74 / BT-135
}

/** BG-17 Credit transfer. */
export interface CreditTransfer {
  accountId: string; // BT-84 (IBAN or proprietary)
  accountName?: string; // BT-85
  serviceProviderId?: string; // BT-86 (BIC)
}

/** BG-16 Payment instructions. */
export interface PaymentInstructions {
  meansCode: string; // BT-81 (UNTDID 4461)
  meansText?: string; // BT-82
  remittanceInformation?: string; // BT-83
  creditTransfers: CreditTransfer[]; // BG-17
  card?: { primaryAccountNumber: string; holderName?: string }; // BG-18: BT-87, BT-88
  directDebit?: {
    // BG-19
    mandateReference?: string; // BT-89
    creditorReference?: string; // BT-90
    debitedAccount?: string; // BT-91
  };
}

/** BG-20 / BG-21 Document level allowance or charge. */
export interface DocumentAllowanceCharge {
  amount: Decimal; // BT-92 / BT-99
  baseAmount?: Decimal; // BT-93 / BT-100
  percentage?: Decimal; // BT-94 / BT-101
  vatCategoryCode: string; // BT-95 / BT-102
  vatRate?: Decimal; // BT-96 / BT-103
  reason?: string; // BT-97 / BT-104
  reasonCode?: string; // BT-98 / BT-105
}

/** BG-27 / BG-28 Invoice line allowance or charge. */
export interface LineAllowanceCharge {
  amount: Decimal; // BT-136 / BT-141
  baseAmount?: Decimal; // BT-137 / BT-142
  percentage?: Decimal; // BT-138 / BT-143
  reason?: string; // BT-139 / BT-144
  reasonCode?: string; // BT-140 / BT-145
}

/** BG-22 Document totals. */
export interface DocumentTotals {
  lineNetTotal?: Decimal; // BT-106 (mandatory in EN 16931, absent in MINIMUM / BASIC WL without lines)
  allowanceTotal?: Decimal; // BT-107
  chargeTotal?: Decimal; // BT-108
  taxExclusiveAmount: Decimal; // BT-109
  vatTotal?: Decimal; // BT-110 (in the invoice currency BT-5)
  vatTotalInAccountingCurrency?: Decimal; // BT-111 (in the VAT accounting currency BT-6)
  taxInclusiveAmount: Decimal; // BT-112
  prepaidAmount?: Decimal; // BT-113
  roundingAmount?: Decimal; // BT-114
  payableAmount: Decimal; // BT-115
}

/** BG-23 VAT breakdown, one per VAT category and rate. */
export interface VatBreakdown {
  taxableAmount: Decimal; // BT-116
  taxAmount: Decimal; // BT-117
  categoryCode: string; // BT-118 (UNCL 5305: S, Z, E, AE, K, G, O, L, M)
  rate?: Decimal; // BT-119
  exemptionReason?: string; // BT-120
  exemptionReasonCode?: string; // BT-121 (VATEX)
}

/** BG-24 Additional supporting document. */
export interface SupportingDocument {
  reference: string; // BT-122
  description?: string; // BT-123
  externalUri?: string; // BT-124
  attachment?: { content: string; mimeCode: string; filename: string }; // BT-125 (base64 content, BT-125-1, BT-125-2)
}

/** BG-29 Price details. */
export interface PriceDetails {
  netPrice: Decimal; // BT-146
  discount?: Decimal; // BT-147
  grossPrice?: Decimal; // BT-148
  baseQuantity?: Decimal; // BT-149
  baseQuantityUnitCode?: string; // BT-150
}

/** BG-31 Item information. */
export interface Item {
  name: string; // BT-153
  description?: string; // BT-154
  sellerId?: string; // BT-155
  buyerId?: string; // BT-156
  standardId?: Identifier; // BT-157 (scheme BT-157-1)
  classifications: { code: string; listId?: string; listVersionId?: string }[]; // BT-158 (BT-158-1, BT-158-2)
  originCountryCode?: string; // BT-159
  attributes: { name: string; value: string }[]; // BG-32: BT-160, BT-161
}

/** BG-25 Invoice line. */
export interface InvoiceLine {
  id: string; // BT-126
  note?: string; // BT-127
  objectIdentifier?: Identifier; // BT-128 (scheme BT-128-1)
  quantity: Decimal; // BT-129
  unitCode: string; // BT-130 (UN/ECE Rec 20/21)
  netAmount: Decimal; // BT-131
  orderLineReference?: string; // BT-132
  accountingReference?: string; // BT-133
  period?: Period; // BG-26
  allowances: LineAllowanceCharge[]; // BG-27
  charges: LineAllowanceCharge[]; // BG-28
  price: PriceDetails; // BG-29
  vat: { categoryCode: string; rate?: Decimal }; // BG-30: BT-151, BT-152
  item: Item; // BG-31
}

/** The whole invoice (or credit note: see typeCode). */
export interface Invoice {
  number: string; // BT-1
  issueDate: IsoDate; // BT-2
  typeCode: string; // BT-3 (UNTDID 1001: 380 invoice, 381 credit note, 384 corrective, 389 self-billed…)
  currency: string; // BT-5
  vatAccountingCurrency?: string; // BT-6
  taxPointDate?: IsoDate; // BT-7
  vatPointDateCode?: string; // BT-8 (UNTDID 2005 in UBL / 2475 in CII, see docs/formats.md)
  dueDate?: IsoDate; // BT-9
  buyerReference?: string; // BT-10 (Chorus Pro: code service)
  projectReference?: string; // BT-11
  contractReference?: string; // BT-12
  purchaseOrderReference?: string; // BT-13 (Chorus Pro: engagement juridique)
  salesOrderReference?: string; // BT-14
  receivingAdviceReference?: string; // BT-15
  despatchAdviceReference?: string; // BT-16
  tenderOrLotReference?: string; // BT-17
  invoicedObjectIdentifier?: Identifier; // BT-18 (scheme BT-18-1)
  buyerAccountingReference?: string; // BT-19
  paymentTerms?: string; // BT-20
  notes: { subjectCode?: string; text: string }[]; // BG-1: BT-21, BT-22
  businessProcessType?: string; // BT-23 (BG-2)
  specificationIdentifier: string; // BT-24 (BG-2): the profile
  precedingInvoices: { number: string; issueDate?: IsoDate }[]; // BG-3: BT-25, BT-26
  seller: Seller; // BG-4
  buyer: Buyer; // BG-7
  payee?: Payee; // BG-10
  taxRepresentative?: TaxRepresentative; // BG-11
  delivery?: Delivery; // BG-13
  invoicingPeriod?: Period; // BG-14
  payment?: PaymentInstructions; // BG-16
  allowances: DocumentAllowanceCharge[]; // BG-20
  charges: DocumentAllowanceCharge[]; // BG-21
  totals: DocumentTotals; // BG-22
  vatBreakdown: VatBreakdown[]; // BG-23
  supportingDocuments: SupportingDocument[]; // BG-24
  lines: InvoiceLine[]; // BG-25 (empty for Factur-X MINIMUM and BASIC WL)
}

/** BT-10 to BT-19, in the order of the model (the readers build them together). */
export type InvoiceReferences = Pick<
  Invoice,
  | 'buyerReference'
  | 'projectReference'
  | 'contractReference'
  | 'purchaseOrderReference'
  | 'salesOrderReference'
  | 'receivingAdviceReference'
  | 'despatchAdviceReference'
  | 'tenderOrLotReference'
  | 'invoicedObjectIdentifier'
  | 'buyerAccountingReference'
>;

/** The syntaxes the library reads and writes. */
export type Syntax = 'UBL' | 'CII';

/**
 * The profile announced by BT-24. EN16931 covers the plain core and its CIUS (Peppol BIS, XRechnung…).
 * MINIMUM and BASIC WL are Factur-X profiles below EN 16931 (no lines).
 */
export type Profile = 'MINIMUM' | 'BASIC WL' | 'BASIC' | 'EN16931' | 'EXTENDED' | 'EXTENDED-CTC-FR' | 'XRECHNUNG' | 'UNKNOWN';

/** Empty parts, to build invoices in code. */
export const emptyAddress = (): PostalAddress => ({});
