import { z } from 'zod';
import type { Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { addMinutes } from '../shared/clock.ts';
import { hashToken, newSecretToken } from '../shared/tokens.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { enqueue } from '../queue/queue.ts';
import { sendMailJob } from '../queue/jobs.ts';
import { accountMails } from './mails.ts';
import { SESSION_IDLE_HOURS, displayName } from './model.ts';
import { verifyPassword } from './password-hashing.ts';
import { findUserByEmail, insertSession, totpRequiredByAStructure } from './repository.ts';

const logInInput = z.object({
  email: z.string({ message: "L'adresse électronique est obligatoire." }).trim().min(1, "L'adresse électronique est obligatoire.").max(254),
  password: z.string({ message: 'Le mot de passe est obligatoire.' }).min(1, 'Le mot de passe est obligatoire.').max(256),
});

export type SecondFactorStep = 'VERIFY' | 'ENROL' | null;
export interface LogInResult {
  sessionToken: string;
  userId: number;
  /** VERIFY: a TOTP code is expected; ENROL: a structure requires TOTP and the user has none yet. */
  secondFactor: SecondFactorStep;
}

const badCredentials = () =>
  new AppError('UNAUTHENTICATED', 'BAD_CREDENTIALS', 'Adresse électronique ou mot de passe incorrect.');

/**
 * Checks the password, counts failures and locks the account for a while after too many,
 * then opens a session (which still needs the second factor when the user has TOTP).
 */
export async function logIn(ctx: Ctx, raw: unknown, meta: { userAgent?: string; ip?: string } = {}): Promise<LogInResult> {
  const input = parseInput(logInInput, raw);
  const now = ctx.clock.now();
  const user = await findUserByEmail(ctx.db, input.email);
  if (!user || !user.password_hash) {
    await verifyPassword('$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3nCkD1gx2cxsRk5Uh0jjyKcvbTl4QB7ZVFyNLRx3Ork', input.password);
    throw badCredentials();
  }
  if (user.locked_until && new Date(user.locked_until) > now) {
    throw new AppError('LOCKED', 'ACCOUNT_LOCKED', 'Votre compte est temporairement bloqué après plusieurs essais erronés. Réessayez plus tard ou réinitialisez votre mot de passe.');
  }
  const ok = await verifyPassword(user.password_hash, input.password);
  if (!ok) {
    const failures = user.failed_logins + 1;
    const lock = failures >= ctx.config.LOGIN_MAX_FAILURES;
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ failed_logins: lock ? 0 : failures, locked_until: lock ? addMinutes(now, ctx.config.LOGIN_LOCK_MINUTES) : null })
        .where('id', '=', user.id)
        .execute();
      if (lock) {
        await recordEvent(trx, { stream: `user:${user.id}`, type: 'ACCOUNT_LOCKED', actorUserId: null });
        if (!user.is_technical) await enqueue(trx, sendMailJob, { to: user.contact_email, ...accountMails.locked(displayName(user), ctx.config.LOGIN_LOCK_MINUTES) });
      }
    });
    if (lock) throw new AppError('LOCKED', 'ACCOUNT_LOCKED', `Trop d'essais erronés : votre compte est bloqué pendant ${ctx.config.LOGIN_LOCK_MINUTES} minutes.`);
    throw badCredentials();
  }
  if (user.status === 'EN_ATTENTE_ACTIVATION')
    throw new AppError('FORBIDDEN', 'ACCOUNT_NOT_ACTIVATED', "Votre compte n'est pas encore activé : ouvrez le lien reçu par courriel ou demandez un nouveau lien.");
  if (user.status !== 'ACTIF') throw new AppError('FORBIDDEN', 'ACCOUNT_DISABLED', 'Ce compte est désactivé.');
  if (user.is_technical && user.password_expires_at && new Date(user.password_expires_at) <= now)
    throw new AppError('FORBIDDEN', 'PASSWORD_EXPIRED', 'Le mot de passe de ce compte technique a expiré : le gestionnaire principal doit le réinitialiser.');

  const secondFactor: SecondFactorStep = user.totp_enabled_at
    ? 'VERIFY'
    : !user.is_technical && (await totpRequiredByAStructure(ctx.db, user.id))
      ? 'ENROL'
      : null;
  const sessionToken = newSecretToken();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    await insertSession(trx, {
      tokenHash: hashToken(sessionToken),
      userId: user.id,
      expiresAt: addMinutes(now, SESSION_IDLE_HOURS * 60),
      secondFactorDone: secondFactor === null,
      userAgent: meta.userAgent,
      ip: meta.ip,
    });
  });
  return { sessionToken, userId: user.id, secondFactor };
}
