import type { FastifyRequest } from 'fastify';
import type { Actor, Ctx } from '../context.ts';
import { authenticateSession, authenticateTechnicalAccount, type SessionState } from '../accounts/index.ts';

export const SESSION_COOKIE = 'ouvrage_session';

export interface RequestAuth {
  /** The session of the browser (cookie) or of an API client (Bearer token). */
  session: SessionState | null;
  /** The acting user once fully authenticated (second factor done). */
  actor: Actor | null;
  via: 'cookie' | 'bearer' | 'basic' | null;
  sessionToken: string | null;
}

/**
 * Browsers authenticate with the session cookie (web routes only); API clients with
 * `Authorization: Bearer <session token>` or, for technical accounts, `Basic`.
 */
export async function resolveAuth(ctx: Ctx, req: FastifyRequest): Promise<RequestAuth> {
  const none: RequestAuth = { session: null, actor: null, via: null, sessionToken: null };
  const isApi = req.url.startsWith('/api/');
  const header = req.headers.authorization;
  if (isApi) {
    if (header?.startsWith('Bearer ')) {
      const token = header.slice(7).trim();
      const session = await authenticateSession(ctx, token);
      if (!session) return none;
      return { session, actor: session.pendingSecondFactor ? null : { userId: session.user.id, isTechnical: session.user.isTechnical }, via: 'bearer', sessionToken: token };
    }
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 1) return none;
      const userId = await authenticateTechnicalAccount(ctx, decoded.slice(0, colon), decoded.slice(colon + 1));
      return userId ? { session: null, actor: { userId, isTechnical: true }, via: 'basic', sessionToken: null } : none;
    }
    return none;
  }
  const token = req.cookies?.[SESSION_COOKIE];
  if (!token) return none;
  const session = await authenticateSession(ctx, token);
  if (!session) return none;
  return { session, actor: session.pendingSecondFactor ? null : { userId: session.user.id, isTechnical: session.user.isTechnical }, via: 'cookie', sessionToken: token };
}
