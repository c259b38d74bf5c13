import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';
import { accountsRoutes } from './accounts-routes.ts';
import { structuresRoutes } from './structures-routes.ts';

/** The native JSON API: one routes file per module. */
export async function registerApiV1(api: FastifyInstance, ctx: Ctx) {
  await accountsRoutes(api, ctx);
  await structuresRoutes(api, ctx);
}
