import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { TokenPurpose } from '../db/schema.ts';

export const findUserByEmail = (db: Executor, email: string) =>
  db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();

export const findUserById = (db: Executor, id: number) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertToken(
  trx: Executor,
  t: { userId: number; purpose: TokenPurpose; tokenHash: string; expiresAt: Date; newEmail?: string },
) {
  // A new link replaces the unused ones of the same purpose.
  await trx
    .updateTable('user_tokens')
    .set({ used_at: new Date(0) })
    .where('user_id', '=', t.userId)
    .where('purpose', '=', t.purpose)
    .where('used_at', 'is', null)
    .execute();
  await trx
    .insertInto('user_tokens')
    .values({ user_id: t.userId, purpose: t.purpose, token_hash: t.tokenHash, expires_at: t.expiresAt, new_email: t.newEmail ?? null })
    .execute();
}

export const findToken = (db: Executor, tokenHash: string, purpose: TokenPurpose) =>
  db.selectFrom('user_tokens').selectAll().where('token_hash', '=', tokenHash).where('purpose', '=', purpose).executeTakeFirst();

export const markTokenUsed = (trx: Executor, id: number, at: Date) =>
  trx.updateTable('user_tokens').set({ used_at: at }).where('id', '=', id).execute();

export const insertSession = (
  trx: Executor,
  s: { tokenHash: string; userId: number; expiresAt: Date; secondFactorDone: boolean; userAgent?: string; ip?: string },
) =>
  trx
    .insertInto('sessions')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      expires_at: s.expiresAt,
      second_factor_done: s.secondFactorDone,
      user_agent: s.userAgent?.slice(0, 300) ?? null,
      ip: s.ip ?? null,
    })
    .execute();

export const findSession = (db: Executor, tokenHash: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.token_hash',
      'sessions.user_id',
      'sessions.second_factor_done',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'users.email',
      'users.first_name',
      'users.last_name',
      'users.status',
      'users.is_technical',
      'users.totp_enabled_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();

export const deleteSession = (db: Executor, tokenHash: string) =>
  db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();

export const deleteSessionsOfUser = (db: Executor, userId: number, exceptTokenHash?: string) => {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptTokenHash) q = q.where('token_hash', '!=', exceptTokenHash);
  return q.execute();
};

/** Whether any structure the user belongs to makes two-factor authentication mandatory. */
export async function totpRequiredByAStructure(db: Executor, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('rattachements')
    .innerJoin('structures', 'structures.id', 'rattachements.structure_id')
    .select('structures.id')
    .where('rattachements.user_id', '=', userId)
    .where('rattachements.status', '=', 'VALIDEE')
    .where('structures.totp_required', '=', true)
    .executeTakeFirst();
  return !!row;
}

/** A person's account row; activated now, or waiting for the activation link. */
export const insertPerson = (
  trx: Executor,
  p: { email: string; firstName: string; lastName: string; phone?: string; passwordHash: string; now: Date; activated: boolean },
) =>
  trx
    .insertInto('users')
    .values({
      email: p.email,
      contact_email: p.email,
      first_name: p.firstName,
      last_name: p.lastName,
      phone: p.phone ?? null,
      password_hash: p.passwordHash,
      password_changed_at: p.now,
      status: p.activated ? 'ACTIF' : 'EN_ATTENTE_ACTIVATION',
      activated_at: p.activated ? p.now : null,
    })
    .returning(['id', 'first_name', 'last_name'])
    .executeTakeFirstOrThrow();
