import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp } from '../helpers/test-app.ts';
import { uniqueEmail } from '../helpers/factories.ts';
import { enqueue } from '../../src/queue/queue.ts';
import { sendMailJob } from '../../src/queue/jobs.ts';
import { FileSystemBlobStore, sha256Hex } from '../../src/storage/blob-store.ts';
import { storeDocument, storeDocuments, readDocument } from '../../src/storage/stored-files.ts';
import { loadConfig } from '../../src/config/index.ts';

describe('infrastructure', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.cleanup());

  test('a job enqueued in a rolled-back transaction never runs; a committed one does', async () => {
    const lost = uniqueEmail('lost');
    const kept = uniqueEmail('kept');
    await assert.rejects(
      app.ctx.db.transaction().execute(async (trx) => {
        await enqueue(trx, sendMailJob, { to: lost, subject: 'Perdu', text: 'ne doit pas partir' });
        throw new Error('the use case fails after enqueueing');
      }),
      /use case fails/,
    );
    await app.ctx.db.transaction().execute(async (trx) => {
      await enqueue(trx, sendMailJob, { to: kept, subject: 'Gardé', text: 'doit partir' });
    });
    await app.mailbox!.waitFor(kept, /Gardé/);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(app.mailbox!.messages.some((m) => m.to.includes(lost)), false);
  });

  test('files are content-addressed, stored once, durable across store instances, with metadata in the database', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 facture de test');
    const a = await app.ctx.db.transaction().execute((trx) => storeDocument(trx, app.ctx.blobs, { bytes, filename: 'facture.pdf', mediaType: 'application/pdf' }));
    const b = await app.ctx.db.transaction().execute((trx) => storeDocument(trx, app.ctx.blobs, { bytes, filename: 'copie.pdf', mediaType: 'application/pdf' }));
    assert.equal(a.sha256, sha256Hex(bytes));
    assert.equal(a.sha256, b.sha256);
    assert.notEqual(a.id, b.id);
    const blobs = await app.ctx.db.selectFrom('blobs').selectAll().where('sha256', '=', a.sha256).execute();
    assert.equal(blobs.length, 1);
    assert.equal(Number(blobs[0].size_bytes), bytes.byteLength);
    const onDisk = path.join(app.config.DATA_DIR, 'blobs', a.sha256.slice(0, 2), a.sha256.slice(2, 4), a.sha256);
    assert.deepEqual(new Uint8Array(readFileSync(onDisk)), bytes);
    const fresh = new FileSystemBlobStore(path.join(app.config.DATA_DIR, 'blobs'));
    const doc = await readDocument(app.ctx.db, fresh, b.id);
    assert.equal(doc?.filename, 'copie.pdf');
    assert.deepEqual(new Uint8Array(doc!.bytes), bytes);
  });

  test('files stored as a batch go in one pack; each reads back, a blob already kept keeps its place', async () => {
    const known = new TextEncoder().encode('<Invoice>déjà là</Invoice>');
    const first = await app.ctx.db.transaction().execute((trx) => storeDocument(trx, app.ctx.blobs, { bytes: known, filename: 'connue.xml', mediaType: 'application/xml' }));
    const batch = [known, ...Array.from({ length: 5 }, (_, i) => new TextEncoder().encode(`<Invoice>lot ${i} ${Date.now()}</Invoice>`))];
    const docs = await app.ctx.db.transaction().execute((trx) =>
      storeDocuments(trx, app.ctx.blobs, batch.map((bytes, i) => ({ bytes, filename: `f${i}.xml`, mediaType: 'application/xml' }))),
    );
    const rows = await app.ctx.db.selectFrom('blobs').select(['sha256', 'pack', 'pack_offset', 'size_bytes']).where('sha256', 'in', docs.map((d) => d.sha256)).execute();
    const bySha = new Map(rows.map((r) => [r.sha256, r]));
    assert.equal(bySha.get(first.sha256)!.pack, null, 'the loose blob keeps its row');
    const packs = new Set(docs.slice(1).map((d) => bySha.get(d.sha256)!.pack));
    assert.equal(packs.size, 1);
    assert.match([...packs][0]!, /^[0-9a-f]{24}\.pack$/);
    const fresh = new FileSystemBlobStore(path.join(app.config.DATA_DIR, 'blobs'));
    for (let i = 0; i < batch.length; i++) {
      const doc = await readDocument(app.ctx.db, fresh, docs[i]!.id);
      assert.equal(doc?.filename, `f${i}.xml`);
      assert.deepEqual(new Uint8Array(doc!.bytes), batch[i]);
      assert.equal('pack' in doc!, false, 'the place stays inside the storage');
    }
  });

  test('the blob store refuses malformed addresses', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'blobs-'));
    try {
      const store = new FileSystemBlobStore(dir);
      await assert.rejects(store.get('../../etc/passwd'), /invalid sha256/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('configuration is validated at start with a clear message', () => {
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL must start with pglite:\/\/ or postgres:\/\//);
    assert.throws(() => loadConfig({ PORT: 'huit' }), /PORT/);
    const c = loadConfig({ PORT: '9090' });
    assert.equal(c.publicUrl, 'http://localhost:9090');
    assert.equal(c.devMailbox, true);
    assert.equal(loadConfig({ PUBLIC_URL: 'https://ouvrage.example.fr/' }).secureCookies, true);
  });

  test('the OpenAPI document is served and lists the native API', async () => {
    const res = await app.http!.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.ok(doc.openapi.startsWith('3.'));
    assert.ok(doc.paths['/api/v1/sessions']);
    assert.ok(doc.paths['/api/v1/structures']);
  });
});
