import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';

/** The one place with the works tables' SQL. JSON columns come back parsed (PGlite and pg both). */
const json = <T>(v: unknown, fallback: T): T => (v === null || v === undefined ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function findWorksContract(db: Executor, contractId: number) {
  const r = await db
    .selectFrom('works_contracts as w')
    .innerJoin('contracts as c', 'c.id', 'w.contract_id')
    .innerJoin('structures as moa', 'moa.id', 'w.moa_structure_id')
    .innerJoin('structures as pay', 'pay.id', 'w.payer_structure_id')
    .leftJoin('structures as moe', 'moe.id', 'w.moe_structure_id')
    .leftJoin('services as ps', 'ps.id', 'w.payer_service_id')
    .select([
      'w.contract_id', 'w.moe_structure_id', 'w.moe_service_id', 'w.moa_structure_id', 'w.payer_structure_id', 'w.payer_service_id', 'w.ej_number',
      'w.terms', 'w.indexes', 'w.deadlines', 'w.reception_notified_at', 'w.created_at', 'c.number', 'c.subject', 'c.buyer_structure_id',
      'moa.name as moa_name', 'moe.name as moe_name', 'pay.name as payer_name', 'ps.code as payer_service_code',
    ])
    .where('w.contract_id', '=', contractId)
    .executeTakeFirst();
  return r ? { ...r, terms: json<Record<string, unknown>>(r.terms, {}), indexes: json<Record<string, Record<string, string>>>(r.indexes, {}), deadlines: json<Record<string, number>>(r.deadlines, {}) } : undefined;
}
export type WorksContractRow = NonNullable<Awaited<ReturnType<typeof findWorksContract>>>;

/** Works contracts where a structure is the MOE, the MOA, the payer, the buyer or a party. */
export async function listWorksContractIdsOf(db: Executor, structureIds: number[]) {
  if (!structureIds.length) return [];
  const rows = await db
    .selectFrom('works_contracts as w')
    .innerJoin('contracts as c', 'c.id', 'w.contract_id')
    .select('w.contract_id')
    .where((eb) =>
      eb.or([
        eb('w.moe_structure_id', 'in', structureIds), eb('w.moa_structure_id', 'in', structureIds), eb('w.payer_structure_id', 'in', structureIds),
        eb('c.buyer_structure_id', 'in', structureIds),
        eb.exists(eb.selectFrom('contract_parties as p').select('p.id').whereRef('p.contract_id', '=', 'c.id').where('p.structure_id', 'in', structureIds)),
      ]),
    )
    .orderBy('w.contract_id', 'desc')
    .execute();
  return rows.map((r) => r.contract_id);
}

const pieceView = (db: Executor) =>
  db
    .selectFrom('works_pieces as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .innerJoin('structures as su', 'su.id', 'i.supplier_structure_id')
    .innerJoin('structures as de', 'de.id', 'p.depositor_structure_id')
    .select([
      'p.invoice_id', 'p.contract_id', 'p.month', 'p.phase', 'p.depositor_role', 'p.depositor_structure_id', 'p.previous_invoice_id', 'p.progress', 'p.penalties',
      'p.statement', 'p.differences', 'p.moe_received_at', 'p.created_at', 'i.framework', 'i.number', 'i.status', 'i.status_changed_at', 'i.deposited_at',
      'i.supplier_structure_id', 'i.recipient_structure_id', 'i.comment',
      sql<string>`i.total_without_vat::text`.as('total_without_vat'),
      sql<string>`i.total_vat::text`.as('total_vat'),
      sql<string>`i.total_with_vat::text`.as('total_with_vat'),
      sql<string>`i.amount_due::text`.as('amount_due'),
      'su.name as supplier_name', 'de.name as depositor_name',
    ]);
const parsePiece = <R extends { progress: unknown; penalties: unknown; statement: unknown; differences: unknown }>(r: R) => ({
  ...r,
  progress: json<Record<string, string>>(r.progress, {}),
  penalties: json<Array<{ label: string; amount: string }>>(r.penalties, []),
  statement: json<import('./decompte.ts').Statement | null>(r.statement, null),
  differences: json<import('./pieces-model.ts').PieceDifferences | null>(r.differences, null),
});
export async function findPiece(db: Executor, invoiceId: number) {
  const r = await pieceView(db).where('p.invoice_id', '=', invoiceId).executeTakeFirst();
  return r ? parsePiece(r) : undefined;
}
export type PieceRow = NonNullable<Awaited<ReturnType<typeof findPiece>>>;
export async function listPieces(db: Executor, contractId: number) {
  return (await pieceView(db).where('p.contract_id', '=', contractId).orderBy('p.invoice_id').execute()).map(parsePiece);
}
export async function countPieces(db: Executor, contractId: number) {
  const r = await db.selectFrom('works_pieces').select((eb) => eb.fn.countAll<number>().as('n')).where('contract_id', '=', contractId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Pieces the clocks look at: at the MOE, at the MOA, at the titulaire, or reaching the payer. */
export async function piecesInStatuses(db: Executor, statuses: string[]) {
  return (await pieceView(db).where('i.status', 'in', statuses).orderBy('p.invoice_id').execute()).map(parsePiece);
}

/** Records an alert once; false when it was already sent. */
export async function recordAlert(trx: Executor, invoiceId: number, kind: string, at: Date): Promise<boolean> {
  const r = await trx.insertInto('works_alerts').values({ invoice_id: invoiceId, kind, sent_at: at }).onConflict((oc) => oc.doNothing()).returning('invoice_id').executeTakeFirst();
  return !!r;
}

export async function structureNames(db: Executor, ids: number[]) {
  const rows = await db.selectFrom('structures').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The piece's main document (its PDF), if any. */
export async function pieceDocumentId(db: Executor, invoiceId: number) {
  const r = await db.selectFrom('invoice_documents').select('document_id').where('invoice_id', '=', invoiceId).where('role', '=', 'PRINCIPALE').orderBy('added_at', 'desc').executeTakeFirst();
  return r?.document_id ?? null;
}
