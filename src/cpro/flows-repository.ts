import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { SearchColumn } from '../invoices/index.ts';

/** The SQL of flows (cpro_flows, cpro_flow_items). */
export const findFlowBySha = (db: Executor, structureId: number, sha256: string) =>
  db.selectFrom('cpro_flows').select(['id', 'numero', 'deposited_at']).where('structure_id', '=', structureId).where('sha256', '=', sha256).executeTakeFirst();

export const findFlow = (db: Executor, id: number) =>
  db
    .selectFrom('cpro_flows as f')
    .innerJoin('documents as d', 'd.id', 'f.document_id')
    .innerJoin('structures as s', 's.id', 'f.structure_id')
    .innerJoin('users as u', 'u.id', 'f.deposited_by')
    .selectAll('f')
    .select(['d.blob_sha256', 's.identifier as supplier_identifier', 's.name as supplier_name', 'u.is_technical'])
    .where('f.id', '=', id)
    .executeTakeFirst();
export type FlowRow = NonNullable<Awaited<ReturnType<typeof findFlow>>>;

export const findFlowByNumero = async (db: Executor, structureId: number, numero: string) => {
  const row = await db.selectFrom('cpro_flows').select('id').where('numero', '=', numero).where('structure_id', '=', structureId).executeTakeFirst();
  return row ? findFlow(db, row.id) : undefined;
};

/** Takes (or renews) the flow's lease for this owner; false when another worker holds it. */
export async function takeLease(db: Executor, flowId: number, owner: string, until: Date, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('cpro_flows')
    .set({ lease_until: until, lease_owner: owner })
    .where('id', '=', flowId)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', owner)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The results of a chunk's files, in one update; only files still pending (another worker may have recorded them). */
export async function recordOutcomes(
  db: Executor,
  flowId: number,
  outcomes: Array<{ position: number; state: 'INTEGREE' | 'REJETEE'; errors: unknown[]; invoice_id?: number; invoice_number?: string | null; recipient_identifier?: string | null }>,
) {
  if (!outcomes.length) return;
  const rows = outcomes.map((o) => sql`(${o.position}::int, ${o.state}::text, ${o.invoice_id ?? null}::int, ${o.invoice_number ?? null}::text, ${o.recipient_identifier ?? null}::text, ${JSON.stringify(o.errors)}::jsonb)`);
  await sql`
    UPDATE cpro_flow_items AS i
       SET state = v.state, invoice_id = COALESCE(v.invoice_id, i.invoice_id), invoice_number = COALESCE(v.invoice_number, i.invoice_number),
           recipient_identifier = COALESCE(v.recipient_identifier, i.recipient_identifier), errors = v.errors
      FROM (VALUES ${sql.join(rows)}) AS v(position, state, invoice_id, invoice_number, recipient_identifier, errors)
     WHERE i.flow_id = ${flowId} AND i.position = v.position AND i.state IN ('EN_ATTENTE', 'EN_COURS')`.execute(db);
}

export const listPendingItems = (db: Executor, flowId: number) =>
  db.selectFrom('cpro_flow_items').select(['position', 'state']).where('flow_id', '=', flowId).where('state', 'in', ['EN_ATTENTE', 'EN_COURS']).orderBy('position').execute();

export const listItems = (db: Executor, flowId: number) =>
  db.selectFrom('cpro_flow_items').selectAll().where('flow_id', '=', flowId).orderBy('position').execute();

/** The rejected files of a flow, with their errors (consulterCRDetaille: the others are only counted). */
export const listRejectedItems = (db: Executor, flowId: number) =>
  db.selectFrom('cpro_flow_items').selectAll().where('flow_id', '=', flowId).where('state', '=', 'REJETEE').orderBy('position').execute();

export async function countItems(db: Executor, flowId: number) {
  const rows = await db.selectFrom('cpro_flow_items').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('flow_id', '=', flowId).groupBy('state').execute();
  const n = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  return { integrated: n('INTEGREE'), rejected: n('REJETEE'), pending: n('EN_ATTENTE') + n('EN_COURS') };
}

/** How an invoice came to be: a flow deposit after the flow's own deposit is the mark of a crashed run of this flow. */
export const invoiceOrigin = (db: Executor, invoiceId: number) =>
  db.selectFrom('invoices').select(['deposit_mode', 'created_at']).where('id', '=', invoiceId).executeTakeFirst();

/** The flow number of an invoice, as a column of the invoice search (rechercher/fournisseur); at most one flow per invoice. */
export const flowNumberColumn: SearchColumn<string | null> = {
  name: 'flow',
  value: sql<string | null>`(SELECT COALESCE(f.numero, '') FROM cpro_flow_items fi JOIN cpro_flows f ON f.id = fi.flow_id WHERE fi.invoice_id = i.id)`,
};

export const invoiceIdsOfFlow = async (db: Executor, structureId: number, numero: string) =>
  (
    await db
      .selectFrom('cpro_flow_items as i')
      .innerJoin('cpro_flows as f', 'f.id', 'i.flow_id')
      .select('i.invoice_id')
      .where('f.numero', '=', numero)
      .where('f.structure_id', '=', structureId)
      .where('i.invoice_id', 'is not', null)
      .execute()
  ).map((r) => r.invoice_id!);

/** Flows a worker must (re)start: received or interrupted. */
export const unfinishedFlows = (db: Executor) =>
  db.selectFrom('cpro_flows').select(['id', 'lease_until']).where('status', 'in', ['IN_RECU', 'IN_EN_COURS_TRAITEMENT_CPP']).execute();

export const numeroOf = (id: number) => `CPP${String(id).padStart(22, '0')}`;
export const setNumero = (db: Executor, id: number) => db.updateTable('cpro_flows').set({ numero: numeroOf(id) }).where('id', '=', id).execute();
