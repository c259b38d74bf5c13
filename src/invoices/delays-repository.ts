import { sql, type Updateable } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import { insertRows } from '../db/insert-rows.ts';
import { compiledPerId } from '../db/prepared.ts';
import type { InvoicePaymentClocksTable } from '../db/schema.ts';
import type { PayerCategory } from './payment-delays.ts';

/** The SQL of payment delays: payers' terms, the ECB reference rates, each invoice's clock. Dates come back as 'YYYY-MM-DD'. */

export const findPaymentTerms = (db: Executor, structureId: number) =>
  db.selectFrom('structure_payment_terms').select(['payer_category', 'delay_days']).where('structure_id', '=', structureId).executeTakeFirst();

export async function savePaymentTerms(db: Executor, v: { structureId: number; payerCategory: PayerCategory; delayDays: number | null; by: number; at: Date }) {
  const row = { payer_category: v.payerCategory, delay_days: v.delayDays, updated_by: v.by, updated_at: v.at };
  await db.insertInto('structure_payment_terms').values({ structure_id: v.structureId, ...row }).onConflict((oc) => oc.column('structure_id').doUpdateSet(row)).execute();
}

export async function listEcbRates(db: Executor) {
  const rows = await db.selectFrom('ecb_reference_rates').select([sql<string>`to_char(valid_from, 'YYYY-MM-DD')`.as('valid_from'), sql<string>`rate::text`.as('rate')]).orderBy('valid_from').execute();
  return rows.map((r) => ({ validFrom: r.valid_from, rate: r.rate }));
}

export const findClock = (db: Executor, invoiceId: number) =>
  db
    .selectFrom('invoice_payment_clocks')
    .select([
      'invoice_id', 'delay_days', 'days_late', 'overdue_alerted_at',
      sql<string>`to_char(started_on, 'YYYY-MM-DD')`.as('started_on'),
      sql<string>`to_char(base_due_on, 'YYYY-MM-DD')`.as('base_due_on'),
      sql<string | null>`to_char(paid_on, 'YYYY-MM-DD')`.as('paid_on'),
      sql<string | null>`to_char(stopped_on, 'YYYY-MM-DD')`.as('stopped_on'),
      sql<string | null>`ecb_rate::text`.as('ecb_rate'),
      sql<string | null>`interest_rate::text`.as('interest_rate'),
      sql<string | null>`late_interest::text`.as('late_interest'),
      sql<string | null>`fixed_indemnity::text`.as('fixed_indemnity'),
    ])
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirst();

export async function insertClocks(trx: Executor, clocks: Array<{ invoiceId: number; delayDays: number; startedOn: string; baseDueOn: string }>) {
  if (clocks.length)
    await insertRows(trx, 'invoice_payment_clocks', clocks.map((v) => ({ invoice_id: v.invoiceId, delay_days: v.delayDays, started_on: v.startedOn, base_due_on: v.baseDueOn })));
}

export async function updateClock(trx: Executor, invoiceId: number, set: Updateable<InvoicePaymentClocksTable>) {
  await trx.updateTable('invoice_payment_clocks').set(set).where('invoice_id', '=', invoiceId).execute();
}

export async function markClockAlerted(trx: Executor, invoiceId: number, at: Date) {
  await trx.updateTable('invoice_payment_clocks').set({ overdue_alerted_at: at }).where('invoice_id', '=', invoiceId).execute();
}

/** The clocks of a page of invoices, in one query (one index lookup per invoice: compiledPerId). */
export const findClocks = compiledPerId((db, id) =>
  db
    .selectFrom('invoice_payment_clocks')
    .select([
      'invoice_id', 'delay_days',
      sql<string>`to_char(started_on, 'YYYY-MM-DD')`.as('started_on'),
      sql<string | null>`to_char(paid_on, 'YYYY-MM-DD')`.as('paid_on'),
      sql<string | null>`to_char(stopped_on, 'YYYY-MM-DD')`.as('stopped_on'),
    ])
    .where('invoice_id', '=', id));

/** The transitions into and out of SUSPENDUE of a page of invoices, in one query, in order. */
export async function listSuspensionEvents(db: Executor, invoiceIds: number[]) {
  if (!invoiceIds.length) return [];
  const rows = await db
    .selectFrom('invoice_events')
    .select(['invoice_id', 'type', 'from_status', 'to_status', 'created_at'])
    .where('invoice_id', 'in', invoiceIds)
    .where('type', '=', 'TRANSITION')
    .where((eb) => eb.or([eb('from_status', '=', 'SUSPENDUE'), eb('to_status', '=', 'SUSPENDUE')]))
    .orderBy('invoice_id')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ invoiceId: r.invoice_id, type: r.type, fromStatus: r.from_status, toStatus: r.to_status, createdAt: new Date(r.created_at) }));
}
