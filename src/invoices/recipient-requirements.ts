import type { Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { invoicingRequirements, listServicesOf, parisIsoDay, serviceIsValidOn } from '../structures/index.ts';

export const findRecipient = (db: Executor, siret: string) =>
  db.selectFrom('structures').selectAll().where('identifier', '=', siret.replace(/\s/g, '')).orderBy('id').executeTakeFirst();

export const findRecipientService = (db: Executor, structureId: number, code: string) =>
  db.selectFrom('services').selectAll().where('structure_id', '=', structureId).where('code', '=', code).executeTakeFirst();

/**
 * What an invoice to this recipient (and service) must carry, shown on the form as soon as the
 * recipient is chosen. Public information, as in the directory.
 */
export async function recipientRequirements(ctx: Ctx, q: { siret: string; serviceCode?: string | null }) {
  const s = await findRecipient(ctx.db, q.siret);
  if (!s) return { found: false as const, message: `Aucune structure de SIRET ${q.siret} n'est inscrite sur la plateforme.` };
  const today = parisIsoDay(ctx.clock.now());
  const services = s.kind === 'PUBLIQUE' ? (await listServicesOf(ctx.db, s.id)).filter((sv) => serviceIsValidOn(sv, today)) : [];
  const service = q.serviceCode ? services.find((sv) => sv.code === q.serviceCode) : undefined;
  const req = invoicingRequirements(s, service);
  const problems: string[] = [];
  if (s.kind !== 'PUBLIQUE') problems.push(`${s.name} n'est pas une structure publique : elle ne reçoit pas de factures sur la plateforme.`);
  if (s.status !== 'ACTIVE') problems.push(`${s.name} n'est plus active : elle ne reçoit plus de factures.`);
  return {
    found: true as const,
    recipient: { id: s.id, name: s.name, siret: s.identifier, kind: s.kind, active: s.status === 'ACTIVE' },
    requirements: req,
    services: services.map((sv) => ({ code: sv.code, name: sv.name, ejRequired: sv.numero_ej_doit_etre_renseigne })),
    problems,
  };
}
