import type { Ctx } from '../context.ts';
import { enqueue } from '../queue/queue.ts';
import { validationDeadlineJob } from '../queue/jobs.ts';
import { formatAmountFr } from '../shared/money.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { notify } from '../notifications/index.ts';
import { lockInvoice, findInvoice, usersWithSpace } from './repository.ts';
import { applyTransition } from './transition.ts';
import { daysLeft } from './validation-clock.ts';
import { dueValidations, findValidation } from './validation-repository.ts';

type Deadline = { invoiceId: number; level: number; dueAt: string };

/**
 * The job at the exact deadline of a level: if the invoice still waits at that level with that deadline, the
 * platform records the absence of validation (tacit validation) and the routing goes on. A job woken before
 * the instant (clocks differ) waits again; a stale one (decided, corrected) does nothing.
 */
export async function runValidationDeadline(ctx: Ctx, p: Deadline): Promise<'TACIT' | 'STALE' | 'WAITING'> {
  const now = ctx.clock.now();
  const dueAt = new Date(p.dueAt);
  if (now.getTime() < dueAt.getTime()) {
    await ctx.db.transaction().execute((trx) => enqueue(trx, validationDeadlineJob, p, { startAfter: dueAt }));
    return 'WAITING';
  }
  return ctx.db.transaction().execute(async (trx) => {
    const inv = await lockInvoice(trx, p.invoiceId);
    const v = inv ? await findValidation(trx, p.invoiceId) : undefined;
    if (!inv || !v || inv.status !== `A_VALIDER_${p.level}` || !v.due_at || new Date(v.due_at).getTime() !== dueAt.getTime()) return 'STALE';
    await applyTransition(trx, ctx, inv, { action: 'CONSTATER_ABSENCE_VALIDATION', role: 'SYSTEME', actorUserId: null, input: { at: now }, data: { level: p.level, dueAt: p.dueAt } });
    return 'TACIT';
  });
}

/** A reminder to the validators of the level, if the invoice still waits there with that deadline. */
export async function remindValidator(ctx: Ctx, p: Deadline): Promise<boolean> {
  const inv = await findInvoice(ctx.db, p.invoiceId);
  const v = inv ? await findValidation(ctx.db, p.invoiceId) : undefined;
  if (!inv || !v || inv.status !== `A_VALIDER_${p.level}` || !v.due_at || new Date(v.due_at).toISOString() !== new Date(p.dueAt).toISOString()) return false;
  const structureId = p.level === 1 ? v.validator_1_structure_id : v.validator_2_structure_id;
  if (!structureId) return false;
  const left = daysLeft(ctx.clock.now(), new Date(p.dueAt));
  const message = `Rappel : la facture ${inv.number} de ${inv.supplier_name} (${formatAmountFr(inv.total_with_vat, inv.currency)}) est à valider avant le ${formatParisDateTime(new Date(p.dueAt))} (${left} jour${left > 1 ? 's' : ''}) ; sans réponse, elle sera validée tacitement.`;
  const link = `/structures/${structureId}/factures-a-valider/${inv.id}`;
  await ctx.db.transaction().execute(async (trx) => {
    for (const userId of await usersWithSpace(trx, structureId, 'FACTURES_A_VALIDER', null))
      await notify(trx, { userId, structureId, kind: 'INVOICE_VALIDATION_REMINDER', message, link, mail: { subject: `Rappel : facture ${inv.number} à valider`, text: `Bonjour,\n\n${message}\n\n${ctx.config.publicUrl}${link}\n` } });
  });
  return true;
}

/** Every level whose deadline has passed (a sweep, e.g. after downtime or in tests with a controlled clock). */
export async function runDueValidationDeadlines(ctx: Ctx): Promise<number> {
  let done = 0;
  for (const d of await dueValidations(ctx.db, ctx.clock.now()))
    if ((await runValidationDeadline(ctx, { invoiceId: d.invoice_id, level: d.current_level ?? 1, dueAt: new Date(d.due_at!).toISOString() })) === 'TACIT') done++;
  return done;
}
