import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { hashToken, newSecretToken } from '../shared/tokens.ts';
import { recordEvent } from '../history/index.ts';
import { structureFor } from '../structures/index.ts';
import { credentialsChanged } from '../accounts/index.ts';

/** Lifetime of an access token, as on the State's gateway (PISTE). */
export const ACCESS_TOKEN_SECONDS = 3600;

export const oauthClientInput = z.object({
  label: z.string().trim().min(1, 'Le nom de l’application est obligatoire.').max(100, 'Le nom de l’application ne doit pas dépasser 100 caractères.'),
});

export interface OAuthClientCredentials {
  id: number;
  clientId: string;
  /** Shown once: only its hash is kept. */
  clientSecret: string;
  label: string;
}

/**
 * The principal manager declares an application (« raccordement API ») of his structure: a client id and a
 * client secret for the OAuth2 client-credentials grant. The secret is shown once and stored hashed.
 */
export async function createOAuthClient(ctx: Ctx, actor: Actor, structureId: number, raw: { label?: unknown }): Promise<OAuthClientCredentials> {
  await structureFor(ctx, actor, structureId, 'technicalAccounts.manage');
  const input = parseInput(oauthClientInput, raw);
  const clientId = `ouvrage-${randomBytes(12).toString('hex')}`;
  const clientSecret = newSecretToken();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('cpro_oauth_clients')
      .values({ structure_id: structureId, client_id: clientId, secret_hash: hashToken(clientSecret), label: input.label, created_by: actor.userId, created_at: ctx.clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'OAUTH_CLIENT_CREATED', actorUserId: actor.userId, data: { clientId, label: input.label } });
    return { id: row.id, clientId, clientSecret, label: input.label };
  });
}

/** The applications of a structure (never their secrets). */
export async function listOAuthClients(ctx: Ctx, actor: Actor, structureId: number) {
  await structureFor(ctx, actor, structureId, 'technicalAccounts.manage');
  const rows = await ctx.db
    .selectFrom('cpro_oauth_clients')
    .select(['id', 'client_id', 'label', 'created_at', 'revoked_at'])
    .where('structure_id', '=', structureId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, clientId: r.client_id, label: r.label, createdAt: new Date(r.created_at), revokedAt: r.revoked_at ? new Date(r.revoked_at) : null }));
}

/** Revokes an application: its secret stops working and its tokens die at once. */
export async function revokeOAuthClient(ctx: Ctx, actor: Actor, structureId: number, id: number): Promise<void> {
  await structureFor(ctx, actor, structureId, 'technicalAccounts.manage');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('cpro_oauth_clients').select(['id', 'client_id', 'revoked_at']).where('id', '=', id).where('structure_id', '=', structureId).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Application introuvable.');
    if (row.revoked_at) return;
    await trx.updateTable('cpro_oauth_clients').set({ revoked_at: ctx.clock.now() }).where('id', '=', id).execute();
    await trx.deleteFrom('cpro_access_tokens').where('client_id', '=', id).execute();
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'OAUTH_CLIENT_REVOKED', actorUserId: actor.userId, data: { clientId: row.client_id } });
  });
  credentialsChanged();
}

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * OAuth2 client-credentials grant: a valid, unrevoked client gets a bearer token valid 3600 s (stored hashed).
 * Returns null when the client is unknown, revoked or the secret wrong.
 */
export async function issueAccessToken(ctx: Ctx, clientId: string, clientSecret: string): Promise<{ accessToken: string; expiresIn: number } | null> {
  if (clientId.length > 100 || clientSecret.length > 200) return null;
  const client = await ctx.db.selectFrom('cpro_oauth_clients').select(['id', 'secret_hash', 'revoked_at']).where('client_id', '=', clientId).executeTakeFirst();
  if (!client || client.revoked_at || !sameHash(client.secret_hash, hashToken(clientSecret))) return null;
  const now = ctx.clock.now();
  const accessToken = newSecretToken();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('cpro_access_tokens').where('client_id', '=', client.id).where('expires_at', '<', now).execute();
    await trx.insertInto('cpro_access_tokens').values({ token_hash: hashToken(accessToken), client_id: client.id, expires_at: new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000), created_at: now }).execute();
  });
  return { accessToken, expiresIn: ACCESS_TOKEN_SECONDS };
}

/** The structure an unexpired bearer token was issued for, and when it expires, or null. */
export async function authenticateAccessToken(ctx: Ctx, token: string): Promise<{ oauthClientId: number; structureId: number; expiresAt: Date } | null> {
  if (!token || token.length > 200) return null;
  const row = await ctx.db
    .selectFrom('cpro_access_tokens')
    .innerJoin('cpro_oauth_clients', 'cpro_oauth_clients.id', 'cpro_access_tokens.client_id')
    .select(['cpro_oauth_clients.id', 'cpro_oauth_clients.structure_id', 'cpro_oauth_clients.revoked_at', 'cpro_access_tokens.expires_at'])
    .where('cpro_access_tokens.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || new Date(row.expires_at) <= ctx.clock.now()) return null;
  return { oauthClientId: row.id, structureId: row.structure_id, expiresAt: new Date(row.expires_at) };
}
