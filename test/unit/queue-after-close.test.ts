import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { openDatabase } from '../../src/db/open-database.ts';

/**
 * A worker whose fetch was in flight when the queue stopped runs its jobs after the database closed, then pg-boss marks
 * them complete or failed without awaiting it: whatever the closed database answers must neither throw there (an
 * unhandled rejection ends the worker process with code 1) nor look like a job.
 */
test('after the database is closed, pg-boss fetches no job and completes or fails jobs without throwing', async () => {
  const database = await openDatabase('pglite://memory');
  await database.close();
  const boss = new PgBoss({ db: database.boss as never, schema: 'pgboss' });
  const id = randomUUID();
  assert.deepEqual(await boss.fetch('integrate-cpro-flow'), []);
  assert.deepEqual(await boss.complete('integrate-cpro-flow', id), { jobs: [id], requested: 1, affected: 0 });
  assert.deepEqual(await boss.fail('integrate-cpro-flow', id, new Error('database closed')), { jobs: [id], requested: 1, affected: 0 });
});
