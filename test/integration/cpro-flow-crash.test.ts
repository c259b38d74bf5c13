import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.ts';
import { startApp } from '../../src/app.ts';
import { cproClient, cproToken, sandbox } from '../helpers/cpro.ts';
import { migratedPgliteTemplate } from '../helpers/test-app.ts';
import { sampleInvoice, ublOf } from '../helpers/einvoices.ts';
import { zipOf } from '../helpers/cpro-flows.ts';

/**
 * "A flow is integrated exactly once": the worker runs in a child process (test/helpers/flow-worker.ts), is killed
 * with SIGKILL in the middle of a 1,000-invoice flow, and a new worker process finishes it. Every invoice of the flow
 * must then exist once, none lost. The database is shared between the processes: a PGlite data directory on disk
 * (opened by one process at a time) or, with TEST_DATABASE_URL, a fresh database on the server. On the server, two
 * worker processes also integrate one flow together: both do chunks, each invoice once, the final status set once.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const SUPPLIER = '90100001800019';
const LIBRE = '12345678200051';
const COUNT = 1000;
const SHARED_COUNT = 800;
const FINAL = ['IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE'];

async function sharedDatabase(dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return { url: `pglite://${path.join(dir, 'pgdata')}`, drop: async () => {} };
  const name = `ouvrage_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Deposits a flow of UBL invoices through the API, from a process without workers, then closes the database. */
async function depositFlow(config: ReturnType<typeof loadConfig>, numbers: string[], nomFichier: string) {
  const app = await startApp({ config, workers: false, loadDataDir: process.env.TEST_DATABASE_URL ? undefined : migratedPgliteTemplate() });
  try {
    const sb = await sandbox(app);
    const supplier = await sb.as('fournisseur');
    const supplierId = sb.structure('fournisseur').idStructureCPP;
    const oauth = sb.report.oauthClients.find((c) => c.structure === 'fournisseur')!;
    const credentials = { clientId: oauth.clientId, clientSecret: oauth.clientSecret, cproAccount: supplier.cproAccount };
    const model = sampleInvoice({ sellerSiret: SUPPLIER, buyerSiret: LIBRE, number: '', issueDate: '2026-11-27', serviceCode: null, ejNumber: null });
    const zip = zipOf(numbers.map((n) => ({ name: `lot/${n}.xml`, bytes: ublOf({ ...model, number: n }) })));
    const r = await supplier.post('factures/v1/deposer/flux', { fichierFlux: zip.toString('base64'), nomFichier, syntaxeFlux: 'IN_DP_E1_UBL_INVOICE', avecSignature: false });
    assert.equal(r.body?.codeRetour, 0, JSON.stringify(r.body));
    const numeroFluxDepot: string = r.body.numeroFluxDepot;
    const flowId = (await app.ctx.db.selectFrom('cpro_flows').select('id').where('numero', '=', numeroFluxDepot).executeTakeFirstOrThrow()).id;
    // Every final status written to a flow, to prove that it is written once.
    await sql`CREATE TABLE test_flow_finals (flow_id integer, status text)`.execute(app.ctx.db);
    await sql`CREATE FUNCTION test_flow_final() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO test_flow_finals VALUES (NEW.id, NEW.status); RETURN NEW; END $$`.execute(app.ctx.db);
    await sql`CREATE TRIGGER test_flow_final AFTER UPDATE OF status ON cpro_flows FOR EACH ROW WHEN (NEW.status IN ('IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE')) EXECUTE FUNCTION test_flow_final()`.execute(app.ctx.db);
    return { numeroFluxDepot, flowId, supplierId, credentials };
  } finally {
    await app.close();
  }
}

/** Each invoice of the flow exists once, none is lost, the final status was written once, and the flow's report says so. */
async function assertIntegratedOnce(config: ReturnType<typeof loadConfig>, { numeroFluxDepot, flowId, supplierId, credentials }: Awaited<ReturnType<typeof depositFlow>>, numbers: string[]) {
  const app = await startApp({ config, workers: false });
  try {
    const invoices = await app.ctx.db.selectFrom('invoices').select(['id', 'number', 'status', 'deposit_mode']).where('supplier_structure_id', '=', supplierId).where('number', 'like', `${numbers[0]!.split('-')[0]}-%`).execute();
    assert.equal(invoices.length, numbers.length, `${invoices.length} invoices for ${numbers.length} files`);
    assert.deepEqual(invoices.map((i) => i.number).sort(), numbers);
    assert.ok(invoices.every((i) => i.deposit_mode === 'EDI_XML_STRUCT' && i.status !== 'BROUILLON'), 'every invoice was sent');

    const items = await app.ctx.db.selectFrom('cpro_flow_items').selectAll().where('flow_id', '=', flowId).orderBy('position').execute();
    assert.equal(items.length, numbers.length);
    assert.ok(items.every((i) => i.state === 'INTEGREE'), JSON.stringify(items.filter((i) => i.state !== 'INTEGREE').slice(0, 3)));
    const byNumber = new Map(invoices.map((i) => [i.number, i.id]));
    for (const item of items) assert.equal(item.invoice_id, byNumber.get(item.invoice_number!), `file ${item.entry_name} points at its own invoice`);
    assert.equal(new Set(items.map((i) => i.invoice_id)).size, numbers.length);

    const token = await cproToken(app, credentials.clientId, credentials.clientSecret);
    const supplier = cproClient(app, token.body.access_token, credentials.cproAccount);
    const cr = await supplier.post('transverses/v1/consulterCRDetaille', { numeroFluxDepot });
    assert.equal(cr.body.codeRetour, 0);
    assert.equal(cr.body.etatCourantDepotFlux, 'IN_INTEGRE');
    assert.equal(cr.body.nbFactures, numbers.length);
    assert.equal(cr.body.nbFacturesIntegrees, numbers.length);
    assert.equal(cr.body.nbFacturesRejetees, 0);
    assert.deepEqual(cr.body.listeErreurDP, []);
    assert.deepEqual(cr.body.listeErreurTechnique, []);
    const flow = await app.ctx.db.selectFrom('cpro_flows').selectAll().where('id', '=', flowId).executeTakeFirstOrThrow();
    assert.equal(flow.integrated_count, numbers.length);
    assert.equal(flow.rejected_count, 0);
    const pending = await app.ctx.db.selectFrom('cpro_flow_items').select('position').where('flow_id', '=', flowId).where('state', 'in', ['EN_ATTENTE', 'EN_COURS']).execute();
    assert.deepEqual(pending, [], 'no file of the finished flow is left waiting or in progress');
    const finals = await sql<{ status: string }>`SELECT status FROM test_flow_finals WHERE flow_id = ${flowId}`.execute(app.ctx.db);
    assert.deepEqual(finals.rows.map((r) => r.status), ['IN_INTEGRE'], 'the final status is written once');
    const found = await supplier.post('factures/v1/rechercher/fournisseur', { numeroFluxDepot });
    assert.equal(found.body.codeRetour, 0);
    assert.ok(found.body.listeFactures.length > 0 && found.body.listeFactures.every((f: any) => f.numeroFluxDepot === numeroFluxDepot));
    return items;
  } finally {
    await app.close();
  }
}

type Progress = { status?: string | null; INTEGREE?: number; EN_COURS?: number; EN_ATTENTE?: number; REJETEE?: number; invoices?: number; started?: boolean };

/** Starts a worker process; `until` is called on each progress line and resolves when it returns true. */
function startWorker(env: { DATABASE_URL: string; DATA_DIR: string }, flowId: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/flow-worker.ts', String(flowId)], {
    cwd: root,
    env: { ...process.env, ...env, TZ: 'Europe/Paris' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let last: Progress = {};
  const waiters: Array<{ until: (p: Progress) => boolean; resolve: (p: Progress) => void }> = [];
  lines.on('line', (line) => {
    if (process.env.DEBUG_FLOW_CRASH) console.error(`${new Date().toISOString().slice(11, 19)} [worker ${child.pid}] ${line}`);
    try {
      last = JSON.parse(line) as Progress;
    } catch {
      return;
    }
    for (const w of [...waiters]) if (w.until(last)) waiters.splice(waiters.indexOf(w), 1), w.resolve(last);
  });
  return {
    child,
    exited,
    stderr: () => stderr,
    /** Resolves with the first progress line that satisfies `until`; rejects if the worker exits before. */
    wait(until: (p: Progress) => boolean): Promise<Progress> {
      return new Promise((resolve, reject) => {
        waiters.push({ until, resolve });
        void exited.then(({ code, signal }) => reject(new Error(`worker exited (${code ?? signal}) before the expected progress; last: ${JSON.stringify(last)}\n${stderr}`)));
      });
    },
  };
}

describe('Chorus-compatible flows: exactly once across a killed worker', () => {
  test(`a ${COUNT}-invoice flow survives a SIGKILL of its worker: each invoice once, none lost`, { timeout: 900_000 }, async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ouvrage-crash-'));
    const database = await sharedDatabase(dir);
    const env = { DATABASE_URL: database.url, DATA_DIR: path.join(dir, 'data') };
    const config = loadConfig({}, { NODE_ENV: 'test', ...env, LOG_LEVEL: 'silent', PORT: 0, PUBLIC_URL: 'http://localhost:8080' });
    const numbers = Array.from({ length: COUNT }, (_, i) => `CRASH-${String(i + 1).padStart(4, '0')}`);
    try {
      // 1. Deposit the flow through the API, from a process without workers, then close the database.
      const flow = await depositFlow(config, numbers, 'lot-1000.zip');
      const { flowId } = flow;
      if (process.env.DEBUG_FLOW_CRASH) console.error(`flow ${flowId} deposited`);
      // 2. A worker integrates part of the flow and is killed without warning.
      const first = startWorker(env, flowId);
      // Killed in the middle of a chunk (of 100 files, written in one transaction): files marked EN_COURS, their invoices
      // perhaps committed but not yet recorded.
      const midChunk = (p: Progress) => (p.EN_COURS ?? 0) > 0 && (p.INTEGREE ?? 0) >= 100 && ((p.INTEGREE ?? 0) % 25 !== 0 || (p.INTEGREE ?? 0) >= 300);
      const atKill = await first.wait((p) => midChunk(p) || FINAL.includes(p.status ?? ''));
      first.child.kill('SIGKILL');
      const killed = await first.exited;
      assert.equal(killed.signal, 'SIGKILL');
      assert.ok(!FINAL.includes(atKill.status ?? ''), `the worker finished the flow before it could be killed: ${JSON.stringify(atKill)}`);
      assert.ok((atKill.INTEGREE ?? 0) < COUNT);
      t.diagnostic(`killed at ${JSON.stringify(atKill)}${(atKill.invoices ?? 0) > (atKill.INTEGREE ?? 0) ? ': invoices committed whose file was not yet recorded' : ''}`);

      // 3. A new worker takes the flow over, the dead worker's chunk once its claim runs out, and finishes it.
      const second = startWorker(env, flowId);
      const done = await second.wait((p) => FINAL.includes(p.status ?? ''));
      assert.equal((await second.exited).code, 0, second.stderr());
      assert.equal(done.status, 'IN_INTEGRE', JSON.stringify(done));

      // 4. Each invoice of the flow exists once, none is lost, and the flow's report says so.
      await assertIntegratedOnce(config, flow, numbers);
    } finally {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('two worker processes integrate one flow together: both do chunks, each invoice once, the final status once', { timeout: 900_000, skip: process.env.TEST_DATABASE_URL ? false : 'two processes need a database server (a PGlite directory has one user); test/integration/cpro-flow-shared.test.ts runs the same in one process' }, async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ouvrage-shared-'));
    const database = await sharedDatabase(dir);
    const env = { DATABASE_URL: database.url, DATA_DIR: path.join(dir, 'data') };
    const config = loadConfig({}, { NODE_ENV: 'test', ...env, LOG_LEVEL: 'silent', PORT: 0, PUBLIC_URL: 'http://localhost:8080' });
    const numbers = Array.from({ length: SHARED_COUNT }, (_, i) => `SHARED-${String(i + 1).padStart(4, '0')}`);
    try {
      const flow = await depositFlow(config, numbers, 'lot-partage.zip');
      // Both processes start on the received flow: the first job starts it and enqueues helper jobs, the other process takes one.
      const workers = [startWorker(env, flow.flowId), startWorker(env, flow.flowId)];
      const done = await Promise.all(workers.map((w) => w.wait((p) => FINAL.includes(p.status ?? ''))));
      for (const w of workers) assert.equal((await w.exited).code, 0, w.stderr());
      assert.deepEqual(done.map((d) => d.status), ['IN_INTEGRE', 'IN_INTEGRE']);
      const items = await assertIntegratedOnce(config, flow, numbers);
      // Each process claimed whole chunks of its own (a claim's owner starts with its process id).
      const perProcess = new Map<number, number>();
      for (const i of items) perProcess.set(Number(i.claim_owner!.split(':')[0]), (perProcess.get(Number(i.claim_owner!.split(':')[0])) ?? 0) + 1);
      t.diagnostic(`files per worker process: ${JSON.stringify(Object.fromEntries(perProcess))}`);
      assert.deepEqual([...perProcess.keys()].sort(), workers.map((w) => w.child.pid!).sort(), 'both processes did chunks');
      assert.ok([...perProcess.values()].every((n) => n % 100 === 0));
    } finally {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
