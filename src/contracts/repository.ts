import { sql } from 'kysely';
import type { Executor } from '../db/open-database.ts';
import type { ContractParty, PartyPlan } from './model.ts';

/** The one place with the contracts' SQL. Amounts come back as exact text. */
const contractView = (db: Executor) =>
  db
    .selectFrom('contracts as c')
    .innerJoin('structures as b', 'b.id', 'c.buyer_structure_id')
    .leftJoin('services as sv', 'sv.id', 'c.buyer_service_id')
    .select([
      'c.id', 'c.number', 'c.subject', 'c.buyer_structure_id', 'c.buyer_service_id', 'c.ej_numbers', 'c.groupement_kind', 'c.version',
      'c.created_by', 'c.created_at', 'c.updated_at', 'b.name as buyer_name', 'b.identifier as buyer_identifier', 'sv.code as service_code', 'sv.name as service_name',
    ]);
export type ContractRow = NonNullable<Awaited<ReturnType<typeof findContract>>>;

export const findContract = (db: Executor, id: number) => contractView(db).where('c.id', '=', id).executeTakeFirst();

export async function lockContract(trx: Executor, id: number) {
  await sql`SELECT id FROM contracts WHERE id = ${id} FOR UPDATE`.execute(trx);
  return findContract(trx, id);
}

/** Contracts carrying this number (a number is unique per buyer). */
export const findContractsByNumber = (db: Executor, number: string) => contractView(db).where('c.number', '=', number).orderBy('c.id').execute();

export const numberTakenByBuyer = async (db: Executor, buyerId: number, number: string, exceptId?: number) => {
  let q = db.selectFrom('contracts').select('id').where('buyer_structure_id', '=', buyerId).where('number', '=', number);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return !!(await q.executeTakeFirst());
};

/** Contracts where the structure is the buyer or a party, newest first. */
export const listContractsOfStructure = (db: Executor, structureId: number) =>
  contractView(db)
    .where((eb) => eb.or([eb('c.buyer_structure_id', '=', structureId), eb.exists(eb.selectFrom('contract_parties as p').select('p.id').whereRef('p.contract_id', '=', 'c.id').where('p.structure_id', '=', structureId))]))
    .orderBy('c.id', 'desc')
    .execute();

export const listParties = (db: Executor, contractId: number) =>
  db
    .selectFrom('contract_parties as p')
    .innerJoin('structures as s', 's.id', 'p.structure_id')
    .select(['p.id', 'p.structure_id', 'p.role', 'p.direct_payment', 'p.rank', sql<string | null>`p.accepted_amount::text`.as('accepted_amount'), 'p.subcontracted_by_party_id', 'p.position', 's.name', 's.identifier'])
    .where('p.contract_id', '=', contractId)
    .orderBy('p.position')
    .execute();
export type PartyRow = Awaited<ReturnType<typeof listParties>>[number];

export const toContractParty = (p: PartyRow): ContractParty => ({
  id: p.id, structureId: p.structure_id, role: p.role, directPayment: p.direct_payment, rank: p.rank, acceptedAmount: p.accepted_amount, subcontractedByPartyId: p.subcontracted_by_party_id,
});

/** Writes the parties of a contract (parents before their subcontractors), replacing any previous ones. */
export async function replaceParties(trx: Executor, contractId: number, parties: PartyPlan[]) {
  await trx.updateTable('contract_parties').set({ subcontracted_by_party_id: null }).where('contract_id', '=', contractId).execute();
  await trx.deleteFrom('contract_parties').where('contract_id', '=', contractId).execute();
  const idOf = new Map<string, number>();
  const ordered = [...parties].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  for (const p of ordered) {
    const { id } = await trx
      .insertInto('contract_parties')
      .values({
        contract_id: contractId, structure_id: p.structureId, role: p.role, direct_payment: p.directPayment, rank: p.rank, accepted_amount: p.acceptedAmount,
        subcontracted_by_party_id: p.subcontractedBySiret ? (idOf.get(p.subcontractedBySiret) ?? null) : null, position: parties.indexOf(p),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    idOf.set(p.siret, id);
  }
}

export async function appendAmendment(trx: Executor, v: { contractId: number; version: number; kind: 'CREATION' | 'AVENANT'; summary: string | null; snapshot: Record<string, unknown>; actorUserId: number; at: Date }) {
  await trx
    .insertInto('contract_amendments')
    .values({ contract_id: v.contractId, version: v.version, kind: v.kind, summary: v.summary, snapshot: JSON.stringify(v.snapshot), actor_user_id: v.actorUserId, created_at: v.at })
    .execute();
}

export async function listAmendments(db: Executor, contractId: number) {
  const rows = await db
    .selectFrom('contract_amendments as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .select(['a.version', 'a.kind', 'a.summary', 'a.snapshot', 'a.created_at', 'u.first_name', 'u.last_name'])
    .where('a.contract_id', '=', contractId)
    .orderBy('a.version')
    .execute();
  return rows.map((r) => ({
    version: r.version, kind: r.kind, summary: r.summary, at: new Date(r.created_at),
    snapshot: (typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) : r.snapshot) as Record<string, unknown>,
    actor: r.first_name ? `${r.first_name} ${r.last_name}` : null,
  }));
}
