import { Decimal } from 'decimal.js';
import type { Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { designateValidators, loadContract } from '../contracts/index.ts';
import { notify } from '../notifications/index.ts';
import { enqueue } from '../queue/queue.ts';
import { routeInvoiceJob, validationDeadlineJob, validationReminderJob } from '../queue/jobs.ts';
import { formatAmountFr } from '../shared/money.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { VALIDATED_FRAMEWORKS, reasonLabel, statusLabel, type ActorRole, type Framework, type InvoiceAction, type InvoiceFacts } from './lifecycle.ts';
import { VALIDATED_WORKS_FRAMEWORKS } from './works-circuits.ts';
import { parseReminderDays, reminderInstants, validationDeadline } from './validation-clock.ts';
import { findValidation, invoicedOnContract, updateValidation } from './validation-repository.ts';
import { usersWithSpace, type InvoiceRow } from './repository.ts';

/** A9 / A12 invoices, and the subcontractor's works projets A10 / A11 (validated by the titulaire before the MOE). */
export const isValidated = (framework: string) => VALIDATED_FRAMEWORKS.includes(framework as Framework) || (VALIDATED_WORKS_FRAMEWORKS as string[]).includes(framework);
export const depositKind = (framework: string) => (framework === 'A12_FACTURE_COTRAITANT' ? 'COTRAITANCE' : 'SOUS_TRAITANCE') as 'COTRAITANCE' | 'SOUS_TRAITANCE';

/** What the lifecycle's guards know about an invoice: its status and, for A9 / A12, its validation circuit. */
export async function invoiceFacts(db: Executor, inv: { id: number; status: string; framework: string; reject_handled_at?: unknown }): Promise<InvoiceFacts> {
  const base: InvoiceFacts = { status: inv.status, framework: inv.framework, rejectHandled: !!inv.reject_handled_at };
  if (!isValidated(inv.framework)) return base;
  const v = await findValidation(db, inv.id);
  return { ...base, validationLevels: v?.levels || 1, validationDone: !!v?.completed_at, validationDueAt: v?.due_at ? new Date(v.due_at) : null };
}

/**
 * What follows a transition of a validation circuit, in the same transaction: a level opens (validators
 * designated by the contract, deadline, the exact-instant job and the reminders, the validator notified),
 * a level closes (the routing continues; the supplier hears the validator's decision), the circuit completes.
 */
export async function afterValidationTransition(trx: Executor, ctx: Ctx, inv: InvoiceRow, t: { action: InvoiceAction; role: ActorRole; from: string; reason: string | null; comment: string | null }) {
  if (!isValidated(inv.framework)) return;
  const now = ctx.clock.now();
  const to = inv.status;
  if (to === 'A_VALIDER_1' || to === 'A_VALIDER_2') {
    const level = to === 'A_VALIDER_1' ? 1 : 2;
    let v = await findValidation(trx, inv.id);
    if (!v) return;
    if (t.action === 'SOUMETTRE_VALIDATION' && level === 1) {
      const c = await loadContract(trx, v.contract_id);
      const d = c ? designateValidators(c.parties, inv.supplier_structure_id, depositKind(inv.framework)) : null;
      const validators = d?.ok ? d.validators : [v.validator_structure_id!];
      const warnings: string[] = [];
      const accepted = d?.ok ? d.depositor.acceptedAmount : null;
      if (accepted !== null) {
        const invoiced = await invoicedOnContract(trx, v.contract_id, inv.supplier_structure_id, inv.id);
        if (new Decimal(invoiced).gt(accepted))
          warnings.push(`Le montant cumulé facturé sur le marché (${formatAmountFr(invoiced, inv.currency)} HT) dépasse le montant accepté par l'acte spécial (${formatAmountFr(accepted, inv.currency)} HT).`);
      }
      await updateValidation(trx, inv.id, { validator_1_structure_id: validators[0], validator_2_structure_id: validators[1] ?? null, levels: validators.length, warnings: JSON.stringify(warnings) });
    }
    if (t.action === 'CORRIGER_VALIDEUR') await updateValidation(trx, inv.id, { validator_1_structure_id: v.validator_structure_id });
    const dueAt = validationDeadline(now, ctx.config.VALIDATION_DEADLINE_DAYS);
    await updateValidation(trx, inv.id, { current_level: level, level_opened_at: now, due_at: dueAt });
    v = (await findValidation(trx, inv.id))!;
    const payload = { invoiceId: inv.id, level, dueAt: dueAt.toISOString() };
    await enqueue(trx, validationDeadlineJob, payload, { startAfter: dueAt });
    for (const at of reminderInstants(now, dueAt, parseReminderDays(ctx.config.VALIDATION_REMINDER_DAYS))) await enqueue(trx, validationReminderJob, payload, { startAfter: at });
    const validatorId = level === 1 ? v.validator_1_structure_id : v.validator_2_structure_id;
    if (validatorId)
      await notifyValidator(trx, ctx, inv, validatorId, `Facture ${inv.number} de ${inv.supplier_name} (${formatAmountFr(inv.total_with_vat, inv.currency)}) à valider avant le ${formatParisDateTime(dueAt)}, sans quoi elle sera validée tacitement.`);
    return;
  }
  if (['VALIDEE_1', 'VALIDEE_2', 'ABSENCE_VALIDATION_1_HORS_DELAI', 'ABSENCE_VALIDATION_2_HORS_DELAI', 'REFUSEE_1', 'REFUSEE_2', 'ERREUR_FOURNISSEUR_SUR_VALIDEUR'].includes(to)) {
    await updateValidation(trx, inv.id, { due_at: null });
    if (to.startsWith('VALIDEE') || to.startsWith('ABSENCE')) await enqueue(trx, routeInvoiceJob, { invoiceId: inv.id });
    if (t.role === 'VALIDEUR_1' || t.role === 'VALIDEUR_2') await notifySupplier(trx, ctx, inv, t.action, t.reason, t.comment);
    return;
  }
  if (t.action === 'TRANSMETTRE') await updateValidation(trx, inv.id, { completed_at: now, current_level: null });
}

async function notifyValidator(trx: Executor, ctx: Ctx, inv: InvoiceRow, structureId: number, message: string) {
  const link = `/structures/${structureId}/factures-a-valider/${inv.id}`;
  for (const userId of await usersWithSpace(trx, structureId, 'FACTURES_A_VALIDER', null))
    await notify(trx, { userId, structureId, kind: `INVOICE_${inv.status}`, category: 'VALIDATION', message, link, mail: { subject: `Facture ${inv.number} à valider`, text: `Bonjour,\n\n${message}\n\nConsultez-la : ${ctx.config.publicUrl}${link}\n` } });
}

async function notifySupplier(trx: Executor, ctx: Ctx, inv: InvoiceRow, action: InvoiceAction, reason: string | null, comment: string | null) {
  const link = `/structures/${inv.supplier_structure_id}/factures-emises/${inv.id}`;
  const message = `Votre facture ${inv.number} : ${statusLabel(inv.status).toLowerCase()}.`;
  const why = reason ? `\nMotif : ${reasonLabel(action, reason) ?? reason}` : '';
  const note = comment ? `\nCommentaire : ${comment}` : '';
  for (const userId of await usersWithSpace(trx, inv.supplier_structure_id, 'FACTURES_EMISES', null))
    await notify(trx, { userId, structureId: inv.supplier_structure_id, kind: `INVOICE_${inv.status}`, message, link, mail: { subject: `Facture ${inv.number} : ${statusLabel(inv.status)}`, text: `Bonjour,\n\n${message}${why}${note}\n\nConsultez la facture et son parcours : ${ctx.config.publicUrl}${link}\n` } });
}
