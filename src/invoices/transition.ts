import type { Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { notify } from '../notifications/index.ts';
import { formatAmountFr } from '../shared/money.ts';
import { nextStatus, reasonLabel, statusLabel, type ActionInput, type ActorRole, type InvoiceAction } from './lifecycle.ts';
import { appendEvent, updateInvoice, usersWithSpace, type InvoiceRow } from './repository.ts';
import { afterValidationTransition, invoiceFacts } from './validation-effects.ts';
import { paymentClockAfterTransition } from './payment-clock.ts';

/**
 * Applies one transition of the table inside the caller's transaction: asks the lifecycle, writes the
 * status, appends the chained event and notifies the other side. Refusals are French AppErrors.
 */
export async function applyTransition(
  trx: Executor,
  ctx: Ctx,
  invoice: InvoiceRow,
  t: { action: InvoiceAction; role: ActorRole; actorUserId: number | null; input?: ActionInput; comment?: string | null; data?: Record<string, unknown>; set?: Parameters<typeof updateInvoice>[2] },
): Promise<InvoiceRow> {
  const decision = nextStatus(await invoiceFacts(trx, invoice), t.action, t.role, { at: ctx.clock.now(), ...(t.input ?? {}) });
  if (!decision.ok) throw new AppError('CONFLICT', decision.code, decision.message, decision.code === 'GUARD_FAILED' ? guardField(t.action) : undefined);
  const now = ctx.clock.now();
  await updateInvoice(trx, invoice.id, { ...(t.set ?? {}), status: decision.to, status_changed_at: now, updated_at: now });
  await appendEvent(trx, invoice.id, {
    type: 'TRANSITION',
    action: t.action,
    fromStatus: invoice.status,
    toStatus: decision.to,
    actorUserId: t.actorUserId,
    actorRole: t.role,
    reason: t.input?.reason?.trim() || null,
    comment: t.comment?.trim() || null,
    data: t.data ?? {},
    createdAt: now,
  });
  const updated = { ...invoice, status: decision.to, status_changed_at: now };
  await notifyOtherSide(trx, ctx, updated, t.role, t.action, t.input?.reason ?? null, t.comment ?? null);
  await afterValidationTransition(trx, ctx, updated, { action: t.action, role: t.role, from: invoice.status, reason: t.input?.reason?.trim() || null, comment: t.comment?.trim() || null });
  await paymentClockAfterTransition(trx, ctx, updated, t.action);
  return updated;
}

const guardField = (action: InvoiceAction): Record<string, string> =>
  action === 'MANDATER' ? { mandateNumber: 'Le numéro de mandat est obligatoire.' } : action === 'TRAITER_REJET' ? {} : { reason: 'Le motif est obligatoire.' };

/** Who hears about a status change: the recipient when the invoice reaches it or the supplier answers, the supplier otherwise. */
async function notifyOtherSide(trx: Executor, ctx: Ctx, inv: InvoiceRow, role: ActorRole, action: InvoiceAction, reason: string | null, comment: string | null) {
  const toRecipient = role === 'FOURNISSEUR' ? action === 'COMPLETER' : role === 'SYSTEME' && action === 'METTRE_A_DISPOSITION';
  const toSupplier = role === 'DESTINATAIRE' || (role === 'SYSTEME' && action !== 'ACHEMINER' && action !== 'METTRE_A_DISPOSITION');
  if (!toRecipient && !toSupplier) return;
  const structureId = toRecipient ? inv.recipient_structure_id : inv.supplier_structure_id;
  const users = toRecipient
    ? await usersWithSpace(trx, structureId, 'FACTURES_RECUES', inv.service_id)
    : await usersWithSpace(trx, structureId, 'FACTURES_EMISES', null);
  const link = toRecipient ? `/structures/${structureId}/factures-recues/${inv.id}` : `/structures/${structureId}/factures-emises/${inv.id}`;
  const label = statusLabel(inv.status);
  const message = toRecipient
    ? `Facture ${inv.number} de ${inv.supplier_name} (${formatAmountFr(inv.total_with_vat, inv.currency)}) : ${label.toLowerCase()}.`
    : `Votre facture ${inv.number} à ${inv.recipient_name} est ${label.toLowerCase()}.`;
  const why = reason ? `\nMotif : ${reasonLabel(action, reason) ?? reason}` : '';
  const note = comment ? `\nCommentaire : ${comment}` : '';
  for (const userId of users)
    await notify(trx, {
      userId,
      structureId,
      kind: `INVOICE_${inv.status}`,
      message,
      link,
      mail: { subject: `Facture ${inv.number} : ${label}`, text: `Bonjour,\n\n${message}${why}${note}\n\nConsultez la facture et son parcours : ${ctx.config.publicUrl}${link}\n` },
    });
}
