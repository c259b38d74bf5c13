import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { SearchColumn } from '../invoices/index.ts';
import { mapped } from '../shared/mapped.ts';

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

const CLAIMABLE = (now: Date) => sql`(state = 'EN_ATTENTE' OR (state = 'EN_COURS' AND (claim_until IS NULL OR claim_until < ${now})))`;

/**
 * Claims the next files of the flow (at most `size`, in file order) for this owner until `until`: files EN_ATTENTE,
 * or EN_COURS whose claim ran out (a worker that died) or was released. Rows that another worker is claiming at the
 * same moment are skipped (SKIP LOCKED), so that concurrent workers take disjoint chunks. Each file says whether it
 * was EN_COURS before: its invoice may then exist already, made by the worker that held it.
 */
export async function claimChunk(db: Executor, flowId: number, owner: string, size: number, until: Date, now: Date): Promise<Array<{ position: number; claimedBefore: boolean }>> {
  const { rows } = await sql<{ position: number; was: string }>`
    WITH picked AS (
      SELECT position, state FROM cpro_flow_items
       WHERE flow_id = ${flowId} AND ${CLAIMABLE(now)}
       ORDER BY position LIMIT ${size}
       FOR UPDATE SKIP LOCKED)
    UPDATE cpro_flow_items AS i SET state = 'EN_COURS', claim_owner = ${owner}, claim_until = ${until}
      FROM picked
     WHERE i.flow_id = ${flowId} AND i.position = picked.position
    RETURNING i.position, picked.state AS was`.execute(db);
  return mapped(rows, (r) => ({ position: Number(r.position), claimedBefore: r.was === 'EN_COURS' })).sort((a, b) => a.position - b.position);
}

/** Whether any file of the flow can be claimed now (before reading the flow's archive for nothing). */
export async function hasClaimable(db: Executor, flowId: number, now: Date): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM cpro_flow_items WHERE flow_id = ${flowId} AND ${CLAIMABLE(now)} LIMIT 1`.execute(db);
  return rows.length > 0;
}

/** Extends this owner's claim on the files; returns those it still holds (another worker may have taken a claim that ran out). */
export async function renewClaim(db: Executor, flowId: number, owner: string, positions: number[], until: Date): Promise<number[]> {
  if (!positions.length) return [];
  const rows = await db
    .updateTable('cpro_flow_items')
    .set({ claim_until: until })
    .where('flow_id', '=', flowId)
    .where('position', 'in', positions)
    .where('claim_owner', '=', owner)
    .where('state', '=', 'EN_COURS')
    .returning('position')
    .execute();
  return mapped(rows, (r) => r.position);
}

/** Gives this owner's claim on the files back at once (they stay EN_COURS: their invoices may exist). */
export async function releaseClaim(db: Executor, flowId: number, owner: string, positions: number[]) {
  if (!positions.length) return;
  await db.updateTable('cpro_flow_items').set({ claim_until: null }).where('flow_id', '=', flowId).where('position', 'in', positions).where('claim_owner', '=', owner).where('state', '=', 'EN_COURS').execute();
}

/** When the first claim still running on the flow runs out (null when none runs). */
export async function firstClaimEnd(db: Executor, flowId: number, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('cpro_flow_items')
    .select((eb) => eb.fn.min('claim_until').as('until'))
    .where('flow_id', '=', flowId)
    .where('state', '=', 'EN_COURS')
    .where('claim_until', '>=', now)
    .executeTakeFirst();
  return row?.until ? new Date(row.until as Date | string) : null;
}

/**
 * Sets the flow's final status with its counts, in one statement, once every file has its result: whichever worker
 * records the last chunk sees no file pending; when several finish together, only the first update matches (the row
 * is locked, then re-checked), so the final status is set exactly once. Returns it, or null (files pending, or
 * already final).
 */
export async function finishFlow(db: Executor, flowId: number, now: Date): Promise<string | null> {
  const { rows } = await sql<{ status: string }>`
    UPDATE cpro_flows AS f
       SET status = CASE WHEN c.integrated = 0 THEN 'IN_REJETE' WHEN c.rejected = 0 THEN 'IN_INTEGRE' ELSE 'IN_INTEGRE_PARTIEL' END,
           integrated_count = c.integrated, rejected_count = c.rejected, status_changed_at = ${now}
      FROM (SELECT count(*) FILTER (WHERE state = 'INTEGREE')::int AS integrated, count(*) FILTER (WHERE state = 'REJETEE')::int AS rejected,
                   count(*) FILTER (WHERE state IN ('EN_ATTENTE', 'EN_COURS'))::int AS pending
              FROM cpro_flow_items WHERE flow_id = ${flowId}) AS c
     WHERE f.id = ${flowId} AND c.pending = 0 AND f.file_count IS NOT NULL AND f.status NOT IN ('IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE')
    RETURNING f.status`.execute(db);
  return rows[0]?.status ?? null;
}

/** The results of a chunk's files, in one update; only files still pending (another worker may have recorded them). */
export async function recordOutcomes(
  db: Executor,
  flowId: number,
  outcomes: Array<{ position: number; state: 'INTEGREE' | 'REJETEE'; errors: unknown[]; invoice_id?: number; invoice_number?: string | null; recipient_identifier?: string | null }>,
) {
  if (!outcomes.length) return;
  // One array per column (a chunk's hundred outcomes: six parameters, not six hundred for PostgreSQL to parse).
  const column = <T,>(f: (o: (typeof outcomes)[number]) => T) => mapped(outcomes, f);
  await sql`
    UPDATE cpro_flow_items AS i
       SET state = v.state, invoice_id = COALESCE(v.invoice_id, i.invoice_id), invoice_number = COALESCE(v.invoice_number, i.invoice_number),
           recipient_identifier = COALESCE(v.recipient_identifier, i.recipient_identifier), errors = v.errors
      FROM unnest(${column((o) => o.position)}::int[], ${column((o) => o.state)}::text[], ${column((o) => o.invoice_id ?? null)}::int[],
                  ${column((o) => o.invoice_number ?? null)}::text[], ${column((o) => o.recipient_identifier ?? null)}::text[],
                  ${column((o) => JSON.stringify(o.errors))}::jsonb[]) AS v(position, state, invoice_id, invoice_number, recipient_identifier, errors)
     WHERE i.flow_id = ${flowId} AND i.position = v.position AND i.state IN ('EN_ATTENTE', 'EN_COURS')`.execute(db);
}

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
  mapped((
    await db
      .selectFrom('cpro_flow_items as i')
      .innerJoin('cpro_flows as f', 'f.id', 'i.flow_id')
      .select('i.invoice_id')
      .where('f.numero', '=', numero)
      .where('f.structure_id', '=', structureId)
      .where('i.invoice_id', 'is not', null)
      .execute()
  ), (r) => r.invoice_id!);

/** Whether a flow other than this one waits to be started (its files not rows yet). */
export const waitingFlowExists = async (db: Executor, otherThan: number) =>
  !!(await db.selectFrom('cpro_flows').select('id').where('status', '=', 'IN_RECU').where('file_count', 'is', null).where('id', '<>', otherThan).limit(1).executeTakeFirst());

/** Flows a worker must (re)start: received or interrupted. */

export const unfinishedFlows = (db: Executor) =>
  db.selectFrom('cpro_flows').select(['id']).where('status', 'in', ['IN_RECU', 'IN_EN_COURS_TRAITEMENT_CPP']).execute();

export const numeroOf = (id: number) => `CPP${String(id).padStart(22, '0')}`;
export const setNumero = (db: Executor, id: number) => db.updateTable('cpro_flows').set({ numero: numeroOf(id) }).where('id', '=', id).execute();
