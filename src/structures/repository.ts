import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { Membership } from './permissions.ts';

export const findStructure = (db: Executor, id: number) =>
  db.selectFrom('structures').selectAll().where('id', '=', id).executeTakeFirst();

export const findStructureByIdentifier = (db: Executor, type: string, identifier: string) =>
  db
    .selectFrom('structures')
    .selectAll()
    .where('identifier_type', '=', type as any)
    .where('identifier', '=', identifier)
    .executeTakeFirst();

export async function loadMembership(db: Executor, userId: number, structureId: number, isTechnical = false): Promise<Membership> {
  const r = await db
    .selectFrom('rattachements')
    .select(['role'])
    .where('user_id', '=', userId)
    .where('structure_id', '=', structureId)
    .where('status', '=', 'VALIDEE')
    .executeTakeFirst();
  if (!r) return { structureId, role: null, isTechnical, rights: [] };
  const rights = await db
    .selectFrom('habilitations')
    .select(['space', 'access', 'service_id'])
    .where('user_id', '=', userId)
    .where('structure_id', '=', structureId)
    .execute();
  return {
    structureId,
    role: r.role,
    isTechnical,
    rights: rights.map((h) => ({ space: h.space, access: h.access, serviceId: h.service_id })),
  };
}

/** The structures a user belongs to (validated rattachements), with their role. */
export const listStructuresOfUser = (db: Executor, userId: number) =>
  db
    .selectFrom('rattachements')
    .innerJoin('structures', 'structures.id', 'rattachements.structure_id')
    .select([
      'structures.id',
      'structures.name',
      'structures.identifier_type',
      'structures.identifier',
      'structures.kind',
      'structures.status',
      'rattachements.role',
      'rattachements.status as rattachement_status',
    ])
    .where('rattachements.user_id', '=', userId)
    .where('rattachements.status', '=', 'VALIDEE')
    .orderBy(sql`lower(structures.name)`)
    .execute();
