import { sql, type Expression, type Insertable, type RawBuilder, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../db/open-database.ts';
import { insertRows } from '../db/insert-rows.ts';
import { compiledByShapeTogether, compiledOnce, compiledPerId, prepared, preparedSql } from '../db/prepared.ts';
import { readsTogether } from '../db/reads-together.ts';
import { membershipRows, type membershipOf } from '../structures/index.ts';
import type { InvoicesTable } from '../db/schema.ts';
import { GENESIS_HASH, eventHash, type ChainedContent } from './chain.ts';
import type { ComputedLine, Totals } from './model.ts';
import { mapped } from '../shared/mapped.ts';

/** An invoice with its supplier (su), recipient (re) and service (sv), the views below read from. */
const invoiceJoins = (db: Executor) =>
  db
    .selectFrom('invoices as i')
    .innerJoin('structures as su', 'su.id', 'i.supplier_structure_id')
    .innerJoin('structures as re', 're.id', 'i.recipient_structure_id')
    .leftJoin('services as sv', 'sv.id', 'i.service_id');

/** The one place with the invoices' SQL. Amounts come back as exact text. */
const invoiceView = (db: Executor) =>
  invoiceJoins(db)
    .select([
      'i.id', 'i.supplier_structure_id', 'i.recipient_structure_id', 'i.service_id', 'i.ej_number', 'i.framework', 'i.document_type',
      'i.original_invoice_number', 'i.number', 'i.invoice_date', 'i.due_date', 'i.currency', 'i.deposit_mode', 'i.comment', 'i.status',
      'i.status_changed_at', 'i.deposited_at', 'i.certificate_document_id', 'i.mandate_number', 'i.reject_handled_at', 'i.created_at', 'i.updated_at',
      sql<string>`i.total_without_vat::text`.as('total_without_vat'),
      sql<string>`i.total_vat::text`.as('total_vat'),
      sql<string>`i.total_with_vat::text`.as('total_with_vat'),
      sql<string>`i.prepaid_amount::text`.as('prepaid_amount'),
      sql<string>`i.amount_due::text`.as('amount_due'),
      'su.name as supplier_name', 'su.identifier as supplier_identifier',
      're.name as recipient_name', 're.identifier as recipient_identifier',
      'sv.code as service_code', 'sv.name as service_name',
    ]);
export type InvoiceRow = NonNullable<Awaited<ReturnType<typeof findInvoice>>>;

export const findInvoice = (db: Executor, id: number) => invoiceView(db).where('i.id', '=', id).executeTakeFirst();

/** Locks the invoice row for the rest of the transaction (transitions and the hash chain are serialised per invoice). */
export async function lockInvoice(trx: Executor, id: number) {
  await sql`SELECT id FROM invoices WHERE id = ${id} FOR UPDATE`.execute(trx);
  return findInvoice(trx, id);
}

/**
 * Locks several invoice rows and reads them, in one statement: one by one in id order (compiledPerId: a nested loop
 * over the sorted ids), so that two batches cannot deadlock.
 */
export const lockInvoices = (trx: Executor, ids: readonly number[]) => lockedInvoicesOf(trx, inIdOrder(ids));
const lockedInvoicesOf = compiledPerId((db, id) => invoiceView(db).where('i.id', '=', id).forUpdate('i'));

/**
 * Several invoices, in id order (rows this transaction inserted need no lock: no one else sees them yet). The ids go
 * as one array (compiledPerId), so that the statement is compiled once rather than once per call (batches, flows).
 */
export const findInvoices = (db: Executor, ids: readonly number[]) => invoicesOf(db, inIdOrder(ids));
const invoicesOf = compiledPerId((db, id) => invoiceView(db).where('i.id', '=', id));
const inIdOrder = (ids: readonly number[]) => [...ids].sort((a, b) => a - b);

export const insertInvoice = (trx: Executor, values: Insertable<InvoicesTable>) =>
  trx.insertInto('invoices').values(values).returning('id').executeTakeFirstOrThrow();

export async function updateInvoice(trx: Executor, id: number, changes: Updateable<InvoicesTable>) {
  await trx.updateTable('invoices').set(changes).where('id', '=', id).execute();
}

export async function replaceLinesAndTotals(trx: Executor, id: number, lines: ComputedLine[], totals: Totals) {
  await trx.deleteFrom('invoice_lines').where('invoice_id', '=', id).execute();
  await trx.deleteFrom('invoice_vat_breakdown').where('invoice_id', '=', id).execute();
  await insertLinesAndTotals(trx, id, lines, totals);
}

/** The lines and VAT breakdown of an invoice that has none yet (just inserted): no delete round trips. */
export async function insertLinesAndTotals(trx: Executor, id: number, lines: ComputedLine[], totals: Totals) {
  await insertLinesAndTotalsOf(trx, [{ id, lines, totals }]);
}

/** The same for several new invoices, in one insert of lines and one of breakdowns (per thousand rows). */
export async function insertLinesAndTotalsOf(trx: Executor, invoices: Array<{ id: number; lines: ComputedLine[]; totals: Totals }>) {
  const lines = invoices.flatMap(({ id, lines }) => mapped(lines, (l) => ({ invoice_id: id, position: l.position, description: l.description, quantity: l.quantity, unit: l.unit, unit_price: l.unitPrice, discount_amount: l.discountAmount, vat_rate: l.vatRate, net_amount: l.netAmount })));
  const breakdown = invoices.flatMap(({ id, totals }) => mapped(totals.vatBreakdown, (b) => ({ invoice_id: id, vat_rate: b.vatRate, taxable_amount: b.taxableAmount, vat_amount: b.vatAmount })));
  for (let i = 0; i < lines.length; i += 1000) await insertRows(trx, 'invoice_lines', lines.slice(i, i + 1000));
  for (let i = 0; i < breakdown.length; i += 1000) await insertRows(trx, 'invoice_vat_breakdown', breakdown.slice(i, i + 1000));
}

export const listLines = (db: Executor, id: number) =>
  db
    .selectFrom('invoice_lines')
    .select(['position', 'description', 'unit', sql<string>`quantity::text`.as('quantity'), sql<string>`unit_price::text`.as('unit_price'), sql<string>`discount_amount::text`.as('discount_amount'), sql<string>`vat_rate::text`.as('vat_rate'), sql<string>`net_amount::text`.as('net_amount')])
    .where('invoice_id', '=', id)
    .orderBy('position')
    .execute();

export const listVatBreakdown = (db: Executor, id: number) =>
  db
    .selectFrom('invoice_vat_breakdown')
    .select([sql<string>`vat_rate::text`.as('vat_rate'), sql<string>`taxable_amount::text`.as('taxable_amount'), sql<string>`vat_amount::text`.as('vat_amount')])
    .where('invoice_id', '=', id)
    .orderBy(sql`invoice_vat_breakdown.vat_rate`, 'desc')
    .execute();

export const listInvoiceDocuments = (db: Executor, id: number) =>
  db
    .selectFrom('invoice_documents as d')
    .innerJoin('documents', 'documents.id', 'd.document_id')
    .innerJoin('blobs', 'blobs.sha256', 'documents.blob_sha256')
    .select(['d.document_id', 'd.role', 'd.added_in_status', 'd.added_at', 'documents.filename', 'blobs.sha256', 'blobs.size_bytes', 'blobs.media_type'])
    .where('d.invoice_id', '=', id)
    .orderBy('d.added_at')
    .orderBy('documents.filename')
    .execute();

/** The lines, VAT breakdowns and documents of several invoices, each list in the order of the single reads, by invoice. */
export async function contentsOf(db: Executor, ids: readonly number[]) {
  const [lines, breakdown, documents] = await Promise.all([linesOf(db, ids), breakdownsOf(db, ids), documentsOf(db, ids)]);
  const contents = new Map(mapped(ids, (id) => [id, { lines: [] as Array<Omit<(typeof lines)[number], 'invoice_id'>>, breakdown: [] as Array<Omit<(typeof breakdown)[number], 'invoice_id'>>, documents: [] as Array<Omit<(typeof documents)[number], 'invoice_id'>> }]));
  for (const { invoice_id, ...r } of lines) contents.get(invoice_id)?.lines.push(r);
  for (const { invoice_id, ...r } of breakdown) contents.get(invoice_id)?.breakdown.push(r);
  for (const { invoice_id, ...r } of documents) contents.get(invoice_id)?.documents.push(r);
  return contents;
}
const linesOf = compiledPerId((db, id) =>
  db.selectFrom('invoice_lines')
    .select(['invoice_id', 'position', 'description', 'unit', sql<string>`quantity::text`.as('quantity'), sql<string>`unit_price::text`.as('unit_price'), sql<string>`discount_amount::text`.as('discount_amount'), sql<string>`vat_rate::text`.as('vat_rate'), sql<string>`net_amount::text`.as('net_amount')])
    .where('invoice_id', '=', id), sql`v.position`);
const breakdownsOf = compiledPerId((db, id) =>
  db.selectFrom('invoice_vat_breakdown')
    .select(['invoice_id', sql<string>`vat_rate::text`.as('vat_rate'), sql<string>`taxable_amount::text`.as('taxable_amount'), sql<string>`vat_amount::text`.as('vat_amount')])
    .where('invoice_id', '=', id), sql`v.vat_rate::numeric desc`);
const documentsOf = compiledPerId((db, id) =>
  db.selectFrom('invoice_documents as d')
    .innerJoin('documents', 'documents.id', 'd.document_id')
    .innerJoin('blobs', 'blobs.sha256', 'documents.blob_sha256')
    .select(['d.invoice_id', 'd.document_id', 'd.role', 'd.added_in_status', 'd.added_at', 'documents.filename', 'blobs.sha256', 'blobs.size_bytes', 'blobs.media_type'])
    .where('d.invoice_id', '=', id), sql`v.added_at, v.filename`);

export async function addInvoiceDocument(trx: Executor, v: { invoiceId: number; documentId: string; role: 'PRINCIPALE' | 'COMPLEMENTAIRE'; status: string; at: Date }) {
  await trx.insertInto('invoice_documents').values({ invoice_id: v.invoiceId, document_id: v.documentId, role: v.role, added_in_status: v.status, added_at: v.at }).execute();
}

export async function removeMainDocument(trx: Executor, invoiceId: number) {
  await trx.deleteFrom('invoice_documents').where('invoice_id', '=', invoiceId).where('role', '=', 'PRINCIPALE').execute();
}

/** True when another live invoice of the supplier carries this number. */
export async function numberTaken(db: Executor, supplierId: number, number: string, exceptId?: number) {
  let q = db.selectFrom('invoices').select('id').where('supplier_structure_id', '=', supplierId).where('number', '=', number).where('status', '<>', 'SUPPRIMEE');
  if (exceptId) q = q.where('id', '<>', exceptId);
  return !!(await q.executeTakeFirst());
}

export type NewEvent = Omit<ChainedContent, 'invoiceId' | 'seq'>;
/** The last event of each invoice's chain (sequence number and hash), by invoice. */
export type ChainEnds = Map<number, { seq: number; hash: string }>;

/** Appends one event to the invoice's chain. The caller holds the invoice row lock (lockInvoice). */
export async function appendEvent(trx: Executor, invoiceId: number, e: NewEvent) {
  return (await appendEvents(trx, [{ invoiceId, event: e }]))[0]!;
}

/**
 * Appends events to the chains of invoices, in one read of the chains' ends and one insert; several events of one
 * invoice are chained in the given order. The hashes are computed here (pure). `fresh`: invoices created in this
 * transaction, whose chains start at the genesis hash (no read). The caller holds the invoices' row locks, so the
 * ends it keeps in `chainEnds` across several appends stay true until it commits.
 */
export async function appendEvents(trx: Executor, events: Array<{ invoiceId: number; event: NewEvent }>, fresh?: ReadonlySet<number>, chainEnds?: ChainEnds) {
  if (!events.length) return [];
  // `chainEnds`: the ends of the chains this transaction already knows (it appended to them), kept up to date here.
  const ends: ChainEnds = chainEnds ?? new Map();
  const ids = [...new Set(mapped(events, (e) => e.invoiceId))].filter((id) => !fresh?.has(id) && !ends.has(id));
  for (const r of await chainEndsOf(trx, ids)) ends.set(r.invoice_id, { seq: r.seq, hash: r.hash });
  const out: Array<{ seq: number; hash: string }> = [];
  const values = mapped(events, ({ invoiceId, event: e }) => {
    const last = ends.get(invoiceId);
    const content: ChainedContent = { ...e, invoiceId, seq: (last?.seq ?? 0) + 1 };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = eventHash(prevHash, content);
    ends.set(invoiceId, { seq: content.seq, hash });
    out.push({ seq: content.seq, hash });
    return {
      invoice_id: invoiceId, seq: content.seq, type: e.type, action: e.action, from_status: e.fromStatus, to_status: e.toStatus, actor_user_id: e.actorUserId,
      actor_role: e.actorRole, reason: e.reason, comment: e.comment, data: JSON.stringify(e.data), created_at: e.createdAt, prev_hash: prevHash, hash,
    };
  });
  for (let i = 0; i < values.length; i += 1000) await insertRows(trx, 'invoice_events', values.slice(i, i + 1000));
  return out;
}

const chainEndsOf = compiledPerId((db, id) =>
  db.selectFrom('invoice_events').select(['invoice_id', 'seq', 'hash']).where('invoice_id', '=', id).orderBy('seq', 'desc').limit(1));

export async function listInvoiceEvents(db: Executor, invoiceId: number) {
  const rows = await db
    .selectFrom('invoice_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.invoice_id', 'e.seq', 'e.type', 'e.action', 'e.from_status', 'e.to_status', 'e.actor_user_id', 'e.actor_role', 'e.reason', 'e.comment', 'e.data', 'e.created_at', 'e.prev_hash', 'e.hash', 'u.first_name', 'u.last_name', 'u.email'])
    .where('e.invoice_id', '=', invoiceId)
    .orderBy('e.seq')
    .execute();
  return mapped(rows, (r) => ({
    invoiceId: r.invoice_id, seq: r.seq, type: r.type, action: r.action, fromStatus: r.from_status, toStatus: r.to_status, actorUserId: r.actor_user_id,
    actorRole: r.actor_role, reason: r.reason, comment: r.comment, data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    createdAt: new Date(r.created_at), prevHash: r.prev_hash, hash: r.hash,
    actorName: r.first_name ? `${r.first_name} ${r.last_name}` : null, actorEmail: r.email,
  }));
}

/**
 * The query of an invoice with what a consultation shows besides the row — lines, VAT breakdown, documents and the fingerprint
 * of the deposit certificate (as the first DEPOSER event of the path recorded it, or of its document once a
 * deferred certificate is rendered; null before) — and the rows of `alongside` (e.g. the reader's membership), in
 * one read (its row goes through consultationOf).
 */
export const invoiceConsultation = <T>(db: Executor, invoiceId: number, alongside: Expression<T>) => prepared(consultationSelect(db, invoiceId, alongside));

const consultationSelect = <T>(db: Executor, invoiceId: number | RawBuilder<number>, alongside: Expression<T>) =>
  invoiceView(db)
    .select(() => [...consultationDetails(db, invoiceId), jsonArrayFrom(alongside as Expression<any>).as('alongside')])
    .where('i.id', '=', invoiceId);

/**
 * invoiceConsultation of several invoices for one `alongside` (the same reader): a row per invoice found, in the
 * order of `idsJson`, a JSON array of ids. JSON rather than `int[]`, so that PostgreSQL cannot see the list's length
 * when it plans: with an array it found a custom plan cheaper than the generic one for a few ids, and planned
 * again at every call (≈ 1 ms, five times the run); this way the statement keeps one generic plan.
 */
export const invoiceConsultations = <T>(db: Executor, idsJson: string, alongside: Expression<T>) =>
  preparedSql<ConsultationRow<T>>(sql`select v.* from (select x::int as id, n from jsonb_array_elements_text(${idsJson}::jsonb) with ordinality as t(x, n)) as u
    cross join lateral (${consultationSelect(db, sql<number>`u.id`, alongside).offset(sql.lit(0))}) as v order by u.n`);
type ConsultationRow<T> = NonNullable<Awaited<ReturnType<ReturnType<typeof invoiceConsultation<T>>['executeTakeFirst']>>>;

/** The row of invoiceConsultation, split: the invoice, its details, the rows of `alongside`. */
export function consultationOf<T>(r: Awaited<ReturnType<ReturnType<typeof invoiceConsultation<T>>['executeTakeFirst']>>) {
  if (!r) return undefined;
  const { lines, vatBreakdown, documents, depositCertificateSha256, renderedCertificateSha256, alongside: rows, ...invoice } = r;
  return { invoice: invoice as InvoiceRow, lines, vatBreakdown, documents, depositCertificateSha256: depositCertificateSha256 ?? renderedCertificateSha256 ?? null, alongside: rows as T[] };
}

/** What a consultation shows besides the invoice row (findInvoiceForConsultation). */
const consultationDetails = (db: Executor, invoiceId: number | RawBuilder<number>) => [
      jsonArrayFrom(
        db.selectFrom('invoice_lines')
          .select(['position', 'description', 'unit', sql<string>`quantity::text`.as('quantity'), sql<string>`unit_price::text`.as('unit_price'), sql<string>`discount_amount::text`.as('discount_amount'), sql<string>`vat_rate::text`.as('vat_rate'), sql<string>`net_amount::text`.as('net_amount')])
          .where('invoice_id', '=', invoiceId).orderBy('position'),
      ).as('lines'),
      jsonArrayFrom(
        db.selectFrom('invoice_vat_breakdown')
          .select([sql<string>`vat_rate::text`.as('vat_rate'), sql<string>`taxable_amount::text`.as('taxable_amount'), sql<string>`vat_amount::text`.as('vat_amount')])
          .where('invoice_id', '=', invoiceId).orderBy(sql`invoice_vat_breakdown.vat_rate`, 'desc'),
      ).as('vatBreakdown'),
      jsonArrayFrom(
        db.selectFrom('invoice_documents as d')
          .innerJoin('documents', 'documents.id', 'd.document_id')
          .innerJoin('blobs', 'blobs.sha256', 'documents.blob_sha256')
          .select(['d.document_id', 'd.role', 'documents.filename', 'blobs.sha256', 'blobs.size_bytes'])
          .where('d.invoice_id', '=', invoiceId).orderBy('d.added_at').orderBy('documents.filename'),
      ).as('documents'),
      db.selectFrom('invoice_events').select(sql<string | null>`data->>'certificateSha256'`.as('c'))
        .where('invoice_id', '=', invoiceId).where('action', '=', 'DEPOSER').orderBy('seq').limit(1).as('depositCertificateSha256'),
      // A deferred certificate (a flow's invoice) is not in the event: its document's, once rendered.
      db.selectFrom('invoices').innerJoin('documents', 'documents.id', 'invoices.certificate_document_id').select('documents.blob_sha256')
        .where('invoices.id', '=', invoiceId).as('renderedCertificateSha256'),
] as const;

export interface InvoiceFilter {
  side: 'EMISES' | 'RECUES';
  structureId: number;
  /** Per-service rights: only these services (recipient side). */
  serviceIds?: number[] | null;
  /** Statuses the side may see at all. */
  visibleStatuses?: string[];
  number?: string;
  status?: string;
  dateFrom?: string;
  dateTo?: string;
  amountMin?: string;
  amountMax?: string;
  counterpart?: string;
  statuses?: string[];
  /** Deposit dates, Europe/Paris days (inclusive). */
  depositedFrom?: string;
  depositedTo?: string;
  documentType?: string;
  supplierIds?: number[];
  recipientIds?: number[];
  serviceId?: number;
  rejectHandled?: boolean;
  invoiceIds?: number[];
}

/**
 * What the Chorus-compatible API's search shows of an invoice (its `api` view): the columns it uses only, the
 * deposit's Paris day and the status change's ISO instant as text (no Date parsed to be formatted again).
 */
const apiView = (db: Executor) =>
  invoiceJoins(db)
    .select([
      'i.id', 'i.supplier_structure_id', 'i.recipient_structure_id', 'i.service_id', 'i.ej_number', 'i.framework', 'i.document_type',
      'i.number', 'i.invoice_date', 'i.currency', 'i.deposit_mode', 'i.comment', 'i.status',
      sql<string | null>`to_char(i.deposited_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD')`.as('deposited_day'),
      // toISOString's form: UTC, milliseconds (to_char's MS truncates the microseconds, as pg's Date did).
      sql<string | null>`to_char(i.status_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as('status_changed_iso'),
      sql<boolean>`i.reject_handled_at IS NOT NULL`.as('reject_handled'),
      sql<string>`i.total_without_vat::text`.as('total_without_vat'),
      sql<string>`i.total_with_vat::text`.as('total_with_vat'),
      sql<string>`i.amount_due::text`.as('amount_due'),
      'su.name as supplier_name', 'su.identifier as supplier_identifier',
      're.name as recipient_name', 're.identifier as recipient_identifier',
      'sv.code as service_code', 'sv.name as service_name',
    ]);
export type ApiSearchRow = Awaited<ReturnType<ReturnType<typeof apiView>['execute']>>[number];

/** One more column per invoice row of a search (e.g. the API's flow number), named so that it is part of the shape. */
export interface SearchColumn<E> {
  name: string;
  /** The column's expression; it may refer to the invoice as `i`. */
  value: RawBuilder<E>;
}

interface SearchQuery {
  f: InvoiceFilter;
  page: { limit: number; offset: number; countUpTo?: number };
  /** The reader whose membership of the structure comes along (membershipRows). */
  readerId?: number;
  column?: SearchColumn<unknown>;
  /** The rows' columns: the invoice's (InvoiceRow) or the API's (ApiSearchRow). */
  view?: 'api';
}

/**
 * Invoices of a structure, sent or received, newest first, with the total count, in one statement (and the
 * reader's membership rows when asked, `readerId`, so that the caller checks its rights without a read of its
 * own). The conditions are on the invoices alone (the counterpart through a sub-select of structures), so the
 * count reads one index and no join, and the page's ids are chosen before the joins (index-only where an index
 * covers the criteria), so a search matching tens of thousands of invoices sorts ids, not rows. A number prefix
 * orders by `id + 0`: numbers grow with ids, and a backward scan of the primary key would walk most of a large
 * structure's invoices before finding the few that match (see docs/benchmarks.md). The statement is compiled once
 * per shape of criteria and runs prepared.
 */
export async function searchInvoices<E = never>(db: Executor, f: InvoiceFilter, page: SearchQuery['page'], options: { readerId?: number; column?: SearchColumn<E> } = {}) {
  return searchRows<InvoiceRow & { extra: E }>(db, { f, page, ...options });
}

/** The same search with the API's columns (ApiSearchRow). */
export async function searchInvoicesForApi<E = never>(db: Executor, f: InvoiceFilter, page: SearchQuery['page'], options: { readerId?: number; column?: SearchColumn<E> } = {}) {
  return searchRows<ApiSearchRow & { extra: E }>(db, { f, page, ...options, view: 'api' });
}

async function searchRows<R>(db: Executor, q: SearchQuery) {
  const group = q.view === 'api' ? searchStatement.groupOf(db, q) : null;
  const found = group === null ? (await searchStatement.one(db, q)).rows : await searchesTogether(db, { q, group });
  const head = found[0]!;
  // The rows also carry the head's columns (total, alongside): nothing reads them there. The membership comes as
  // text, parsed once (as json, pg would parse it on every row).
  const rows = head.id === null ? [] : (found as unknown as R[]);
  const alongside = head.alongside === null ? null : (JSON.parse(head.alongside) as Parameters<typeof membershipOf>[0]);
  return { rows, total: Number(head.total), alongside };
}

type Arg = <V>(value: (q: SearchQuery) => V) => V;

/** Each criterion of the search: when it applies, and its condition (values through `arg`, see compiledByShapeTogether). */
const CRITERIA: Array<{ present: (f: InvoiceFilter) => boolean; condition: (a: Arg, f: InvoiceFilter) => RawBuilder<boolean> }> = [
  { present: () => true, condition: (a, f) => sql<boolean>`${f.side === 'EMISES' ? sql.ref('i.supplier_structure_id') : sql.ref('i.recipient_structure_id')} = ${a((q) => q.f.structureId)}` },
  { present: (f) => !!f.serviceIds, condition: (a) => sql<boolean>`i.service_id = ANY(${a((q) => q.f.serviceIds)}::int[])` },
  { present: (f) => !!f.visibleStatuses, condition: (a) => sql<boolean>`i.status = ANY(${a((q) => q.f.visibleStatuses)}::text[])` },
  { present: (f) => !!f.number, condition: (a) => sql<boolean>`i.number LIKE ${a((q) => `${escapeLike(q.f.number!)}%`)}` },
  { present: (f) => !!f.status, condition: (a) => sql<boolean>`i.status = ${a((q) => q.f.status)}` },
  { present: (f) => !!f.dateFrom, condition: (a) => sql<boolean>`i.invoice_date >= ${a((q) => q.f.dateFrom)}::date` },
  { present: (f) => !!f.dateTo, condition: (a) => sql<boolean>`i.invoice_date <= ${a((q) => q.f.dateTo)}::date` },
  { present: (f) => !!f.amountMin, condition: (a) => sql<boolean>`i.total_with_vat >= ${a((q) => q.f.amountMin)}::numeric` },
  { present: (f) => !!f.amountMax, condition: (a) => sql<boolean>`i.total_with_vat <= ${a((q) => q.f.amountMax)}::numeric` },
  {
    present: (f) => !!f.counterpart,
    condition: (a, f) =>
      sql<boolean>`${f.side === 'EMISES' ? sql.ref('i.recipient_structure_id') : sql.ref('i.supplier_structure_id')} IN (SELECT id FROM structures WHERE lower(name) LIKE ${a((q) => `%${escapeLike(q.f.counterpart!.toLowerCase())}%`)} OR identifier = ${a((q) => q.f.counterpart)})`,
  },
  { present: (f) => !!f.statuses, condition: (a) => sql<boolean>`i.status = ANY(${a((q) => q.f.statuses)}::text[])` },
  // A Paris day starts at its midnight in Europe/Paris (the database's own time zone does not matter).
  { present: (f) => !!f.depositedFrom, condition: (a) => sql<boolean>`i.deposited_at >= (${a((q) => q.f.depositedFrom)}::date::timestamp AT TIME ZONE 'Europe/Paris')` },
  { present: (f) => !!f.depositedTo, condition: (a) => sql<boolean>`i.deposited_at < ((${a((q) => q.f.depositedTo)}::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')` },
  { present: (f) => !!f.documentType, condition: (a) => sql<boolean>`i.document_type = ${a((q) => q.f.documentType)}` },
  { present: (f) => !!f.supplierIds, condition: (a) => sql<boolean>`i.supplier_structure_id = ANY(${a((q) => q.f.supplierIds)}::int[])` },
  { present: (f) => !!f.recipientIds, condition: (a) => sql<boolean>`i.recipient_structure_id = ANY(${a((q) => q.f.recipientIds)}::int[])` },
  { present: (f) => !!f.serviceId, condition: (a) => sql<boolean>`i.service_id = ${a((q) => q.f.serviceId)}` },
  { present: (f) => f.rejectHandled !== undefined, condition: (a) => sql<boolean>`(i.status <> 'REJETEE' OR (i.reject_handled_at IS NOT NULL) = ${a((q) => q.f.rejectHandled)}::boolean)` },
  { present: (f) => !!f.invoiceIds, condition: (a) => sql<boolean>`i.id = ANY(${a((q) => q.f.invoiceIds)}::int[])` },
];

/**
 * A capped search's page lies within its cap (the API's: at most 200 invoices): its bounds and the cap are written
 * in the statement's text, not bound. PostgreSQL plans a bound LIMIT or OFFSET as 10 % of the matching rows, so
 * the generic plan of a prepared statement with them looked far dearer than each call's own plan and was never
 * chosen: every call was planned again, ≈ 3 times the cost of running it (EXPLAIN, docs/benchmarks.md). With
 * literal bounds the generic plan is the same as the custom one and is reused after five calls; the texts stay
 * few (one per page size and page within the cap).
 */
const literalPage = (q: SearchQuery) => !!q.page.countUpTo && q.page.offset < q.page.countUpTo;

/** Which criteria are present, the side, the count's cap, what comes along: what the statement's text depends on. */
const shapeOf = (q: SearchQuery) =>
  `${q.f.side}:${CRITERIA.map((c) => (c.present(q.f) ? '1' : '0')).join('')}:${q.page.countUpTo ? 'capped' : 'all'}:${literalPage(q) ? `${q.page.countUpTo}:${q.page.limit}:${q.page.offset}` : ''}:${q.readerId === undefined ? '' : 'member'}:${q.column?.name ?? ''}:${q.view ?? ''}`;

/**
 * The API's searches (its clients poll them) that wait for a place go together when they have the same shape
 * (compiledByShapeTogether, readsTogether: at most 4 statements at once, 25 searches in one); each search's rows
 * come back newest first, as from its own statement.
 */
const searchesTogether = readsTogether({
  concurrency: 4,
  max: 25,
  group: (a: { q: SearchQuery; group: string }) => a.group,
  readOne: async (db, a) => (await searchStatement.one(db, a.q)).rows,
  readMany: async (db, args) => (await searchStatement.several(db, args.map((a) => a.q))).map((rows) => rows.sort((x, y) => Number(y.id) - Number(x.id))),
});

/**
 * The statement: a one-row head (the count and the reader's membership rows) joined to the page's invoices, so
 * that an empty page still brings the count and the membership (one row whose invoice columns are null).
 */
const searchStatement = compiledByShapeTogether(shapeOf, (db, q, a) => {
  const where = sql<boolean>`${sql.join(CRITERIA.filter((c) => c.present(q.f)).map((c) => c.condition(a, q.f)), sql` AND `)}`;
  const newestFirst = q.f.number ? sql`i.id + 0` : sql`i.id`;
  const matching = db.selectFrom('invoices as i').where(where);
  const literal = literalPage(q);
  const bound = (value: (x: SearchQuery) => number) => (literal ? sql.lit(value(q)) : a(value));
  // Capped, the count stops at the cap instead of visiting every matching invoice.
  const count = q.page.countUpTo
    ? db.selectFrom(matching.select(sql`1`.as('one')).limit(bound((x) => x.page.countUpTo!)).as('m')).select((eb) => eb.fn.countAll<number>().as('n'))
    : matching.select((eb) => eb.fn.countAll<number>().as('n'));
  const alongside = q.readerId === undefined ? sql<null>`NULL` : jsonArrayFrom(membershipRows(db, a((x) => x.readerId!), a((x) => x.f.structureId)));
  const head = db.selectNoFrom([count.as('total'), (alongside as RawBuilder<unknown>).as('alongside')]);
  const ids = matching.select('i.id').orderBy(newestFirst, 'desc').limit(bound((x) => x.page.limit)).offset(bound((x) => x.page.offset));
  // Typed as the invoice's view (searchRows gives the rows their type).
  const view = q.view === 'api' ? (apiView(db) as unknown as ReturnType<typeof invoiceView>) : invoiceView(db);
  const rows = view
    .select(q.column ? [(q.column.value as RawBuilder<unknown>).as('extra')] : [])
    .where('i.id', 'in', ids);
  return prepared(
    db.selectFrom(head.as('h'))
      .leftJoinLateral(rows.as('p'), (join) => join.onTrue())
      .selectAll('p')
      .select(['h.total', sql<string | null>`h.alongside::text`.as('alongside')])
      .orderBy('p.id', 'desc'),
  );
});

/** Users to notify on one side: the GP and the members with the space (for the service, when per service). */
export async function usersWithSpace(db: Executor, structureId: number, space: string, serviceId: number | null) {
  const { rows } = await (serviceId === null ? usersOfStructure(db, structureId, space) : usersOfService(db, structureId, space, serviceId));
  return mapped(rows, (r) => r.id);
}
// Compiled once each (a flow's routing asks it at every chunk); whether there is a service is the statement's shape.
const usersOfStructure = compiledOnce((db, structureId: number, space: string) => usersWithSpaceQuery(db, structureId, space, null));
const usersOfService = compiledOnce((db, structureId: number, space: string, serviceId: number) => usersWithSpaceQuery(db, structureId, space, serviceId));
const usersWithSpaceQuery = (db: Executor, structureId: number, space: string, serviceId: number | null) =>
  db
    .selectFrom('rattachements as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .leftJoin('habilitations as h', (j) => j.onRef('h.user_id', '=', 'r.user_id').onRef('h.structure_id', '=', 'r.structure_id').on('h.space', '=', space))
    .select(['u.id'])
    .distinct()
    .where('r.structure_id', '=', structureId)
    .where('r.status', '=', 'VALIDEE')
    .where('u.is_technical', '=', false)
    .where((eb) =>
      eb.or([
        eb('r.role', '=', 'GESTIONNAIRE_PRINCIPAL'),
        eb.and([eb('h.id', 'is not', null), serviceId === null ? eb('h.service_id', 'is', null) : eb.or([eb('h.service_id', 'is', null), eb('h.service_id', '=', serviceId)])]),
      ]),
    );

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
