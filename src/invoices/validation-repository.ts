import { sql, type Updateable } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { InvoiceValidationsTable } from '../db/schema.ts';

/** The SQL of invoices' validation circuits (table invoice_validations). */
export async function findValidation(db: Executor, invoiceId: number) {
  const v = await db
    .selectFrom('invoice_validations as v')
    .innerJoin('contracts as c', 'c.id', 'v.contract_id')
    .leftJoin('structures as n', 'n.id', 'v.validator_structure_id')
    .leftJoin('structures as s1', 's1.id', 'v.validator_1_structure_id')
    .leftJoin('structures as s2', 's2.id', 'v.validator_2_structure_id')
    .select([
      'v.invoice_id', 'v.contract_id', 'v.validator_structure_id', 'v.validator_1_structure_id', 'v.validator_2_structure_id', 'v.levels', 'v.current_level',
      'v.level_opened_at', 'v.due_at', 'v.completed_at', 'v.warnings', 'c.number as contract_number', 'c.buyer_structure_id as contract_buyer_id',
      'n.name as validator_name', 'n.identifier as validator_identifier', 's1.name as validator_1_name', 's1.identifier as validator_1_identifier',
      's2.name as validator_2_name', 's2.identifier as validator_2_identifier',
    ])
    .where('v.invoice_id', '=', invoiceId)
    .executeTakeFirst();
  if (!v) return undefined;
  return { ...v, warnings: (typeof v.warnings === 'string' ? JSON.parse(v.warnings) : (v.warnings ?? [])) as string[] };
}
export type ValidationRow = NonNullable<Awaited<ReturnType<typeof findValidation>>>;

export async function saveValidation(trx: Executor, invoiceId: number, v: { contractId: number; validatorStructureId: number | null }) {
  await trx
    .insertInto('invoice_validations')
    .values({ invoice_id: invoiceId, contract_id: v.contractId, validator_structure_id: v.validatorStructureId })
    .onConflict((oc) => oc.column('invoice_id').doUpdateSet({ contract_id: v.contractId, validator_structure_id: v.validatorStructureId }))
    .execute();
}

export async function updateValidation(trx: Executor, invoiceId: number, changes: Updateable<InvoiceValidationsTable>) {
  await trx.updateTable('invoice_validations').set(changes).where('invoice_id', '=', invoiceId).execute();
}

/** Statuses of invoices that no longer count in what was invoiced on a contract. */
const NOT_INVOICED = ['BROUILLON', 'SUPPRIMEE', 'REFUSEE_1', 'REFUSEE_2', 'REJETEE'];

/** What a supplier has invoiced (HT) on a contract, this invoice included, as exact text. */
export async function invoicedOnContract(db: Executor, contractId: number, supplierId: number, includingInvoiceId: number): Promise<string> {
  const r = await db
    .selectFrom('invoices as i')
    .innerJoin('invoice_validations as v', 'v.invoice_id', 'i.id')
    .select(sql<string>`coalesce(sum(case when i.document_type = 'AVOIR' then -i.total_without_vat else i.total_without_vat end), 0)::text`.as('total'))
    .where('v.contract_id', '=', contractId)
    .where('i.supplier_structure_id', '=', supplierId)
    .where((eb) => eb.or([eb('i.status', 'not in', NOT_INVOICED), eb('i.id', '=', includingInvoiceId)]))
    .executeTakeFirstOrThrow();
  return r.total;
}

/** Invoices a structure has to validate or has validated (level 1 or 2 reached), newest first. */
/** Statuses a validator never sees: the supplier's draft and a deleted draft. */
export const HIDDEN_FROM_VALIDATORS = ['BROUILLON', 'SUPPRIMEE'];

export async function searchToValidate(db: Executor, structureId: number, f: { status?: string; number?: string }, page: { limit: number; offset: number }) {
  let q = db
    .selectFrom('invoices as i')
    .innerJoin('invoice_validations as v', 'v.invoice_id', 'i.id')
    .innerJoin('structures as su', 'su.id', 'i.supplier_structure_id')
    .innerJoin('structures as re', 're.id', 'i.recipient_structure_id')
    .innerJoin('contracts as c', 'c.id', 'v.contract_id')
    .select([
      'i.id', 'i.number', 'i.status', 'i.framework', 'i.invoice_date', 'i.currency', sql<string>`i.total_with_vat::text`.as('total_with_vat'), sql<string>`i.total_without_vat::text`.as('total_without_vat'),
      'su.name as supplier_name', 'su.identifier as supplier_identifier', 're.name as recipient_name', 'c.number as contract_number', 'v.current_level', 'v.due_at',
      'v.validator_1_structure_id', 'v.validator_2_structure_id',
    ])
    .where((eb) =>
      eb.or([
        eb('v.validator_1_structure_id', '=', structureId),
        eb.and([eb('v.validator_2_structure_id', '=', structureId), eb.or([eb('v.current_level', '=', 2), eb('i.status', 'in', LEVEL_2_REACHED), eb('v.completed_at', 'is not', null)])]),
      ]),
    )
    .where('i.status', 'not in', HIDDEN_FROM_VALIDATORS);
  if (f.status === 'A_TRAITER') q = q.where((eb) => eb.or([eb.and([eb('i.status', '=', 'A_VALIDER_1'), eb('v.validator_1_structure_id', '=', structureId)]), eb.and([eb('i.status', '=', 'A_VALIDER_2'), eb('v.validator_2_structure_id', '=', structureId)])]));
  else if (f.status) q = q.where('i.status', '=', f.status);
  if (f.number) q = q.where('i.number', 'like', `${f.number.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const [rows, count] = await Promise.all([
    q.orderBy('v.due_at', 'asc').orderBy('i.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
/** Statuses at which the second level has been reached. */
export const LEVEL_2_REACHED = ['A_VALIDER_2', 'VALIDEE_2', 'REFUSEE_2', 'ABSENCE_VALIDATION_2_HORS_DELAI'];

/** Open levels whose deadline has passed (the clock's sweep; the exact-instant jobs are the usual path). */
export const dueValidations = (db: Executor, now: Date) =>
  db
    .selectFrom('invoice_validations as v')
    .innerJoin('invoices as i', 'i.id', 'v.invoice_id')
    .select(['v.invoice_id', 'v.current_level', 'v.due_at'])
    .where('v.due_at', '<=', now)
    .where('i.status', 'in', ['A_VALIDER_1', 'A_VALIDER_2'])
    .orderBy('v.due_at')
    .execute();
