import type { Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { passwordMessage, passwordProblems } from './model.ts';
import { hashPassword } from './password-hashing.ts';
import { findUserByEmail, insertPerson } from './repository.ts';
import { signUpInput, type SignUpInput } from './sign-up.ts';

/** Creates an active account directly (operator CLI and demonstration data), without an activation mail. */
export async function createActiveUser(ctx: Ctx, raw: SignUpInput): Promise<{ userId: number }> {
  const input = parseInput(signUpInput, raw);
  const problems = passwordProblems(input.password, input.email);
  if (problems.length) throw new AppError('VALIDATION', 'PASSWORD_TOO_WEAK', passwordMessage(problems), { password: passwordMessage(problems) });
  if (await findUserByEmail(ctx.db, input.email)) throw new AppError('CONFLICT', 'ACCOUNT_EXISTS', 'Un compte existe déjà avec cette adresse électronique.');
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction().execute(async (trx) => {
    const u = await insertPerson(trx, { ...input, passwordHash, now, activated: true });
    await recordEvent(trx, { stream: `user:${u.id}`, type: 'ACCOUNT_CREATED', actorUserId: null, data: { by: 'operator' } });
    return { userId: u.id };
  });
}
