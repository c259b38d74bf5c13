import type { Actor, Ctx } from '../context.ts';
import { listTechnicalAccounts as listRows } from './members-repository.ts';
import { authorizeOn } from './authorize-on.ts';

/** The technical accounts of a structure, with the expiry date of their password. */
export async function listTechnicalAccounts(ctx: Ctx, actor: Actor, structureId: number) {
  await authorizeOn(ctx.db, actor, structureId, 'technicalAccounts.manage');
  return listRows(ctx.db, structureId);
}
