import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp } from '../helpers/test-app.ts';
import { readDocument, storeDocument, storeDocuments } from '../../src/storage/stored-files.ts';
import { sweepUnreferencedFiles } from '../../src/storage/sweep-files.ts';
import { sha256Hex } from '../../src/storage/blob-store.ts';

describe('sweep of stored files that no row names', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let root: string;
  before(async () => {
    app = await startTestApp({ workers: false });
    root = path.resolve(app.config.DATA_DIR, 'blobs');
  });
  after(async () => app?.cleanup());

  const now = new Date('2026-12-02T03:40:00Z');
  const daysAgo = (file: string, days: number) => {
    const t = new Date(now.getTime() - days * 24 * 3600 * 1000);
    utimesSync(file, t, t);
  };
  const blobFile = (bytes: Buffer) => {
    const sha = sha256Hex(bytes);
    return path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  };
  const packFiles = () => readdirSync(path.join(root, 'packs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  const file = (text: string) => ({ bytes: Buffer.from(text), filename: `${text}.txt`, mediaType: 'text/plain' });

  test('old files without a row go; named files, recent files and other files stay', async () => {
    const { ctx } = app;
    const named = await ctx.db.transaction().execute((trx) => storeDocument(trx, ctx.blobs, file('named alone')));
    const packed = await ctx.db.transaction().execute((trx) => storeDocuments(trx, ctx.blobs, [file('packed 1'), file('packed 2')]));
    const namedPack = packFiles()[0]!;
    // Bytes written by deposits that never committed.
    await ctx.blobs.put(Buffer.from('orphan, old'));
    await ctx.blobs.put(Buffer.from('orphan, recent'));
    await ctx.blobs.putPacked([{ bytes: Buffer.from('orphan pack 1') }, { bytes: Buffer.from('orphan pack 2') }]);
    const orphanPack = packFiles().find((f) => f !== namedPack)!;
    const temporary = `${blobFile(Buffer.from('orphan, old'))}.0123456789ab0.tmp`;
    writeFileSync(temporary, 'half written');
    const stranger = path.join(root, 'README.txt');
    writeFileSync(stranger, 'not ours');
    for (const f of [blobFile(Buffer.from('named alone')), namedPack, blobFile(Buffer.from('orphan, old')), orphanPack, temporary, stranger]) daysAgo(f, 2);

    const report = await sweepUnreferencedFiles(ctx.db, ctx.blobs, now);
    assert.deepEqual({ ...report, bytes: undefined }, { blobs: 1, packs: 1, temporaries: 1, bytes: undefined });
    assert.equal(report.bytes, 'orphan, old'.length + 'orphan pack 1orphan pack 2'.length + 'half written'.length);
    assert.equal(existsSync(blobFile(Buffer.from('orphan, old'))), false);
    assert.equal(existsSync(orphanPack), false);
    assert.equal(existsSync(temporary), false);
    assert.equal(existsSync(blobFile(Buffer.from('orphan, recent'))), true);
    assert.equal(existsSync(stranger), true);
    for (const d of [named, ...packed]) assert.ok((await readDocument(ctx.db, ctx.blobs, d.id))?.bytes.length);
    // Nothing more to sweep.
    assert.deepEqual(await sweepUnreferencedFiles(ctx.db, ctx.blobs, now), { blobs: 0, packs: 0, temporaries: 0, bytes: 0 });
  });

  test('a deposit that found its bytes already there is waited for: its file is not swept under it', async () => {
    const { ctx } = app;
    const bytes = Buffer.from('left by an earlier failed deposit');
    await ctx.blobs.put(bytes);
    daysAgo(blobFile(bytes), 3);
    let commit!: () => void;
    const gate = new Promise<void>((r) => (commit = r));
    let stored!: () => void;
    const inTransaction = new Promise<void>((r) => (stored = r));
    const deposit = ctx.db.transaction().execute(async (trx) => {
      const doc = await storeDocument(trx, ctx.blobs, { ...file('x'), bytes });
      stored();
      await gate;
      return doc;
    });
    await inTransaction;
    let swept = false;
    const sweep = sweepUnreferencedFiles(ctx.db, ctx.blobs, now).then((r) => {
      swept = true;
      return r;
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(swept, false, 'the sweep waits for the deposit to commit');
    } finally {
      commit();
    }
    const doc = await deposit;
    assert.equal((await sweep).blobs, 0);
    assert.deepEqual((await readDocument(ctx.db, ctx.blobs, doc.id))?.bytes, bytes);
  });

  test('a directory that is not the store’s is left alone, and a missing store sweeps nothing', async () => {
    mkdirSync(path.join(root, 'zz', 'yy'), { recursive: true });
    const foreign = path.join(root, 'zz', 'yy', 'a'.repeat(64));
    writeFileSync(foreign, 'x');
    daysAgo(foreign, 5);
    await sweepUnreferencedFiles(app.ctx.db, app.ctx.blobs, now);
    assert.equal(existsSync(foreign), true);
    const { FileSystemBlobStore } = await import('../../src/storage/blob-store.ts');
    assert.deepEqual(await sweepUnreferencedFiles(app.ctx.db, new FileSystemBlobStore(path.join(root, 'nowhere')), now), { blobs: 0, packs: 0, temporaries: 0, bytes: 0 });
  });
});
