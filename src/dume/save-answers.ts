import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { AppError } from '../shared/app-error.ts';
import { applyAnswers } from './answers.ts';
import { checkCompleteness, type CompletenessIssue } from './completeness.ts';
import { dumeNotFound, dumeStructure } from './permissions.ts';
import { findRequest, findResponse, lockResponse, updateResponse } from './repository.ts';
import { responseColumns } from './start-response.ts';

const closed = () => new AppError('CONFLICT', 'DUME_FINALISED', 'Ce DUME est finalisé : il ne peut plus être modifié. Réutilisez-le pour en créer un nouveau.');

async function editable(ctx: Ctx, actor: Actor, responseId: number) {
  const r = await findResponse(ctx.db, responseId);
  if (!r) throw dumeNotFound('DUME opérateur économique');
  await dumeStructure(ctx.db, actor, r.structure_id, 'dume.edit');
  if (r.status !== 'BROUILLON') throw closed();
  return r;
}

/**
 * The company records answers (question id → text). Valid answers are saved even when others are
 * wrong; the problems and what is still missing against the request come back in French.
 */
export async function saveAnswers(ctx: Ctx, actor: Actor, responseId: number, answers: Record<string, string>): Promise<{ problems: Record<string, string>; missing: CompletenessIssue[] }> {
  const r = await editable(ctx, actor, responseId);
  const model = r.model;
  const problems = applyAnswers(model, answers);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockResponse(trx, responseId);
    if (locked?.status !== 'BROUILLON') throw closed();
    await updateResponse(trx, responseId, { model, ...responseColumns(model), updated_at: now });
    await recordEvent(trx, { stream: `dume-response:${responseId}`, type: 'DUME_RESPONSE_ANSWERED', actorUserId: actor.userId, data: { answers: Object.keys(answers).length } });
  });
  const request = r.request_id ? await findRequest(ctx.db, r.request_id) : undefined;
  return { problems, missing: request ? checkCompleteness(model, request.model) : [] };
}

/** The company finalises a complete response: the buyer may then read it. */
export async function finaliseResponse(ctx: Ctx, actor: Actor, responseId: number): Promise<void> {
  const r = await editable(ctx, actor, responseId);
  const request = r.request_id ? await findRequest(ctx.db, r.request_id) : undefined;
  const missing = request ? checkCompleteness(r.model, request.model) : [];
  if (missing.length) {
    throw new AppError('VALIDATION', 'DUME_INCOMPLETE', `Le DUME est incomplet : ${missing.length} réponse${missing.length > 1 ? 's manquent' : ' manque'}. ${missing[0].message}`,
      Object.fromEntries(missing.map((m, i) => [m.propertyId ? `q-${m.propertyId}` : `manque-${i}`, m.message])));
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockResponse(trx, responseId);
    if (locked?.status !== 'BROUILLON') throw closed();
    await updateResponse(trx, responseId, { status: 'FINALISEE', finalised_at: now, updated_at: now });
    await recordEvent(trx, { stream: `dume-response:${responseId}`, type: 'DUME_RESPONSE_FINALISED', actorUserId: actor.userId });
  });
}

const optionalText = (max: number) => z.string().trim().max(max, `Ce champ ne doit pas dépasser ${max} caractères.`).optional().transform((v) => v || undefined);
export const operatorInput = z.object({
  /** 2.1.1 EOIndustryClassificationCode */
  size: z.enum(['MICRO', 'SMALL', 'MEDIUM', 'LARGE', ''], { message: 'Taille d’entreprise inconnue.' }).optional(),
  contact: z.object({ name: optionalText(200), email: optionalText(254), telephone: optionalText(50) }).optional(),
  representatives: z
    .array(z.object({
      firstName: optionalText(100), familyName: optionalText(100), jobTitle: optionalText(200),
      birthDate: z.string().trim().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'La date de naissance est au format AAAA-MM-JJ.').optional().transform((v) => v || undefined),
      birthplaceName: optionalText(200), extent: optionalText(1000),
    }))
    .max(10, 'Au plus 10 représentants.')
    .optional(),
});
export type OperatorInput = z.input<typeof operatorInput>;

/**
 * The company part the questions do not carry (Part II-A and II-B): size, contact and the
 * representatives with their powers. What is not sent is left as it is.
 */
export async function saveOperator(ctx: Ctx, actor: Actor, responseId: number, raw: OperatorInput): Promise<void> {
  const input = parseInput(operatorInput, raw);
  const r = await editable(ctx, actor, responseId);
  const model = r.model;
  const eo = (model.economicOperators ??= [{}])[0];
  const party = (eo.party ??= {});
  if (input.size !== undefined) {
    if (input.size) party.size = input.size;
    else delete party.size;
  }
  if (input.contact) {
    const c = Object.fromEntries(Object.entries(input.contact).filter(([, v]) => v));
    if (Object.keys(c).length) party.contact = { ...party.contact, ...c };
  }
  if (input.representatives) {
    const reps = input.representatives.filter((p) => p.firstName || p.familyName);
    if (reps.length)
      party.representatives = reps.map((p) => ({
        ...(p.extent ? { descriptions: [p.extent] } : {}),
        agent: { persons: [{ ...(p.firstName ? { firstName: p.firstName } : {}), ...(p.familyName ? { familyName: p.familyName } : {}), ...(p.jobTitle ? { jobTitle: p.jobTitle } : {}), ...(p.birthDate ? { birthDate: p.birthDate } : {}), ...(p.birthplaceName ? { birthplaceName: p.birthplaceName } : {}) }] },
      }));
    else delete party.representatives;
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockResponse(trx, responseId);
    if (locked?.status !== 'BROUILLON') throw closed();
    await updateResponse(trx, responseId, { model, ...responseColumns(model), updated_at: now });
    await recordEvent(trx, { stream: `dume-response:${responseId}`, type: 'DUME_RESPONSE_OPERATOR', actorUserId: actor.userId });
  });
}
