/**
 * Invoice search at scale: seeds N invoices (bench/search/seed.sql: 2,000 suppliers, 500 buyers, one city
 * receiving 40 % of them, one supplier sending 15 %) into a fresh PostgreSQL database, then times the search use
 * case (membership, rights, rows and total) for typical criteria, p50 and p99, and a CSV export. Rewrites its
 * section of docs/benchmarks.md. Run: npm run bench:search [-- N] (default 500000; TEST_DATABASE_URL or local).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startTestApp } from '../../test/helpers/test-app.ts';
import { newUser } from '../../test/helpers/factories.ts';
import { writeBenchmarkSection } from '../doc-section.ts';
import * as invoices from '../../src/invoices/index.ts';

const N = Number(process.argv[2] ?? 500_000);
const RUNS = 100;
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';

const app = await startTestApp({ workers: false });
const lines: string[] = [];
try {
  const t0 = performance.now();
  const client = new pg.Client({ connectionString: app.config.DATABASE_URL });
  client.on('error', () => {}); // the database is dropped at the end
  await client.connect();
  const seed = readFileSync(path.join(import.meta.dirname, 'seed.sql'), 'utf8').replace(/(?<!:):n\b/g, String(N));
  // One statement at a time: VACUUM may not run inside the implicit transaction of a multi-statement query.
  for (const statement of seed.split(/;\s*\n/).map((x) => x.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean)) await client.query(statement);
  const ids = await client.query<{ id: number; identifier: string }>(`SELECT id, identifier FROM structures WHERE identifier IN ('10000000000001', '10000000002001', '10000000001351')`);
  await client.end();
  const seedSeconds = (performance.now() - t0) / 1000;
  const id = (siret: string) => ids.rows.find((r) => r.identifier === siret)!.id;
  const bigSupplier = id('10000000000001');
  const city = id('10000000002001');
  const gp = await newUser(app);
  await app.ctx.db.insertInto('rattachements').values([bigSupplier, city].map((s) => ({ user_id: gp.userId, structure_id: s, status: 'VALIDEE', role: 'GESTIONNAIRE_PRINCIPAL', decided_at: new Date() }))).execute();

  const R = { side: 'RECUES' as const, structureId: city };
  const E = { side: 'EMISES' as const, structureId: bigSupplier };
  const cases: Array<[string, invoices.InvoiceSearchInput]> = [
    ['city, received, first page (all statuses it sees)', R],
    ['city, received, page 200', { ...R, page: 200 }],
    ['city, received, status SUSPENDUE', { ...R, status: 'SUSPENDUE' }],
    ['city, received, number prefix (F-2025-0012…)', { ...R, number: 'F-2025-0012' }],
    ['city, received, exact number', { ...R, number: 'F-2025-00123455' }],
    ['city, received, one week of invoice dates', { ...R, dateFrom: '2025-03-01', dateTo: '2025-03-07' }],
    ['city, received, amount 200,000–210,000 €', { ...R, amountMin: '200000', amountMax: '210000' }],
    ['city, received, supplier by SIRET (its largest supplier)', { ...R, counterpart: '10000000000001' }],
    ['city, received, supplier by name (a small one)', { ...R, counterpart: 'petit 1235' }],
    ['city, received, status + dates + amounts', { ...R, status: 'MISE_EN_PAIEMENT', dateFrom: '2025-01-01', dateTo: '2025-06-30', amountMin: '1000' }],
    ['largest supplier, sent, first page', E],
    ['largest supplier, sent, number prefix', { ...E, number: 'F-2024-0004' }],
    ['largest supplier, sent, recipient by name', { ...E, counterpart: 'villeneuve 2005' }],
  ];
  const rows: string[] = [];
  for (const [name, input] of cases) {
    const times: number[] = [];
    let total = 0;
    for (let i = -5; i < RUNS; i++) {
      const t = performance.now();
      const r = await invoices.searchInvoices(app.ctx, gp, input);
      if (i >= 0) times.push(performance.now() - t);
      total = r.total;
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
    rows.push(`| ${name} | ${total.toLocaleString('en')} | ${p(0.5)} | ${p(0.99)} |`);
    console.log(rows[rows.length - 1]);
  }
  const te = performance.now();
  const exp = await invoices.exportInvoicesCsv(app.ctx, gp, { ...R, status: 'SUSPENDUE', dateFrom: '2025-01-01', dateTo: '2025-12-31' });
  const exportLine = `CSV export of a search of ${exp.rows.toLocaleString('en')} rows (200 a page): ${((performance.now() - te) / 1000).toFixed(2)} s.`;
  console.log(exportLine);

  lines.push(
    '## Invoice search (bench/search)',
    '',
    `Produced by \`npm run bench:search\` (\`bench/search/search.bench.ts\`) on ${new Date().toISOString().slice(0, 10)}: ${N.toLocaleString('en')} invoices`,
    `seeded in ${seedSeconds.toFixed(0)} s into PostgreSQL 15 (local server), 2,000 suppliers and 500 buyers — one city receives 40 % of`,
    `them, one supplier sends 15 %. Node ${process.version}, ${os.cpus().length} cores (shared with other work while measured).`,
    `Each line: the search use case (membership, rights, the page of 20 and the total) called ${RUNS} times after 5 warm-ups.`,
    '',
    '| Search | Matches (total) | p50 (ms) | p99 (ms) |',
    '|---|---|---|---|',
    ...rows,
    '',
    exportLine,
    '',
    'Reading: every criterion has an index leading with the structure (migration `0012_invoice_search_indexes.sql`:',
    'number prefix with `text_pattern_ops`, invoice date, amount TTC, counterpart with the status included); a',
    'number prefix orders by `id + 0` so the planner uses it instead of walking the primary key backwards; the',
    'page\'s 20 ids are chosen before the joins (a counterpart with 26,000 invoices went from 122 ms to 28 ms in',
    'EXPLAIN ANALYZE); the count reads the invoices alone (no join). What remains proportional to the structure is',
    'the exact total of a broad search over a very large structure (an index-only count: about 60 ms for 170,000',
    'invoices), a combination whose count must read the rows (status + dates + amounts: about 85 ms) and deep pages',
    '(OFFSET). p99 reflects the shared machine more than the queries.',
    '',
  );
} finally {
  await app.cleanup();
}

writeBenchmarkSection('## Invoice search (bench/search)', lines.join('\n'));
