import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { authorize } from './permissions.ts';
import { findStructure, loadMembership } from './repository.ts';

/** A structure as its members see it, with the caller's role. */
export async function getStructure(ctx: Ctx, actor: Actor, structureId: number) {
  const membership = await loadMembership(ctx.db, actor.userId, structureId, actor.isTechnical);
  authorize(membership, 'structure.view');
  const s = await findStructure(ctx.db, structureId);
  if (!s) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  return { structure: s, membership };
}
