import type { Actor, Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { loadMembership } from '../structures/index.ts';
import { canCreateAsTitulaire, canManageAsBuyer, contractNotFound, loadContractAccess } from './access.ts';
import { contractInput, planParties, type ContractInput, type ParsedContractInput } from './model.ts';
import { appendAmendment, lockContract, numberTakenByBuyer, replaceParties } from './repository.ts';

const fail = (fields: Record<string, string>) => new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', fields);
const numberTaken = (n: string) => new AppError('CONFLICT', 'CONTRACT_NUMBER_TAKEN', `L'acheteur a déjà un marché numéro « ${n} ».`, { number: `L'acheteur a déjà un marché numéro « ${n} ».` });

/** Resolves the structures (by SIRET), the buyer's service and the parties' ranks; French field errors. */
async function resolve(db: Executor, input: ParsedContractInput) {
  const sirets = [input.buyerSiret, input.titulaireSiret, ...input.coContractors.map((c) => c.siret), ...input.subcontractors.flatMap((s) => [s.siret, s.subcontractedBySiret])];
  const rows = await db.selectFrom('structures').select(['id', 'identifier', 'kind', 'name']).where('identifier', 'in', sirets).execute();
  const bySiret = new Map(rows.map((r) => [r.identifier, r]));
  const errors: Record<string, string> = {};
  const buyer = bySiret.get(input.buyerSiret);
  if (!buyer) errors.buyerSiret = `Aucune structure de SIRET ${input.buyerSiret} n'est inscrite sur la plateforme.`;
  else if (buyer.kind !== 'PUBLIQUE') errors.buyerSiret = `${buyer.name} n'est pas une structure publique : l'acheteur d'un marché est public.`;
  let serviceId: number | null = null;
  if (buyer && input.serviceCode) {
    const s = await db.selectFrom('services').select('id').where('structure_id', '=', buyer.id).where('code', '=', input.serviceCode).executeTakeFirst();
    if (!s) errors.serviceCode = `Le service « ${input.serviceCode} » n'existe pas chez ${buyer.name}.`;
    else serviceId = s.id;
  }
  if (new Set(input.ejNumbers).size !== input.ejNumbers.length) errors.ejNumbers = "Un numéro d'engagement figure deux fois.";
  const plan = planParties(input, (s) => bySiret.get(s)?.id);
  Object.assign(errors, plan.errors);
  if (buyer && plan.parties.some((p) => p.structureId === buyer.id)) errors.titulaireSiret ??= "L'acheteur ne peut pas être partie à son propre marché.";
  if (Object.keys(errors).length) throw fail(errors);
  return { buyerId: buyer!.id, serviceId, parties: plan.parties };
}

const snapshotOf = (input: ParsedContractInput, r: Awaited<ReturnType<typeof resolve>>) => ({
  number: input.number, subject: input.subject, buyerSiret: input.buyerSiret, serviceCode: input.serviceCode, ejNumbers: input.ejNumbers, groupementKind: input.groupementKind,
  parties: r.parties.map((p) => ({ siret: p.siret, structureId: p.structureId, role: p.role, directPayment: p.directPayment, rank: p.rank, acceptedAmount: p.acceptedAmount, subcontractedBySiret: p.subcontractedBySiret })),
});

/** The buyer or the titulaire (mandataire) records a contract; version 1 opens its history. */
export async function createContract(ctx: Ctx, actor: Actor, raw: ContractInput): Promise<{ contractId: number }> {
  const input = parseInput(contractInput, raw);
  const r = await resolve(ctx.db, input);
  const titulaireId = r.parties[0].structureId;
  const asBuyer = await loadMembership(ctx.db, actor.userId, r.buyerId, actor.isTechnical);
  const asTitulaire = await loadMembership(ctx.db, actor.userId, titulaireId, actor.isTechnical);
  if (asBuyer.role === null && asTitulaire.role === null)
    throw new AppError('FORBIDDEN', 'FORBIDDEN', "Seuls l'acheteur et le titulaire (ou le mandataire) peuvent enregistrer un marché.");
  if (!(asBuyer.role !== null && canManageAsBuyer(asBuyer)) && !(asTitulaire.role !== null && canCreateAsTitulaire(asTitulaire)))
    throw new AppError('FORBIDDEN', 'FORBIDDEN', "Vous n'avez pas le droit d'enregistrer un marché pour cette structure (« Factures reçues » ou « Factures émises » en modification).");
  if (await numberTakenByBuyer(ctx.db, r.buyerId, input.number)) throw numberTaken(input.number);
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('contracts')
        .values({ number: input.number, subject: input.subject, buyer_structure_id: r.buyerId, buyer_service_id: r.serviceId, ej_numbers: JSON.stringify(input.ejNumbers), groupement_kind: input.groupementKind, version: 1, created_by: actor.userId, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await replaceParties(trx, id, r.parties);
      await appendAmendment(trx, { contractId: id, version: 1, kind: 'CREATION', summary: input.summary, snapshot: snapshotOf(input, r), actorUserId: actor.userId, at: now });
      return { contractId: id };
    });
  } catch (err) {
    if ((err as { code?: string })?.code === '23505' || /duplicate key/.test(String((err as Error)?.message))) throw numberTaken(input.number);
    throw err;
  }
}

/** The buyer amends the contract (avenant): the whole contract is sent again; the history keeps every version. */
export async function amendContract(ctx: Ctx, actor: Actor, contractId: number, raw: ContractInput): Promise<{ contractId: number; version: number }> {
  const access = await loadContractAccess(ctx.db, actor, contractId);
  if (!access.amends) throw new AppError('FORBIDDEN', 'FORBIDDEN', "Seul l'acheteur (« Factures reçues » en modification) peut modifier le marché par avenant.");
  const input = parseInput(contractInput, { ...(raw as object), buyerSiret: access.contract.buyer_identifier });
  const r = await resolve(ctx.db, input);
  if (await numberTakenByBuyer(ctx.db, r.buyerId, input.number, contractId)) throw numberTaken(input.number);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const c = await lockContract(trx, contractId);
    if (!c) throw contractNotFound();
    const version = c.version + 1;
    await trx
      .updateTable('contracts')
      .set({ number: input.number, subject: input.subject, buyer_service_id: r.serviceId, ej_numbers: JSON.stringify(input.ejNumbers), groupement_kind: input.groupementKind, version, updated_at: now })
      .where('id', '=', contractId)
      .execute();
    await replaceParties(trx, contractId, r.parties);
    await appendAmendment(trx, { contractId, version, kind: 'AVENANT', summary: input.summary, snapshot: snapshotOf(input, r), actorUserId: actor.userId, at: now });
    return { contractId, version };
  });
}
