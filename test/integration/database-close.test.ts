import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/db/open-database.ts';

/**
 * pg-boss marks a worker's jobs complete or failed without awaiting it; a worker whose fetch was in flight when
 * the queue stopped does so after the database is closed. Its statements must then resolve, writing nothing,
 * rather than reject with nobody to catch it (an unhandled rejection ends the process).
 */
test('once the database is closed, pg-boss’s statements resolve with no rows instead of rejecting', async () => {
  const database = await openDatabase(process.env.TEST_DATABASE_URL ?? 'pglite://memory');
  assert.deepEqual((await database.boss.executeSql('SELECT 1 AS one', [])).rows, [{ one: 1 }]);
  await database.close();
  assert.deepEqual((await database.boss.executeSql('SELECT 1 AS one', [])).rows, []);
});
