import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput, requiredText } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { notify } from '../notifications/index.ts';
import { defaultSpaces } from './model.ts';
import { findRattachementById, updateRattachement } from './members-repository.ts';
import { replaceHabilitations } from './rights-repository.ts';
import { memberMails } from './members-model.ts';
import { authorizeOn, requestNotFound } from './authorize-on.ts';

export const refuseRattachementInput = z.object({ reason: requiredText('Le motif du refus', 1000) });

async function pendingRequest(ctx: Ctx, actor: Actor, structureId: number, rattachementId: number) {
  const { structure } = await authorizeOn(ctx.db, actor, structureId, 'rattachements.decide');
  const r = await findRattachementById(ctx.db, structureId, rattachementId);
  if (!r) throw requestNotFound();
  if (r.status !== 'EN_COURS_DE_VALIDATION')
    throw new AppError('CONFLICT', 'RATTACHEMENT_NOT_PENDING', "Cette demande de rattachement n'est plus en cours de validation.");
  return { structure, r };
}

/** The principal manager approves a request: the user becomes a member with the default spaces, in consultation. */
export async function approveRattachement(ctx: Ctx, actor: Actor, structureId: number, rattachementId: number): Promise<void> {
  const { structure, r } = await pendingRequest(ctx, actor, structureId, rattachementId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await updateRattachement(trx, r.id, { status: 'VALIDEE', role: 'UTILISATEUR', decided_at: now, decided_by: actor.userId, refusal_reason: null });
    await replaceHabilitations(
      trx,
      structureId,
      r.user_id,
      defaultSpaces(structure.kind).map((space) => ({ space, access: 'CONSULTATION_UNIQUEMENT' as const, serviceId: null })),
    );
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'RATTACHEMENT_APPROVED', actorUserId: actor.userId, data: { rattachementId: r.id, userId: r.user_id } });
    await notify(trx, {
      userId: r.user_id,
      structureId,
      kind: 'RATTACHEMENT_VALIDE',
      message: `Votre rattachement à ${structure.name} est validé.`,
      link: `/structures/${structureId}`,
      mail: memberMails.approved(structure.name),
    });
  });
}

/** The principal manager refuses a request, with a reason the requester reads. */
export async function refuseRattachement(ctx: Ctx, actor: Actor, structureId: number, rattachementId: number, raw: { reason?: unknown }): Promise<void> {
  const { structure, r } = await pendingRequest(ctx, actor, structureId, rattachementId);
  const { reason } = parseInput(refuseRattachementInput, raw);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await updateRattachement(trx, r.id, { status: 'REFUSEE', decided_at: now, decided_by: actor.userId, refusal_reason: reason });
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'RATTACHEMENT_REFUSED', actorUserId: actor.userId, data: { rattachementId: r.id, userId: r.user_id, reason } });
    await notify(trx, {
      userId: r.user_id,
      structureId,
      kind: 'RATTACHEMENT_REFUSE',
      message: `Votre demande de rattachement à ${structure.name} est refusée : ${reason}`,
      link: '/structures/rattachement',
      mail: memberMails.refused(structure.name, reason),
    });
  });
}
