import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PreparingClient } from '../../src/db/prepared.ts';
import '../../src/db/open-database.ts';

const url = process.env.TEST_DATABASE_URL;

/** PreparingClient on PostgreSQL: a statement's rows are described once per connection, then only bound and executed. */
test('a prepared statement is described at its first execution on a connection only, with the same rows after', { skip: !url && 'PostgreSQL only (TEST_DATABASE_URL)' }, async () => {
  const client = new PreparingClient({ connectionString: url });
  await client.connect();
  try {
    const described: string[] = [];
    const connection = (client as unknown as { connection: { describe(msg: { type: string }): void } }).connection;
    const describe = connection.describe.bind(connection);
    connection.describe = (msg) => {
      described.push(msg.type);
      describe(msg);
    };
    const text = "SELECT n, 'v' || n AS label, n % 2 = 0 AS even, now()::date AS day FROM generate_series(1, $1::int) AS n ORDER BY n /* prepared */";
    const rowsOf = async (count: number): Promise<Array<{ n: number; label: string; even: boolean; day: string }>> => (await client.query(text, [count])).rows;
    const first = await rowsOf(3);
    assert.deepEqual(described, ['P']);
    const second = await rowsOf(3);
    assert.deepEqual(described, ['P'], 'no Describe once the shape is known');
    assert.deepEqual(second, first);
    assert.deepEqual(Object.keys(second[0]!), ['n', 'label', 'even', 'day']);
    assert.deepEqual(second.map((r) => [r.n, r.label, r.even]), [[1, 'v1', false], [2, 'v2', true], [3, 'v3', false]]);
    assert.deepEqual(await rowsOf(0), []);
    assert.deepEqual((await rowsOf(1)).map((r) => r.label), ['v1']);
    // An error on execution leaves the connection usable, the statement too.
    await assert.rejects(client.query(text, ['x']), /invalid input syntax/);
    assert.deepEqual((await rowsOf(2)).map((r) => r.n), [1, 2]);
    // pg's own describe for unmarked statements, every time.
    await client.query('SELECT 1 AS one');
    assert.equal(described.length, 1);
  } finally {
    await client.end();
  }
});
