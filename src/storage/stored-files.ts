import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/open-database.ts';
import { insertRows } from '../db/insert-rows.ts';
import type { BlobStore } from './blob-store.ts';
import { holdBlobFiles } from './sweep-files.ts';

/**
 * Keeps a file durably: bytes in the blob store (before the transaction commits, so a committed
 * row never points at missing bytes), metadata in the database through the given transaction, which holds the
 * blob files' lock until it commits (the sweep of unnamed files waits for it).
 */
export async function storeDocument(
  trx: Executor,
  store: BlobStore,
  file: { bytes: Uint8Array; sha256?: string; filename: string; mediaType: string; structureId?: number | null; uploadedBy?: number | null },
): Promise<{ id: string; sha256: string; size: number }> {
  await holdBlobFiles(trx);
  const { sha256, size } = await store.put(file.bytes, file.sha256);
  await trx
    .insertInto('blobs')
    .values({ sha256, size_bytes: size, media_type: file.mediaType })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const row = await trx
    .insertInto('documents')
    .values({
      blob_sha256: sha256,
      filename: file.filename,
      structure_id: file.structureId ?? null,
      uploaded_by: file.uploadedBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, sha256, size };
}

/**
 * Keeps several files at once (a batch): bytes in the blob store as one pack, then one insert of their blobs and one
 * of their documents (ids made here, so each file's document is known without relying on the order of RETURNING).
 * A blob already known keeps its first place (its row is not changed): the copy in this pack is then unused.
 */
export async function storeDocuments(
  trx: Executor,
  store: BlobStore,
  files: Array<{ bytes: Uint8Array; sha256?: string; filename: string; mediaType: string; structureId?: number | null; uploadedBy?: number | null }>,
): Promise<Array<{ id: string; sha256: string; size: number }>> {
  if (!files.length) return [];
  if (files.length === 1) await holdBlobFiles(trx);
  const put = files.length === 1 ? [{ ...(await store.put(files[0]!.bytes, files[0]!.sha256)), at: null }] : await store.putPacked(files);
  const blobs = new Map(put.map((p, i) => [p.sha256, { sha256: p.sha256, size_bytes: p.size, media_type: files[i]!.mediaType, pack: p.at?.pack ?? null, pack_offset: p.at?.offset ?? null }]));
  await insertRows(trx, 'blobs', [...blobs.values()], 'on conflict ("sha256") do nothing');
  const ids = files.map(() => randomUUID());
  await insertRows(trx, 'documents', files.map((f, i) => ({ id: ids[i]!, blob_sha256: put[i]!.sha256, filename: f.filename, structure_id: f.structureId ?? null, uploaded_by: f.uploadedBy ?? null })));
  return files.map((_, i) => ({ id: ids[i]!, sha256: put[i]!.sha256, size: put[i]!.size }));
}

export async function readDocument(db: Executor, store: BlobStore, id: string) {
  const doc = await db
    .selectFrom('documents')
    .innerJoin('blobs', 'blobs.sha256', 'documents.blob_sha256')
    .select(['documents.id', 'documents.filename', 'documents.structure_id', 'blobs.sha256', 'blobs.media_type', 'blobs.size_bytes', 'blobs.pack', 'blobs.pack_offset'])
    .where('documents.id', '=', id)
    .executeTakeFirst();
  if (!doc) return null;
  const { pack, pack_offset, ...file } = doc;
  return { ...file, bytes: await store.get(doc.sha256, pack === null ? null : { pack, offset: pack_offset!, size: doc.size_bytes }) };
}
