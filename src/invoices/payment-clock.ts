import type { Actor, Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { z } from 'zod';
import { Decimal } from 'decimal.js';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { formatAmountFr } from '../shared/money.ts';
import { enqueue, enqueueMany } from '../queue/queue.ts';
import { invoicePaymentClockJob } from '../queue/jobs.ts';
import { notify } from '../notifications/index.ts';
import { findStructure, loadMembership } from '../structures/index.ts';
import type { InvoiceAction } from './lifecycle.ts';
import { WORKS_FRAMEWORKS } from './works-circuits.ts';
import { findInvoice, listInvoiceEvents, usersWithSpace, type InvoiceRow } from './repository.ts';
import { findClock, findClocks, findPaymentTerms, insertClocks, listEcbRates, listSuspensionEvents, markClockAlerted, savePaymentTerms, updateClock } from './delays-repository.ts';
import {
  PAYER_CATEGORIES, addDays, clockOf, delayDaysOf, lateCompensation, parisDay, startOfParisDay, suspensionsOf, LEGAL_DELAY_DAYS,
  type PayerCategory,
} from './payment-delays.ts';
import { mapped } from '../shared/mapped.ts';

/** The clock's job fires at the start of the first late day (00:00 Europe/Paris after the due date). */
const armAt = (dueOn: string) => startOfParisDay(addDays(dueOn, 1));

/**
 * What the lifecycle's transitions do to the payment clock, in the transition's transaction: the deposit starts
 * it (delay of the recipient) and schedules its job at the due date; the end of a suspension moves the due date
 * and schedules again; the payment stops it and computes the late-payment interest and indemnity; a rejection stops it.
 * For several invoices taking the same action at once (a batch): the clocks and the recipients' terms read once.
 */
export async function paymentClockAfterTransition(trx: Executor, ctx: Ctx, invoices: InvoiceRow[], action: InvoiceAction): Promise<void> {
  // Works pieces (A4–A25) have their own payment clock, counted from the MOE's receipt (src/works/clocks.ts).
  const invs = invoices.filter((inv) => !(WORKS_FRAMEWORKS as readonly string[]).includes(inv.framework));
  if (!invs.length) return;
  const today = parisDay(ctx.clock.now());
  const starts = action === 'DEPOSER' || action === 'RECYCLER';
  // Other routing steps (ACHEMINER, METTRE_A_DISPOSITION…) leave the clock as it is.
  if (!starts && !['COMPLETER', 'METTRE_EN_PAIEMENT', 'CONSTATER_DEJA_PAYEE', 'REJETER'].includes(action)) return;
  const clocks = new Map(mapped((await findClocks(trx, mapped(invs, (i) => i.id))), (c) => [c.invoice_id, c]));
  if (starts) {
    const terms = new Map<number, number>();
    const started = [];
    for (const inv of invs) {
      if (clocks.has(inv.id)) continue;
      if (!terms.has(inv.recipient_structure_id)) terms.set(inv.recipient_structure_id, delayDaysOf(await findPaymentTerms(trx, inv.recipient_structure_id)));
      const delayDays = terms.get(inv.recipient_structure_id)!;
      started.push({ invoiceId: inv.id, delayDays, startedOn: today, baseDueOn: addDays(today, delayDays) });
    }
    await insertClocks(trx, started);
    // One job per due date of the batch (a flow's chunk: a hundred invoices, most of them due the same day).
    const byDueDate = new Map<string, number[]>();
    for (const c of started) {
      const ids = byDueDate.get(c.baseDueOn);
      if (ids) ids.push(c.invoiceId);
      else byDueDate.set(c.baseDueOn, [c.invoiceId]);
    }
    const jobs = mapped([...byDueDate], ([dueOn, ids]) => ({ payload: ids.length === 1 ? { invoiceId: ids[0]! } : { invoiceIds: ids }, startAfter: armAt(dueOn) }));
    if (jobs.length === 1) await enqueue(trx, invoicePaymentClockJob, jobs[0]!.payload, { startAfter: jobs[0]!.startAfter });
    else await enqueueMany(trx, invoicePaymentClockJob, jobs);
    return;
  }
  for (const inv of invs) {
    const clock = clocks.get(inv.id);
    if (!clock || clock.paid_on || clock.stopped_on) continue;
    if (action === 'REJETER') {
      await updateClock(trx, inv.id, { stopped_on: today });
      continue;
    }
    const suspensions = suspensionsOf(await listInvoiceEvents(trx, inv.id));
    if (action === 'COMPLETER') {
      const c = clockOf({ startedOn: clock.started_on, delayDays: clock.delay_days, suspensions, today });
      await enqueue(trx, invoicePaymentClockJob, { invoiceId: inv.id }, { startAfter: armAt(c.dueOn) });
    } else {
      const c = clockOf({ startedOn: clock.started_on, delayDays: clock.delay_days, suspensions, today, paidOn: today });
      const comp = lateCompensation(inv.amount_due, c.dueOn, today, await listEcbRates(trx));
      await updateClock(trx, inv.id, { paid_on: today, days_late: c.daysLate, ecb_rate: comp?.ecbRate ?? null, interest_rate: comp?.interestRate ?? null, late_interest: comp?.interest ?? null, fixed_indemnity: comp?.indemnity ?? null });
    }
  }
}

/**
 * The clock's job: at the due date, an unpaid invoice that is not suspended is late — the recipient and the
 * supplier are alerted once. (A due date moved by a suspension has its own job, armed when the suspension ends.)
 */
export async function runPaymentClock(ctx: Ctx, invoiceId: number): Promise<'ABSENT' | 'ARRETE' | 'SUSPENDU' | 'PAS_ENCORE' | 'ALERTE' | 'DEJA_ALERTE'> {
  return ctx.db.transaction().execute(async (trx) => {
    const clock = await findClock(trx, invoiceId);
    const inv = await findInvoice(trx, invoiceId);
    if (!clock || !inv) return 'ABSENT';
    if (clock.paid_on || clock.stopped_on) return 'ARRETE';
    const today = parisDay(ctx.clock.now());
    const c = clockOf({ startedOn: clock.started_on, delayDays: clock.delay_days, suspensions: suspensionsOf(await listInvoiceEvents(trx, invoiceId)), today });
    if (c.state === 'SUSPENDU') return 'SUSPENDU';
    // Not due yet: a suspension moved the due date, and its end (COMPLETER) armed the job for the new date.
    if (c.state === 'EN_COURS') return 'PAS_ENCORE';
    if (clock.overdue_alerted_at) return 'DEJA_ALERTE';
    await markClockAlerted(trx, invoiceId, ctx.clock.now());
    const due = formatAmountFr(inv.amount_due, inv.currency);
    const dueFr = c.dueOn.split('-').reverse().join('/');
    const sides = [
      { structureId: inv.recipient_structure_id, space: 'FACTURES_RECUES', serviceId: inv.service_id, link: `/structures/${inv.recipient_structure_id}/factures-recues/${inv.id}`, message: `Délai de paiement dépassé : la facture ${inv.number} de ${inv.supplier_name} (${due}) devait être payée au plus tard le ${dueFr}. Des intérêts moratoires et l'indemnité forfaitaire de 40 € sont dus.` },
      { structureId: inv.supplier_structure_id, space: 'FACTURES_EMISES', serviceId: null, link: `/structures/${inv.supplier_structure_id}/factures-emises/${inv.id}`, message: `Délai de paiement dépassé : votre facture ${inv.number} à ${inv.recipient_name} (${due}) devait être payée au plus tard le ${dueFr}.` },
    ];
    for (const s of sides)
      for (const userId of await usersWithSpace(trx, s.structureId, s.space, s.serviceId))
        await notify(trx, { userId, structureId: s.structureId, kind: 'INVOICE_PAYMENT_OVERDUE', message: s.message, link: s.link, mail: { subject: `Facture ${inv.number} : délai de paiement dépassé`, text: `Bonjour,\n\n${s.message}\n\n${ctx.config.publicUrl}${s.link}\n` } });
    return 'ALERTE';
  });
}

/** The clock as each side sees it: days left, due date, amount due, and the compensation once late. */
export async function paymentDelayOf(db: Executor, inv: InvoiceRow, now: Date) {
  const clock = await findClock(db, inv.id);
  if (!clock) return null;
  const today = parisDay(now);
  const c = clockOf({ startedOn: clock.started_on, delayDays: clock.delay_days, suspensions: suspensionsOf(await listInvoiceEvents(db, inv.id)), today, paidOn: clock.paid_on, stoppedOn: clock.stopped_on });
  // Paid: what was computed on the payment day. Unpaid and late: what would be owed if paid today.
  const compensation = clock.paid_on
    ? clock.late_interest !== null
      ? { daysLate: clock.days_late ?? 0, ecbRate: clock.ecb_rate!, interestRate: clock.interest_rate!, interest: clock.late_interest, indemnity: clock.fixed_indemnity!, total: new Decimal(clock.late_interest).plus(clock.fixed_indemnity!).toFixed(2) }
      : null
    : c.state === 'DEPASSE' ? lateCompensation(inv.amount_due, c.dueOn, today, await listEcbRates(db)) : null;
  return { ...c, amountDue: inv.amount_due, currency: inv.currency, paidOn: clock.paid_on, compensation, compensationFinal: !!clock.paid_on };
}

/** The due date of each invoice of a list that has a payment clock (suspensions included), in two queries. */
export async function dueDatesOf(db: Executor, invoiceIds: number[], now: Date): Promise<Map<number, string>> {
  const [clocks, events] = await Promise.all([findClocks(db, invoiceIds), listSuspensionEvents(db, invoiceIds)]);
  const today = parisDay(now);
  return new Map(mapped(clocks, (clock) => {
    const suspensions = suspensionsOf(events.filter((e) => e.invoiceId === clock.invoice_id));
    return [clock.invoice_id, clockOf({ startedOn: clock.started_on, delayDays: clock.delay_days, suspensions, today, paidOn: clock.paid_on, stoppedOn: clock.stopped_on }).dueOn];
  }));
}

export const paymentTermsInput = z.object({
  payerCategory: z.enum(PAYER_CATEGORIES, { message: "Catégorie d'acheteur inconnue." }),
  delayDays: z.coerce.number().int('Le délai est un nombre entier de jours.').min(1, 'Le délai est d’au moins 1 jour.').max(60, 'Le délai ne peut pas dépasser 60 jours.').nullable().optional(),
});

/** The principal manager of a public structure sets its payer category (legal delay) and an optional shorter delay. */
export async function setPaymentTerms(ctx: Ctx, actor: Actor, structureId: number, raw: z.input<typeof paymentTermsInput>) {
  const input = parseInput(paymentTermsInput, raw);
  const structure = await findStructure(ctx.db, structureId);
  const m = structure ? await loadMembership(ctx.db, actor.userId, structureId, actor.isTechnical) : null;
  if (!structure || !m || m.role === null) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  if (m.role !== 'GESTIONNAIRE_PRINCIPAL') throw new AppError('FORBIDDEN', 'FORBIDDEN', 'Seul le gestionnaire principal peut régler le délai de paiement de la structure.');
  if (structure.kind !== 'PUBLIQUE') throw new AppError('VALIDATION', 'NOT_A_PUBLIC_STRUCTURE', 'Seule une structure publique paie des factures sur la plateforme.');
  const legal = LEGAL_DELAY_DAYS[input.payerCategory as PayerCategory];
  if (input.delayDays && input.delayDays > legal)
    throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', { delayDays: `Le délai ne peut pas dépasser le délai légal de ${legal} jours pour cette catégorie.` });
  await savePaymentTerms(ctx.db, { structureId, payerCategory: input.payerCategory, delayDays: input.delayDays ?? null, by: actor.userId, at: ctx.clock.now() });
  return { payerCategory: input.payerCategory, delayDays: delayDaysOf({ payer_category: input.payerCategory, delay_days: input.delayDays ?? null }) };
}

/** The delay a structure applies (public: anyone may read it, as in the directory). */
export async function getPaymentTerms(ctx: Ctx, structureId: number) {
  const t = await findPaymentTerms(ctx.db, structureId);
  return { payerCategory: t?.payer_category ?? null, ownDelayDays: t?.delay_days ?? null, delayDays: delayDaysOf(t) };
}
