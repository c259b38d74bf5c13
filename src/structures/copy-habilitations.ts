import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { notify } from '../notifications/index.ts';
import { findMembers, listHabilitations, replaceHabilitations, type HabilitationRow } from './rights-repository.ts';
import { spacesOfKind } from './members-model.ts';
import { editableMember } from './set-habilitations.ts';
import { authorizeOn, memberNotFound } from './authorize-on.ts';

const chosen = (what: string) => z.coerce.number({ message: `Choisissez ${what}.` }).int().positive(`Choisissez ${what}.`);
export const copyHabilitationsInput = z.object({ fromUserId: chosen("l'utilisateur dont copier les droits"), toUserId: chosen("l'utilisateur qui reçoit les droits") });

/** « Duplication des droits »: one member's rights replace another member's rights. */
export async function copyHabilitations(ctx: Ctx, actor: Actor, structureId: number, raw: { fromUserId?: unknown; toUserId?: unknown }): Promise<HabilitationRow[]> {
  const { structure } = await authorizeOn(ctx.db, actor, structureId, 'rights.manage');
  const { fromUserId, toUserId } = parseInput(copyHabilitationsInput, raw);
  if (fromUserId === toUserId)
    throw new AppError('VALIDATION', 'SAME_USER', 'Choisissez deux utilisateurs différents.', { toUserId: 'Choisissez deux utilisateurs différents.' });
  const [from] = await findMembers(ctx.db, structureId, [fromUserId]);
  if (!from) throw memberNotFound();
  await editableMember(ctx.db, structureId, toUserId);
  // Copying from the principal manager copies what he has: every right.
  const rows: HabilitationRow[] =
    from.role === 'GESTIONNAIRE_PRINCIPAL'
      ? spacesOfKind(structure.kind).map((space) => ({ space, access: 'MODIFICATION', serviceId: null }))
      : await listHabilitations(ctx.db, structureId, fromUserId);
  await ctx.db.transaction().execute(async (trx) => {
    await replaceHabilitations(trx, structureId, toUserId, rows);
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'RIGHTS_COPIED', actorUserId: actor.userId, data: { fromUserId, toUserId } });
    await notify(trx, { userId: toUserId, structureId, kind: 'DROITS_MODIFIES', message: `Vos droits sur ${structure.name} ont été modifiés.`, link: `/structures/${structureId}/espaces` });
  });
  return rows;
}
