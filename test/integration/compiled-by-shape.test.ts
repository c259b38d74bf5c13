import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/open-database.ts';
import { compiledByShape } from '../../src/db/prepared.ts';

/** compiledByShape: one build per shape of input, each call's own values bound (never the first call's). */
test('a query compiled once per shape binds each call’s values, lists as one array parameter', async () => {
  const database = await openDatabase(process.env.TEST_DATABASE_URL ?? 'pglite://memory');
  try {
    type Input = { min?: number; among?: number[]; prefix?: string };
    let builds = 0;
    const query = compiledByShape(
      (i: Input) => `${i.min === undefined ? 0 : 1}${i.among ? 1 : 0}${i.prefix ? 1 : 0}`,
      (db, i, arg) => {
        builds++;
        const c = [sql<boolean>`true`];
        if (i.min !== undefined) c.push(sql<boolean>`n >= ${arg((x) => x.min)}::int`);
        if (i.among) c.push(sql<boolean>`n = ANY(${arg((x) => x.among)}::int[])`);
        if (i.prefix) c.push(sql<boolean>`('v' || n) LIKE ${arg((x) => `${x.prefix}%`)}`);
        return db.selectFrom(sql<{ n: number }>`(SELECT generate_series(1, 30) AS n)`.as('s')).select(sql<number>`n`.as('n')).where(sql<boolean>`${sql.join(c, sql` AND `)}`).orderBy('n');
      },
    );
    const ns = async (i: Input) => (await query(database.db, i)).rows.map((r) => r.n);
    assert.deepEqual(await ns({ min: 28 }), [28, 29, 30]);
    assert.deepEqual(await ns({ min: 29 }), [29, 30]);
    assert.deepEqual(await ns({ among: [3, 5] }), [3, 5]);
    assert.deepEqual(await ns({ among: [7, 8, 9, 10] }), [7, 8, 9, 10]);
    assert.deepEqual(await ns({ among: [] }), []);
    assert.deepEqual(await ns({ min: 20, prefix: 'v2' }), [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    assert.deepEqual(await ns({ min: 2, prefix: 'v3' }), [3, 30]);
    assert.equal(builds, 3, 'one build per shape, whatever the values and the lists’ lengths');
  } finally {
    await database.close();
  }
});
