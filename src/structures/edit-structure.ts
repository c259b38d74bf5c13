import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { email, parseInput, requiredText } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { STRUCTURE_PARAMETERS } from './model.ts';
import { structureFor } from './structure-access.ts';
import { updateStructureColumns } from './structure-edits-repository.ts';

/** Empty text clears the column. */
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} ne doit pas dépasser ${max} caractères.`)
    .transform((s) => s || null)
    .nullish();

/** Parameter of the API ↔ column; the last one is the portal's own "double authentification obligatoire". */
export const PARAMETER_COLUMNS = [
  ...STRUCTURE_PARAMETERS.map((p) => ({ api: p.api, key: p.key, label: p.label as string, publicOnly: true })),
  { api: 'doubleAuthentificationObligatoire', key: 'totp_required', label: 'La double authentification est obligatoire pour les utilisateurs', publicOnly: false },
] as const;
type ParameterName = (typeof PARAMETER_COLUMNS)[number]['api'];
type ParameterColumn = (typeof PARAMETER_COLUMNS)[number]['key'];

export const editStructureInput = z.object({
  name: requiredText('La raison sociale', 200).optional(),
  addressLine: optionalText("L'adresse", 200),
  postcode: optionalText('Le code postal', 20),
  city: optionalText('La ville', 100),
  contactEmail: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), email().nullish()),
  status: z.enum(['ACTIVE', 'INACTIVE'], { message: 'Le statut est ACTIVE ou INACTIVE.' }).optional(),
  parameters: z
    .object(Object.fromEntries(PARAMETER_COLUMNS.map((p) => [p.api, z.boolean({ message: 'Valeur oui/non attendue.' }).optional()])) as Record<ParameterName, z.ZodOptional<z.ZodBoolean>>)
    .optional(),
});
export type EditStructureInput = z.input<typeof editStructureInput>;

const IDENTITY_COLUMNS = { name: 'name', addressLine: 'address_line', postcode: 'postcode', city: 'city', contactEmail: 'contact_email', status: 'status' } as const;

/**
 * The principal manager edits the structure: identity and address ('structure.edit') and/or the invoicing
 * parameters ('structure.parameters.edit'). Only what is given changes; each part leaves a history event.
 */
export async function editStructure(ctx: Ctx, actor: Actor, structureId: number, raw: EditStructureInput): Promise<void> {
  const input = parseInput(editStructureInput, raw);
  const identityKeys = (Object.keys(IDENTITY_COLUMNS) as Array<keyof typeof IDENTITY_COLUMNS>).filter((k) => input[k] !== undefined);
  const { structure } = await structureFor(ctx, actor, structureId, input.parameters && identityKeys.length === 0 ? 'structure.parameters.edit' : 'structure.edit');
  if (input.parameters && identityKeys.length > 0) await structureFor(ctx, actor, structureId, 'structure.parameters.edit');

  const identityChanges: Record<string, { from: unknown; to: unknown }> = {};
  const columns: Record<string, unknown> = {};
  for (const k of identityKeys) {
    const column = IDENTITY_COLUMNS[k];
    if (structure[column] !== input[k]) {
      identityChanges[k] = { from: structure[column], to: input[k] };
      columns[column] = input[k];
    }
  }

  const parameterChanges: Record<string, { from: boolean; to: boolean }> = {};
  if (input.parameters) {
    const next = Object.fromEntries(PARAMETER_COLUMNS.map((p) => [p.key, input.parameters![p.api] ?? structure[p.key]])) as Record<ParameterColumn, boolean>;
    checkParameters(structure.kind, next);
    for (const p of PARAMETER_COLUMNS)
      if (next[p.key] !== structure[p.key]) {
        parameterChanges[p.api] = { from: structure[p.key], to: next[p.key] };
        columns[p.key] = next[p.key];
      }
  }
  if (Object.keys(columns).length === 0) return;

  await ctx.db.transaction().execute(async (trx) => {
    await updateStructureColumns(trx, structureId, columns, ctx.clock.now());
    const stream = `structure:${structureId}`;
    if (Object.keys(identityChanges).length) await recordEvent(trx, { stream, type: 'STRUCTURE_EDITED', actorUserId: actor.userId, data: { changes: identityChanges } });
    if (Object.keys(parameterChanges).length) await recordEvent(trx, { stream, type: 'STRUCTURE_PARAMETERS_EDITED', actorUserId: actor.userId, data: { changes: parameterChanges } });
  });
}

function checkParameters(kind: 'PRIVEE' | 'PUBLIQUE', p: Record<ParameterColumn, boolean>): void {
  const fields: Record<string, string> = {};
  if (kind === 'PRIVEE')
    for (const def of PARAMETER_COLUMNS)
      if (def.publicOnly && p[def.key]) fields[`parameters.${def.api}`] = 'Ce paramètre ne concerne que les structures publiques (destinataires de factures).';
  if (p.est_moa_uniquement && !p.est_moa)
    fields['parameters.estMOAUniquement'] = "Un maître d'ouvrage ne peut intervenir toujours que si l'intervention d'un maître d'ouvrage est activée.";
  if (Object.keys(fields).length) throw new AppError('VALIDATION', 'INVALID_PARAMETERS', 'Certains paramètres sont incohérents.', fields);
}
