import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { findStructure, hasRight, loadMembership } from '../structures/index.ts';
import { WORKS_FRAMEWORKS, WORKS_FRAMEWORK_INFO, type WorksFramework } from '../invoices/index.ts';
import { getBillingFile, getPiece } from './billing-file.ts';
import { getWorksContract } from './works-contracts.ts';
import { listPieces, listWorksContractIdsOf } from './repository.ts';
import { followBlocked } from './pieces.ts';
import { WORKS_SPACE, loadWorksAccess, type WorksAccess } from './access.ts';
import { sidesOf, waitsFor, type WorksSide } from './works-space-model.ts';

/**
 * The space « Factures de travaux » of one structure: the works contracts where it is the company, the MOE,
 * the MOA, the payer or the buyer, and what it may do there. The rules stay in the use cases (access.ts,
 * pieces.ts, billing-file.ts); this only narrows the actor's view to the structure of the page.
 */
const notFound = () => new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');

/** The structure of the page: outsiders get NOT_FOUND, members without « Factures de travaux » nor « Factures reçues » FORBIDDEN. */
async function authorizeStructure(ctx: Ctx, actor: Actor, structureId: number) {
  const structure = await findStructure(ctx.db, structureId);
  if (!structure) throw notFound();
  const m = await loadMembership(ctx.db, actor.userId, structureId, actor.isTechnical);
  if (m.role === null) throw notFound();
  if (!hasRight(m, WORKS_SPACE, 'CONSULTATION_UNIQUEMENT') && !hasRight(m, 'FACTURES_RECUES', 'CONSULTATION_UNIQUEMENT'))
    throw new AppError('FORBIDDEN', 'FORBIDDEN', "Vous n'avez pas accès à l'espace « Factures de travaux » de cette structure.");
  return { structure: { id: structure.id, name: structure.name, kind: structure.kind }, membership: m };
}

/** The contract as the structure of the page sees it: NOT_FOUND when the structure is not one of its parties. */
async function structureOnContract(ctx: Ctx, actor: Actor, structureId: number, contractId: number) {
  const { structure } = await authorizeStructure(ctx, actor, structureId);
  const access = await loadWorksAccess(ctx.db, actor, contractId);
  const sides = sidesOf(access, structureId);
  if (!sides.length) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Marché de travaux introuvable.');
  return { structure, access, sides };
}

/** What the structure may deposit on a contract without a previous piece (dépôt initial), per its acting sides. */
function initialDeposits(access: WorksAccess, structureId: number, sides: WorksSide[]) {
  const acting = new Set(sides.filter((s) => s.acts).map((s) => s.side));
  const party = access.parties.find((p) => p.structureId === structureId);
  const partyKind = !party ? null : party.role === 'SOUS_TRAITANT' ? (party.directPayment ? 'SOUS_TRAITANT' : null) : party.role === 'COTRAITANT' ? 'COTRAITANT' : 'TITULAIRE';
  return WORKS_FRAMEWORKS.filter((f) => {
    const i = WORKS_FRAMEWORK_INFO[f];
    if (!i.initialDeposit || !acting.has(i.depositor)) return false;
    return i.depositor !== 'FOURNISSEUR' || (i.party ?? 'TITULAIRE') === partyKind;
  }).map((f) => ({ framework: f, code: WORKS_FRAMEWORK_INFO[f].code, label: WORKS_FRAMEWORK_INFO[f].label, phase: WORKS_FRAMEWORK_INFO[f].phase }));
}

/** The works contracts of a structure, its side on each, and the pieces waiting for it (with their clock). */
export async function getWorksSpace(ctx: Ctx, actor: Actor, structureId: number) {
  const { structure } = await authorizeStructure(ctx, actor, structureId);
  const contracts = [];
  const todo = [];
  for (const contractId of await listWorksContractIdsOf(ctx.db, [structureId])) {
    const access = await loadWorksAccess(ctx.db, actor, contractId).catch(() => null);
    if (!access) continue;
    const sides = sidesOf(access, structureId);
    if (!sides.length) continue;
    const file = await getBillingFile(ctx, actor, contractId);
    const pieces = file.months.flatMap((m) => m.pieces);
    const waiting = pieces.filter((p) => waitsFor(p, sides, structureId));
    contracts.push({ contractId, number: access.works.number, subject: access.works.subject, moe: access.works.moe_name, moa: access.works.moa_name, payer: access.works.payer_name, sides, pieces: pieces.length, waiting: waiting.length });
    todo.push(...waiting.map((p) => ({ ...p, contractId, contractNumber: access.works.number })));
  }
  return { structure, contracts, todo };
}

/** One works contract in the structure's space: terms, billing file, the structure's sides and its initial deposits. */
export async function getWorksContractInSpace(ctx: Ctx, actor: Actor, structureId: number, contractId: number) {
  const { structure, access, sides } = await structureOnContract(ctx, actor, structureId, contractId);
  const contract = await getWorksContract(ctx, actor, contractId);
  const file = await getBillingFile(ctx, actor, contractId);
  return { structure, sides, contract, file, deposits: initialDeposits(access, structureId, sides) };
}

/** One piece in the structure's space: its statement, and the actions and next pieces open to that structure. */
export async function getPieceInSpace(ctx: Ctx, actor: Actor, structureId: number, contractId: number, invoiceId: number) {
  const { structure, access, sides } = await structureOnContract(ctx, actor, structureId, contractId);
  const piece = await getPiece(ctx, actor, invoiceId);
  if (piece.contractId !== contractId) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Pièce introuvable.');
  const acting = new Set(sides.filter((s) => s.acts).map((s) => s.side));
  const mayActAs = (role: string) => (role === 'FOURNISSEUR' ? acting.has('FOURNISSEUR') && piece.supplier.id === structureId : acting.has(role as WorksSide['side']));
  const pieces = await listPieces(ctx.db, contractId);
  const row = pieces.find((x) => x.invoice_id === invoiceId)!;
  const now = ctx.clock.now();
  return {
    structure, sides, piece,
    actions: piece.actions.filter((a) => mayActAs(a.role)),
    // Closed pieces offer no next piece; a piece still with its party offers it with the reason it must wait.
    next: piece.nextFrameworks.filter((n) => mayActAs(n.depositor)).map((n) => ({ ...n, blocked: followBlocked(access.works, n.framework, row, pieces, now) }))
      .filter((n) => n.blocked?.code !== 'PREVIOUS_PIECE_CLOSED').map((n) => ({ ...n, blocked: n.blocked?.message ?? null })),
    payerSees: sides.some((s) => s.side === 'PAYEUR') && access.payer && WORKS_FRAMEWORK_INFO[piece.framework as WorksFramework]?.destination === 'PAYEUR',
  };
}

/** The structures through which the actor reaches a contract (the link of a notification opens the first). */
export async function worksStructuresOf(ctx: Ctx, actor: Actor, contractId: number): Promise<number[]> {
  const access = await loadWorksAccess(ctx.db, actor, contractId);
  const w = access.works;
  const candidates = [...access.company.sees, ...(access.moe.sees ? [w.moe_structure_id!] : []), ...(access.moa.sees ? [w.moa_structure_id] : []), ...(access.payer ? [w.payer_structure_id] : []), ...(access.buyerManages ? [w.buyer_structure_id] : [])];
  return [...new Set(candidates)];
}

/** Of the given structures, those that are a party to a works contract (to link the space from their pages). */
export async function structuresWithWorks(ctx: Ctx, structureIds: number[]): Promise<number[]> {
  const out: number[] = [];
  for (const id of structureIds) if ((await listWorksContractIdsOf(ctx.db, [id])).length) out.push(id);
  return out;
}
