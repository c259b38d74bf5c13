import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { parseInput } from '../shared/validate.ts';
import { listRattachementsOfStructure, listRattachementsOfUser } from './members-repository.ts';
import { authorizeOn } from './authorize-on.ts';

const STATUSES = ['EN_COURS_DE_VALIDATION', 'VALIDEE', 'REFUSEE', 'DESACTIVEE', 'SUPPRIMEE'] as const;
export const listRattachementsInput = z.object({ status: z.enum(STATUSES, { message: 'Statut de rattachement inconnu.' }).optional() });

/** The principal manager's view of the rattachements of his structure, e.g. the pending requests. */
export async function listRattachements(ctx: Ctx, actor: Actor, structureId: number, raw: { status?: unknown } = {}) {
  await authorizeOn(ctx.db, actor, structureId, 'rattachements.view');
  const { status } = parseInput(listRattachementsInput, raw);
  return listRattachementsOfStructure(ctx.db, structureId, status);
}

/** The validated members of a structure, as every member may see them. */
export async function listMembers(ctx: Ctx, actor: Actor, structureId: number) {
  await authorizeOn(ctx.db, actor, structureId, 'members.view');
  return listRattachementsOfStructure(ctx.db, structureId, 'VALIDEE');
}

/** My rattachements and their statuses (« Mes rattachements »). */
export const listMyRattachements = (ctx: Ctx, actor: Actor) => listRattachementsOfUser(ctx.db, actor.userId);
