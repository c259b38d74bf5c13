import type { Actor, Ctx } from '../context.ts';
import { listStructuresOfUser } from '../structures/index.ts';
import { checkCompleteness } from './completeness.ts';
import { DUME_NUMBER } from './model.ts';
import { dumeNotFound, dumeStructure, seesDumesOf } from './permissions.ts';
import { findRequest, findRequestByNumber, findResponse, findResponseByNumber, listDumes, responsesOfStructure, type DumeListFilter } from './repository.ts';

/** A request, for the members of the buyer's structure (drafts included). */
export async function getRequest(ctx: Ctx, actor: Actor, requestId: number) {
  const r = await findRequest(ctx.db, requestId);
  if (!r) throw dumeNotFound('DUME acheteur');
  const { membership } = await dumeStructure(ctx.db, actor, r.structure_id, 'dume.view');
  return { request: r, canEdit: (await seesDumesOf(ctx.db, actor, r.structure_id)).edit, membership };
}

/** A published request by its number: what the shareable link opens, for any signed-in user. */
export async function getPublishedRequest(ctx: Ctx, actor: Actor, number: string) {
  const n = number.trim().toLowerCase();
  const r = DUME_NUMBER.test(n) ? await findRequestByNumber(ctx.db, n) : undefined;
  if (!r || r.status !== 'PUBLIEE') throw dumeNotFound('DUME acheteur');
  void actor;
  return r;
}

/**
 * A response, for the members of the company, and for the buyer's members once it is finalised
 * (the buyer platform reads the DUMEs of the candidates).
 */
export async function getResponse(ctx: Ctx, actor: Actor, ref: { id: number } | { number: string }) {
  const r = 'id' in ref ? await findResponse(ctx.db, ref.id) : DUME_NUMBER.test(ref.number.trim().toLowerCase()) ? await findResponseByNumber(ctx.db, ref.number.trim().toLowerCase()) : undefined;
  if (!r) throw dumeNotFound('DUME opérateur économique');
  const company = await seesDumesOf(ctx.db, actor, r.structure_id);
  const buyer = r.request_structure_id && r.status === 'FINALISEE' ? await seesDumesOf(ctx.db, actor, r.request_structure_id) : { view: false, edit: false };
  if (!company.view && !buyer.view) {
    // members without the right get FORBIDDEN, outsiders NOT_FOUND
    await dumeStructure(ctx.db, actor, r.structure_id, 'dume.view');
    throw dumeNotFound('DUME opérateur économique');
  }
  const request = r.request_id ? await findRequest(ctx.db, r.request_id) : undefined;
  const missing = request ? checkCompleteness(r.model, request.model) : [];
  return { response: r, request, missing, canEdit: company.edit && r.status === 'BROUILLON', isCompany: company.view };
}

/** The DUMEs of the actor's structures (where he has the DUME space), with a text search. */
export async function searchDumes(ctx: Ctx, actor: Actor, f: { text?: string; kind?: 'DEMANDE' | 'REPONSE'; structureId?: number }) {
  const structures = f.structureId ? [{ id: f.structureId }] : await listStructuresOfUser(ctx.db, actor.userId);
  const visible: number[] = [];
  for (const s of structures) if ((await seesDumesOf(ctx.db, actor, s.id)).view) visible.push(s.id);
  if (f.structureId && !visible.length) await dumeStructure(ctx.db, actor, f.structureId, 'dume.view');
  const filter: DumeListFilter = { structureIds: visible, ...(f.text?.trim() ? { text: f.text.trim() } : {}), ...(f.kind ? { kind: f.kind } : {}) };
  return listDumes(ctx.db, filter);
}

/** Earlier responses a structure may reuse or merge. */
export async function earlierResponses(ctx: Ctx, actor: Actor, structureId: number) {
  await dumeStructure(ctx.db, actor, structureId, 'dume.view');
  return responsesOfStructure(ctx.db, structureId);
}

/** What the actor may do with a structure's DUMEs (without throwing). */
export const dumeRights = (ctx: Ctx, actor: Actor, structureId: number) => seesDumesOf(ctx.db, actor, structureId);
