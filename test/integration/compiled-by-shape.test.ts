import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/open-database.ts';
import { compiledByShapeTogether } from '../../src/db/prepared.ts';

/** compiledByShapeTogether: one build per shape of input, each call's own values bound (never the first call's). */
test('a query compiled once per shape binds each call’s values, lists as one array parameter', async () => {
  const database = await openDatabase(process.env.TEST_DATABASE_URL ?? 'pglite://memory');
  try {
    type Input = { min?: number; among?: number[]; prefix?: string };
    let builds = 0;
    const query = compiledByShapeTogether(
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
    const ns = async (i: Input) => (await query.one(database.db, i)).rows.map((r) => r.n);
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

/** Several inputs of one shape in one statement: each gets the rows of its own statement. */
test('inputs of one shape read together get each the rows of their own statement; others are told to go alone', async () => {
  const database = await openDatabase(process.env.TEST_DATABASE_URL ?? 'pglite://memory');
  try {
    type Input = { min?: number; word?: string; flag?: boolean; among?: number[]; dollar?: boolean };
    const query = compiledByShapeTogether(
      (i: Input) => `${i.min === undefined ? 0 : 1}${i.word === undefined ? 0 : 1}${i.flag === undefined ? 0 : 1}${i.among ? 1 : 0}${i.dollar ? 1 : 0}`,
      (db, i, arg) => {
        const c = [sql<boolean>`true`];
        if (i.min !== undefined) c.push(sql<boolean>`n >= ${arg((x) => x.min)}`);
        if (i.word !== undefined) c.push(sql<boolean>`('n' || n || ' ' || ${arg((x) => x.word)}) LIKE ${arg((x) => `%${x.word}`)}`);
        if (i.flag !== undefined) c.push(sql<boolean>`(n % 2 = 0) = ${arg((x) => x.flag)}`);
        if (i.among) c.push(sql<boolean>`n = ANY(${arg((x) => x.among)}::int[])`);
        if (i.dollar) c.push(sql<boolean>`'$1' <> ${arg(() => 'x')}`);
        return db.selectFrom(sql<{ n: number }>`(SELECT generate_series(1, 12) AS n)`.as('s')).select(sql<number>`n`.as('n')).where(sql<boolean>`${sql.join(c, sql` AND `)}`).orderBy('n');
      },
    );
    const db = database.db;
    const inputs: Input[] = [{ min: 10, word: 'a', flag: true }, { min: 3, word: "l'été \\ \"%", flag: false }, { min: 12.5, word: '', flag: true }, { min: 0, word: 'x', flag: false }];
    const groups = new Set(inputs.slice(0, 2).concat(inputs[3]!).map((i) => query.groupOf(db, i)));
    assert.equal(groups.size, 1, 'same shape and kinds: one group');
    assert.notEqual(query.groupOf(db, inputs[2]!), query.groupOf(db, inputs[0]!), 'a fraction goes as numeric, another group');
    const same = [inputs[0]!, inputs[1]!, inputs[3]!, inputs[0]!];
    const together = await query.several(db, same);
    for (const [k, i] of same.entries()) {
      const alone = (await query.one(db, i)).rows.map((r) => r.n);
      assert.deepEqual(together[k]!.map((r) => r.n).sort((a, b) => a - b), alone, JSON.stringify(i));
      assert.ok(together[k]!.every((r) => (r as unknown as { batch_index: number }).batch_index === k));
    }
    assert.deepEqual(together[0]!.map((r) => r.n).sort((a, b) => a - b), [10, 12]);
    assert.deepEqual(together[2]!.map((r) => r.n).sort((a, b) => a - b), [1, 3, 5, 7, 9, 11]);
    assert.deepEqual((await query.several(db, [inputs[2]!, inputs[2]!])).map((rows) => rows.length), [0, 0]);
    assert.equal(query.groupOf(db, { among: [1, 2] }), null, 'a list cannot go in the JSON');
    assert.equal(query.groupOf(db, { dollar: true }), null, 'a statement with a $ of its own goes alone');
  } finally {
    await database.close();
  }
});
