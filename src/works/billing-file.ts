import type { Actor, Ctx } from '../context.ts';
import { WORKS_FRAMEWORK_INFO, availableActions, statusLabel, type ActorRole, type WorksFramework } from '../invoices/index.ts';
import { AppError } from '../shared/app-error.ts';
import { contractDeadlines, deadlineState } from './deadlines.ts';
import { findPiece, listPieces, listWorksContractIdsOf, pieceDocumentId, type PieceRow } from './repository.ts';
import { readDocument } from '../storage/stored-files.ts';
import { loadWorksAccess, type WorksAccess } from './access.ts';
import { chainRoot, pieceClock } from './piece-clock.ts';

/** Statuses where a piece to the payer has reached it (the payer sees nothing else). */
const REACHED_PAYER = ['MISE_A_DISPOSITION', 'SUSPENDUE', 'COMPLETEE', 'A_RECYCLER', 'REJETEE', 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE', 'COMPTABILISEE', 'MISE_EN_PAIEMENT'];

/** Who may see a piece: the company (its own chain), the MOE and the MOA (all), the payer (only what it pays, once it reached it). */
function sees(access: WorksAccess, p: PieceRow): boolean {
  if (access.moe.sees || access.moa.sees || access.buyerManages) return true;
  if (access.company.sees.includes(p.supplier_structure_id)) return true;
  return access.payer && WORKS_FRAMEWORK_INFO[p.framework as WorksFramework]?.destination === 'PAYEUR' && REACHED_PAYER.includes(p.status);
}

function rolesOn(access: WorksAccess, p: PieceRow): ActorRole[] {
  const r: ActorRole[] = [];
  if (access.company.acts.includes(p.supplier_structure_id)) r.push('FOURNISSEUR');
  if (access.moe.acts) r.push('MOE');
  if (access.moa.acts) r.push('MOA');
  return r;
}

const view = (access: WorksAccess, p: PieceRow, all: PieceRow[], now: Date) => {
  const info = WORKS_FRAMEWORK_INFO[p.framework as WorksFramework];
  const next = all.filter((x) => x.previous_invoice_id === p.invoice_id);
  const { deadlines } = contractDeadlines(access.works.deadlines);
  const moeClock = (p.status === 'MISE_A_DISPOSITION_MOE' || p.status === 'PRISE_EN_COMPTE_MOE') && p.moe_received_at ? deadlineState(p.moe_received_at, deadlines.MOE_ETAT_ACOMPTE, now) : null;
  const root = chainRoot(p, all);
  const clock = pieceClock({ status: p.status, moeReceivedAt: p.moe_received_at, depositedAt: p.deposited_at, createdAt: p.created_at }, info, deadlines, now, root.moe_received_at ?? root.deposited_at);
  return {
    invoiceId: p.invoice_id,
    number: p.number,
    framework: p.framework,
    code: info?.code ?? p.framework,
    label: info?.label ?? p.framework,
    pieceType: info?.pieceType ?? null,
    month: p.month,
    phase: p.phase,
    depositor: { role: p.depositor_role, structureId: p.depositor_structure_id, name: p.depositor_name },
    supplier: { id: p.supplier_structure_id, name: p.supplier_name },
    status: p.status,
    statusLabel: statusLabel(p.status),
    depositedAt: p.deposited_at,
    moeReceivedAt: p.moe_received_at,
    moeDeadline: moeClock,
    clock,
    amounts: { totalWithoutVat: p.total_without_vat, vat: p.total_vat, totalWithVat: p.total_with_vat, amountDue: p.amount_due },
    previousInvoiceId: p.previous_invoice_id,
    nextInvoiceIds: next.map((x) => x.invoice_id),
    nextFrameworks: (Object.keys(WORKS_FRAMEWORK_INFO) as WorksFramework[]).filter((f) => WORKS_FRAMEWORK_INFO[f].previous.includes(p.framework as WorksFramework)).map((f) => ({ framework: f, code: WORKS_FRAMEWORK_INFO[f].code, label: WORKS_FRAMEWORK_INFO[f].label, depositor: WORKS_FRAMEWORK_INFO[f].depositor })),
    actions: rolesOn(access, p).flatMap((role) => availableActions({ status: p.status, framework: p.framework }, role).filter((a) => ['PRENDRE_EN_COMPTE', 'REFUSER', 'DUPLIQUER'].includes(a)).map((action) => ({ action, role }))),
    comment: p.comment,
  };
};

/**
 * The billing file (dossier de facturation) of a works contract: its pieces chained previous → next,
 * grouped by month (the end-of-contract pieces apart), with each piece's status, amounts and deadline.
 * The payer sees only the pieces it pays, once they reached it.
 */
export async function getBillingFile(ctx: Ctx, actor: Actor, contractId: number) {
  const access = await loadWorksAccess(ctx.db, actor, contractId);
  const all = await listPieces(ctx.db, contractId);
  const now = ctx.clock.now();
  const visible = all.filter((p) => sees(access, p));
  const groups = new Map<string, ReturnType<typeof view>[]>();
  for (const p of visible) {
    const key = p.phase === 'FIN' ? 'FIN' : p.month ?? '—';
    groups.set(key, [...(groups.get(key) ?? []), view(access, p, all, now)]);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === 'FIN' ? 1 : b === 'FIN' ? -1 : a < b ? -1 : 1));
  return { contractId, number: access.works.number, subject: access.works.subject, months: keys.map((k) => ({ month: k, pieces: groups.get(k)! })) };
}

/** One piece with its statement (lines, revision, totals) and the MOE's differences; NOT_FOUND to those who may not see it. */
export async function getPiece(ctx: Ctx, actor: Actor, invoiceId: number) {
  const p = await findPiece(ctx.db, invoiceId);
  if (!p) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Pièce introuvable.');
  const access = await loadWorksAccess(ctx.db, actor, p.contract_id).catch(() => null);
  if (!access || !sees(access, p)) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Pièce introuvable.');
  const all = await listPieces(ctx.db, p.contract_id);
  const documentId = await pieceDocumentId(ctx.db, invoiceId);
  return {
    ...view(access, p, all, ctx.clock.now()), contractId: p.contract_id, contractNumber: access.works.number, progress: p.progress, penalties: p.penalties, statement: p.statement, differences: p.differences,
    /** The piece's French PDF (GET /works-pieces/{id}/pdf). */
    documentId,
  };
}

/** The piece's French PDF (kept in the blob store at deposit), for whoever may see the piece. */
export async function getPiecePdf(ctx: Ctx, actor: Actor, invoiceId: number) {
  const piece = await getPiece(ctx, actor, invoiceId);
  const doc = piece.documentId ? await readDocument(ctx.db, ctx.blobs, piece.documentId) : null;
  if (!doc) throw new AppError('NOT_FOUND', 'NOT_FOUND', "Cette pièce n'a pas de PDF.");
  return doc;
}

/**
 * The pieces of every works contract where `structureId` is the MOE, the MOA or the company (FOURNISSEUR: its own
 * chain), as the actor sees them (a structure the actor does not act for in that role gives nothing).
 */
export async function searchPieces(ctx: Ctx, actor: Actor, structureId: number, role: 'MOE' | 'MOA' | 'FOURNISSEUR') {
  const now = ctx.clock.now();
  const out: Array<ReturnType<typeof view> & { contractId: number; contractNumber: string }> = [];
  for (const contractId of await listWorksContractIdsOf(ctx.db, [structureId])) {
    const access = await loadWorksAccess(ctx.db, actor, contractId).catch(() => null);
    if (!access) continue;
    if (role === 'MOE' && (access.works.moe_structure_id !== structureId || !access.moe.sees)) continue;
    if (role === 'MOA' && (access.works.moa_structure_id !== structureId || !access.moa.sees)) continue;
    if (role === 'FOURNISSEUR' && !access.company.sees.includes(structureId)) continue;
    const all = await listPieces(ctx.db, contractId);
    for (const p of all) if (sees(access, p) && (role !== 'FOURNISSEUR' || p.supplier_structure_id === structureId)) out.push({ ...view(access, p, all, now), contractId, contractNumber: access.works.number });
  }
  return out;
}
