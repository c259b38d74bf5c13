import { z } from 'zod';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { isValidSiret } from '../shared/identifiers.ts';
import { normalizeAmountInput } from '../shared/money.ts';
import { ENGAGEMENT_NUMBER, ENGAGEMENT_STATES } from './engagements-model.ts';
import { findSiretStructure } from './engagements-repository.ts';
import { findServiceByCode } from './services-repository.ts';

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

/** The fields of an engagement, all optional: creation requires the number on top. */
export const engagementFields = z.object({
  number: z
    .string({ message: "Le numéro d'engagement est obligatoire." })
    .trim()
    .regex(ENGAGEMENT_NUMBER, "Le numéro d'engagement comporte de 1 à 50 caractères : lettres, chiffres, tiret, souligné, point ou barre oblique.")
    .optional(),
  state: z.enum(ENGAGEMENT_STATES, { message: "L'état est A_TRAITER, COMMANDE, CLOTURE ou ANNULE." }).optional(),
  // A decimal text, never a JS number: floats cannot carry every amount exactly.
  amount: z.preprocess(
    blankToNull,
    z
      .string({ message: 'Le montant est un texte décimal (ex. "48500.00").' })
      .transform((s, c) => normalizeAmountInput(s) ?? (c.addIssue({ code: 'custom', message: 'Le montant doit être un nombre positif avec au plus 2 décimales (ex. 48500.00).' }), z.NEVER))
      .nullish(),
  ),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'La devise est un code ISO 4217 sur 3 lettres (ex. EUR).').optional(),
  serviceCode: z.preprocess(blankToNull, z.string().trim().max(100, 'Code service trop long.').nullish()),
  supplierSiret: z.preprocess(
    (v) => (typeof v === 'string' ? blankToNull(v.replace(/\s+/g, '')) : v),
    z.string().refine(isValidSiret, "Le SIRET du fournisseur n'est pas valide (14 chiffres, clé de contrôle).").nullish(),
  ),
  subject: z.preprocess(blankToNull, z.string().trim().max(500, "L'objet ne doit pas dépasser 500 caractères.").nullish()),
});
export type EngagementFields = z.input<typeof engagementFields>;

/** Turns the service code and the supplier SIRET into ids (undefined: unchanged, null: none). */
export async function resolveReferences(db: Executor, structureId: number, input: { serviceCode?: string | null; supplierSiret?: string | null }) {
  const fields: Record<string, string> = {};
  let serviceId: number | null | undefined = input.serviceCode === null ? null : undefined;
  let supplierStructureId: number | null | undefined = input.supplierSiret === null ? null : undefined;
  if (input.serviceCode) {
    const service = await findServiceByCode(db, structureId, input.serviceCode);
    if (service) serviceId = service.id;
    else fields.serviceCode = "Aucun service n'a ce code dans la structure.";
  }
  if (input.supplierSiret) {
    const supplier = await findSiretStructure(db, input.supplierSiret);
    if (supplier) supplierStructureId = supplier.id;
    else fields.supplierSiret = "Aucune structure n'est inscrite avec ce SIRET.";
  }
  if (Object.keys(fields).length) throw new AppError('VALIDATION', 'INVALID_REFERENCE', 'Certains champs sont invalides.', fields);
  return { serviceId, supplierStructureId };
}

export const engagementExists = (number: string) =>
  new AppError('CONFLICT', 'ENGAGEMENT_EXISTS', `L'engagement n° ${number} existe déjà dans cette structure.`, { number: "Ce numéro d'engagement est déjà utilisé." });
