import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as directory from '../../directory/index.ts';
import { errorResponses } from './support.ts';

const tags = ['Annuaire'];

const requirements = z.object({
  serviceCode: z.boolean().describe('Le code service est obligatoire'),
  ej: z.boolean().describe("Le numéro d'engagement est obligatoire"),
  ejOrServiceCode: z.boolean().describe("Le numéro d'engagement ou le code service est obligatoire"),
});

export async function directoryRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/directory', {
    schema: {
      tags,
      security: [],
      summary: 'Rechercher un destinataire public (sans authentification)',
      description: 'Structures publiques actives, par début de SIRET (3 chiffres au moins), nom (contient) et/ou début de code postal.',
      querystring: z.object({
        siret: z.string().optional(),
        name: z.string().optional(),
        postcode: z.string().optional(),
        page: z.string().optional(),
        pageSize: z.string().optional().describe('100 au plus, 20 par défaut'),
      }),
      response: {
        200: z.object({
          total: z.number(),
          page: z.number(),
          pageSize: z.number(),
          results: z.array(
            z.object({
              siret: z.string(),
              name: z.string(),
              addressLine: z.string().nullable(),
              postcode: z.string().nullable(),
              city: z.string().nullable(),
              requirements,
              services: z.array(z.object({ code: z.string(), name: z.string(), requirements })),
            }),
          ),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => directory.searchDirectory(ctx, req.query));

  api.get('/directory/export.csv', {
    schema: {
      tags,
      security: [],
      summary: "Télécharger l'annuaire complet (CSV)",
      description: "Fichier CSV séparé par des points-virgules, encodé en UTF-8 avec BOM : une ligne par structure puis une par service.",
    },
  }, async (_req, reply) => {
    const { filename, csv } = await directory.exportDirectory(ctx);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
  });
}
