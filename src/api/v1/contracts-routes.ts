import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as contracts from '../../contracts/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Marchés'];
const structureRef = z.object({ id: z.number(), name: z.string(), identifier: z.string() });
const contractView = z.object({
  id: z.number(),
  number: z.string(),
  subject: z.string(),
  buyer: structureRef,
  service: z.object({ code: z.string(), name: z.string() }).nullable(),
  ejNumbers: z.array(z.string()),
  groupementKind: z.enum(contracts.GROUPEMENT_KINDS).nullable().describe('null : titulaire seul'),
  version: z.number().describe('1 à la création, +1 par avenant'),
  parties: z.array(z.object({
    structure: structureRef,
    role: z.string().describe('TITULAIRE, MANDATAIRE, COTRAITANT, SOUS_TRAITANT'),
    roleLabel: z.string(),
    directPayment: z.boolean(),
    rank: z.number().nullable(),
    acceptedAmount: z.string().nullable().describe("Montant HT accepté par l'acte spécial, décimal exact en texte"),
    subcontractedBy: structureRef.nullable(),
  })),
});
const contractBody = z.object({
  number: z.string(),
  subject: z.string(),
  buyerSiret: z.string().optional().describe("SIRET de l'acheteur public (ignoré pour un avenant)"),
  serviceCode: z.string().nullable().optional(),
  ejNumbers: z.array(z.string()).optional(),
  groupementKind: z.enum(contracts.GROUPEMENT_KINDS).nullable().optional(),
  titulaireSiret: z.string().describe('Titulaire, ou mandataire du groupement'),
  coContractors: z.array(z.object({ siret: z.string() })).optional(),
  subcontractors: z.array(z.object({ siret: z.string(), directPayment: z.boolean().optional(), acceptedAmount: z.string().nullable().optional(), subcontractedBySiret: z.string() })).optional(),
  summary: z.string().nullable().optional().describe("Objet de l'avenant"),
});
const historyView = z.array(z.object({ version: z.number(), kind: z.string(), summary: z.string().nullable(), at: z.string(), actor: z.string().nullable(), snapshot: z.record(z.string(), z.unknown()) }));

export async function contractsRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const detail = async (actor: ReturnType<typeof apiActor>, id: number) => {
    const g = await contracts.getContract(ctx, actor, id);
    return { ...g.contract, history: g.history.map((h) => ({ ...h, at: h.at.toISOString() })) };
  };

  api.get('/structures/:id/contracts', {
    schema: { tags, summary: "Les marchés d'une structure (acheteur ou partie)", params: idParam, response: { 200: z.object({ contracts: z.array(contractView) }), ...errorResponses } },
  }, async (req) => ({ contracts: await contracts.listContracts(ctx, apiActor(req), req.params.id) }));

  api.post('/contracts', {
    schema: { tags, summary: "Enregistrer un marché (par l'acheteur ou le titulaire)", body: contractBody, response: { 201: z.object({ contractId: z.number() }), ...errorResponses } },
  }, async (req, reply) => reply.status(201).send(await contracts.createContract(ctx, apiActor(req), { ...req.body, buyerSiret: req.body.buyerSiret ?? '' })));

  api.get('/contracts/:id', {
    schema: { tags, summary: 'Consulter un marché, ses parties et son historique (avenants)', params: idParam, response: { 200: contractView.extend({ history: historyView }), ...errorResponses } },
  }, async (req) => detail(apiActor(req), req.params.id));

  api.put('/contracts/:id', {
    schema: { tags, summary: "Modifier un marché par avenant (l'acheteur seul ; le marché entier est renvoyé)", params: idParam, body: contractBody, response: { 200: contractView.extend({ history: historyView }), ...errorResponses } },
  }, async (req) => {
    const actor = apiActor(req);
    await contracts.amendContract(ctx, actor, req.params.id, { ...req.body, buyerSiret: req.body.buyerSiret ?? '' });
    return detail(actor, req.params.id);
  });
}
