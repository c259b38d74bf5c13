import type { Reporter, RuleText } from '../engine.ts';
import { P } from '../en16931/cii/common.ts';
import { attr, type XmlElement } from '../xml/tree.ts';
import type { FacturxProfile } from './codedb.ts';

/**
 * Structural checks of the Factur-X Schematron ("Element 'ram:X' must occur exactly 1 times", "… is marked as
 * not used in the given context"), as data: per context (a child path from the document element), the checks
 * the Schematron asserts there. Transcribed from the BASIC profile's Schematron (header, parties, references,
 * delivery, settlement and VAT breakdown contexts); the contexts of the other profiles and of the lines are not
 * transcribed yet (docs/validation.md). The checks that every profile shares and that were written before
 * (facturx/rules.ts: document ID and type, BT-24 context, seller and buyer, totals) are not repeated here.
 *
 * Ids: the Schematron's own (FX-SCH-A-*); its "not used" reports carry none, so they are reported as
 * FX-SCH-NOT-USED:<element> and FX-SCH-NOT-USED:@<attribute>, with the official message.
 */

type Check =
  | { id: string; kind: 'exactly' | 'max' | 'min'; child: string }
  | { id: string; kind: 'attribute'; name: string }
  | { kind: 'notUsed'; child: string }
  | { kind: 'attributeNotUsed'; name: string };

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

/** BASIC: Schematron "Factur-X; 1.08; EN16931-COMPLIANT-BASIC", header contexts (the 1.09 profile XSD agrees). */
const BASIC: [string, Check[]][] = [
  ['rsm:ExchangedDocument/ram:ID', [attrNotUsed('schemeID')]],
  ['rsm:ExchangedDocument/ram:IncludedNote', [exactly('FX-SCH-A-000160', 'ram:Content'), max('FX-SCH-A-000161', 'ram:SubjectCode')]],
  dateTime('rsm:ExchangedDocument/ram:IssueDateTime'),
  ['rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter', [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ['rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID', [attrNotUsed('schemeID')]],
  ['rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter', [exactly('FX-SCH-A-000019', 'ram:ID')]],
  ['rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID', [attrNotUsed('schemeID')]],
  [TX, [min('FX-SCH-A-000265', 'ram:IncludedSupplyChainTradeLineItem')]],
  ...reference(`${AGR}/ram:BuyerOrderReferencedDocument`),
  ...reference(`${AGR}/ram:ContractReferencedDocument`),
  // Buyer (BG-7).
  [`${AGR}/ram:BuyerTradeParty`, [max('FX-SCH-A-000163', 'ram:ID'), max('FX-SCH-A-000164', 'ram:GlobalID'), max('FX-SCH-A-000165', 'ram:URIUniversalCommunication'), max('FX-SCH-A-000166', 'ram:SpecifiedTaxRegistration')]],
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
  // Not kept from 1.08: "@currencyID not used" on the breakdown's BasisAmount / CalculatedAmount (1.09 accepts it:
  // the official 1.09 run does not report it on the FNFE BASIC samples that carry it).
  dateTime(`${SET}/ram:BillingSpecifiedPeriod/ram:EndDateTime`),
  dateTime(`${SET}/ram:BillingSpecifiedPeriod/ram:StartDateTime`),
  [`${SET}/ram:CreditorReferenceID`, [attrNotUsed('schemeID')]],
];

const TABLES: Partial<Record<FacturxProfile, [string, Check[]][]>> = { BASIC };

const fatal = (message: string, messageFr: string): RuleText => ({ flag: 'fatal', message, messageFr });
const name = (q: string) => q.replace(/^ram:/, '');

/** The texts of the structural checks (FX-SCH-A ids of the table and the not-used pseudo-ids). */
export function structureTexts(): Record<string, RuleText> {
  const out: Record<string, RuleText> = {};
  for (const table of Object.values(TABLES)) {
    for (const [, checks] of table ?? []) {
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
            out[`FX-SCH-NOT-USED:${c.child}`] ??= fatal(`Element '${c.child}' is marked as not used in the given context.`, `L'élément ${name(c.child)} n'est pas admis à cet endroit par le profil Factur-X.`);
            break;
          case 'attributeNotUsed':
            out[`FX-SCH-NOT-USED:@${c.name}`] ??= fatal(`Attribute @${c.name}' marked as not used in the given context.`, `L'attribut ${c.name} n'est pas admis sur cet élément par le profil Factur-X.`);
            break;
        }
      }
    }
  }
  out['FX-SCH-A-000033'] = fatal(`Element variant 'ram:SpecifiedTaxRegistration[ram:ID/@schemeID="VA"]' may occur at maximum 1 times.`, 'Le numéro de TVA du vendeur (BT-31) ne peut figurer qu’une fois.');
  out['FX-SCH-A-000034'] = fatal(`Element variant 'ram:SpecifiedTaxRegistration[ram:ID/@schemeID="FC"]' may occur at maximum 1 times.`, "L'identifiant fiscal du vendeur (BT-32) ne peut figurer qu’une fois.");
  out['FX-SCH-NOT-USED:SpecifiedTaxRegistration-variant'] = fatal(
    `Element variant 'ram:SpecifiedTaxRegistration[ not(ram:ID/@schemeID="VA") and  not(ram:ID/@schemeID="FC")]' is marked as not used in the given context.`,
    "L'identifiant fiscal du vendeur doit être un numéro de TVA (schéma VA) ou un identifiant fiscal local (schéma FC).",
  );
  return out;
}

/** Runs the structural checks of the profile's table. */
export function checkStructure(profile: FacturxProfile, root: XmlElement, r: Reporter): void {
  const table = TABLES[profile];
  if (!table) return;
  for (const [context, checks] of table) {
    for (const node of P.all(root, context)) {
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
        }
      }
    }
  }
  if (profile === 'BASIC') {
    // The seller's tax registrations by scheme: VA (BT-31) and FC (BT-32) once each, no other scheme.
    for (const seller of P.all(root, `${AGR}/ram:SellerTradeParty`)) {
      const regs = P.kids(seller, 'ram:SpecifiedTaxRegistration');
      const scheme = (reg: XmlElement) => P.all(reg, 'ram:ID').map((id) => attr(id, 'schemeID'));
      r.check('FX-SCH-A-000033', regs.filter((g) => scheme(g).includes('VA')).length <= 1, seller);
      r.check('FX-SCH-A-000034', regs.filter((g) => scheme(g).includes('FC')).length <= 1, seller);
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
}
