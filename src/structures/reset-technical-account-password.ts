import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { addDays } from '../shared/clock.ts';
import { recordEvent } from '../history/index.ts';
import { credentialsChanged, hashPassword, TECHNICAL_PASSWORD_DAYS } from '../accounts/index.ts';
import { findTechnicalAccount, setTechnicalPassword } from './members-repository.ts';
import { generateTechnicalPassword } from './technical-password.ts';
import { authorizeOn } from './authorize-on.ts';
import type { TechnicalCredentials } from './create-technical-account.ts';

export async function technicalAccountOf(ctx: Ctx, structureId: number, userId: number) {
  const account = await findTechnicalAccount(ctx.db, structureId, userId);
  if (!account) throw new AppError('NOT_FOUND', 'TECHNICAL_ACCOUNT_NOT_FOUND', 'Compte technique introuvable.');
  return account;
}

/** Only the principal manager resets a technical account's password; the new one is valid 424 days. */
export async function resetTechnicalAccountPassword(ctx: Ctx, actor: Actor, structureId: number, userId: number): Promise<TechnicalCredentials> {
  await authorizeOn(ctx.db, actor, structureId, 'technicalAccounts.manage');
  const account = await technicalAccountOf(ctx, structureId, userId);
  if (account.status !== 'ACTIF') throw new AppError('CONFLICT', 'TECHNICAL_ACCOUNT_INACTIVE', 'Ce compte technique est désactivé.');
  const password = generateTechnicalPassword();
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  const passwordExpiresAt = addDays(now, TECHNICAL_PASSWORD_DAYS);
  await ctx.db.transaction().execute(async (trx) => {
    await setTechnicalPassword(trx, userId, passwordHash, now, passwordExpiresAt);
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'TECHNICAL_ACCOUNT_PASSWORD_RESET', actorUserId: actor.userId, data: { userId, login: account.email } });
  });
  credentialsChanged();
  return { userId, login: account.email, password, passwordExpiresAt };
}
