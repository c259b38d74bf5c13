import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { BlobStore, StoredFile } from './blob-store.ts';

/** Files younger than this are never swept: their transaction may still be running. */
export const SWEEP_GRACE_MS = 24 * 3600 * 1000;

/**
 * Taken shared by a transaction that keeps a blob as its own file (storeDocument) until it commits, and exclusively
 * by the sweep while it removes such files: a transaction that found the file already there (a blob's bytes are
 * kept once) never commits a row that points at a file the sweep removed meanwhile.
 */
const BLOB_FILES_LOCK = 0x6f757672616765n; // "ouvrage"

export async function holdBlobFiles(trx: Executor) {
  await sql`select pg_advisory_xact_lock_shared(${BLOB_FILES_LOCK.toString()}::bigint)`.execute(trx);
}

export interface SweepReport {
  blobs: number;
  packs: number;
  temporaries: number;
  bytes: number;
}

/**
 * Removes the files of the store that no row names, once older than `graceMs`: a blob whose row was never committed
 * (a deposit that failed after its bytes were written), a pack of a flow's chunk whose transaction did not commit
 * (a worker killed), a temporary file a crash left. A pack stays whole while any of its blobs is named.
 */
export async function sweepUnreferencedFiles(db: Executor, store: BlobStore, now: Date, graceMs = SWEEP_GRACE_MS): Promise<SweepReport> {
  const report: SweepReport = { blobs: 0, packs: 0, temporaries: 0, bytes: 0 };
  const before = now.getTime() - graceMs;
  const remove = async (f: StoredFile) => {
    await store.remove(f);
    report[f.kind === 'blob' ? 'blobs' : f.kind === 'pack' ? 'packs' : 'temporaries']++;
    report.bytes += f.size;
  };
  let batch: StoredFile[] = [];
  const sweep = async () => {
    const files = batch;
    batch = [];
    for (const f of files) if (f.kind === 'temporary') await remove(f);
    const packs = files.filter((f) => f.kind === 'pack');
    for (const f of await unnamed(db, packs)) await remove(f);
    // Blobs as files: checked again and removed under the exclusive lock, so that no deposit is between its write
    // and its commit (see BLOB_FILES_LOCK).
    const blobs = await unnamed(db, files.filter((f) => f.kind === 'blob'));
    if (blobs.length)
      await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${BLOB_FILES_LOCK.toString()}::bigint)`.execute(trx);
        for (const f of await unnamed(trx, blobs)) await remove(f);
      });
  };
  for await (const f of store.storedFiles()) {
    if (f.modifiedAt.getTime() >= before) continue;
    batch.push(f);
    if (batch.length >= 1000) await sweep();
  }
  await sweep();
  return report;
}

/** The files among these that no blob row names (blobs: by their SHA-256; packs: by their name). */
async function unnamed(db: Executor, files: StoredFile[]): Promise<StoredFile[]> {
  if (!files.length) return [];
  const names = files.map((f) => f.name);
  const kind = files[0]!.kind;
  const { rows } = kind === 'pack'
    ? await sql<{ name: string }>`select distinct pack as name from blobs where pack = any(${names}::text[])`.execute(db)
    : await sql<{ name: string }>`select sha256 as name from blobs where sha256 = any(${names}::text[])`.execute(db);
  const named = new Set(rows.map((r) => r.name));
  return files.filter((f) => !named.has(f.name));
}
