import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { recordEvent } from '../history/index.ts';
import { credentialsChanged } from '../accounts/index.ts';
import { findRattachementById, updateRattachement } from './members-repository.ts';
import { deleteHabilitations } from './rights-repository.ts';
import { authorizeOn, requestNotFound } from './authorize-on.ts';

/** The principal manager deletes a rattachement (SUPPRIMEE); a deleted member loses every right there. */
export async function deleteRattachement(ctx: Ctx, actor: Actor, structureId: number, rattachementId: number): Promise<void> {
  await authorizeOn(ctx.db, actor, structureId, 'members.manage');
  const r = await findRattachementById(ctx.db, structureId, rattachementId);
  if (!r || r.status === 'SUPPRIMEE') throw requestNotFound();
  if (r.status === 'VALIDEE' && r.role === 'GESTIONNAIRE_PRINCIPAL')
    throw new AppError('CONFLICT', 'PRINCIPAL_MANAGER_CANNOT_LEAVE', 'Le rattachement du gestionnaire principal ne peut pas être supprimé : transférez d’abord son rôle.');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await updateRattachement(trx, r.id, { status: 'SUPPRIMEE', role: 'UTILISATEUR', decided_at: now, decided_by: actor.userId });
    await deleteHabilitations(trx, structureId, r.user_id);
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'RATTACHEMENT_DELETED', actorUserId: actor.userId, data: { rattachementId: r.id, userId: r.user_id, previousStatus: r.status } });
  });
  credentialsChanged();
}
