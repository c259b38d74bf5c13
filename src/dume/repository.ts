import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { DumeRequestsTable, DumeResponsesTable } from '../db/schema.ts';
import type { EspdDocument } from '../formats/espd/index.ts';

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

const requestColumns = [
  'r.id', 'r.structure_id', 'r.number', 'r.status', 'r.simplified', 'r.title', 'r.file_reference', 'r.procedure_type', 'r.settings', 'r.model',
  'r.source_document_id', 'r.created_at', 'r.updated_at', 'r.published_at', 's.name as structure_name', 's.identifier as structure_identifier',
] as const;

function requestRow<T extends { settings: unknown; model: unknown }>(r: T) {
  return { ...r, settings: json<Record<string, unknown>>(r.settings), model: json<EspdDocument>(r.model) };
}
export type RequestRow = ReturnType<typeof requestRow<Awaited<ReturnType<typeof selectRequests>>[number]>>;

const selectRequests = (db: Executor) => db.selectFrom('dume_requests as r').innerJoin('structures as s', 's.id', 'r.structure_id').select(requestColumns).execute();

export async function findRequest(db: Executor, id: number) {
  const r = await db.selectFrom('dume_requests as r').innerJoin('structures as s', 's.id', 'r.structure_id').select(requestColumns).where('r.id', '=', id).executeTakeFirst();
  return r ? requestRow(r) : undefined;
}
export async function findRequestByNumber(db: Executor, number: string) {
  const r = await db.selectFrom('dume_requests as r').innerJoin('structures as s', 's.id', 'r.structure_id').select(requestColumns).where('r.number', '=', number).executeTakeFirst();
  return r ? requestRow(r) : undefined;
}
export async function lockRequest(trx: Executor, id: number) {
  return trx.selectFrom('dume_requests').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
}

type RequestValues = Omit<Insertable<DumeRequestsTable>, 'settings' | 'model'> & { settings: unknown; model: EspdDocument };
export async function insertRequest(trx: Executor, v: RequestValues) {
  return trx.insertInto('dume_requests').values({ ...v, settings: JSON.stringify(v.settings), model: JSON.stringify(v.model) }).returning('id').executeTakeFirstOrThrow();
}
export async function updateRequest(trx: Executor, id: number, v: Omit<Updateable<DumeRequestsTable>, 'settings' | 'model'> & { settings?: unknown; model?: EspdDocument }) {
  const { settings, model, ...rest } = v;
  await trx
    .updateTable('dume_requests')
    .set({ ...rest, ...(settings === undefined ? {} : { settings: JSON.stringify(settings) }), ...(model === undefined ? {} : { model: JSON.stringify(model) }) })
    .where('id', '=', id)
    .execute();
}

const responseColumns = [
  'p.id', 'p.structure_id', 'p.number', 'p.request_id', 'p.status', 'p.origin', 'p.origin_response_id', 'p.relied_upon_by_id', 'p.title', 'p.file_reference',
  'p.operator_name', 'p.operator_identifier', 'p.group_name', 'p.group_role', 'p.model', 'p.merge_report', 'p.source_document_id', 'p.created_at', 'p.updated_at',
  'p.finalised_at', 's.name as structure_name', 's.identifier as structure_identifier', 'q.number as request_number', 'q.structure_id as request_structure_id',
] as const;
const responses = (db: Executor) =>
  db.selectFrom('dume_responses as p').innerJoin('structures as s', 's.id', 'p.structure_id').leftJoin('dume_requests as q', 'q.id', 'p.request_id').select(responseColumns);

function responseRow<T extends { model: unknown; merge_report: unknown }>(r: T) {
  return { ...r, model: json<EspdDocument>(r.model), merge_report: r.merge_report == null ? null : json<MergeReport>(r.merge_report) };
}
export interface MergeReport {
  carriedOver: { id: string; name?: string; answered: number; questions: number }[];
  toAnswer: { id: string; name?: string; answered: number; questions: number }[];
  dropped: { id: string; name?: string; answered: number; questions: number }[];
}
export type ResponseRow = NonNullable<Awaited<ReturnType<typeof findResponse>>>;

export async function findResponse(db: Executor, id: number) {
  const r = await responses(db).where('p.id', '=', id).executeTakeFirst();
  return r ? responseRow(r) : undefined;
}
export async function findResponseByNumber(db: Executor, number: string) {
  const r = await responses(db).where('p.number', '=', number).executeTakeFirst();
  return r ? responseRow(r) : undefined;
}
/** The responses to one request: the groupement's members and the entities they rely on. */
export async function responsesToRequest(db: Executor, requestId: number) {
  return (await responses(db).where('p.request_id', '=', requestId).orderBy('p.id').execute()).map(responseRow);
}

type ResponseValues = Omit<Insertable<DumeResponsesTable>, 'model' | 'merge_report'> & { model: EspdDocument; merge_report?: MergeReport | null };
export async function insertResponse(trx: Executor, v: ResponseValues) {
  return trx
    .insertInto('dume_responses')
    .values({ ...v, model: JSON.stringify(v.model), merge_report: v.merge_report ? JSON.stringify(v.merge_report) : null })
    .returning('id')
    .executeTakeFirstOrThrow();
}
export async function updateResponse(trx: Executor, id: number, v: Omit<Updateable<DumeResponsesTable>, 'model'> & { model?: EspdDocument }) {
  const { model, ...rest } = v;
  await trx.updateTable('dume_responses').set({ ...rest, ...(model === undefined ? {} : { model: JSON.stringify(model) }) }).where('id', '=', id).execute();
}
export async function lockResponse(trx: Executor, id: number) {
  return trx.selectFrom('dume_responses').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
}
export async function numberTaken(db: Executor, number: string) {
  const a = await db.selectFrom('dume_requests').select('id').where('number', '=', number).executeTakeFirst();
  const b = await db.selectFrom('dume_responses').select('id').where('number', '=', number).executeTakeFirst();
  return !!(a || b);
}

export interface DumeListFilter {
  structureIds: number[];
  text?: string;
  kind?: 'DEMANDE' | 'REPONSE';
}
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** DUMEs of the given structures, newest first: requests and responses in one list. */
export async function listDumes(db: Executor, f: DumeListFilter, limit = 100) {
  if (!f.structureIds.length) return [];
  const text = f.text ? `%${escapeLike(f.text.toLowerCase())}%` : null;
  const match = (cols: string[]) => (text ? sql<boolean>`(${sql.join(cols.map((c) => sql`lower(coalesce(${sql.ref(c)}, '')) like ${text}`), sql` or `)})` : sql<boolean>`true`);
  const reqs = f.kind === 'REPONSE' ? [] : await db
    .selectFrom('dume_requests as r').innerJoin('structures as s', 's.id', 'r.structure_id')
    .select(['r.id', 'r.number', 'r.status', 'r.title', 'r.file_reference', 'r.updated_at', 's.name as structure_name', 'r.structure_id'])
    .where('r.structure_id', 'in', f.structureIds)
    .where(match(['r.title', 'r.file_reference', 'r.number', 's.name']))
    .orderBy('r.updated_at', 'desc').limit(limit).execute();
  const resps = f.kind === 'DEMANDE' ? [] : await db
    .selectFrom('dume_responses as p').innerJoin('structures as s', 's.id', 'p.structure_id')
    .select(['p.id', 'p.number', 'p.status', 'p.title', 'p.file_reference', 'p.updated_at', 's.name as structure_name', 'p.structure_id', 'p.group_name'])
    .where('p.structure_id', 'in', f.structureIds)
    .where(match(['p.title', 'p.file_reference', 'p.number', 's.name', 'p.group_name', 'p.operator_name']))
    .orderBy('p.updated_at', 'desc').limit(limit).execute();
  return [
    ...reqs.map((r) => ({ kind: 'DEMANDE' as const, ...r, group_name: null as string | null })),
    ...resps.map((r) => ({ kind: 'REPONSE' as const, ...r })),
  ].sort((a, b) => new Date(b.updated_at).getTime() - new Date(a.updated_at).getTime()).slice(0, limit);
}

/** Earlier responses of a structure (for reuse and merge). */
export async function responsesOfStructure(db: Executor, structureId: number) {
  return db.selectFrom('dume_responses').select(['id', 'number', 'title', 'file_reference', 'status', 'updated_at']).where('structure_id', '=', structureId).orderBy('id', 'desc').limit(200).execute();
}
