import { createHash } from 'node:crypto';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { enqueue } from '../queue/queue.ts';
import { processInvoiceBatchJob } from '../queue/jobs.ts';
import { storeDocument } from '../storage/stored-files.ts';
import { findStructure, loadMembership } from '../structures/index.ts';
import { notify } from '../notifications/index.ts';
import { ARCHIVE_LIMITS, ArchiveError, archiveKindOf, readArchive } from './batch-archive.ts';
import { countBatchResults, findBatch, insertBatch, listBatchItems, listBatches, saveBatchItem, setBatchCounts, setBatchState } from './batches-repository.ts';
import { authorizeSupplier, depositStructuredInvoices, type DepositChannel } from './deposit-structured-invoice.ts';

/** Files of a batch deposited together. */
const CHUNK = 100;
import { canOnInvoice } from './permissions.ts';

const MB = (n: number) => `${Math.round(n / 1024 / 1024)} Mo`;

/**
 * The supplier deposits a batch: a zip or tar.gz of Factur-X, UBL or CII files. The archive is stored and a job
 * enqueued in the same transaction; the job deposits each file through depositStructuredInvoice and records a
 * result per file (the report). Returns at once with the batch id.
 */
export async function depositInvoiceBatch(ctx: Ctx, actor: Actor, supplierStructureId: number, file: { bytes: Uint8Array; filename: string }, options: { channel?: Exclude<DepositChannel, 'FLUX'>; submit?: boolean } = {}) {
  await authorizeSupplier(ctx, actor, supplierStructureId);
  const fields = (m: string) => new AppError('VALIDATION', 'ARCHIVE_INVALID', m, { file: m });
  if (!file.bytes.byteLength) throw fields(`Le fichier « ${file.filename} » est vide.`);
  if (file.bytes.byteLength > ARCHIVE_LIMITS.maxArchiveBytes) throw new AppError('TOO_LARGE', 'ARCHIVE_TOO_LARGE', `L'archive dépasse ${MB(ARCHIVE_LIMITS.maxArchiveBytes)}.`, { file: `L'archive dépasse ${MB(ARCHIVE_LIMITS.maxArchiveBytes)}.` });
  if (!archiveKindOf(file.bytes)) throw fields('Le lot doit être une archive zip ou tar.gz de factures Factur-X, UBL ou CII.');
  const now = ctx.clock.now();
  const filename = (file.filename.split(/[\\/]/).pop() || 'lot.zip').slice(0, 200);
  return ctx.db.transaction().execute(async (trx) => {
    const doc = await storeDocument(trx, ctx.blobs, { bytes: file.bytes, filename, mediaType: filename.toLowerCase().endsWith('.zip') ? 'application/zip' : 'application/gzip', structureId: supplierStructureId, uploadedBy: actor.userId });
    const { id } = await insertBatch(trx, { supplierId: supplierStructureId, createdBy: actor.userId, channel: options.channel ?? 'API', submit: !!options.submit, filename, documentId: doc.id, sha256: createHash('sha256').update(file.bytes).digest('hex'), at: now });
    await enqueue(trx, processInvoiceBatchJob, { batchId: id });
    return { batchId: id, status: 'RECU' as const };
  });
}

/**
 * The batch job: reads the archive (bounded: see batch-archive.ts), deposits each file, records each result.
 * Safe to run again (a retried job): results are upserted and deposits are idempotent per file.
 */
export async function processInvoiceBatch(ctx: Ctx, batchId: number): Promise<void> {
  const batch = await findBatch(ctx.db, batchId);
  if (!batch || batch.status === 'TRAITE' || batch.status === 'REJETE') return;
  await setBatchState(ctx.db, batchId, { status: 'EN_COURS' });
  const bytes = await ctx.blobs.get(batch.blob_sha256);
  let entries;
  try {
    entries = (await readArchive(bytes)).entries;
  } catch (err) {
    if (!(err instanceof ArchiveError)) throw err;
    await ctx.db.transaction().execute(async (trx) => {
      await setBatchState(trx, batchId, { status: 'REJETE', errorCode: err.code, errorMessage: err.userMessage, finishedAt: ctx.clock.now() });
      await notifyDepositor(trx, ctx, batch, `Lot « ${batch.filename} » refusé : ${err.userMessage}`);
    });
    return;
  }
  await setBatchState(ctx.db, batchId, { status: 'EN_COURS', fileCount: entries.length });
  const actor: Actor = { userId: batch.created_by, isTechnical: batch.is_technical };
  // By chunks deposited together (one transaction each); a retried job finds the invoices already made (DEJA_DEPOSEE).
  for (let from = 0; from < entries.length; from += CHUNK) {
    const chunk = entries.slice(from, from + CHUNK);
    const base = (k: number) => ({ batchId, position: from + k + 1, path: chunk[k]!.path.slice(0, 500) });
    let results;
    try {
      results = await depositStructuredInvoices(ctx, actor, batch.supplier_structure_id, chunk.map((e) => ({ bytes: e.bytes, filename: e.filename })), { channel: batch.channel as DepositChannel, submit: batch.submit });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      for (let k = 0; k < chunk.length; k++) await saveBatchItem(ctx.db, { ...base(k), result: 'REFUSEE', invoiceId: null, invoiceNumber: null, code: err.code, message: err.userMessage, errors: [] });
      continue;
    }
    for (const [k, r] of results.entries())
      await saveBatchItem(ctx.db, r.ok
        ? { ...base(k), result: r.duplicate ? 'DEJA_DEPOSEE' : 'ACCEPTEE', invoiceId: r.invoiceId, invoiceNumber: r.number, code: null, message: null, errors: r.warnings }
        : { ...base(k), result: 'REFUSEE', invoiceId: null, invoiceNumber: null, code: r.code, message: r.message, errors: r.errors });
  }
  await ctx.db.transaction().execute(async (trx) => {
    const counts = await countBatchResults(trx, batchId);
    await setBatchCounts(trx, batchId, counts);
    await setBatchState(trx, batchId, { status: 'TRAITE', finishedAt: ctx.clock.now() });
    await notifyDepositor(trx, ctx, batch, `Lot « ${batch.filename} » traité : ${counts.accepted} facture${counts.accepted > 1 ? 's' : ''} acceptée${counts.accepted > 1 ? 's' : ''}, ${counts.refused} refusée${counts.refused > 1 ? 's' : ''}.`);
  });
}

async function notifyDepositor(trx: Parameters<typeof notify>[0], ctx: Ctx, batch: { id: number; supplier_structure_id: number; created_by: number; filename: string }, message: string) {
  const link = `/structures/${batch.supplier_structure_id}/factures-emises/lots/${batch.id}`;
  await notify(trx, { userId: batch.created_by, structureId: batch.supplier_structure_id, kind: 'INVOICE_BATCH', message, link, mail: { subject: message.split(' : ')[0], text: `Bonjour,\n\n${message}\n\nLe compte rendu fichier par fichier : ${ctx.config.publicUrl}${link}\n` } });
}

async function authorizeViewer(ctx: Ctx, actor: Actor, supplierStructureId: number) {
  const structure = await findStructure(ctx.db, supplierStructureId);
  const m = structure ? await loadMembership(ctx.db, actor.userId, supplierStructureId, actor.isTechnical) : null;
  if (!structure || !m || m.role === null) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Lot introuvable.');
  if (!canOnInvoice(m, 'invoice.supplier.view', null)) throw new AppError('FORBIDDEN', 'FORBIDDEN', "Vous n'avez pas accès à l'espace « Factures émises » de cette structure.");
  return structure;
}

/** A batch and its result per file, for whoever sees the supplier's « Factures émises ». */
export async function getInvoiceBatch(ctx: Ctx, actor: Actor, batchId: number) {
  const batch = await findBatch(ctx.db, batchId);
  if (!batch) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Lot introuvable.');
  await authorizeViewer(ctx, actor, batch.supplier_structure_id);
  return { batch, items: await listBatchItems(ctx.db, batchId) };
}

/** The latest batches of a supplier structure. */
export async function listInvoiceBatches(ctx: Ctx, actor: Actor, supplierStructureId: number) {
  await authorizeViewer(ctx, actor, supplierStructureId);
  return listBatches(ctx.db, supplierStructureId);
}
