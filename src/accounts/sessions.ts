import type { Ctx } from '../context.ts';
import { addMinutes } from '../shared/clock.ts';
import { hashToken } from '../shared/tokens.ts';
import { SESSION_IDLE_HOURS } from './model.ts';
import { deleteSession, findSession, totpRequiredByAStructure } from './repository.ts';

export interface CurrentUser {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  isTechnical: boolean;
  totpEnabled: boolean;
}

export interface SessionState {
  user: CurrentUser;
  /** Null when the session is complete; otherwise the second-factor step still due. */
  pendingSecondFactor: 'VERIFY' | 'ENROL' | null;
  tokenHash: string;
}

/** Resolves a session token; refreshes its idle expiry at most once a minute. */
export async function authenticateSession(ctx: Ctx, token: string | undefined): Promise<SessionState | null> {
  if (!token || token.length > 100) return null;
  const tokenHash = hashToken(token);
  const s = await findSession(ctx.db, tokenHash);
  const now = ctx.clock.now();
  if (!s) return null;
  if (new Date(s.expires_at) <= now || s.status !== 'ACTIF') {
    await deleteSession(ctx.db, tokenHash);
    return null;
  }
  if (now.getTime() - new Date(s.last_seen_at).getTime() > 60_000) {
    await ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: addMinutes(now, SESSION_IDLE_HOURS * 60) })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  let pending: SessionState['pendingSecondFactor'] = null;
  if (!s.second_factor_done) pending = s.totp_enabled_at ? 'VERIFY' : (await totpRequiredByAStructure(ctx.db, s.user_id)) ? 'ENROL' : null;
  return {
    tokenHash,
    pendingSecondFactor: pending,
    user: {
      id: s.user_id,
      email: s.email,
      firstName: s.first_name,
      lastName: s.last_name,
      isTechnical: s.is_technical,
      totpEnabled: !!s.totp_enabled_at,
    },
  };
}

export async function logOut(ctx: Ctx, token: string | undefined): Promise<void> {
  if (token && token.length <= 100) await deleteSession(ctx.db, hashToken(token));
}
