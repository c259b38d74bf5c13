import type { Executor } from '../db/open-database.ts';
import type { StructuresTable } from '../db/schema.ts';
import type { Updateable } from 'kysely';

/** Writes the editable columns of a structure (identity, address, status, parameters). */
export async function updateStructureColumns(trx: Executor, structureId: number, changes: Updateable<StructuresTable>, at: Date): Promise<void> {
  await trx.updateTable('structures').set({ ...changes, updated_at: at }).where('id', '=', structureId).execute();
}
