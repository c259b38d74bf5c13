import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { EngagementsTable } from '../db/schema.ts';
import type { EngagementState } from './engagements-model.ts';

/** An engagement with its service and supplier, the amount as exact text ('48500.00'). */
const engagementView = (db: Executor) =>
  db
    .selectFrom('engagements as e')
    .leftJoin('services as sv', 'sv.id', 'e.service_id')
    .leftJoin('structures as su', 'su.id', 'e.supplier_structure_id')
    .select([
      'e.id',
      'e.structure_id',
      'e.number',
      'e.state',
      sql<string | null>`e.amount::text`.as('amount'),
      'e.currency',
      'e.subject',
      'e.created_at',
      'e.service_id',
      'sv.code as service_code',
      'sv.name as service_name',
      'e.supplier_structure_id',
      'su.identifier as supplier_siret',
      'su.name as supplier_name',
    ]);
export type EngagementRow = Awaited<ReturnType<typeof findEngagement>> & {};

/** The engagement of a structure by its number, or undefined. No authorisation: invoicing checks EJs with it. */
export const findEngagement = (db: Executor, structureId: number, number: string) =>
  engagementView(db).where('e.structure_id', '=', structureId).where('e.number', '=', number).executeTakeFirst();

export const findEngagementById = (db: Executor, structureId: number, engagementId: number) =>
  engagementView(db).where('e.structure_id', '=', structureId).where('e.id', '=', engagementId).executeTakeFirst();

export interface EngagementFilter {
  number?: string;
  state?: EngagementState;
  serviceCode?: string;
  supplierSiret?: string;
}

/** Engagements of a structure matching a filter (number as a prefix), newest first, with the total count. */
export async function searchEngagements(db: Executor, structureId: number, f: EngagementFilter, page: { limit: number; offset: number }) {
  let q = engagementView(db).where('e.structure_id', '=', structureId);
  if (f.number) q = q.where('e.number', 'like', `${escapeLike(f.number)}%`);
  if (f.state) q = q.where('e.state', '=', f.state);
  if (f.serviceCode) q = q.where('sv.code', '=', f.serviceCode);
  if (f.supplierSiret) q = q.where('su.identifier_type', '=', 'SIRET').where('su.identifier', '=', f.supplierSiret);
  const [rows, count] = await Promise.all([
    q.orderBy('e.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export const insertEngagement = (trx: Executor, values: Insertable<EngagementsTable>) =>
  trx.insertInto('engagements').values(values).returning('id').executeTakeFirstOrThrow();

export async function updateEngagementColumns(trx: Executor, engagementId: number, changes: Updateable<EngagementsTable>): Promise<void> {
  await trx.updateTable('engagements').set(changes).where('id', '=', engagementId).execute();
}

export const findSiretStructure = (db: Executor, siret: string) =>
  db.selectFrom('structures').select(['id', 'name']).where('identifier_type', '=', 'SIRET').where('identifier', '=', siret).executeTakeFirst();

/** Escapes LIKE wildcards so user text matches literally (backslash is PostgreSQL's default escape). */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
