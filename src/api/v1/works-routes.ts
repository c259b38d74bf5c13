import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as works from '../../works/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Factures de travaux'];
const anyObject = z.record(z.string(), z.unknown());
const pieceBody = z.object({
  framework: z.string().describe('Cadre de facturation de travaux : A4 … A25 (code court ou long)'),
  previousInvoiceId: z.number().int().nullable().optional().describe('La pièce précédente (« déposer la pièce suivante »)'),
  month: z.string().nullable().optional().describe('AAAA-MM'),
  progress: z.record(z.string(), z.union([z.string(), z.number()])).nullable().optional().describe('Avancement cumulé par numéro de prix : % (forfait) ou quantité exécutée (prix unitaire)'),
  penalties: z.array(z.object({ label: z.string(), amount: z.union([z.string(), z.number()]) })).nullable().optional(),
  supplierStructureId: z.number().int().nullable().optional(),
  comment: z.string().nullable().optional(),
});

/** The works invoices: works contracts, the billing file, the pieces A4–A25 and their actions. */
export async function worksRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/works-contracts', {
    schema: { tags, summary: 'Mes marchés de travaux (entreprise, maître d’œuvre, maître de l’ouvrage, payeur)', response: { 200: z.object({ contracts: z.array(anyObject) }), ...errorResponses } },
  }, async (req) => ({ contracts: await works.listWorksContracts(ctx, apiActor(req)) }));

  api.post('/works-contracts', {
    schema: { tags, summary: "Compléter un marché par ses conditions de travaux (maître d'œuvre, maître de l'ouvrage, payeur, bordereau, avance, retenue, révision, délais)", body: anyObject, response: { 201: z.object({ contractId: z.number() }), ...errorResponses } },
  }, async (req, reply) => reply.status(201).send(await works.createWorksContract(ctx, apiActor(req), req.body as works.WorksContractInput)));

  api.get('/works-contracts/:id', {
    schema: { tags, summary: 'Consulter un marché de travaux', params: idParam, response: { 200: anyObject, ...errorResponses } },
  }, async (req) => works.getWorksContract(ctx, apiActor(req), req.params.id));

  api.put('/works-contracts/:id/indexes', {
    schema: { tags, summary: 'Enregistrer des valeurs d’index publiées (BT01 …)', params: idParam, body: z.object({ indexes: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()]))) }), response: { 200: anyObject, ...errorResponses } },
  }, async (req) => works.recordIndexes(ctx, apiActor(req), req.params.id, req.body));

  api.get('/works-contracts/:id/billing-file', {
    schema: { tags, summary: 'Le dossier de facturation : les pièces chaînées, par mois', params: idParam, response: { 200: anyObject, ...errorResponses } },
  }, async (req) => works.getBillingFile(ctx, apiActor(req), req.params.id));

  api.post('/works-contracts/:id/pieces/preview', {
    schema: { tags, summary: 'Calculer le décompte d’une pièce sans la déposer', params: idParam, body: pieceBody, response: { 200: anyObject, ...errorResponses } },
  }, async (req) => works.previewPiece(ctx, apiActor(req), req.params.id, req.body));

  api.post('/works-contracts/:id/pieces', {
    schema: { tags, summary: 'Déposer une pièce (dépôt initial ou pièce suivante)', params: idParam, body: pieceBody, response: { 201: anyObject, ...errorResponses } },
  }, async (req, reply) => reply.status(201).send(await works.depositPiece(ctx, apiActor(req), req.params.id, req.body)));

  api.get('/works-pieces/:id', {
    schema: { tags, summary: 'Consulter une pièce : décompte, écarts ligne à ligne, statut, délais', params: idParam, response: { 200: anyObject, ...errorResponses } },
  }, async (req) => works.getPiece(ctx, apiActor(req), req.params.id));

  api.get('/works-pieces/:id/pdf', {
    schema: { tags, summary: 'Télécharger le PDF de la pièce (projet de décompte, état d’acompte, décompte final ou général)', params: idParam },
  }, async (req, reply) => {
    const doc = await works.getPiecePdf(ctx, apiActor(req), req.params.id);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${doc.filename.replace(/"/g, '')}"`).send(doc.bytes);
  });

  api.post('/works-pieces/:id/actions', {
    schema: {
      tags, summary: "Prendre en compte, refuser (motif valable, jamais un montant) ou dupliquer une pièce refusée", params: idParam,
      body: z.object({ action: z.enum(['PRENDRE_EN_COMPTE', 'REFUSER', 'DUPLIQUER']), reason: z.string().nullable().optional(), comment: z.string().nullable().optional() }),
      response: { 200: z.object({ invoiceId: z.number(), status: z.string() }), ...errorResponses },
    },
  }, async (req) => works.actOnPiece(ctx, apiActor(req), req.params.id, req.body));
}
