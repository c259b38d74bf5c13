import type { Actor, Ctx } from '../context.ts';
import { countWaitingRequests, listPendingRequestNames } from './members-repository.ts';
import { listStructuresOfUser } from './repository.ts';

/** Where a user stands: their structures, their pending requests, and the requests waiting for them as GP. */
export async function describeStanding(ctx: Ctx, actor: Actor) {
  const structures = await listStructuresOfUser(ctx.db, actor.userId);
  const pendingRequests = await listPendingRequestNames(ctx.db, actor.userId);
  const managed = structures.filter((s) => s.role === 'GESTIONNAIRE_PRINCIPAL');
  const waiting = await countWaitingRequests(ctx.db, managed.map((s) => s.id));
  return {
    structures,
    pendingRequests,
    requestsToDecide: managed.filter((s) => waiting.get(s.id)).map((s) => ({ structureId: s.id, name: s.name, count: waiting.get(s.id)! })),
  };
}
