import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as structures from '../../structures/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Rattachements et utilisateurs'];
const ok = z.object({ ok: z.literal(true) });
const statuses = ['EN_COURS_DE_VALIDATION', 'VALIDEE', 'REFUSEE', 'DESACTIVEE', 'SUPPRIMEE'] as const;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const serviceRef = z.object({ id: z.number(), code: z.string(), name: z.string() });

const rattachementView = z.object({
  id: z.number(),
  userId: z.number(),
  structureId: z.number(),
  status: z.enum(statuses).describe('statutRattachement'),
  role: z.enum(['GESTIONNAIRE_PRINCIPAL', 'UTILISATEUR']),
  message: z.string().nullable(),
  refusalReason: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  services: z.array(serviceRef),
});
const memberView = rattachementView.extend({ email: z.string(), firstName: z.string(), lastName: z.string(), isTechnical: z.boolean() });
const myRattachementView = rattachementView.extend({ structureName: z.string(), structureIdentifier: z.string() });

type Row = Awaited<ReturnType<typeof structures.listRattachements>>[number];
const toView = (r: Omit<Row, 'email' | 'first_name' | 'last_name' | 'is_technical' | 'user_status'>) => ({
  id: r.id,
  userId: r.user_id,
  structureId: r.structure_id,
  status: r.status,
  role: r.role,
  message: r.message,
  refusalReason: r.refusal_reason,
  requestedAt: iso(r.requested_at)!,
  decidedAt: iso(r.decided_at),
  services: r.services,
});
const toMemberView = (r: Row) => ({ ...toView(r), email: r.email, firstName: r.first_name, lastName: r.last_name, isTechnical: r.is_technical });

const rattachementParams = z.object({ id: z.coerce.number().int().positive(), rid: z.coerce.number().int().positive() });
const memberParams = z.object({ id: z.coerce.number().int().positive(), userId: z.coerce.number().int().positive() });

export async function membersRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/structures/search-to-join', {
    schema: {
      tags,
      summary: 'Chercher une structure à rejoindre (au moins 3 caractères du SIRET, ou la raison sociale exacte)',
      querystring: z.object({ q: z.string().optional() }),
      response: {
        200: z.object({
          structures: z.array(z.object({
            id: z.number(), name: z.string(), identifierType: z.string(), identifier: z.string(), kind: z.enum(['PRIVEE', 'PUBLIQUE']),
            postcode: z.string().nullable(), city: z.string().nullable(), myStatus: z.enum(statuses).nullable(), services: z.array(serviceRef),
          })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    const found = await structures.searchStructuresToJoin(ctx, apiActor(req), req.query);
    return { structures: found.map((s) => ({ id: s.id, name: s.name, identifierType: s.identifier_type, identifier: s.identifier, kind: s.kind, postcode: s.postcode, city: s.city, myStatus: s.myStatus, services: s.services })) };
  });

  api.post('/structures/:id/rattachements', {
    schema: {
      tags,
      summary: 'Demander mon rattachement à une structure (et éventuellement à certains de ses services)',
      params: idParam,
      body: z.object({ message: z.string().optional(), serviceIds: z.array(z.number()).optional() }),
      response: { 201: z.object({ rattachementId: z.number() }), ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await structures.requestRattachement(ctx, apiActor(req), req.params.id, req.body)));

  api.get('/me/rattachements', {
    schema: { tags, summary: 'Mes rattachements et leurs statuts', response: { 200: z.object({ rattachements: z.array(myRattachementView) }), ...errorResponses } },
  }, async (req) => {
    const rows = await structures.listMyRattachements(ctx, apiActor(req));
    return { rattachements: rows.map((r) => ({ ...toView(r), structureName: r.structure_name, structureIdentifier: r.structure_identifier })) };
  });

  api.get('/structures/:id/rattachements', {
    schema: {
      tags,
      summary: 'Rattachements de la structure (gestionnaire principal), filtrables par statut',
      params: idParam,
      querystring: z.object({ status: z.enum(statuses).optional() }),
      response: { 200: z.object({ rattachements: z.array(memberView) }), ...errorResponses },
    },
  }, async (req) => ({ rattachements: (await structures.listRattachements(ctx, apiActor(req), req.params.id, req.query)).map(toMemberView) }));

  api.post('/structures/:id/rattachements/:rid/approve', {
    schema: { tags, summary: 'Approuver une demande de rattachement', params: rattachementParams, response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await structures.approveRattachement(ctx, apiActor(req), req.params.id, req.params.rid);
    return { ok: true as const };
  });

  api.post('/structures/:id/rattachements/:rid/refuse', {
    schema: { tags, summary: 'Refuser une demande de rattachement, avec un motif', params: rattachementParams, body: z.object({ reason: z.string().optional() }), response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await structures.refuseRattachement(ctx, apiActor(req), req.params.id, req.params.rid, req.body);
    return { ok: true as const };
  });

  api.delete('/structures/:id/rattachements/:rid', {
    schema: { tags, summary: 'Supprimer un rattachement (statut SUPPRIMEE)', params: rattachementParams, response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await structures.deleteRattachement(ctx, apiActor(req), req.params.id, req.params.rid);
    return { ok: true as const };
  });

  api.get('/structures/:id/members', {
    schema: { tags, summary: 'Utilisateurs rattachés à la structure', params: idParam, response: { 200: z.object({ members: z.array(memberView) }), ...errorResponses } },
  }, async (req) => ({ members: (await structures.listMembers(ctx, apiActor(req), req.params.id)).map(toMemberView) }));

  api.post('/structures/:id/members', {
    schema: {
      tags,
      summary: 'Rattacher directement un utilisateur existant par son adresse électronique',
      params: idParam,
      body: z.object({ email: z.string() }),
      response: { 201: z.object({ userId: z.number(), rattachementId: z.number() }), ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await structures.attachUser(ctx, apiActor(req), req.params.id, req.body)));

  api.delete('/structures/:id/members/:userId', {
    schema: { tags, summary: 'Détacher un utilisateur (statut DESACTIVEE ; ses droits sont retirés)', params: memberParams, response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await structures.detachUser(ctx, apiActor(req), req.params.id, req.params.userId);
    return { ok: true as const };
  });

  api.post('/structures/:id/principal-manager', {
    schema: {
      tags,
      summary: 'Transférer le rôle de gestionnaire principal à un autre utilisateur rattaché',
      params: idParam,
      body: z.object({ userId: z.number() }),
      response: { 200: ok, ...errorResponses },
    },
  }, async (req) => {
    await structures.transferPrincipalManager(ctx, apiActor(req), req.params.id, req.body);
    return { ok: true as const };
  });
}
