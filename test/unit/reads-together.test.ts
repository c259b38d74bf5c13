import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readsTogether } from '../../src/db/reads-together.ts';
import type { Executor } from '../../src/db/open-database.ts';

type Arg = { reader: string; id: number };

/** Fake reads that record each statement and return when the test says so. */
function fakeReads(options: { concurrency: number; max: number; failMany?: (args: Arg[]) => boolean; throwMany?: boolean }) {
  const statements: Array<{ kind: 'one' | 'many'; args: Arg[]; release: () => void }> = [];
  const answer = (a: Arg) => `${a.reader}#${a.id}`;
  const read = readsTogether<Arg, string>({
    concurrency: options.concurrency,
    max: options.max,
    group: (a) => a.reader,
    readOne: (_db, a) => new Promise((resolve) => statements.push({ kind: 'one', args: [a], release: () => resolve(answer(a)) })),
    readMany: (_db, args) => {
      if (options.throwMany) throw new Error('thrown before any promise');
      return new Promise((resolve, reject) =>
        statements.push({ kind: 'many', args, release: () => (options.failMany?.(args) ? reject(new Error('statement failed')) : resolve(args.map(answer))) }),
      );
    },
  });
  return { read, statements };
}

const db = {} as Executor;
const tick = () => new Promise((r) => setImmediate(r));

test('a read that finds a free place goes at once, alone', async () => {
  const { read, statements } = fakeReads({ concurrency: 2, max: 10 });
  const r = read(db, { reader: 'a', id: 1 });
  assert.equal(statements.length, 1);
  assert.equal(statements[0]!.kind, 'one');
  statements[0]!.release();
  assert.equal(await r, 'a#1');
});

test('reads beyond the concurrency wait and go together, at most max per statement, each caller getting its own result', async () => {
  const { read, statements } = fakeReads({ concurrency: 2, max: 3 });
  const results = Array.from({ length: 9 }, (_, i) => read(db, { reader: 'a', id: i }));
  // Two run alone; seven wait.
  assert.deepEqual(statements.map((s) => [s.kind, s.args.map((a) => a.id)]), [['one', [0]], ['one', [1]]]);
  statements[0]!.release();
  await tick();
  assert.deepEqual(statements.slice(2).map((s) => [s.kind, s.args.map((a) => a.id)]), [['many', [2, 3, 4]]]);
  statements[1]!.release();
  await tick();
  assert.deepEqual(statements.slice(3).map((s) => [s.kind, s.args.map((a) => a.id)]), [['many', [5, 6, 7]]]);
  statements[2]!.release();
  await tick();
  assert.deepEqual(statements.slice(4).map((s) => [s.kind, s.args.map((a) => a.id)]), [['one', [8]]]);
  statements[3]!.release();
  statements[4]!.release();
  assert.deepEqual(await Promise.all(results), Array.from({ length: 9 }, (_, i) => `a#${i}`));
  assert.equal(statements.length, 5);
});

test('reads of different groups never share a statement, and the oldest group goes first', async () => {
  const { read, statements } = fakeReads({ concurrency: 1, max: 10 });
  const results = [read(db, { reader: 'a', id: 1 }), read(db, { reader: 'b', id: 2 }), read(db, { reader: 'a', id: 3 }), read(db, { reader: 'b', id: 4 }), read(db, { reader: 'a', id: 5 })];
  statements[0]!.release();
  await tick();
  assert.deepEqual(statements[1]!.args, [{ reader: 'b', id: 2 }, { reader: 'b', id: 4 }]);
  statements[1]!.release();
  await tick();
  assert.deepEqual(statements[2]!.args, [{ reader: 'a', id: 3 }, { reader: 'a', id: 5 }]);
  statements[2]!.release();
  assert.deepEqual(await Promise.all(results), ['a#1', 'b#2', 'a#3', 'b#4', 'a#5']);
});

test('a failed statement fails its own reads only; the next ones run', async () => {
  const { read, statements } = fakeReads({ concurrency: 1, max: 2, failMany: (args) => args.some((a) => a.id === 2) });
  const results = [1, 2, 3, 4, 5].map((id) => read(db, { reader: 'a', id }).then((v) => v, (e: Error) => `error: ${e.message}`));
  for (let k = 0; k < 3; k++) {
    statements[k]!.release();
    await tick();
  }
  assert.deepEqual(await Promise.all(results), ['a#1', 'error: statement failed', 'error: statement failed', 'a#4', 'a#5']);
});

test('a read that throws before returning a promise frees its place', async () => {
  const { read, statements } = fakeReads({ concurrency: 1, max: 5, throwMany: true });
  const first = read(db, { reader: 'a', id: 1 });
  const waiting = [read(db, { reader: 'a', id: 2 }), read(db, { reader: 'a', id: 3 })].map((p) => p.catch((e: Error) => e.message));
  statements[0]!.release();
  assert.equal(await first, 'a#1');
  assert.deepEqual(await Promise.all(waiting), ['thrown before any promise', 'thrown before any promise']);
  // The place is free again: a new read goes at once.
  const later = read(db, { reader: 'a', id: 9 });
  assert.equal(statements.length, 2);
  statements[1]!.release();
  assert.equal(await later, 'a#9');
});

test('each database has its own places', async () => {
  const { read, statements } = fakeReads({ concurrency: 1, max: 5 });
  const other = {} as Executor;
  const a = read(db, { reader: 'a', id: 1 });
  const b = read(other, { reader: 'a', id: 2 });
  assert.deepEqual(statements.map((s) => s.kind), ['one', 'one']);
  statements.forEach((s) => s.release());
  assert.deepEqual(await Promise.all([a, b]), ['a#1', 'a#2']);
});
