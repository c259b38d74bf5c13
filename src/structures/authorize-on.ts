import type { Actor } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { authorize, type Membership, type StructureAction } from './permissions.ts';
import { findStructure, loadMembership } from './repository.ts';

/** Loads the structure and the actor's membership, then authorises the action (outsiders: NOT_FOUND). */
export async function authorizeOn(db: Executor, actor: Actor, structureId: number, action: StructureAction) {
  const membership: Membership = await loadMembership(db, actor.userId, structureId, actor.isTechnical);
  authorize(membership, action);
  const structure = await findStructure(db, structureId);
  if (!structure) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  return { structure, membership };
}

export const memberNotFound = () => new AppError('NOT_FOUND', 'MEMBER_NOT_FOUND', "Cet utilisateur n'est pas rattaché à la structure.");
export const requestNotFound = () => new AppError('NOT_FOUND', 'RATTACHEMENT_NOT_FOUND', 'Demande de rattachement introuvable.');
export const noTechnicalAccount = () => new AppError('FORBIDDEN', 'TECHNICAL_ACCOUNT_FORBIDDEN', 'Un compte technique ne peut pas gérer de rattachements.');
