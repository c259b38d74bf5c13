import type { Actor } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { findStructure, hasRight, loadMembership, type Membership } from '../structures/index.ts';

/**
 * Who may do what with DUMEs: the space « DUME » of the structure, in consultation to read and in
 * modification to create, answer, publish and import. The principal manager has every right.
 */
export const DUME_PERMISSIONS = {
  'dume.view': { space: 'DUME', access: 'CONSULTATION_UNIQUEMENT' },
  'dume.edit': { space: 'DUME', access: 'MODIFICATION' },
} as const;
export type DumePermission = keyof typeof DUME_PERMISSIONS;

export const canOnDume = (m: Membership, p: DumePermission) => hasRight(m, DUME_PERMISSIONS[p].space, DUME_PERMISSIONS[p].access);

export const dumeNotFound = (what = 'DUME') => new AppError('NOT_FOUND', 'NOT_FOUND', `${what} introuvable.`);

/** The structure and the actor's membership, authorised for `permission` (outsiders: NOT_FOUND). */
export async function dumeStructure(db: Executor, actor: Actor, structureId: number, permission: DumePermission) {
  const membership = await loadMembership(db, actor.userId, structureId, actor.isTechnical);
  const structure = membership.role === null ? undefined : await findStructure(db, structureId);
  if (!structure) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  if (!canOnDume(membership, permission))
    throw new AppError('FORBIDDEN', 'FORBIDDEN', permission === 'dume.edit'
      ? "Vous n'avez pas le droit de modifier les DUME de cette structure (espace « DUME » en modification)."
      : "Vous n'avez pas le droit de consulter les DUME de cette structure (espace « DUME »).");
  return { structure, membership };
}

/** Does the actor see this structure's DUMEs at all (without throwing)? */
export async function seesDumesOf(db: Executor, actor: Actor, structureId: number) {
  const m = await loadMembership(db, actor.userId, structureId, actor.isTechnical);
  return { view: canOnDume(m, 'dume.view'), edit: canOnDume(m, 'dume.edit') };
}
