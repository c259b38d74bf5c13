import { createHash } from 'node:crypto';
import type { Actor, Ctx } from '../context.ts';
import { authenticateTechnicalAccount, credentialsEpoch, findUserByEmail } from '../accounts/index.ts';
import { structureOfTechnicalAccount, technicalAccountByLogin } from '../structures/index.ts';
import { authenticateAccessToken } from './oauth-clients.ts';

/** Who calls the Chorus-Pro-compatible API: an application (OAuth client) and a technical account of its structure. */
export interface CproCaller {
  actor: Actor;
  /** The structure of the technical account (and of the application). */
  structureId: number;
  oauthClientId: number;
  login: string;
}

export type CallerRefusal =
  | { ok: false; reason: 'TOKEN_MISSING' | 'TOKEN_INVALID'; message: string }
  | { ok: false; reason: 'ACCOUNT_MISSING' | 'ACCOUNT_INVALID' | 'ACCOUNT_OTHER_STRUCTURE'; message: string };

/**
 * Verified technical-account passwords are remembered for a minute (keyed by a hash of login:password), so
 * that an ERP calling many times a second does not pay a password hash per call. A hit is still checked
 * against the account (active, same password hash, not expired, not locked): a reset or a deactivation
 * takes effect at once.
 */
const verified = new Map<string, { userId: number; passwordHash: string; passwordExpiresAt: number | null; until: number }>();
const VERIFIED_MS = 60_000;
const verifying = new Map<string, Promise<{ userId: number; passwordExpiresAt: number | null } | null>>();

/** The technical account behind a login:password, with its structure (null when not a technical account). */
async function technicalAccount(ctx: Ctx, login: string, password: string): Promise<{ userId: number; structureId: number | null; passwordExpiresAt: number | null } | null> {
  const key = createHash('sha256').update(`${login}\u0000${password}`).digest('hex');
  const now = Date.now();
  const hit = verified.get(key);
  if (hit && hit.until > now) {
    // One read gives the account's state and its structure: the checks of a fresh verification, minus the hash.
    const u = await technicalAccountByLogin(ctx.db, login);
    const at = ctx.clock.now();
    if (u && u.id === hit.userId && u.status === 'ACTIF' && u.password_hash === hit.passwordHash && !(u.locked_until && new Date(u.locked_until) > at) && !(u.password_expires_at && new Date(u.password_expires_at) <= at))
      return { userId: hit.userId, structureId: u.structure_id, passwordExpiresAt: hit.passwordExpiresAt };
  }
  verified.delete(key);
  // Concurrent first calls with the same credentials (an ERP opening many connections) share one verification.
  let pending = verifying.get(key);
  if (!pending) {
    pending = (async () => {
      const userId = await authenticateTechnicalAccount(ctx, login, password);
      if (userId === null) return null;
      const u = await findUserByEmail(ctx.db, login);
      const passwordExpiresAt = u?.password_expires_at ? new Date(u.password_expires_at).getTime() : null;
      if (verified.size > 10_000) verified.clear();
      if (u?.password_hash) verified.set(key, { userId, passwordHash: u.password_hash, passwordExpiresAt, until: now + VERIFIED_MS });
      return { userId, passwordExpiresAt };
    })().finally(() => verifying.delete(key));
    verifying.set(key, pending);
  }
  const verifiedAccount = await pending;
  return verifiedAccount === null ? null : { ...verifiedAccount, structureId: await structureOfTechnicalAccount(ctx.db, verifiedAccount.userId) };
}


/**
 * Callers resolved in the last few seconds, by hash of bearer token and cpro-account: an ERP calling many times a
 * second pays no read for its credentials. An entry dies after CALLER_MS, when the token or the password expires,
 * and as soon as a credential changes in this process (credentialsEpoch: a revoked application, a reset password,
 * a deactivated or locked account, an ended rattachement). Refusals are not kept. One cache per database, so that
 * applications (and tests) opening several databases never share a caller.
 */
const CALLER_MS = 5_000;
const MAX_CALLERS = 10_000;
/** A map of its own for each database (see above). */
function perDatabase<V>(): (ctx: Ctx) => Map<string, V> {
  const maps = new WeakMap<object, Map<string, V>>();
  return (ctx) => {
    let m = maps.get(ctx.db);
    if (!m) maps.set(ctx.db, (m = new Map()));
    return m;
  };
}
const callersOf = perDatabase<{ caller: CproCaller; until: number; epoch: number }>();
/**
 * Resolutions in flight, by the same key: when an entry dies, the calls that arrive together (an ERP's 50
 * connections) share one resolution instead of making two or three reads each at the same moment.
 */
const resolvingOf = perDatabase<ReturnType<typeof resolveCaller>>();

/**
 * Both credentials of the State's gateway: `Authorization: Bearer <token>` (OAuth2 client credentials) and
 * `cpro-account: base64(login:password)` of a technical account belonging to the application's structure.
 */
export async function authenticateCaller(ctx: Ctx, authorization: string | undefined, cproAccount: string | undefined): Promise<{ ok: true; caller: CproCaller } | CallerRefusal> {
  if (!authorization || !/^Bearer\s+\S+/i.test(authorization))
    return { ok: false, reason: 'TOKEN_MISSING', message: "Jeton d'accès absent : appelez POST /api/oauth/token puis envoyez l'en-tête « Authorization: Bearer <jeton> »." };
  const bearer = authorization.replace(/^Bearer\s+/i, '').trim();
  const cache = callersOf(ctx);
  const key = cproAccount ? createHash('sha256').update(`${bearer}\u0000${cproAccount.trim()}`).digest('hex') : null;
  const now = ctx.clock.now().getTime();
  const epoch = credentialsEpoch();
  const hit = key ? cache.get(key) : undefined;
  if (hit && hit.epoch === epoch && hit.until > now) return { ok: true, caller: hit.caller };
  // A call after a credential change never joins a resolution begun before it (the epoch is in the key).
  const flightKey = key && `${epoch}:${key}`;
  const inFlight = resolvingOf(ctx);
  let pending = flightKey ? inFlight.get(flightKey) : undefined;
  if (!pending) {
    pending = resolveCaller(ctx, bearer, cproAccount);
    if (flightKey) {
      inFlight.set(flightKey, pending);
      void pending.finally(() => inFlight.delete(flightKey)).catch(() => undefined);
    }
  }
  const r = await pending;
  if (r.ok && key) {
    if (cache.size >= MAX_CALLERS) cache.clear();
    cache.set(key, { caller: r.caller, epoch, until: Math.min(now + CALLER_MS, r.until) });
  }
  return r.ok ? { ok: true, caller: r.caller } : r;
}

async function resolveCaller(ctx: Ctx, bearer: string, cproAccount: string | undefined): Promise<{ ok: true; caller: CproCaller; until: number } | CallerRefusal> {
  const token = await authenticateAccessToken(ctx, bearer);
  if (!token) return { ok: false, reason: 'TOKEN_INVALID', message: "Jeton d'accès invalide ou expiré : demandez-en un nouveau (POST /api/oauth/token)." };
  if (!cproAccount?.trim())
    return { ok: false, reason: 'ACCOUNT_MISSING', message: "En-tête « cpro-account » absent : il porte l'identifiant et le mot de passe du compte technique, « identifiant:mot de passe » encodé en base64." };
  const decoded = Buffer.from(cproAccount.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const account = colon > 0 ? await technicalAccount(ctx, decoded.slice(0, colon), decoded.slice(colon + 1)) : null;
  if (account === null)
    return { ok: false, reason: 'ACCOUNT_INVALID', message: "Compte technique inconnu, mot de passe erroné ou expiré, ou compte verrouillé (en-tête « cpro-account »)." };
  const { userId, structureId, passwordExpiresAt } = account;
  if (structureId === null || structureId !== token.structureId)
    return { ok: false, reason: 'ACCOUNT_OTHER_STRUCTURE', message: "Le compte technique n'appartient pas à la structure qui a déclaré cette application." };
  const until = Math.min(token.expiresAt.getTime(), passwordExpiresAt ?? Infinity);
  return { ok: true, caller: { actor: { userId, isTechnical: true }, structureId, oauthClientId: token.oauthClientId, login: decoded.slice(0, colon) }, until };
}
