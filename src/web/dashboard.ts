import type { Actor, Ctx } from '../context.ts';
import { describeStanding } from '../structures/index.ts';
import { findUserById } from '../accounts/index.ts';

export interface NextStep {
  label: string;
  href: string;
  detail?: string;
}

/** What the user should do next, from where they stand. */
export async function dashboardNextSteps(ctx: Ctx, actor: Actor): Promise<NextStep[]> {
  const steps: NextStep[] = [];
  const standing = await describeStanding(ctx, actor);
  for (const p of standing.pendingRequests)
    steps.push({ label: `Votre demande de rattachement à ${p.name} attend la validation du gestionnaire`, href: '/structures/rattachement' });
  if (standing.structures.length === 0) {
    steps.push({ label: 'Demander mon rattachement à une structure existante', href: '/structures/rattachement', detail: 'recherche par SIRET ou raison sociale' });
    steps.push({ label: 'Créer ma structure', href: '/structures/nouvelle', detail: 'vous en deviendrez le gestionnaire principal' });
  }
  for (const r of standing.requestsToDecide)
    steps.push({ label: `${r.count} demande(s) de rattachement à traiter pour ${r.name}`, href: `/structures/${r.structureId}/utilisateurs` });
  const user = await findUserById(ctx.db, actor.userId);
  if (user && !user.totp_enabled_at) steps.push({ label: 'Activer la double authentification', href: '/compte/double-authentification', detail: 'recommandé' });
  steps.push({ label: "Consulter l'annuaire des destinataires publics", href: '/annuaire' });
  return steps;
}
