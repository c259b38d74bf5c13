import { createHash } from 'node:crypto';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { enqueue } from '../queue/queue.ts';
import { routeInvoiceJob } from '../queue/jobs.ts';
import { findEngagement, findStructure, invoicingRequirements, parisIsoDay, serviceIsValidOn } from '../structures/index.ts';
import type { Executor } from '../db/open-database.ts';
import { canonicalJson } from './chain.ts';
import { certificateDataOf, storeCertificate, type CertificateWhen } from './deposit-certificate.ts';
import { CIRCUITS, FRAMEWORKS, circuitOf, nextStatus, type Framework, type InvoiceAction, type InvoiceStatus } from './lifecycle.ts';
import { CURRENCIES, INVOICE_NUMBER, isPdfMode, isStructuredMode, totalsInconsistencies } from './model.ts';
import { listInvoiceDocuments, listLines, listVatBreakdown, lockInvoice, lockInvoices, numberTaken, type ChainEnds, type InvoiceRow } from './repository.ts';
import { applyTransition, applyTransitions, writeStatuses } from './transition.ts';
import { invoiceNotFound, loadInvoiceAccess, requireActing } from './access.ts';
import { checkValidationCircuit } from './validation-checks.ts';
import { invoiceFacts, isValidated } from './validation-effects.ts';

/** What the checks before sending know besides the invoice: its recipient, service, commitment, contents. */
export interface SendingFacts {
  recipient: Awaited<ReturnType<typeof findStructure>>;
  service: ({ code: string; numero_ej_doit_etre_renseigne: boolean } & Parameters<typeof serviceIsValidOn>[0]) | undefined;
  /** The legal commitment the invoice names, read only when the recipient requires one (needsEngagement). */
  engagement: { state: string } | undefined;
  /** Another live invoice of the supplier carries this number. */
  numberTaken: boolean;
  /** The checks of the invoice's contract (checkValidationCircuit), by field. */
  circuit: Record<string, string>;
  contents: Pick<InvoiceContents, 'lines' | 'breakdown'> & { documents: Array<{ role: string }> };
}
type SendingInvoice = Pick<InvoiceRow,
  'id' | 'number' | 'supplier_structure_id' | 'recipient_structure_id' | 'service_id' | 'ej_number' | 'invoice_date' | 'due_date' | 'currency' | 'framework'
  | 'document_type' | 'original_invoice_number' | 'deposit_mode' | 'total_with_vat' | 'total_without_vat' | 'total_vat' | 'prepaid_amount' | 'amount_due'>;

/** Whether the checks need the invoice's legal commitment (the recipient or its service requires one). */
export const needsEngagement = (inv: Pick<InvoiceRow, 'ej_number'>, recipient: SendingFacts['recipient'], service: SendingFacts['service']) =>
  !!recipient && recipient.kind === 'PUBLIQUE' && !!inv.ej_number && invoicingRequirements(recipient, service).ej;

/**
 * The checks before sending (chorus-pro.md §5 and issue 4), each with a French message naming the field.
 * Returns the field errors; empty when the invoice may be sent. Also used for the recycling of an invoice.
 */
export async function checkBeforeSending(db: Executor, inv: InvoiceRow, depositDay: string, loaded?: InvoiceContents): Promise<Record<string, string>> {
  const recipient = await findStructure(db, inv.recipient_structure_id);
  const service = inv.service_id ? await db.selectFrom('services').selectAll().where('id', '=', inv.service_id).executeTakeFirst() : undefined;
  return sendingErrors(inv, depositDay, {
    recipient,
    service,
    engagement: needsEngagement(inv, recipient, service) ? await findEngagement(db, recipient!.id, inv.ej_number!) : undefined,
    numberTaken: INVOICE_NUMBER.test(inv.number) && (await numberTaken(db, inv.supplier_structure_id, inv.number, inv.id)),
    circuit: await checkValidationCircuit(db, inv),
    contents: loaded ?? (await invoiceContents(db, inv.id)),
  });
}

/** The checks before sending on what was read (pure): the one rule for a single invoice and for a batch. */
export function sendingErrors(inv: SendingInvoice, depositDay: string, f: SendingFacts): Record<string, string> {
  const e: Record<string, string> = {};
  const { recipient, service } = f;
  if (!recipient) e.recipientSiret = "Le destinataire n'existe pas sur la plateforme.";
  else {
    if (recipient.kind !== 'PUBLIQUE') e.recipientSiret = `Destinataire : ${recipient.name} n'est pas une structure publique ; une facture ne peut être adressée qu'à une structure publique.`;
    else if (recipient.status !== 'ACTIVE') e.recipientSiret = `Destinataire : ${recipient.name} n'est plus active et ne reçoit plus de factures.`;
  }
  if (recipient && recipient.kind === 'PUBLIQUE') {
    const req = invoicingRequirements(recipient, service);
    if (req.serviceCode && !service) e.serviceCode = `Code service : ${recipient.name} exige un code service sur ses factures.`;
    if (service && !serviceIsValidOn(service, depositDay)) e.serviceCode = `Code service : le service « ${service.code} » n'est pas actif à la date du dépôt.`;
    if (req.ej && !inv.ej_number)
      e.ejNumber = service?.numero_ej_doit_etre_renseigne
        ? `Numéro d'engagement : le service « ${service.code} » de ${recipient.name} exige un numéro d'engagement juridique.`
        : `Numéro d'engagement : ${recipient.name} exige un numéro d'engagement juridique.`;
    if (req.ejOrServiceCode && !inv.ej_number && !service) e.ejNumber ??= `Numéro d'engagement ou code service : ${recipient.name} exige l'un des deux.`;
    if (req.ej && inv.ej_number) {
      const ej = f.engagement;
      if (!ej) e.ejNumber = `Numéro d'engagement : l'engagement « ${inv.ej_number} » n'existe pas dans le registre des engagements de ${recipient.name}.`;
      else if (ej.state === 'ANNULE') e.ejNumber = `Numéro d'engagement : l'engagement « ${inv.ej_number} » est annulé.`;
    }
  }
  if (!INVOICE_NUMBER.test(inv.number)) e.number = 'Numéro de facture : 20 caractères au plus, lettres, chiffres et - _ / + uniquement.';
  else if (f.numberTaken) e.number = `Numéro de facture : « ${inv.number} » est déjà utilisé par une autre facture de votre structure.`;
  if (inv.invoice_date > depositDay) e.invoiceDate = `Date de facture : le ${frenchDay(inv.invoice_date)} est postérieur à la date du dépôt (${frenchDay(depositDay)}).`;
  if (inv.due_date && inv.due_date < inv.invoice_date) e.dueDate = "Date d'échéance : elle ne peut pas précéder la date de facture.";
  if (!(CURRENCIES as readonly string[]).includes(inv.currency)) e.currency = `Devise : « ${inv.currency} » n'est pas un code ISO 4217 accepté.`;
  if (!(FRAMEWORKS as readonly string[]).includes(inv.framework)) e.framework = 'Cadre de facturation : seuls A1, A2, A9 et A12 sont acceptés pour une facture.';
  Object.assign(e, f.circuit);
  if (inv.document_type === 'AVOIR' && !inv.original_invoice_number) e.originalInvoiceNumber = "Facture d'origine : un avoir doit indiquer le numéro de la facture qu'il corrige.";
  const { lines, breakdown, documents } = f.contents;
  if (isStructuredMode(inv.deposit_mode)) {
    // The structured file is the invoice: its amounts were checked by the EN 16931 rules at deposit.
    if (!documents.some((d) => d.role === 'PRINCIPALE')) e.mainDocument = 'Pièce principale : le fichier structuré de la facture manque.';
  } else if (isPdfMode(inv.deposit_mode)) {
    if (!documents.some((d) => d.role === 'PRINCIPALE')) e.mainDocument = 'Pièce principale : joignez la facture au format PDF.';
  } else if (!lines.length) e.lines = 'Lignes : une facture saisie compte au moins une ligne.';
  if (inv.total_with_vat === '0.00' && inv.document_type === 'FACTURE') e.totalWithVat = 'Montant TTC : une facture ne peut pas être à zéro.';
  if (!isStructuredMode(inv.deposit_mode)) for (const [k, v] of Object.entries(totalsInconsistencies(inv, lines, breakdown))) e[k] ??= `Montants : ${v}`;
  return e;
}
type InvoiceContents = Awaited<ReturnType<typeof invoiceContents>>;
const invoiceContents = async (db: Executor, id: number) => ({ lines: await listLines(db, id), breakdown: await listVatBreakdown(db, id), documents: await listInvoiceDocuments(db, id) });
const frenchDay = (iso: string) => iso.split('-').reverse().join('/');

/**
 * « Valider et envoyer »: every check, then BROUILLON → DEPOSEE with a deposit certificate (PDF listing the
 * deposit date and the SHA-256 of every file), and the routing job enqueued in the same transaction.
 */
export async function submitInvoice(ctx: Ctx, actor: Actor, invoiceId: number) {
  const access = await loadInvoiceAccess(ctx.db, actor, invoiceId);
  requireActing(access, 'FOURNISSEUR');
  const r = await ctx.db.transaction().execute((trx) => sendDraft(trx, ctx, actor.userId, invoiceId, { certificate: 'now' }));
  return { ...r, certificate: r.certificate! };
}

/**
 * Sends a draft inside the caller's transaction (the caller has authorised the supplier): every check,
 * the certificate (now, or deferred to its first request: deposit-certificate.ts), BROUILLON → DEPOSEE and the
 * routing job. Also used by the structured deposit of a flow.
 */
export async function sendDraft(trx: Executor, ctx: Ctx, actorUserId: number, invoiceId: number, options: { certificate?: CertificateWhen } = {}) {
  const now = ctx.clock.now();
  const inv = await lockInvoice(trx, invoiceId);
  if (!inv) throw invoiceNotFound();
  if (inv.status !== 'BROUILLON') throw new AppError('CONFLICT', 'TRANSITION_NOT_ALLOWED', `Cette facture a déjà été envoyée (statut « ${inv.status} »).`);
  // Read once for the checks and the certificate (the invoice is locked).
  const contents = await invoiceContents(trx, invoiceId);
  const errors = await checkBeforeSending(trx, inv, parisIsoDay(now), contents);
  if (Object.keys(errors).length) throw new AppError('VALIDATION', 'INVOICE_CHECKS_FAILED', `La facture ne peut pas être envoyée : ${Object.keys(errors).length} contrôle(s) en échec.`, errors);
  const deposit = await depositOf(trx, ctx, inv, contents, actorUserId, options.certificate ?? 'now');
  await applyTransition(trx, ctx, inv, { action: 'DEPOSER', role: 'FOURNISSEUR', actorUserId, ...deposit.transition });
  await enqueue(trx, routeInvoiceJob, { invoiceId });
  return { invoiceId, status: 'DEPOSEE' as const, depositedAt: now, certificate: deposit.certificate, files: deposit.files, dataSha256: deposit.dataSha256 };
}

/**
 * What the DEPOSER transition writes, for one invoice or each of a batch: the files' and the data's fingerprints
 * and the certificate, rendered now (its document and SHA-256 in the event) or deferred (its data in the event).
 * `now`: the deposit's instant, one for a whole batch (so that its invoices are updated together).
 */
export async function depositOf(trx: Executor, ctx: Ctx, inv: InvoiceRow, contents: Pick<InvoiceContents, 'lines' | 'breakdown'> & { documents: Array<{ filename: string; role: string; size_bytes: number | string | bigint; sha256: string }> }, actorUserId: number, certificate: CertificateWhen, now = ctx.clock.now()) {
  const { status: _s, status_changed_at: _c, updated_at: _u, ...header } = inv;
  const dataSha256 = createHash('sha256').update(canonicalJson({ header, lines: contents.lines, breakdown: contents.breakdown })).digest('hex');
  const files = contents.documents.map((d) => ({ filename: d.filename, role: d.role, size: Number(d.size_bytes), sha256: d.sha256 }));
  const recorded = certificateDataOf(inv, files, dataSha256);
  const fingerprints = files.map((f) => ({ filename: f.filename, sha256: f.sha256 }));
  if (certificate === 'deferred')
    return { files, dataSha256, certificate: null, transition: { set: { deposited_at: now }, data: { files: fingerprints, dataSha256, certificateData: recorded } } };
  const cert = await storeCertificate(trx, ctx, { ...recorded, depositedAt: now }, inv.supplier_structure_id, actorUserId);
  return {
    files, dataSha256, certificate: { documentId: cert.id, sha256: cert.sha256 },
    transition: { set: { deposited_at: now, certificate_document_id: cert.id }, data: { certificateDocumentId: cert.id, certificateSha256: cert.sha256, files: fingerprints, dataSha256 } },
  };
}

/** Routing steps that only move the status (their events, notifications and clocks read no invoice row). */
const PLAIN_STEPS: ReadonlySet<InvoiceAction> = new Set(['ACHEMINER', 'METTRE_A_DISPOSITION']);

/**
 * The steps the routing job would take from DEPOSEE for an invoice of this framework, and the status they end at,
 * when all of them are plain steps and nothing of the invoice but its framework decides them (no validation
 * circuit, whose facts are read from the database; no works piece): A1 goes ACHEMINER then METTRE_A_DISPOSITION. Null otherwise
 * (the routing job takes the steps). A deposit may then take these steps in its own transaction (a flow's
 * invoices: depositReadInvoices), as routeInvoices would, instead of leaving them to the job.
 */
export function plainRouting(framework: string): { actions: InvoiceAction[]; to: InvoiceStatus } | null {
  // Not a works piece's circuit: the works module routes those (routePiece), with clocks of their own.
  const steps = CIRCUITS[framework as Framework]?.routing;
  if (!steps || isValidated(framework)) return null;
  const facts = { status: 'DEPOSEE' as InvoiceStatus, framework, rejectHandled: false };
  const actions: InvoiceAction[] = [];
  for (const action of steps) {
    const next = nextStatus(facts, action, 'SYSTEME');
    if (!next.ok) continue;
    if (!PLAIN_STEPS.has(action)) return null;
    actions.push(action);
    facts.status = next.to;
  }
  return actions.length ? { actions, to: facts.status } : null;
}

/** The routing job: runs the circuit's system steps (ACHEMINER, METTRE_A_DISPOSITION, …) from where the invoice stands. */
export async function routeInvoice(ctx: Ctx, invoiceId: number): Promise<string | null> {
  return (await routeInvoices(ctx, [invoiceId])).get(invoiceId) ?? null;
}

/**
 * Routes several invoices in one transaction (the invoices a batch deposited together): each runs its circuit's
 * system steps in order, as routeInvoice does, and the invoices taking the same step are moved together
 * (applyTransitions). Returns each invoice's status at the end.
 */
export async function routeInvoices(ctx: Ctx, invoiceIds: number[]): Promise<Map<number, string>> {
  const ids = [...new Set(invoiceIds)].sort((a, b) => a - b);
  if (!ids.length) return new Map();
  return ctx.db.transaction().execute(async (trx) => {
    const routes = (await lockInvoices(trx, ids)).map((inv) => ({ inv, steps: circuitOf(inv.framework)?.routing ?? [], next: 0 }));
    // The chains' ends, read once; the statuses of the plain steps (ACHEMINER, METTRE_A_DISPOSITION: nothing reads
    // the row meanwhile) written once at the end, or before a step whose effects may read invoice rows.
    const chain: ChainEnds = new Map();
    const unwritten = new Map<number, InvoiceRow>();
    const flush = async () => {
      await writeStatuses(trx, unwritten.values());
      unwritten.clear();
    };
    for (;;) {
      const byAction = new Map<InvoiceAction, typeof routes>();
      for (const r of routes)
        for (; r.next < r.steps.length; r.next++) {
          const action = r.steps[r.next]!;
          if (!nextStatus(await invoiceFacts(trx, r.inv), action, 'SYSTEME').ok) continue;
          (byAction.get(action) ?? byAction.set(action, []).get(action)!).push(r);
          break;
        }
      if (!byAction.size) break;
      for (const [action, group] of byAction) {
        const plain = PLAIN_STEPS.has(action);
        if (!plain) await flush();
        const moved = await applyTransitions(trx, ctx, group.map((r) => ({ invoice: r.inv })), { action, role: 'SYSTEME', actorUserId: null }, { chain, writeStatus: !plain });
        group.forEach((r, k) => {
          r.inv = moved[k]!;
          r.next++;
          if (plain) unwritten.set(r.inv.id, r.inv);
        });
      }
    }
    await flush();
    return new Map(routes.map((r) => [r.inv.id, r.inv.status]));
  });
}
