import type { Ctx } from '../context.ts';
import { addMinutes } from '../shared/clock.ts';
import { verifyPassword } from './password-hashing.ts';
import { findUserByEmail } from './repository.ts';
import { credentialsChanged } from './credentials-changes.ts';

/**
 * Checks a technical account's login and password (HTTP Basic on the API). Returns the user id,
 * or null when the login is unknown, the password wrong or expired, or the account locked.
 */
export async function authenticateTechnicalAccount(ctx: Ctx, login: string, password: string): Promise<number | null> {
  if (login.length > 254 || password.length > 256) return null;
  const user = await findUserByEmail(ctx.db, login);
  if (!user || !user.is_technical || !user.password_hash || user.status !== 'ACTIF') return null;
  const now = ctx.clock.now();
  if (user.locked_until && new Date(user.locked_until) > now) return null;
  if (user.password_expires_at && new Date(user.password_expires_at) <= now) return null;
  if (!(await verifyPassword(user.password_hash, password))) {
    const failures = user.failed_logins + 1;
    const lock = failures >= ctx.config.LOGIN_MAX_FAILURES;
    await ctx.db
      .updateTable('users')
      .set({ failed_logins: lock ? 0 : failures, locked_until: lock ? addMinutes(now, ctx.config.LOGIN_LOCK_MINUTES) : null })
      .where('id', '=', user.id)
      .execute();
    if (lock) credentialsChanged();
    return null;
  }
  if (user.failed_logins) await ctx.db.updateTable('users').set({ failed_logins: 0 }).where('id', '=', user.id).execute();
  return user.id;
}
