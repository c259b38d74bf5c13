import type { Executor } from '../db/open-database.ts';
import { insertRows } from '../db/insert-rows.ts';
import type { DepositIssue } from './structured-file.ts';

/** The SQL of structured deposits (the file an invoice was read from, the fields it locks). */

/** The live invoice of a supplier with this number, with the SHA-256 of the structured file it came from, if any. */
export const findBySupplierNumber = (db: Executor, supplierId: number, number: string) =>
  db
    .selectFrom('invoices as i')
    .leftJoin('invoice_structured_sources as s', 's.invoice_id', 'i.id')
    .select(['i.id', 'i.status', 's.sha256'])
    .where('i.supplier_structure_id', '=', supplierId)
    .where('i.number', '=', number)
    .where('i.status', '<>', 'SUPPRIMEE')
    .executeTakeFirst();

/** The same for several numbers at once (a batch), by number. */
export async function findBySupplierNumbers(db: Executor, supplierId: number, numbers: string[]) {
  if (!numbers.length) return new Map<string, { id: number; status: string; sha256: string | null }>();
  const rows = await db
    .selectFrom('invoices as i')
    .leftJoin('invoice_structured_sources as s', 's.invoice_id', 'i.id')
    .select(['i.id', 'i.number', 'i.status', 's.sha256'])
    .where('i.supplier_structure_id', '=', supplierId)
    .where('i.number', 'in', [...new Set(numbers)])
    .where('i.status', '<>', 'SUPPRIMEE')
    .execute();
  return new Map(rows.map((r) => [r.number, { id: r.id, status: r.status, sha256: r.sha256 }]));
}

type StructuredSource = { invoiceId: number; documentId: string; sha256: string; container: 'FACTURX' | 'XML'; syntax: 'UBL' | 'CII'; profile: string; locked: string[]; warnings: DepositIssue[]; at: Date };

export async function insertStructuredSource(trx: Executor, v: StructuredSource) {
  await insertStructuredSources(trx, [v]);
}

export async function insertStructuredSources(trx: Executor, sources: StructuredSource[]) {
  if (!sources.length) return;
  await insertRows(trx, 'invoice_structured_sources', sources.map((v) => ({ invoice_id: v.invoiceId, document_id: v.documentId, sha256: v.sha256, container: v.container, syntax: v.syntax, profile: v.profile, locked_fields: JSON.stringify(v.locked), warnings: JSON.stringify(v.warnings), created_at: v.at })));
}

export async function findStructuredSource(db: Executor, invoiceId: number) {
  const r = await db.selectFrom('invoice_structured_sources').selectAll().where('invoice_id', '=', invoiceId).executeTakeFirst();
  if (!r) return null;
  const json = <T,>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  return { documentId: r.document_id, sha256: r.sha256, container: r.container, syntax: r.syntax, profile: r.profile, locked: json<string[]>(r.locked_fields), warnings: json<DepositIssue[]>(r.warnings) };
}
