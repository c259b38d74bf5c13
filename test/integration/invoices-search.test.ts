import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { apiSession } from '../helpers/structure-members.ts';
import { webSession } from '../helpers/web-session.ts';

describe('invoice search: each criterion, both sides, pagination, CSV export (API and web)', () => {
  const clock = new TestClock(new Date('2026-11-30T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let w: Awaited<ReturnType<typeof world>>;
  const ids: Record<string, number> = {};

  async function world() {
    const sGp = await newUser(app, { firstName: 'Sophie', lastName: 'Arnaud' });
    const tGp = await newUser(app, { firstName: 'Thomas', lastName: 'Bastide' });
    const bGp = await newUser(app, { firstName: 'Bruno', lastName: 'Lestrade' });
    const cGp = await newUser(app, { firstName: 'Chloé', lastName: 'Département' });
    const s = await newStructure(app, sGp, { name: 'Menuiserie Arnaud' });
    const t = await newStructure(app, tGp, { name: 'Plomberie Bastide' });
    const b = await newStructure(app, bGp, { name: 'Commune de Lestrade', kind: 'PUBLIQUE' });
    const c = await newStructure(app, cGp, { name: 'Département du Test', kind: 'PUBLIQUE' });
    return { sGp, bGp, s, t, b, c, sApi: await apiSession(app, sGp.email), tApi: await apiSession(app, tGp.email), bApi: await apiSession(app, bGp.email) };
  }
  async function invoice(key: string, api: { post: Function; get: Function }, supplierStructureId: number, recipientSiret: string, number: string, invoiceDate: string, unitPrice: string, send: boolean) {
    const r = await api.post('/invoices', { supplierStructureId, recipientSiret, number, invoiceDate, lines: [{ description: 'Travaux', quantity: '1', unitPrice, vatRate: '20' }] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids[key] = r.body.invoiceId;
    if (!send) return;
    assert.equal((await api.post(`/invoices/${ids[key]}/submit`)).status, 200);
    for (let i = 0; i < 100; i++) {
      if ((await api.get(`/invoices/${ids[key]}`)).body?.status === 'MISE_A_DISPOSITION') return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`${number} not made available`);
  }

  before(async () => {
    app = await startTestApp({ clock });
    w = await world();
    await invoice('S1', w.sApi, w.s.structureId, w.b.siret, 'A-2026-001', '2026-01-10', '100.00', true); // TTC 120.00
    await invoice('S2', w.sApi, w.s.structureId, w.b.siret, 'A-2026-002', '2026-02-15', '1000.00', true); // 1 200.00
    await invoice('S3', w.sApi, w.s.structureId, w.c.siret, 'B-2026-001', '2026-03-20', '5000.00', true); // 6 000.00
    await invoice('S4', w.sApi, w.s.structureId, w.b.siret, 'A-2026-003', '2026-03-01', '50.00', false); // draft, 60.00
    await invoice('T1', w.tApi, w.t.structureId, w.b.siret, 'A-2026-001', '2026-02-01', '300.00', true); // 360.00
  });
  after(async () => app?.cleanup());

  const sent = (q: Record<string, string>) => w.sApi.get(`/invoices?${new URLSearchParams({ structureId: String(w.s.structureId), side: 'EMISES', ...q })}`);
  const received = (q: Record<string, string>) => w.bApi.get(`/invoices?${new URLSearchParams({ structureId: String(w.b.structureId), side: 'RECUES', ...q })}`);
  const keys = (body: any) => body.invoices.map((i: any) => Object.keys(ids).find((k) => ids[k] === i.id));

  test('sent invoices: all newest first, number prefix (LIKE characters taken literally), status, invoice date range, amount range (TTC, comma or point, bounds included), recipient by name or SIRET', async () => {
    assert.deepEqual(keys((await sent({})).body), ['S4', 'S3', 'S2', 'S1']);
    assert.deepEqual(keys((await sent({ number: 'A-2026' })).body), ['S4', 'S2', 'S1']);
    assert.deepEqual(keys((await sent({ number: 'A-2026-001' })).body), ['S1']);
    assert.deepEqual(keys((await sent({ number: 'A-2026-00_' })).body), [], '_ is not a wildcard');
    assert.deepEqual(keys((await sent({ number: '%' })).body), [], '% is not a wildcard');
    assert.deepEqual(keys((await sent({ status: 'BROUILLON' })).body), ['S4']);
    assert.deepEqual(keys((await sent({ status: 'MISE_A_DISPOSITION' })).body), ['S3', 'S2', 'S1']);
    assert.deepEqual(keys((await sent({ dateFrom: '2026-02-15', dateTo: '2026-03-01' })).body), ['S4', 'S2']);
    assert.deepEqual(keys((await sent({ dateFrom: '2026-03-02' })).body), ['S3']);
    assert.deepEqual(keys((await sent({ dateTo: '2026-01-10' })).body), ['S1']);
    assert.deepEqual(keys((await sent({ amountMin: '120', amountMax: '1200,00' })).body), ['S2', 'S1']);
    assert.deepEqual(keys((await sent({ amountMin: '1200.01' })).body), ['S3']);
    assert.deepEqual(keys((await sent({ amountMax: '60' })).body), ['S4']);
    assert.deepEqual(keys((await sent({ counterpart: 'LESTRADE' })).body), ['S4', 'S2', 'S1']);
    assert.deepEqual(keys((await sent({ counterpart: w.c.siret })).body), ['S3']);
    assert.deepEqual(keys((await sent({ counterpart: 'Lestrade', number: 'A-2026-00', amountMin: '100', dateTo: '2026-02-28', status: 'MISE_A_DISPOSITION' })).body), ['S2', 'S1']);
  });

  test('received invoices: only what reached the buyer, from every supplier; supplier by name or SIRET; same number from two suppliers', async () => {
    assert.deepEqual(keys((await received({})).body), ['T1', 'S2', 'S1']);
    assert.deepEqual(keys((await received({ status: 'BROUILLON' })).body), [], 'a draft never reaches the buyer');
    assert.deepEqual(keys((await received({ number: 'A-2026-001' })).body), ['T1', 'S1']);
    assert.deepEqual(keys((await received({ counterpart: 'bastide' })).body), ['T1']);
    assert.deepEqual(keys((await received({ counterpart: w.s.siret })).body), ['S2', 'S1']);
    assert.deepEqual(keys((await received({ amountMin: '300', amountMax: '400' })).body), ['T1']);
    assert.deepEqual(keys((await received({ dateFrom: '2026-02-01', dateTo: '2026-02-01' })).body), ['T1']);
    assert.equal((await w.bApi.get(`/invoices?structureId=${w.s.structureId}&side=EMISES`)).status, 404, "another structure's invoices");
  });

  test('pagination: pages of the asked size, the total of the whole search, newest first across pages', async () => {
    const p1 = await sent({ pageSize: '3', page: '1' });
    const p2 = await sent({ pageSize: '3', page: '2' });
    assert.equal(p1.body.total, 4);
    assert.equal(p2.body.total, 4);
    assert.deepEqual([...keys(p1.body), ...keys(p2.body)], ['S4', 'S3', 'S2', 'S1']);
    assert.deepEqual(keys((await sent({ number: 'A-2026', pageSize: '2', page: '2' })).body), ['S1']);
    assert.deepEqual((await sent({ page: '9' })).body.invoices, []);
  });

  test('bad criteria: a clear French message per field and a stable code', async () => {
    const r = await sent({ dateFrom: '31/01/2026', amountMin: 'mille', pageSize: '1000' });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'INVALID_INPUT');
    assert.match(r.body.fields.dateFrom, /AAAA-MM-JJ/);
    assert.match(r.body.fields.amountMin, /Montant invalide/);
    assert.ok(r.body.fields.pageSize);
  });

  test('CSV export of a search (API and web) carries every criterion, amounts included', async () => {
    const csv = await w.sApi.get(`/invoices/export.csv?${new URLSearchParams({ structureId: String(w.s.structureId), side: 'EMISES', amountMin: '100', amountMax: '2000' })}`);
    assert.equal(csv.status, 200);
    const lines = csv.raw.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    assert.equal(lines.length, 3);
    assert.deepEqual(lines.slice(1).map((l: string) => l.split(';')[1]), ['A-2026-002', 'A-2026-001']);

    const web = await webSession(app, w.sGp.email);
    const page = await web.get(`/structures/${w.s.structureId}/factures-emises?amountMin=100&amountMax=2000&counterpart=Lestrade`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /2 factures\./);
    assert.match(page.body, /id="amountMin"[^>]*value="100"/);
    const link = page.body.match(/href="([^"]*export\.csv[^"]*)"/)![1].replace(/&amp;/g, '&');
    assert.match(link, /amountMin=100&amountMax=2000/);
    const exported = await web.get(link);
    assert.equal(exported.statusCode, 200);
    assert.deepEqual(exported.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((l: string) => l.split(';')[1]), ['A-2026-002', 'A-2026-001']);

    const bad = await web.get(`/structures/${w.s.structureId}/factures-emises?amountMin=beaucoup`);
    assert.equal(bad.statusCode, 200);
    assert.match(bad.body, /Corrigez les critères de recherche/);
    assert.match(bad.body, /Montant invalide/);
    assert.match(bad.body, /Aucune facture\./);
  });
});
