import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { pack } from 'tar-stream';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { apiSession } from '../helpers/structure-members.ts';
import { sampleInvoice, ublOf, ciiOf, facturxOf } from '../helpers/einvoices.ts';
import { createService } from '../../src/structures/index.ts';

async function tarGz(files: Record<string, Uint8Array>) {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c) => chunks.push(c as Buffer));
  const ended = new Promise<void>((r) => p.on('end', () => r()));
  for (const [name, body] of Object.entries(files)) p.entry({ name }, Buffer.from(body));
  p.finalize();
  await ended;
  return Buffer.from(gzipSync(Buffer.concat(chunks)));
}

describe('batch deposit: a zip or tar.gz of structured invoices, processed by a job, with a report per file', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  async function world() {
    const gp = await newUser(app);
    const buyerGp = await newUser(app);
    const supplier = await newStructure(app, gp, { name: 'Fournisseur Lot' });
    const buyer = await newStructure(app, buyerGp, { name: 'Mairie Lot', kind: 'PUBLIQUE' });
    await createService(app.ctx, buyerGp, buyer.structureId, { code: 'SERVEXEC', name: 'Service exécutant' });
    return { gp, supplier, buyer, api: await apiSession(app, gp.email) };
  }
  const inv = (w: Awaited<ReturnType<typeof world>>, number: string) => sampleInvoice({ sellerSiret: w.supplier.siret, buyerSiret: w.buyer.siret, number, issueDate: '2026-11-20', serviceCode: 'SERVEXEC', ejNumber: null });
  async function upload(token: string, structureId: number, name: string, bytes: Buffer, submit = false) {
    const boundary = `----lot${Date.now()}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="supplierStructureId"\r\n\r\n${structureId}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="submit"\r\n\r\n${submit}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/zip\r\n\r\n`), bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.http!.inject({ method: 'POST', url: '/api/v1/invoices/batches', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` } });
    return { status: res.statusCode, body: res.json() };
  }
  async function report(api: Awaited<ReturnType<typeof world>>['api'], id: number) {
    for (let i = 0; i < 200; i++) {
      const r = await api.get(`/invoices/batches/${id}`);
      if (r.body.status === 'TRAITE' || r.body.status === 'REJETE') return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`batch ${id} never finished`);
  }

  test('a zip: good files become invoices, the same file twice is recognised, bad files are refused with their reasons', async () => {
    const w = await world();
    const ubl = ublOf(inv(w, 'LOT-001'));
    const wrong = inv(w, 'LOT-003');
    wrong.totals.taxExclusiveAmount = '99.00';
    const zip = Buffer.from(zipSync({
      'lot/LOT-001.xml': ubl,
      'lot/LOT-002.pdf': await facturxOf(inv(w, 'LOT-002')),
      'lot/LOT-003.xml': ciiOf(wrong),
      'lot/notes.txt': strToU8('à lire'),
      'lot/copie-LOT-001.xml': ubl,
    }));
    const sent = await upload(w.api.token, w.supplier.structureId, 'lot-novembre.zip', zip, true);
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const r = await report(w.api, sent.body.batchId);
    assert.equal(r.status, 'TRAITE');
    assert.equal(r.fileCount, 5);
    assert.deepEqual(r.items.map((i: any) => [i.path, i.result, i.code]), [
      ['lot/LOT-001.xml', 'ACCEPTEE', null],
      ['lot/LOT-002.pdf', 'ACCEPTEE', null],
      ['lot/LOT-003.xml', 'REFUSEE', 'EN16931_INVALID'],
      ['lot/notes.txt', 'REFUSEE', 'FILE_TYPE_UNSUPPORTED'],
      ['lot/copie-LOT-001.xml', 'DEJA_DEPOSEE', null],
    ]);
    assert.equal(r.acceptedCount, 3);
    assert.equal(r.refusedCount, 2);
    assert.ok(r.items[2].errors.some((e: any) => e.field === 'totalWithoutVat' && /BT-109/.test(e.message)));
    assert.equal(r.items[4].invoiceId, r.items[0].invoiceId);
    // submit=true: each accepted invoice was sent.
    const first = (await w.api.get(`/invoices/${r.items[0].invoiceId}`)).body;
    assert.ok(['DEPOSEE', 'EN_COURS_ACHEMINEMENT', 'MISE_A_DISPOSITION'].includes(first.status), first.status);
    await app.mailbox!.waitFor(w.gp.email, /Lot « lot-novembre\.zip » traité/);
    const list = await w.api.get(`/invoices/batches?structureId=${w.supplier.structureId}`);
    assert.deepEqual(list.body.batches.map((b: any) => b.id), [sent.body.batchId]);
  });

  test('a tar.gz works the same; an archive with a path trick or a bomb is refused as a whole; outsiders see nothing', async () => {
    const w = await world();
    const tgz = await tarGz({ 'LOT-101.xml': ciiOf(inv(w, 'LOT-101')) });
    const ok = await upload(w.api.token, w.supplier.structureId, 'lot.tar.gz', tgz);
    assert.equal(ok.status, 202);
    const r = await report(w.api, ok.body.batchId);
    assert.deepEqual(r.items.map((i: any) => [i.result, i.invoiceNumber]), [['ACCEPTEE', 'LOT-101']]);
    assert.equal((await w.api.get(`/invoices/${r.items[0].invoiceId}`)).body.status, 'BROUILLON');

    const evil = await upload(w.api.token, w.supplier.structureId, 'evil.zip', Buffer.from(zipSync({ '../../etc/LOT-102.xml': ciiOf(inv(w, 'LOT-102')) })));
    const rejected = await report(w.api, evil.body.batchId);
    assert.equal(rejected.status, 'REJETE');
    assert.equal(rejected.errorCode, 'ARCHIVE_PATH_FORBIDDEN');
    assert.deepEqual(rejected.items, []);
    const bomb = await upload(w.api.token, w.supplier.structureId, 'bombe.zip', Buffer.from(zipSync({ 'bombe.xml': new Uint8Array(11 * 1024 * 1024) })));
    assert.equal((await report(w.api, bomb.body.batchId)).errorCode, 'ARCHIVE_ENTRY_TOO_LARGE');
    await app.mailbox!.waitFor(w.gp.email, /Lot « evil\.zip » refusé/);

    const notArchive = await upload(w.api.token, w.supplier.structureId, 'f.zip', ublOf(inv(w, 'LOT-103')));
    assert.equal(notArchive.status, 400);
    assert.equal(notArchive.body.code, 'ARCHIVE_INVALID');
    const outsider = await apiSession(app, (await newUser(app)).email);
    assert.equal((await outsider.get(`/invoices/batches/${ok.body.batchId}`)).status, 404);
    assert.equal((await upload(outsider.token, w.supplier.structureId, 'lot.tar.gz', tgz)).status, 404);
  });
});

describe('batch deposit on the portal', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock: new TestClock(new Date('2026-11-28T09:00:00Z')) });
  });
  after(async () => app?.cleanup());

  test('the supplier uploads a zip, lands on the report, which lists each file with its result', async () => {
    const { webSession } = await import('../helpers/web-session.ts');
    const gp = await newUser(app);
    const buyerGp = await newUser(app);
    const supplier = await newStructure(app, gp, { name: 'Lot Web' });
    const buyer = await newStructure(app, buyerGp, { name: 'Mairie Web', kind: 'PUBLIQUE' });
    const web = await webSession(app, gp.email);
    const page = `/structures/${supplier.structureId}/factures-emises/deposer`;
    const zip = Buffer.from(zipSync({
      'WEB-LOT-1.xml': ublOf(sampleInvoice({ sellerSiret: supplier.siret, buyerSiret: buyer.siret, number: 'WEB-LOT-1', issueDate: '2026-11-20', serviceCode: null, ejNumber: null })),
      'image.png': strToU8('PNG'),
    }));
    const res = await web.upload(page, `/structures/${supplier.structureId}/factures-emises/lots`, {}, [{ field: 'archive', name: 'lot-web.zip', bytes: zip, type: 'application/zip' }]);
    assert.equal(res.statusCode, 303, res.body);
    let html = '';
    for (let i = 0; i < 100 && !/Statut : <strong>Traité/.test(html); i++) {
      await new Promise((r) => setTimeout(r, 100));
      html = (await web.get(res.headers.location as string)).body;
    }
    assert.match(html, /Statut : <strong>Traité<\/strong> — 2 fichier\(s\) : 1 accepté\(s\), 1 refusé\(s\)/);
    assert.match(html, /Facture WEB-LOT-1/);
    assert.match(html, /n&#39;est ni un PDF Factur-X ni un fichier XML/);
    assert.match((await web.get(page)).body, /lot-web\.zip<\/a> — Traité/);
    const bad = await web.upload(page, `/structures/${supplier.structureId}/factures-emises/lots`, {}, [{ field: 'archive', name: 'pas-un-lot.zip', bytes: Buffer.from('bonjour'), type: 'application/zip' }]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /archive zip ou tar\.gz/);
  });
});
