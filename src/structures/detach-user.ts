import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { recordEvent } from '../history/index.ts';
import { credentialsChanged } from '../accounts/index.ts';
import { notify } from '../notifications/index.ts';
import { findRattachement, updateRattachement } from './members-repository.ts';
import { deleteHabilitations } from './rights-repository.ts';
import { memberMails } from './members-model.ts';
import { authorizeOn, memberNotFound } from './authorize-on.ts';

/** The principal manager ends a member's rattachement; the member loses every right there. */
export async function detachUser(ctx: Ctx, actor: Actor, structureId: number, userId: number): Promise<void> {
  const { structure } = await authorizeOn(ctx.db, actor, structureId, 'members.manage');
  if (userId === actor.userId)
    throw new AppError('CONFLICT', 'PRINCIPAL_MANAGER_CANNOT_LEAVE', 'Le gestionnaire principal ne peut pas se détacher : transférez d’abord son rôle à un autre utilisateur.');
  const r = await findRattachement(ctx.db, userId, structureId);
  if (!r || r.status !== 'VALIDEE') throw memberNotFound();
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await updateRattachement(trx, r.id, { status: 'DESACTIVEE', role: 'UTILISATEUR', decided_at: now, decided_by: actor.userId });
    await deleteHabilitations(trx, structureId, userId);
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'USER_DETACHED', actorUserId: actor.userId, data: { userId } });
    await notify(trx, {
      userId,
      structureId,
      kind: 'RATTACHEMENT_DESACTIVE',
      message: `Votre rattachement à ${structure.name} a pris fin.`,
      mail: memberMails.detached(structure.name),
    });
  });
  credentialsChanged();
}
