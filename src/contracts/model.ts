import { z } from 'zod';
import { normalizeAmountInput, toTwoDecimals } from '../shared/money.ts';

/**
 * A public contract (marché) and its parties. Pure: the roles, the input, the ranks of the subcontractors
 * and who validates whose invoices (chorus-pro.md §2.7).
 *
 * Other circuits extend PARTY_ROLES (works: MOE, MOA) and add their own tables referencing contracts(id).
 */
export const PARTY_ROLES = ['TITULAIRE', 'MANDATAIRE', 'COTRAITANT', 'SOUS_TRAITANT'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];
export const PARTY_ROLE_LABELS: Record<PartyRole, string> = {
  TITULAIRE: 'Titulaire',
  MANDATAIRE: 'Mandataire du groupement',
  COTRAITANT: 'Cotraitant',
  SOUS_TRAITANT: 'Sous-traitant',
};
export const GROUPEMENT_KINDS = ['CONJOINT', 'SOLIDAIRE'] as const;
export type GroupementKind = (typeof GROUPEMENT_KINDS)[number];
export const GROUPEMENT_LABELS: Record<GroupementKind, string> = { CONJOINT: 'Groupement conjoint', SOLIDAIRE: 'Groupement solidaire' };

const siret = (label: string) =>
  z.string({ message: `${label} est obligatoire.` }).trim().transform((s) => s.replace(/\s/g, '')).pipe(z.string().min(1, `${label} est obligatoire.`).max(20, `${label} : 20 caractères au plus.`));
const amount = z
  .union([z.string(), z.number()])
  .nullable()
  .optional()
  .transform((v, c) => {
    if (v === null || v === undefined || v === '') return null;
    const n = normalizeAmountInput(String(v));
    if (n === null) {
      c.addIssue({ code: 'custom', message: 'Le montant accepté doit être un montant en euros (ex. 12500,00).' });
      return z.NEVER;
    }
    return toTwoDecimals(n);
  });

export const contractInput = z.object({
  number: z.string({ message: 'Le numéro du marché est obligatoire.' }).trim().min(1, 'Le numéro du marché est obligatoire.').max(50, 'Le numéro du marché ne doit pas dépasser 50 caractères.'),
  subject: z.string({ message: "L'objet du marché est obligatoire." }).trim().min(1, "L'objet du marché est obligatoire.").max(300, "L'objet du marché ne doit pas dépasser 300 caractères."),
  buyerSiret: siret("Le SIRET de l'acheteur"),
  serviceCode: z.string().trim().max(100).nullable().optional().transform((v) => v || null),
  ejNumbers: z.array(z.string().trim().min(1).max(50, "Un numéro d'engagement ne doit pas dépasser 50 caractères.")).max(50).default([]),
  groupementKind: z.enum(GROUPEMENT_KINDS, { message: 'Le type de groupement doit être CONJOINT ou SOLIDAIRE.' }).nullable().optional().transform((v) => v ?? null),
  /** The sole titulaire, or the mandataire of the groupement. */
  titulaireSiret: siret('Le SIRET du titulaire (ou du mandataire)'),
  coContractors: z.array(z.object({ siret: siret('Le SIRET du cotraitant') })).max(50).default([]),
  subcontractors: z
    .array(z.object({
      siret: siret('Le SIRET du sous-traitant'),
      directPayment: z.boolean().default(false),
      acceptedAmount: amount,
      /** The party that subcontracted it: the titulaire (mandataire), a co-traitant or another subcontractor. */
      subcontractedBySiret: siret('Le SIRET de celui qui sous-traite'),
    }))
    .max(100)
    .default([]),
  /** Amendments: what the avenant changes (kept in the history). */
  summary: z.string().trim().max(500, 'Le motif de l’avenant ne doit pas dépasser 500 caractères.').nullable().optional().transform((v) => v || null),
});
export type ContractInput = z.input<typeof contractInput>;
export type ParsedContractInput = z.infer<typeof contractInput>;

/** A party as resolved: its structure and role; subcontractors carry rank and who subcontracted them. */
export interface PartyPlan {
  structureId: number;
  siret: string;
  role: PartyRole;
  directPayment: boolean;
  rank: number | null;
  acceptedAmount: string | null;
  subcontractedBySiret: string | null;
}

/**
 * The parties of a contract from its input, with each subcontractor's rank (1 when subcontracted by the
 * titulaire, the mandataire or a co-traitant; one more than its parent otherwise). French field errors
 * for unknown parents, cycles, duplicates, direct payment beyond the first rank, missing accepted amounts.
 */
export function planParties(input: ParsedContractInput, structureIdOf: (siret: string) => number | undefined): { parties: PartyPlan[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const parties: PartyPlan[] = [];
  const seen = new Set<string>();
  const add = (p: Omit<PartyPlan, 'structureId'>, field: string) => {
    const id = structureIdOf(p.siret);
    if (id === undefined) {
      errors[field] = `Aucune structure de SIRET ${p.siret} n'est inscrite sur la plateforme.`;
      return;
    }
    if (seen.has(p.siret)) {
      errors[field] = `La structure de SIRET ${p.siret} figure deux fois sur le marché.`;
      return;
    }
    seen.add(p.siret);
    parties.push({ ...p, structureId: id });
  };
  const mainRole: PartyRole = input.groupementKind ? 'MANDATAIRE' : 'TITULAIRE';
  add({ siret: input.titulaireSiret, role: mainRole, directPayment: false, rank: null, acceptedAmount: null, subcontractedBySiret: null }, 'titulaireSiret');
  if (!input.groupementKind && input.coContractors.length) errors.coContractors = 'Des cotraitants supposent un groupement : choisissez groupement conjoint ou solidaire.';
  input.coContractors.forEach((c, i) => add({ siret: c.siret, role: 'COTRAITANT', directPayment: false, rank: null, acceptedAmount: null, subcontractedBySiret: null }, `coContractors.${i}.siret`));

  const subs = input.subcontractors;
  const rankOf = new Map<string, number>();
  const mainSirets = new Set([input.titulaireSiret, ...input.coContractors.map((c) => c.siret)]);
  // Ranks are resolved parent first, whatever the order of the list; a cycle never resolves.
  for (let pass = 0; pass <= subs.length; pass++)
    for (const s of subs) {
      if (rankOf.has(s.siret)) continue;
      if (mainSirets.has(s.subcontractedBySiret)) rankOf.set(s.siret, 1);
      else if (rankOf.has(s.subcontractedBySiret)) rankOf.set(s.siret, rankOf.get(s.subcontractedBySiret)! + 1);
    }
  subs.forEach((s, i) => {
    const field = `subcontractors.${i}`;
    const rank = rankOf.get(s.siret);
    if (s.subcontractedBySiret === s.siret) errors[`${field}.subcontractedBySiret`] = 'Un sous-traitant ne peut pas se sous-traiter lui-même.';
    else if (rank === undefined)
      errors[`${field}.subcontractedBySiret`] = `Le SIRET ${s.subcontractedBySiret} n'est ni le titulaire, ni un cotraitant, ni un sous-traitant déclaré du marché.`;
    if (s.directPayment && rank !== undefined && rank > 1) errors[`${field}.directPayment`] = 'Seuls les sous-traitants de premier rang bénéficient du paiement direct.';
    if (s.directPayment && s.acceptedAmount === null) errors[`${field}.acceptedAmount`] = "Le montant accepté par l'acte spécial est obligatoire pour un sous-traitant en paiement direct.";
    add({ siret: s.siret, role: 'SOUS_TRAITANT', directPayment: s.directPayment, rank: rank ?? null, acceptedAmount: s.acceptedAmount, subcontractedBySiret: s.subcontractedBySiret }, `${field}.siret`);
  });
  return { parties, errors };
}

/** A party as stored, for the designation of validators. */
export interface ContractParty {
  id: number;
  structureId: number;
  role: string;
  directPayment: boolean;
  rank: number | null;
  acceptedAmount: string | null;
  subcontractedByPartyId: number | null;
}

export type ValidatorDesignation =
  | { ok: true; validators: number[]; depositor: ContractParty }
  | { ok: false; message: string };

/**
 * Who validates an invoice of `depositorStructureId` on this contract (chorus-pro.md §2.7):
 * - A9, a first-rank subcontractor paid directly: the party that subcontracted it; when that is a
 *   co-traitant, the co-traitant first, then the mandataire (two levels);
 * - A12, a co-traitant: the mandataire.
 * Returns the validators' structure ids in level order, or a French refusal.
 */
export function designateValidators(parties: ContractParty[], depositorStructureId: number, kind: 'SOUS_TRAITANCE' | 'COTRAITANCE'): ValidatorDesignation {
  const depositor = parties.find((p) => p.structureId === depositorStructureId);
  const mandataire = parties.find((p) => p.role === 'MANDATAIRE' || p.role === 'TITULAIRE');
  if (kind === 'COTRAITANCE') {
    if (!depositor || depositor.role !== 'COTRAITANT') return { ok: false, message: "Votre structure n'est pas déclarée cotraitante sur ce marché." };
    if (!mandataire || mandataire.role !== 'MANDATAIRE') return { ok: false, message: "Ce marché n'a pas de mandataire de groupement." };
    return { ok: true, validators: [mandataire.structureId], depositor };
  }
  if (!depositor || depositor.role !== 'SOUS_TRAITANT') return { ok: false, message: "Votre structure n'est pas déclarée sous-traitante sur ce marché." };
  if (!depositor.directPayment) return { ok: false, message: "Votre structure est déclarée sous-traitante sans paiement direct : facturez celui qui vous a sous-traité." };
  if (depositor.rank !== 1) return { ok: false, message: 'Seuls les sous-traitants de premier rang bénéficient du paiement direct.' };
  const parent = parties.find((p) => p.id === depositor.subcontractedByPartyId);
  if (!parent) return { ok: false, message: "Le marché ne dit pas qui vous a sous-traité." };
  if (parent.role === 'COTRAITANT') {
    if (!mandataire) return { ok: false, message: "Ce marché n'a pas de mandataire de groupement." };
    return { ok: true, validators: [parent.structureId, mandataire.structureId], depositor };
  }
  return { ok: true, validators: [parent.structureId], depositor };
}
