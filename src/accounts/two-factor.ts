import { z } from 'zod';
import type { Ctx, Actor } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { hashToken } from '../shared/tokens.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { matchTotpStep, newTotpSecret, totpUri } from './model.ts';
import { findUserById, totpRequiredByAStructure } from './repository.ts';

const codeInput = z.object({
  code: z.string({ message: 'Le code est obligatoire.' }).trim().regex(/^\d{6}$/, 'Le code comporte 6 chiffres.'),
});

const wrongCode = () => new AppError('VALIDATION', 'TOTP_INVALID', 'Code incorrect ou déjà utilisé. Saisissez le code à 6 chiffres affiché par votre application.', { code: 'Code incorrect ou déjà utilisé.' });

/** Accepts a code once: its time step must be after the last step used. */
async function consumeCode(ctx: Ctx, userId: number, secret: string, code: string): Promise<void> {
  const step = matchTotpStep(secret, code, ctx.clock.now());
  if (step === null) throw wrongCode();
  const updated = await ctx.db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw wrongCode();
}

/** Completes a login that waits for the second factor. */
export async function verifySecondFactor(ctx: Ctx, sessionToken: string, raw: unknown): Promise<void> {
  const { code } = parseInput(codeInput, raw);
  const session = await ctx.db.selectFrom('sessions').select(['user_id']).where('token_hash', '=', hashToken(sessionToken)).executeTakeFirst();
  if (!session) throw new AppError('UNAUTHENTICATED', 'UNAUTHENTICATED', 'Votre session a expiré : reconnectez-vous.');
  const user = await findUserById(ctx.db, session.user_id);
  if (!user?.totp_secret || !user.totp_enabled_at) throw new AppError('VALIDATION', 'TOTP_NOT_ENABLED', "La double authentification n'est pas activée sur ce compte.");
  await consumeCode(ctx, user.id, user.totp_secret, code);
  await ctx.db.updateTable('sessions').set({ second_factor_done: true }).where('token_hash', '=', hashToken(sessionToken)).execute();
}

/** Starts enrolment: a new secret, shown once as a key and an otpauth:// URI. */
export async function startTotpEnrolment(ctx: Ctx, actor: Actor): Promise<{ secret: string; uri: string }> {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Compte introuvable.');
  if (user.totp_enabled_at) throw new AppError('CONFLICT', 'TOTP_ALREADY_ENABLED', 'La double authentification est déjà activée.');
  const secret = newTotpSecret();
  await ctx.db.updateTable('users').set({ totp_secret: secret, totp_last_step: null }).where('id', '=', user.id).execute();
  return { secret, uri: totpUri(secret, user.email) };
}

/** Confirms enrolment with a first code; the current session counts as second-factor verified. */
export async function confirmTotpEnrolment(ctx: Ctx, actor: Actor, raw: unknown, sessionToken?: string): Promise<void> {
  const { code } = parseInput(codeInput, raw);
  const user = await findUserById(ctx.db, actor.userId);
  if (!user?.totp_secret) throw new AppError('VALIDATION', 'TOTP_NOT_STARTED', "Commencez par générer une clé d'authentification.");
  if (user.totp_enabled_at) throw new AppError('CONFLICT', 'TOTP_ALREADY_ENABLED', 'La double authentification est déjà activée.');
  await consumeCode(ctx, user.id, user.totp_secret, code);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_enabled_at: ctx.clock.now() }).where('id', '=', user.id).execute();
    if (sessionToken) await trx.updateTable('sessions').set({ second_factor_done: true }).where('token_hash', '=', hashToken(sessionToken)).execute();
    await recordEvent(trx, { stream: `user:${user.id}`, type: 'TOTP_ENABLED', actorUserId: user.id });
  });
}

/** Turns TOTP off with a valid code, unless one of the user's structures requires it. */
export async function disableTotp(ctx: Ctx, actor: Actor, raw: unknown): Promise<void> {
  const { code } = parseInput(codeInput, raw);
  const user = await findUserById(ctx.db, actor.userId);
  if (!user?.totp_enabled_at || !user.totp_secret) throw new AppError('VALIDATION', 'TOTP_NOT_ENABLED', "La double authentification n'est pas activée.");
  if (await totpRequiredByAStructure(ctx.db, user.id))
    throw new AppError('FORBIDDEN', 'TOTP_REQUIRED_BY_STRUCTURE', 'Une de vos structures impose la double authentification : elle ne peut pas être désactivée.');
  await consumeCode(ctx, user.id, user.totp_secret, code);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_enabled_at: null, totp_secret: null, totp_last_step: null }).where('id', '=', user.id).execute();
    await recordEvent(trx, { stream: `user:${user.id}`, type: 'TOTP_DISABLED', actorUserId: user.id });
  });
}
