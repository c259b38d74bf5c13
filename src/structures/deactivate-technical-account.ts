import type { Actor, Ctx } from '../context.ts';
import { recordEvent } from '../history/index.ts';
import { credentialsChanged } from '../accounts/index.ts';
import { deactivateUserAccount, findRattachement, updateRattachement } from './members-repository.ts';
import { deleteHabilitations } from './rights-repository.ts';
import { technicalAccountOf } from './reset-technical-account-password.ts';
import { authorizeOn } from './authorize-on.ts';

/** The principal manager deactivates a technical account: its password stops working at once. */
export async function deactivateTechnicalAccount(ctx: Ctx, actor: Actor, structureId: number, userId: number): Promise<void> {
  await authorizeOn(ctx.db, actor, structureId, 'technicalAccounts.manage');
  const account = await technicalAccountOf(ctx, structureId, userId);
  if (account.status === 'DESACTIVE') return;
  const r = await findRattachement(ctx.db, userId, structureId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await deactivateUserAccount(trx, userId);
    if (r) await updateRattachement(trx, r.id, { status: 'DESACTIVEE', decided_at: now, decided_by: actor.userId });
    await deleteHabilitations(trx, structureId, userId);
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'TECHNICAL_ACCOUNT_DEACTIVATED', actorUserId: actor.userId, data: { userId, login: account.email } });
  });
  credentialsChanged();
}
