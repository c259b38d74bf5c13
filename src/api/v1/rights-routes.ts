import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as structures from '../../structures/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Droits (habilitations)'];
const access = z.enum(structures.ACCESS_LEVELS).describe('typeHabilitation');
const space = z.enum(structures.SPACE_CODES).describe("Code de l'espace");
const habilitation = z.object({ space, access, serviceId: z.number().nullable().optional().describe('Droit limité à un service (sinon toute la structure)') });
const habilitationOut = z.object({ space: z.string(), access, serviceId: z.number().nullable() });
const memberParams = z.object({ id: z.coerce.number().int().positive(), userId: z.coerce.number().int().positive() });
const memberRights = z.object({ userId: z.number(), role: z.enum(['GESTIONNAIRE_PRINCIPAL', 'UTILISATEUR']), habilitations: z.array(habilitationOut) });
const openSpace = z.object({ space, label: z.string(), access, serviceIds: z.array(z.number()).nullable() });

export async function rightsRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/structures/:id/members/:userId/habilitations', {
    schema: { tags, summary: "Droits d'un utilisateur de la structure", params: memberParams, response: { 200: memberRights, ...errorResponses } },
  }, async (req) => structures.getHabilitations(ctx, apiActor(req), req.params.id, req.params.userId));

  api.put('/structures/:id/members/:userId/habilitations', {
    schema: {
      tags,
      summary: "Remplacer l'ensemble des droits d'un utilisateur (gestionnaire principal)",
      params: memberParams,
      body: z.object({ habilitations: z.array(habilitation) }),
      response: { 200: memberRights, ...errorResponses },
    },
  }, async (req) => {
    const actor = apiActor(req);
    await structures.setHabilitations(ctx, actor, req.params.id, req.params.userId, req.body);
    return structures.getHabilitations(ctx, actor, req.params.id, req.params.userId);
  });

  api.get('/structures/:id/habilitations', {
    schema: {
      tags,
      summary: 'Matrice des droits : utilisateurs × espaces',
      params: idParam,
      response: {
        200: z.object({
          spaces: z.array(z.string()),
          members: z.array(z.object({ userId: z.number(), email: z.string(), firstName: z.string(), lastName: z.string(), role: z.string(), isTechnical: z.boolean(), habilitations: z.array(habilitationOut) })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    const { spaces, members } = await structures.getRightsMatrix(ctx, apiActor(req), req.params.id);
    return { spaces, members };
  });

  api.post('/structures/:id/habilitations/bulk', {
    schema: {
      tags,
      summary: 'Abonner plusieurs utilisateurs à un espace en une fois',
      params: idParam,
      body: z.object({ userIds: z.array(z.number()), space, access }),
      response: { 200: z.object({ subscribed: z.number() }), ...errorResponses },
    },
  }, async (req) => structures.subscribeSpaces(ctx, apiActor(req), req.params.id, req.body));

  api.post('/structures/:id/habilitations/copy', {
    schema: {
      tags,
      summary: "Copier les droits d'un utilisateur vers un autre (duplication des droits)",
      params: idParam,
      body: z.object({ fromUserId: z.number(), toUserId: z.number() }),
      response: { 200: z.object({ habilitations: z.array(habilitationOut) }), ...errorResponses },
    },
  }, async (req) => ({ habilitations: await structures.copyHabilitations(ctx, apiActor(req), req.params.id, req.body) }));

  api.get('/structures/:id/my-spaces', {
    schema: { tags, summary: 'Les espaces que je peux ouvrir dans la structure, avec mon niveau de droit', params: idParam, response: { 200: z.object({ role: z.string(), spaces: z.array(openSpace) }), ...errorResponses } },
  }, async (req) => {
    const { role, spaces } = await structures.listMySpaces(ctx, apiActor(req), req.params.id);
    return { role, spaces };
  });

  api.get('/structures/:id/my-spaces/:space', {
    schema: {
      tags,
      summary: "Ouvrir un espace de la structure (403 sans droit de consultation)",
      params: z.object({ id: z.coerce.number().int().positive(), space }),
      response: { 200: openSpace, ...errorResponses },
    },
  }, async (req) => structures.openSpace(ctx, apiActor(req), req.params.id, req.params.space));
}
