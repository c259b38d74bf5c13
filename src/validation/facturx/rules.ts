import { Reporter, type RuleFamily, type RuleText } from '../engine.ts';
import { ciiCore } from '../en16931/cii/core.ts';
import { ciiVat } from '../en16931/cii/vat.ts';
import { CII_NS, P, ciiRoot } from '../en16931/cii/common.ts';
import { normalizeSpace, stringValue, type XmlDocument, type XmlElement } from '../xml/tree.ts';
import { facturxProfile } from '../xsd.ts';
import { CODE_LISTS, type CodeListKind, type FacturxProfile } from './codedb.ts';
import { checkStructure, structureTexts } from './structure.ts';
import { EXTENDED_EMBEDDED, EXTENDED_TEXTS, checkExtendedRules } from './extended.ts';

/**
 * The Factur-X 1.09 profile rules (CII only), per profile MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED, as
 * the official Factur-X Schematron reports them:
 *  - the business rules BR-* it embeds (the EN 16931 core and VAT rules of the CII binding; BASIC WL and
 *    MINIMUM carry no lines, so the rules about lines are not part of them);
 *  - its own checks, under their technical ids FX-SCH-A-*: the specification identifier of the profile
 *    (BT-24), the document's type code and unique ID, and the code lists of the profile's CodeDB (countries,
 *    currencies, ISO 6523 and EAS schemes, units, VAT categories, VATEX) — generated into codedb.ts;
 *  - BR-FX-EN-04 (delivery date or period, warning) and PEPPOL-EN16931-R008 (no empty element, warning).
 * Of the structural cardinality checks of the Factur-X Schematron ("Element X must occur exactly 1 times", about
 * 200 per profile), the header ones every profile shares are written here (document context, parties, seller
 * address, currency, totals); facturx/structure.ts holds the others as data, per profile, as far as transcribed.
 */

const RAM = CII_NS.ram;

const fatal = (message: string, messageFr: string): RuleText => ({ flag: 'fatal', message, messageFr });

export const FACTURX_TEXTS: Readonly<Record<string, RuleText>> = {
  ...structureTexts(),
  ...EXTENDED_TEXTS,
  'FX-SCH-A-000019': fatal("Element 'ram:ID' must occur exactly 1 times.", 'Le numéro de facture (BT-1) doit figurer exactement une fois.'),
  'FX-SCH-A-000020': fatal(
    "Element 'ram:TypeCode' must occur exactly 1 times.",
    'Le code de type doit figurer exactement une fois (type de facture BT-3, ou type de chaque document joint BG-24).',
  ),
  'FX-SCH-A-000024': fatal(
    "Element 'ram:BusinessProcessSpecifiedDocumentContextParameter' may occur at maximum 1 times.",
    'Le cadre de facturation (BT-23) ne peut figurer qu’une fois.',
  ),
  'FX-SCH-A-000025': fatal(
    "Element 'ram:GuidelineSpecifiedDocumentContextParameter' must occur exactly 1 times.",
    "L'identifiant de spécification (BT-24) doit figurer exactement une fois.",
  ),
  'FX-SCH-A-000027': fatal("Element 'ram:SellerTradeParty' must occur exactly 1 times.", 'Le vendeur (BG-4) doit figurer exactement une fois.'),
  'FX-SCH-A-000028': fatal("Element 'ram:BuyerTradeParty' must occur exactly 1 times.", "L'acheteur (BG-7) doit figurer exactement une fois."),
  'FX-SCH-A-000030': fatal("Element 'ram:Name' must occur exactly 1 times.", 'La raison sociale du vendeur (BT-27) ou de l’acheteur (BT-44) doit figurer exactement une fois.'),
  'FX-SCH-A-000032': fatal(
    "Element 'ram:PostalTradeAddress' must occur exactly 1 times.",
    "L'adresse postale doit figurer exactement une fois (vendeur BG-5, acheteur BG-8 ou représentant fiscal du vendeur BG-11).",
  ),
  'FX-SCH-A-000035': fatal("Element 'ram:CountryID' must occur exactly 1 times.", 'Le code pays de l’adresse du vendeur (BT-40) doit figurer exactement une fois.'),
  'FX-SCH-A-000038': fatal("Element 'ram:InvoiceCurrencyCode' must occur exactly 1 times.", 'La devise de la facture (BT-5) doit figurer exactement une fois.'),
  'FX-SCH-A-000039': fatal(
    "Element 'ram:SpecifiedTradeSettlementHeaderMonetarySummation' must occur exactly 1 times.",
    'Les totaux de la facture (BG-22) doivent figurer exactement une fois.',
  ),
  'FX-SCH-A-000041': fatal("Element 'ram:TaxBasisTotalAmount' must occur exactly 1 times.", 'Le total hors TVA (BT-109) doit figurer exactement une fois.'),
  'FX-SCH-A-000043': fatal("Element 'ram:GrandTotalAmount' must occur exactly 1 times.", 'Le total TTC (BT-112) doit figurer exactement une fois.'),
  'FX-SCH-A-000044': fatal("Element 'ram:DuePayableAmount' must occur exactly 1 times.", 'Le net à payer (BT-115) doit figurer exactement une fois.'),
  'FX-SCH-A-000023': fatal("Value of 'ram:TypeCode' is not allowed.", "Le type de facture (BT-3) n'est pas un code admis par le profil Factur-X."),
  'FX-SCH-A-000026': fatal(
    "Value of 'ram:ID' is not allowed.",
    "L'identifiant de spécification (BT-24) n'est pas celui du profil Factur-X annoncé (par exemple urn:cen.eu:en16931:2017 pour EN 16931).",
  ),
  'FX-SCH-A-000031': fatal(
    "Value of '@schemeID' is not allowed.",
    "Le schéma d'identification (ISO 6523 ou EAS) de cet identifiant n'est pas admis par le profil Factur-X (par exemple 0009 pour un SIRET, 0002 pour un SIREN).",
  ),
  'FX-SCH-A-000036': fatal("Value of 'ram:CountryID' is not allowed.", "Le code pays de l'adresse n'est pas un code ISO 3166-1 admis par le profil Factur-X."),
  'FX-SCH-A-000040': fatal("Value of 'ram:InvoiceCurrencyCode' is not allowed.", "La devise de la facture (BT-5) n'est pas un code ISO 4217 admis par le profil Factur-X."),
  'FX-SCH-A-000045': fatal("Value of '@currencyID' is not allowed.", "La devise du montant total de TVA (BT-110 / BT-111) n'est pas un code ISO 4217 admis."),
  'FX-SCH-A-000179': fatal("Value of 'ram:CategoryCode' is not allowed.", "Le code de catégorie de TVA n'est pas admis par le profil Factur-X."),
  'FX-SCH-A-000181': fatal(
    "Value of 'ram:ExemptionReasonCode' is not allowed.",
    "Le code du motif d'exonération de TVA (BT-121) n'est pas un code VATEX admis par le profil Factur-X.",
  ),
  'FX-SCH-A-000186': fatal(
    "Value of 'ram:ReasonCode' is not allowed.",
    "Le code du motif de la remise ou des frais n'est pas admis (UNTDID 5189 pour une remise, 7161 pour des frais).",
  ),
  'FX-SCH-A-000196': fatal("Value of 'ram:TaxCurrencyCode' is not allowed.", "La devise de comptabilisation de la TVA (BT-6) n'est pas un code ISO 4217 admis."),
  'FX-SCH-A-000275': fatal("Value of '@unitCode' is not allowed.", "L'unité de mesure de la quantité (BT-130 / BT-150) n'est pas un code UN/ECE admis par le profil Factur-X."),
  'BR-FX-EN-04': {
    flag: 'warning',
    message:
      '[BR-FX-EN-04]-An invoice that is not a down payment invoice (code 386) must contain either BT-72 "Actual delivery date", BG-14 "Invoicing period" or BG-26 "Invoice line period" in each invoice item to indicate the delivery/service date. If BT-72 is not used, at least the country of delivery (BT-80) must be specified for technical reasons.',
    messageFr:
      "Une facture (autre qu'une facture d'acompte, code 386) doit indiquer la date de livraison effective (BT-72), la période de facturation (BG-14) ou une période sur chaque ligne (BG-26) ; sans BT-72, le pays de livraison (BT-80) doit être indiqué.",
  },
  'BR-CO-27': fatal(
    '[BR-CO-27]-Either the IBAN or a Proprietary ID (BT-84) shall be used.',
    'Pour un virement (moyen de paiement 30 ou 58), le compte du bénéficiaire (BT-84) doit être donné soit par un IBAN, soit par un identifiant propriétaire, pas les deux.',
  ),
  'PEPPOL-EN16931-R008': {
    flag: 'warning',
    message: '[PEPPOL-EN16931-R008]-Document MUST not contain empty elements. (still status warning)',
    messageFr: 'Le document contient un élément vide : supprimez les éléments sans valeur.',
  },
};

/** The business rules of the MINIMUM Schematron: the header only. */
const MINIMUM_RULES = new Set(['BR-01', 'BR-02', 'BR-03', 'BR-04', 'BR-05', 'BR-06', 'BR-07', 'BR-08', 'BR-09', 'BR-13', 'BR-14', 'BR-15', 'BR-CO-09', 'BR-CO-26', 'BR-DEC-12', 'BR-DEC-13', 'BR-DEC-14', 'BR-DEC-18']);
/** The Factur-X profile of a CII document from its BT-24, as the official run chooses the Schematron. */
export function facturxProfileOf(doc: XmlDocument): FacturxProfile | null {
  const root = ciiRoot(doc);
  const specId = P.str(root, 'rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID') ?? '';
  const p = facturxProfile(specId);
  return p === 'BASICWL' ? 'BASIC WL' : p;
}

const codeSets = new Map<string, Set<string>>();
function inList(profile: FacturxProfile, kind: CodeListKind, value: string): boolean | null {
  const list = CODE_LISTS[profile][kind];
  if (list === undefined) return null;
  let set = codeSets.get(list);
  if (!set) {
    set = new Set(list.split(' '));
    codeSets.set(list, set);
  }
  return set.has(value);
}

/**
 * The EN 16931 business rules the Factur-X Schematron embeds: BR-*, and CII-SR-463 it adds (its CII-SR-464 is
 * always true as written; CII-SR-465 / 466 are left to the en16931 set, docs/validation.md).
 */
const EMBEDDED = /^(BR-|CII-SR-463$)/;
/** Business rules about invoice lines, absent from the MINIMUM and BASIC WL Schematrons. */
const LINE_RULES = new Set(['BR-16', 'BR-21', 'BR-22', 'BR-23', 'BR-24', 'BR-25', 'BR-26', 'BR-27', 'BR-28', 'BR-30', 'BR-41', 'BR-42', 'BR-43', 'BR-44', 'BR-54', 'BR-64', 'BR-65', 'BR-CO-04', 'BR-CO-07', 'BR-CO-08', 'BR-CO-10', 'BR-CO-18', 'BR-CO-20', 'BR-CO-23', 'BR-CO-24', 'BR-DEC-23', 'BR-DEC-24', 'BR-DEC-25', 'BR-DEC-27', 'BR-DEC-28']);

/** Whether the Schematron of the profile carries this EN 16931 rule. */
export function embeds(profile: FacturxProfile, id: string): boolean {
  if (profile === 'MINIMUM') return MINIMUM_RULES.has(id);
  // Without lines, the VAT breakdown cannot be compared with line categories (-01) nor line sums (-08).
  if (profile === 'BASIC WL') return !LINE_RULES.has(id) && !/^BR-(S|Z|E|AE|IC|G|O|AF|AG)-0[18]$/.test(id);
  // EXTENDED carries its own BR-FXEXT versions of the sums and VAT breakdown checks (facturx/extended.ts).
  if (profile === 'EXTENDED') return EXTENDED_EMBEDDED.has(id);
  return true;
}

/**
 * Whether an EN 16931 rule still applies to an invoice written without lines (a minimal E2 flow of Chorus Pro):
 * the rules the official Schematron of the header-only Factur-X profile BASIC WL embeds — every rule but those
 * about lines and the VAT checks that compare the breakdown with lines.
 */
export const appliesWithoutLines = (id: string) => embeds('BASIC WL', id);

/** Forwards only the findings of the rules kept to the real reporter. */
class FilteredReporter extends Reporter {
  constructor(
    private readonly target: Reporter,
    private readonly keep: (id: string) => boolean,
  ) {
    super(() => {
      throw new Error('unused');
    });
  }
  override fail(id: string, node: XmlElement, attribute?: string): void {
    if (this.keep(id)) this.target.fail(id, node, attribute);
  }
  override check(id: string, ok: boolean, node: XmlElement): void {
    if (this.keep(id)) this.target.check(id, ok, node);
  }
}

/**
 * The rules the Factur-X EN 16931 Schematron (1.09) carries beyond the CEN 1.3.16 CII core and VAT families:
 * CII-SR-463 (a ChargeIndicator on every allowance or charge) and BR-CO-27 as it still tests it (exactly one of
 * IBAN and proprietary ID per credit-transfer payment means, 30 or 58), which CEN 1.3.16 has dropped.
 */
function facturxEmbeddedExtras(doc: XmlDocument, r: Reporter): void {
  for (const ac of P.desc(doc, 'ram:SpecifiedTradeAllowanceCharge')) r.check('CII-SR-463', P.has(ac, 'ram:ChargeIndicator'), ac);
  for (const pm of P.desc(doc, 'ram:SpecifiedTradeSettlementPaymentMeans')) {
    const code = normalizeSpace(P.str(pm, 'ram:TypeCode') ?? '');
    if (code !== '30' && code !== '58') continue;
    const iban = P.has(pm, 'ram:PayeePartyCreditorFinancialAccount/ram:IBANID');
    const proprietary = P.has(pm, 'ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID');
    r.check('BR-CO-27', (iban || proprietary) && !(iban && proprietary), pm);
  }
}

export const facturxBusinessRules: RuleFamily = {
  name: 'facturx-business',
  syntax: 'cii',
  ids: [...ciiCore.ids, ...ciiVat.ids, 'CII-SR-463', 'BR-CO-27', ...Object.keys(EXTENDED_TEXTS)],
  run(doc, r) {
    const profile = facturxProfileOf(doc);
    if (!profile) return;
    const f = new FilteredReporter(r, (id) => EMBEDDED.test(id) && embeds(profile, id));
    ciiCore.run(doc, f);
    ciiVat.run(doc, f);
    facturxEmbeddedExtras(doc, f);
    if (profile === 'EXTENDED') checkExtendedRules(doc, r);
  },
};

const PARTIES = ['SellerTradeParty', 'BuyerTradeParty', 'PayeeTradeParty', 'ShipToTradeParty', 'SellerTaxRepresentativeTradeParty', 'InvoiceeTradeParty', 'ShipFromTradeParty', 'UltimateShipToTradeParty', 'ProductEndUserTradeParty', 'BuyerTaxRepresentativeTradeParty', 'SalesAgentTradeParty', 'BuyerAgentTradeParty', 'InvoicerTradeParty', 'PayerTradeParty'];
const PARTY_SET = new Set(PARTIES);

function attr(el: XmlElement, name: string): string | undefined {
  for (const a of el.attrs) if (a.ns === '' && a.local === name) return a.value;
  return undefined;
}

export const facturxProfileRules: RuleFamily = {
  name: 'facturx-profile',
  syntax: 'cii',
  ids: Object.keys(FACTURX_TEXTS),
  run(doc, r) {
    const profile = facturxProfileOf(doc);
    if (!profile) return;
    const root = ciiRoot(doc);
    if (!root) return;
    const check = (id: string, kind: CodeListKind, value: string | undefined, node: XmlElement, attribute?: string) => {
      if (value === undefined) return;
      if (inList(profile, kind, value) === false) r.fail(id, node, attribute);
    };

    // BT-24: the identifier of the profile.
    for (const id of P.all(root, 'rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID')) {
      check('FX-SCH-A-000026', 'specId', stringValue(id), id);
    }
    const exchanged = P.first(root, 'rsm:ExchangedDocument');
    if (exchanged) {
      r.check('FX-SCH-A-000019', P.count(exchanged, 'ram:ID') === 1, exchanged);
      r.check('FX-SCH-A-000020', P.count(exchanged, 'ram:TypeCode') === 1, exchanged);
      for (const tc of P.all(exchanged, 'ram:TypeCode')) check('FX-SCH-A-000023', 'typeCode', stringValue(tc), tc);
    }
    // The header cardinalities every profile's Schematron checks (the XSD allows more).
    const context = P.first(root, 'rsm:ExchangedDocumentContext');
    if (context) {
      r.check('FX-SCH-A-000024', P.count(context, 'ram:BusinessProcessSpecifiedDocumentContextParameter') <= 1, context);
      r.check('FX-SCH-A-000025', P.count(context, 'ram:GuidelineSpecifiedDocumentContextParameter') === 1, context);
    }
    const agreement = P.first(root, 'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement');
    if (agreement) {
      r.check('FX-SCH-A-000027', P.count(agreement, 'ram:SellerTradeParty') === 1, agreement);
      r.check('FX-SCH-A-000028', P.count(agreement, 'ram:BuyerTradeParty') === 1, agreement);
      for (const party of [...P.kids(agreement, 'ram:SellerTradeParty'), ...P.kids(agreement, 'ram:BuyerTradeParty')]) {
        r.check('FX-SCH-A-000030', P.count(party, 'ram:Name') === 1, party);
      }
      for (const seller of P.kids(agreement, 'ram:SellerTradeParty')) {
        r.check('FX-SCH-A-000032', P.count(seller, 'ram:PostalTradeAddress') === 1, seller);
        for (const a of P.kids(seller, 'ram:PostalTradeAddress')) r.check('FX-SCH-A-000035', P.count(a, 'ram:CountryID') === 1, a);
      }
    }
    const settlement = P.first(root, 'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement');
    if (settlement) {
      r.check('FX-SCH-A-000038', P.count(settlement, 'ram:InvoiceCurrencyCode') === 1, settlement);
      r.check('FX-SCH-A-000039', P.count(settlement, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation') === 1, settlement);
      for (const sum of P.kids(settlement, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation')) {
        r.check('FX-SCH-A-000041', P.count(sum, 'ram:TaxBasisTotalAmount') === 1, sum);
        r.check('FX-SCH-A-000043', P.count(sum, 'ram:GrandTotalAmount') === 1, sum);
        r.check('FX-SCH-A-000044', P.count(sum, 'ram:DuePayableAmount') === 1, sum);
      }
    }
    for (const c of P.all(settlement, 'ram:InvoiceCurrencyCode')) check('FX-SCH-A-000040', 'currency', stringValue(c), c);
    for (const c of P.all(settlement, 'ram:TaxCurrencyCode')) check('FX-SCH-A-000196', 'currency', stringValue(c), c);
    // EXTENDED checks these by variant with its own lists and messages (facturx/structure.ts): the BT-110 / BT-111
    // currencies, the GlobalID schemes of parties and products, the allowance and charge reason codes.
    const extended = profile === 'EXTENDED';
    if (!extended) {
      for (const t of P.all(settlement, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount')) {
        check('FX-SCH-A-000045', 'currency', attr(t, 'currencyID'), t, 'currencyID');
      }
    }

    for (const el of doc.all) {
      if (el.ns !== RAM) continue;
      const parent = el.parent;
      switch (el.local) {
        case 'SpecifiedLegalOrganization':
          for (const id of P.kids(el, 'ram:ID')) check('FX-SCH-A-000031', 'icd', attr(id, 'schemeID'), id, 'schemeID');
          break;
        case 'GlobalID':
          if (!extended) check('FX-SCH-A-000031', 'icd', attr(el, 'schemeID'), el, 'schemeID');
          break;
        case 'URIUniversalCommunication':
          if (parent && PARTY_SET.has(parent.local)) for (const u of P.kids(el, 'ram:URIID')) check('FX-SCH-A-000031', 'eas', attr(u, 'schemeID'), u, 'schemeID');
          break;
        case 'PostalTradeAddress':
          for (const c of P.kids(el, 'ram:CountryID')) check('FX-SCH-A-000036', 'country', stringValue(c), c);
          break;
        case 'CategoryCode':
          check('FX-SCH-A-000179', 'vatCategory', stringValue(el), el);
          break;
        case 'ExemptionReasonCode':
          check('FX-SCH-A-000181', 'vatex', stringValue(el), el);
          break;
        case 'SpecifiedTradeAllowanceCharge': {
          if (extended) break;
          const indicator = normalizeSpace(P.str(el, 'ram:ChargeIndicator/udt:Indicator') ?? '');
          // EN 16931 checks a charge's reason code in its structural table, by listID (facturx/structure.ts).
          const charge: CodeListKind | null = profile === 'EN16931' ? null : 'chargeReason';
          const kind: CodeListKind | null = indicator === 'true' ? charge : indicator === 'false' ? 'allowanceReason' : null;
          if (kind) for (const rc of P.kids(el, 'ram:ReasonCode')) check('FX-SCH-A-000186', kind, stringValue(rc), rc);
          break;
        }
        case 'AdditionalReferencedDocument':
          if (parent?.local === 'SpecifiedLineTradeSettlement') r.check('FX-SCH-A-000020', P.count(el, 'ram:TypeCode') === 1, el);
          break;
      }
      // Every quantity's unit (BilledQuantity, BasisQuantity, PackageQuantity…) is checked against the units list.
      if (el.attrs.length) check('FX-SCH-A-000275', 'unit', attr(el, 'unitCode'), el, 'unitCode');
    }

    // The structural checks transcribed per profile (facturx/structure.ts).
    checkStructure(profile, root, r);

    // The MINIMUM and BASIC WL Schematrons carry neither BR-FX-EN-04 nor the Peppol rule on empty elements.
    if (profile !== 'MINIMUM' && profile !== 'BASIC WL') {
      deliveryDateOrPeriod(root, r);
      emptyElements(doc, r);
    }
  },
};

/** BR-FX-EN-04 (warning), for German domestic invoices (seller and buyer in DE) other than down payments. */
function deliveryDateOrPeriod(root: XmlElement, r: Reporter): void {
  const tx = P.first(root, 'rsm:SupplyChainTradeTransaction');
  if (!tx) return;
  const agreement = P.first(tx, 'ram:ApplicableHeaderTradeAgreement');
  const country = (party: string) => normalizeSpace(P.str(agreement, `ram:${party}/ram:PostalTradeAddress/ram:CountryID`) ?? '');
  if (country('SellerTradeParty') !== 'DE' || country('BuyerTradeParty') !== 'DE') return;
  if (normalizeSpace(P.str(root, 'rsm:ExchangedDocument/ram:TypeCode') ?? '') === '386') return;
  const delivery = P.first(tx, 'ram:ApplicableHeaderTradeDelivery');
  if (P.has(delivery, 'ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString')) return;
  if (P.has(tx, 'ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod')) return;
  const lines = P.all(tx, 'ram:IncludedSupplyChainTradeLineItem');
  if (lines.length > 0 && lines.every((l) => P.has(l, 'ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod'))) {
    if (P.has(delivery, 'ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID')) return;
  }
  r.fail('BR-FX-EN-04', root);
}

/** PEPPOL-EN16931-R008 (warning): an element with neither child elements nor text. */
function emptyElements(doc: XmlDocument, r: Reporter): void {
  for (const el of doc.all) {
    if (el.children.length === 0 && normalizeSpace(el.text) === '') r.fail('PEPPOL-EN16931-R008', el);
  }
}

