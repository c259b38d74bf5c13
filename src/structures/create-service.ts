import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { recordEvent } from '../history/index.ts';
import { requirePublicStructure, structureFor } from './structure-access.ts';
import { checkValidity, serviceExists, serviceFields, type ServiceFields } from './service-input.ts';
import { findServiceByCode, insertService, isUniqueViolation } from './services-repository.ts';

/** The principal manager of a public structure declares a service (code unique in the structure). */
export async function createService(ctx: Ctx, actor: Actor, structureId: number, raw: ServiceFields): Promise<{ serviceId: number }> {
  const input = parseInput(serviceFields, raw);
  const missing: Record<string, string> = {};
  if (!input.code) missing.code = 'Le code service est obligatoire.';
  if (!input.name) missing.name = 'Le nom du service est obligatoire.';
  if (Object.keys(missing).length) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', missing);
  const code = input.code!;
  const { structure } = await structureFor(ctx, actor, structureId, 'services.manage');
  requirePublicStructure(structure, 'services');
  checkValidity(input.validFrom ?? null, input.validTo ?? null);
  if (await findServiceByCode(ctx.db, structureId, code)) throw serviceExists(code);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const { id } = await insertService(trx, {
        structure_id: structureId,
        code,
        name: input.name!,
        description: input.description ?? null,
        valid_from: input.validFrom ?? null,
        valid_to: input.validTo ?? null,
        active: input.active ?? true,
        numero_ej_doit_etre_renseigne: input.numeroEjDoitEtreRenseigne ?? false,
      });
      await recordEvent(trx, { stream: `structure:${structureId}`, type: 'SERVICE_CREATED', actorUserId: actor.userId, data: { serviceId: id, code, name: input.name } });
      return { serviceId: id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw serviceExists(code);
    throw err;
  }
}
