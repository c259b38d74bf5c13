import type { Executor } from '../db/open-database.ts';

/** The few reads the façade needs that no use case offers: Chorus Pro addresses structures by integer id and SIRET. */
export const structuresByIdentifiers = (db: Executor, identifiers: string[]) =>
  identifiers.length
    ? db.selectFrom('structures').select(['id', 'identifier']).where('identifier', 'in', identifiers).execute()
    : Promise.resolve([] as Array<{ id: number; identifier: string }>);

/** A structure anyone may consult through the API: an active public one (directory data). */
export const publicStructure = (db: Executor, id: number) =>
  db.selectFrom('structures').selectAll().where('id', '=', id).where('kind', '=', 'PUBLIQUE').where('status', '=', 'ACTIVE').executeTakeFirst();
