import type { Actor } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { hasRight, loadMembership, type Membership } from '../structures/index.ts';
import { findContract, listParties, type ContractRow, type PartyRow } from './repository.ts';

export const contractNotFound = () => new AppError('NOT_FOUND', 'NOT_FOUND', 'Marché introuvable.');

/**
 * Who may do what with a contract: every member of the buyer or of a party sees it; the buyer's members
 * with « Factures reçues » in modification (or its GP) create and amend it; the titulaire's (mandataire's)
 * members with « Factures émises » in modification create it.
 */
export const canManageAsBuyer = (m: Membership) => hasRight(m, 'FACTURES_RECUES', 'MODIFICATION');
export const canCreateAsTitulaire = (m: Membership) => hasRight(m, 'FACTURES_EMISES', 'MODIFICATION');

export interface ContractAccess {
  contract: ContractRow;
  parties: PartyRow[];
  /** The actor is a member of the buyer with the right to amend. */
  amends: boolean;
  /** Structures of the actor on this contract (buyer or parties). */
  myStructureIds: number[];
}

export async function loadContractAccess(db: Executor, actor: Actor, contractId: number): Promise<ContractAccess> {
  const contract = await findContract(db, contractId);
  if (!contract) throw contractNotFound();
  const parties = await listParties(db, contractId);
  const buyer = await loadMembership(db, actor.userId, contract.buyer_structure_id, actor.isTechnical);
  const mine: number[] = buyer.role !== null ? [contract.buyer_structure_id] : [];
  for (const p of parties) if ((await loadMembership(db, actor.userId, p.structure_id, actor.isTechnical)).role !== null) mine.push(p.structure_id);
  if (!mine.length) throw contractNotFound();
  return { contract, parties, amends: buyer.role !== null && canManageAsBuyer(buyer), myStructureIds: mine };
}
