import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { email, parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { notify } from '../notifications/index.ts';
import { findUserByEmail } from '../accounts/index.ts';
import { defaultSpaces } from './model.ts';
import { findRattachement, upsertRattachement } from './members-repository.ts';
import { replaceHabilitations } from './rights-repository.ts';
import { memberMails } from './members-model.ts';
import { authorizeOn } from './authorize-on.ts';

export const attachUserInput = z.object({ email: email() });

/** The principal manager attaches an existing, active user directly (no request needed). */
export async function attachUser(ctx: Ctx, actor: Actor, structureId: number, raw: { email?: unknown }): Promise<{ userId: number; rattachementId: number }> {
  const { structure } = await authorizeOn(ctx.db, actor, structureId, 'members.manage');
  const input = parseInput(attachUserInput, raw);
  const user = await findUserByEmail(ctx.db, input.email);
  if (!user || user.status !== 'ACTIF' || user.is_technical) {
    const message = "Aucun compte actif n'existe avec cette adresse électronique : la personne doit d'abord créer son compte.";
    throw new AppError('VALIDATION', 'USER_NOT_FOUND', message, { email: message });
  }
  const existing = await findRattachement(ctx.db, user.id, structureId);
  if (existing?.status === 'VALIDEE')
    throw new AppError('CONFLICT', 'ALREADY_MEMBER', 'Cet utilisateur est déjà rattaché à la structure.', { email: 'Cet utilisateur est déjà rattaché à la structure.' });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const rattachementId = await upsertRattachement(trx, {
      userId: user.id,
      structureId,
      status: 'VALIDEE',
      message: existing?.status === 'EN_COURS_DE_VALIDATION' ? existing.message : null,
      requestedAt: existing?.status === 'EN_COURS_DE_VALIDATION' ? existing.requested_at : now,
      decidedAt: now,
      decidedBy: actor.userId,
    });
    await replaceHabilitations(
      trx,
      structureId,
      user.id,
      defaultSpaces(structure.kind).map((space) => ({ space, access: 'CONSULTATION_UNIQUEMENT' as const, serviceId: null })),
    );
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'USER_ATTACHED', actorUserId: actor.userId, data: { userId: user.id, email: user.email } });
    await notify(trx, {
      userId: user.id,
      structureId,
      kind: 'RATTACHEMENT_DIRECT',
      message: `Le gestionnaire principal vous a rattaché(e) à ${structure.name}.`,
      link: `/structures/${structureId}`,
      mail: memberMails.attached(structure.name),
    });
    return { userId: user.id, rattachementId };
  });
}
