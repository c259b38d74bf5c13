import type { Ctx } from '../context.ts';
import { recordEvent } from '../history/index.ts';
import { markTokenUsed } from './repository.ts';
import { loadValidLink } from './use-link.ts';

/** Activates the account the link was sent for. */
export async function activateAccount(ctx: Ctx, token: string): Promise<{ userId: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const link = await loadValidLink(trx, token, 'ACTIVATION', now);
    await markTokenUsed(trx, link.id, now);
    await trx.updateTable('users').set({ status: 'ACTIF', activated_at: now }).where('id', '=', link.user_id).where('status', '=', 'EN_ATTENTE_ACTIVATION').execute();
    await recordEvent(trx, { stream: `user:${link.user_id}`, type: 'ACCOUNT_ACTIVATED', actorUserId: link.user_id });
    return { userId: link.user_id };
  });
}
