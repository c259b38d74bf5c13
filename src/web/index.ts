import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import type { DevMailbox } from '../mail/mailer.ts';
import { accountsPages } from './accounts-pages.tsx';
import { homePages } from './home-pages.tsx';
import { structuresPages } from './structures-pages.tsx';
import { servicesPages } from './services-pages.tsx';
import { engagementsPages } from './engagements-pages.tsx';
import { directoryPages } from './directory-pages.tsx';
import { membersPages } from './members-pages.tsx';
import { rightsPages } from './rights-pages.tsx';
import { technicalAccountsPages } from './technical-accounts-pages.tsx';
import { oauthClientsPages } from './oauth-clients-pages.tsx';
import { invoicesPages } from './invoices-pages.tsx';
import { invoiceDepositsPages } from './invoice-deposits-pages.tsx';
import { invoicePdfPages } from './invoice-pdf-pages.tsx';
import { contractsPages } from './contracts-pages.tsx';
import { validationPages } from './validation-pages.tsx';
import { dumePages } from './dume-pages.tsx';
import { notificationsPages } from './notifications-pages.tsx';
import { worksPages } from './works-pages.tsx';

/** The French web UI: server-rendered pages, one file per area. */
export async function registerWeb(app: FastifyInstance, deps: { ctx: Ctx; mailbox: DevMailbox | null }) {
  // Pages are not part of the API: keep them out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...(route.schema ?? {}), hide: true } as typeof route.schema;
  });
  await homePages(app, deps);
  await accountsPages(app, deps.ctx);
  await structuresPages(app, deps.ctx);
  await servicesPages(app, deps.ctx);
  await engagementsPages(app, deps.ctx);
  await directoryPages(app, deps.ctx);
  await membersPages(app, deps.ctx);
  await rightsPages(app, deps.ctx);
  await technicalAccountsPages(app, deps.ctx);
  await oauthClientsPages(app, deps.ctx);
  await invoicesPages(app, deps.ctx);
  await invoiceDepositsPages(app, deps.ctx);
  await invoicePdfPages(app, deps.ctx);
  await contractsPages(app, deps.ctx);
  await validationPages(app, deps.ctx);
  await dumePages(app, deps.ctx);
  await notificationsPages(app, deps.ctx);
  await worksPages(app, deps.ctx);
}
