import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { readDocument } from '../storage/stored-files.ts';
import { verifyChain } from './chain.ts';
import { availableActions, reformCodeOf, VISIBLE_TO_RECIPIENT, type ActorRole, type InvoiceStatus } from './lifecycle.ts';
import { consultationOf, invoiceConsultation, invoiceConsultations, listInvoiceDocuments, listInvoiceEvents, listLines, listVatBreakdown } from './repository.ts';
import { loadInvoiceAccess } from './access.ts';
import { membershipOf, membershipRows } from '../structures/index.ts';
import { compiledOnce } from '../db/prepared.ts';
import { readsTogether } from '../db/reads-together.ts';
import { canOnInvoice } from './permissions.ts';
import { findStructuredSource } from './deposits-repository.ts';
import { paymentDelayOf } from './payment-clock.ts';
import { withDepositCertificate } from './deposit-certificate.ts';

/** An invoice as its supplier or recipient sees it: data, documents, the path (with reform codes), possible actions. */
export async function getInvoice(ctx: Ctx, actor: Actor, invoiceId: number) {
  const access = await loadInvoiceAccess(ctx.db, actor, invoiceId);
  const inv = await withDepositCertificate(ctx, access.invoice);
  const [lines, vatBreakdown, documents, events, structuredSource] = await Promise.all([
    listLines(ctx.db, invoiceId), listVatBreakdown(ctx.db, invoiceId), listInvoiceDocuments(ctx.db, invoiceId), listInvoiceEvents(ctx.db, invoiceId),
    findStructuredSource(ctx.db, invoiceId),
  ]);
  const actions: Partial<Record<ActorRole, string[]>> = {};
  for (const role of ['FOURNISSEUR', 'DESTINATAIRE'] as const)
    if (access.acts[role]) actions[role] = availableActions({ status: inv.status, framework: inv.framework, rejectHandled: !!inv.reject_handled_at }, role).filter((a) => a !== 'TRAITER_REJET' || !inv.reject_handled_at);
  return {
    invoice: inv,
    lines,
    vatBreakdown,
    documents,
    path: events.map((e) => ({ ...e, reformCode: e.toStatus && e.type === 'TRANSITION' ? reformCodeOf(e.toStatus) : null })),
    chain: verifyChain(events),
    sees: access.sees,
    actions,
    /** The payment clock: days left, due date, amount due, late-payment interest and indemnity once late. */
    paymentDelay: await paymentDelayOf(ctx.db, inv, ctx.clock.now()),
    /** The structured file the invoice was read from (Factur-X, UBL, CII) and the fields it locks; null otherwise. */
    structuredSource,
  };
}

/**
 * The invoice as one side of it sees it, for the API's consultation, which shows no actions, clock or path: one
 * membership read instead of both sides', and no history beyond the deposit certificate's fingerprint. Null when
 * the actor's structure is not that side of the invoice or may not see it there (the caller then asks getInvoice,
 * whose refusals say why).
 */
export async function readInvoiceAsSide(ctx: Ctx, actor: Actor, invoiceId: number, side: 'FOURNISSEUR' | 'DESTINATAIRE', structureId: number) {
  // One read: the invoice, its details and the actor's membership; the details are returned only once both allow it.
  const r = consultationOf(await consultationOfReader(ctx.db, { invoiceId, userId: actor.userId, structureId }));
  const inv = r?.invoice;
  if (!r || !inv || (side === 'FOURNISSEUR' ? inv.supplier_structure_id : inv.recipient_structure_id) !== structureId) return null;
  const m = membershipOf(r.alongside as Parameters<typeof membershipOf>[0], structureId, actor.isTechnical);
  const sees = side === 'FOURNISSEUR'
    ? canOnInvoice(m, 'invoice.supplier.view', null)
    : VISIBLE_TO_RECIPIENT.includes(inv.status as InvoiceStatus) && canOnInvoice(m, 'invoice.recipient.view', inv.service_id);
  if (!sees) return null;
  const { alongside: _, ...details } = r;
  return details;
}

const consultationWithMembership = compiledOnce((db, invoiceId: number, userId: number, structureId: number) => invoiceConsultation(db, invoiceId, membershipRows(db, userId, structureId)));
const consultationsWithMembership = compiledOnce((db, idsJson: string, userId: number, structureId: number) => ({
  compile: () => invoiceConsultations(db, idsJson, membershipRows(db, userId, structureId)).compile(db),
}));

/**
 * The consultation's row, read with others of the same reader when the server is busy (readsTogether): four
 * statements at most at once, so that consultations leave connections of the pool to the other requests.
 */
const consultationOfReader = readsTogether({
  concurrency: 4,
  max: 25,
  group: (a: { invoiceId: number; userId: number; structureId: number }) => `${a.userId}:${a.structureId}`,
  readOne: async (db, a) => (await consultationWithMembership(db, a.invoiceId, a.userId, a.structureId)).rows[0],
  readMany: async (db, args) => {
    const { userId, structureId } = args[0]!;
    const rows = (await consultationsWithMembership(db, JSON.stringify(args.map((a) => a.invoiceId)), userId, structureId)).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    return args.map((a) => byId.get(a.invoiceId));
  },
});

/** Verifies the hash chain of an invoice's history (tampering is reported with the first broken event). */
export async function verifyInvoiceHistory(ctx: Ctx, actor: Actor, invoiceId: number) {
  await loadInvoiceAccess(ctx.db, actor, invoiceId);
  return verifyChain(await listInvoiceEvents(ctx.db, invoiceId));
}

/** A document of the invoice (main, complementary or the deposit certificate), for whoever may see the invoice. */
export async function getInvoiceDocument(ctx: Ctx, actor: Actor, invoiceId: number, documentId: string) {
  const access = await loadInvoiceAccess(ctx.db, actor, invoiceId);
  const attached = (await listInvoiceDocuments(ctx.db, invoiceId)).some((d) => d.document_id === documentId);
  if (!attached && access.invoice.certificate_document_id !== documentId) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Document introuvable.');
  const doc = await readDocument(ctx.db, ctx.blobs, documentId);
  if (!doc) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Document introuvable.');
  return doc;
}
