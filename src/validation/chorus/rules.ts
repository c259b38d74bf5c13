import { Decimal } from 'decimal.js';
import type { Identifier, Invoice } from '../../formats/model.ts';
import type { ModelRuleSet, ModelRuleText } from '../model-rules.ts';

/**
 * The checks Chorus Pro applies to an invoice before accepting its deposit (chorus-pro.md §1.4 and §5),
 * written as a pure rule set on the EN 16931 model. The recipient's directory parameters (service code,
 * legal commitment) come in as `recipientRequirements`: no database here.
 *
 * Chorus Pro does not publish these checks as Schematron (its BR-FR-CPRO set is announced, not released), so
 * the ids are ours (`CPRO-*`) and each rule is proven by a failing and a passing case in
 * test/validation/chorus-rules.test.ts.
 */

const fatal = (message: string, messageFr: string): ModelRuleText => ({ flag: 'fatal', message, messageFr });

export const CHORUS_TEXTS = {
  'CPRO-01': fatal(
    'The Buyer (BT-46 or BT-47) shall be identified by a SIRET, scheme 0009.',
    "Le SIRET du destinataire est obligatoire : Chorus Pro identifie l'acheteur public par son SIRET (identifiant légal BT-47 ou identifiant BT-46, schéma 0009).",
  ),
  'CPRO-02': fatal(
    'A Buyer identifier with scheme 0009 (SIRET) shall be 14 digits with a valid check digit.',
    "Le SIRET du destinataire n'est pas valide : il doit compter 14 chiffres et sa clé de contrôle doit être juste.",
  ),
  'CPRO-03': fatal(
    'A Seller identifier with scheme 0009 (SIRET) shall be 14 digits with a valid check digit.',
    "Le SIRET du fournisseur n'est pas valide : il doit compter 14 chiffres et sa clé de contrôle doit être juste.",
  ),
  'CPRO-04': fatal(
    'The Buyer reference (BT-10, service code) is mandatory for this recipient.',
    'Le code service du destinataire est obligatoire pour cet acheteur (référence acheteur, BT-10).',
  ),
  'CPRO-05': fatal(
    'The Purchase order reference (BT-13, legal commitment) is mandatory for this recipient.',
    "Le numéro d'engagement juridique (bon de commande, BT-13) est obligatoire pour cet acheteur.",
  ),
  'CPRO-06': fatal(
    'Either the Purchase order reference (BT-13) or the Buyer reference (BT-10) is mandatory for this recipient.',
    "Le numéro d'engagement juridique (BT-13) ou le code service (BT-10) est obligatoire pour cet acheteur : renseignez l'un des deux.",
  ),
  'CPRO-07': fatal(
    'The Buyer reference (BT-10) shall be an active service code of the recipient.',
    "Le code service (BT-10) n'existe pas ou n'est pas actif chez ce destinataire.",
  ),
  'CPRO-08': fatal(
    'The Invoice number (BT-1) shall have at most 20 characters.',
    'Le numéro de facture (BT-1) ne doit pas dépasser 20 caractères pour Chorus Pro.',
  ),
  'CPRO-09': fatal(
    'The Invoice number (BT-1) shall only contain letters, digits and the characters - _ / +.',
    'Le numéro de facture (BT-1) ne peut contenir que des lettres sans accent, des chiffres et les caractères - _ / +.',
  ),
  'CPRO-10': fatal(
    'The Purchase order reference (BT-13) shall have at most 50 characters.',
    "Le numéro d'engagement juridique (BT-13) ne doit pas dépasser 50 caractères.",
  ),
  'CPRO-11': fatal(
    'Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).',
    'Les montants ne sont pas cohérents : le total TTC (BT-112) doit être égal au total HT (BT-109) plus le total de TVA (BT-110).',
  ),
  'CPRO-12': fatal(
    'Invoice total amount without VAT (BT-109) = Sum of line net amounts (BT-106) − allowances (BT-107) + charges (BT-108).',
    'Les montants ne sont pas cohérents : le total HT (BT-109) doit être égal à la somme des lignes (BT-106) moins les remises (BT-107) plus les frais (BT-108).',
  ),
  'CPRO-13': fatal(
    'Amount due for payment (BT-115) = Invoice total with VAT (BT-112) − Paid amount (BT-113) + Rounding amount (BT-114).',
    'Les montants ne sont pas cohérents : le net à payer (BT-115) doit être égal au total TTC (BT-112) moins le montant déjà payé (BT-113) plus l’arrondi (BT-114).',
  ),
  'CPRO-14': fatal(
    'Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).',
    'Les montants ne sont pas cohérents : la somme des montants nets des lignes (BT-106) doit être égale au total des lignes (BT-131).',
  ),
  'CPRO-15': fatal(
    'Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).',
    'Les montants ne sont pas cohérents : le total de TVA (BT-110) doit être égal à la somme des montants de TVA par taux (BT-117).',
  ),
} as const satisfies Record<string, ModelRuleText>;

export type ChorusRuleId = keyof typeof CHORUS_TEXTS;

const SIRET_SCHEME = '0009';
const NUMBER_CHARS = /^[A-Za-z0-9\-_/+]*$/;

/** SIRET: 14 digits and the Luhn key (La Poste's establishments, SIREN 356000000, use a digit sum multiple of 5). */
export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (value.startsWith('356000000')) {
    let s = 0;
    for (const c of value) s += Number(c);
    return s % 5 === 0;
  }
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(value[13 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const dec = (s: string | undefined): Decimal | null => {
  if (s === undefined || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s.trim())) return null;
  return new Decimal(s.trim());
};
const orZero = (s: string | undefined) => dec(s) ?? new Decimal(0);
const filled = (s: string | undefined) => s !== undefined && s.trim() !== '';

function sirets(ids: (Identifier | undefined)[]): Identifier[] {
  return ids.filter((i): i is Identifier => !!i && i.schemeId?.trim() === SIRET_SCHEME);
}

export const chorusRules: ModelRuleSet = {
  name: 'chorus',
  texts: CHORUS_TEXTS,
  run(inv, r, ctx) {
    // Identification of the public buyer by its SIRET.
    const buyerSirets = sirets([inv.buyer.legalRegistration, ...inv.buyer.identifiers]);
    if (buyerSirets.length === 0) r.fail('CPRO-01', 'BT-47');
    for (const s of buyerSirets) {
      const term = s === inv.buyer.legalRegistration ? 'BT-47' : 'BT-46';
      r.check('CPRO-02', isValidSiret(s.id.trim()), term, `Valeur reçue : « ${s.id} ».`);
    }
    for (const s of sirets([inv.seller.legalRegistration, ...inv.seller.identifiers])) {
      const term = s === inv.seller.legalRegistration ? 'BT-30' : 'BT-29';
      r.check('CPRO-03', isValidSiret(s.id.trim()), term, `Valeur reçue : « ${s.id} ».`);
    }

    // The recipient's parameters: service code, legal commitment.
    const req = ctx.recipientRequirements ?? {};
    const hasService = filled(inv.buyerReference);
    const hasEj = filled(inv.purchaseOrderReference);
    if (req.serviceCode && !hasService) r.fail('CPRO-04', 'BT-10');
    if (hasService && req.services) {
      const code = inv.buyerReference!.trim();
      const service = req.services.find((s) => s.code === code && s.active !== false);
      if (!service) r.fail('CPRO-07', 'BT-10', `Valeur reçue : « ${code} ».`);
      else if (service.ej && !hasEj && !req.ej) r.fail('CPRO-05', 'BT-13', `(exigé par le service « ${code} »)`);
    }
    if (req.ej && !hasEj) r.fail('CPRO-05', 'BT-13');
    if (req.ejOrServiceCode && !req.serviceCode && !req.ej && !hasService && !hasEj) r.fail('CPRO-06', 'BT-13');
    if (hasEj) r.check('CPRO-10', [...inv.purchaseOrderReference!.trim()].length <= 50, 'BT-13');

    // The invoice number.
    const number = inv.number ?? '';
    r.check('CPRO-08', [...number].length <= 20, 'BT-1', `Valeur reçue : « ${number} » (${[...number].length} caractères).`);
    r.check('CPRO-09', NUMBER_CHARS.test(number), 'BT-1', `Valeur reçue : « ${number} ».`);

    // Amounts consistent (exact decimal arithmetic).
    const t = inv.totals;
    const b109 = dec(t.taxExclusiveAmount);
    const b112 = dec(t.taxInclusiveAmount);
    const b115 = dec(t.payableAmount);
    if (b109 && b112) r.check('CPRO-11', b109.plus(orZero(t.vatTotal)).equals(b112), 'BT-112');
    const b106 = dec(t.lineNetTotal);
    if (b106 && b109) r.check('CPRO-12', b106.minus(orZero(t.allowanceTotal)).plus(orZero(t.chargeTotal)).equals(b109), 'BT-109');
    if (b112 && b115) r.check('CPRO-13', b112.minus(orZero(t.prepaidAmount)).plus(orZero(t.roundingAmount)).equals(b115), 'BT-115');
    if (b106 && inv.lines.length > 0) {
      let sum = new Decimal(0);
      for (const l of inv.lines) sum = sum.plus(orZero(l.netAmount));
      r.check('CPRO-14', sum.equals(b106), 'BT-106');
    }
    if (inv.vatBreakdown.length > 0 && t.vatTotal !== undefined) {
      let sum = new Decimal(0);
      for (const v of inv.vatBreakdown) sum = sum.plus(orZero(v.taxAmount));
      r.check('CPRO-15', sum.equals(orZero(t.vatTotal)), 'BT-110');
    }
  },
};
