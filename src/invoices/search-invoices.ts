import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { findStructure, loadMembership, membershipOf, type Membership } from '../structures/index.ts';
import { VISIBLE_TO_RECIPIENT } from './lifecycle.ts';
import { canOnInvoice, servicesInSpace } from './permissions.ts';
import { searchInvoices as searchRows, searchInvoicesForApi as searchApiRows, type InvoiceFilter, type SearchColumn } from './repository.ts';

// An empty field means no criterion; a filled one keeps its own French message (a union would lose it).
const blankIsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const day = z.preprocess(blankIsAbsent, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date au format AAAA-MM-JJ.').optional());
const money = z.preprocess(blankIsAbsent, z.string().trim().regex(/^\d{1,15}([.,]\d{1,2})?$/, 'Montant invalide (par exemple 1200,50).').transform((s) => s.replace(',', '.')).optional());
export const invoiceSearchInput = z.object({
  side: z.enum(['EMISES', 'RECUES']),
  structureId: z.coerce.number().int().positive(),
  number: z.string().trim().max(20).optional(),
  status: z.string().trim().max(60).optional(),
  dateFrom: day,
  dateTo: day,
  amountMin: money,
  amountMax: money,
  counterpart: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().positive().max(100000).optional(),
  pageSize: z.coerce.number().int().positive().max(200).optional(),
  // The criteria of the Chorus-compatible API's searches (no form has them).
  /** Any of these statuses (with `status`, both apply). */
  statuses: z.array(z.string().trim().max(60)).max(50).optional(),
  /** Deposit date, Europe/Paris days. */
  depositedFrom: day,
  depositedTo: day,
  documentType: z.string().trim().max(60).optional(),
  supplierIds: z.array(z.coerce.number().int().positive()).max(1000).optional(),
  recipientIds: z.array(z.coerce.number().int().positive()).max(1000).optional(),
  serviceId: z.coerce.number().int().positive().optional(),
  /** Rejected invoices whose rejection was handled (true) or not (false); other statuses pass. */
  rejectHandled: z.boolean().optional(),
  /** Only these invoices (e.g. those of one flow). */
  invoiceIds: z.array(z.number().int().positive()).optional(),
  /** The total is counted up to this many invoices (a search that shows at most that many need not count further). */
  countUpTo: z.number().int().positive().optional(),
});
export type InvoiceSearchInput = z.input<typeof invoiceSearchInput>;

/** The invoices a structure sent (« Factures émises ») or received (« Factures reçues »), as the actor's rights allow. */
export async function searchInvoices(ctx: Ctx, actor: Actor, raw: InvoiceSearchInput) {
  const q = parseInput(invoiceSearchInput, raw);
  const [m, structure] = await Promise.all([loadMembership(ctx.db, actor.userId, q.structureId, actor.isTechnical), findStructure(ctx.db, q.structureId)]);
  if (!structure) throw structureNotFound();
  mayView(m, q.side);
  const r = await searchRows(ctx.db, filterOf(q, m), pageOf(q), {});
  const canEdit = q.side === 'EMISES' && canOnInvoice(m, 'invoice.supplier.edit', null);
  return { structure, membership: m, invoices: r.rows, total: r.total, page: q.page ?? 1, pageSize: q.pageSize ?? 20, canEdit };
}

/**
 * The same search for the Chorus-compatible API, which shows neither the structure nor the rights, with its own
 * columns (ApiSearchRow) and one more per invoice if asked. Sent invoices in one read: the actor's membership comes along with the page and is
 * checked before anything is returned. Received invoices, which per-service rights narrow, read the membership
 * first. The refusals are searchInvoices' (a validated membership implies the structure: rattachements reference
 * it, ON DELETE CASCADE).
 */
export async function searchInvoicesForApi<E = never>(ctx: Ctx, actor: Actor, raw: InvoiceSearchInput, column?: SearchColumn<E>) {
  const q = parseInput(invoiceSearchInput, raw);
  if (q.side === 'EMISES') {
    const r = await searchApiRows(ctx.db, filterOf(q, null), pageOf(q), { readerId: actor.userId, column });
    mayView(membershipOf(r.alongside ?? [], q.structureId, actor.isTechnical), q.side);
    return { invoices: r.rows, total: r.total };
  }
  const m = await loadMembership(ctx.db, actor.userId, q.structureId, actor.isTechnical);
  mayView(m, q.side);
  const r = await searchApiRows(ctx.db, filterOf(q, m), pageOf(q), { column });
  return { invoices: r.rows, total: r.total };
}

type SearchInput = z.output<typeof invoiceSearchInput>;
const structureNotFound = () => new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');

/** The side's space, or the refusal (outsiders: NOT_FOUND). */
function mayView(m: Membership, side: SearchInput['side']) {
  if (m.role === null) throw structureNotFound();
  if (!canOnInvoice(m, side === 'EMISES' ? 'invoice.supplier.view' : 'invoice.recipient.view', undefined))
    throw new AppError('FORBIDDEN', 'FORBIDDEN', `Vous n'avez pas accès à l'espace « ${side === 'EMISES' ? 'Factures émises' : 'Factures reçues'} » de cette structure.`);
}

const pageOf = (q: SearchInput) => {
  const pageSize = q.pageSize ?? 20;
  return { limit: pageSize, offset: ((q.page ?? 1) - 1) * pageSize, countUpTo: q.countUpTo };
};

/** The criteria as the repository takes them; the recipient side is narrowed by the member's services (`m`). */
const filterOf = (q: SearchInput, m: Membership | null): InvoiceFilter => ({
  side: q.side,
  structureId: q.structureId,
  serviceIds: q.side === 'RECUES' ? servicesInSpace(m!, 'FACTURES_RECUES') : null,
  visibleStatuses: q.side === 'RECUES' ? VISIBLE_TO_RECIPIENT : undefined,
  number: q.number || undefined,
  status: q.status || undefined,
  dateFrom: q.dateFrom,
  dateTo: q.dateTo,
  amountMin: q.amountMin,
  amountMax: q.amountMax,
  counterpart: q.counterpart || undefined,
  statuses: q.statuses,
  depositedFrom: q.depositedFrom,
  depositedTo: q.depositedTo,
  documentType: q.documentType || undefined,
  supplierIds: q.supplierIds,
  recipientIds: q.recipientIds,
  serviceId: q.serviceId,
  rejectHandled: q.rejectHandled,
  invoiceIds: q.invoiceIds,
});
