import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp } from '../helpers/test-app.ts';
import { LISTEN_RETRY } from '../../src/db/pg-listener.ts';
import { enqueue, enqueueMany, Queue } from '../../src/queue/queue.ts';
import { integrateCproFlowJob, invoicePaymentClockJob, processInvoiceBatchJob, sendMailJob } from '../../src/queue/jobs.ts';

test("a flow's waiting jobs are fetched one after the other without the polling pause; other queues keep it", async () => {
  const app = await startTestApp({ workers: false });
  after(() => app.cleanup());
  // Four flow jobs (fetched one at a time) and seven mails (batches of five) wait; the polling interval is 60 s.
  // pg-boss pauses for what is left of the interval after each batch: the flow jobs are fetched again at once,
  // so all four run in seconds, whereas the mails' second batch waits for the next poll.
  await app.ctx.db.transaction().execute(async (trx) => {
    await enqueueMany(trx, integrateCproFlowJob, [1, 2, 3, 4].map((flowId) => ({ payload: { flowId } })));
    await enqueueMany(trx, sendMailJob, Array.from({ length: 7 }, (_, i) => ({ payload: { to: 'lot@example.org', subject: `Lot ${i}`, text: 'un message parmi d’autres' } })));
  });
  const flows: number[] = [];
  const mails: string[] = [];
  let allFlows!: () => void;
  const flowsDone = new Promise<void>((resolve) => (allFlows = resolve));
  await app.queue.work(
    {
      [integrateCproFlowJob.name]: async (p: { flowId: number }) => {
        flows.push(p.flowId);
        if (flows.length === 4) allFlows();
      },
      [sendMailJob.name]: async (p: { subject: string }) => void mails.push(p.subject),
    },
    { pollingIntervalSeconds: 60 },
  );
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref());
  assert.notEqual(await Promise.race([flowsDone, timeout]), 'timeout', `flow jobs handled: ${flows.join(', ')}`);
  assert.deepEqual([...flows].sort(), [1, 2, 3, 4]);
  assert.equal(mails.length, 5, 'the mails: one batch of five, the rest at the next poll');
});

test('jobs due at a calendar instant are asked for every 10 s; mails every 0.5 s', async () => {
  const app = await startTestApp({ workers: false });
  after(() => app.cleanup());
  const handled: Array<{ kind: string; at: number }> = [];
  await app.queue.work({
    [sendMailJob.name]: async () => void handled.push({ kind: 'mail', at: Date.now() }),
    [invoicePaymentClockJob.name]: async () => void handled.push({ kind: 'clock', at: Date.now() }),
  });
  // Both queues' workers have made their first (empty) ask; both jobs are then due at once.
  await new Promise((r) => setTimeout(r, 1000));
  const sent = Date.now();
  await app.ctx.db.transaction().execute(async (trx) => {
    await enqueueMany(trx, sendMailJob, [{ payload: { to: 'a@example.org', subject: 'Objet', text: 'Texte' } }]);
    await enqueueMany(trx, invoicePaymentClockJob, [{ payload: { invoiceId: 1 } }]);
  });
  for (let i = 0; i < 150 && handled.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  const delay = (kind: string) => handled.find((h) => h.kind === kind)!.at - sent;
  assert.deepEqual(handled.map((h) => h.kind), ['mail', 'clock']);
  assert.ok(delay('mail') < 2000, `mail handled after ${delay('mail')} ms`);
  assert.ok(delay('clock') > 2000, `payment clock handled after ${delay('clock')} ms`);
});

test('a flow or a batch enqueued to run now wakes the idle workers at its commit; a mail waits for the next ask', async () => {
  const app = await startTestApp({ workers: false });
  after(() => app.cleanup());
  const handled: string[] = [];
  let bothDone!: () => void;
  const both = new Promise<void>((resolve) => (bothDone = resolve));
  const seen = (what: string) => {
    handled.push(what);
    if (handled.includes('flow 7') && handled.includes('batch 3')) bothDone();
  };
  await app.queue.work(
    {
      [integrateCproFlowJob.name]: async (p: { flowId: number }) => seen(`flow ${p.flowId}`),
      [processInvoiceBatchJob.name]: async (p: { batchId: number }) => seen(`batch ${p.batchId}`),
      [sendMailJob.name]: async () => seen('mail'),
    },
    { pollingIntervalSeconds: 60 },
  );
  // Every worker has made its first (empty) ask: the next one is a minute away.
  await new Promise((r) => setTimeout(r, 1000));
  await app.ctx.db.transaction().execute(async (trx) => {
    await enqueueMany(trx, integrateCproFlowJob, [{ payload: { flowId: 7 } }]);
    await enqueue(trx, processInvoiceBatchJob, { batchId: 3 });
    await enqueue(trx, sendMailJob, { to: 'a@example.org', subject: 'Objet', text: 'Texte' });
  });
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref());
  assert.notEqual(await Promise.race([both, timeout]), 'timeout', `handled: ${handled.join(', ')}`);
  assert.deepEqual([...handled].sort(), ['batch 3', 'flow 7'], 'the mail waits for the next ask');
});

test('no connection to listen on: the workers still start, and jobs come at their next ask', async () => {
  const app = await startTestApp({ workers: false });
  after(() => app.cleanup());
  const queue = new Queue(app.database.boss, async () => {
    throw new Error('sorry, too many clients already');
  });
  await queue.start();
  after(() => queue.stop());
  const handled: number[] = [];
  const errors: unknown[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(' '));
  try {
    await queue.work({ [integrateCproFlowJob.name]: async (p: { flowId: number }) => void handled.push(p.flowId) });
  } finally {
    console.error = error;
  }
  assert.match(String(errors[0]), /not woken at once: sorry, too many clients/);
  await app.ctx.db.transaction().execute((trx) => enqueue(trx, integrateCproFlowJob, { flowId: 9 }));
  for (let i = 0; i < 100 && !handled.length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(handled, [9]);
});

const onServer = { skip: !process.env.TEST_DATABASE_URL && 'PostgreSQL only (TEST_DATABASE_URL): PGlite listens in its own session' };

/** Ends the backend that LISTENs in this test's database, and waits until it is gone. */
async function terminateListener(app: Awaited<ReturnType<typeof startTestApp>>) {
  const { rows } = await sql<{ ended: boolean }>`
    SELECT pg_terminate_backend(pid, 5000) AS ended FROM pg_stat_activity
     WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`.execute(app.ctx.db);
  assert.deepEqual(rows.map((r) => r.ended), [true], 'one listening backend, ended');
}

test('a lost LISTEN connection is opened again, and notifications come again', onServer, async () => {
  const app = await startTestApp({ workers: false });
  after(() => app.cleanup());
  const got: string[] = [];
  let reconnected = 0;
  const unlisten = await app.database.listen('ouvrage_test_channel', (p) => got.push(p), () => reconnected++);
  after(() => unlisten());
  await terminateListener(app);
  for (let i = 0; i < 100 && !reconnected; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(reconnected, 1, 'listening again');
  await sql`SELECT pg_notify('ouvrage_test_channel', 'after')`.execute(app.ctx.db);
  for (let i = 0; i < 50 && !got.length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(got, ['after']);
});

test('a flow enqueued while the LISTEN connection was down is fetched as soon as it is back, not at the next ask', onServer, async () => {
  const app = await startTestApp({ workers: false });
  after(() => app.cleanup());
  const first = LISTEN_RETRY.firstMs;
  LISTEN_RETRY.firstMs = 1500; // time to enqueue while nobody listens
  after(() => void (LISTEN_RETRY.firstMs = first));
  const handled: number[] = [];
  await app.queue.work({ [integrateCproFlowJob.name]: async (p: { flowId: number }) => void handled.push(p.flowId) }, { pollingIntervalSeconds: 60 });
  await new Promise((r) => setTimeout(r, 1000)); // every worker's first ask is done: the next is a minute away
  await terminateListener(app);
  await app.ctx.db.transaction().execute((trx) => enqueue(trx, integrateCproFlowJob, { flowId: 11 }));
  for (let i = 0; i < 150 && !handled.length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(handled, [11]);
});

test('listening that failed at the start is tried again: once it works, a flow enqueued then wakes the workers at once', async () => {
  const app = await startTestApp({ workers: false });
  after(() => app.cleanup());
  let attempts = 0;
  let listening = false;
  const queue = new Queue(app.database.boss, async (channel, onNotify, onReconnect) => {
    if (++attempts === 1) throw new Error('sorry, too many clients already');
    const unlisten = await app.database.listen(channel, onNotify, onReconnect);
    listening = true;
    return unlisten;
  });
  await queue.start();
  after(() => queue.stop());
  const handled: number[] = [];
  const error = console.error;
  console.error = () => undefined;
  try {
    await queue.work({ [integrateCproFlowJob.name]: async (p: { flowId: number }) => void handled.push(p.flowId) }, { pollingIntervalSeconds: 60 });
  } finally {
    console.error = error;
  }
  for (let i = 0; i < 100 && !listening; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(listening, `listening after ${attempts} attempts`);
  await new Promise((r) => setTimeout(r, 1000)); // the workers' ask at the retry is done: the next is a minute away
  await app.ctx.db.transaction().execute((trx) => enqueue(trx, integrateCproFlowJob, { flowId: 12 }));
  for (let i = 0; i < 100 && !handled.length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(handled, [12]);
});
