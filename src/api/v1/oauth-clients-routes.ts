import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as cpro from '../../cpro/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Raccordement API (Chorus Pro)'];

/** The applications (OAuth2 clients) of a structure for the Chorus-Pro-compatible API, managed by its principal manager. */
export async function oauthClientsRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/structures/:id/oauth-clients', {
    schema: {
      tags, summary: 'Applications déclarées pour l’API compatible Chorus Pro (sans leur secret)', params: idParam,
      response: { 200: z.object({ oauthClients: z.array(z.object({ id: z.number(), clientId: z.string(), label: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() })) }), ...errorResponses },
    },
  }, async (req) => ({
    oauthClients: (await cpro.listOAuthClients(ctx, apiActor(req), req.params.id)).map((c) => ({ ...c, createdAt: c.createdAt.toISOString(), revokedAt: c.revokedAt?.toISOString() ?? null })),
  }));

  api.post('/structures/:id/oauth-clients', {
    schema: {
      tags, summary: 'Déclarer une application (gestionnaire principal) : client_id et client_secret, le secret est affiché une seule fois', params: idParam,
      body: z.object({ label: z.string() }),
      response: { 201: z.object({ id: z.number(), clientId: z.string(), clientSecret: z.string(), label: z.string() }), ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await cpro.createOAuthClient(ctx, apiActor(req), req.params.id, req.body)));

  api.post('/structures/:id/oauth-clients/:clientRowId/revoke', {
    schema: {
      tags, summary: 'Révoquer une application : son secret et ses jetons cessent de fonctionner', params: z.object({ id: z.coerce.number().int().positive(), clientRowId: z.coerce.number().int().positive() }),
      response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
    },
  }, async (req) => {
    await cpro.revokeOAuthClient(ctx, apiActor(req), req.params.id, req.params.clientRowId);
    return { ok: true as const };
  });
}
