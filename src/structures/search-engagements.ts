import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { ENGAGEMENT_STATES } from './engagements-model.ts';
import { structureFor } from './structure-access.ts';
import { findEngagementById, searchEngagements as searchRows } from './engagements-repository.ts';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const engagementSearchInput = z.object({
  number: z.preprocess(blankToUndefined, z.string().trim().max(50, 'Numéro trop long.').optional()),
  state: z.preprocess(blankToUndefined, z.enum(ENGAGEMENT_STATES, { message: 'État inconnu.' }).optional()),
  serviceCode: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  supplierSiret: z.preprocess(blankToUndefined, z.string().trim().regex(/^\d{14}$/, 'Le SIRET comporte 14 chiffres.').optional()),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type EngagementSearchInput = z.input<typeof engagementSearchInput>;

/** The engagements register of a structure, filtered (number prefix, state, service, supplier) and paginated. */
export async function searchEngagements(ctx: Ctx, actor: Actor, structureId: number, raw: EngagementSearchInput = {}) {
  const input = parseInput(engagementSearchInput, raw);
  const { structure, membership } = await structureFor(ctx, actor, structureId, 'engagements.view');
  if (structure.kind !== 'PUBLIQUE') return { structure, membership, engagements: [], total: 0, page: input.page, pageSize: input.pageSize };
  const { rows, total } = await searchRows(ctx.db, structureId, input, { limit: input.pageSize, offset: (input.page - 1) * input.pageSize });
  return { structure, membership, engagements: rows, total, page: input.page, pageSize: input.pageSize };
}

export async function getEngagement(ctx: Ctx, actor: Actor, structureId: number, engagementId: number) {
  const { structure, membership } = await structureFor(ctx, actor, structureId, 'engagements.view');
  const engagement = await findEngagementById(ctx.db, structureId, engagementId);
  if (!engagement) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Engagement introuvable.');
  return { structure, membership, engagement };
}
