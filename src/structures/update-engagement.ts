import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { requirePublicStructure, structureFor } from './structure-access.ts';
import { engagementExists, engagementFields, resolveReferences, type EngagementFields } from './engagement-input.ts';
import { findEngagement, findEngagementById, updateEngagementColumns } from './engagements-repository.ts';
import { isUniqueViolation } from './services-repository.ts';

/** Changes an engagement (state, amount, service, supplier…); only the given fields change. */
export async function updateEngagement(ctx: Ctx, actor: Actor, structureId: number, engagementId: number, raw: EngagementFields): Promise<void> {
  const input = parseInput(engagementFields, raw);
  const { structure } = await structureFor(ctx, actor, structureId, 'engagements.manage');
  requirePublicStructure(structure, 'engagements');
  const current = await findEngagementById(ctx.db, structureId, engagementId);
  if (!current) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Engagement introuvable.');
  const refs = await resolveReferences(ctx.db, structureId, input);

  const next = {
    number: input.number,
    state: input.state,
    amount: input.amount,
    currency: input.currency,
    service_id: refs.serviceId,
    supplier_structure_id: refs.supplierStructureId,
    subject: input.subject,
  };
  const columns: Record<string, unknown> = {};
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [column, value] of Object.entries(next)) {
    const before = current[column as keyof typeof current];
    // Amounts compare as numbers of cents written out: '48500' equals '48500.00'.
    const same = column === 'amount' && typeof value === 'string' && typeof before === 'string' ? sameAmount(value, before) : value === before;
    if (value === undefined || same) continue;
    columns[column] = value;
    changes[column] = { from: before, to: value };
  }
  if (Object.keys(columns).length === 0) return;
  if (input.number && input.number !== current.number && (await findEngagement(ctx.db, structureId, input.number))) throw engagementExists(input.number);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await updateEngagementColumns(trx, engagementId, columns);
      await recordEvent(trx, { stream: `structure:${structureId}`, type: 'ENGAGEMENT_UPDATED', actorUserId: actor.userId, data: { engagementId, number: input.number ?? current.number, changes } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw engagementExists(input.number ?? current.number);
    throw err;
  }
}

const cents = (a: string) => {
  const [i, d = ''] = a.split('.');
  return `${i.replace(/^0+(?=\d)/, '')}${(d + '00').slice(0, 2)}`;
};
const sameAmount = (a: string, b: string) => cents(a) === cents(b);
