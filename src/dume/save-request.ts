import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { recordEvent } from '../history/index.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { buildRequest, EU_EXCLUSION_GROUNDS, type RequestSettings } from './build-request.ts';
import { companyOf, issueStamp } from './model.ts';
import { dumeNotFound, dumeStructure } from './permissions.ts';
import { findRequest, insertRequest, lockRequest, updateRequest } from './repository.ts';

const text = (label: string, max: number) => z.string({ message: `${label} est obligatoire.` }).trim().min(1, `${label} est obligatoire.`).max(max, `${label} ne doit pas dépasser ${max} caractères.`);
const optional = (max: number) => z.string().trim().max(max).nullable().optional().transform((v) => v || null);

export const requestInput = z.object({
  title: text('L’objet de la consultation', 300),
  description: optional(4000),
  fileReference: text('La référence du dossier', 100),
  procedureType: optional(50),
  publicationReference: optional(200),
  lots: z
    .array(z.object({ id: z.string().trim().max(20).optional(), title: text('L’intitulé du lot', 300) }))
    .max(50, 'Une procédure compte au plus 50 lots.')
    .default([])
    .transform((lots) => lots.map((l, i) => ({ id: l.id || String(i + 1), title: l.title }))),
  exclusionGrounds: z.array(z.string()).optional(),
  selection: z.array(z.object({ id: z.string(), requirements: z.record(z.string(), z.string()).optional() })).max(70).default([]),
  alpha: z.boolean().default(false),
  simplified: z.boolean().default(false),
});
export type RequestInput = z.input<typeof requestInput>;

function settingsOf(raw: RequestInput): RequestSettings {
  const input = parseInput(requestInput, raw);
  const ids = input.lots.map((l) => l.id);
  if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', { lots: 'Deux lots portent le même numéro.' });
  return { ...input, exclusionGrounds: input.exclusionGrounds ?? EU_EXCLUSION_GROUNDS };
}

function build(settings: RequestSettings, structure: Parameters<typeof companyOf>[0], identity: { uuid: string; issueDate: string; issueTime: string }) {
  const { request, problems } = buildRequest(settings, companyOf(structure), identity);
  if (Object.keys(problems).length) throw new AppError('VALIDATION', 'INVALID_INPUT', Object.values(problems)[0], problems);
  return request;
}

/** The buyer saves a new DUME request as a draft: procedure, lots, exclusion grounds, selection criteria. */
export async function createRequest(ctx: Ctx, actor: Actor, structureId: number, raw: RequestInput): Promise<{ requestId: number }> {
  const { structure } = await dumeStructure(ctx.db, actor, structureId, 'dume.edit');
  const settings = settingsOf(raw);
  const now = ctx.clock.now();
  const model = build(settings, structure, { uuid: randomUUID(), ...issueStamp(now) });
  return ctx.db.transaction().execute(async (trx) => {
    const { id } = await insertRequest(trx, {
      structure_id: structureId, status: 'BROUILLON', simplified: settings.simplified, title: settings.title, file_reference: settings.fileReference,
      procedure_type: settings.procedureType ?? null, settings, model, created_by: actor.userId, created_at: now, updated_at: now,
    });
    await recordEvent(trx, { stream: `dume-request:${id}`, type: 'DUME_REQUEST_CREATED', actorUserId: actor.userId, data: { structureId, title: settings.title } });
    return { requestId: id };
  });
}

/** The buyer changes a draft request (the whole request is sent again). */
export async function updateRequestDraft(ctx: Ctx, actor: Actor, requestId: number, raw: RequestInput): Promise<void> {
  const current = await findRequest(ctx.db, requestId);
  if (!current) throw dumeNotFound('DUME acheteur');
  const { structure } = await dumeStructure(ctx.db, actor, current.structure_id, 'dume.edit');
  if (current.status !== 'BROUILLON') throw new AppError('CONFLICT', 'DUME_PUBLISHED', 'Ce DUME est publié : il ne peut plus être modifié.');
  const settings = settingsOf(raw);
  const now = ctx.clock.now();
  const model = build(settings, structure, { uuid: current.model.uuid ?? randomUUID(), ...issueStamp(now) });
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockRequest(trx, requestId);
    if (locked?.status !== 'BROUILLON') throw new AppError('CONFLICT', 'DUME_PUBLISHED', 'Ce DUME est publié : il ne peut plus être modifié.');
    await updateRequest(trx, requestId, { simplified: settings.simplified, title: settings.title, file_reference: settings.fileReference, procedure_type: settings.procedureType ?? null, settings, model, updated_at: now });
    await recordEvent(trx, { stream: `dume-request:${requestId}`, type: 'DUME_REQUEST_UPDATED', actorUserId: actor.userId });
  });
}
