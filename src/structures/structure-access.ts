import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { authorize, type StructureAction } from './permissions.ts';
import { findStructure, loadMembership } from './repository.ts';

/** Loads the caller's membership and the structure, and checks the action (outsiders: NOT_FOUND). */
export async function structureFor(ctx: Ctx, actor: Actor, structureId: number, action: StructureAction) {
  const membership = await loadMembership(ctx.db, actor.userId, structureId, actor.isTechnical);
  authorize(membership, action);
  const structure = await findStructure(ctx.db, structureId);
  if (!structure) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  return { structure, membership };
}

/** Services and engagements exist only for public structures (the recipients of invoices). */
export function requirePublicStructure(s: { kind: string }, what: 'services' | 'engagements'): void {
  if (s.kind === 'PUBLIQUE') return;
  const message =
    what === 'services'
      ? 'Seules les structures publiques peuvent déclarer des services.'
      : "Seules les structures publiques tiennent un registre d'engagements juridiques.";
  throw new AppError('VALIDATION', 'NOT_PUBLIC_STRUCTURE', message);
}
