import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { spaceLabel, type AccessLevel, type SpaceCode } from './model.ts';
import { spacesOfKind } from './members-model.ts';
import { authorizeOn } from './authorize-on.ts';
import type { Membership } from './permissions.ts';

export interface OpenSpace {
  space: SpaceCode;
  label: string;
  access: AccessLevel;
  /** Null when the right covers the whole structure, else the services it is limited to. */
  serviceIds: number[] | null;
}

function openSpaces(kind: 'PRIVEE' | 'PUBLIQUE', m: Membership): OpenSpace[] {
  const out: OpenSpace[] = [];
  for (const space of spacesOfKind(kind)) {
    if (m.role === 'GESTIONNAIRE_PRINCIPAL') {
      out.push({ space, label: spaceLabel(space), access: 'MODIFICATION', serviceIds: null });
      continue;
    }
    const rows = m.rights.filter((r) => r.space === space);
    if (!rows.length) continue;
    const access: AccessLevel = rows.some((r) => r.access === 'MODIFICATION') ? 'MODIFICATION' : 'CONSULTATION_UNIQUEMENT';
    const serviceIds = rows.some((r) => r.serviceId === null) ? null : rows.map((r) => r.serviceId!);
    out.push({ space, label: spaceLabel(space), access, serviceIds });
  }
  return out;
}

/** The spaces the actor can open in a structure, with his access level. */
export async function listMySpaces(ctx: Ctx, actor: Actor, structureId: number) {
  const { structure, membership } = await authorizeOn(ctx.db, actor, structureId, 'spaces.view');
  return { structure, role: membership.role!, spaces: openSpaces(structure.kind, membership) };
}

/** Opens one space: FORBIDDEN without at least consultation there. */
export async function openSpace(ctx: Ctx, actor: Actor, structureId: number, space: string): Promise<OpenSpace> {
  const { spaces } = await listMySpaces(ctx, actor, structureId);
  const found = spaces.find((s) => s.space === space);
  if (!found) throw new AppError('FORBIDDEN', 'FORBIDDEN', `Vous n'avez pas accès à l'espace « ${spaceLabel(space)} » de cette structure.`);
  return found;
}
