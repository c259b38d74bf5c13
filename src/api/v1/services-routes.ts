import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as structures from '../../structures/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Services'];

const serviceView = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  validFrom: z.string().nullable().describe('AAAA-MM-JJ'),
  validTo: z.string().nullable().describe('AAAA-MM-JJ'),
  active: z.boolean(),
  numeroEjDoitEtreRenseigne: z.boolean().describe("Le numéro d'engagement est obligatoire pour ce service"),
});
type ServiceRow = Awaited<ReturnType<typeof structures.listServicesOf>>[number];
const toServiceView = (s: ServiceRow): z.infer<typeof serviceView> => ({
  id: s.id,
  code: s.code,
  name: s.name,
  description: s.description,
  validFrom: s.valid_from,
  validTo: s.valid_to,
  active: s.active,
  numeroEjDoitEtreRenseigne: s.numero_ej_doit_etre_renseigne,
});

const serviceBody = z.object({
  code: z.string().optional().describe('Lettres, chiffres, - et _ ; 100 caractères au plus ; unique dans la structure'),
  name: z.string().optional(),
  description: z.string().nullable().optional(),
  validFrom: z.string().nullable().optional().describe('AAAA-MM-JJ'),
  validTo: z.string().nullable().optional().describe('AAAA-MM-JJ, postérieure ou égale à validFrom'),
  active: z.boolean().optional(),
  numeroEjDoitEtreRenseigne: z.boolean().optional(),
});
const serviceParams = z.object({ id: z.coerce.number().int().positive(), serviceId: z.coerce.number().int().positive() });

export async function servicesRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/structures/:id/services', {
    schema: { tags, summary: "Services d'une structure publique (membres)", params: idParam, response: { 200: z.object({ services: z.array(serviceView) }), ...errorResponses } },
  }, async (req) => ({ services: (await structures.listServices(ctx, apiActor(req), req.params.id)).services.map(toServiceView) }));

  api.post('/structures/:id/services', {
    schema: {
      tags,
      summary: 'Créer un service (gestionnaire principal, structure publique)',
      params: idParam,
      body: serviceBody,
      response: { 201: z.object({ serviceId: z.number() }), ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await structures.createService(ctx, apiActor(req), req.params.id, req.body)));

  api.patch('/structures/:id/services/:serviceId', {
    schema: {
      tags,
      summary: 'Modifier un service (gestionnaire principal) ; seuls les champs transmis changent',
      params: serviceParams,
      body: serviceBody,
      response: { 200: serviceView, ...errorResponses },
    },
  }, async (req) => {
    const actor = apiActor(req);
    await structures.updateService(ctx, actor, req.params.id, req.params.serviceId, req.body);
    const { services } = await structures.listServices(ctx, actor, req.params.id);
    return toServiceView(services.find((s) => s.id === req.params.serviceId)!);
  });
}
