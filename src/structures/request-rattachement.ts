import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { notify } from '../notifications/index.ts';
import { findUserById, displayName } from '../accounts/index.ts';
import { findStructure } from './repository.ts';
import { findPrincipalManager, findRattachement, findServicesOfStructure, replaceRattachementServices, upsertRattachement } from './members-repository.ts';
import { memberMails } from './members-model.ts';
import { noTechnicalAccount } from './authorize-on.ts';

export const requestRattachementInput = z.object({
  message: z.string().trim().max(1000, 'Le message ne doit pas dépasser 1000 caractères.').optional(),
  serviceIds: z.array(z.coerce.number().int().positive('Service invalide.'), { message: 'Liste de services invalide.' }).max(200).optional(),
});
export type RequestRattachementInput = z.input<typeof requestRattachementInput>;

/**
 * A user asks to join a structure (optionally some of its services). The principal manager is told
 * in the app and by mail. A refused or ended rattachement may be asked again.
 */
export async function requestRattachement(ctx: Ctx, actor: Actor, structureId: number, raw: RequestRattachementInput): Promise<{ rattachementId: number }> {
  if (actor.isTechnical) throw noTechnicalAccount();
  const input = parseInput(requestRattachementInput, raw);
  const structure = await findStructure(ctx.db, structureId);
  if (!structure || structure.status !== 'ACTIVE') throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  const existing = await findRattachement(ctx.db, actor.userId, structureId);
  if (existing?.status === 'VALIDEE') throw new AppError('CONFLICT', 'ALREADY_MEMBER', 'Vous êtes déjà rattaché à cette structure.');
  if (existing?.status === 'EN_COURS_DE_VALIDATION')
    throw new AppError('CONFLICT', 'ALREADY_PENDING', 'Vous avez déjà une demande de rattachement en cours de validation pour cette structure.');
  const serviceIds = [...new Set(input.serviceIds ?? [])];
  const services = await findServicesOfStructure(ctx.db, structureId, serviceIds);
  if (services.length !== serviceIds.length)
    throw new AppError('VALIDATION', 'SERVICE_UNKNOWN', "Un des services choisis n'appartient pas à cette structure.", { serviceIds: "Un des services choisis n'appartient pas à cette structure." });
  const requester = await findUserById(ctx.db, actor.userId);
  const gp = await findPrincipalManager(ctx.db, structureId);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const rattachementId = await upsertRattachement(trx, { userId: actor.userId, structureId, status: 'EN_COURS_DE_VALIDATION', message: input.message || null, requestedAt: now });
    await replaceRattachementServices(trx, rattachementId, serviceIds);
    await recordEvent(trx, { stream: `structure:${structureId}`, type: 'RATTACHEMENT_REQUESTED', actorUserId: actor.userId, data: { rattachementId, serviceIds } });
    const who = requester ? `${displayName(requester)} (${requester.email})` : 'Un utilisateur';
    if (gp)
      await notify(trx, {
        userId: gp.user_id,
        structureId,
        kind: 'RATTACHEMENT_DEMANDE',
        message: `${who} demande à être rattaché(e) à ${structure.name}.`,
        link: `/structures/${structureId}/utilisateurs`,
        mail: memberMails.requested(structure.name, who, input.message || null),
      });
    await notify(trx, {
      userId: actor.userId,
      structureId,
      kind: 'RATTACHEMENT_ENVOYE',
      message: `Votre demande de rattachement à ${structure.name} est en cours de validation.`,
      link: '/structures/rattachement',
    });
    return { rattachementId };
  });
}
