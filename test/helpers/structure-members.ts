import type { App } from '../../src/app.ts';
import type { Actor } from '../../src/context.ts';
import { logIn } from '../../src/accounts/index.ts';
import { apiClient, PASSWORD } from './factories.ts';

/**
 * Makes a user a validated member (UTILISATEUR) of a structure with the given rights, straight in the
 * database: these tests are about what members may do, not about how they join.
 */
export async function addMember(app: App, structureId: number, member: Actor, rights: Array<{ space: string; access: 'CONSULTATION_UNIQUEMENT' | 'MODIFICATION' }> = []) {
  await app.ctx.db
    .insertInto('rattachements')
    .values({ user_id: member.userId, structure_id: structureId, status: 'VALIDEE', role: 'UTILISATEUR', decided_at: new Date() })
    .execute();
  if (rights.length)
    await app.ctx.db
      .insertInto('habilitations')
      .values(rights.map((r) => ({ user_id: member.userId, structure_id: structureId, space: r.space, access: r.access, service_id: null })))
      .execute();
}

/**
 * An API client with a fresh session opened by the log-in use case: as loggedInClient, but without
 * going through POST /sessions, whose per-address rate limit a long test file would hit.
 */
export async function apiSession(app: App, email: string, password = PASSWORD) {
  const { sessionToken, secondFactor } = await logIn(app.ctx, { email, password });
  if (secondFactor) throw new Error(`second factor ${secondFactor} expected for ${email}`);
  return Object.assign(apiClient(app, sessionToken), { token: sessionToken });
}
