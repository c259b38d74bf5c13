import type { Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { anyOf, compiledOnce } from '../db/prepared.ts';
import { AppError } from '../shared/app-error.ts';
import { notifyMany } from '../notifications/index.ts';
import { formatAmountFr } from '../shared/money.ts';
import { nextStatus, reasonLabel, statusLabel, type ActionInput, type ActorRole, type InvoiceAction, type InvoiceStatus } from './lifecycle.ts';
import { appendEvents, updateInvoice, usersWithSpace, type ChainEnds, type InvoiceRow } from './repository.ts';
import { afterValidationTransition, invoiceFacts } from './validation-effects.ts';
import { paymentClockAfterTransition } from './payment-clock.ts';
import { mapped } from '../shared/mapped.ts';

type TransitionRequest = { action: InvoiceAction; role: ActorRole; actorUserId: number | null; input?: ActionInput; comment?: string | null };
type InvoiceChanges = Parameters<typeof updateInvoice>[2];

/**
 * Applies one transition of the table inside the caller's transaction: asks the lifecycle, writes the
 * status, appends the chained event and notifies the other side. Refusals are French AppErrors.
 */
export async function applyTransition(
  trx: Executor,
  ctx: Ctx,
  invoice: InvoiceRow,
  t: TransitionRequest & { data?: Record<string, unknown>; set?: InvoiceChanges },
): Promise<InvoiceRow> {
  return (await applyTransitions(trx, ctx, [{ invoice, data: t.data, set: t.set }], t))[0]!;
}

/**
 * The same transition for several invoices at once (a batch of deposits, the routing of a batch): the same
 * lifecycle decision for each, then one update per resulting status, one insert of the chained events, the
 * notifications with their recipients read once per structure, and the payment clocks together. All or nothing:
 * one refusal refuses the batch. `fresh`: invoices created in this transaction (their chains start at genesis).
 */
export async function applyTransitions(
  trx: Executor,
  ctx: Ctx,
  items: Array<{ invoice: InvoiceRow; data?: Record<string, unknown>; set?: InvoiceChanges }>,
  t: TransitionRequest,
  options: {
    fresh?: ReadonlySet<number>;
    /** The chains' ends this transaction knows (appendEvents), so that several transitions read them once. */
    chain?: ChainEnds;
    /**
     * false: the new statuses are not written to the invoice rows (the caller writes the last one of several
     * transitions at once: writeStatuses). The events, notifications and clocks are written as always.
     */
    writeStatus?: boolean;
    /** The transition's instant, when the caller has already written it (a deposit inserting its invoices as sent). */
    at?: Date;
  } = {},
): Promise<InvoiceRow[]> {
  if (!items.length) return [];
  const now = options.at ?? ctx.clock.now();
  const targets: InvoiceStatus[] = [];
  for (const { invoice } of items) {
    const decision = nextStatus(await invoiceFacts(trx, invoice), t.action, t.role, { at: now, ...(t.input ?? {}) });
    if (!decision.ok) throw new AppError('CONFLICT', decision.code, decision.message, decision.code === 'GUARD_FAILED' ? guardField(t.action) : undefined);
    targets.push(decision.to);
  }
  const updates = new Map<string, { changes: InvoiceChanges; ids: number[] }>();
  items.forEach((it, k) => {
    const changes = { ...(it.set ?? {}), status: targets[k], status_changed_at: now, updated_at: now };
    const key = JSON.stringify(changes);
    const group = updates.get(key) ?? updates.set(key, { changes, ids: [] }).get(key)!;
    group.ids.push(it.invoice.id);
  });
  if (options.writeStatus !== false)
    for (const { changes, ids } of updates.values())
      if (ids.length === 1) await updateInvoice(trx, ids[0]!, changes);
      else await trx.updateTable('invoices').set(changes).where('id', 'in', ids).execute();
  const reason = t.input?.reason?.trim() || null;
  const comment = t.comment?.trim() || null;
  await appendEvents(trx, mapped(items, (it, k) => ({
    invoiceId: it.invoice.id,
    event: { type: 'TRANSITION', action: t.action, fromStatus: it.invoice.status, toStatus: targets[k]!, actorUserId: t.actorUserId, actorRole: t.role, reason, comment, data: it.data ?? {}, createdAt: now },
  })), options.fresh, options.chain);
  const updated = mapped(items, (it, k) => ({ ...it.invoice, status: targets[k]!, status_changed_at: now }));
  await notifyOtherSide(trx, ctx, updated, t.role, t.action, t.input?.reason ?? null, t.comment ?? null);
  for (let k = 0; k < items.length; k++)
    await afterValidationTransition(trx, ctx, updated[k]!, { action: t.action, role: t.role, from: items[k]!.invoice.status, reason, comment });
  await paymentClockAfterTransition(trx, ctx, updated, t.action);
  return updated;
}

const guardField = (action: InvoiceAction): Record<string, string> =>
  action === 'MANDATER' ? { mandateNumber: 'Le numéro de mandat est obligatoire.' } : action === 'TRAITER_REJET' ? {} : { reason: 'Le motif est obligatoire.' };

/** Who hears about a status change: the recipient when the invoice reaches it or the supplier answers, the supplier otherwise. */
async function notifyOtherSide(trx: Executor, ctx: Ctx, invoices: InvoiceRow[], role: ActorRole, action: InvoiceAction, reason: string | null, comment: string | null) {
  const toRecipient = role === 'FOURNISSEUR' ? action === 'COMPLETER' : role === 'SYSTEME' && action === 'METTRE_A_DISPOSITION';
  const toSupplier = role === 'DESTINATAIRE' || (role === 'SYSTEME' && action !== 'ACHEMINER' && action !== 'METTRE_A_DISPOSITION');
  if (!toRecipient && !toSupplier) return;
  const audiences = new Map<string, number[]>();
  const notifications = [];
  for (const inv of invoices) {
    const structureId = toRecipient ? inv.recipient_structure_id : inv.supplier_structure_id;
    const key = toRecipient ? `R/${structureId}/${inv.service_id}` : `S/${structureId}`;
    if (!audiences.has(key))
      audiences.set(key, toRecipient ? await usersWithSpace(trx, structureId, 'FACTURES_RECUES', inv.service_id) : await usersWithSpace(trx, structureId, 'FACTURES_EMISES', null));
    const link = toRecipient ? `/structures/${structureId}/factures-recues/${inv.id}` : `/structures/${structureId}/factures-emises/${inv.id}`;
    const label = statusLabel(inv.status);
    const message = toRecipient
      ? `Facture ${inv.number} de ${inv.supplier_name} (${formatAmountFr(inv.total_with_vat, inv.currency)}) : ${label.toLowerCase()}.`
      : `Votre facture ${inv.number} à ${inv.recipient_name} est ${label.toLowerCase()}.`;
    const why = reason ? `\nMotif : ${reasonLabel(action, reason) ?? reason}` : '';
    const note = comment ? `\nCommentaire : ${comment}` : '';
    for (const userId of audiences.get(key)!)
      notifications.push({
        userId,
        structureId,
        kind: `INVOICE_${inv.status}`,
        message,
        link,
        mail: { subject: `Facture ${inv.number} : ${label}`, text: `Bonjour,\n\n${message}${why}${note}\n\nConsultez la facture et son parcours : ${ctx.config.publicUrl}${link}\n` },
      });
  }
  await notifyMany(trx, notifications);
}

/**
 * Writes the statuses of invoices moved by transitions applied with `writeStatus: false`: one update per status and
 * instant (an invoice row has many indexes on its status: each write of it costs them all).
 */
export async function writeStatuses(trx: Executor, invoices: Iterable<InvoiceRow>) {
  const groups = new Map<string, { status: string; at: Date; ids: number[] }>();
  for (const inv of invoices) {
    const at = new Date(inv.status_changed_at);
    const key = `${inv.status}/${at.toISOString()}`;
    (groups.get(key) ?? groups.set(key, { status: inv.status, at, ids: [] }).get(key)!).ids.push(inv.id);
  }
  for (const { status, at, ids } of groups.values()) await statusOf(trx, status, at, ids);
}
const statusOf = compiledOnce((db, status: string, at: Date, ids: number[]) =>
  db.updateTable('invoices').set({ status, status_changed_at: at, updated_at: at }).where(anyOf('id', ids)));
