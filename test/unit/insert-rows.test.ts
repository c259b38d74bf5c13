import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, PostgresDialect } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { insertStatement } from '../../src/db/insert-rows.ts';

// Compiling needs no connection.
const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool: {} as never }) });

test('insertRows writes the statement and parameters Kysely compiles for the same rows', () => {
  const at = new Date('2026-11-30T12:00:00Z');
  const cases: Array<{ table: keyof DB & string; rows: any[] }> = [
    { table: 'invoice_vat_breakdown', rows: [{ invoice_id: 1, vat_rate: '20.00', taxable_amount: '100.00', vat_amount: '20.00' }] },
    { table: 'invoice_events', rows: Array.from({ length: 3 }, (_, i) => ({ invoice_id: 7, seq: i + 1, type: 'TRANSITION', action: null, from_status: 'A', to_status: 'B', actor_user_id: null, actor_role: 'SYSTEME', reason: null, comment: null, data: JSON.stringify({ i }), created_at: at, prev_hash: 'p', hash: 'h' })) },
    // A column some rows leave undefined is DEFAULT there; one no row defines is left out; another order of keys.
    { table: 'notifications', rows: [{ user_id: 1, kind: 'K', category: 'C', message: 'm', link: undefined, structure_id: null, digest_pending: false }, { message: 'n', user_id: 2, kind: 'K', category: 'C', link: '/x', structure_id: 3, digest_pending: true }] },
    { table: 'notifications', rows: [{ user_id: 1, kind: 'K', category: 'C', message: 'm', link: undefined }, { user_id: 2, kind: 'K', category: 'C', message: 'n', link: undefined }] },
  ];
  for (const { table, rows } of cases) {
    const k = kysely.insertInto(table).values(rows).compile();
    const mine = insertStatement(table, rows);
    assert.equal(mine.text, k.sql);
    assert.deepEqual(mine.parameters, k.parameters);
    // The text is kept per shape: a second call with other values of the same shape binds them.
    const again = insertStatement(table, rows.map((r) => ({ ...r })));
    assert.equal(again.text, k.sql);
  }
  const returning = kysely.insertInto('invoice_vat_breakdown').values(cases[0]!.rows).returning(['invoice_id', 'vat_rate']).compile();
  assert.equal(insertStatement('invoice_vat_breakdown', cases[0]!.rows, 'returning "invoice_id", "vat_rate"').text, returning.sql);
  const conflict = kysely.insertInto('blobs').values([{ sha256: 'a', size_bytes: 1, media_type: 'x' }]).onConflict((oc) => oc.column('sha256').doNothing()).compile();
  assert.equal(insertStatement('blobs', [{ sha256: 'a', size_bytes: 1, media_type: 'x' }], 'on conflict ("sha256") do nothing').text, conflict.sql);
});
