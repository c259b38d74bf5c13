import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { parseInput } from '../shared/validate.ts';
import { listActiveServices, listRattachementsOfUser, searchStructures } from './members-repository.ts';
import { noTechnicalAccount } from './authorize-on.ts';

const TOO_SHORT = 'Saisissez au moins 3 caractères du SIRET ou la raison sociale exacte.';
export const searchToJoinInput = z.object({
  q: z.string({ message: TOO_SHORT }).trim().min(3, TOO_SHORT).max(200, 'La recherche ne doit pas dépasser 200 caractères.'),
});

/**
 * Finds the structures a user may ask to join, as Chorus Pro does: the beginning of the SIRET
 * (3 characters at least) or the exact raison sociale, whatever the case.
 */
export async function searchStructuresToJoin(ctx: Ctx, actor: Actor, raw: { q?: unknown }) {
  if (actor.isTechnical) throw noTechnicalAccount();
  const { q } = parseInput(searchToJoinInput, raw);
  const found = await searchStructures(ctx.db, q);
  const mine = await listRattachementsOfUser(ctx.db, actor.userId);
  const services = await listActiveServices(ctx.db, found.map((s) => s.id));
  return found.map((s) => ({
    ...s,
    myStatus: mine.find((r) => r.structure_id === s.id)?.status ?? null,
    services: services.filter((x) => x.structure_id === s.id).map(({ id, code, name }) => ({ id, code, name })),
  }));
}
