import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { requirePublicStructure, structureFor } from './structure-access.ts';
import { checkValidity, serviceExists, serviceFields, type ServiceFields } from './service-input.ts';
import { findService, findServiceByCode, isUniqueViolation, updateServiceColumns } from './services-repository.ts';

const COLUMNS = {
  code: 'code',
  name: 'name',
  description: 'description',
  validFrom: 'valid_from',
  validTo: 'valid_to',
  active: 'active',
  numeroEjDoitEtreRenseigne: 'numero_ej_doit_etre_renseigne',
} as const;

/** The principal manager changes a service; only the given fields change. */
export async function updateService(ctx: Ctx, actor: Actor, structureId: number, serviceId: number, raw: ServiceFields): Promise<void> {
  const input = parseInput(serviceFields, raw);
  const { structure } = await structureFor(ctx, actor, structureId, 'services.manage');
  requirePublicStructure(structure, 'services');
  const service = await findService(ctx.db, structureId, serviceId);
  if (!service) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Service introuvable.');

  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const columns: Record<string, unknown> = {};
  for (const [k, column] of Object.entries(COLUMNS) as Array<[keyof typeof COLUMNS, (typeof COLUMNS)[keyof typeof COLUMNS]]>) {
    const value = input[k];
    if (value === undefined || value === service[column]) continue;
    changes[k] = { from: service[column], to: value };
    columns[column] = value;
  }
  checkValidity(input.validFrom !== undefined ? input.validFrom : service.valid_from, input.validTo !== undefined ? input.validTo : service.valid_to);
  if (Object.keys(columns).length === 0) return;
  if (input.code && input.code !== service.code && (await findServiceByCode(ctx.db, structureId, input.code))) throw serviceExists(input.code);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await updateServiceColumns(trx, serviceId, columns, ctx.clock.now());
      await recordEvent(trx, { stream: `structure:${structureId}`, type: 'SERVICE_UPDATED', actorUserId: actor.userId, data: { serviceId, code: input.code ?? service.code, changes } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw serviceExists(input.code ?? service.code);
    throw err;
  }
}
