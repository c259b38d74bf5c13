import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { findStructure, loadMembership } from '../structures/index.ts';
import { FRAMEWORKS } from './lifecycle.ts';
import { DEPOSIT_MODES, DOCUMENT_TYPES, computeTotals, declaredTotals, isPdfMode, isStructuredMode } from './model.ts';
import { canOnInvoice } from './permissions.ts';
import { appendEvent, insertInvoice, lockInvoice, numberTaken, replaceLinesAndTotals, updateInvoice } from './repository.ts';
import { findRecipient, findRecipientService } from './recipient-requirements.ts';
import { invoiceNotFound, loadInvoiceAccess, requireActing } from './access.ts';

const optionalText = (max: number, label: string) =>
  z.string().trim().max(max, `${label} ne doit pas dépasser ${max} caractères.`).nullable().optional().transform((v) => v || null);
const isoDay = (label: string) => z.string({ message: `${label} est obligatoire.` }).trim().regex(/^\d{4}-\d{2}-\d{2}$/, `${label} doit être une date au format AAAA-MM-JJ.`).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), `${label} n'est pas une date valide.`);

export const draftInput = z.object({
  supplierStructureId: z.coerce.number({ message: 'La structure émettrice est obligatoire.' }).int().positive('La structure émettrice est obligatoire.'),
  recipientSiret: z.string({ message: 'Le SIRET du destinataire est obligatoire.' }).trim().transform((s) => s.replace(/\s/g, '')).pipe(z.string().min(1, 'Le SIRET du destinataire est obligatoire.')),
  serviceCode: optionalText(100, 'Le code service'),
  ejNumber: optionalText(50, "Le numéro d'engagement"),
  framework: z.enum(FRAMEWORKS, { message: 'Cadre de facturation inconnu.' }).default('A1_FACTURE_FOURNISSEUR'),
  documentType: z.enum(DOCUMENT_TYPES, { message: 'Le type de document doit être FACTURE ou AVOIR.' }).default('FACTURE'),
  originalInvoiceNumber: optionalText(20, 'Le numéro de la facture d’origine'),
  number: z.string({ message: 'Le numéro de facture est obligatoire.' }).trim().min(1, 'Le numéro de facture est obligatoire.').max(60, 'Le numéro de facture ne doit pas dépasser 20 caractères.'),
  invoiceDate: isoDay('La date de facture'),
  dueDate: z.union([isoDay("La date d'échéance"), z.literal('')]).nullable().optional().transform((v) => v || null),
  currency: z.string().trim().toUpperCase().default('EUR'),
  depositMode: z.enum(DEPOSIT_MODES).default('SAISIE_API'),
  lines: z
    .array(z.object({
      description: z.string().default(''),
      quantity: z.union([z.string(), z.number()]).transform(String),
      unit: z.string().nullable().optional(),
      unitPrice: z.union([z.string(), z.number()]).transform(String),
      discountAmount: z.union([z.string(), z.number()]).nullable().optional().transform((v) => (v === null || v === undefined ? null : String(v))),
      vatRate: z.union([z.string(), z.number()]).transform(String),
    }))
    .max(500, 'Une facture saisie compte au plus 500 lignes.')
    .default([]),
  prepaidAmount: z.union([z.string(), z.number()]).nullable().optional().transform((v) => (v === null || v === undefined || v === '' ? null : String(v))),
  totals: z
    .object({
      totalWithoutVat: z.string().nullable().optional(),
      totalVat: z.string().nullable().optional(),
      totalWithVat: z.string().nullable().optional(),
      amountDue: z.string().nullable().optional(),
      vatBreakdown: z.array(z.object({ vatRate: z.union([z.string(), z.number()]).transform(String), taxableAmount: z.string().nullable().optional(), vatAmount: z.string().nullable().optional() })).max(20).nullable().optional(),
    })
    .optional(),
  comment: optionalText(200, 'Le commentaire'),
});
export type DraftInput = z.input<typeof draftInput>;

const fail = (fields: Record<string, string>) => new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', fields);
export const numberTakenError = (number: string) =>
  new AppError('CONFLICT', 'INVOICE_NUMBER_TAKEN', `Le numéro de facture « ${number} » est déjà utilisé par une autre facture de votre structure.`, { number: `Le numéro de facture « ${number} » est déjà utilisé par une autre facture de votre structure.` });

/** Everything a draft stores, resolved and computed (recipient and service ids, exact totals). */
export async function resolveDraft(ctx: Ctx, raw: DraftInput) {
  const input = parseInput(draftInput, raw);
  const errors: Record<string, string> = {};
  const recipient = await findRecipient(ctx.db, input.recipientSiret);
  if (!recipient) errors.recipientSiret = `Aucune structure de SIRET ${input.recipientSiret} n'est inscrite sur la plateforme : vérifiez le SIRET du destinataire dans l'annuaire.`;
  let serviceId: number | null = null;
  if (recipient && input.serviceCode) {
    const service = await findRecipientService(ctx.db, recipient.id, input.serviceCode);
    if (!service) errors.serviceCode = `Le service « ${input.serviceCode} » n'existe pas chez ${recipient.name}.`;
    else serviceId = service.id;
  }
  const computed = isPdfMode(input.depositMode)
    ? { lines: [], ...declaredTotals({ ...input.totals, prepaidAmount: input.prepaidAmount }) }
    : computeTotals(input.lines, input.prepaidAmount);
  Object.assign(errors, computed.errors);
  if (Object.keys(errors).length) throw fail(errors);
  return { input, recipient: recipient!, serviceId, lines: computed.lines, totals: computed.totals };
}

const columnsOf = (r: Awaited<ReturnType<typeof resolveDraft>>) => ({
  recipient_structure_id: r.recipient.id,
  service_id: r.serviceId,
  ej_number: r.input.ejNumber,
  framework: r.input.framework,
  document_type: r.input.documentType,
  original_invoice_number: r.input.documentType === 'AVOIR' ? r.input.originalInvoiceNumber : null,
  number: r.input.number,
  invoice_date: r.input.invoiceDate,
  due_date: r.input.dueDate,
  currency: r.input.currency,
  deposit_mode: r.input.depositMode,
  total_without_vat: r.totals.totalWithoutVat,
  total_vat: r.totals.totalVat,
  total_with_vat: r.totals.totalWithVat,
  prepaid_amount: r.totals.prepaidAmount,
  amount_due: r.totals.amountDue,
  comment: r.input.comment,
});

/** The supplier saves a new invoice as BROUILLON (by form, or as the metadata of a PDF). */
export async function createDraft(ctx: Ctx, actor: Actor, raw: DraftInput): Promise<{ invoiceId: number }> {
  const supplierId = Number((raw as { supplierStructureId?: unknown }).supplierStructureId);
  if (Number.isSafeInteger(supplierId) && supplierId > 0) {
    const m = await loadMembership(ctx.db, actor.userId, supplierId, actor.isTechnical);
    if (m.role === null || !(await findStructure(ctx.db, supplierId))) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
    if (!canOnInvoice(m, 'invoice.supplier.edit', null)) throw new AppError('FORBIDDEN', 'FORBIDDEN', "Vous n'avez pas le droit de déposer des factures pour cette structure (espace « Factures émises » en modification).");
  }
  const r = await resolveDraft(ctx, raw);
  if (await numberTaken(ctx.db, r.input.supplierStructureId, r.input.number)) throw numberTakenError(r.input.number);
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const { id } = await insertInvoice(trx, { ...columnsOf(r), supplier_structure_id: r.input.supplierStructureId, status: 'BROUILLON', status_changed_at: now, created_by: actor.userId, created_at: now, updated_at: now });
      await replaceLinesAndTotals(trx, id, r.lines, r.totals);
      await appendEvent(trx, id, { type: 'CREATION', action: null, fromStatus: null, toStatus: 'BROUILLON', actorUserId: actor.userId, actorRole: 'FOURNISSEUR', reason: null, comment: null, data: { number: r.input.number, depositMode: r.input.depositMode, totalWithVat: r.totals.totalWithVat }, createdAt: now });
      return { invoiceId: id };
    });
  } catch (err) {
    if ((err as { code?: string })?.code === '23505' || /duplicate key/.test(String((err as Error)?.message))) throw numberTakenError(r.input.number);
    throw err;
  }
}

/** The supplier changes a draft; every field is sent again (the form is the whole invoice). */
export async function updateDraft(ctx: Ctx, actor: Actor, invoiceId: number, raw: DraftInput): Promise<void> {
  const access = await loadInvoiceAccess(ctx.db, actor, invoiceId);
  requireActing(access, 'FOURNISSEUR');
  if (access.invoice.status !== 'BROUILLON') throw new AppError('CONFLICT', 'NOT_A_DRAFT', 'Seule une facture au statut « Brouillon » peut être modifiée.');
  if (isStructuredMode(access.invoice.deposit_mode))
    throw new AppError('CONFLICT', 'LOCKED_BY_FILE', 'Cette facture a été lue dans un fichier structuré : seuls le code service, le numéro d’engagement, le cadre et le commentaire peuvent être complétés (PATCH /invoices/{id}).');
  const r = await resolveDraft(ctx, { ...raw, supplierStructureId: access.invoice.supplier_structure_id });
  if (await numberTaken(ctx.db, access.invoice.supplier_structure_id, r.input.number, invoiceId)) throw numberTakenError(r.input.number);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockInvoice(trx, invoiceId);
    if (!locked) throw invoiceNotFound();
    if (locked.status !== 'BROUILLON') throw new AppError('CONFLICT', 'NOT_A_DRAFT', 'Seule une facture au statut « Brouillon » peut être modifiée.');
    await updateInvoice(trx, invoiceId, { ...columnsOf(r), updated_at: now });
    await replaceLinesAndTotals(trx, invoiceId, r.lines, r.totals);
    await appendEvent(trx, invoiceId, { type: 'MODIFICATION', action: null, fromStatus: 'BROUILLON', toStatus: 'BROUILLON', actorUserId: actor.userId, actorRole: 'FOURNISSEUR', reason: null, comment: null, data: { number: r.input.number, totalWithVat: r.totals.totalWithVat }, createdAt: now });
  });
}

