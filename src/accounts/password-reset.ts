import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { addMinutes } from '../shared/clock.ts';
import { hashToken, newSecretToken } from '../shared/tokens.ts';
import { email, parseInput } from '../shared/validate.ts';
import { enqueue } from '../queue/queue.ts';
import { sendMailJob } from '../queue/jobs.ts';
import { recordEvent } from '../history/index.ts';
import { accountMails } from './mails.ts';
import { LINK_VALIDITY_MINUTES, displayName, passwordMessage, passwordProblems } from './model.ts';
import { hashPassword, verifyPassword } from './password-hashing.ts';
import { deleteSessionsOfUser, findUserByEmail, findUserById, insertToken, markTokenUsed } from './repository.ts';
import { loadValidLink } from './use-link.ts';

/** Mails a reset link when the account exists; answers the same either way so accounts cannot be probed. */
export async function requestPasswordReset(ctx: Ctx, raw: unknown): Promise<void> {
  const { email: address } = parseInput(z.object({ email: email() }), raw);
  const user = await findUserByEmail(ctx.db, address);
  if (!user || user.is_technical || user.status === 'DESACTIVE') return;
  const token = newSecretToken();
  await ctx.db.transaction().execute(async (trx) => {
    await insertToken(trx, { userId: user.id, purpose: 'PASSWORD_RESET', tokenHash: hashToken(token), expiresAt: addMinutes(ctx.clock.now(), LINK_VALIDITY_MINUTES) });
    await enqueue(trx, sendMailJob, { to: user.contact_email, ...accountMails.passwordReset(displayName(user), `${ctx.config.publicUrl}/mot-de-passe/nouveau/${token}`) });
  });
}

function checkStrength(password: unknown, emailAddress: string): string {
  if (typeof password !== 'string' || !password) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Le mot de passe est obligatoire.', { password: 'Le mot de passe est obligatoire.' });
  const problems = passwordProblems(password, emailAddress);
  if (problems.length) throw new AppError('VALIDATION', 'PASSWORD_TOO_WEAK', passwordMessage(problems), { password: passwordMessage(problems) });
  return password;
}

/** Sets a new password from a reset link; unlocks the account, activates it if needed, ends other sessions. */
export async function resetPassword(ctx: Ctx, token: string, raw: { password?: unknown }): Promise<{ userId: number }> {
  const now = ctx.clock.now();
  const link = await loadValidLink(ctx.db, token, 'PASSWORD_RESET', now);
  const user = await findUserById(ctx.db, link.user_id);
  if (!user) throw new AppError('NOT_FOUND', 'LINK_UNKNOWN', "Ce lien n'est pas valide.");
  const password = checkStrength(raw.password, user.email);
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    const again = await loadValidLink(trx, token, 'PASSWORD_RESET', now);
    await markTokenUsed(trx, again.id, now);
    await trx
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        password_changed_at: now,
        failed_logins: 0,
        locked_until: null,
        // Receiving the mail proves the address, as the activation link would.
        status: user.status === 'EN_ATTENTE_ACTIVATION' ? 'ACTIF' : user.status,
        activated_at: user.activated_at ?? now,
      })
      .where('id', '=', user.id)
      .execute();
    await deleteSessionsOfUser(trx, user.id);
    await recordEvent(trx, { stream: `user:${user.id}`, type: 'PASSWORD_RESET', actorUserId: user.id });
  });
  return { userId: user.id };
}

/** Changes the password of a signed-in user, who must give the current one. */
export async function changePassword(ctx: Ctx, actor: Actor, raw: { currentPassword?: unknown; password?: unknown }, keepSessionHash?: string) {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user?.password_hash) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Compte introuvable.');
  if (typeof raw.currentPassword !== 'string' || !(await verifyPassword(user.password_hash, raw.currentPassword)))
    throw new AppError('VALIDATION', 'BAD_CREDENTIALS', 'Le mot de passe actuel est incorrect.', { currentPassword: 'Le mot de passe actuel est incorrect.' });
  const password = checkStrength(raw.password, user.email);
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: ctx.clock.now() }).where('id', '=', user.id).execute();
    await deleteSessionsOfUser(trx, user.id, keepSessionHash);
    await recordEvent(trx, { stream: `user:${user.id}`, type: 'PASSWORD_CHANGED', actorUserId: user.id });
  });
}
