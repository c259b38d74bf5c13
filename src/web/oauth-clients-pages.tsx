import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import * as structures from '../structures/index.ts';
import * as cpro from '../cpro/index.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { Csrf, ErrorSummary, Field } from './components.tsx';
import type { PageContext } from './guards.ts';
import { emptyForm, formValues, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { StructureFrame, flashOf, positiveId, structurePage } from './structure-frame.tsx';

/**
 * The applications (OAuth2 clients) of the Chorus-Pro-compatible API, managed by the principal manager as on
 * the state's « Raccordement EDI et API » space: list, declare (the secret is shown once), revoke.
 */
export async function oauthClientsPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };
  const base = (id: number) => `/structures/${id}/applications-api`;

  const clientsPage = async (req: FastifyRequest, page: PageContext, id: number, form: FormState, shown?: cpro.OAuthClientCredentials) => {
    const { structure, membership } = await structures.getStructure(ctx, page.actor, id);
    const clients = await cpro.listOAuthClients(ctx, page.actor, id);
    return (
      <StructureFrame page={page} structure={structure} membership={membership} current="oauth" title="Applications API" flash={flashOf(req, { revoquee: "L'application est révoquée : son secret et ses jetons ne fonctionnent plus." })}>
        <ErrorSummary form={form} />
        {shown ? (
          <section class="notice" role="status" aria-labelledby="identifiants">
            <h2 id="identifiants">Identifiants de l'application « {shown.label} »</h2>
            <p><strong>Notez ce secret maintenant : il ne sera plus affiché.</strong></p>
            <dl class="facts">
              <dt>Client id</dt><dd><code data-testid="client-id">{shown.clientId}</code></dd>
              <dt>Client secret</dt><dd><code data-testid="client-secret">{shown.clientSecret}</code></dd>
            </dl>
          </section>
        ) : null}
        <p>
          Une application appelle l'API compatible Chorus Pro (<code>/cpro/…</code>) : elle obtient un jeton valable une heure
          sur <code>/api/oauth/token</code> avec son client id et son secret, et chaque appel porte aussi l'en-tête
          <code> cpro-account</code> d'un <a href={`/structures/${id}/comptes-techniques`}>compte technique</a> de la structure.
          Seul le gestionnaire principal déclare et révoque les applications.
        </p>
        <table>
          <caption class="sr-only">Applications de la structure</caption>
          <thead><tr><th scope="col">Nom</th><th scope="col">Client id</th><th scope="col">Déclarée le</th><th scope="col">Statut</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {clients.length === 0 ? <tr><td colspan={5}>Aucune application.</td></tr> : clients.map((c) => (
              <tr>
                <td>{c.label}</td>
                <td><code>{c.clientId}</code></td>
                <td>{formatParisDateTime(c.createdAt)}</td>
                <td>{c.revokedAt ? `Révoquée le ${formatParisDateTime(c.revokedAt)}` : 'Active'}</td>
                <td>
                  {c.revokedAt ? '—' : (
                    <form method="post" action={`${base(id)}/${c.id}/revoquer`} class="inline">
                      <Csrf token={page.csrf} />
                      <button type="submit" class="danger">Révoquer<span class="sr-only"> l'application {c.label}</span></button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <section aria-labelledby="nouvelle">
          <h2 id="nouvelle">Déclarer une application</h2>
          <form method="post" action={base(id)} novalidate>
            <Csrf token={page.csrf} />
            <Field name="label" label="Nom de l'application" form={form} hint="Par exemple : ERP comptable." maxlength={100} required />
            <button type="submit">Déclarer l'application</button>
          </form>
        </section>
      </StructureFrame>
    );
  };

  app.get('/structures/:id/applications-api', async (req, reply) => {
    const sp = await structurePage(ctx, req, reply);
    if (sp) return sendPage(reply, await clientsPage(req, sp.page, sp.id, emptyForm()));
  });

  /** The secret is shown once, on the page that answers the form (never in a URL, never cached). */
  app.post('/structures/:id/applications-api', csrf, async (req, reply) => {
    const sp = await structurePage(ctx, req, reply);
    if (!sp) return;
    const values = formValues(req);
    let credentials: cpro.OAuthClientCredentials | undefined;
    const result = await attempt(values, async () => (credentials = await cpro.createOAuthClient(ctx, sp.page.actor, sp.id, values)));
    reply.header('cache-control', 'no-store');
    if (result) return sendPage(reply, await clientsPage(req, sp.page, sp.id, result.form), result.status);
    return sendPage(reply, await clientsPage(req, sp.page, sp.id, emptyForm(), credentials));
  });

  app.post('/structures/:id/applications-api/:clientRowId/revoquer', csrf, async (req, reply) => {
    const sp = await structurePage(ctx, req, reply);
    if (!sp) return;
    const clientRowId = positiveId((req.params as Record<string, string>).clientRowId, 'Application');
    const result = await attempt({}, () => cpro.revokeOAuthClient(ctx, sp.page.actor, sp.id, clientRowId));
    if (!result) return redirect(reply, `${base(sp.id)}?ok=revoquee`);
    return sendPage(reply, await clientsPage(req, sp.page, sp.id, result.form), result.status);
  });
}
