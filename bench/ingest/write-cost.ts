/**
 * bench/ingest/write-cost: the CPU cost of what a flow's worker does per chunk after the pure read — the structured
 * deposit's look-ups and writes (depositReadInvoices: invoices, lines, documents, chained events, DEPOSER, payment
 * clocks, the routing job) and the routing job itself (routeInvoices: ACHEMINER, METTRE_A_DISPOSITION and their
 * notifications) — on PostgreSQL, without HTTP nor the flow's own bookkeeping.
 *
 *   node --expose-gc --import tsx bench/ingest/write-cost.ts [--count 900 --chunk 100 --rounds 3 --by-statement --whole --database postgres://…/ouvrage_bench_writecost]
 *
 * The files are those bench:ingest generates (.cache/bench-ingest/*.zip: a third of each kind), each chunk read just
 * before its measure (readStructuredFiles; with --expose-gc its garbage is collected first; --whole counts the read
 * too, garbage collection included). Each round deposits other files (count / 3 of each kind), chunk by chunk, and
 * routes each chunk. Prints per invoice: this process's CPU (user + system, garbage collection included) for the
 * deposit and for the routing, the CPU of the database's PostgreSQL backends (from /proc), and the statements per
 * chunk; --by-statement adds each statement's backend CPU (/proc/PID/schedstat around it).
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.ts';
import { startApp } from '../../src/app.ts';
import { seedSandbox } from '../../src/demo/sandbox.ts';
import { findUserByEmail } from '../../src/accounts/index.ts';
import { cachedInvoices } from './cached-invoices.ts';
import { depositReadInvoices, readStructuredFiles, routeInvoices, type ReadFiles } from '../../src/invoices/index.ts';

const { values: opts } = parseArgs({
  options: {
    count: { type: 'string', default: '900' },
    chunk: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/ouvrage_bench_writecost' },
    // With --cpu-prof: the measured spans (monotonic µs, the profile's clock) written to this file, to keep only them.
    spans: { type: 'string' },
    'by-statement': { type: 'boolean', default: false },
    // The read of each chunk counted too (readStructuredFiles, garbage collection included): what a worker pays per chunk.
    whole: { type: 'boolean', default: false },
  },
});
const COUNT = Number(opts.count);
const CHUNK = Number(opts.chunk);

const u = new URL(opts.database!);
const name = u.pathname.slice(1);
if (!/^\w+$/.test(name)) throw new Error(`database name ${name}`);
const adminUrl = new URL(opts.database!);
adminUrl.pathname = '/postgres';
const admin = new pg.Client({ connectionString: adminUrl.toString() });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${name}`);

// Statements sent, counted on the pg client; with --by-statement, the backend's CPU time of each (/proc schedstat).
let statements = 0;
const byStatement = new Map<string, { n: number; ns: number }>();
const onCpu = (pid: number) => {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
};
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client & { processID?: number }, ...args: any[]) {
  statements++;
  const r = (query as any).apply(this, args);
  const text: unknown = typeof args[0] === 'string' ? args[0] : args[0]?.text;
  if (opts['by-statement'] && typeof text === 'string' && r && typeof r.then === 'function' && this.processID) {
    const pid = this.processID;
    const t0 = onCpu(pid);
    const key = text.replace(/\$\d+/g, '?').replace(/\((\?|default)(, (\?|default))*\)/g, '(…)').replace(/(, \(…\))+/g, ', …').replace(/\s+/g, ' ').slice(0, 150);
    return r.then((v: unknown) => {
      const e = byStatement.get(key) ?? byStatement.set(key, { n: 0, ns: 0 }).get(key)!;
      e.n++;
      e.ns += onCpu(pid) - t0;
      return v;
    });
  }
  return r;
} as any;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ouvrage-write-cost-'));
const config = loadConfig({}, { NODE_ENV: 'production', DATABASE_URL: opts.database!, DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', PUBLIC_URL: 'http://127.0.0.1:1', SMTP_URL: 'smtp://127.0.0.1:1', WORKERS: 'off' });
const app = await startApp({ config, http: false, workers: false });
const { ctx } = app;
await seedSandbox(ctx);
const gp = (await findUserByEmail(ctx.db, 'gest.fournisseur@qualif.ouvrage'))!;
const supplier = await ctx.db.selectFrom('structures').select('id').where('identifier', '=', '90100001800019').executeTakeFirstOrThrow();
const actor = { userId: gp.id, isTechnical: false };

const per = Math.ceil(COUNT / 3);
const ROUNDS = Number(opts.rounds);
const kinds = [
  { kind: 'ubl', files: cachedInvoices('ubl', per * ROUNDS), mixed: false },
  { kind: 'cii', files: cachedInvoices('cii', per * ROUNDS), mixed: false },
  { kind: 'facturx', files: cachedInvoices('facturx', per * ROUNDS), mixed: false },
];

/** CPU seconds of the database's backends (from /proc), summed over the pids seen. */
async function backendsCpu(): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
  const m = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      m.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      /* gone */
    }
  }
  return m;
}
const pgDelta = (a: Map<number, number>, b: Map<number, number>) => [...b].reduce((n, [pid, t]) => n + t - (a.get(pid) ?? 0), 0);
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const sys = () => process.cpuUsage().system / 1000;

const spans: Array<[number, number, string]> = [];
const µs = () => Number(process.hrtime.bigint() / 1000n);
const results: Array<{ reading: number; system: number; deposit: number; route: number; pg: number; invoices: number; depositStatements: number; routeStatements: number; chunks: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  let reading = 0, system = 0, deposit = 0, route = 0, pgSeconds = 0, invoices = 0, depositStatements = 0, routeStatements = 0, chunks = 0;
  for (const { files, mixed } of kinds)
    for (let i = round * per; i < (round + 1) * per; i += CHUNK) {
      const chunk = files.slice(i, Math.min(i + CHUNK, (round + 1) * per));
      const r0 = cpu();
      const read: ReadFiles = await readStructuredFiles(chunk, { mixed, xsd: ctx.xsd });
      if (opts.whole) reading += cpu() - r0;
      else if (global.gc) global.gc();
      const p0 = await backendsCpu();
      let s0 = statements;
      const y0 = sys();
      let c0 = cpu();
      let t0 = µs();
      const r = await depositReadInvoices(ctx, actor, supplier.id, read, { channel: 'FLUX', submit: true, certificate: 'deferred' });
      spans.push([t0, µs(), 'deposit']);
      deposit += cpu() - c0;
      depositStatements += statements - s0;
      const ids = r.filter((x) => x.ok).map((x) => (x as { invoiceId: number }).invoiceId);
      if (ids.length !== chunk.length) throw new Error(`refused: ${JSON.stringify(r.find((x) => !x.ok))}`);
      s0 = statements;
      c0 = cpu();
      t0 = µs();
      await routeInvoices(ctx, ids);
      spans.push([t0, µs(), 'route']);
      route += cpu() - c0;
      routeStatements += statements - s0;
      system += sys() - y0;
      pgSeconds += pgDelta(p0, await backendsCpu());
      invoices += ids.length;
      chunks++;
    }
  results.push({ reading, system, deposit, route, pg: pgSeconds * 1000, invoices, depositStatements, routeStatements, chunks });
  const last = results.at(-1)!;
  console.log(`round ${round + 1}: ${invoices} invoices; Node CPU per invoice: ${opts.whole ? `read ${(reading / invoices).toFixed(3)} ms, ` : ''}deposit ${(deposit / invoices).toFixed(3)} ms, routing ${(route / invoices).toFixed(3)} ms (of both, system ${(system / invoices).toFixed(3)} ms); PostgreSQL ${(last.pg / invoices).toFixed(3)} ms; statements per chunk: deposit ${(depositStatements / chunks).toFixed(1)}, routing ${(routeStatements / chunks).toFixed(1)}`);
}
if (opts['by-statement']) {
  const total = results.reduce((n, r) => n + r.invoices, 0);
  console.log('PostgreSQL backend CPU per invoice by statement (µs), and statements per invoice:');
  for (const [k, v] of [...byStatement].sort((a, b) => b[1].ns - a[1].ns).slice(0, 40)) console.log(`${(v.ns / 1000 / total).toFixed(1).padStart(8)} ${(v.n / total).toFixed(3).padStart(7)} ${k}`);
}
if (opts.spans) writeFileSync(opts.spans, JSON.stringify(spans));
await app.close();
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.end();
rmSync(dataDir, { recursive: true, force: true });
