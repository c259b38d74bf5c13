import type { Actor, Ctx } from '../context.ts';
import { recordEvent } from '../history/index.ts';
import { AppError } from '../shared/app-error.ts';
import { newDumeNumber, requestLink } from './model.ts';
import { dumeNotFound, dumeStructure } from './permissions.ts';
import { findRequest, lockRequest, numberTaken, updateRequest } from './repository.ts';

/** The buyer publishes a draft: it gets its DUME number (8 alphanumeric characters) and a shareable link. */
export async function publishRequest(ctx: Ctx, actor: Actor, requestId: number): Promise<{ number: string; link: string }> {
  const current = await findRequest(ctx.db, requestId);
  if (!current) throw dumeNotFound('DUME acheteur');
  await dumeStructure(ctx.db, actor, current.structure_id, 'dume.edit');
  if (current.status === 'PUBLIEE') throw new AppError('CONFLICT', 'DUME_PUBLISHED', `Ce DUME est déjà publié sous le numéro ${current.number}.`);
  let number = newDumeNumber();
  while (await numberTaken(ctx.db, number)) number = newDumeNumber();
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockRequest(trx, requestId);
    if (locked?.status !== 'BROUILLON') throw new AppError('CONFLICT', 'DUME_PUBLISHED', 'Ce DUME est déjà publié.');
    // the number is also the document's ID in the XML
    await updateRequest(trx, requestId, { status: 'PUBLIEE', number, published_at: now, updated_at: now, model: { ...current.model, id: number } });
    await recordEvent(trx, { stream: `dume-request:${requestId}`, type: 'DUME_REQUEST_PUBLISHED', actorUserId: actor.userId, data: { number } });
  });
  return { number, link: requestLink(ctx.config.publicUrl, number) };
}
