import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as invoices from '../../invoices/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Factures à valider'];
const structureRef = z.object({ id: z.number(), name: z.string(), identifier: z.string() });
const circuitView = z.object({
  contract: z.object({ id: z.number(), number: z.string() }),
  levels: z.array(z.object({
    level: z.number(),
    validator: structureRef.nullable(),
    dueAt: z.string().nullable().describe('Échéance du niveau ouvert : sans réponse à cet instant, validation tacite'),
    daysLeft: z.number().nullable(),
    decisions: z.array(z.object({ decision: z.string().describe('VALIDEE, REFUSEE, TACITE, ERREUR_VALIDEUR'), status: z.string().nullable(), actor: z.string().nullable(), actorRole: z.string().nullable(), at: z.string(), reason: z.string().nullable(), reasonLabel: z.string().nullable(), comment: z.string().nullable() })),
  })),
  warnings: z.array(z.string()),
  completed: z.boolean(),
});
const toCircuit = (c: invoices.CircuitView): z.infer<typeof circuitView> => ({
  ...c,
  levels: c.levels.map((l) => ({
    ...l, dueAt: l.dueAt?.toISOString() ?? null,
    decisions: l.decisions.map((d) => ({ decision: d.decision, status: d.status, actor: d.actor, actorRole: d.actorRole, at: d.at.toISOString(), reason: d.reason, reasonLabel: invoices.reasonLabel('REFUSER_VALIDATION', d.reason), comment: d.comment })),
  })),
});
const amount = z.string();

export async function validationRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.put('/invoices/:id/contract', {
    schema: {
      tags, summary: 'Brouillon : marché de la facture et structure qui la valide (codeStructureValideur) — A9, A12, ou demande de paiement globale du mandataire (A1)', params: idParam,
      body: z.object({ contractNumber: z.string().nullable().optional(), validatorSiret: z.string().nullable().optional() }),
      response: { 200: z.object({ invoiceId: z.number(), contractId: z.number().nullable(), validatorStructureId: z.number().nullable() }), ...errorResponses },
    },
  }, async (req) => invoices.setInvoiceContract(ctx, apiActor(req), req.params.id, req.body));

  api.get('/invoices/:id/circuit', {
    schema: { tags, summary: 'Circuit de validation : niveaux, valideurs, échéances, décisions (acteur, date, motif)', params: idParam, response: { 200: z.object({ circuit: circuitView.nullable() }), ...errorResponses } },
  }, async (req) => {
    const c = await invoices.getInvoiceCircuit(ctx, apiActor(req), req.params.id);
    return { circuit: c ? toCircuit(c) : null };
  });

  api.post('/invoices/:id/validator', {
    schema: {
      tags, summary: 'Corriger le valideur (fournisseur ; statut A_VALIDER_1 ou ERREUR_FOURNISSEUR_SUR_VALIDEUR) — un nouveau délai commence', params: idParam,
      body: z.object({ validatorSiret: z.string(), comment: z.string().nullable().optional() }),
      response: { 200: z.object({ invoiceId: z.number(), status: z.string() }), ...errorResponses },
    },
  }, async (req) => invoices.correctValidator(ctx, apiActor(req), req.params.id, req.body));

  api.get('/structures/:id/invoices-to-validate', {
    schema: {
      tags, summary: 'Factures à valider par la structure (A_TRAITER : celles qui l’attendent), échéance et jours restants', params: idParam,
      querystring: z.object({ status: z.string().optional().describe('A_TRAITER ou un statut'), number: z.string().optional(), page: z.string().optional(), pageSize: z.string().optional() }),
      response: {
        200: z.object({
          total: z.number(), page: z.number(), pageSize: z.number(),
          invoices: z.array(z.object({ id: z.number(), number: z.string(), status: z.string(), statusLabel: z.string(), framework: z.string(), supplier: z.object({ name: z.string(), identifier: z.string() }), recipientName: z.string(), contractNumber: z.string(), totalWithoutVat: amount, totalWithVat: amount, invoiceDate: z.string(), waitingForMe: z.boolean(), level: z.number().nullable(), dueAt: z.string().nullable(), daysLeft: z.number().nullable() })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    const r = await invoices.searchInvoicesToValidate(ctx, apiActor(req), req.params.id, req.query);
    return {
      total: r.total, page: r.page, pageSize: r.pageSize,
      invoices: r.invoices.map((i) => ({
        id: i.id, number: i.number, status: i.status, statusLabel: invoices.statusLabel(i.status), framework: i.framework, supplier: { name: i.supplier_name, identifier: i.supplier_identifier },
        recipientName: i.recipient_name, contractNumber: i.contract_number, totalWithoutVat: i.total_without_vat, totalWithVat: i.total_with_vat, invoiceDate: i.invoice_date,
        waitingForMe: i.waitingForMe, level: i.level, dueAt: i.dueAt?.toISOString() ?? null, daysLeft: i.daysLeft,
      })),
    };
  });

  api.get('/invoices-to-validate/:id', {
    schema: {
      tags, summary: 'Consulter une facture à valider : données, lignes, pièces, parcours, circuit, décisions possibles', params: idParam,
      response: {
        200: z.object({
          id: z.number(), number: z.string(), status: z.string(), statusLabel: z.string(), framework: z.string(), supplier: structureRef, recipient: structureRef, invoiceDate: z.string(), currency: z.string(),
          totals: z.object({ totalWithoutVat: amount, totalVat: amount, totalWithVat: amount, amountDue: amount }),
          lines: z.array(z.object({ position: z.number(), description: z.string(), quantity: z.string(), unitPrice: z.string(), vatRate: z.string(), netAmount: z.string() })),
          documents: z.array(z.object({ documentId: z.string(), filename: z.string(), role: z.string(), sha256: z.string() })),
          circuit: circuitView,
          path: z.array(z.object({ seq: z.number(), type: z.string(), action: z.string().nullable(), toStatus: z.string().nullable(), actor: z.string().nullable(), actorRole: z.string().nullable(), reason: z.string().nullable(), comment: z.string().nullable(), at: z.string() })),
          chainValid: z.boolean(),
          availableActions: z.record(z.string(), z.array(z.string())),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    const g = await invoices.getInvoiceToValidate(ctx, apiActor(req), req.params.id);
    const i = g.invoice;
    return {
      id: i.id, number: i.number, status: i.status, statusLabel: invoices.statusLabel(i.status), framework: i.framework,
      supplier: { id: i.supplier_structure_id, name: i.supplier_name, identifier: i.supplier_identifier }, recipient: { id: i.recipient_structure_id, name: i.recipient_name, identifier: i.recipient_identifier },
      invoiceDate: i.invoice_date, currency: i.currency, totals: { totalWithoutVat: i.total_without_vat, totalVat: i.total_vat, totalWithVat: i.total_with_vat, amountDue: i.amount_due },
      lines: g.lines.map((l) => ({ position: l.position, description: l.description, quantity: l.quantity, unitPrice: l.unit_price, vatRate: l.vat_rate, netAmount: l.net_amount })),
      documents: g.documents.map((d) => ({ documentId: d.document_id, filename: d.filename, role: d.role, sha256: d.sha256 })),
      circuit: toCircuit(g.circuit),
      path: g.path.map((e) => ({ seq: e.seq, type: e.type, action: e.action, toStatus: e.toStatus, actor: e.actorName, actorRole: e.actorRole, reason: e.reason, comment: e.comment, at: e.createdAt.toISOString() })),
      chainValid: g.chain.ok,
      availableActions: g.actions as Record<string, string[]>,
    };
  });

  api.get('/invoices-to-validate/:id/documents/:documentId', {
    schema: { tags, summary: 'Télécharger une pièce (ou le certificat de dépôt) d’une facture à valider', params: z.object({ id: z.coerce.number().int().positive(), documentId: z.string().uuid() }) },
  }, async (req, reply) => {
    const d = await invoices.getDocumentToValidate(ctx, apiActor(req), req.params.id, req.params.documentId);
    return reply.type(d.media_type).header('content-disposition', `attachment; filename="${d.filename.replace(/"/g, '')}"`).send(d.bytes);
  });

  api.post('/invoices-to-validate/:id/decision', {
    schema: {
      tags, summary: 'Valider, refuser (motif de la liste REFUSER_VALIDATION de GET /invoices/reasons) ou signaler une erreur de valideur', params: idParam,
      body: z.object({ action: z.enum(['VALIDER', 'REFUSER_VALIDATION', 'SIGNALER_ERREUR_VALIDEUR']), reason: z.string().nullable().optional(), comment: z.string().nullable().optional() }),
      response: { 200: z.object({ invoiceId: z.number(), status: z.string(), level: z.number() }), ...errorResponses },
    },
  }, async (req) => invoices.decideValidation(ctx, apiActor(req), req.params.id, req.body));
}
