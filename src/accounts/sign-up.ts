import { z } from 'zod';
import type { Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { addMinutes } from '../shared/clock.ts';
import { newSecretToken, hashToken } from '../shared/tokens.ts';
import { email, parseInput, requiredText } from '../shared/validate.ts';
import { enqueue } from '../queue/queue.ts';
import { sendMailJob } from '../queue/jobs.ts';
import { recordEvent } from '../history/index.ts';
import { accountMails } from './mails.ts';
import { LINK_VALIDITY_MINUTES, displayName, passwordMessage, passwordProblems } from './model.ts';
import { hashPassword } from './password-hashing.ts';
import { findUserByEmail, insertPerson, insertToken } from './repository.ts';

export const signUpInput = z.object({
  email: email(),
  firstName: requiredText('Le prénom', 100),
  lastName: requiredText('Le nom', 100),
  phone: z.string().trim().max(30, 'Le téléphone est trop long.').optional().transform((v) => v || undefined),
  password: z.string({ message: 'Le mot de passe est obligatoire.' }).min(1, 'Le mot de passe est obligatoire.'),
});
export type SignUpInput = z.input<typeof signUpInput>;

/** Creates an account waiting for activation and mails the activation link (valid 60 minutes). */
export async function signUp(ctx: Ctx, raw: SignUpInput): Promise<{ userId: number }> {
  const input = parseInput(signUpInput, raw);
  const problems = passwordProblems(input.password, input.email);
  if (problems.length) throw new AppError('VALIDATION', 'PASSWORD_TOO_WEAK', passwordMessage(problems), { password: passwordMessage(problems) });
  if (await findUserByEmail(ctx.db, input.email))
    throw new AppError('CONFLICT', 'ACCOUNT_EXISTS', 'Un compte existe déjà avec cette adresse électronique.', {
      email: 'Un compte existe déjà avec cette adresse électronique.',
    });
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  const token = newSecretToken();
  return ctx.db.transaction().execute(async (trx) => {
    const user = await insertPerson(trx, { ...input, passwordHash, now, activated: false });
    await insertToken(trx, { userId: user.id, purpose: 'ACTIVATION', tokenHash: hashToken(token), expiresAt: addMinutes(now, LINK_VALIDITY_MINUTES) });
    await recordEvent(trx, { stream: `user:${user.id}`, type: 'ACCOUNT_CREATED', actorUserId: user.id });
    await enqueue(trx, sendMailJob, { to: input.email, ...accountMails.activation(displayName(user), `${ctx.config.publicUrl}/activation/${token}`) });
    return { userId: user.id };
  });
}

/** Sends a fresh activation link to an account still waiting for activation; silent otherwise. */
export async function resendActivation(ctx: Ctx, raw: { email: string }): Promise<void> {
  const { email: address } = parseInput(z.object({ email: email() }), raw);
  const user = await findUserByEmail(ctx.db, address);
  if (!user || user.status !== 'EN_ATTENTE_ACTIVATION') return;
  const token = newSecretToken();
  await ctx.db.transaction().execute(async (trx) => {
    await insertToken(trx, { userId: user.id, purpose: 'ACTIVATION', tokenHash: hashToken(token), expiresAt: addMinutes(ctx.clock.now(), LINK_VALIDITY_MINUTES) });
    await enqueue(trx, sendMailJob, { to: user.email, ...accountMails.activation(displayName(user), `${ctx.config.publicUrl}/activation/${token}`) });
  });
}
