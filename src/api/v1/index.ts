import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';
import { accountsRoutes } from './accounts-routes.ts';
import { structuresRoutes } from './structures-routes.ts';
import { servicesRoutes } from './services-routes.ts';
import { engagementsRoutes } from './engagements-routes.ts';
import { directoryRoutes } from './directory-routes.ts';
import { membersRoutes } from './members-routes.ts';
import { rightsRoutes } from './rights-routes.ts';
import { technicalAccountsRoutes } from './technical-accounts-routes.ts';
import { invoicesRoutes } from './invoices-routes.ts';
import { dumeRoutes } from './dume-routes.ts';
import { contractsRoutes } from './contracts-routes.ts';
import { invoiceDepositsRoutes } from './invoice-deposits-routes.ts';
import { oauthClientsRoutes } from './oauth-clients-routes.ts';
import { validationRoutes } from './validation-routes.ts';
import { worksRoutes } from './works-routes.ts';
import { notificationsRoutes } from './notifications-routes.ts';

/** The native JSON API: one routes file per area. */
export async function registerApiV1(api: FastifyInstance, ctx: Ctx) {
  await accountsRoutes(api, ctx);
  await structuresRoutes(api, ctx);
  await servicesRoutes(api, ctx);
  await engagementsRoutes(api, ctx);
  await directoryRoutes(api, ctx);
  await membersRoutes(api, ctx);
  await rightsRoutes(api, ctx);
  await technicalAccountsRoutes(api, ctx);
  await invoicesRoutes(api, ctx);
  await contractsRoutes(api, ctx);
  await invoiceDepositsRoutes(api, ctx);
  await oauthClientsRoutes(api, ctx);
  await dumeRoutes(api, ctx);
  await validationRoutes(api, ctx);
  await worksRoutes(api, ctx);
  await notificationsRoutes(api, ctx);
}
