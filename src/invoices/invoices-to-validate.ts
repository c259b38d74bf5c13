import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { hasRight, loadMembership, findStructure } from '../structures/index.ts';
import { readDocument } from '../storage/stored-files.ts';
import { verifyChain } from './chain.ts';
import { availableActions, type ActorRole } from './lifecycle.ts';
import { listInvoiceDocuments, listInvoiceEvents, listLines, listVatBreakdown } from './repository.ts';
import { loadInvoiceAccess } from './access.ts';
import { loadValidatorAccess } from './validator-access.ts';
import { daysLeft } from './validation-clock.ts';
import { withDepositCertificate } from './deposit-certificate.ts';
import { invoiceFacts } from './validation-effects.ts';
import { findValidation, HIDDEN_FROM_VALIDATORS, searchToValidate, type ValidationRow } from './validation-repository.ts';
import { STATUSES } from './lifecycle.ts';

type Events = Awaited<ReturnType<typeof listInvoiceEvents>>;
const DECISION_OF: Record<string, string> = { VALIDER: 'VALIDEE', REFUSER_VALIDATION: 'REFUSEE', CONSTATER_ABSENCE_VALIDATION: 'TACITE', SIGNALER_ERREUR_VALIDEUR: 'ERREUR_VALIDEUR' };

/**
 * The validation circuit of an invoice as its parties see it: the contract, each level with its validator, its
 * deadline while open, and every decision (actor, date, decision, reason) taken from the hash-chained path.
 */
export function describeCircuit(v: ValidationRow, events: Events, now: Date) {
  const levelOf = (status: string | null) => (status === 'A_VALIDER_1' ? 1 : status === 'A_VALIDER_2' ? 2 : null);
  const decisions = events
    .filter((e) => e.type === 'TRANSITION' && e.action && DECISION_OF[e.action] && levelOf(e.fromStatus))
    .map((e) => ({ level: levelOf(e.fromStatus)!, decision: DECISION_OF[e.action!], status: e.toStatus, actor: e.actorName, actorRole: e.actorRole, at: e.createdAt, reason: e.reason, comment: e.comment }));
  const validatorOf = (level: 1 | 2) =>
    level === 1
      ? (v.validator_1_structure_id ? { id: v.validator_1_structure_id, name: v.validator_1_name!, identifier: v.validator_1_identifier! } : v.validator_structure_id ? { id: v.validator_structure_id, name: v.validator_name!, identifier: v.validator_identifier! } : null)
      : v.validator_2_structure_id ? { id: v.validator_2_structure_id, name: v.validator_2_name!, identifier: v.validator_2_identifier! } : null;
  const levels = ([1, 2] as const).slice(0, Math.max(1, v.levels)).map((level) => {
    const open = v.current_level === level && !!v.due_at;
    return {
      level,
      validator: validatorOf(level),
      dueAt: open ? new Date(v.due_at!) : null,
      daysLeft: open ? daysLeft(now, new Date(v.due_at!)) : null,
      decisions: decisions.filter((d) => d.level === level),
    };
  });
  return { contract: { id: v.contract_id, number: v.contract_number }, levels, warnings: v.warnings, completed: !!v.completed_at };
}
export type CircuitView = ReturnType<typeof describeCircuit>;

/** The circuit of an invoice, for its supplier, its recipient or its validators; null when it has none. */
export async function getInvoiceCircuit(ctx: Ctx, actor: Actor, invoiceId: number): Promise<CircuitView | null> {
  try {
    await loadInvoiceAccess(ctx.db, actor, invoiceId);
  } catch (err) {
    if (!(err instanceof AppError) || err.kind !== 'NOT_FOUND') throw err;
    await loadValidatorAccess(ctx.db, actor, invoiceId);
  }
  const v = await findValidation(ctx.db, invoiceId);
  return v ? describeCircuit(v, await listInvoiceEvents(ctx.db, invoiceId), ctx.clock.now()) : null;
}

/** The validator's consultation: data, lines, documents, path, circuit, and the decisions it may take now. */
export async function getInvoiceToValidate(ctx: Ctx, actor: Actor, invoiceId: number) {
  const access = await loadValidatorAccess(ctx.db, actor, invoiceId);
  const inv = await withDepositCertificate(ctx, access.invoice);
  const [lines, vatBreakdown, documents, events] = await Promise.all([listLines(ctx.db, invoiceId), listVatBreakdown(ctx.db, invoiceId), listInvoiceDocuments(ctx.db, invoiceId), listInvoiceEvents(ctx.db, invoiceId)]);
  const facts = await invoiceFacts(ctx.db, inv);
  const actions: Partial<Record<ActorRole, string[]>> = {};
  for (const l of access.levels) if (l.acts) actions[l.level === 1 ? 'VALIDEUR_1' : 'VALIDEUR_2'] = availableActions(facts, l.level === 1 ? 'VALIDEUR_1' : 'VALIDEUR_2');
  return { invoice: inv, lines, vatBreakdown, documents, path: events, chain: verifyChain(events), circuit: describeCircuit(access.validation, events, ctx.clock.now()), levels: access.levels, actions };
}

/** A document of the invoice (or its deposit certificate) for its validators. */
export async function getDocumentToValidate(ctx: Ctx, actor: Actor, invoiceId: number, documentId: string) {
  const access = await loadValidatorAccess(ctx.db, actor, invoiceId);
  const attached = (await listInvoiceDocuments(ctx.db, invoiceId)).some((d) => d.document_id === documentId);
  if (!attached && access.invoice.certificate_document_id !== documentId) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Document introuvable.');
  const doc = await readDocument(ctx.db, ctx.blobs, documentId);
  if (!doc) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Document introuvable.');
  return doc;
}

/** The work list of « Factures à valider »: invoices the structure validates, those waiting first, with days left. */
export async function searchInvoicesToValidate(ctx: Ctx, actor: Actor, structureId: number, q: { status?: string; number?: string; page?: string | number; pageSize?: string | number } = {}) {
  const m = await loadMembership(ctx.db, actor.userId, structureId, actor.isTechnical);
  const structure = await findStructure(ctx.db, structureId);
  if (m.role === null || !structure) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  if (!hasRight(m, 'FACTURES_A_VALIDER', 'CONSULTATION_UNIQUEMENT')) throw new AppError('FORBIDDEN', 'FORBIDDEN', "Vous n'avez pas accès à l'espace « Factures à valider » de cette structure.");
  const pageSize = Math.min(100, Math.max(1, Number(q.pageSize) || 20));
  const page = Math.max(1, Number(q.page) || 1);
  const r = await searchToValidate(ctx.db, structureId, { status: q.status || undefined, number: q.number || undefined }, { limit: pageSize, offset: (page - 1) * pageSize });
  const now = ctx.clock.now();
  return {
    structure: { id: structure.id, name: structure.name },
    canDecide: hasRight(m, 'FACTURES_A_VALIDER', 'MODIFICATION'),
    total: r.total, page, pageSize,
    invoices: r.rows.map((i) => {
      const myLevel = i.status === 'A_VALIDER_2' && i.validator_2_structure_id === structureId ? 2 : i.status === 'A_VALIDER_1' && i.validator_1_structure_id === structureId ? 1 : null;
      return { ...i, waitingForMe: myLevel !== null, level: myLevel, daysLeft: myLevel && i.due_at ? daysLeft(now, new Date(i.due_at)) : null, dueAt: myLevel && i.due_at ? new Date(i.due_at) : null };
    }),
  };
}

/** The statuses an invoice may have in a validator's work list (every status but the supplier's drafts). */
export const statusesVisibleToValidators = () => STATUSES.filter((s) => !HIDDEN_FROM_VALIDATORS.includes(s));
