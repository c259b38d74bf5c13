import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import type { DevMailbox } from '../mail/mailer.ts';
import { listStructuresOfUser } from '../structures/index.ts';
import { Layout } from './components.tsx';
import { requirePage } from './guards.ts';
import { sendPage } from './render.ts';
import { dashboardNextSteps } from './dashboard.ts';

export async function homePages(app: FastifyInstance, deps: { ctx: Ctx; mailbox: DevMailbox | null }) {
  const { ctx } = deps;

  app.get('/', async (req, reply) => {
    if (!req.auth.session) {
      return sendPage(reply, (
        <Layout title="Accueil">
          <h1>Ouvrage</h1>
          <p>La plateforme libre pour répondre aux marchés publics (DUME) et facturer les acheteurs publics, compatible avec Chorus Pro.</p>
          <p><a class="button" href="/connexion">Se connecter</a> <a class="button secondary" href="/inscription">Créer un compte</a></p>
          <p><a href="/annuaire">Consulter l'annuaire des destinataires publics</a></p>
        </Layout>
      ));
    }
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const structures = await listStructuresOfUser(ctx.db, page.user.id);
    const steps = await dashboardNextSteps(ctx, page.actor);
    const flash = (req.query as any)?.totp ? 'La double authentification est activée.' : undefined;
    return sendPage(reply, (
      <Layout title="Tableau de bord" user={page.user} unread={page.unread} flash={flash}>
        <h1>Bonjour {page.user.firstName}</h1>
        <section aria-labelledby="etapes">
          <h2 id="etapes">Ce que vous pouvez faire maintenant</h2>
          <ul class="steps">
            {steps.map((s) => (
              <li><a href={s.href}>{s.label}</a>{s.detail ? <span class="hint"> — {s.detail}</span> : null}</li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="mes-structures">
          <h2 id="mes-structures">Mes structures</h2>
          {structures.length === 0 ? (
            <p>Vous n'êtes rattaché à aucune structure.</p>
          ) : (
            <table>
              <caption class="sr-only">Structures auxquelles vous êtes rattaché</caption>
              <thead><tr><th scope="col">Structure</th><th scope="col">Identifiant</th><th scope="col">Type</th><th scope="col">Votre rôle</th></tr></thead>
              <tbody>
                {structures.map((s) => (
                  <tr>
                    <td><a href={`/structures/${s.id}`}>{s.name}</a></td>
                    <td>{s.identifier}</td>
                    <td>{s.kind === 'PUBLIQUE' ? 'Publique' : 'Privée'}</td>
                    <td>{s.role === 'GESTIONNAIRE_PRINCIPAL' ? 'Gestionnaire principal' : 'Utilisateur'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </Layout>
    ));
  });

  // Development mailbox: the mails the in-process SMTP server received (only when SMTP_URL is not set).
  if (deps.mailbox && ctx.config.NODE_ENV !== 'production') {
    const mailbox = deps.mailbox;
    app.get('/dev/courriels', async (_req, reply) =>
      sendPage(reply, (
        <Layout title="Courriels reçus (développement)">
          <h1>Courriels reçus (développement)</h1>
          <p>Sans <code>SMTP_URL</code>, les courriels de la plateforme arrivent ici (et dans <code>data/mails/</code>).</p>
          {[...mailbox.messages].reverse().slice(0, 50).map((m) => (
            <article class="mail">
              <h2>{m.subject}</h2>
              <p>À : {m.to.join(', ')} — {m.receivedAt.toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}</p>
              <pre>{m.text}</pre>
            </article>
          ))}
        </Layout>
      )));
  }
}
