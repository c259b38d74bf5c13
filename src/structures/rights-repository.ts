import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { Access } from '../db/schema.ts';

export interface HabilitationRow {
  space: string;
  access: Access;
  serviceId: number | null;
}

export async function listHabilitations(db: Executor, structureId: number, userId: number): Promise<HabilitationRow[]> {
  const rows = await db
    .selectFrom('habilitations')
    .select(['space', 'access', 'service_id'])
    .where('structure_id', '=', structureId)
    .where('user_id', '=', userId)
    .orderBy('space')
    .orderBy(sql`coalesce(service_id, 0)`)
    .execute();
  return rows.map((r) => ({ space: r.space, access: r.access, serviceId: r.service_id }));
}

/** Every habilitation of a structure, for the rights matrix. */
export const listHabilitationsOfStructure = (db: Executor, structureId: number) =>
  db.selectFrom('habilitations').select(['user_id', 'space', 'access', 'service_id']).where('structure_id', '=', structureId).execute();

/** Replaces a user's whole set of rights in a structure. */
export async function replaceHabilitations(trx: Executor, structureId: number, userId: number, rows: HabilitationRow[]) {
  await deleteHabilitations(trx, structureId, userId);
  if (rows.length)
    await trx
      .insertInto('habilitations')
      .values(rows.map((r) => ({ user_id: userId, structure_id: structureId, space: r.space, access: r.access, service_id: r.serviceId })))
      .execute();
}

export const deleteHabilitations = (trx: Executor, structureId: number, userId: number) =>
  trx.deleteFrom('habilitations').where('structure_id', '=', structureId).where('user_id', '=', userId).execute();

/** Sets one structure-wide right (replacing the previous structure-wide right on that space). */
export async function setStructureWideRight(trx: Executor, structureId: number, userId: number, space: string, access: Access) {
  await trx
    .deleteFrom('habilitations')
    .where('structure_id', '=', structureId)
    .where('user_id', '=', userId)
    .where('space', '=', space)
    .where('service_id', 'is', null)
    .execute();
  await trx.insertInto('habilitations').values({ user_id: userId, structure_id: structureId, space, access, service_id: null }).execute();
}

/** The validated members of a structure among `userIds`, with their role and whether they are technical. */
export const findMembers = (db: Executor, structureId: number, userIds: number[]) =>
  userIds.length === 0
    ? Promise.resolve([] as Array<{ user_id: number; role: 'GESTIONNAIRE_PRINCIPAL' | 'UTILISATEUR'; is_technical: boolean }>)
    : db
        .selectFrom('rattachements')
        .innerJoin('users', 'users.id', 'rattachements.user_id')
        .select(['rattachements.user_id', 'rattachements.role', 'users.is_technical'])
        .where('rattachements.structure_id', '=', structureId)
        .where('rattachements.status', '=', 'VALIDEE')
        .where('rattachements.user_id', 'in', userIds)
        .execute();

/** The services of a structure among `ids`. */
export const findServiceIds = async (db: Executor, structureId: number, ids: number[]) =>
  ids.length === 0
    ? []
    : (await db.selectFrom('services').select('id').where('structure_id', '=', structureId).where('id', 'in', ids).execute()).map((r) => r.id);
