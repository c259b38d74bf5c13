import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';

export interface DirectoryCriteria {
  siretPrefix?: string;
  name?: string;
  postcodePrefix?: string;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Active public structures identified by SIRET: the recipients of invoices. */
function recipients(db: Executor, c: DirectoryCriteria) {
  let q = db
    .selectFrom('structures')
    .where('kind', '=', 'PUBLIQUE')
    .where('status', '=', 'ACTIVE')
    .where('identifier_type', '=', 'SIRET');
  if (c.siretPrefix) q = q.where('identifier', 'like', `${escapeLike(c.siretPrefix)}%`);
  if (c.name) q = q.where(sql<boolean>`lower(name) like ${`%${escapeLike(c.name.toLowerCase())}%`}`);
  if (c.postcodePrefix) q = q.where('postcode', 'like', `${escapeLike(c.postcodePrefix)}%`);
  return q;
}

export async function searchRecipients(db: Executor, c: DirectoryCriteria, page?: { limit: number; offset: number }) {
  let q = recipients(db, c)
    .select(['id', 'identifier', 'name', 'address_line', 'postcode', 'city', 'code_service_doit_etre_renseigne', 'numero_ej_doit_etre_renseigne', 'gestion_numero_ej_ou_code_service'])
    .orderBy(sql`lower(name)`)
    .orderBy('identifier');
  if (page) q = q.limit(page.limit).offset(page.offset);
  const [rows, count] = await Promise.all([q.execute(), recipients(db, c).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()]);
  return { rows, total: Number(count.n) };
}

/** Services usable on the given day (active, within validity dates) of these structures, or of every recipient. */
export async function usableServicesOf(db: Executor, structureIds: number[] | 'ALL_RECIPIENTS', isoDay: string) {
  if (structureIds !== 'ALL_RECIPIENTS' && structureIds.length === 0) return [];
  let q = db
    .selectFrom('services')
    .select(['services.structure_id', 'services.code', 'services.name', 'services.numero_ej_doit_etre_renseigne'])
    .where('services.active', '=', true)
    .where((eb) => eb.or([eb('services.valid_from', 'is', null), eb('services.valid_from', '<=', isoDay)]))
    .where((eb) => eb.or([eb('services.valid_to', 'is', null), eb('services.valid_to', '>=', isoDay)]));
  q =
    structureIds === 'ALL_RECIPIENTS'
      ? q.where('services.structure_id', 'in', recipients(db, {}).select('id'))
      : q.where('services.structure_id', 'in', structureIds);
  return q.orderBy('services.code').execute();
}
