import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as structures from '../../structures/index.ts';
import { STRUCTURE_IDENTIFIER_TYPES } from '../../shared/identifiers.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Structures'];

export const structureView = z.object({
  id: z.number(),
  identifierType: z.enum(STRUCTURE_IDENTIFIER_TYPES),
  identifier: z.string(),
  siren: z.string().nullable(),
  vatNumber: z.string().nullable(),
  name: z.string(),
  kind: z.enum(['PRIVEE', 'PUBLIQUE']),
  status: z.enum(['ACTIVE', 'INACTIVE']),
  addressLine: z.string().nullable(),
  postcode: z.string().nullable(),
  city: z.string().nullable(),
  countryCode: z.string(),
  contactEmail: z.string().nullable(),
  parameters: z.object({
    codeServiceDoitEtreRenseigne: z.boolean(),
    numeroEJDoitEtreRenseigne: z.boolean(),
    gestionNumeroEJOuCodeService: z.boolean(),
    estMOA: z.boolean(),
    estMOAUniquement: z.boolean(),
    statutMiseEnPaiementNestPasRemonte: z.boolean(),
    doubleAuthentificationObligatoire: z.boolean(),
  }),
});

export function toStructureView(s: Awaited<ReturnType<typeof structures.findStructure>> & {}): z.infer<typeof structureView> {
  return {
    id: s.id,
    identifierType: s.identifier_type,
    identifier: s.identifier,
    siren: s.siren,
    vatNumber: s.vat_number,
    name: s.name,
    kind: s.kind,
    status: s.status,
    addressLine: s.address_line,
    postcode: s.postcode,
    city: s.city,
    countryCode: s.country_code,
    contactEmail: s.contact_email,
    parameters: {
      codeServiceDoitEtreRenseigne: s.code_service_doit_etre_renseigne,
      numeroEJDoitEtreRenseigne: s.numero_ej_doit_etre_renseigne,
      gestionNumeroEJOuCodeService: s.gestion_numero_ej_ou_code_service,
      estMOA: s.est_moa,
      estMOAUniquement: s.est_moa_uniquement,
      statutMiseEnPaiementNestPasRemonte: s.statut_mise_en_paiement_ne_remonte_pas,
      doubleAuthentificationObligatoire: s.totp_required,
    },
  };
}

export async function structuresRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/structures', {
    schema: {
      tags,
      summary: 'Créer une structure (son créateur en devient le gestionnaire principal)',
      body: z.object({
        identifierType: z.enum(STRUCTURE_IDENTIFIER_TYPES),
        identifier: z.string(),
        name: z.string(),
        kind: z.enum(['PRIVEE', 'PUBLIQUE']),
        addressLine: z.string().optional(),
        postcode: z.string().optional(),
        city: z.string().optional(),
        countryCode: z.string().optional(),
        contactEmail: z.string().optional(),
        vatNumber: z.string().optional(),
      }),
      response: { 201: z.object({ structureId: z.number() }), ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await structures.createStructure(ctx, apiActor(req), req.body)));

  api.get('/structures', {
    schema: {
      tags,
      summary: 'Mes structures (rattachements validés)',
      response: { 200: z.object({ structures: z.array(z.object({ id: z.number(), name: z.string(), identifier: z.string(), kind: z.string(), role: z.string() })) }), ...errorResponses },
    },
  }, async (req) => {
    const rows = await structures.listStructuresOfUser(ctx.db, apiActor(req).userId);
    return { structures: rows.map((r) => ({ id: r.id, name: r.name, identifier: r.identifier, kind: r.kind, role: r.role })) };
  });

  api.get('/structures/:id', {
    schema: { tags, summary: 'Consulter une structure', params: idParam, response: { 200: structureView, ...errorResponses } },
  }, async (req) => toStructureView((await structures.getStructure(ctx, apiActor(req), req.params.id)).structure));

  api.patch('/structures/:id', {
    schema: {
      tags,
      summary: 'Modifier une structure et ses paramètres (gestionnaire principal)',
      description: 'Seuls les champs transmis changent. Les paramètres de facturation ne concernent que les structures publiques.',
      params: idParam,
      body: z.object({
        name: z.string().optional(),
        addressLine: z.string().nullable().optional(),
        postcode: z.string().nullable().optional(),
        city: z.string().nullable().optional(),
        contactEmail: z.string().nullable().optional(),
        status: z.enum(['ACTIVE', 'INACTIVE']).optional(),
        parameters: z
          .object({
            codeServiceDoitEtreRenseigne: z.boolean().optional(),
            numeroEJDoitEtreRenseigne: z.boolean().optional(),
            gestionNumeroEJOuCodeService: z.boolean().optional(),
            estMOA: z.boolean().optional(),
            estMOAUniquement: z.boolean().optional(),
            statutMiseEnPaiementNestPasRemonte: z.boolean().optional(),
            doubleAuthentificationObligatoire: z.boolean().optional(),
          })
          .optional(),
      }),
      response: { 200: structureView, ...errorResponses },
    },
  }, async (req) => {
    const actor = apiActor(req);
    await structures.editStructure(ctx, actor, req.params.id, req.body);
    return toStructureView((await structures.getStructure(ctx, actor, req.params.id)).structure);
  });

  api.get('/structures/:id/history', {
    schema: {
      tags,
      summary: 'Activités du gestionnaire : historique de la structure',
      params: idParam,
      response: {
        200: z.object({
          events: z.array(
            z.object({
              id: z.number(),
              type: z.string().describe('Ex. STRUCTURE_EDITED, SERVICE_CREATED, ENGAGEMENT_UPDATED'),
              data: z.record(z.string(), z.unknown()),
              createdAt: z.string().describe('Horodatage ISO 8601 (UTC)'),
              actor: z.object({ name: z.string(), email: z.string() }).nullable(),
            }),
          ),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    const { events } = await structures.listStructureHistory(ctx, apiActor(req), req.params.id);
    return {
      events: events.map((e) => ({
        id: Number(e.id),
        type: e.type,
        data: e.data,
        createdAt: new Date(e.created_at).toISOString(),
        actor: e.email ? { name: `${e.first_name ?? ''} ${e.last_name ?? ''}`.trim(), email: e.email } : null,
      })),
    };
  });
}
