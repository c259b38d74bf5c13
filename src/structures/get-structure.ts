import type { Actor, Ctx } from '../context.ts';
import { authorizeOn } from './authorize-on.ts';

/** A structure as its members see it, with the caller's role. */
export const getStructure = (ctx: Ctx, actor: Actor, structureId: number) => authorizeOn(ctx.db, actor, structureId, 'structure.view');
