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
      if (file.tooLarge) throw new AppError('TOO_LARGE', 'FILE_TOO_LARGE', `Le fichier « ${file.filename} » dépasse 10 Mo.`, { file: `Le fichier « ${file.filename} » dépasse 10 Mo.` });
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
}
