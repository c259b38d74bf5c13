import { Decimal } from 'decimal.js';
import type { Identifier, Invoice } from '../../formats/model.ts';
import type { ModelReporter, ModelRuleContext, ModelRuleSet, ModelRuleText } from '../model-rules.ts';
import { BR_FR_MESSAGES } from './catalogue.ts';
import { multiVendorRules } from './multi-vendor.ts';
import { multiVendorRulesUbl } from './multi-vendor-ubl.ts';
import { brFrTreeRules } from './tree.ts';

/**
 * The French rules of the e-invoicing reform (FNFE XP Z12-012 1.4.0, "BR-FR-Flux2"), as a rule set on the
 * EN 16931 model: one implementation for UBL and CII. Ids are the rule numbers (BR-FR-05, BR-FR-CO-09…): the
 * official Schematron splits a rule into per-field assertions (BR-FR-05_BT-22_PMT…), the location of the finding
 * tells which field. `message` is the official French text (br-fr/catalogue.ts, generated); `messageFr` names the
 * field for a user and adds the value found.
 *
 * The fixtures carry no official run of these rules: each rule is proven by a failing and a passing case in
 * test/validation/br-fr-rules.test.ts. Written here on the model: BR-FR-01…06, 08…13, 15…18, 20…26, 31, 32 and
 * BR-FR-CO-03, 04, 05, 07, 08, 09, 10 (one scheme once), 12, 14, 15; on the document (br-fr/tree.ts): BR-FR-27…30 and
 * BR-FR-DEC-01…04; on the CII EXTENDED-CTC-FR lines (br-fr/multi-vendor.ts): BR-FR-MV-01…14, BR-FR-BD-02, 13, 14.
 * BR-FR-07, 14 and 19 have no assertion in the official Schematron. Not written (see docs/validation.md): the
 * "scheme present" half of BR-FR-CO-10, and the checks on the EXTENDED-CTC-FR parties (EXT-FR-FE-*).
 */

const rule = (id: string, messageFr: string): ModelRuleText => ({ flag: 'fatal', message: BR_FR_MESSAGES[id] ?? id, messageFr });

export const BR_FR_TEXTS: Readonly<Record<string, ModelRuleText>> = {
  'BR-FR-01': rule('BR-FR-01', 'Le numéro de facture ne doit pas dépasser 35 caractères.'),
  'BR-FR-02': rule('BR-FR-02', 'Le numéro de facture ne peut contenir que des lettres, des chiffres et les caractères + - _ /, sans espace.'),
  'BR-FR-03': rule('BR-FR-03', "La date doit être d'une année comprise entre 2000 et 2099."),
  'BR-FR-04': rule('BR-FR-04', "Le type de facture (BT-3) n'est pas admis par la réforme française (380, 389, 393, 501, 386, 500, 384, 471, 472, 473, 261, 262, 381, 396, 502, 503)."),
  'BR-FR-05': rule('BR-FR-05', 'Une mention obligatoire manque dans les notes de la facture (BG-1) :'),
  'BR-FR-06': rule('BR-FR-06', 'Une mention ne doit figurer qu’une fois dans les notes de la facture (BG-1) :'),
  'BR-FR-08': rule('BR-FR-08', 'Le cadre de facturation (BT-23) est absent ou non admis : B1, S1, M1, B2, S2, M2, S3, B4, S4, M4, S5, S6, B7, S7, B8, S8, M8, B9, S9, M9.'),
  'BR-FR-09': rule('BR-FR-09', 'Le SIRET doit compter 14 chiffres et commencer par le SIREN de la même partie.'),
  'BR-FR-10': rule('BR-FR-10', 'Le SIREN du vendeur (identifiant légal BT-30) est obligatoire et doit compter exactement 9 chiffres.'),
  'BR-FR-11': rule('BR-FR-11', "Pour une facture B2B (note BAR), le SIREN de l'acheteur (identifiant légal BT-47) est obligatoire et doit compter exactement 9 chiffres."),
  'BR-FR-12': rule('BR-FR-12', "L'adresse électronique de l'acheteur (BT-49) est obligatoire."),
  'BR-FR-13': rule('BR-FR-13', "L'adresse électronique du vendeur (BT-34) est obligatoire."),
  'BR-FR-15': rule('BR-FR-15', "Le code de catégorie de TVA n'est pas admis en France : S, E, AE, K, G, O ou Z (les codes L et M ne s'appliquent pas)."),
  'BR-FR-16': rule('BR-FR-16', "Le taux de TVA n'est pas un taux français : 0, 0,9, 1,05, 1,75, 2,1, 5,5, 7, 8,5, 9,2, 9,6, 10, 13, 19,6, 20 ou 20,6 (sans « % »)."),
  'BR-FR-17': rule('BR-FR-17', "La qualification de la pièce jointe (description BT-123) n'est pas un code admis (RIB, LISIBLE, FEUILLE_DE_STYLE, PJA, BORDEREAU_SUIVI, DOCUMENT_ANNEXE, BON_LIVRAISON, BON_COMMANDE, BORDEREAU_SUIVI_VALIDATION, ETAT_ACOMPTE, FACTURE_PAIEMENT_DIRECT)."),
  'BR-FR-18': rule('BR-FR-18', 'Une seule pièce jointe peut être qualifiée « LISIBLE » (description BT-123).'),
  'BR-FR-20': rule('BR-FR-20', 'La note de traitement BAR doit valoir B2B, B2BINT, B2C, OUTOFSCOPE ou ARCHIVEONLY.'),
  'BR-FR-21': rule('BR-FR-21', "Facture B2B (note BAR) : l'adresse électronique de l'acheteur (BT-49) doit commencer par son SIREN (BT-47) et avoir le schéma 0225."),
  'BR-FR-22': rule('BR-FR-22', "Autofacture B2B (note BAR) : l'adresse électronique du vendeur (BT-34) doit commencer par son SIREN (BT-30) et avoir le schéma 0225."),
  'BR-FR-23': rule('BR-FR-23', "L'adresse électronique de schéma 0225 (BT-34, BT-49) ne peut contenir que des lettres, des chiffres et les caractères + - _ ., sans espace."),
  'BR-FR-24': rule('BR-FR-24', "L'identifiant privé de schéma 0224 (BT-29, BT-46) ne peut contenir que des lettres, des chiffres et les caractères + - _ ., sans espace."),
  'BR-FR-26': rule('BR-FR-26', "L'identifiant privé de schéma 0224 (BT-29, BT-46) ne doit pas dépasser 100 caractères."),
  'BR-FR-27': rule('BR-FR-27', "Chaque attribut d'article (BG-32) doit avoir un nom (BT-160) ou un code, non vide."),
  'BR-FR-28': rule('BR-FR-28', "Chaque attribut d'article (BG-32) doit avoir soit une valeur (BT-161), soit une valeur mesurée avec son unité, et pas les deux."),
  'BR-FR-29': rule('BR-FR-29', "Les identifiants d'objet facturé (BT-18) de schéma AFL et AVV ne peuvent figurer qu'une fois chacun, et pas vides."),
  'BR-FR-30': rule('BR-FR-30', "Les identifiants d'objet facturé de la ligne (BT-128) de schéma AFL et AVV ne peuvent figurer qu'une fois chacun, et pas vides."),
  'BR-FR-31': rule('BR-FR-31', 'Une seule note BAR (B2B, B2BINT, B2C, OUTOFSCOPE ou ARCHIVEONLY) peut indiquer le traitement de la facture.'),
  'BR-FR-DEC-01': rule('BR-FR-DEC-01', 'Le montant doit être un nombre avec un point décimal, au plus 2 décimales et 19 caractères (signe « - » admis).'),
  'BR-FR-DEC-02': rule('BR-FR-DEC-02', 'La quantité doit être un nombre avec un point décimal, au plus 4 décimales et 19 caractères (signe « - » admis).'),
  'BR-FR-DEC-03': rule('BR-FR-DEC-03', 'Le prix doit être un nombre positif avec un point décimal, au plus 6 décimales et 19 caractères (négatif admis seulement en autofacturation bidirectionnelle, cadre S9, B9, M9).'),
  'BR-FR-DEC-04': rule('BR-FR-DEC-04', 'Le taux de TVA doit être un nombre positif avec un point décimal, au plus 2 décimales et 4 chiffres.'),
  'BR-FR-MV-01': rule('BR-FR-MV-01', 'Facture multi-vendeurs ou bidirectionnelle (cadre S8, B8, M8, S9, B9, M9) : le sous-type de ligne (GROUP, DETAIL, INFORMATION) ne peut pas être vide.'),
  'BR-FR-MV-02': rule('BR-FR-MV-02', 'Facture multi-vendeurs (cadre S8, B8, M8) : au moins une ligne GROUP sans ligne parent (une sous-facture) est obligatoire.'),
  'BR-FR-MV-03': rule('BR-FR-MV-03', 'Facture multi-vendeurs ou bidirectionnelle : chaque ligne GROUP sans parent doit indiquer son vendeur (nom, identifiant légal, pays), son montant de TVA et son numéro de sous-facture (AFL).'),
  'BR-FR-MV-05': rule('BR-FR-MV-05', 'Facture multi-vendeurs ou bidirectionnelle : le total HT de la ligne GROUP doit être la somme des totaux HT de ses sous-lignes (tolérance 0,01 par sous-ligne).'),
  'BR-FR-MV-06': rule('BR-FR-MV-06', 'Facture multi-vendeurs ou bidirectionnelle : chaque ligne doit indiquer l’identifiant légal de son vendeur, le même que celui de sa ligne parent.'),
  'BR-FR-MV-07': rule('BR-FR-MV-07', 'Facture multi-vendeurs ou bidirectionnelle : chaque ligne doit indiquer son numéro de sous-facture (AFL), le même que celui de sa ligne parent.'),
  'BR-FR-MV-08': rule('BR-FR-MV-08', 'Facture multi-vendeurs ou bidirectionnelle : le motif d’exonération de TVA de chaque ligne DETAIL doit commencer par son numéro de sous-facture entre # (#numéro#).'),
  'BR-FR-MV-09': rule('BR-FR-MV-09', 'Facture multi-vendeurs ou bidirectionnelle : la TVA de la ligne GROUP doit être la somme des ventilations de TVA (BT-117) de sa sous-facture (motif commençant par #numéro#).'),
  'BR-FR-MV-10': rule('BR-FR-MV-10', 'Facture multi-vendeurs ou bidirectionnelle : le total TTC de la ligne GROUP doit être son total HT plus sa TVA (tolérance 0,01 par sous-ligne).'),
  'BR-FR-MV-11': rule('BR-FR-MV-11', 'Facture multi-vendeurs ou bidirectionnelle : la sous-facture du vendeur principal doit porter le numéro de la facture (BT-1).'),
  'BR-FR-MV-12': rule('BR-FR-MV-12', 'Facture multi-vendeurs ou bidirectionnelle : chaque numéro de sous-facture (AFL) doit être unique.'),
  'BR-FR-MV-13': rule('BR-FR-MV-13', 'Facture multi-vendeurs (cadre S8, B8, M8) : le type de facture (BT-3) ne peut pas être un type d’autofacturation (389, 261, 501, 500, 502, 471, 473).'),
  'BR-FR-MV-14': rule('BR-FR-MV-14', 'Facture rectificative ou avoir multi-vendeurs : chaque ligne GROUP doit référencer la facture antérieure avec sa date.'),
  'BR-FR-BD-02': rule('BR-FR-BD-02', 'Autofacturation bidirectionnelle (cadre S9, B9, M9) : exactement deux lignes GROUP sans parent, l’une pour le vendeur (BT-30), l’autre pour l’acheteur (BT-47).'),
  'BR-FR-BD-13': rule('BR-FR-BD-13', 'Autofacturation bidirectionnelle (cadre S9, B9, M9) : le type de facture (BT-3) doit être un type d’autofacturation (389, 261, 501, 500, 502, 471, 473).'),
  'BR-FR-BD-14': rule('BR-FR-BD-14', 'Facture rectificative ou avoir en autofacturation bidirectionnelle : chaque ligne GROUP doit référencer la facture antérieure avec sa date.'),
  'BR-FR-25': rule('BR-FR-25', "L'adresse électronique ne doit pas dépasser 125 caractères."),
  'BR-FR-32': rule('BR-FR-32', 'Un identifiant de schéma 0002 (SIREN) doit compter exactement 9 chiffres.'),
  'BR-FR-CO-04': rule('BR-FR-CO-04', 'Une facture rectificative (384, 471, 472, 473) doit référencer une et une seule facture antérieure (BT-25) avec sa date (BT-26).'),
  'BR-FR-CO-05': rule('BR-FR-CO-05', 'Un avoir (261, 381, 396, 502, 503) doit référencer au moins une facture antérieure (BT-25) avec sa date (BT-26).'),
  'BR-FR-CO-07': rule('BR-FR-CO-07', "La date d'échéance (BT-9) doit être égale ou postérieure à la date de facture (BT-2), sauf pour un acompte (386, 500, 503) ou une facture déjà payée (cadre B2, S2, M2)."),
  'BR-FR-CO-08': rule('BR-FR-CO-08', "Avec un cadre de facturation B4, S4 ou M4 (facture définitive après acompte), le type de facture (BT-3) ne peut pas être un acompte (386, 500, 503)."),
  'BR-FR-CO-09': rule('BR-FR-CO-09', 'Facture déjà payée (cadre B2, S2 ou M2) :'),
  'BR-FR-CO-10': rule('BR-FR-CO-10', "Chaque schéma d'identification ne peut apparaître qu'une fois parmi les identifiants d'une même partie."),
  'BR-FR-CO-03': rule('BR-FR-CO-03', 'Un avoir de remise globale (type 262) doit indiquer le numéro de contrat (BT-12) et la période de facturation (BG-14, début et fin).'),
  'BR-FR-CO-14': rule('BR-FR-CO-14', "Vendeur membre d'un assujetti unique (identifiant de schéma 0231) : une note de code TXD au texte MEMBRE_ASSUJETTI_UNIQUE est obligatoire."),
  'BR-FR-CO-15': rule('BR-FR-CO-15', "Vendeur membre d'un assujetti unique (identifiant de schéma 0231) : le représentant fiscal (BG-11) avec le numéro de TVA de l'assujetti unique (BT-63) est obligatoire."),
  'BR-FR-CO-12': rule('BR-FR-CO-12', 'Facture dans une autre devise que l’euro : la devise de comptabilisation de la TVA (BT-6) doit être EUR et le montant de TVA dans cette devise (BT-111) doit être indiqué.'),
};

const TYPE_CODES = new Set(['380', '389', '393', '501', '386', '500', '384', '471', '472', '473', '261', '262', '381', '396', '502', '503']);
const FRAMEWORKS = new Set(['B1', 'S1', 'M1', 'B2', 'S2', 'M2', 'S3', 'B4', 'S4', 'M4', 'S5', 'S6', 'B7', 'S7', 'B8', 'S8', 'M8', 'B9', 'S9', 'M9']);
const CATEGORIES = new Set(['S', 'E', 'AE', 'K', 'G', 'O', 'Z']);
const RATES = ['0', '0.9', '1.05', '1.75', '2.1', '5.5', '7', '8.5', '9.2', '9.6', '10', '13', '19.6', '20', '20.6'].map((r) => new Decimal(r));
const ATTACHMENT_CODES = new Set(['RIB', 'LISIBLE', 'FEUILLE_DE_STYLE', 'PJA', 'BORDEREAU_SUIVI', 'DOCUMENT_ANNEXE', 'BON_LIVRAISON', 'BON_COMMANDE', 'BORDEREAU_SUIVI_VALIDATION', 'ETAT_ACOMPTE', 'FACTURE_PAIEMENT_DIRECT']);
const BAR_VALUES = new Set(['B2B', 'B2BINT', 'B2C', 'OUTOFSCOPE', 'ARCHIVEONLY']);
const CORRECTIVE = new Set(['384', '471', '472', '473']);
const CREDIT_NOTES = new Set(['261', '381', '396', '502', '503']);
const DOWN_PAYMENTS = new Set(['386', '500', '503']);
const PAID = new Set(['B2', 'S2', 'M2']);
const MANDATORY_NOTES: [string, string][] = [
  ['PMT', "l'indemnité forfaitaire pour frais de recouvrement (code PMT)"],
  ['PMD', 'les pénalités de retard (code PMD)'],
  ['AAB', "l'escompte ou son absence (code AAB)"],
];
const ONCE_NOTES = ['PMT', 'PMD', 'AAB', 'TXD'];
const INVOICE_NUMBER = /^[A-Za-z0-9+\-_/]+$/;
/** custom:is-valid-schemeid-format (BR-FR-23, 24), on the value as written. */
const ROUTING_FORMAT = /^[A-Za-z0-9+\-_.]+$/;
const SELF_BILLED = new Set(['389', '501', '500', '471', '473', '261', '502']);

const t = (s: string | undefined) => (s ?? '').trim();
const filled = (s: string | undefined) => t(s) !== '';
const value = (s: string | undefined) => `Valeur reçue : « ${s ?? ''} ».`;
const dec = (s: string | undefined) => (s !== undefined && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s.trim()) ? new Decimal(s.trim()) : null);
const isSiren = (s: string | undefined) => /^\d{9}$/.test(t(s));

function invoiceNumber(r: ModelReporter, n: string, term: string): void {
  r.check('BR-FR-01', [...n].length <= 35, term, value(n));
  r.check('BR-FR-02', INVOICE_NUMBER.test(n), term, value(n));
}

function year(r: ModelReporter, date: string | undefined, term: string): void {
  if (date === undefined) return;
  r.check('BR-FR-03', /^20\d\d-\d\d-\d\d$/.test(date.trim()), term, value(date));
}

function siret(r: ModelReporter, ids: Identifier[], legal: Identifier | undefined, term: string): void {
  const siren = legal && isSiren(legal.id) ? legal.id.trim() : undefined;
  for (const id of ids) {
    if (t(id.schemeId) !== '0009') continue;
    const v = t(id.id);
    r.check('BR-FR-09', /^\d{14}$/.test(v) && (!siren || v.startsWith(siren)), term, `SIRET « ${v} », SIREN « ${siren ?? ''} ».`);
  }
}

function category(r: ModelReporter, code: string | undefined, term: string): void {
  if (code === undefined) return;
  r.check('BR-FR-15', CATEGORIES.has(t(code)), term, value(code));
}

function rate(r: ModelReporter, v: string | undefined, term: string): void {
  if (v === undefined) return;
  const d = dec(v);
  r.check('BR-FR-16', d !== null && RATES.some((x) => x.equals(d)), term, value(v));
}

export const brFrRules: ModelRuleSet = {
  name: 'br-fr',
  texts: BR_FR_TEXTS,
  run(inv: Invoice, r: ModelReporter, ctx: ModelRuleContext) {
    // Numbers and dates.
    invoiceNumber(r, inv.number ?? '', 'BT-1');
    for (const p of inv.precedingInvoices) invoiceNumber(r, p.number, 'BT-25');
    year(r, inv.issueDate, 'BT-2');
    year(r, inv.taxPointDate, 'BT-7');
    year(r, inv.dueDate, 'BT-9');
    for (const p of inv.precedingInvoices) year(r, p.issueDate, 'BT-26');
    year(r, inv.delivery?.date, 'BT-72');
    year(r, inv.invoicingPeriod?.startDate, 'BT-73');
    year(r, inv.invoicingPeriod?.endDate, 'BT-74');
    const type = t(inv.typeCode);
    r.check('BR-FR-04', TYPE_CODES.has(type), 'BT-3', value(type));

    // Mandatory notes (payment terms mentions) and notes that may appear once.
    const subjects = inv.notes.map((n) => t(n.subjectCode));
    for (const [code, label] of MANDATORY_NOTES) r.check('BR-FR-05', subjects.includes(code), 'BT-22', `${label}.`);
    for (const code of ONCE_NOTES) r.check('BR-FR-06', subjects.filter((s) => s === code).length <= 1, 'BT-22', `code ${code}.`);
    const bar = inv.notes.filter((n) => t(n.subjectCode) === 'BAR').map((n) => t(n.text));
    for (const b of bar) r.check('BR-FR-20', BAR_VALUES.has(b), 'BT-22', value(b));
    const treatments = bar.filter((b) => BAR_VALUES.has(b));
    r.check('BR-FR-31', treatments.length <= 1, 'BT-22', `Valeurs : ${treatments.join(', ')}.`);

    // Billing framework.
    const framework = t(inv.businessProcessType);
    r.check('BR-FR-08', FRAMEWORKS.has(framework), 'BT-23', value(framework));

    // Parties: SIREN / SIRET, electronic addresses.
    siret(r, inv.seller.identifiers, inv.seller.legalRegistration, 'BT-29');
    siret(r, inv.buyer.identifiers, inv.buyer.legalRegistration, 'BT-46');
    if (inv.payee) siret(r, inv.payee.identifiers, inv.payee.legalRegistration, 'BT-60');
    r.check('BR-FR-10', isSiren(inv.seller.legalRegistration?.id), 'BT-30', value(inv.seller.legalRegistration?.id));
    if (bar.includes('B2B')) r.check('BR-FR-11', isSiren(inv.buyer.legalRegistration?.id), 'BT-47', value(inv.buyer.legalRegistration?.id));
    r.check('BR-FR-12', filled(inv.buyer.electronicAddress?.id), 'BT-49');
    r.check('BR-FR-13', filled(inv.seller.electronicAddress?.id), 'BT-34');
    for (const [a, term] of [[inv.seller.electronicAddress, 'BT-34'], [inv.buyer.electronicAddress, 'BT-49']] as const) {
      if (a) r.check('BR-FR-25', [...a.id].length <= 125, term);
    }
    for (const [a, term] of [[inv.seller.electronicAddress, 'BT-34'], [inv.buyer.electronicAddress, 'BT-49']] as const) {
      if (a && t(a.schemeId) === '0225') r.check('BR-FR-23', ROUTING_FORMAT.test(a.id), term, value(a.id));
    }
    for (const [ids, term] of [[inv.seller.identifiers, 'BT-29'], [inv.buyer.identifiers, 'BT-46']] as const) {
      for (const id of ids) {
        if (t(id.schemeId) !== '0224') continue;
        r.check('BR-FR-24', ROUTING_FORMAT.test(id.id), term, value(id.id));
        r.check('BR-FR-26', [...id.id].length <= 100, term, value(id.id));
      }
    }
    const legal: [Identifier | undefined, string][] = [
      [inv.seller.legalRegistration, 'BT-30'],
      [inv.buyer.legalRegistration, 'BT-47'],
      [inv.payee?.legalRegistration, 'BT-61'],
    ];
    for (const [id, term] of legal) if (id && t(id.schemeId) === '0002') r.check('BR-FR-32', isSiren(id.id), term, value(id.id));
    if (bar.includes('B2B')) {
      // The routing address starts with the SIREN of the party that receives the invoice.
      const [party, rule, term] = SELF_BILLED.has(type) ? ([inv.seller, 'BR-FR-22', 'BT-34'] as const) : ([inv.buyer, 'BR-FR-21', 'BT-49'] as const);
      const siren = t(party.legalRegistration?.id);
      const address = party.electronicAddress;
      const ok = !!address && t(address.schemeId) === '0225' && siren !== '' && t(address.id).startsWith(siren);
      r.check(rule, ok, term, `Adresse « ${address?.id ?? ''} » (schéma ${address?.schemeId ?? '—'}), SIREN « ${siren} ».`);
    }
    const parties: [Identifier[], string][] = [[inv.seller.identifiers, 'BT-29'], [inv.buyer.identifiers, 'BT-46'], [inv.payee?.identifiers ?? [], 'BT-60']];
    for (const [ids, term] of parties) {
      const schemes = ids.map((i) => t(i.schemeId)).filter((x) => x !== '');
      const dup = schemes.find((x, i) => schemes.indexOf(x) !== i);
      r.check('BR-FR-CO-10', dup === undefined, term, dup ? `Schéma répété : ${dup}.` : undefined);
    }

    // VAT categories and rates.
    for (const a of inv.allowances) category(r, a.vatCategoryCode, 'BT-95');
    for (const c of inv.charges) category(r, c.vatCategoryCode, 'BT-95');
    for (const v of inv.vatBreakdown) category(r, v.categoryCode, 'BT-118');
    for (const l of inv.lines) category(r, l.vat.categoryCode, 'BT-151');
    for (const a of [...inv.allowances, ...inv.charges]) rate(r, a.vatRate, 'BT-96');
    for (const v of inv.vatBreakdown) rate(r, v.rate, 'BT-119');
    for (const l of inv.lines) rate(r, l.vat.rate, 'BT-152');

    // Attachments.
    for (const d of inv.supportingDocuments) if (d.description !== undefined) r.check('BR-FR-17', ATTACHMENT_CODES.has(t(d.description)), 'BT-123', value(d.description));
    r.check('BR-FR-18', inv.supportingDocuments.filter((d) => t(d.description) === 'LISIBLE').length <= 1, 'BT-123');

    // Co-occurrences.
    const dated = inv.precedingInvoices.filter((p) => filled(p.number) && filled(p.issueDate)).length;
    if (CORRECTIVE.has(type)) r.check('BR-FR-CO-04', dated === 1, 'BT-25', `Références trouvées : ${dated}.`);
    if (CREDIT_NOTES.has(type)) r.check('BR-FR-CO-05', dated >= 1, 'BT-25');
    if (inv.dueDate && inv.issueDate && !DOWN_PAYMENTS.has(type) && !PAID.has(framework)) {
      r.check('BR-FR-CO-07', inv.dueDate >= inv.issueDate, 'BT-9', `Date de facture ${inv.issueDate}, échéance ${inv.dueDate}.`);
    }
    if (['B4', 'S4', 'M4'].includes(framework)) r.check('BR-FR-CO-08', !DOWN_PAYMENTS.has(type), 'BT-3', value(type));
    if (PAID.has(framework)) {
      const paid = dec(inv.totals.prepaidAmount);
      const total = dec(inv.totals.taxInclusiveAmount);
      const due = dec(inv.totals.payableAmount);
      r.check('BR-FR-CO-09', paid !== null && total !== null && paid.equals(total), 'BT-113', 'le montant déjà payé (BT-113) doit être égal au total TTC (BT-112).');
      r.check('BR-FR-CO-09', due !== null && due.isZero(), 'BT-115', 'le net à payer (BT-115) doit être égal à 0.');
      r.check('BR-FR-CO-09', filled(inv.dueDate), 'BT-9', "la date d'échéance (BT-9) doit indiquer la date du paiement.");
    }
    if (type === '262') {
      const p = inv.invoicingPeriod;
      r.check('BR-FR-CO-03', filled(inv.contractReference) && filled(p?.startDate) && filled(p?.endDate), 'BT-12', `Contrat « ${inv.contractReference ?? ''} », période ${p?.startDate ?? '?'} – ${p?.endDate ?? '?'}.`);
    }
    if (inv.seller.identifiers.some((i) => t(i.schemeId) === '0231')) {
      r.check('BR-FR-CO-14', inv.notes.some((n) => t(n.subjectCode) === 'TXD' && t(n.text) === 'MEMBRE_ASSUJETTI_UNIQUE'), 'BT-22');
      r.check('BR-FR-CO-15', filled(inv.taxRepresentative?.vatId), 'BG-11');
    }
    if (filled(inv.currency) && t(inv.currency) !== 'EUR') {
      r.check('BR-FR-CO-12', t(inv.vatAccountingCurrency) === 'EUR' && filled(inv.totals.vatTotalInAccountingCurrency), 'BT-6');
    }

    // Rules on the document itself: lexical formats, repeated identifiers, the CTC-FR line extension.
    if (ctx.doc) {
      brFrTreeRules(ctx.doc, r, framework);
      if (ctx.syntax === 'cii') multiVendorRules(ctx.doc, r, framework);
      else multiVendorRulesUbl(ctx.doc, r, framework);
    }
  },
};
