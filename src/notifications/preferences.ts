import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { CATEGORIES, MAIL_FREQUENCIES, type Category, type MailFrequency } from './model.ts';
import { preferencesOf, savePreferences } from './repository.ts';

const frequency = z.enum(MAIL_FREQUENCIES, { message: 'Choisissez immédiatement, résumé quotidien ou pas de courriel.' });
export const notificationPreferencesInput = z.object(
  Object.fromEntries(CATEGORIES.map((c) => [c, frequency.optional()])) as Record<Category, z.ZodOptional<typeof frequency>>,
).strict();

const people = (actor: Actor) => {
  if (actor.isTechnical) throw new AppError('FORBIDDEN', 'FORBIDDEN', 'Un compte technique ne reçoit pas de notifications.');
};

/** The actor's mail frequency per category (immediate by default). */
export async function getNotificationPreferences(ctx: Ctx, actor: Actor): Promise<Record<Category, MailFrequency>> {
  people(actor);
  return preferencesOf(ctx.db, actor.userId);
}

/** Changes some categories; the others keep their frequency. Waiting digest lines still leave with the next digest. */
export async function setNotificationPreferences(ctx: Ctx, actor: Actor, raw: unknown): Promise<Record<Category, MailFrequency>> {
  people(actor);
  const input = parseInput(notificationPreferencesInput, raw) as Partial<Record<Category, MailFrequency>>;
  await ctx.db.transaction().execute((trx) => savePreferences(trx, actor.userId, input, ctx.clock.now()));
  return preferencesOf(ctx.db, actor.userId);
}
