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
import { LINK_VALIDITY_MINUTES, displayName } from './model.ts';
import { verifyPassword } from './password-hashing.ts';
import { findUserByEmail, findUserById, insertToken, markTokenUsed } from './repository.ts';
import { loadValidLink } from './use-link.ts';

const input = z.object({
  newEmail: email(),
  password: z.string({ message: 'Le mot de passe est obligatoire.' }).min(1, 'Le mot de passe est obligatoire.'),
});

const taken = () => new AppError('CONFLICT', 'EMAIL_TAKEN', 'Cette adresse est déjà utilisée par un autre compte.', { newEmail: 'Cette adresse est déjà utilisée par un autre compte.' });

/** Sends a confirmation link to the new address; the login address changes only when it is opened. */
export async function requestLoginEmailChange(ctx: Ctx, actor: Actor, raw: unknown): Promise<void> {
  const { newEmail, password } = parseInput(input, raw);
  const user = await findUserById(ctx.db, actor.userId);
  if (!user?.password_hash) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Compte introuvable.');
  if (!(await verifyPassword(user.password_hash, password)))
    throw new AppError('VALIDATION', 'BAD_CREDENTIALS', 'Le mot de passe est incorrect.', { password: 'Le mot de passe est incorrect.' });
  if (newEmail === user.email.toLowerCase()) throw new AppError('VALIDATION', 'EMAIL_UNCHANGED', "C'est déjà votre adresse de connexion.", { newEmail: "C'est déjà votre adresse de connexion." });
  if (await findUserByEmail(ctx.db, newEmail)) throw taken();
  const token = newSecretToken();
  await ctx.db.transaction().execute(async (trx) => {
    await insertToken(trx, { userId: user.id, purpose: 'EMAIL_CHANGE', tokenHash: hashToken(token), expiresAt: addMinutes(ctx.clock.now(), LINK_VALIDITY_MINUTES), newEmail });
    await enqueue(trx, sendMailJob, { to: newEmail, ...accountMails.emailChange(displayName(user), `${ctx.config.publicUrl}/adresse/confirmer/${token}`) });
  });
}

/** Applies the change; the old address is told, and becomes no longer usable to log in. */
export async function confirmLoginEmailChange(ctx: Ctx, token: string): Promise<{ userId: number; email: string }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const link = await loadValidLink(trx, token, 'EMAIL_CHANGE', now);
    const user = await findUserById(trx, link.user_id);
    const newEmail = link.new_email!;
    if (!user) throw new AppError('NOT_FOUND', 'LINK_UNKNOWN', "Ce lien n'est pas valide.");
    const other = await findUserByEmail(trx, newEmail);
    if (other && other.id !== user.id) throw taken();
    await markTokenUsed(trx, link.id, now);
    const contactFollows = user.contact_email.toLowerCase() === user.email.toLowerCase();
    await trx
      .updateTable('users')
      .set({ email: newEmail, contact_email: contactFollows ? newEmail : user.contact_email })
      .where('id', '=', user.id)
      .execute();
    await recordEvent(trx, { stream: `user:${user.id}`, type: 'LOGIN_EMAIL_CHANGED', actorUserId: user.id, data: { from: user.email, to: newEmail } });
    await enqueue(trx, sendMailJob, { to: user.email, ...accountMails.emailChanged(displayName(user), newEmail) });
    return { userId: user.id, email: newEmail };
  });
}
