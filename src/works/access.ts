import type { Actor } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { hasRight, loadMembership } from '../structures/index.ts';
import { loadContract } from '../contracts/index.ts';
import { findWorksContract, type WorksContractRow } from './repository.ts';

export const worksContractNotFound = () => new AppError('NOT_FOUND', 'NOT_FOUND', 'Marché de travaux introuvable.');

/** The space of the works pieces (« Factures de travaux »), for the company, the MOE and the MOA. */
export const WORKS_SPACE = 'FACTURES_TRAVAUX';

export interface WorksAccess {
  works: WorksContractRow;
  parties: Array<{ structureId: number; role: string; directPayment: boolean }>;
  /** Structures through which the actor sees the contract, per role; `acts` = may deposit and act. */
  company: { sees: number[]; acts: number[] };
  moe: { sees: boolean; acts: boolean };
  moa: { sees: boolean; acts: boolean };
  /** Member of the buyer managing the contract (creates the works contract, records indexes). */
  buyerManages: boolean;
  /** Member of the payer (sees only the pieces that reached it, in « Factures reçues »). */
  payer: boolean;
}

/** What the actor is on a works contract; outsiders get NOT_FOUND. */
export async function loadWorksAccess(db: Executor, actor: Actor, contractId: number): Promise<WorksAccess> {
  const works = await findWorksContract(db, contractId);
  if (!works) throw worksContractNotFound();
  const c = await loadContract(db, contractId);
  const parties = (c?.parties ?? []).map((p) => ({ structureId: p.structureId, role: p.role, directPayment: p.directPayment }));
  const m = (id: number) => loadMembership(db, actor.userId, id, actor.isTechnical);
  const company = { sees: [] as number[], acts: [] as number[] };
  for (const p of parties) {
    const mm = await m(p.structureId);
    if (mm.role === null) continue;
    if (hasRight(mm, WORKS_SPACE, 'CONSULTATION_UNIQUEMENT')) company.sees.push(p.structureId);
    if (hasRight(mm, WORKS_SPACE, 'MODIFICATION')) company.acts.push(p.structureId);
  }
  const moeM = works.moe_structure_id ? await m(works.moe_structure_id) : null;
  const moaM = await m(works.moa_structure_id);
  const buyerM = await m(works.buyer_structure_id);
  const payerM = await m(works.payer_structure_id);
  const access: WorksAccess = {
    works, parties, company,
    moe: { sees: !!moeM && hasRight(moeM, WORKS_SPACE, 'CONSULTATION_UNIQUEMENT'), acts: !!moeM && hasRight(moeM, WORKS_SPACE, 'MODIFICATION') },
    moa: { sees: hasRight(moaM, WORKS_SPACE, 'CONSULTATION_UNIQUEMENT'), acts: hasRight(moaM, WORKS_SPACE, 'MODIFICATION') },
    buyerManages: hasRight(buyerM, 'FACTURES_RECUES', 'MODIFICATION') || hasRight(buyerM, WORKS_SPACE, 'MODIFICATION'),
    payer: hasRight(payerM, 'FACTURES_RECUES', 'CONSULTATION_UNIQUEMENT', works.payer_service_id),
  };
  if (!access.company.sees.length && !access.moe.sees && !access.moa.sees && !access.buyerManages && !access.payer) throw worksContractNotFound();
  return access;
}

export const forbidden = (message: string) => new AppError('FORBIDDEN', 'FORBIDDEN', message);
