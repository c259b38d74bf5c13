import type { Actor, Ctx } from '../context.ts';
import { structureFor } from './structure-access.ts';
import { listServicesOf } from './services-repository.ts';

/** The services of a structure, for its members (private structures have none). */
export async function listServices(ctx: Ctx, actor: Actor, structureId: number) {
  const { structure, membership } = await structureFor(ctx, actor, structureId, 'services.view');
  const services = structure.kind === 'PUBLIQUE' ? await listServicesOf(ctx.db, structureId) : [];
  return { structure, membership, services };
}
