import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Ctx } from '../context.ts';
import type { CurrentUser } from '../accounts/index.ts';
import { countUnread } from '../notifications/index.ts';

export interface PageContext {
  actor: Actor;
  user: CurrentUser;
  unread: number;
  csrf: string;
}

/**
 * The signed-in user of a page, or a redirect: to the login page, or to the second-factor step
 * the session still owes. Returns null when it redirected.
 */
export async function requirePage(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): Promise<PageContext | null> {
  const s = req.auth.session;
  if (!s) {
    const back = req.method === 'GET' ? `?retour=${encodeURIComponent(req.url)}` : '';
    await reply.status(303).redirect(`/connexion${back}`);
    return null;
  }
  if (s.pendingSecondFactor === 'VERIFY') {
    await reply.status(303).redirect('/connexion/code');
    return null;
  }
  if (s.pendingSecondFactor === 'ENROL') {
    await reply.status(303).redirect('/compte/double-authentification');
    return null;
  }
  if (s.user.isTechnical) {
    await reply.status(303).redirect('/connexion?technique=1');
    return null;
  }
  return { actor: req.auth.actor!, user: s.user, unread: await countUnread(ctx.db, s.user.id), csrf: reply.generateCsrf() };
}

/** A local path to go back to after login (never another site). */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/';
}
