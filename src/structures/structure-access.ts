import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import type { StructureAction } from './permissions.ts';
import { authorizeOn } from './authorize-on.ts';

/** Loads the caller's membership and the structure, and checks the action (outsiders: NOT_FOUND). */
export const structureFor = (ctx: Ctx, actor: Actor, structureId: number, action: StructureAction) =>
  authorizeOn(ctx.db, actor, structureId, action);

/** Services and engagements exist only for public structures (the recipients of invoices). */
export function requirePublicStructure(s: { kind: string }, what: 'services' | 'engagements'): void {
  if (s.kind === 'PUBLIQUE') return;
  const message =
    what === 'services'
      ? 'Seules les structures publiques peuvent déclarer des services.'
      : "Seules les structures publiques tiennent un registre d'engagements juridiques.";
  throw new AppError('VALIDATION', 'NOT_PUBLIC_STRUCTURE', message);
}
