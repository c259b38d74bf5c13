import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import type { DevMailbox } from '../mail/mailer.ts';
import { accountsPages } from './accounts-pages.tsx';
import { homePages } from './home-pages.tsx';
import { structuresPages } from './structures-pages.tsx';

/** The French web UI: server-rendered pages, one file per area. */
export async function registerWeb(app: FastifyInstance, deps: { ctx: Ctx; mailbox: DevMailbox | null }) {
  await homePages(app, deps);
  await accountsPages(app, deps.ctx);
  await structuresPages(app, deps.ctx);
}
