import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { RattachementStatus, StructureRole } from '../db/schema.ts';

/** Structures a user may ask to join: SIRET (or other identifier) starting with `prefix`, or exactly this name. */
export async function searchStructures(db: Executor, q: string, limit = 20) {
  const prefix = q.replace(/\s+/g, '').replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
  return db
    .selectFrom('structures')
    .select(['id', 'name', 'identifier_type', 'identifier', 'kind', 'postcode', 'city'])
    .where('status', '=', 'ACTIVE')
    .where((eb) => eb.or([eb('identifier', 'like', prefix), eb(sql`lower(name)`, '=', q.toLowerCase())]))
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export const findRattachement = (db: Executor, userId: number, structureId: number) =>
  db.selectFrom('rattachements').selectAll().where('user_id', '=', userId).where('structure_id', '=', structureId).executeTakeFirst();

export const findRattachementById = (db: Executor, structureId: number, id: number) =>
  db.selectFrom('rattachements').selectAll().where('id', '=', id).where('structure_id', '=', structureId).executeTakeFirst();

/** Creates the rattachement row, or reuses the old one (refused, deactivated, deleted) of the same user. */
export async function upsertRattachement(
  trx: Executor,
  r: { userId: number; structureId: number; status: RattachementStatus; message?: string | null; decidedAt?: Date | null; decidedBy?: number | null; requestedAt: Date },
): Promise<number> {
  const values = {
    status: r.status,
    role: 'UTILISATEUR' as StructureRole,
    message: r.message ?? null,
    refusal_reason: null,
    requested_at: r.requestedAt,
    decided_at: r.decidedAt ?? null,
    decided_by: r.decidedBy ?? null,
  };
  const row = await trx
    .insertInto('rattachements')
    .values({ user_id: r.userId, structure_id: r.structureId, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'structure_id']).doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const updateRattachement = (
  trx: Executor,
  id: number,
  set: { status?: RattachementStatus; role?: StructureRole; refusal_reason?: string | null; decided_at?: Date; decided_by?: number },
) => trx.updateTable('rattachements').set(set).where('id', '=', id).execute();

export async function replaceRattachementServices(trx: Executor, rattachementId: number, serviceIds: number[]) {
  await trx.deleteFrom('rattachement_services').where('rattachement_id', '=', rattachementId).execute();
  if (serviceIds.length)
    await trx.insertInto('rattachement_services').values(serviceIds.map((service_id) => ({ rattachement_id: rattachementId, service_id }))).execute();
}

/** The active services of a structure among `ids` (to check a request only names services of that structure). */
export const findServicesOfStructure = (db: Executor, structureId: number, ids: number[]) =>
  ids.length === 0
    ? Promise.resolve([] as Array<{ id: number; code: string; name: string }>)
    : db.selectFrom('services').select(['id', 'code', 'name']).where('structure_id', '=', structureId).where('active', '=', true).where('id', 'in', ids).execute();

export const listActiveServices = (db: Executor, structureIds: number[]) =>
  structureIds.length === 0
    ? Promise.resolve([] as Array<{ id: number; structure_id: number; code: string; name: string }>)
    : db
        .selectFrom('services')
        .select(['id', 'structure_id', 'code', 'name'])
        .where('structure_id', 'in', structureIds)
        .where('active', '=', true)
        .orderBy('code')
        .execute();

const rattachementColumns = [
  'rattachements.id',
  'rattachements.user_id',
  'rattachements.structure_id',
  'rattachements.status',
  'rattachements.role',
  'rattachements.message',
  'rattachements.refusal_reason',
  'rattachements.requested_at',
  'rattachements.decided_at',
] as const;

/** The rattachements of a structure with who they are about, optionally of one status. */
export async function listRattachementsOfStructure(db: Executor, structureId: number, status?: RattachementStatus) {
  let q = db
    .selectFrom('rattachements')
    .innerJoin('users', 'users.id', 'rattachements.user_id')
    .select([...rattachementColumns, 'users.email', 'users.first_name', 'users.last_name', 'users.is_technical', 'users.status as user_status'])
    .where('rattachements.structure_id', '=', structureId);
  if (status) q = q.where('rattachements.status', '=', status);
  const rows = await q.orderBy('rattachements.requested_at', 'desc').orderBy('rattachements.id', 'desc').execute();
  return withServices(db, rows);
}

/** A user's own rattachements, with the structure's name. */
export async function listRattachementsOfUser(db: Executor, userId: number) {
  const rows = await db
    .selectFrom('rattachements')
    .innerJoin('structures', 'structures.id', 'rattachements.structure_id')
    .select([...rattachementColumns, 'structures.name as structure_name', 'structures.identifier as structure_identifier'])
    .where('rattachements.user_id', '=', userId)
    .orderBy('rattachements.requested_at', 'desc')
    .orderBy('rattachements.id', 'desc')
    .execute();
  return withServices(db, rows);
}

async function withServices<T extends { id: number }>(db: Executor, rows: T[]) {
  const links = rows.length
    ? await db
        .selectFrom('rattachement_services')
        .innerJoin('services', 'services.id', 'rattachement_services.service_id')
        .select(['rattachement_services.rattachement_id', 'services.id', 'services.code', 'services.name'])
        .where('rattachement_services.rattachement_id', 'in', rows.map((r) => r.id))
        .execute()
    : [];
  return rows.map((r) => ({ ...r, services: links.filter((l) => l.rattachement_id === r.id).map((l) => ({ id: l.id, code: l.code, name: l.name })) }));
}

/** The principal manager of a structure (the one validated GP row). */
export const findPrincipalManager = (db: Executor, structureId: number) =>
  db
    .selectFrom('rattachements')
    .select(['user_id'])
    .where('structure_id', '=', structureId)
    .where('role', '=', 'GESTIONNAIRE_PRINCIPAL')
    .where('status', '=', 'VALIDEE')
    .executeTakeFirst();

// Technical accounts: users with is_technical, linked to their one structure.

export const countTechnicalAccounts = async (db: Executor, structureId: number) =>
  Number(
    (
      await db
        .selectFrom('technical_accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('structure_id', '=', structureId)
        .executeTakeFirstOrThrow()
    ).n,
  );

export async function insertTechnicalUser(
  trx: Executor,
  t: { login: string; label: string; passwordHash: string; now: Date; expiresAt: Date; structureId: number; createdBy: number },
): Promise<number> {
  const u = await trx
    .insertInto('users')
    .values({
      email: t.login,
      contact_email: t.login,
      first_name: 'Compte technique',
      last_name: t.label,
      password_hash: t.passwordHash,
      password_changed_at: t.now,
      password_expires_at: t.expiresAt,
      status: 'ACTIF',
      is_technical: true,
      activated_at: t.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('technical_accounts').values({ user_id: u.id, structure_id: t.structureId, label: t.label, created_by: t.createdBy }).execute();
  return u.id;
}

export const loginExists = async (db: Executor, login: string) =>
  !!(await db.selectFrom('users').select('id').where(sql`lower(email)`, '=', login.toLowerCase()).executeTakeFirst());

export const listTechnicalAccounts = (db: Executor, structureId: number) =>
  db
    .selectFrom('technical_accounts')
    .innerJoin('users', 'users.id', 'technical_accounts.user_id')
    .select([
      'users.id',
      'users.email',
      'users.status',
      'users.password_expires_at',
      'technical_accounts.label',
      'technical_accounts.created_at',
    ])
    .where('technical_accounts.structure_id', '=', structureId)
    .orderBy('technical_accounts.created_at')
    .orderBy('users.id')
    .execute();

export const findTechnicalAccount = (db: Executor, structureId: number, userId: number) =>
  db
    .selectFrom('technical_accounts')
    .innerJoin('users', 'users.id', 'technical_accounts.user_id')
    .select(['users.id', 'users.email', 'users.status', 'technical_accounts.label'])
    .where('technical_accounts.structure_id', '=', structureId)
    .where('technical_accounts.user_id', '=', userId)
    .executeTakeFirst();

export const setTechnicalPassword = (trx: Executor, userId: number, passwordHash: string, now: Date, expiresAt: Date) =>
  trx
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: now, password_expires_at: expiresAt, failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .execute();

export async function deactivateUserAccount(trx: Executor, userId: number) {
  await trx.updateTable('users').set({ status: 'DESACTIVE' }).where('id', '=', userId).execute();
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** The structure a technical account belongs to (null for a person). */
export const structureOfTechnicalAccount = async (db: Executor, userId: number) =>
  (await db.selectFrom('technical_accounts').select('structure_id').where('user_id', '=', userId).executeTakeFirst())?.structure_id ?? null;

/** Names of the structures the user asked to join and that have not answered yet. */
export const listPendingRequestNames = (db: Executor, userId: number) =>
  db
    .selectFrom('rattachements')
    .innerJoin('structures', 'structures.id', 'rattachements.structure_id')
    .select(['structures.id', 'structures.name'])
    .where('rattachements.user_id', '=', userId)
    .where('rattachements.status', '=', 'EN_COURS_DE_VALIDATION')
    .execute();

/** How many requests wait for a decision, per structure. */
export async function countWaitingRequests(db: Executor, structureIds: number[]): Promise<Map<number, number>> {
  if (structureIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('rattachements')
    .select(['structure_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('structure_id', 'in', structureIds)
    .where('status', '=', 'EN_COURS_DE_VALIDATION')
    .groupBy('structure_id')
    .execute();
  return new Map(rows.map((r) => [r.structure_id, Number(r.n)]));
}

/** A login's account with, for a technical account, its structure (null for a person): one read per API call. */
export const technicalAccountByLogin = (db: Executor, login: string) =>
  db
    .selectFrom('users as u')
    .leftJoin('technical_accounts as t', 't.user_id', 'u.id')
    .select(['u.id', 'u.status', 'u.password_hash', 'u.locked_until', 'u.password_expires_at', 't.structure_id'])
    .where(sql`lower(u.email)`, '=', login.toLowerCase())
    .executeTakeFirst();
