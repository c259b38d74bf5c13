/**
 * A worker process for the flow crash test (test/integration/cpro-flow-crash.test.ts): opens the application with
 * the job workers only, on DATABASE_URL and DATA_DIR, and prints the progress of one flow as JSON lines on stdout,
 * so that the test never opens the database while the worker holds it (a PGlite data directory has one user).
 * Exits by itself once the flow reached a final status; the test may SIGKILL it at any time before.
 *   node --import tsx test/helpers/flow-worker.ts <flowId>
 */
import { loadConfig } from '../../src/config/index.ts';
import { startApp } from '../../src/app.ts';

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
  const flow = await app.ctx.db.selectFrom('cpro_flows').select(['status', 'deposited_by', 'deposited_at']).where('id', '=', flowId).executeTakeFirst();
  // Invoices made by the flow so far: more than INTEGREE when a file's invoice is committed but not yet recorded.
  const made = flow
    ? await app.ctx.db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).where('created_by', '=', flow.deposited_by).where('created_at', '>=', flow.deposited_at).where('deposit_mode', 'like', 'EDI_%').executeTakeFirstOrThrow()
    : { n: 0 };
  const rows = await app.ctx.db
    .selectFrom('cpro_flow_items')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('flow_id', '=', flowId)
    .groupBy('state')
    .execute();
  const counts = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  console.log(JSON.stringify({ status: flow?.status ?? null, ...counts, invoices: Number(made.n) }));
  if (flow && FINAL.includes(flow.status)) break;
  await new Promise((r) => setTimeout(r, 150));
}
await app.close();
process.exit(0);
