import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Child } from 'hono/jsx';
import type { Ctx } from '../context.ts';
import { can, type Membership } from '../structures/index.ts';
import { AppError } from '../shared/app-error.ts';
import { Layout, StructureNav, type StructureTab } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';

/** The signed-in page context and the structure id of the URL (unknown ids are NOT_FOUND). */
export async function structurePage(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): Promise<{ page: PageContext; id: number } | null> {
  const page = await requirePage(ctx, req, reply);
  if (!page) return null;
  return { page, id: positiveId((req.params as Record<string, string>).id) };
}

export function positiveId(raw: string | undefined, what = 'Structure'): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('NOT_FOUND', 'NOT_FOUND', `${what} introuvable.`);
  return id;
}

/** The tabs a member may open, following the permissions table. */
export function visibleTabs(s: { kind: string }, m: Membership): StructureTab[] {
  const tabs: StructureTab[] = ['overview', 'spaces', 'parameters'];
  if (s.kind === 'PUBLIQUE') tabs.push('services');
  if (s.kind === 'PUBLIQUE' && can(m, 'engagements.view')) tabs.push('engagements');
  if (can(m, 'members.view')) tabs.push('members');
  if (can(m, 'rights.manage')) tabs.push('rights');
  if (can(m, 'technicalAccounts.manage')) tabs.push('technical', 'oauth');
  if (can(m, 'history.view')) tabs.push('history');
  return tabs;
}

interface FrameProps {
  page: PageContext;
  structure: { id: number; name: string; kind: string };
  membership: Membership;
  current: StructureTab;
  title: string;
  flash?: string;
  children?: Child;
}

/** A structure's page: layout, the structure's name, its tabs, then the tab's content. */
export const StructureFrame = ({ page, structure, membership, current, title, flash, children }: FrameProps) => (
  <Layout title={`${title} — ${structure.name}`} user={page.user} unread={page.unread} flash={flash}>
    <p class="hint"><a href="/structures">Mes structures</a></p>
    <h1>{structure.name}</h1>
    <StructureNav structureId={structure.id} current={current} visible={visibleTabs(structure, membership)} />
    {children}
  </Layout>
);

/** '2026-11-28' → '28/11/2026'. */
export const frenchDay = (iso: string | null) => (iso ? iso.split('-').reverse().join('/') : '—');
export const yesNo = (b: boolean) => (b ? 'Oui' : 'Non');
/** A flash message passed in the query string after a redirect (only known keys are shown). */
export const flashOf = (req: FastifyRequest, messages: Record<string, string>) => messages[String((req.query as Record<string, unknown>)?.ok ?? '')];
