import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { notify } from '../notifications/index.ts';
import { spaceLabel } from './model.ts';
import { findMembers, setStructureWideRight } from './rights-repository.ts';
import { accessSchema, checkHabilitations, spaceSchema } from './set-habilitations.ts';
import { authorizeOn } from './authorize-on.ts';

export const subscribeSpacesInput = z.object({
  userIds: z.array(z.coerce.number().int().positive(), { message: 'Choisissez au moins un utilisateur.' }).min(1, 'Choisissez au moins un utilisateur.').max(500),
  space: spaceSchema,
  access: accessSchema,
});

/** Bulk subscription: the principal manager opens one space to several members at once. */
export async function subscribeSpaces(ctx: Ctx, actor: Actor, structureId: number, raw: { userIds?: unknown; space?: unknown; access?: unknown }): Promise<{ subscribed: number }> {
  const { structure } = await authorizeOn(ctx.db, actor, structureId, 'rights.manage');
  const input = parseInput(subscribeSpacesInput, raw);
  await checkHabilitations(ctx.db, structure, [{ space: input.space, access: input.access }]);
  const userIds = [...new Set(input.userIds)];
  const members = await findMembers(ctx.db, structureId, userIds);
  if (members.length !== userIds.length)
    throw new AppError('NOT_FOUND', 'MEMBER_NOT_FOUND', "Un des utilisateurs choisis n'est pas rattaché à la structure.", { userIds: "Un des utilisateurs choisis n'est pas rattaché à la structure." });
  // The principal manager already has every right: nothing to subscribe for him.
  const targets = members.filter((m) => m.role !== 'GESTIONNAIRE_PRINCIPAL').map((m) => m.user_id);
  await ctx.db.transaction().execute(async (trx) => {
    for (const userId of targets) {
      await setStructureWideRight(trx, structureId, userId, input.space, input.access);
      await notify(trx, { userId, structureId, kind: 'DROITS_MODIFIES', message: `Vous êtes abonné(e) à l'espace « ${spaceLabel(input.space)} » de ${structure.name}.`, link: `/structures/${structureId}/espaces` });
    }
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'SPACES_SUBSCRIBED', actorUserId: actor.userId, data: { userIds: targets, space: input.space, access: input.access } });
  });
  return { subscribed: targets.length };
}
