import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as structures from '../../structures/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Engagements'];

const engagementView = z.object({
  id: z.number(),
  number: z.string(),
  state: z.enum(structures.ENGAGEMENT_STATES),
  amount: z.string().nullable().describe('Montant décimal exact en texte, ex. "48500.00"'),
  currency: z.string(),
  subject: z.string().nullable(),
  service: z.object({ code: z.string(), name: z.string() }).nullable(),
  supplier: z.object({ siret: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
});
const toEngagementView = (e: structures.EngagementRow): z.infer<typeof engagementView> => ({
  id: e.id,
  number: e.number,
  state: e.state,
  amount: e.amount,
  currency: e.currency,
  subject: e.subject,
  service: e.service_code ? { code: e.service_code, name: e.service_name ?? '' } : null,
  supplier: e.supplier_siret ? { siret: e.supplier_siret, name: e.supplier_name ?? '' } : null,
  createdAt: new Date(e.created_at).toISOString(),
});

const engagementBody = z.object({
  number: z.string().optional().describe("Numéro d'engagement juridique, 50 caractères au plus, unique dans la structure"),
  state: z.enum(structures.ENGAGEMENT_STATES).optional(),
  amount: z.string().nullable().optional().describe('Montant décimal exact en texte (jamais un nombre JSON), ex. "48500.00"'),
  currency: z.string().optional().describe('Code ISO 4217, EUR par défaut'),
  serviceCode: z.string().nullable().optional(),
  supplierSiret: z.string().nullable().optional().describe('SIRET du fournisseur, inscrit sur la plateforme'),
  subject: z.string().nullable().optional(),
});
const engagementParams = z.object({ id: z.coerce.number().int().positive(), engagementId: z.coerce.number().int().positive() });

export async function engagementsRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/structures/:id/engagements', {
    schema: {
      tags,
      summary: 'Rechercher dans le registre des engagements juridiques',
      params: idParam,
      querystring: z.object({
        number: z.string().optional().describe('Début du numéro'),
        state: z.enum(structures.ENGAGEMENT_STATES).optional(),
        serviceCode: z.string().optional(),
        supplierSiret: z.string().optional(),
        page: z.string().optional(),
        pageSize: z.string().optional(),
      }),
      response: { 200: z.object({ total: z.number(), page: z.number(), pageSize: z.number(), engagements: z.array(engagementView) }), ...errorResponses },
    },
  }, async (req) => {
    const r = await structures.searchEngagements(ctx, apiActor(req), req.params.id, req.query);
    return { total: r.total, page: r.page, pageSize: r.pageSize, engagements: r.engagements.map(toEngagementView) };
  });

  api.post('/structures/:id/engagements', {
    schema: { tags, summary: 'Enregistrer un engagement juridique', params: idParam, body: engagementBody, response: { 201: z.object({ engagementId: z.number() }), ...errorResponses } },
  }, async (req, reply) => reply.status(201).send(await structures.createEngagement(ctx, apiActor(req), req.params.id, req.body)));

  api.get('/structures/:id/engagements/:engagementId', {
    schema: { tags, summary: 'Consulter un engagement juridique', params: engagementParams, response: { 200: engagementView, ...errorResponses } },
  }, async (req) => toEngagementView((await structures.getEngagement(ctx, apiActor(req), req.params.id, req.params.engagementId)).engagement));

  api.patch('/structures/:id/engagements/:engagementId', {
    schema: { tags, summary: 'Modifier un engagement juridique ; seuls les champs transmis changent', params: engagementParams, body: engagementBody, response: { 200: engagementView, ...errorResponses } },
  }, async (req) => {
    const actor = apiActor(req);
    await structures.updateEngagement(ctx, actor, req.params.id, req.params.engagementId, req.body);
    return toEngagementView((await structures.getEngagement(ctx, actor, req.params.id, req.params.engagementId)).engagement);
  });
}
