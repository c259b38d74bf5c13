/**
 * A worker process for the flow crash test (test/integration/cpro-flow-crash.test.ts): opens the application with
 * the job workers only, on DATABASE_URL and DATA_DIR, and prints the progress of one flow as JSON lines on stdout,
 * so that the test never opens the database while the worker holds it (a PGlite data directory has one user).
 * Exits by itself once the flow reached a final status; the test may SIGKILL it at any time before.
 *   node --import tsx test/helpers/flow-worker.ts <flowId>
 */
import { loadConfig } from '../../src/config/index.ts';
import { startApp } from '../../src/app.ts';
import { sql } from 'kysely';

const flowId = Number(process.argv[2]);
const config = loadConfig({}, {
  NODE_ENV: 'test',
  DATABASE_URL: process.env.DATABASE_URL,
  DATA_DIR: process.env.DATA_DIR,
  LOG_LEVEL: 'silent',
  PORT: 0,
  PUBLIC_URL: 'http://localhost:8080',
});
const app = await startApp({ config, http: false, workers: true });
console.log(JSON.stringify({ started: true, pid: process.pid }));

const FINAL = ['IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE'];
for (;;) {
  // One statement, so that the counts are of one instant (a chunk's invoices and its files' states change together).
  const { rows } = await sql<{ status: string | null; states: Record<string, number> | string | null; invoices: number }>`
    SELECT f.status,
           (SELECT json_object_agg(state, n) FROM (SELECT state, count(*)::int AS n FROM cpro_flow_items WHERE flow_id = f.id GROUP BY state) s) AS states,
           -- Invoices made by the flow so far: more than INTEGREE when a chunk's invoices are committed but not yet recorded.
           (SELECT count(*)::int FROM invoices i WHERE i.created_by = f.deposited_by AND i.created_at >= f.deposited_at AND i.deposit_mode LIKE 'EDI_%') AS invoices
      FROM cpro_flows f WHERE f.id = ${flowId}`.execute(app.ctx.db);
  const flow = rows[0];
  const counts = typeof flow?.states === 'string' ? JSON.parse(flow.states) : (flow?.states ?? {});
  console.log(JSON.stringify({ status: flow?.status ?? null, ...counts, invoices: Number(flow?.invoices ?? 0) }));
  if (flow?.status && FINAL.includes(flow.status)) break;
  await new Promise((r) => setTimeout(r, 150));
}
await app.close();
process.exit(0);
