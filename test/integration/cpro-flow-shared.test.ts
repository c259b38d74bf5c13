import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/test-app.ts';
import { sandbox } from '../helpers/cpro.ts';
import { sampleInvoice, ublOf } from '../helpers/einvoices.ts';
import { zipOf } from '../helpers/cpro-flows.ts';
import { integrateFlow } from '../../src/cpro/index.ts';
import { claimChunk } from '../../src/cpro/flows-repository.ts';

/**
 * A flow's chunks are shared by every worker: two integrations of one flow run at once (as two worker processes
 * would, here in one process, which also runs on PGlite; test/integration/cpro-flow-crash.test.ts has two real
 * processes on PostgreSQL) claim disjoint chunks, each file once, and the final status is set once. A chunk whose
 * claim ran out (a worker that died) is taken over.
 */
const SUPPLIER = '90100001800019';
const LIBRE = '12345678200051';
const FINAL = ['IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE'];

describe('Chorus-compatible flows: one flow integrated by several workers together', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let supplier: Awaited<ReturnType<Awaited<ReturnType<typeof sandbox>>['as']>>;
  let supplierId: number;
  before(async () => {
    // No job worker: the test runs the integrations itself.
    app = await startTestApp({ workers: false });
    const sb = await sandbox(app);
    supplier = await sb.as('fournisseur');
    supplierId = sb.structure('fournisseur').idStructureCPP;
    // Every final status written to a flow, to prove it is written once.
    await sql`CREATE TABLE test_flow_finals (flow_id integer, status text)`.execute(app.ctx.db);
    await sql`CREATE FUNCTION test_flow_final() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO test_flow_finals VALUES (NEW.id, NEW.status); RETURN NEW; END $$`.execute(app.ctx.db);
    await sql`CREATE TRIGGER test_flow_final AFTER UPDATE OF status ON cpro_flows FOR EACH ROW WHEN (NEW.status IN ('IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE')) EXECUTE FUNCTION test_flow_final()`.execute(app.ctx.db);
  });
  after(async () => app?.cleanup());

  async function depositFlow(prefix: string, count: number) {
    const model = sampleInvoice({ sellerSiret: SUPPLIER, buyerSiret: LIBRE, number: '', issueDate: '2026-11-27', serviceCode: null, ejNumber: null });
    const numbers = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);
    const zip = zipOf(numbers.map((n) => ({ name: `lot/${n}.xml`, bytes: ublOf({ ...model, number: n }) })));
    const r = await supplier.post('factures/v1/deposer/flux', { fichierFlux: zip.toString('base64'), nomFichier: `${prefix}.zip`, syntaxeFlux: 'IN_DP_E1_UBL_INVOICE', avecSignature: false });
    assert.equal(r.body?.codeRetour, 0, JSON.stringify(r.body));
    const flowId = (await app.ctx.db.selectFrom('cpro_flows').select('id').where('numero', '=', r.body.numeroFluxDepot).executeTakeFirstOrThrow()).id;
    return { flowId, numbers };
  }

  /** Runs the integration until it is DONE, as the job and its retries would. */
  async function untilDone(flowId: number) {
    for (let i = 0; i < 20; i++) {
      const run = await integrateFlow(app.ctx, flowId);
      if (run.outcome !== 'BUSY') return run.outcome;
      await new Promise((r) => setTimeout(r, Math.max(0, run.retryAt.getTime() - Date.now())));
    }
    throw new Error('the flow never finished');
  }

  async function assertIntegratedOnce(flowId: number, prefix: string, numbers: string[]) {
    const invoices = await app.ctx.db.selectFrom('invoices').select(['id', 'number']).where('supplier_structure_id', '=', supplierId).where('number', 'like', `${prefix}-%`).execute();
    assert.deepEqual(invoices.map((i) => i.number).sort(), numbers, 'each invoice once, none lost');
    const items = await app.ctx.db.selectFrom('cpro_flow_items').selectAll().where('flow_id', '=', flowId).orderBy('position').execute();
    assert.equal(items.length, numbers.length);
    assert.ok(items.every((i) => i.state === 'INTEGREE'), JSON.stringify(items.filter((i) => i.state !== 'INTEGREE').slice(0, 3)));
    const byNumber = new Map(invoices.map((i) => [i.number, i.id]));
    for (const item of items) assert.equal(item.invoice_id, byNumber.get(item.invoice_number!));
    const flow = await app.ctx.db.selectFrom('cpro_flows').selectAll().where('id', '=', flowId).executeTakeFirstOrThrow();
    assert.equal(flow.status, 'IN_INTEGRE');
    assert.equal(flow.integrated_count, numbers.length);
    assert.equal(flow.rejected_count, 0);
    const finals = await sql<{ status: string }>`SELECT status FROM test_flow_finals WHERE flow_id = ${flowId}`.execute(app.ctx.db);
    assert.deepEqual(finals.rows.map((r) => r.status), ['IN_INTEGRE'], 'the final status is written once');
    return items;
  }

  test('a flow deposited while a worker is on another is started by that worker between two chunks, then integrated by its own job', { timeout: 600_000 }, async () => {
    const busy = await depositFlow('BUSY', 150);
    const waiting = await depositFlow('WAITING', 30);
    // The worker on the first flow: after its first chunk it makes the second flow's files rows (and its helper
    // jobs), without integrating them.
    assert.equal(await untilDone(busy.flowId), 'DONE');
    const started = await app.ctx.db.selectFrom('cpro_flows').select(['status', 'file_count']).where('id', '=', waiting.flowId).executeTakeFirstOrThrow();
    assert.deepEqual(started, { status: 'IN_EN_COURS_TRAITEMENT_CPP', file_count: 30 });
    const items = await app.ctx.db.selectFrom('cpro_flow_items').select(['state', 'entry_name']).where('flow_id', '=', waiting.flowId).execute();
    assert.ok(items.length === 30 && items.every((i) => i.state === 'EN_ATTENTE' && /\.xml$/.test(i.entry_name)), JSON.stringify(items.slice(0, 2)));
    assert.equal(await untilDone(waiting.flowId), 'DONE');
    await assertIntegratedOnce(busy.flowId, 'BUSY', busy.numbers);
    await assertIntegratedOnce(waiting.flowId, 'WAITING', waiting.numbers);
  });

  test('two workers at once on a 400-file flow: each does chunks, each invoice once, the final status set once', { timeout: 600_000 }, async () => {
    const { flowId, numbers } = await depositFlow('SHARED', 400);
    const outcomes = await Promise.all([untilDone(flowId), untilDone(flowId)]);
    assert.deepEqual(outcomes, ['DONE', 'DONE']);
    const items = await assertIntegratedOnce(flowId, 'SHARED', numbers);
    // Each worker claimed whole chunks of its own.
    const byOwner = new Map<string, number>();
    for (const i of items) byOwner.set(i.claim_owner!, (byOwner.get(i.claim_owner!) ?? 0) + 1);
    assert.equal(byOwner.size, 2, `chunks per owner: ${JSON.stringify([...byOwner.values()])}`);
    assert.ok([...byOwner.values()].every((n) => n % 100 === 0));
    // The flow's first job enqueued helper jobs (one per chunk beyond the first, at most 3), for other worker processes.
    const helpers = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'cpro.flow.integrate' AND (data->>'flowId')::int = ${flowId}`.execute(app.ctx.db);
    assert.equal(helpers.rows[0]!.n, 1 + 3);
  });

  test('a chunk whose claim ran out (its worker died) is taken over: its invoices, maybe made already, are not made twice', { timeout: 600_000 }, async () => {
    const { flowId, numbers } = await depositFlow('TAKEOVER', 150);
    // A first worker integrates the flow, then a "dead" one had claimed the first chunk again, its claim run out.
    assert.equal(await untilDone(flowId), 'DONE');
    await app.ctx.db.updateTable('cpro_flows').set({ status: 'IN_EN_COURS_TRAITEMENT_CPP' }).where('id', '=', flowId).execute();
    await app.ctx.db
      .updateTable('cpro_flow_items')
      .set({ state: 'EN_COURS', invoice_id: null })
      .where('flow_id', '=', flowId)
      .where('position', '<=', 100)
      .execute();
    await sql`DELETE FROM test_flow_finals WHERE flow_id = ${flowId}`.execute(app.ctx.db);
    const past = new Date(Date.now() - 60_000);
    // A live claim is not taken: nothing of the chunk for another worker while it runs.
    await app.ctx.db.updateTable('cpro_flow_items').set({ claim_owner: 'dead', claim_until: new Date(Date.now() + 60_000) }).where('flow_id', '=', flowId).where('position', '<=', 100).execute();
    assert.deepEqual(await claimChunk(app.ctx.db, flowId, 'other', 100, new Date(Date.now() + 30_000), new Date()), []);
    const busy = await integrateFlow(app.ctx, flowId);
    assert.equal(busy.outcome, 'BUSY');
    // Once the claim ran out, the next worker takes the chunk over, finds the invoices it made, and finishes the flow.
    await app.ctx.db.updateTable('cpro_flow_items').set({ claim_until: past }).where('flow_id', '=', flowId).where('position', '<=', 100).execute();
    assert.equal(await untilDone(flowId), 'DONE');
    await assertIntegratedOnce(flowId, 'TAKEOVER', numbers);
    const flow = await app.ctx.db.selectFrom('cpro_flows').select('status').where('id', '=', flowId).executeTakeFirstOrThrow();
    assert.ok(FINAL.includes(flow.status));
  });
});
