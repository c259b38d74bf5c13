import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import * as structures from '../structures/index.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { Csrf, ErrorSummary, Field } from './components.tsx';
import type { PageContext } from './guards.ts';
import { emptyForm, formValues, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { StructureFrame, flashOf, positiveId, structurePage } from './structure-frame.tsx';

const STATUS: Record<string, string> = { ACTIF: 'Actif', DESACTIVE: 'Désactivé', EN_ATTENTE_ACTIVATION: 'En attente' };

export async function technicalAccountsPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };

  const accountsPage = async (req: FastifyRequest, page: PageContext, id: number, form: FormState, shown?: structures.TechnicalCredentials) => {
    const { structure, membership } = await structures.getStructure(ctx, page.actor, id);
    const accounts = await structures.listTechnicalAccounts(ctx, page.actor, id);
    return (
      <StructureFrame page={page} structure={structure} membership={membership} current="technical" title="Comptes techniques" flash={flashOf(req, { desactive: 'Le compte technique est désactivé.' })}>
        <ErrorSummary form={form} />
        {shown ? (
          <section class="notice" role="status" aria-labelledby="identifiants">
            <h2 id="identifiants">Identifiants du compte technique</h2>
            <p><strong>Notez ce mot de passe maintenant : il ne sera plus affiché.</strong></p>
            <dl class="facts">
              <dt>Identifiant</dt><dd><code data-testid="login">{shown.login}</code></dd>
              <dt>Mot de passe</dt><dd><code data-testid="password">{shown.password}</code></dd>
              <dt>Expire le</dt><dd>{formatParisDateTime(shown.passwordExpiresAt)}</dd>
            </dl>
          </section>
        ) : null}
        <p>Un compte technique appelle l'API (authentification HTTP Basic). Son mot de passe doit être renouvelé tous les 424 jours ; seul le gestionnaire principal le réinitialise.</p>
        <table>
          <caption class="sr-only">Comptes techniques de la structure</caption>
          <thead><tr><th scope="col">Libellé</th><th scope="col">Identifiant</th><th scope="col">Statut</th><th scope="col">Expiration du mot de passe</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {accounts.length === 0 ? <tr><td colspan={5}>Aucun compte technique.</td></tr> : accounts.map((a) => (
              <tr>
                <td>{a.label}</td>
                <td>{a.email}</td>
                <td>{STATUS[a.status] ?? a.status}</td>
                <td>{a.password_expires_at ? formatParisDateTime(new Date(a.password_expires_at)) : '—'}</td>
                <td>
                  {a.status === 'ACTIF' ? (
                    <>
                      <form method="post" action={`/structures/${id}/comptes-techniques/${a.id}/reinitialiser`} class="inline">
                        <Csrf token={page.csrf} />
                        <button type="submit">Réinitialiser le mot de passe<span class="sr-only"> de {a.email}</span></button>
                      </form>{' '}
                      <form method="post" action={`/structures/${id}/comptes-techniques/${a.id}/desactiver`} class="inline">
                        <Csrf token={page.csrf} />
                        <button type="submit" class="danger">Désactiver<span class="sr-only"> {a.email}</span></button>
                      </form>
                    </>
                  ) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <section aria-labelledby="nouveau">
          <h2 id="nouveau">Créer un compte technique</h2>
          <form method="post" action={`/structures/${id}/comptes-techniques`} novalidate>
            <Csrf token={page.csrf} />
            <Field name="label" label="Libellé (facultatif)" form={form} hint="Par exemple : Connecteur ERP." maxlength={100} />
            <button type="submit">Créer le compte technique</button>
          </form>
        </section>
        <p><a href={`/structures/${id}/espaces`}>Mes espaces dans cette structure</a></p>
      </StructureFrame>
    );
  };

  app.get('/structures/:id/comptes-techniques', async (req, reply) => {
    const sp = await structurePage(ctx, req, reply);
    if (sp) return sendPage(reply, await accountsPage(req, sp.page, sp.id, emptyForm()));
  });

  /** Creation and reset show the new password once, on the page that answers the form (never in a URL). */
  const showing = (path: string, run: (page: PageContext, id: number, req: FastifyRequest) => Promise<structures.TechnicalCredentials>) =>
    app.post(`/structures/:id/comptes-techniques${path}`, csrf, async (req: FastifyRequest, reply: FastifyReply) => {
      const sp = await structurePage(ctx, req, reply);
      if (!sp) return;
      const values = formValues(req);
      let credentials: structures.TechnicalCredentials | undefined;
      const result = await attempt(values, async () => (credentials = await run(sp.page, sp.id, req)));
      reply.header('cache-control', 'no-store');
      if (result) return sendPage(reply, await accountsPage(req, sp.page, sp.id, result.form), result.status);
      return sendPage(reply, await accountsPage(req, sp.page, sp.id, emptyForm(), credentials));
    });
  const accountId = (req: FastifyRequest) => positiveId((req.params as Record<string, string>).userId, 'Compte technique');

  showing('', (page, id, req) => structures.createTechnicalAccount(ctx, page.actor, id, formValues(req)));
  showing('/:userId/reinitialiser', (page, id, req) => structures.resetTechnicalAccountPassword(ctx, page.actor, id, accountId(req)));
  app.post('/structures/:id/comptes-techniques/:userId/desactiver', csrf, async (req, reply) => {
    const sp = await structurePage(ctx, req, reply);
    if (!sp) return;
    const result = await attempt({}, () => structures.deactivateTechnicalAccount(ctx, sp.page.actor, sp.id, accountId(req)));
    if (!result) return redirect(reply, `/structures/${sp.id}/comptes-techniques?ok=desactive`);
    return sendPage(reply, await accountsPage(req, sp.page, sp.id, result.form), result.status);
  });
}
