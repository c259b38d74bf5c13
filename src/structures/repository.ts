import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import { compiledOnce, prepared } from '../db/prepared.ts';
import type { Membership } from './permissions.ts';

const structureById = compiledOnce((db, id: number) => prepared(db.selectFrom('structures').selectAll().where('id', '=', id)));
export const findStructure = async (db: Executor, id: number) => (await structureById(db, id)).rows[0];

export const findStructureByIdentifier = (db: Executor, type: string, identifier: string) =>
  db
    .selectFrom('structures')
    .selectAll()
    .where('identifier_type', '=', type as any)
    .where('identifier', '=', identifier)
    .executeTakeFirst();

/** The user's role and rights in a structure, in one read (every authorised request makes it). */
export async function loadMembership(db: Executor, userId: number, structureId: number, isTechnical = false): Promise<Membership> {
  return membershipOf((await membershipOfUser(db, userId, structureId)).rows, structureId, isTechnical);
}
const membershipOfUser = compiledOnce((db, userId: number, structureId: number) => prepared(membershipRows(db, userId, structureId)));

/** The rows loadMembership reads, for a read that takes them along with its own (then membershipOf). */
export const membershipRows = (db: Executor, userId: number, structureId: number) =>
  db
    .selectFrom('rattachements as r')
    .leftJoin('habilitations as h', (j) => j.onRef('h.user_id', '=', 'r.user_id').onRef('h.structure_id', '=', 'r.structure_id'))
    .select(['r.role', 'h.space', 'h.access', 'h.service_id'])
    .where('r.user_id', '=', userId)
    .where('r.structure_id', '=', structureId)
    .where('r.status', '=', 'VALIDEE');

type MembershipRow = { role: Membership['role'] & string; space: string | null; access: string | null; service_id: number | null };

export function membershipOf(rows: MembershipRow[], structureId: number, isTechnical: boolean): Membership {
  if (!rows.length) return { structureId, role: null, isTechnical, rights: [] };
  return {
    structureId,
    role: rows[0]!.role,
    isTechnical,
    rights: rows.filter((h) => h.space !== null).map((h) => ({ space: h.space!, access: h.access as Membership['rights'][number]['access'], serviceId: h.service_id })),
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
