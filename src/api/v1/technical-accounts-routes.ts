import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as structures from '../../structures/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Comptes techniques'];
const credentials = z.object({
  userId: z.number(),
  login: z.string().describe('Identifiant de connexion (HTTP Basic)'),
  password: z.string().describe('Mot de passe généré, affiché une seule fois'),
  passwordExpiresAt: z.string().describe('dateExpirationMotPasseCompteTech'),
});
const toCredentials = (c: structures.TechnicalCredentials) => ({ ...c, passwordExpiresAt: c.passwordExpiresAt.toISOString() });
const accountParams = z.object({ id: z.coerce.number().int().positive(), userId: z.coerce.number().int().positive() });

export async function technicalAccountsRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/structures/:id/technical-accounts', {
    schema: {
      tags,
      summary: 'Comptes techniques de la structure et expiration de leur mot de passe',
      params: idParam,
      response: {
        200: z.object({
          technicalAccounts: z.array(z.object({ userId: z.number(), login: z.string(), label: z.string(), status: z.enum(['EN_ATTENTE_ACTIVATION', 'ACTIF', 'DESACTIVE']), passwordExpiresAt: z.string().nullable(), createdAt: z.string() })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => ({
    technicalAccounts: (await structures.listTechnicalAccounts(ctx, apiActor(req), req.params.id)).map((a) => ({
      userId: a.id,
      login: a.email,
      label: a.label,
      status: a.status,
      passwordExpiresAt: a.password_expires_at ? new Date(a.password_expires_at).toISOString() : null,
      createdAt: new Date(a.created_at).toISOString(),
    })),
  }));

  api.post('/structures/:id/technical-accounts', {
    schema: {
      tags,
      summary: 'Créer un compte technique (gestionnaire principal) ; le mot de passe est valable 424 jours',
      params: idParam,
      body: z.object({ label: z.string().optional() }),
      response: { 201: credentials, ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(toCredentials(await structures.createTechnicalAccount(ctx, apiActor(req), req.params.id, req.body))));

  api.post('/structures/:id/technical-accounts/:userId/reset-password', {
    schema: { tags, summary: "Réinitialiser le mot de passe d'un compte technique (gestionnaire principal)", params: accountParams, response: { 200: credentials, ...errorResponses } },
  }, async (req) => toCredentials(await structures.resetTechnicalAccountPassword(ctx, apiActor(req), req.params.id, req.params.userId)));

  api.post('/structures/:id/technical-accounts/:userId/deactivate', {
    schema: { tags, summary: 'Désactiver un compte technique', params: accountParams, response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses } },
  }, async (req) => {
    await structures.deactivateTechnicalAccount(ctx, apiActor(req), req.params.id, req.params.userId);
    return { ok: true as const };
  });
}
