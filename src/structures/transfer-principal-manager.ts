import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { notify } from '../notifications/index.ts';
import { displayName, findUserById } from '../accounts/index.ts';
import { findRattachement, updateRattachement } from './members-repository.ts';
import { replaceHabilitations } from './rights-repository.ts';
import { memberMails, spacesOfKind } from './members-model.ts';
import { authorizeOn } from './authorize-on.ts';

export const transferPrincipalManagerInput = z.object({
  userId: z.coerce.number({ message: 'Choisissez le nouveau gestionnaire principal.' }).int().positive('Choisissez le nouveau gestionnaire principal.'),
});

/**
 * Hands the principal manager role to another validated member. The former manager stays a user
 * with every right in modification.
 */
export async function transferPrincipalManager(ctx: Ctx, actor: Actor, structureId: number, raw: { userId?: unknown }): Promise<void> {
  const { structure } = await authorizeOn(ctx.db, actor, structureId, 'gp.transfer');
  const { userId } = parseInput(transferPrincipalManagerInput, raw);
  const invalid = (message: string) => new AppError('VALIDATION', 'INVALID_PRINCIPAL_MANAGER', message, { userId: message });
  if (userId === actor.userId) throw invalid('Vous êtes déjà le gestionnaire principal de cette structure.');
  const target = await findRattachement(ctx.db, userId, structureId);
  const user = await findUserById(ctx.db, userId);
  if (!target || target.status !== 'VALIDEE' || !user) throw invalid("Le nouveau gestionnaire principal doit être un utilisateur rattaché à la structure.");
  if (user.is_technical || user.status !== 'ACTIF') throw invalid('Le nouveau gestionnaire principal doit être une personne dont le compte est actif.');
  const current = await findRattachement(ctx.db, actor.userId, structureId);
  const everything = spacesOfKind(structure.kind).map((space) => ({ space, access: 'MODIFICATION' as const, serviceId: null }));
  await ctx.db.transaction().execute(async (trx) => {
    // One principal manager at a time (unique index): demote first, then promote.
    await updateRattachement(trx, current!.id, { role: 'UTILISATEUR' });
    await updateRattachement(trx, target.id, { role: 'GESTIONNAIRE_PRINCIPAL' });
    await replaceHabilitations(trx, structureId, actor.userId, everything);
    await replaceHabilitations(trx, structureId, userId, everything);
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'PRINCIPAL_MANAGER_TRANSFERRED', actorUserId: actor.userId, data: { from: actor.userId, to: userId } });
    await notify(trx, {
      userId,
      structureId,
      kind: 'GP_TRANSFERE',
      message: `Vous êtes désormais gestionnaire principal de ${structure.name}.`,
      link: `/structures/${structureId}/utilisateurs`,
      mail: memberMails.becamePrincipal(structure.name),
    });
    await notify(trx, {
      userId: actor.userId,
      structureId,
      kind: 'GP_TRANSFERE',
      message: `Vous avez transféré le rôle de gestionnaire principal de ${structure.name} à ${displayName(user)}.`,
      mail: memberMails.lostPrincipal(structure.name, displayName(user)),
    });
  });
}
