import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/test-app.ts';
import { enqueueMany } from '../../src/queue/queue.ts';
import { sendMailJob } from '../../src/queue/jobs.ts';

test('waiting jobs are fetched batch after batch, without the polling pause between batches', async () => {
  const app = await startTestApp({ workers: false });
  after(() => app.cleanup());
  // 30 jobs, 6 batches of 5 (sendMailJob), handled at once: pg-boss paused what was left of its 0.5 s polling
  // interval after each batch (≥ 2 s from the first batch to the last); a fetch that found jobs is now followed by
  // the next one at once.
  const handled: number[] = [];
  let done: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  await app.queue.work({
    [sendMailJob.name]: async () => {
      handled.push(Date.now());
      if (handled.length === 30) done();
    },
  });
  await app.ctx.db.transaction().execute((trx) => enqueueMany(trx, sendMailJob, Array.from({ length: 30 }, (_, i) => ({ payload: { to: 'lot@example.org', subject: `Lot ${i}`, text: 'un message parmi d’autres' } }))));
  await all;
  const ms = handled.at(-1)! - handled[0]!;
  assert.ok(ms < 1500, `30 jobs in 6 batches handled over ${ms} ms`);
});
