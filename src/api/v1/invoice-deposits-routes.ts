import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as invoices from '../../invoices/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Factures'];
const issue = z.object({ code: z.string(), field: z.string(), message: z.string(), rule: z.string().optional(), location: z.string().optional() });

/** One file of a multipart request with the form fields; a file over `maxBytes` is flagged. */
export async function oneUploadedFile(req: FastifyRequest, maxBytes: number) {
  if (!req.isMultipart()) throw new AppError('VALIDATION', 'UNSUPPORTED_MEDIA_TYPE', 'Envoyez le fichier en multipart/form-data.');
  let file: { filename: string; bytes: Buffer; tooLarge: boolean } | null = null;
  const fields: Record<string, string> = {};
  for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1 } })) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      file = { filename: part.filename, bytes: part.file.truncated ? Buffer.alloc(0) : bytes, tooLarge: part.file.truncated };
    } else fields[part.fieldname] = String(part.value ?? '');
  }
  if (!file) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Aucun fichier reçu.', { file: 'Choisissez un fichier.' });
  return { file, fields };
}

/** Structured deposits (Factur-X, UBL, CII) through the native API. */
export async function invoiceDepositsRoutes(app: FastifyInstance, ctx: Ctx) {
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: invoices.ATTACHMENT_RULES.maxFileBytes, files: 1, fields: 10 }, throwFileSizeLimit: false });
    const api = scope.withTypeProvider<ZodTypeProvider>();

    api.post('/invoices/structured', {
      schema: {
        tags,
        summary: 'Déposer une facture structurée (Factur-X PDF, UBL 2.1 ou CII D16B) : données lues dans le XML, validation EN 16931, fichier conservé comme pièce principale',
        description: 'multipart/form-data : champ supplierStructureId, champ facultatif submit=true (envoi immédiat, sinon BROUILLON), puis le fichier (10 Mo au plus). '
          + 'Un second dépôt du même fichier renvoie la facture déjà créée (duplicate=true). Les erreurs portent un code stable (EN16931_INVALID, SUPPLIER_MISMATCH, RECIPIENT_UNKNOWN…) et un message par champ.',
        consumes: ['multipart/form-data'],
        response: {
          201: z.object({ invoiceId: z.number(), status: z.string(), duplicate: z.boolean(), number: z.string(), syntax: z.string(), container: z.string(), profile: z.string(), warnings: z.array(issue) }),
          200: z.object({ invoiceId: z.number(), status: z.string(), duplicate: z.boolean(), number: z.string(), syntax: z.string(), container: z.string(), profile: z.string(), warnings: z.array(issue) }),
          ...errorResponses,
        },
      },
    }, async (req, reply) => {
      const actor = apiActor(req);
      const { file, fields } = await oneUploadedFile(req, invoices.ATTACHMENT_RULES.maxFileBytes);
      if (file.tooLarge) throw new AppError('TOO_LARGE', 'FILE_TOO_LARGE', invoices.fileTooLargeMessage(file.filename), { file: invoices.fileTooLargeMessage(file.filename) });
      const supplierStructureId = Number(fields.supplierStructureId);
      if (!Number.isSafeInteger(supplierStructureId) || supplierStructureId <= 0)
        throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', { supplierStructureId: 'La structure émettrice est obligatoire.' });
      const r = await invoices.depositStructuredInvoice(ctx, actor, supplierStructureId, file, { channel: 'API', submit: fields.submit === 'true' });
      if (!r.ok) throw invoices.structuredDepositError(r);
      const { ok: _ok, ...body } = r;
      return reply.status(r.duplicate ? 200 : 201).send(body);
    });

    api.patch('/invoices/:id', {
      schema: {
        tags, summary: "Compléter un brouillon lu dans un fichier structuré (code service, engagement, cadre, commentaire — seulement ce que le XML ne fixe pas)",
        params: idParam,
        body: z.object({ serviceCode: z.string().nullable().optional(), ejNumber: z.string().nullable().optional(), framework: z.enum(invoices.FRAMEWORKS).optional(), comment: z.string().nullable().optional() }),
        response: { 200: z.object({ invoiceId: z.number(), status: z.string() }), ...errorResponses },
      },
    }, async (req) => {
      await invoices.completeStructuredDraft(ctx, apiActor(req), req.params.id, req.body);
      return { invoiceId: req.params.id, status: 'BROUILLON' };
    });
  });

  const batchView = z.object({
    id: z.number(), supplierStructureId: z.number(), filename: z.string(), status: z.enum(['RECU', 'EN_COURS', 'TRAITE', 'REJETE']), submit: z.boolean(),
    fileCount: z.number(), acceptedCount: z.number(), refusedCount: z.number(), errorCode: z.string().nullable(), errorMessage: z.string().nullable(),
    createdAt: z.string(), finishedAt: z.string().nullable(),
  });
  type BatchLike = { id: number; supplier_structure_id: number; filename: string; status: 'RECU' | 'EN_COURS' | 'TRAITE' | 'REJETE'; submit: boolean; file_count: number; accepted_count: number; refused_count: number; error_code: string | null; error_message: string | null; created_at: Date | string; finished_at: Date | string | null };
  const toBatch = (b: BatchLike): z.infer<typeof batchView> => ({
    id: b.id, supplierStructureId: b.supplier_structure_id, filename: b.filename, status: b.status, submit: b.submit, fileCount: b.file_count, acceptedCount: b.accepted_count,
    refusedCount: b.refused_count, errorCode: b.error_code, errorMessage: b.error_message, createdAt: new Date(b.created_at).toISOString(), finishedAt: b.finished_at ? new Date(b.finished_at).toISOString() : null,
  });

  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: invoices.ARCHIVE_LIMITS.maxArchiveBytes, files: 1, fields: 10 }, throwFileSizeLimit: false });
    const api = scope.withTypeProvider<ZodTypeProvider>();
    api.post('/invoices/batches', {
      schema: {
        tags, summary: 'Déposer un lot de factures structurées (zip ou tar.gz de Factur-X, UBL, CII), traité en arrière-plan',
        description: `multipart/form-data : champ supplierStructureId, champ facultatif submit=true (chaque facture acceptée est envoyée), puis l'archive (${invoices.ARCHIVE_LIMITS.maxArchiveBytes / 1024 / 1024} Mo au plus, ${invoices.ARCHIVE_LIMITS.maxEntries} fichiers au plus). Le compte rendu par fichier : GET /invoices/batches/{id}.`,
        consumes: ['multipart/form-data'],
        response: { 202: z.object({ batchId: z.number(), status: z.string() }), ...errorResponses },
      },
    }, async (req, reply) => {
      const actor = apiActor(req);
      const { file, fields } = await oneUploadedFile(req, invoices.ARCHIVE_LIMITS.maxArchiveBytes);
      if (file.tooLarge) throw new AppError('TOO_LARGE', 'ARCHIVE_TOO_LARGE', `L'archive « ${file.filename} » est trop volumineuse.`, { file: `L'archive « ${file.filename} » est trop volumineuse.` });
      const supplierStructureId = Number(fields.supplierStructureId);
      if (!Number.isSafeInteger(supplierStructureId) || supplierStructureId <= 0)
        throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', { supplierStructureId: 'La structure émettrice est obligatoire.' });
      return reply.status(202).send(await invoices.depositInvoiceBatch(ctx, actor, supplierStructureId, file, { channel: 'API', submit: fields.submit === 'true' }));
    });
    api.get('/invoices/batches', {
      schema: { tags, summary: "Les derniers lots déposés par une structure", querystring: z.object({ structureId: z.coerce.number().int().positive() }), response: { 200: z.object({ batches: z.array(batchView) }), ...errorResponses } },
    }, async (req) => ({ batches: (await invoices.listInvoiceBatches(ctx, apiActor(req), req.query.structureId)).map(toBatch) }));
    api.get('/invoices/batches/:id', {
      schema: {
        tags, summary: 'Le compte rendu d’un lot : le résultat de chaque fichier (facture créée, déjà déposée, ou refusée avec ses erreurs)', params: idParam,
        response: { 200: batchView.extend({ items: z.array(z.object({ position: z.number(), path: z.string(), result: z.string(), invoiceId: z.number().nullable(), invoiceNumber: z.string().nullable(), code: z.string().nullable(), message: z.string().nullable(), errors: z.array(issue) })) }), ...errorResponses },
      },
    }, async (req) => {
      const r = await invoices.getInvoiceBatch(ctx, apiActor(req), req.params.id);
      return {
        ...toBatch(r.batch),
        items: r.items.map((i) => ({ position: i.position, path: i.path, result: i.result, invoiceId: i.invoice_id, invoiceNumber: i.invoice_number, code: i.code, message: i.message, errors: i.errors.map((e) => ({ code: e.code, field: e.field, message: e.message, ...(e.rule ? { rule: e.rule } : {}), ...(e.location ? { location: e.location } : {}) })) })),
      };
    });
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  const terms = z.object({ payerCategory: z.enum(invoices.PAYER_CATEGORIES).nullable(), ownDelayDays: z.number().nullable(), delayDays: z.number().describe('Délai de paiement appliqué, en jours') });
  api.get('/structures/:id/payment-terms', {
    schema: { tags, summary: "Délai de paiement d'une structure publique (catégorie d'acheteur, délai propre)", params: idParam, response: { 200: terms, ...errorResponses } },
  }, async (req) => {
    apiActor(req);
    return invoices.getPaymentTerms(ctx, req.params.id);
  });
  api.put('/structures/:id/payment-terms', {
    schema: {
      tags, summary: "Régler le délai de paiement (gestionnaire principal) : catégorie (ETAT, COLLECTIVITE_TERRITORIALE : 30 jours ; ETABLISSEMENT_PUBLIC_SANTE : 50 jours ; AUTRE) et délai propre plus court",
      params: idParam, body: z.object({ payerCategory: z.enum(invoices.PAYER_CATEGORIES), delayDays: z.number().int().nullable().optional() }), response: { 200: terms, ...errorResponses },
    },
  }, async (req) => {
    await invoices.setPaymentTerms(ctx, apiActor(req), req.params.id, req.body);
    return invoices.getPaymentTerms(ctx, req.params.id);
  });

  api.get('/invoices/export.csv', {
    schema: {
      tags, summary: `Exporter une recherche en CSV (mêmes critères que GET /invoices ; ${invoices.EXPORT_MAX_ROWS} lignes au plus ; séparateur point-virgule, UTF-8)`,
      querystring: z.object({
        structureId: z.string(), side: z.enum(['EMISES', 'RECUES']), number: z.string().optional(), status: z.string().optional(), dateFrom: z.string().optional(), dateTo: z.string().optional(),
        amountMin: z.string().optional(), amountMax: z.string().optional(), counterpart: z.string().optional(),
      }),
    },
  }, async (req, reply) => {
    const r = await invoices.exportInvoicesCsv(ctx, apiActor(req), req.query);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="factures-${req.query.side === 'EMISES' ? 'emises' : 'recues'}.csv"`).header('x-total-count', String(r.total)).send(r.csv);
  });
  api.get('/invoices/:id/path.:format', {
    schema: { tags, summary: 'Exporter le parcours de la facture (chaque étape, code de la réforme, empreintes) en CSV ou JSON', params: z.object({ id: z.coerce.number().int().positive(), format: z.enum(['csv', 'json']) }) },
  }, async (req, reply) => {
    const r = await invoices.exportInvoicePath(ctx, apiActor(req), req.params.id);
    if (req.params.format === 'json') return reply.type('application/json; charset=utf-8').send(r.json);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="parcours-${req.params.id}.csv"`).send(r.csv);
  });
}
