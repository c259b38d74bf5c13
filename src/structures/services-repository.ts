import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { ServicesTable } from '../db/schema.ts';

export const listServicesOf = (db: Executor, structureId: number) =>
  db.selectFrom('services').selectAll().where('structure_id', '=', structureId).orderBy('code').execute();

export const findService = (db: Executor, structureId: number, serviceId: number) =>
  db.selectFrom('services').selectAll().where('structure_id', '=', structureId).where('id', '=', serviceId).executeTakeFirst();

export const findServiceByCode = (db: Executor, structureId: number, code: string) =>
  db.selectFrom('services').selectAll().where('structure_id', '=', structureId).where('code', '=', code).executeTakeFirst();

export const insertService = (trx: Executor, values: Insertable<ServicesTable>) =>
  trx.insertInto('services').values(values).returning('id').executeTakeFirstOrThrow();

export async function updateServiceColumns(trx: Executor, serviceId: number, changes: Updateable<ServicesTable>, at: Date): Promise<void> {
  await trx.updateTable('services').set({ ...changes, updated_at: at }).where('id', '=', serviceId).execute();
}

/** True when the error is the violation of a unique constraint (same SQLSTATE on PostgreSQL and PGlite). */
export const isUniqueViolation = (err: unknown) =>
  (err as { code?: string })?.code === '23505' || /duplicate key/.test(String((err as Error)?.message));
