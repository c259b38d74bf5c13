import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { requirePublicStructure, structureFor } from './structure-access.ts';
import { engagementExists, engagementFields, resolveReferences, type EngagementFields } from './engagement-input.ts';
import { findEngagement, insertEngagement } from './engagements-repository.ts';
import { isUniqueViolation } from './services-repository.ts';

/** A public structure records an engagement juridique (number unique in the structure). */
export async function createEngagement(ctx: Ctx, actor: Actor, structureId: number, raw: EngagementFields): Promise<{ engagementId: number }> {
  const input = parseInput(engagementFields, raw);
  if (!input.number) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', { number: "Le numéro d'engagement est obligatoire." });
  const number = input.number;
  const { structure } = await structureFor(ctx, actor, structureId, 'engagements.manage');
  requirePublicStructure(structure, 'engagements');
  const refs = await resolveReferences(ctx.db, structureId, input);
  if (await findEngagement(ctx.db, structureId, number)) throw engagementExists(number);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const { id } = await insertEngagement(trx, {
        structure_id: structureId,
        number,
        state: input.state ?? 'A_TRAITER',
        amount: input.amount ?? null,
        currency: input.currency ?? 'EUR',
        service_id: refs.serviceId ?? null,
        supplier_structure_id: refs.supplierStructureId ?? null,
        subject: input.subject ?? null,
      });
      await recordEvent(trx, { stream: `structure:${structureId}`, type: 'ENGAGEMENT_CREATED', actorUserId: actor.userId, data: { engagementId: id, number, state: input.state ?? 'A_TRAITER', amount: input.amount ?? null } });
      return { engagementId: id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw engagementExists(number);
    throw err;
  }
}
