import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import '../../src/db/open-database.ts';
import { PreparedQuery } from '../../src/db/prepared.ts';

/** The rows a query makes of these messages (RowDescription, then DataRows), as a connection would hand them over. */
function rowsOf(Query: new (config: pg.QueryConfig) => any, name: string, fields: Array<{ name: string; dataTypeID: number; format?: string }>, data: Array<Array<string | null>>) {
  const q = new Query({ name, text: 'SELECT', values: [] });
  q._result._types = pg.types;
  q.callback = () => undefined;
  q.handleRowDescription({ fields: fields.map((f) => ({ format: 'text', ...f })) });
  for (const fields of data) q.handleDataRow({ fields });
  return q._result.rows as Array<Record<string, unknown>>;
}
const fieldsOf = (Query: new (config: pg.QueryConfig) => any, fields: Array<{ name: string; dataTypeID: number }>) => {
  const q = new Query({ name: 'pf', text: 'SELECT', values: [] });
  q._result._types = pg.types;
  q.callback = () => undefined;
  q.handleRowDescription({ fields: fields.map((f) => ({ format: 'text', ...f })) });
  return q._result.fields;
};

const INT4 = 23, INT8 = 20, TEXT = 25, BOOL = 16, JSON_ = 114, DATE = 1082, TIMESTAMPTZ = 1184, NUMERIC = 1700, FLOAT8 = 701;

test("a prepared statement's rows are pg's own: same keys in the same order, same parsed values", () => {
  const fields = [
    { name: 'id', dataTypeID: INT4 }, { name: 'total', dataTypeID: INT8 }, { name: 'number', dataTypeID: TEXT }, { name: 'ok', dataTypeID: BOOL },
    { name: 'lines', dataTypeID: JSON_ }, { name: 'day', dataTypeID: DATE }, { name: 'at', dataTypeID: TIMESTAMPTZ }, { name: 'amount', dataTypeID: NUMERIC },
    { name: 'rate', dataTypeID: FLOAT8 }, { name: 'weird "name"\\\n', dataTypeID: TEXT },
    // A name twice (a join's columns): the first's place, the last one's value, as pg.
    { name: 'id', dataTypeID: TEXT },
  ];
  const data = [
    ['7', '12', 'F-1', 't', '[{"a":1}]', '2026-11-30', '2026-11-30 10:00:00.123+01', '104.90', '0.5', 'x', '7b'],
    [null, null, null, null, null, null, null, null, null, null, null],
    ['8', '9007199254740993', '', 'f', '{}', '2026-01-01', '2026-06-30 23:59:59+02', '0', 'NaN', '', null],
  ];
  const theirs = rowsOf(pg.Query as never, 'p1', fields, data);
  const ours = rowsOf(PreparedQuery as never, 'p1', fields, data);
  assert.deepEqual(ours, theirs);
  assert.deepEqual(fieldsOf(PreparedQuery as never, fields), fieldsOf(pg.Query as never, fields));
  for (let i = 0; i < ours.length; i++) assert.deepEqual(Object.keys(ours[i]!), Object.keys(theirs[i]!));
  assert.equal(ours[0]!.id, '7b');
  assert.ok(ours[0]!.at instanceof Date);
  // Written once per statement: the second result reuses it.
  assert.deepEqual(rowsOf(PreparedQuery as never, 'p1', fields, data.slice(0, 1)), theirs.slice(0, 1));
});

test("a statement whose columns change (a migration) gets rows of its new columns", () => {
  assert.deepEqual(rowsOf(PreparedQuery as never, 'p2', [{ name: 'a', dataTypeID: INT4 }], [['1']]), [{ a: 1 }]);
  assert.deepEqual(rowsOf(PreparedQuery as never, 'p2', [{ name: 'a', dataTypeID: TEXT }, { name: 'b', dataTypeID: INT4 }], [['1', '2']]), [{ a: '1', b: 2 }]);
});

test('a column named __proto__ or a binary one is left to pg', () => {
  const fields = [{ name: '__proto__', dataTypeID: TEXT }, { name: 'a', dataTypeID: INT4 }];
  assert.deepEqual(rowsOf(PreparedQuery as never, 'p3', fields, [['x', '1']]), rowsOf(pg.Query as never, 'p3', fields, [['x', '1']]));
});
