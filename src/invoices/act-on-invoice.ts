import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { enqueue } from '../queue/queue.ts';
import { routeInvoiceJob } from '../queue/jobs.ts';
import { parisIsoDay } from '../structures/index.ts';
import { ACTIONS, ACTION_LABELS, REASONS, TRANSITIONS, type ActorRole, type InvoiceAction } from './lifecycle.ts';
import { listInvoiceDocuments, lockInvoice, updateInvoice } from './repository.ts';
import { applyTransition } from './transition.ts';
import { invoiceNotFound, loadInvoiceAccess, requireActing } from './access.ts';
import { findRecipient, findRecipientService } from './recipient-requirements.ts';
import { checkBeforeSending } from './submit-invoice.ts';

export const actionInput = z.object({
  action: z.enum(ACTIONS, { message: 'Action inconnue.' }),
  reason: z.string().trim().max(100).nullable().optional(),
  comment: z.string().trim().max(2000, 'Le commentaire ne doit pas dépasser 2000 caractères.').nullable().optional(),
  mandateNumber: z.string().trim().max(50, 'Le numéro de mandat ne doit pas dépasser 50 caractères.').nullable().optional(),
  /** Recycling: the supplier corrects the routing data only (same invoice number). */
  recipientSiret: z.string().trim().nullable().optional(),
  serviceCode: z.string().trim().nullable().optional(),
  ejNumber: z.string().trim().nullable().optional(),
});
export type ActionRequest = z.input<typeof actionInput>;

/** Actions done by people (the system's are run by the routing job); DEPOSER has its own use case. */
const PEOPLE_ACTIONS = new Set<InvoiceAction>(['SUPPRIMER', 'SUSPENDRE', 'COMPLETER', 'METTRE_A_RECYCLER', 'RECYCLER', 'REJETER', 'TRAITER_REJET', 'SERVICE_FAIT', 'MANDATER', 'METTRE_A_DISPOSITION_COMPTABLE', 'COMPTABILISER', 'METTRE_EN_PAIEMENT']);

/**
 * One action of the supplier or the recipient on an invoice, as the transition table allows it. The role
 * comes from the table (who may do the action) and the actor's rights; anything else is refused.
 */
export async function actOnInvoice(ctx: Ctx, actor: Actor, invoiceId: number, raw: ActionRequest) {
  const input = parseInput(actionInput, raw);
  const action = input.action;
  if (!PEOPLE_ACTIONS.has(action))
    throw new AppError('CONFLICT', 'TRANSITION_NOT_ALLOWED', action === 'DEPOSER' ? 'Utilisez « Valider et envoyer » pour déposer une facture.' : `L'action « ${ACTION_LABELS[action]} » est réservée à la plateforme.`);
  const access = await loadInvoiceAccess(ctx.db, actor, invoiceId);
  const role = TRANSITIONS.find((t) => t.action === action)!.role as 'FOURNISSEUR' | 'DESTINATAIRE';
  requireActing(access, role);
  const reasons = (REASONS as Record<string, ReadonlyArray<{ code: string }>>)[action];
  if (reasons && input.reason && !reasons.some((r) => r.code === input.reason))
    throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', { reason: 'Choisissez un motif de la liste.' });
  if (reasons && input.reason === 'AUTRE' && !input.comment)
    throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', { comment: 'Précisez le motif « Autre » dans le commentaire.' });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    let inv = await lockInvoice(trx, invoiceId);
    if (!inv) throw invoiceNotFound();
    let set: Parameters<typeof updateInvoice>[2] = {};
    const data: Record<string, unknown> = {};
    if (action === 'MANDATER') {
      set = { mandate_number: input.mandateNumber ?? null };
      data.mandateNumber = input.mandateNumber ?? null;
    }
    if (action === 'TRAITER_REJET') set = { reject_handled_at: now };
    if (action === 'COMPLETER' && inv.status === 'SUSPENDUE') {
      const added = (await listInvoiceDocuments(trx, invoiceId)).filter((d) => d.added_in_status === 'SUSPENDUE' && new Date(d.added_at) >= new Date(inv!.status_changed_at));
      if (!added.length && !input.comment)
        throw new AppError('VALIDATION', 'INVALID_INPUT', 'Pour compléter la facture, joignez au moins une pièce ou écrivez un commentaire.', { comment: 'Joignez au moins une pièce ou écrivez un commentaire.' });
      data.documents = added.map((d) => ({ filename: d.filename, sha256: d.sha256 }));
    }
    if (action === 'RECYCLER' && inv.status === 'A_RECYCLER') {
      const changes = await recyclingChanges(trx, inv.recipient_structure_id, input);
      set = changes.set;
      Object.assign(data, changes.data);
      await updateInvoice(trx, invoiceId, set);
      const corrected = (await lockInvoice(trx, invoiceId))!;
      const errors = await checkBeforeSending(trx, corrected, parisIsoDay(now));
      if (Object.keys(errors).length) throw new AppError('VALIDATION', 'INVOICE_CHECKS_FAILED', 'La facture corrigée ne peut pas être renvoyée.', errors);
      inv = { ...corrected, status: inv.status };
      set = {};
    }
    const updated = await applyTransition(trx, ctx, inv, { action, role, actorUserId: actor.userId, input: { reason: input.reason, mandateNumber: input.mandateNumber }, comment: input.comment ?? null, data, set });
    if (action === 'RECYCLER') await enqueue(trx, routeInvoiceJob, { invoiceId });
    return { invoiceId, status: updated.status };
  });
}

/** Recycling changes only the recipient, its service and the EJ number. */
async function recyclingChanges(trx: Executor, currentRecipientId: number, input: z.infer<typeof actionInput>) {
  let recipientId = currentRecipientId;
  if (input.recipientSiret) {
    const r = await findRecipient(trx, input.recipientSiret);
    if (!r) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', { recipientSiret: `Aucune structure de SIRET ${input.recipientSiret} n'est inscrite sur la plateforme.` });
    recipientId = r.id;
  }
  let serviceId: number | null = null;
  if (input.serviceCode) {
    const s = await findRecipientService(trx, recipientId, input.serviceCode);
    if (!s) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', { serviceCode: `Le service « ${input.serviceCode} » n'existe pas chez ce destinataire.` });
    serviceId = s.id;
  }
  return {
    set: { recipient_structure_id: recipientId, service_id: serviceId, ej_number: input.ejNumber || null },
    data: { recipientStructureId: recipientId, serviceCode: input.serviceCode || null, ejNumber: input.ejNumber || null },
  };
}
