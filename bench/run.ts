/**
 * Benchmarks of the foundation, on the embedded database (PGlite) and on the local PostgreSQL server.
 * Prints a table and rewrites its section of docs/benchmarks.md. Run: npm run bench
 */
import os from 'node:os';
import { writeBenchmarkSection } from './doc-section.ts';
import { startTestApp } from '../test/helpers/test-app.ts';
import { loggedInClient, newStructure, newUser } from '../test/helpers/factories.ts';

interface Row { name: string; n: number; ms: number }

async function measure(name: string, n: number, fn: (i: number) => Promise<unknown>): Promise<Row> {
  await fn(-1); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return { name, n, ms: performance.now() - t0 };
}

async function runOn(engine: string): Promise<{ engine: string; rows: Row[] }> {
  const app = await startTestApp({ workers: false });
  const rows: Row[] = [];
  try {
    const gp = await newUser(app);
    for (let i = 0; i < 30; i++) await newStructure(app, gp, { kind: i % 2 ? 'PUBLIQUE' : 'PRIVEE', postcode: `7500${i % 10}` });
    const client = await loggedInClient(app, gp.email);
    const { body } = await client.get('/structures');
    const someId = body.structures[0].id;

    rows.push(await measure('login (argon2id verify + session)', 50, () => client.post('/sessions', { email: gp.email, password: 'Correct-Horse-42!' })));
    rows.push(await measure('GET /api/v1/me (session lookup)', 500, () => client.get('/me')));
    rows.push(await measure('GET /api/v1/structures (30 structures)', 300, () => client.get('/structures')));
    rows.push(await measure('GET /api/v1/structures/:id (membership + rights)', 500, () => client.get(`/structures/${someId}`)));
    rows.push(await measure('GET /api/v1/directory?postcode=75001 (public search)', 300, () => client.get('/directory?postcode=75001')));
    rows.push(await measure('create structure (validation + 3 inserts + event)', 100, () => newStructure(app, gp)));


  } finally {
    await app.cleanup();
  }
  return { engine, rows };
}

const results = [await runOn('PGlite (embedded, in memory)')];
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
try {
  process.env.TEST_DATABASE_URL = serverUrl;
  results.push(await runOn('PostgreSQL 15 (local server)'));
} catch (err) {
  console.error(`PostgreSQL not measured (${(err as Error).message})`);
}

const table = (rows: Row[]) => [
  '| Operation | Runs | Total (ms) | Per op (ms) | Ops/s |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${r.n} | ${r.ms.toFixed(0)} | ${(r.ms / r.n).toFixed(2)} | ${((r.n * 1000) / r.ms).toFixed(0)} |`),
].join('\n');
const sections = results.map((r) => `### ${r.engine}\n\n${table(r.rows)}`).join('\n\n');
console.log(sections);
const section = `## Foundation (accounts, structures, directory)

Produced by \`npm run bench\` (\`bench/run.ts\`) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version},
${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB. Requests go through
the whole HTTP stack with Fastify's \`inject()\` (no network), one after another, after one warm-up call.

${sections}

Reading: login is dominated on purpose by argon2id (19 MiB, 2 passes); an authenticated read costs a session
lookup and a membership query, a few milliseconds on either engine. Other benchmarks (formats, validation,
DUME) have their figures in docs/formats.md, docs/validation.md and docs/dume.md.
`;
writeBenchmarkSection('## Foundation (accounts, structures, directory)', section);
