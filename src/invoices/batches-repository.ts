import type { Executor } from '../db/open-database.ts';
import type { DepositIssue } from './structured-file.ts';

/** The SQL of invoice batches and their per-file results. */

export const insertBatch = (trx: Executor, v: { supplierId: number; createdBy: number; channel: string; submit: boolean; filename: string; documentId: string; sha256: string; at: Date }) =>
  trx
    .insertInto('invoice_batches')
    .values({ supplier_structure_id: v.supplierId, created_by: v.createdBy, channel: v.channel, submit: v.submit, filename: v.filename, archive_document_id: v.documentId, sha256: v.sha256, created_at: v.at })
    .returning('id')
    .executeTakeFirstOrThrow();

export const findBatch = (db: Executor, id: number) =>
  db
    .selectFrom('invoice_batches as b')
    .innerJoin('users as u', 'u.id', 'b.created_by')
    .innerJoin('documents as d', 'd.id', 'b.archive_document_id')
    .select(['b.id', 'b.supplier_structure_id', 'b.created_by', 'b.channel', 'b.submit', 'b.filename', 'b.archive_document_id', 'b.sha256', 'b.status', 'b.file_count', 'b.accepted_count', 'b.refused_count', 'b.error_code', 'b.error_message', 'b.created_at', 'b.finished_at', 'u.is_technical', 'd.blob_sha256'])
    .where('b.id', '=', id)
    .executeTakeFirst();
export type BatchRow = NonNullable<Awaited<ReturnType<typeof findBatch>>>;

export const listBatches = (db: Executor, supplierId: number, limit = 20) =>
  db.selectFrom('invoice_batches').selectAll().where('supplier_structure_id', '=', supplierId).orderBy('id', 'desc').limit(limit).execute();

export async function setBatchState(trx: Executor, id: number, set: { status: 'EN_COURS' | 'TRAITE' | 'REJETE'; fileCount?: number; errorCode?: string | null; errorMessage?: string | null; finishedAt?: Date | null }) {
  await trx
    .updateTable('invoice_batches')
    .set({
      status: set.status,
      ...(set.fileCount !== undefined ? { file_count: set.fileCount } : {}),
      ...(set.errorCode !== undefined ? { error_code: set.errorCode, error_message: set.errorMessage ?? null } : {}),
      ...(set.finishedAt !== undefined ? { finished_at: set.finishedAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Records (or records again, when a retried job reprocesses it) the result of one file. */
export async function saveBatchItem(
  trx: Executor,
  v: { batchId: number; position: number; path: string; result: 'ACCEPTEE' | 'DEJA_DEPOSEE' | 'REFUSEE'; invoiceId: number | null; invoiceNumber: string | null; code: string | null; message: string | null; errors: DepositIssue[] },
) {
  const row = { path: v.path, result: v.result, invoice_id: v.invoiceId, invoice_number: v.invoiceNumber, code: v.code, message: v.message, errors: JSON.stringify(v.errors) };
  await trx
    .insertInto('invoice_batch_items')
    .values({ batch_id: v.batchId, position: v.position, ...row })
    .onConflict((oc) => oc.columns(['batch_id', 'position']).doUpdateSet(row))
    .execute();
}

export async function countBatchResults(trx: Executor, batchId: number) {
  const rows = await trx.selectFrom('invoice_batch_items').select(['result', (eb) => eb.fn.countAll<number>().as('n')]).where('batch_id', '=', batchId).groupBy('result').execute();
  const n = (r: string) => Number(rows.find((x) => x.result === r)?.n ?? 0);
  return { accepted: n('ACCEPTEE') + n('DEJA_DEPOSEE'), refused: n('REFUSEE') };
}

export async function setBatchCounts(trx: Executor, batchId: number, c: { accepted: number; refused: number }) {
  await trx.updateTable('invoice_batches').set({ accepted_count: c.accepted, refused_count: c.refused }).where('id', '=', batchId).execute();
}

export async function listBatchItems(db: Executor, batchId: number) {
  const rows = await db.selectFrom('invoice_batch_items').selectAll().where('batch_id', '=', batchId).orderBy('position').execute();
  return rows.map((r) => ({ ...r, errors: (typeof r.errors === 'string' ? JSON.parse(r.errors) : r.errors) as DepositIssue[] }));
}
