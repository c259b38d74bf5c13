import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as invoices from '../../invoices/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Factures'];
const amount = z.string().describe('Montant décimal exact en texte, ex. "1234.50"');

const invoiceView = z.object({
  id: z.number(),
  number: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  reformCode: z.number().nullable().describe('Code du cycle de vie de la réforme 2026 (200–213)'),
  framework: z.string().describe('codeCadreFacturation'),
  documentType: z.enum(['FACTURE', 'AVOIR']),
  originalInvoiceNumber: z.string().nullable(),
  depositMode: z.string(),
  invoiceDate: z.string(),
  dueDate: z.string().nullable(),
  currency: z.string(),
  supplier: z.object({ id: z.number(), name: z.string(), identifier: z.string() }),
  recipient: z.object({ id: z.number(), name: z.string(), identifier: z.string(), serviceCode: z.string().nullable() }),
  ejNumber: z.string().nullable(),
  totals: z.object({ totalWithoutVat: amount, totalVat: amount, totalWithVat: amount, prepaidAmount: amount, amountDue: amount }),
  mandateNumber: z.string().nullable(),
  depositedAt: z.string().nullable(),
  certificateDocumentId: z.string().nullable(),
  comment: z.string().nullable(),
});
const toView = (i: invoices.InvoiceRow): z.infer<typeof invoiceView> => ({
  id: i.id, number: i.number, status: i.status, statusLabel: invoices.statusLabel(i.status), reformCode: invoices.reformCodeOf(i.status),
  framework: i.framework, documentType: i.document_type, originalInvoiceNumber: i.original_invoice_number, depositMode: i.deposit_mode,
  invoiceDate: i.invoice_date, dueDate: i.due_date, currency: i.currency,
  supplier: { id: i.supplier_structure_id, name: i.supplier_name, identifier: i.supplier_identifier },
  recipient: { id: i.recipient_structure_id, name: i.recipient_name, identifier: i.recipient_identifier, serviceCode: i.service_code },
  ejNumber: i.ej_number,
  totals: { totalWithoutVat: i.total_without_vat, totalVat: i.total_vat, totalWithVat: i.total_with_vat, prepaidAmount: i.prepaid_amount, amountDue: i.amount_due },
  mandateNumber: i.mandate_number, depositedAt: i.deposited_at ? new Date(i.deposited_at).toISOString() : null,
  certificateDocumentId: i.certificate_document_id, comment: i.comment,
});

const detailView = invoiceView.extend({
  lines: z.array(z.object({ position: z.number(), description: z.string(), quantity: z.string(), unit: z.string().nullable(), unitPrice: z.string(), discountAmount: z.string(), vatRate: z.string(), netAmount: z.string() })),
  vatBreakdown: z.array(z.object({ vatRate: z.string(), taxableAmount: z.string(), vatAmount: z.string() })),
  documents: z.array(z.object({ documentId: z.string(), filename: z.string(), role: z.string(), sha256: z.string(), size: z.number() })),
  path: z.array(z.object({
    seq: z.number(), type: z.string(), action: z.string().nullable(), fromStatus: z.string().nullable(), toStatus: z.string().nullable(),
    reformCode: z.number().nullable(), actorRole: z.string().nullable(), actor: z.string().nullable(), reason: z.string().nullable(),
    comment: z.string().nullable(), at: z.string(), hash: z.string(), prevHash: z.string(), data: z.record(z.string(), z.unknown()),
  })),
  chainValid: z.boolean(),
  availableActions: z.record(z.string(), z.array(z.string())),
  paymentDelay: z.object({
    startedOn: z.string(), delayDays: z.number(), suspendedDays: z.number(), dueOn: z.string().describe('Dernier jour pour payer (dépôt + délai + jours de suspension)'),
    state: z.enum(['EN_COURS', 'SUSPENDU', 'DEPASSE', 'PAYE', 'PAYE_EN_RETARD', 'ARRETE']), daysLeft: z.number().nullable(), daysLate: z.number(),
    amountDue: amount, paidOn: z.string().nullable(),
    compensation: z.object({ daysLate: z.number(), ecbRate: z.string(), interestRate: z.string(), interest: amount, indemnity: amount, total: amount }).nullable()
      .describe('Intérêts moratoires (taux BCE + 8 points) et indemnité forfaitaire de 40 € : définitifs une fois payée, sinon dus si payée aujourd’hui'),
    compensationFinal: z.boolean(),
  }).nullable().describe('Délai de paiement (à partir du dépôt)'),
  structuredFile: z.object({ documentId: z.string(), sha256: z.string(), container: z.string(), syntax: z.string(), profile: z.string(), lockedFields: z.array(z.string()), warnings: z.array(z.object({ code: z.string(), field: z.string(), message: z.string(), rule: z.string().optional() })) }).nullable()
    .describe('Le fichier structuré dont la facture a été lue (Factur-X, UBL, CII) et les champs qu’il fixe'),
});

const draftBody = z.object({
  supplierStructureId: z.number().int().positive().describe('Structure émettrice (idStructure du fournisseur)'),
  recipientSiret: z.string().describe('SIRET du destinataire public'),
  serviceCode: z.string().nullable().optional(),
  ejNumber: z.string().nullable().optional().describe("Numéro d'engagement juridique"),
  framework: z.enum(invoices.FRAMEWORKS).optional(),
  documentType: z.enum(['FACTURE', 'AVOIR']).optional(),
  originalInvoiceNumber: z.string().nullable().optional().describe("Numéro de la facture d'origine (avoir)"),
  number: z.string().describe('20 caractères au plus : lettres, chiffres, - _ / +'),
  invoiceDate: z.string().describe('AAAA-MM-JJ'),
  dueDate: z.string().nullable().optional(),
  currency: z.string().optional(),
  mode: z.enum(['SAISIE', 'PDF']).optional().describe('SAISIE : lignes et montants calculés ; PDF : pièce principale et montants déclarés'),
  lines: z.array(z.object({ description: z.string(), quantity: z.string(), unit: z.string().nullable().optional(), unitPrice: z.string(), discountAmount: z.string().nullable().optional(), vatRate: z.string() })).optional(),
  prepaidAmount: z.string().nullable().optional(),
  totals: z.object({
    totalWithoutVat: z.string().nullable().optional(), totalVat: z.string().nullable().optional(), totalWithVat: z.string().nullable().optional(), amountDue: z.string().nullable().optional(),
    vatBreakdown: z.array(z.object({ vatRate: z.string(), taxableAmount: z.string(), vatAmount: z.string() })).optional().describe('Récapitulatif de TVA déclaré (dépôt PDF) : base HT et TVA par taux ; HT, TVA et TTC omis en sont les sommes'),
  }).optional().describe('Montants déclarés (mode PDF)'),
  comment: z.string().nullable().optional(),
});
const toDraftInput = (b: z.infer<typeof draftBody>): invoices.DraftInput => ({ ...b, depositMode: b.mode === 'PDF' ? 'DEPOT_PDF_API' : 'SAISIE_API' });

async function detail(ctx: Ctx, req: FastifyRequest, id: number): Promise<z.infer<typeof detailView>> {
  const g = await invoices.getInvoice(ctx, apiActor(req), id);
  return {
    ...toView(g.invoice),
    lines: g.lines.map((l) => ({ position: l.position, description: l.description, quantity: l.quantity, unit: l.unit, unitPrice: l.unit_price, discountAmount: l.discount_amount, vatRate: l.vat_rate, netAmount: l.net_amount })),
    vatBreakdown: g.vatBreakdown.map((b) => ({ vatRate: b.vat_rate, taxableAmount: b.taxable_amount, vatAmount: b.vat_amount })),
    documents: g.documents.map((d) => ({ documentId: d.document_id, filename: d.filename, role: d.role, sha256: d.sha256, size: Number(d.size_bytes) })),
    path: g.path.map((e) => ({
      seq: e.seq, type: e.type, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, reformCode: e.reformCode, actorRole: e.actorRole,
      actor: e.actorName, reason: e.reason, comment: e.comment, at: e.createdAt.toISOString(), hash: e.hash, prevHash: e.prevHash, data: e.data,
    })),
    chainValid: g.chain.ok,
    availableActions: g.actions as Record<string, string[]>,
    paymentDelay: g.paymentDelay
      ? { startedOn: g.paymentDelay.startedOn, delayDays: g.paymentDelay.delayDays, suspendedDays: g.paymentDelay.suspendedDays, dueOn: g.paymentDelay.dueOn, state: g.paymentDelay.state, daysLeft: g.paymentDelay.daysLeft, daysLate: g.paymentDelay.daysLate, amountDue: g.paymentDelay.amountDue, paidOn: g.paymentDelay.paidOn, compensation: g.paymentDelay.compensation, compensationFinal: g.paymentDelay.compensationFinal }
      : null,
    structuredFile: g.structuredSource
      ? { documentId: g.structuredSource.documentId, sha256: g.structuredSource.sha256, container: g.structuredSource.container, syntax: g.structuredSource.syntax, profile: g.structuredSource.profile, lockedFields: g.structuredSource.locked, warnings: g.structuredSource.warnings.map((w) => ({ code: w.code, field: w.field, message: w.message, ...(w.rule ? { rule: w.rule } : {}) })) }
      : null,
  };
}

/** Files of a multipart request, read with the per-file limit (a file over 10 MB is flagged, not stored). */
async function uploadedFiles(req: FastifyRequest): Promise<{ files: invoices.UploadedFile[]; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new AppError('VALIDATION', 'UNSUPPORTED_MEDIA_TYPE', 'Envoyez les fichiers en multipart/form-data.');
  const files: invoices.UploadedFile[] = [];
  const fields: Record<string, string> = {};
  for await (const part of req.parts({ limits: { fileSize: invoices.ATTACHMENT_RULES.maxFileBytes, files: 50 } })) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      const tooLarge = part.file.truncated;
      files.push({ filename: part.filename, mediaType: part.mimetype, bytes: tooLarge ? Buffer.alloc(0) : bytes, tooLarge });
    } else fields[part.fieldname] = String(part.value ?? '');
  }
  return { files, fields };
}

export async function invoicesRoutes(app: FastifyInstance, ctx: Ctx) {
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: invoices.ATTACHMENT_RULES.maxFileBytes, files: 50, fields: 20 }, throwFileSizeLimit: false });
    const api = scope.withTypeProvider<ZodTypeProvider>();

    api.get('/invoices/recipient-requirements', {
      schema: {
        tags, summary: "Ce qu'une facture à ce destinataire doit porter (code service, engagement), ses services actifs",
        querystring: z.object({ siret: z.string(), serviceCode: z.string().optional() }),
        response: { 200: z.object({ found: z.boolean(), message: z.string().optional(), recipient: z.object({ id: z.number(), name: z.string(), siret: z.string(), kind: z.string(), active: z.boolean() }).optional(), requirements: z.object({ serviceCode: z.boolean(), ej: z.boolean(), ejOrServiceCode: z.boolean() }).optional(), services: z.array(z.object({ code: z.string(), name: z.string(), ejRequired: z.boolean() })).optional(), problems: z.array(z.string()).optional() }), ...errorResponses },
      },
    }, async (req) => {
      apiActor(req);
      return invoices.recipientRequirements(ctx, { siret: req.query.siret, serviceCode: req.query.serviceCode });
    });

    api.get('/invoices/reasons', {
      schema: { tags, summary: 'Motifs de suspension, de mise à recycler et de rejet (données de référence)', response: { 200: z.record(z.string(), z.array(z.object({ code: z.string(), label: z.string() }))) } },
    }, async () => invoices.REASONS as unknown as Record<string, Array<{ code: string; label: string }>>);

    api.get('/invoices', {
      schema: {
        tags, summary: 'Rechercher les factures émises ou reçues par une structure',
        querystring: z.object({
          structureId: z.string(), side: z.enum(['EMISES', 'RECUES']), number: z.string().optional(), status: z.string().optional(),
          dateFrom: z.string().optional(), dateTo: z.string().optional(), amountMin: z.string().optional(), amountMax: z.string().optional(),
          counterpart: z.string().optional().describe('Nom ou identifiant du fournisseur (reçues) ou du destinataire (émises)'), page: z.string().optional(), pageSize: z.string().optional(),
        }),
        response: { 200: z.object({ total: z.number(), page: z.number(), pageSize: z.number(), invoices: z.array(invoiceView) }), ...errorResponses },
      },
    }, async (req) => {
      const r = await invoices.searchInvoices(ctx, apiActor(req), req.query);
      return { total: r.total, page: r.page, pageSize: r.pageSize, invoices: r.invoices.map(toView) };
    });

    api.post('/invoices', {
      schema: { tags, summary: 'Enregistrer une facture au statut BROUILLON (saisie ou métadonnées d’un PDF)', body: draftBody, response: { 201: z.object({ invoiceId: z.number(), status: z.string() }), ...errorResponses } },
    }, async (req, reply) => {
      const r = await invoices.createDraft(ctx, apiActor(req), toDraftInput(req.body));
      return reply.status(201).send({ invoiceId: r.invoiceId, status: 'BROUILLON' });
    });

    api.get('/invoices/:id', {
      schema: { tags, summary: 'Consulter une facture : données, pièces, parcours (codes de la réforme), actions possibles', params: idParam, response: { 200: detailView, ...errorResponses } },
    }, async (req) => detail(ctx, req, req.params.id));

    api.put('/invoices/:id', {
      schema: { tags, summary: 'Modifier un brouillon (la facture entière est renvoyée)', params: idParam, body: draftBody, response: { 200: detailView, ...errorResponses } },
    }, async (req) => {
      await invoices.updateDraft(ctx, apiActor(req), req.params.id, toDraftInput(req.body));
      return detail(ctx, req, req.params.id);
    });

    api.post('/invoices/:id/attachments', {
      schema: {
        tags, summary: 'Joindre des pièces (multipart/form-data : champ role = PRINCIPALE ou COMPLEMENTAIRE, puis les fichiers) — 10 Mo par fichier, 120 Mo par facture',
        params: idParam, consumes: ['multipart/form-data'],
        response: { 201: z.object({ documents: z.array(z.object({ documentId: z.string(), filename: z.string(), sha256: z.string(), size: z.number(), role: z.string() })) }), ...errorResponses },
      },
    }, async (req, reply) => {
      const { files, fields } = await uploadedFiles(req);
      const role = fields.role === 'PRINCIPALE' ? 'PRINCIPALE' : 'COMPLEMENTAIRE';
      return reply.status(201).send({ documents: await invoices.addAttachments(ctx, apiActor(req), req.params.id, files, role) });
    });

    api.get('/invoices/:id/documents/:documentId', {
      schema: { tags, summary: 'Télécharger une pièce de la facture ou son certificat de dépôt', params: z.object({ id: z.coerce.number().int().positive(), documentId: z.string().uuid() }) },
    }, async (req, reply) => {
      const doc = await invoices.getInvoiceDocument(ctx, apiActor(req), req.params.id, req.params.documentId);
      return reply.type(doc.media_type).header('content-disposition', `attachment; filename="${doc.filename.replace(/"/g, '')}"`).send(doc.bytes);
    });

    api.post('/invoices/:id/submit', {
      schema: {
        tags, summary: 'Valider et envoyer : contrôles, dépôt (DEPOSEE), certificat de dépôt, acheminement jusqu’à MISE_A_DISPOSITION', params: idParam,
        response: { 200: z.object({ invoiceId: z.number(), status: z.string(), depositedAt: z.string(), certificate: z.object({ documentId: z.string(), sha256: z.string() }), files: z.array(z.object({ filename: z.string(), sha256: z.string(), size: z.number(), role: z.string() })) }), ...errorResponses },
      },
    }, async (req) => {
      const r = await invoices.submitInvoice(ctx, apiActor(req), req.params.id);
      return { invoiceId: r.invoiceId, status: r.status, depositedAt: r.depositedAt.toISOString(), certificate: r.certificate, files: r.files };
    });

    api.post('/invoices/:id/actions', {
      schema: {
        tags, summary: 'Agir sur une facture selon la table des transitions (SUSPENDRE, REJETER, SERVICE_FAIT, MANDATER, METTRE_EN_PAIEMENT, COMPLETER, RECYCLER, TRAITER_REJET…)',
        params: idParam,
        body: z.object({
          action: z.enum(invoices.ACTIONS), reason: z.string().nullable().optional().describe('Code du motif (GET /invoices/reasons)'), comment: z.string().nullable().optional(),
          mandateNumber: z.string().nullable().optional(), recipientSiret: z.string().nullable().optional(), serviceCode: z.string().nullable().optional(), ejNumber: z.string().nullable().optional(),
        }),
        response: { 200: z.object({ invoiceId: z.number(), status: z.string() }), ...errorResponses },
      },
    }, async (req) => invoices.actOnInvoice(ctx, apiActor(req), req.params.id, req.body));

    api.get('/invoices/:id/history/verify', {
      schema: { tags, summary: "Vérifier la chaîne d'empreintes de l'historique de la facture", params: idParam, response: { 200: z.object({ ok: z.boolean(), events: z.number(), brokenAtSeq: z.number().optional(), problem: z.string().optional() }), ...errorResponses } },
    }, async (req) => invoices.verifyInvoiceHistory(ctx, apiActor(req), req.params.id));
  });
}
