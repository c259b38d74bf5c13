/**
 * bench/ingest: invoices deposited as flows through the Chorus-Pro-compatible API into PostgreSQL, integrated by the
 * job workers, then the read throughput of consulter and rechercher under concurrent clients (autocannon).
 *
 *   npm run bench:ingest [-- --count 10000 --seconds 15 --connections 50 --workers CORES --serve-processes 1 --max-minutes 0 --warm-up 6000 --read-warm-up 5 --database postgres://…/ouvrage_bench]
 * (The defaults measure the platform as docs/operations.md deploys it on this machine, in service: one worker per
 * core, processes that have already integrated 6,000 invoices and answered reads for 5 s. `--warm-up 0
 * --read-warm-up 0` measures processes just started, `--workers 1` a single worker.)
 * (--max-minutes T: stop waiting for the flows after T minutes and report the rate so far; 0 waits for all.
 * --reads-only: no new database and no ingestion, only the reads, on the database of an earlier run, whose sandbox
 * secrets that run kept under .cache/bench-ingest. --cpu-prof DIR: the HTTP process and the workers write a CPU
 * profile there; the workers are then stopped with SIGTERM after the ingestion, so that they write it. --warm-up N:
 * N invoices, WARM-numbered, integrated before the measure (in rounds of at most 6,000), which then is that of
 * processes already running.
 * --read-warm-up S: each read is called S seconds before its measure, not measured, for the same reason.
 * --server-flags="…", --worker-flags="…": Node flags of the HTTP process, of the workers, e.g. --server-flags=--trace-gc;
 * the workers always get --trace-gc, whose lines the report counts.)
 *
 * Besides the Node processes' CPU, the CPU of the PostgreSQL backends serving the bench database is counted (from
 * /proc, sampled every 500 ms; so the server must be on this machine and readable), as it shares the same cores.
 *
 * The server is `ouvrage serve` (HTTP only, WORKERS=off) and `--workers N` `ouvrage worker` processes, children of
 * the bench, on a database recreated for the run (default ouvrage_bench on the local server, by its Unix socket
 * when it has one, else 127.0.0.1:5432). The workers are
 * stopped before the reads are measured, so that reads and ingestion are measured apart. Flows carry one syntax each in Chorus Pro, so
 * the invoices are deposited as three flows at once: a third UBL (IN_DP_E1_UBL_INVOICE), a third CII
 * (IN_DP_E1_CII_16B), a third Factur-X (IN_DP_E2_CII_FACTURX). Generated files are cached under .cache/bench-ingest.
 * Prints the figures as Markdown (docs/benchmarks.md, section "Flow ingestion", is written from them by hand).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { zipSync } from 'fflate';
import { SMTPServer } from 'smtp-server';
import { generateFacturx, readInvoiceXml, writeCii, writeUbl, type Invoice } from '../../src/formats/index.ts';
import { describeProbes, probe, probes, type ProbeReading } from './machine-probe.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
/**
 * The local server by its Unix socket when it has one (Debian's directory), as docs/operations.md advises for a
 * server on the same machine: each statement's round trip skips the loopback TCP stack (no gain in the ingestion
 * could be shown above this machine's swings: docs/benchmarks.md, session of 2026-12-02 18:15 UTC).
 */
const LOCAL_SOCKET_DIR = '/var/run/postgresql';
const DEFAULT_DATABASE = existsSync(path.join(LOCAL_SOCKET_DIR, '.s.PGSQL.5432'))
  ? `postgres://postgres@localhost/ouvrage_bench?host=${LOCAL_SOCKET_DIR}`
  : 'postgres://postgres@127.0.0.1:5432/ouvrage_bench';
const { values: opts } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '50' },
    workers: { type: 'string', default: String(os.availableParallelism()) },
    'max-minutes': { type: 'string', default: '0' },
    // HTTP processes of `ouvrage serve` (SERVE_PROCESSES, docs/operations.md): one per core.
    'serve-processes': { type: 'string', default: '1' },
    database: { type: 'string', default: DEFAULT_DATABASE },
    'reads-only': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'warm-up': { type: 'string', default: '6000' },
    'read-warm-up': { type: 'string', default: '5' },
    'server-flags': { type: 'string', default: '' },
    'worker-flags': { type: 'string', default: '' },
  },
});
const COUNT = Number(opts.count);
const SECONDS = Number(opts.seconds);
const CONNECTIONS = Number(opts.connections);
const READ_WARM_UP = Number(opts['read-warm-up']);
const SUPPLIER = '90100001800019';
const RECIPIENT = '12345678200051';
const FINAL = ['IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE'];
/** The fields of /proc/PID/stat after the command's name (Linux): field n of proc(5) is at index n - 3. */
function procStat(pid: number | undefined): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return null;
  }
}
/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number | undefined): number {
  const f = procStat(pid);
  return f ? (Number(f[11]) + Number(f[12])) / 100 : NaN;
}
/** System CPU seconds of a process so far. */
function systemSeconds(pid: number | undefined): number {
  const f = procStat(pid);
  return f ? Number(f[12]) / 100 : NaN;
}
/** Minor page faults of a process so far: on this machine's virtualisation a fault costs ≈ 15 µs (machine-probe.ts). */
function minorFaults(pid: number | undefined): number {
  const f = procStat(pid);
  return f ? Number(f[7]) : NaN;
}
/**
 * The CPU used by the PostgreSQL backends of the bench database between start() and stop(): their pids are sampled
 * every 500 ms (pg_stat_activity), each one's CPU read from /proc at its first and last sighting (a backend that
 * appears later counts from zero; the sampler's own backend is left out).
 */
function postgresCpu(url: string) {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const client = new pg.Client({ connectionString: url });
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  const sample = async () => {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    for (const { pid } of rows) {
      const cpu = cpuSeconds(pid);
      if (Number.isNaN(cpu)) continue;
      if (!first.has(pid)) first.set(pid, started ? 0 : cpu);
      last.set(pid, cpu);
    }
  };
  return {
    async start() {
      await client.connect();
      await sample();
      started = true;
      const tick = () => (timer = setTimeout(() => void sample().then(tick, tick), 500));
      tick();
    },
    async stop(): Promise<number> {
      clearTimeout(timer);
      await sample();
      await client.end();
      let total = 0;
      for (const [pid, cpu] of last) total += cpu - first.get(pid)!;
      return total;
    },
  };
}
const log = (m: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

// ── The invoices: the akretion EN 16931 example, one number each, from the sandbox supplier to a free recipient.
const SAMPLE = path.resolve(root, '..', 'shared', 'fixtures', 'einvoice', 'samples', 'akretion-factur-x', 'factur-x-en16931.xml');
const base = readInvoiceXml(readFileSync(SAMPLE)).invoice;
function invoice(number: string): Invoice {
  const inv = structuredClone(base);
  inv.number = number;
  inv.issueDate = '2026-11-27';
  inv.dueDate = undefined;
  inv.seller.identifiers = [{ id: SUPPLIER, schemeId: '0009' }];
  inv.seller.legalRegistration = { id: SUPPLIER.slice(0, 9), schemeId: '0002' };
  inv.buyer.identifiers = [];
  inv.buyer.legalRegistration = { id: RECIPIENT, schemeId: '0009' };
  delete inv.buyerReference;
  delete inv.purchaseOrderReference;
  return inv;
}
type Kind = 'UBL' | 'CII' | 'FACTURX';
const FLOWS: Array<{ kind: Kind; syntaxeFlux: string; ext: string }> = [
  { kind: 'UBL', syntaxeFlux: 'IN_DP_E1_UBL_INVOICE', ext: 'xml' },
  { kind: 'CII', syntaxeFlux: 'IN_DP_E1_CII_16B', ext: 'xml' },
  { kind: 'FACTURX', syntaxeFlux: 'IN_DP_E2_CII_FACTURX', ext: 'pdf' },
];
async function flowZip(kind: Kind, from: number, to: number, prefix = 'BENCH'): Promise<Buffer> {
  const dir = path.join(root, '.cache', 'bench-ingest');
  const file = path.join(dir, `${prefix === 'BENCH' ? '' : `${prefix}-`}${kind}-${from}-${to}.zip`);
  if (existsSync(file)) return readFileSync(file);
  log(`generating ${to - from} ${kind} invoices (cached for the next runs in .cache/bench-ingest)`);
  const files: Record<string, Uint8Array> = {};
  for (let i = from; i < to; i++) {
    const number = `${prefix}-${String(i + 1).padStart(6, '0')}`;
    const inv = invoice(number);
    files[`${kind.toLowerCase()}/${number}.${kind === 'FACTURX' ? 'pdf' : 'xml'}`] =
      kind === 'UBL' ? Buffer.from(writeUbl(inv)) : kind === 'CII' ? Buffer.from(writeCii(inv)) : await generateFacturx(inv, { now: new Date('2026-11-27T10:00:00Z') });
  }
  const zip = Buffer.from(zipSync(files, { level: 6 }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, zip);
  return zip;
}

// ── The server: a fresh database, the sandbox, then `ouvrage serve` in a child process.
/** How the platform reaches the server: a Unix socket (a `host` that is a directory) or TCP. */
function connectionKind(url: string) {
  const u = new URL(url);
  const host = decodeURIComponent(u.hostname);
  const socket = u.searchParams.get('host') ?? (host.startsWith('/') ? host : null);
  return socket ? `Unix socket (${socket})` : `TCP (${u.host})`;
}

async function recreateDatabase(url: string) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  if (!/^\w+$/.test(name)) throw new Error(`database name ${name}`);
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
/**
 * Node's flags and environment of a script of package.json: the processes start as an operator starts them, the
 * HTTP process and the commands with `npm run ouvrage`, the workers with `npm run worker`.
 */
function scriptSettings(name: 'ouvrage' | 'worker') {
  const script: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts[name];
  const words = script.split(/\s+/);
  const node = words.indexOf('node');
  const env = Object.fromEntries(words.slice(0, node).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  return { flags: words.slice(node + 1, words.indexOf('--import')), env: env as Record<string, string> };
}
const platform = { ouvrage: scriptSettings('ouvrage'), worker: scriptSettings('worker') };
/** The script's environment, unless this process's own sets the same variable (GLIBC_TUNABLES= to compare without it). */
function ouvrage(args: string[], env: Record<string, string>, nodeOptions: string[] = []): ChildProcess {
  const { flags, env: scriptEnv } = platform[args[0] === 'worker' ? 'worker' : 'ouvrage'];
  return spawn(process.execPath, [...flags, ...nodeOptions, '--import', 'tsx', 'src/main.ts', ...args], { cwd: root, env: { ...scriptEnv, ...process.env, ...env, TZ: 'Europe/Paris' }, stdio: ['ignore', 'pipe', 'inherit'] });
}
async function output(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`exit ${code}: ${out}`);
  return out;
}

/**
 * The mail relay of a real deployment, reduced to accepting and dropping: without SMTP_URL each worker would run
 * the development mailbox (SMTP server and mail parser) itself, ≈ 5 % of its CPU that is no cost of the platform.
 */
let mailsRelayed = 0;
const relay = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.resume();
    stream.on('end', () => {
      mailsRelayed++;
      callback();
    });
  },
});
// A worker killed after the ingestion (SIGKILL) drops its connection: a reset is expected, not the bench's failure.
relay.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'ECONNRESET') console.error('[relay]', err.message);
});
const relayPort = await freePort();
await new Promise<void>((resolve) => relay.listen(relayPort, '127.0.0.1', resolve));

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ouvrage-bench-ingest-'));
const port = await freePort();
const env = { DATABASE_URL: opts.database!, DATA_DIR: dataDir, PORT: String(port), SEED_DEMO: 'no', WORKERS: 'on', LOG_LEVEL: 'warn', NODE_ENV: 'production', PUBLIC_URL: `http://127.0.0.1:${port}`, SMTP_URL: `smtp://127.0.0.1:${relayPort}` };
const url = `http://127.0.0.1:${port}`;
const loadBefore = os.loadavg();
const probeBefore = probes(9);

type FlowZip = { kind: Kind; syntaxeFlux: string; zip: Buffer; count: number };
async function flowZips(count: number, prefix = 'BENCH'): Promise<FlowZip[]> {
  const out: FlowZip[] = [];
  for (let k = 0; k < (opts['reads-only'] || !count ? 0 : FLOWS.length); k++) {
    const from = Math.floor((count * k) / FLOWS.length);
    const to = Math.floor((count * (k + 1)) / FLOWS.length);
    out.push({ ...FLOWS[k]!, zip: await flowZip(FLOWS[k]!.kind, from, to, prefix), count: to - from });
  }
  return out;
}
const zips = await flowZips(COUNT);
// --warm-up N: N other invoices (numbered WARM-…) integrated before the clock starts, so that the measure is that of
// running workers (JIT-compiled code, grown heaps), as a platform in service has, rather than of processes just started.
// In rounds of at most 6,000 (three flows each): a Factur-X flow of more would pass the platform's 150 MB limit.
const WARM_UP_ROUND = 6000;
const warmUpRounds: FlowZip[][] = [];
// --reads-only ingests nothing, its warm-up included (the default --warm-up is for the ingestion's measure).
for (let left = opts['reads-only'] ? 0 : Number(opts['warm-up']), r = 1; left > 0; left -= WARM_UP_ROUND, r++)
  warmUpRounds.push(await flowZips(Math.min(left, WARM_UP_ROUND), r === 1 ? 'WARM' : `WARM${r}`));

// The sandbox's secrets, kept for --reads-only runs on the same database (a throwaway bench database).
const secretsFile = path.join(root, '.cache', 'bench-ingest', `sandbox-${new URL(opts.database!).pathname.slice(1)}.json`);
let report;
if (opts['reads-only']) report = JSON.parse(readFileSync(secretsFile, 'utf8'));
else {
  log(`recreating ${opts.database}`);
  await recreateDatabase(opts.database!);
  report = JSON.parse((await output(ouvrage(['seed', '--sandbox', '--json'], env))).replace(/^[^{]*/, ''));
  writeFileSync(secretsFile, JSON.stringify(report));
}
if (opts['cpu-prof']) mkdirSync(opts['cpu-prof'], { recursive: true });
const profile = opts['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(opts['cpu-prof'])] : [];
const serverFlags = opts['server-flags']!.split(' ').filter(Boolean);
// The workers trace their garbage collections (one line each, to their stdout) so that the report counts them.
const workerFlags = ['--trace-gc', ...opts['worker-flags']!.split(' ').filter((f) => f && f !== '--trace-gc')];
const server = ouvrage(['serve'], { ...env, WORKERS: 'off', SERVE_PROCESSES: opts['serve-processes']! }, [...profile, ...serverFlags]);
const workers = opts['reads-only'] ? [] : Array.from({ length: Math.max(1, Number(opts.workers)) }, () => ouvrage(['worker'], { ...env, PORT: '0' }, [...profile, ...workerFlags]));
let serverOut = '';
server.stdout!.on('data', (c: Buffer) => (serverOut += c.toString()));
// The workers' output, drained (a full pipe would stop them) into a file each (e.g. with --worker-flags=--trace-opt).
workers.forEach((w, i) => w.stdout!.pipe(createWriteStream(path.join(root, '.cache', 'bench-ingest', `last-run-worker-${i + 1}.log`))));
/** Each worker's collections while `counting` (its --trace-gc lines): scavenges, Mark-Compacts, their main-thread pauses. */
const collections = workers.map((w) => {
  const tally = { counting: false, scavenges: 0, markCompacts: 0, pauseMs: 0 };
  let rest = '';
  w.stdout!.on('data', (c: Buffer) => {
    const lines = (rest + c.toString('latin1')).split('\n');
    rest = lines.pop()!;
    if (!tally.counting) return;
    for (const line of lines) {
      const m = /: (Scavenge|Mark-Compact)[^,]*, ([\d.]+) \/ [\d.]+ ms/.exec(line);
      if (!m) continue;
      if (m[1] === 'Scavenge') tally.scavenges++;
      else tally.markCompacts++;
      tally.pauseMs += Number(m[2]);
    }
  });
  return tally;
});
try {
  for (let i = 0; !serverOut.includes('Ouvrage est démarré'); i++) {
    if (i > 600 || server.exitCode !== null) throw new Error(`the server did not start: ${serverOut}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const oauth = report.oauthClients.find((c: { structure: string }) => c.structure === 'fournisseur');
  const tech = report.technicalAccounts.find((t: { structure: string }) => t.structure === 'fournisseur');
  const tokenRes = await fetch(`${url}/api/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: oauth.clientId, client_secret: oauth.clientSecret, scope: 'openid' }),
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const headers = { 'content-type': 'application/json;charset=utf-8', authorization: `Bearer ${token}`, 'cpro-account': tech.cproAccount };
  // A body already written (Buffer: the flows' bodies are built before the clock starts) goes through node:http:
  // undici's fetch spent ≈ 0.9 s on a 148 MB Buffer before its first byte reached the server, the client's time.
  const post = async (op: string, body: unknown): Promise<any> => {
    if (!Buffer.isBuffer(body)) return (await fetch(`${url}/cpro/${op}`, { method: 'POST', headers, body: JSON.stringify(body) })).json();
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${url}/cpro/${op}`, { method: 'POST', headers: { ...headers, 'content-length': body.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('error', reject).on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('error', reject).end(body);
    });
  };

  for (const [round, warmUpZips] of warmUpRounds.entries()) {
    log(`warm-up${warmUpRounds.length > 1 ? ` ${round + 1}/${warmUpRounds.length}` : ''}: ${warmUpZips.reduce((n, z) => n + z.count, 0)} invoices in ${warmUpZips.length} flows, not measured`);
    const numeros = await Promise.all(warmUpZips.map(async (z) => {
      const r = await post('factures/v1/deposer/flux', { fichierFlux: z.zip.toString('base64'), nomFichier: `warm-up-${round + 1}-${z.kind.toLowerCase()}.zip`, syntaxeFlux: z.syntaxeFlux, avecSignature: false });
      if (r.codeRetour !== 0) throw new Error(`deposer/flux warm-up ${z.kind}: ${JSON.stringify(r)}`);
      return r.numeroFluxDepot as string;
    }));
    for (const numero of numeros)
      while (!FINAL.includes((await post('transverses/v1/consulterCRDetaille', { numeroFluxDepot: numero })).etatCourantDepotFlux)) await new Promise((r) => setTimeout(r, 250));
    // and routed, so that no routing job of the warm-up runs during the measure
    const db = new pg.Client({ connectionString: opts.database });
    await db.connect();
    while ((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM invoices WHERE number LIKE 'WARM%' AND status = 'DEPOSEE'")).rows[0]!.n) await new Promise((r) => setTimeout(r, 250));
    await db.end();
    if (round === warmUpRounds.length - 1) log('warm-up done');
  }

  const ingestionMd = opts['reads-only'] ? '' : await (async () => {
    // ── Ingestion: the three flows deposited at once; the clock runs from the first request to the last final status.
    log(`depositing ${COUNT} invoices in ${zips.length} flows (${zips.map((z) => `${z.kind} ${z.count}, ${(z.zip.byteLength / 2 ** 20).toFixed(1)} MiB`).join('; ')})`);
    // The requests' bodies (base64 of the archives in JSON: ≈ 1 s of this process's CPU for 10,000 invoices) are
    // written before the clock starts: a client's own encoding is not the platform's time.
    const bodies = zips.map((z) => Buffer.from(JSON.stringify({ fichierFlux: z.zip.toString('base64'), nomFichier: `bench-${z.kind.toLowerCase()}.zip`, syntaxeFlux: z.syntaxeFlux, avecSignature: false })));
    const pgCpu = postgresCpu(opts.database!);
    await pgCpu.start();
    const serverCpu0 = [server, ...workers].reduce((n, p) => n + cpuSeconds(p.pid), 0);
    const httpCpu0 = cpuSeconds(server.pid);
    const faults0 = [server, ...workers].reduce((n, p) => n + minorFaults(p.pid), 0);
    const system0 = [server, ...workers].reduce((n, p) => n + systemSeconds(p.pid), 0);
    for (const c of collections) c.counting = true;
    const t0 = performance.now();
    const deposits = await Promise.all(zips.map(async (z, k) => {
      const r = await post('factures/v1/deposer/flux', bodies[k]);
      if (r.codeRetour !== 0) throw new Error(`deposer/flux ${z.kind}: ${JSON.stringify(r)}`);
      return { ...z, numero: r.numeroFluxDepot as string, answeredMs: performance.now() - t0 };
    }));
    const finals = new Map<string, { ms: number; cr: any }>();
    let lastLog = 0;
    const maxMs = Number(opts['max-minutes']) * 60_000;
    let stoppedEarly = false;
    let polls = 0;
    const probeDuring: ProbeReading[] = [];
    while (finals.size < deposits.length) {
      if (maxMs && performance.now() - t0 > maxMs) {
        stoppedEarly = true;
        for (const d of deposits) if (!finals.has(d.numero)) finals.set(d.numero, { ms: performance.now() - t0, cr: await post('transverses/v1/consulterCRDetaille', { numeroFluxDepot: d.numero }) });
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
      if (++polls % 8 === 0) probeDuring.push(probe());
      let integrated = 0;
      for (const d of deposits) {
        if (finals.has(d.numero)) {
          integrated += finals.get(d.numero)!.cr.nbFacturesIntegrees;
          continue;
        }
        const cr = await post('transverses/v1/consulterCRDetaille', { numeroFluxDepot: d.numero });
        integrated += cr.nbFacturesIntegrees ?? 0;
        if (FINAL.includes(cr.etatCourantDepotFlux)) finals.set(d.numero, { ms: performance.now() - t0, cr });
      }
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`${integrated} / ${COUNT} integrated, ${(integrated / ((performance.now() - t0) / 1000)).toFixed(1)} invoices/s`);
      }
    }
    const ingestMs = Math.max(...[...finals.values()].map((f) => f.ms));
    const serverCpu = [server, ...workers].reduce((n, p) => n + cpuSeconds(p.pid), 0) - serverCpu0;
    const httpSeconds = cpuSeconds(server.pid) - httpCpu0;
    const faults = [server, ...workers].reduce((n, p) => n + minorFaults(p.pid), 0) - faults0;
    const systemCpu = [server, ...workers].reduce((n, p) => n + systemSeconds(p.pid), 0) - system0;
    for (const c of collections) c.counting = false;
    const postgresSeconds = await pgCpu.stop();
    const loadIngest = os.loadavg();
    const integrated = [...finals.values()].reduce((n, f) => n + f.cr.nbFacturesIntegrees, 0);
    const rejected = [...finals.values()].reduce((n, f) => n + f.cr.nbFacturesRejetees, 0);
    log(`${stoppedEarly ? 'stopped (--max-minutes) after' : 'all flows final after'} ${(ingestMs / 1000).toFixed(1)} s: ${integrated} integrated, ${rejected} rejected`);
    // A profiling worker stops cleanly so that it writes its profile (its running jobs finish first).
    for (const w of workers) w.kill(opts['cpu-prof'] ? 'SIGTERM' : 'SIGKILL');
    await Promise.all(workers.map((p) => (p.exitCode !== null || p.signalCode !== null ? null : new Promise((r) => p.once('exit', r)))));
    const probeAfter = probes(9);
    const db = new pg.Client({ connectionString: opts.database });
    await db.connect();
    const routed = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM invoices WHERE number LIKE 'BENCH-%' AND status <> 'DEPOSEE'")).rows[0]!.n;
    await db.end();
    return `| ingestion | value |
|---|---|
| processes: HTTP server (SERVE_PROCESSES) + workers | ${opts['serve-processes']} + ${workers.length} |
| connection to PostgreSQL (--database) | ${connectionKind(opts.database!)} |
| Node flags (package.json's ouvrage and worker scripts; then --server-flags / --worker-flags) | ${[platform.ouvrage.flags.join(' '), platform.worker.flags.join(' '), serverFlags.join(' '), workerFlags.join(' ')].map((f) => f || '—').join(' · ')} |
| environment of package.json's ouvrage and worker scripts (unless set when the bench was started) | ${[platform.ouvrage.env, platform.worker.env].map((e) => Object.keys(e).map((k) => `${k}=${process.env[k] ?? e[k]}`).join(' ') || '—').join(' · ')} |
| invoices (UBL / CII / Factur-X) | ${zips.map((z) => z.count).join(' / ')} |
| flows answered (numeroFluxDepot): ${deposits.map((d) => d.kind).join(' / ')} | ${deposits.map((d) => (d.answeredMs / 1000).toFixed(1)).join(' / ')} s |
| ${stoppedEarly ? `measure stopped by --max-minutes (flows not all final: ${[...finals.values()].map((f) => f.cr.etatCourantDepotFlux).join(', ')})` : 'all flows final (first deposit → last IN_INTEGRE)'} | ${(ingestMs / 1000).toFixed(1)} s |
| each flow final: ${deposits.map((d) => d.kind).join(' / ')} | ${deposits.map((d) => (finals.get(d.numero)!.ms / 1000).toFixed(1)).join(' / ')} s |
| integrated / rejected | ${integrated} / ${rejected} |
| **invoices per second integrated** | **${(integrated / (ingestMs / 1000)).toFixed(1)}** |
| CPU of the server processes (user + system) during ingestion, per invoice | ${((serverCpu * 1000) / integrated).toFixed(1)} ms |
| of which system time · minor page faults per invoice | ${((systemCpu * 1000) / integrated).toFixed(2)} ms · ${(faults / integrated).toFixed(1)} |
| of which the HTTP process (deposits, and consulterCRDetaille polled every 250 ms per flow)${Number(opts['serve-processes']) === 1 ? '' : ' (primary only)'} | ${((httpSeconds * 1000) / integrated).toFixed(1)} ms |
| CPU of the PostgreSQL backends of the bench database during ingestion, per invoice | ${((postgresSeconds * 1000) / integrated).toFixed(1)} ms |
| both, as invoices per second per uncontended core | ${(integrated / (serverCpu + postgresSeconds)).toFixed(0)} |
| load average at the end of the ingestion | ${loadIngest[0]!.toFixed(1)} |
| workers' garbage collections during the ingestion (--trace-gc): scavenges / Mark-Compacts, main-thread pauses | ${collections.map((c) => `${c.scavenges} / ${c.markCompacts}, ${(c.pauseMs / 1000).toFixed(2)} s`).join(' · ')} |
| machine probe (bench/ingest/machine-probe.ts, CPU time of fixed work): before the run, quiet | ${describeProbes(probeBefore)} |
| — every 2 s of the ingestion (cores shared with the platform) | ${describeProbes(probeDuring)} |
| — after the ingestion, workers stopped | ${describeProbes(probeAfter)} |
| integrated per flow (UBL / CII / Factur-X), status | ${deposits.map((d) => `${finals.get(d.numero)!.cr.nbFacturesIntegrees} ${finals.get(d.numero)!.cr.etatCourantDepotFlux}`).join(' / ')} |
| routed (past DEPOSEE) at the end of the measure | ${routed} |
| mails accepted by the relay (SMTP_URL; the platform groups them per person and category) | ${mailsRelayed} |

`;
  })();

  // ── Reads under concurrent clients, on the HTTP server alone (routing jobs and unfinished flows wait).
  const db = new pg.Client({ connectionString: opts.database });
  await db.connect();
  const ids = (await db.query<{ id: number }>("SELECT id FROM invoices WHERE number LIKE 'BENCH-%'")).rows.map((r) => r.id);
  // Planner statistics and the visibility map (index-only scans), as autovacuum would leave them on a production
  // server (it is off on this machine's): routing rewrote each invoice twice, 20,000 dead rows for 10,000 invoices.
  await db.query('VACUUM (ANALYZE)');
  await db.end();
  // The HTTP process's CPU per request (user + system; with --serve-processes > 1, the primary's only: not shown).
  const run = (op: string, body: () => unknown, seconds: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      autocannon({
        url: `${url}/cpro/${op}`, connections: CONNECTIONS, duration: seconds, method: 'POST', headers,
        requests: [{ method: 'POST', setupRequest: (req: any) => ({ ...req, body: JSON.stringify(body()) }) }],
      }, (err, result) => (err ? reject(err) : resolve(result)));
    });
  const cannon = async (title: string, op: string, body: () => unknown) => {
    // --read-warm-up S: the same calls for S seconds first, not measured (the server's code compiled by V8, as on a
    // server in service; without it the measure includes the first seconds of a process just started).
    if (READ_WARM_UP > 0) {
      log(`autocannon ${title}: warm-up, ${CONNECTIONS} connections, ${READ_WARM_UP} s, not measured`);
      await run(op, body, READ_WARM_UP);
    }
    log(`autocannon ${title}: ${CONNECTIONS} connections, ${SECONDS} s`);
    serverOut += `\n### autocannon ${title}\n`;
    const cpu0 = cpuSeconds(server.pid);
    const pgCpu = postgresCpu(opts.database!);
    await pgCpu.start();
    const own0 = process.cpuUsage();
    const r = await run(op, body, SECONDS);
    const cpuMs = Number(opts['serve-processes']) === 1 ? ((cpuSeconds(server.pid) - cpu0) * 1000) / r.requests.total : NaN;
    const own = process.cpuUsage(own0);
    // The bench process (autocannon, the clients) shares the cores: its CPU, and the PostgreSQL backends', per request.
    const clientMs = (own.user + own.system) / 1000 / r.requests.total;
    const postgresMs = ((await pgCpu.stop()) * 1000) / r.requests.total;
    return Object.assign(r, { cpuMs, clientMs, postgresMs });
  };
  const pick = () => ids[Math.floor(Math.random() * ids.length)];
  const reads = [
    { title: 'consulter/fournisseur (one invoice, random among all)', r: await cannon('consulter', 'factures/v1/consulter/fournisseur', () => ({ identifiantFactureCPP: pick() })) },
    { title: 'rechercher/fournisseur (first page of 10, sorted by id)', r: await cannon('rechercher', 'factures/v1/rechercher/fournisseur', () => ({ rechercheFactureParFournisseur: { pageResultatDemandee: 1, nbResultatsParPage: 10 } })) },
  ];
  const loadAfter = os.loadavg();

  const cpu = os.cpus();
  const md = `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${ids.length} invoices, ${cpu.length} cores (${cpu[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${loadBefore[0]!.toFixed(1)} before and ${loadAfter[0]!.toFixed(1)} after.

${ingestionMd}| read (${CONNECTIONS} clients, ${SECONDS} s${READ_WARM_UP > 0 ? ` after ${READ_WARM_UP} s of warm-up` : ''}, workers stopped) | requests/s | p50 (ms) | p99 (ms) | CPU per request: HTTP process | PostgreSQL backends | autocannon (bench process) | errors / non-2xx |
|---|---|---|---|---|---|---|---|
${reads.map(({ title, r }) => `| ${title} | **${r.requests.average.toFixed(0)}** | ${r.latency.p50} | **${r.latency.p99}** | ${Number.isNaN(r.cpuMs) ? '—' : `${r.cpuMs.toFixed(3)} ms`} | ${r.postgresMs.toFixed(3)} ms | ${r.clientMs.toFixed(3)} ms | ${r.errors + r.timeouts} / ${r.non2xx} |`).join('\n')}
`;
  console.log(md);
  writeFileSync(path.join(root, '.cache', 'bench-ingest', 'last-run.md'), md);
  // What the HTTP process printed (e.g. --server-flags --trace-gc's lines).
  writeFileSync(path.join(root, '.cache', 'bench-ingest', 'last-run-server.log'), serverOut);
} finally {
  for (const p of [server, ...workers]) p.kill('SIGTERM');
  await Promise.all([server, ...workers].map((p) => (p.exitCode !== null || p.signalCode !== null ? null : new Promise((r) => p.once('exit', r)))));
  rmSync(dataDir, { recursive: true, force: true });
  // smtp-server's close waits for its connections to end: a worker's that never sent its QUIT would hold the bench.
  await Promise.race([new Promise<void>((resolve) => relay.close(() => resolve())), new Promise((r) => setTimeout(r, 2000).unref())]);
}
process.exit(process.exitCode ?? 0);
