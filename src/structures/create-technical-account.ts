import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { parseInput } from '../shared/validate.ts';
import { addDays } from '../shared/clock.ts';
import { recordEvent } from '../history/index.ts';
import { hashPassword, TECHNICAL_PASSWORD_DAYS } from '../accounts/index.ts';
import { countTechnicalAccounts, insertTechnicalUser, loginExists, upsertRattachement } from './members-repository.ts';
import { replaceHabilitations } from './rights-repository.ts';
import { technicalAccountSpaces } from './members-model.ts';
import { generateTechnicalPassword } from './technical-password.ts';
import { authorizeOn } from './authorize-on.ts';

export const createTechnicalAccountInput = z.object({
  label: z.string().trim().max(100, 'Le libellé ne doit pas dépasser 100 caractères.').optional(),
});

export interface TechnicalCredentials {
  userId: number;
  login: string;
  /** Shown once: only its hash is kept. */
  password: string;
  passwordExpiresAt: Date;
}

/**
 * The principal manager creates a technical account for API calls: a generated login, a generated
 * password valid 424 days, and the rights to deposit and receive invoices.
 */
export async function createTechnicalAccount(ctx: Ctx, actor: Actor, structureId: number, raw: { label?: unknown } = {}): Promise<TechnicalCredentials> {
  const { structure } = await authorizeOn(ctx.db, actor, structureId, 'technicalAccounts.manage');
  const input = parseInput(createTechnicalAccountInput, raw);
  const password = generateTechnicalPassword();
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  const passwordExpiresAt = addDays(now, TECHNICAL_PASSWORD_DAYS);
  return ctx.db.transaction().execute(async (trx) => {
    let n = (await countTechnicalAccounts(trx, structureId)) + 1;
    const base = `tech-${structure.siren ?? structure.id}`;
    while (await loginExists(trx, `${base}-${n}@ouvrage.technique`)) n++;
    const login = `${base}-${n}@ouvrage.technique`;
    const label = input.label || `Compte technique n° ${n}`;
    const userId = await insertTechnicalUser(trx, { login, label, passwordHash, now, expiresAt: passwordExpiresAt, structureId, createdBy: actor.userId });
    await upsertRattachement(trx, { userId, structureId, status: 'VALIDEE', requestedAt: now, decidedAt: now, decidedBy: actor.userId });
    await replaceHabilitations(trx, structureId, userId, technicalAccountSpaces(structure.kind).map((h) => ({ ...h, serviceId: null })));
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'TECHNICAL_ACCOUNT_CREATED', actorUserId: actor.userId, data: { userId, login, label } });
    return { userId, login, password, passwordExpiresAt };
  });
}
