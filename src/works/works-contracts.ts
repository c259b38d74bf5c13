import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { hasRight, loadMembership } from '../structures/index.ts';
import { loadContract } from '../contracts/index.ts';
import { contractAmount, termsProblems, type IndexSeries, type WorksTerms } from './decompte.ts';
import { DEADLINE_INFO, DEFAULT_DEADLINES, contractDeadlines } from './deadlines.ts';
import { findWorksContract, listWorksContractIdsOf } from './repository.ts';
import { forbidden, loadWorksAccess, worksContractNotFound } from './access.ts';

const siret = z.string().trim().transform((s) => s.replace(/\s/g, '')).pipe(z.string().max(20, 'Un SIRET a 14 chiffres.'));
const indexSeries = z.record(z.string().trim().min(1).max(30), z.record(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Mois au format AAAA-MM.'), z.union([z.string(), z.number()]).transform(String)));

export const worksContractInput = z.object({
  contractId: z.coerce.number({ message: 'Le marché est obligatoire.' }).int().positive('Le marché est obligatoire.'),
  moeSiret: siret.nullable().optional().transform((v) => v || null),
  moaSiret: siret.nullable().optional().transform((v) => v || null),
  payerSiret: siret.nullable().optional().transform((v) => v || null),
  payerServiceCode: z.string().trim().max(100).nullable().optional().transform((v) => v || null),
  ejNumber: z.string().trim().max(50).nullable().optional().transform((v) => v || null),
  terms: z.object({
    priceSchedule: z.array(z.object({
      code: z.string().trim().max(20), label: z.string().trim().max(200), kind: z.string(), unit: z.string().trim().max(20).nullable().optional(),
      quantity: z.union([z.string(), z.number()]).transform(String), unitPrice: z.union([z.string(), z.number()]).transform(String),
    })).max(500, 'Le bordereau ne doit pas dépasser 500 lignes.'),
    vatRate: z.union([z.string(), z.number()]).transform(String),
    advance: z.object({ amount: z.union([z.string(), z.number()]).transform(String), repaymentStartPercent: z.string().optional(), repaymentEndPercent: z.string().optional() }).nullable().optional(),
    retention: z.object({ ratePercent: z.union([z.string(), z.number()]).transform(String), replacedByGuarantee: z.boolean().optional() }).nullable().optional(),
    revision: z.object({
      fixedPart: z.union([z.string(), z.number()]).transform(String),
      terms: z.array(z.object({ index: z.string().trim(), weight: z.union([z.string(), z.number()]).transform(String), baseValue: z.union([z.string(), z.number()]).transform(String) })).max(10),
      decimals: z.coerce.number().int().default(3),
      rounding: z.enum(['UP', 'HALF_UP']).default('UP'),
    }).nullable().optional(),
  }, { message: 'Les conditions financières du marché sont obligatoires.' }),
  indexes: indexSeries.default({}),
  deadlines: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
});
export type WorksContractInput = z.input<typeof worksContractInput>;

const structureBySiret = (db: Executor, s: string) => db.selectFrom('structures').select(['id', 'name']).where('identifier', '=', s).orderBy('id').executeTakeFirst();

/**
 * The buyer records a works contract on one of its contracts: the MOE (may be absent from the platform),
 * the MOA and the paying service (the buyer by default), the price schedule and the financial terms, the
 * index series and the deadlines (CCAG defaults unless the contract says otherwise).
 */
export async function createWorksContract(ctx: Ctx, actor: Actor, raw: WorksContractInput) {
  const input = parseInput(worksContractInput, raw);
  const c = await loadContract(ctx.db, input.contractId);
  if (!c) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Marché introuvable.');
  const buyerId = c.contract.buyer.id;
  const m = await loadMembership(ctx.db, actor.userId, buyerId, actor.isTechnical);
  if (m.role === null) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Marché introuvable.');
  if (!hasRight(m, 'FACTURES_RECUES', 'MODIFICATION') && !hasRight(m, 'FACTURES_TRAVAUX', 'MODIFICATION')) throw forbidden("Seul l'acheteur du marché (droit de modification) enregistre le marché de travaux.");
  const errors: Record<string, string> = {};
  const terms = input.terms as unknown as WorksTerms;
  Object.assign(errors, Object.fromEntries(Object.entries(termsProblems(terms)).map(([k, v]) => [`terms.${k}`, v])));
  const { errors: dErrors } = contractDeadlines(input.deadlines);
  Object.assign(errors, dErrors);
  const resolve = async (key: string, s: string | null, fallback: number | null) => {
    if (!s) return fallback;
    const st = await structureBySiret(ctx.db, s);
    if (!st) errors[key] = `Aucune structure de SIRET ${s} n'est inscrite sur la plateforme.`;
    return st?.id ?? null;
  };
  const moeId = await resolve('moeSiret', input.moeSiret, null);
  const moaId = await resolve('moaSiret', input.moaSiret, buyerId);
  const payerId = await resolve('payerSiret', input.payerSiret, buyerId);
  let payerServiceId: number | null = null;
  const serviceCode = input.payerServiceCode ?? (payerId === buyerId ? c.contract.service?.code ?? null : null);
  if (serviceCode && payerId) {
    const sv = await ctx.db.selectFrom('services').select('id').where('structure_id', '=', payerId).where('code', '=', serviceCode).executeTakeFirst();
    if (!sv) errors.payerServiceCode = `Le service « ${serviceCode} » n'existe pas chez le payeur.`;
    payerServiceId = sv?.id ?? null;
  }
  if (await findWorksContract(ctx.db, input.contractId)) errors.contractId = 'Ce marché a déjà ses conditions de travaux.';
  if (Object.keys(errors).length) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', errors);
  const now = ctx.clock.now();
  await ctx.db.insertInto('works_contracts').values({
    contract_id: input.contractId, moe_structure_id: moeId, moe_service_id: null, moa_structure_id: moaId!, payer_structure_id: payerId!, payer_service_id: payerServiceId,
    ej_number: input.ejNumber ?? c.contract.ejNumbers[0] ?? null, terms: JSON.stringify(terms), indexes: JSON.stringify(input.indexes), deadlines: JSON.stringify(input.deadlines),
    created_by: actor.userId, created_at: now, updated_at: now,
  }).execute();
  return { contractId: input.contractId };
}

/** The MOE, the MOA or the buyer records published index values (a provisional revision is corrected by the next statement). */
export async function recordIndexes(ctx: Ctx, actor: Actor, contractId: number, raw: unknown) {
  const series = parseInput(z.object({ indexes: indexSeries }), raw).indexes;
  const access = await loadWorksAccess(ctx.db, actor, contractId);
  if (!access.moe.acts && !access.moa.acts && !access.buyerManages) throw forbidden("Seuls le maître d'œuvre, le maître de l'ouvrage et l'acheteur enregistrent les index.");
  const merged: IndexSeries = { ...(access.works.indexes as IndexSeries) };
  for (const [name, values] of Object.entries(series)) merged[name] = { ...(merged[name] ?? {}), ...values };
  await ctx.db.updateTable('works_contracts').set({ indexes: JSON.stringify(merged), updated_at: ctx.clock.now() }).where('contract_id', '=', contractId).execute();
  return { indexes: merged };
}

/** A works contract as its parties see it. */
export async function getWorksContract(ctx: Ctx, actor: Actor, contractId: number) {
  const access = await loadWorksAccess(ctx.db, actor, contractId);
  const w = access.works;
  const c = await loadContract(ctx.db, contractId);
  if (!c) throw worksContractNotFound();
  const terms = w.terms as unknown as WorksTerms;
  const { deadlines } = contractDeadlines(w.deadlines);
  return {
    contract: c.contract,
    moe: w.moe_structure_id ? { id: w.moe_structure_id, name: w.moe_name } : null,
    moa: { id: w.moa_structure_id, name: w.moa_name },
    payer: { id: w.payer_structure_id, name: w.payer_name, serviceCode: w.payer_service_code },
    ejNumber: w.ej_number,
    terms,
    contractAmount: contractAmount(terms),
    indexes: w.indexes as IndexSeries,
    deadlines: Object.entries(deadlines).map(([kind, days]) => ({ kind, days, isDefault: days === DEFAULT_DEADLINES[kind as keyof typeof DEFAULT_DEADLINES], ...DEADLINE_INFO[kind as keyof typeof DEADLINE_INFO] })),
    myRoles: {
      company: access.company.acts.length ? 'MODIFICATION' : access.company.sees.length ? 'CONSULTATION' : null,
      moe: access.moe.acts ? 'MODIFICATION' : access.moe.sees ? 'CONSULTATION' : null,
      moa: access.moa.acts ? 'MODIFICATION' : access.moa.sees ? 'CONSULTATION' : null,
      payer: access.payer,
    },
  };
}

/** The works contracts of the structures the actor belongs to. */
export async function listWorksContracts(ctx: Ctx, actor: Actor) {
  const mine = await ctx.db.selectFrom('rattachements').select('structure_id').where('user_id', '=', actor.userId).where('status', '=', 'VALIDEE').execute();
  const ids = await listWorksContractIdsOf(ctx.db, mine.map((r) => r.structure_id));
  const out = [];
  for (const id of ids) {
    const w = await findWorksContract(ctx.db, id);
    if (w) out.push({ contractId: id, number: w.number, subject: w.subject, moe: w.moe_name, moa: w.moa_name, payer: w.payer_name });
  }
  return out;
}
