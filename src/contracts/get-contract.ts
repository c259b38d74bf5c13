import type { Actor, Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { loadMembership } from '../structures/index.ts';
import { loadContractAccess } from './access.ts';
import { PARTY_ROLE_LABELS, type ContractParty, type ParsedContractInput, type PartyRole } from './model.ts';
import { findContract, findContractsByNumber, listAmendments, listContractsOfStructure, listParties, toContractParty, type ContractRow, type PartyRow } from './repository.ts';

const ejList = (v: unknown): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? JSON.parse(v) : []) as string[];

/** A contract as every party sees it: data, parties (with who subcontracted whom), history of amendments. */
export function contractView(c: ContractRow, parties: PartyRow[]) {
  const byId = new Map(parties.map((p) => [p.id, p]));
  return {
    id: c.id,
    number: c.number,
    subject: c.subject,
    buyer: { id: c.buyer_structure_id, name: c.buyer_name, identifier: c.buyer_identifier },
    service: c.service_code ? { code: c.service_code, name: c.service_name ?? '' } : null,
    ejNumbers: ejList(c.ej_numbers),
    groupementKind: c.groupement_kind,
    version: c.version,
    parties: parties.map((p) => {
      const parent = p.subcontracted_by_party_id ? byId.get(p.subcontracted_by_party_id) : undefined;
      return {
        structure: { id: p.structure_id, name: p.name, identifier: p.identifier },
        role: p.role,
        roleLabel: PARTY_ROLE_LABELS[p.role as PartyRole] ?? p.role,
        directPayment: p.direct_payment,
        rank: p.rank,
        acceptedAmount: p.accepted_amount,
        subcontractedBy: parent ? { id: parent.structure_id, name: parent.name, identifier: parent.identifier } : null,
      };
    }),
  };
}
export type ContractView = ReturnType<typeof contractView>;

export async function getContract(ctx: Ctx, actor: Actor, contractId: number) {
  const access = await loadContractAccess(ctx.db, actor, contractId);
  return { contract: contractView(access.contract, access.parties), history: await listAmendments(ctx.db, contractId), amends: access.amends, myStructureIds: access.myStructureIds };
}

/** The contracts of a structure (as buyer or party), for its members. */
export async function listContracts(ctx: Ctx, actor: Actor, structureId: number) {
  const m = await loadMembership(ctx.db, actor.userId, structureId, actor.isTechnical);
  if (m.role === null) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
  const rows = await listContractsOfStructure(ctx.db, structureId);
  return Promise.all(rows.map(async (c) => contractView(c, await listParties(ctx.db, c.id))));
}

/** The contract's current state as a form input (to prepare an amendment). */
export function contractAsInput(v: ContractView): ParsedContractInput {
  const main = v.parties.find((p) => p.role === 'TITULAIRE' || p.role === 'MANDATAIRE');
  return {
    number: v.number, subject: v.subject, buyerSiret: v.buyer.identifier, serviceCode: v.service?.code ?? null, ejNumbers: v.ejNumbers, groupementKind: v.groupementKind,
    titulaireSiret: main?.structure.identifier ?? '',
    coContractors: v.parties.filter((p) => p.role === 'COTRAITANT').map((p) => ({ siret: p.structure.identifier })),
    subcontractors: v.parties.filter((p) => p.role === 'SOUS_TRAITANT').map((p) => ({ siret: p.structure.identifier, directPayment: p.directPayment, acceptedAmount: p.acceptedAmount, subcontractedBySiret: p.subcontractedBy?.identifier ?? '' })),
    summary: null,
  };
}

/** For other modules (invoices): the contract of this buyer with this number, and its parties. */
export async function findContractOfBuyer(db: Executor, buyerStructureId: number, number: string): Promise<{ contract: ContractView; parties: ContractParty[] } | null> {
  const c = (await findContractsByNumber(db, number)).find((x) => x.buyer_structure_id === buyerStructureId);
  if (!c) return null;
  const parties = await listParties(db, c.id);
  return { contract: contractView(c, parties), parties: parties.map(toContractParty) };
}

/** For other modules: a contract by id, and its parties. */
export async function loadContract(db: Executor, contractId: number): Promise<{ contract: ContractView; parties: ContractParty[] } | null> {
  const c = await findContract(db, contractId);
  if (!c) return null;
  const parties = await listParties(db, c.id);
  return { contract: contractView(c, parties), parties: parties.map(toContractParty) };
}
