import type { Actor, Ctx } from '../context.ts';
import { listEvents } from '../history/index.ts';
import { structureFor } from './structure-access.ts';

/** What happened to a structure, newest first ("Activités du gestionnaire"). */
export async function listStructureHistory(ctx: Ctx, actor: Actor, structureId: number, limit = 200) {
  const { structure, membership } = await structureFor(ctx, actor, structureId, 'history.view');
  const events = await listEvents(ctx.db, `structure:${structureId}`, limit);
  return { structure, membership, events };
}
