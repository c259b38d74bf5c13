import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { FRAMEWORKS } from './lifecycle.ts';
import { isStructuredMode } from './model.ts';
import { appendEvent, lockInvoice, updateInvoice } from './repository.ts';
import { findStructuredSource } from './deposits-repository.ts';
import { findRecipientService } from './recipient-requirements.ts';
import { invoiceNotFound, loadInvoiceAccess, requireActing } from './access.ts';

const optional = (max: number, label: string) =>
  z.string().trim().max(max, `${label} ne doit pas dépasser ${max} caractères.`).nullable().optional().transform((v) => (v === undefined ? undefined : v || null));
export const structuredCompletionInput = z.object({
  serviceCode: optional(100, 'Le code service'),
  ejNumber: optional(50, "Le numéro d'engagement"),
  framework: z.enum(FRAMEWORKS, { message: 'Cadre de facturation inconnu.' }).optional(),
  comment: optional(200, 'Le commentaire'),
});
export type StructuredCompletion = z.input<typeof structuredCompletionInput>;

const LABELS: Record<string, string> = { serviceCode: 'Le code service', ejNumber: "Le numéro d'engagement", framework: 'Le cadre de facturation' };

/**
 * The supplier completes a draft read from a structured file with what the XML does not say (service code,
 * EJ number, framework, comment). What the XML decides stays locked: the file is the invoice.
 */
export async function completeStructuredDraft(ctx: Ctx, actor: Actor, invoiceId: number, raw: StructuredCompletion): Promise<void> {
  const input = parseInput(structuredCompletionInput, raw);
  const access = await loadInvoiceAccess(ctx.db, actor, invoiceId);
  requireActing(access, 'FOURNISSEUR');
  const inv = access.invoice;
  if (inv.status !== 'BROUILLON') throw new AppError('CONFLICT', 'NOT_A_DRAFT', 'Seule une facture au statut « Brouillon » peut être modifiée.');
  const source = isStructuredMode(inv.deposit_mode) ? await findStructuredSource(ctx.db, invoiceId) : null;
  if (!source) throw new AppError('CONFLICT', 'NOT_A_STRUCTURED_DRAFT', "Cette facture n'a pas été déposée sous forme de fichier structuré.");
  const current: Record<string, string | null> = { serviceCode: inv.service_code, ejNumber: inv.ej_number, framework: inv.framework };
  const fields: Record<string, string> = {};
  for (const key of ['serviceCode', 'ejNumber', 'framework'] as const) {
    const v = input[key];
    if (v !== undefined && source.locked.includes(key) && v !== current[key]) fields[key] = `${LABELS[key]} est fixé par le fichier de la facture et ne peut pas être modifié ici.`;
  }
  let serviceId = inv.service_id;
  if (input.serviceCode !== undefined && !source.locked.includes('serviceCode')) {
    if (input.serviceCode === null) serviceId = null;
    else {
      const s = await findRecipientService(ctx.db, inv.recipient_structure_id, input.serviceCode);
      if (!s) fields.serviceCode ??= `Le service « ${input.serviceCode} » n'existe pas chez ${inv.recipient_name}.`;
      else serviceId = s.id;
    }
  }
  if (Object.keys(fields).length) throw new AppError('VALIDATION', 'LOCKED_BY_FILE', 'Certains champs sont invalides.', fields);
  const now = ctx.clock.now();
  const set = {
    service_id: serviceId,
    ...(input.ejNumber !== undefined && !source.locked.includes('ejNumber') ? { ej_number: input.ejNumber } : {}),
    ...(input.framework !== undefined && !source.locked.includes('framework') ? { framework: input.framework } : {}),
    ...(input.comment !== undefined ? { comment: input.comment } : {}),
    updated_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockInvoice(trx, invoiceId);
    if (!locked || locked.status !== 'BROUILLON') throw locked ? new AppError('CONFLICT', 'NOT_A_DRAFT', 'Seule une facture au statut « Brouillon » peut être modifiée.') : invoiceNotFound();
    await updateInvoice(trx, invoiceId, set);
    await appendEvent(trx, invoiceId, {
      type: 'MODIFICATION', action: null, fromStatus: 'BROUILLON', toStatus: 'BROUILLON', actorUserId: actor.userId, actorRole: 'FOURNISSEUR', reason: null, comment: null,
      data: { serviceId, ejNumber: set.ej_number ?? locked.ej_number, framework: set.framework ?? locked.framework, comment: set.comment ?? locked.comment }, createdAt: now,
    });
  });
}
