import type { Actor, Ctx } from '../context.ts';
import { findMembers, listHabilitations, listHabilitationsOfStructure } from './rights-repository.ts';
import { listRattachementsOfStructure } from './members-repository.ts';
import { spacesOfKind } from './members-model.ts';
import { authorizeOn, memberNotFound } from './authorize-on.ts';

/** A member's rights, as the principal manager sees them. */
export async function getHabilitations(ctx: Ctx, actor: Actor, structureId: number, userId: number) {
  await authorizeOn(ctx.db, actor, structureId, 'rights.view');
  const [m] = await findMembers(ctx.db, structureId, [userId]);
  if (!m) throw memberNotFound();
  return { userId, role: m.role, habilitations: await listHabilitations(ctx.db, structureId, userId) };
}

/** The rights matrix of a structure: members × spaces. */
export async function getRightsMatrix(ctx: Ctx, actor: Actor, structureId: number) {
  const { structure } = await authorizeOn(ctx.db, actor, structureId, 'rights.view');
  const members = await listRattachementsOfStructure(ctx.db, structureId, 'VALIDEE');
  const rights = await listHabilitationsOfStructure(ctx.db, structureId);
  return {
    structure,
    spaces: spacesOfKind(structure.kind),
    members: members.map((m) => ({
      userId: m.user_id,
      email: m.email,
      firstName: m.first_name,
      lastName: m.last_name,
      role: m.role,
      isTechnical: m.is_technical,
      habilitations: rights.filter((h) => h.user_id === m.user_id).map((h) => ({ space: h.space, access: h.access, serviceId: h.service_id })),
    })),
  };
}
