import { AppError } from '../shared/app-error.ts';
import type { AccessLevel, SpaceCode } from './model.ts';

/** What a user is to a structure: loaded once per request by `loadMembership`. */
export interface Membership {
  structureId: number;
  /** Null when the user has no validated rattachement (an outsider). */
  role: 'GESTIONNAIRE_PRINCIPAL' | 'UTILISATEUR' | null;
  isTechnical: boolean;
  rights: Array<{ space: string; access: AccessLevel; serviceId: number | null }>;
}

type Requirement = { gp: true } | { member: true } | { space: SpaceCode; access: AccessLevel };

/**
 * Every action on a structure and what it needs. Read this table to know who may do what;
 * the authorisation matrix test walks it through every route.
 */
export const STRUCTURE_PERMISSIONS = {
  'structure.view': { member: true },
  'structure.edit': { gp: true },
  'structure.parameters.edit': { gp: true },
  'services.view': { member: true },
  'services.manage': { gp: true },
  'members.view': { member: true },
  'members.manage': { gp: true },
  'rattachements.view': { gp: true },
  'rattachements.decide': { gp: true },
  'spaces.view': { member: true },
  'rights.view': { gp: true },
  'rights.manage': { gp: true },
  'gp.transfer': { gp: true },
  'technicalAccounts.manage': { gp: true },
  'engagements.view': { space: 'ENGAGEMENTS', access: 'CONSULTATION_UNIQUEMENT' },
  'engagements.manage': { space: 'ENGAGEMENTS', access: 'MODIFICATION' },
  'history.view': { space: 'ACTIVITES_GESTIONNAIRE', access: 'CONSULTATION_UNIQUEMENT' },
} as const satisfies Record<string, Requirement>;
export type StructureAction = keyof typeof STRUCTURE_PERMISSIONS;

/** The principal manager always has every right, whatever his habilitations say. */
export function hasRight(m: Membership, space: string, access: AccessLevel, serviceId?: number | null): boolean {
  if (m.role === null) return false;
  if (m.role === 'GESTIONNAIRE_PRINCIPAL') return true;
  return m.rights.some(
    (r) =>
      r.space === space &&
      (access === 'CONSULTATION_UNIQUEMENT' || r.access === 'MODIFICATION') &&
      (r.serviceId === null || serviceId === undefined || r.serviceId === serviceId),
  );
}

export function can(m: Membership, action: StructureAction): boolean {
  const req: Requirement = STRUCTURE_PERMISSIONS[action];
  if (m.role === null) return false;
  if (m.role === 'GESTIONNAIRE_PRINCIPAL') return true;
  if ('gp' in req) return false;
  if ('member' in req) return true;
  return hasRight(m, req.space, req.access);
}

/** Outsiders learn nothing (NOT_FOUND); members without the right get FORBIDDEN. */
export function authorize(m: Membership, action: StructureAction): void {
  if (m.role === null) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  if (!can(m, action)) throw new AppError('FORBIDDEN', 'FORBIDDEN', "Vous n'avez pas le droit d'effectuer cette action pour cette structure.");
}
