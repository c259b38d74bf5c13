import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { openDatabase } from '../../src/db/open-database.ts';

/**
 * pg-boss marks a worker's jobs complete or failed without awaiting it; a worker whose fetch was in flight when
 * the queue stopped does so after the database is closed. Its statements must then resolve, writing nothing,
 * rather than reject or answer what pg-boss misreads (either ends the process with code 1: nobody catches it), and
 * a fetch must find no job.
 */
test('once the database is closed, pg-boss fetches no job and completes or fails jobs without throwing', async () => {
  const database = await openDatabase(process.env.TEST_DATABASE_URL ?? 'pglite://memory');
  assert.deepEqual((await database.boss.executeSql('SELECT 1 AS one', [])).rows, [{ one: 1 }]);
  await database.close();
  const boss = new PgBoss({ db: database.boss as never, schema: 'pgboss' });
  const id = randomUUID();
  assert.deepEqual(await boss.fetch('integrate-cpro-flow'), []);
  assert.deepEqual(await boss.complete('integrate-cpro-flow', id), { jobs: [id], requested: 1, affected: 0 });
  assert.deepEqual(await boss.fail('integrate-cpro-flow', id, new Error('database closed')), { jobs: [id], requested: 1, affected: 0 });
});
