import type { Ctx } from '../context.ts';
import { listStructuresOfUser } from '../structures/index.ts';
import { findUserById } from '../accounts/index.ts';

/** What the user should do next, from where they stand. */
export async function dashboardNextSteps(ctx: Ctx, userId: number): Promise<Array<{ label: string; href: string; detail?: string }>> {
  const steps: Array<{ label: string; href: string; detail?: string }> = [];
  const structures = await listStructuresOfUser(ctx.db, userId);
  const pending = await ctx.db
    .selectFrom('rattachements')
    .innerJoin('structures', 'structures.id', 'rattachements.structure_id')
    .select(['structures.name'])
    .where('rattachements.user_id', '=', userId)
    .where('rattachements.status', '=', 'EN_COURS_DE_VALIDATION')
    .execute();
  for (const p of pending) steps.push({ label: `Votre demande de rattachement à ${p.name} attend la validation du gestionnaire`, href: '/structures' });
  if (structures.length === 0) {
    steps.push({ label: 'Demander mon rattachement à une structure existante', href: '/structures/rattachement', detail: 'recherche par SIRET ou raison sociale' });
    steps.push({ label: 'Créer ma structure', href: '/structures/nouvelle', detail: 'vous en deviendrez le gestionnaire principal' });
  }
  for (const s of structures.filter((s) => s.role === 'GESTIONNAIRE_PRINCIPAL')) {
    const waiting = await ctx.db
      .selectFrom('rattachements')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('structure_id', '=', s.id)
      .where('status', '=', 'EN_COURS_DE_VALIDATION')
      .executeTakeFirstOrThrow();
    if (Number(waiting.n) > 0) steps.push({ label: `${waiting.n} demande(s) de rattachement à traiter pour ${s.name}`, href: `/structures/${s.id}/utilisateurs` });
  }
  const user = await findUserById(ctx.db, userId);
  if (user && !user.totp_enabled_at) steps.push({ label: 'Activer la double authentification', href: '/compte/double-authentification', detail: 'recommandé' });
  steps.push({ label: "Consulter l'annuaire des destinataires publics", href: '/annuaire' });
  return steps;
}
