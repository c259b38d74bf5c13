import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import * as structures from '../structures/index.ts';
import { displayName } from '../accounts/index.ts';
import { AppError } from '../shared/app-error.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { Checkbox, Csrf, ErrorSummary, Field, Layout } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, formList, formValues, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { StructureFrame, flashOf, positiveId, structurePage } from './structure-frame.tsx';

const DONE: Record<string, string> = {
  demande: 'Votre demande de rattachement est envoyée au gestionnaire principal.',
  approuve: 'La demande est approuvée : la personne est rattachée à la structure.',
  refuse: 'La demande est refusée ; la personne est informée du motif.',
  rattache: "L'utilisateur est rattaché à la structure.",
  detache: "L'utilisateur est détaché de la structure.",
  transfere: 'Le rôle de gestionnaire principal est transféré.',
};
const roleLabel = (role: string) => (role === 'GESTIONNAIRE_PRINCIPAL' ? 'Gestionnaire principal' : 'Utilisateur');
const statusLabel = (s: string) => structures.RATTACHEMENT_STATUS_LABELS[s] ?? s;
const person = (u: { first_name: string; last_name: string }) => displayName(u);

export async function membersPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };

  // « Demander un rattachement »: search by SIRET (≥ 3 characters) or exact name, then ask.
  const joinPage = async (page: PageContext, q: string, form: FormState, flash?: string) => {
    let results: Awaited<ReturnType<typeof structures.searchStructuresToJoin>> | null = null;
    let searchError: string | undefined;
    if (q) {
      try {
        results = await structures.searchStructuresToJoin(ctx, page.actor, { q });
      } catch (err) {
        if (!(err instanceof AppError) || err.kind !== 'VALIDATION') throw err;
        searchError = err.fields?.q ?? err.userMessage;
      }
    }
    const mine = await structures.listMyRattachements(ctx, page.actor);
    return (
      <Layout title="Demander un rattachement" user={page.user} unread={page.unread} flash={flash}>
        <h1>Demander un rattachement</h1>
        <p>Retrouvez la structure par le début de son SIRET (au moins 3 chiffres) ou par sa raison sociale exacte. Son gestionnaire principal validera votre demande.</p>
        <ErrorSummary form={form} />
        <form method="get" action="/structures/rattachement" role="search">
          <Field name="q" label="SIRET ou raison sociale exacte" form={{ values: { q }, errors: searchError ? { q: searchError } : {} }} required />
          <button type="submit">Rechercher</button>
        </form>
        {results ? (
          <section aria-labelledby="resultats">
            <h2 id="resultats">Résultats</h2>
            {results.length === 0 ? <p role="status">Aucune structure ne correspond à votre recherche.</p> : (
              <ul class="results">
                {results.map((s) => (
                  <li>
                    <h3>{s.name}</h3>
                    <p>{s.identifier_type} {s.identifier}{s.city ? ` — ${s.postcode ?? ''} ${s.city}` : ''}</p>
                    {s.myStatus === 'VALIDEE' || s.myStatus === 'EN_COURS_DE_VALIDATION' ? (
                      <p>Votre rattachement : {statusLabel(s.myStatus)}</p>
                    ) : (
                      <form method="post" action={`/structures/rattachement/${s.id}`}>
                        <Csrf token={page.csrf} />
                        <input type="hidden" name="q" value={q} />
                        <div class="field">
                          <label for={`message-${s.id}`}>Message au gestionnaire principal (facultatif)</label>
                          <textarea id={`message-${s.id}`} name="message" rows={3} maxlength={1000}>{form.values.structureId === String(s.id) ? form.values.message ?? '' : ''}</textarea>
                        </div>
                        {s.services.length ? (
                          <fieldset>
                            <legend>Services auxquels vous rattacher (facultatif)</legend>
                            {s.services.map((sv) => <Checkbox name="serviceIds" value={String(sv.id)} label={`${sv.code} — ${sv.name}`} />)}
                          </fieldset>
                        ) : null}
                        <button type="submit">Demander le rattachement<span class="sr-only"> à {s.name}</span></button>
                      </form>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
        <section aria-labelledby="mes-demandes">
          <h2 id="mes-demandes">Mes rattachements</h2>
          {mine.length === 0 ? <p>Vous n'avez fait aucune demande.</p> : (
            <table>
              <caption class="sr-only">Mes demandes de rattachement et leur statut</caption>
              <thead><tr><th scope="col">Structure</th><th scope="col">Statut</th><th scope="col">Demandée le</th><th scope="col">Motif du refus</th></tr></thead>
              <tbody>
                {mine.map((r) => (
                  <tr>
                    <td>{r.status === 'VALIDEE' ? <a href={`/structures/${r.structure_id}`}>{r.structure_name}</a> : r.structure_name} ({r.structure_identifier})</td>
                    <td>{statusLabel(r.status)}</td>
                    <td>{formatParisDateTime(new Date(r.requested_at))}</td>
                    <td>{r.refusal_reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </Layout>
    );
  };
  app.get('/structures/rattachement', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const q = String((req.query as Record<string, unknown>)?.q ?? '').trim();
    return sendPage(reply, await joinPage(page, q, emptyForm(), flashOf(req, DONE)));
  });
  app.post('/structures/rattachement/:id', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId((req.params as Record<string, string>).id);
    const values: Record<string, string> = { ...formValues(req), structureId: String(id) };
    const result = await attempt(values, () => structures.requestRattachement(ctx, page.actor, id, { message: values.message, serviceIds: formList(req, 'serviceIds') as never }));
    if (!result) return redirect(reply, '/structures/rattachement?ok=demande');
    return sendPage(reply, await joinPage(page, values.q ?? '', result.form), result.status);
  });

  // « Utilisateurs »: members, pending requests, direct attachment, detachment, handover.
  const usersPage = async (req: FastifyRequest, page: PageContext, id: number, form: FormState) => {
    const { structure, membership } = await structures.getStructure(ctx, page.actor, id);
    const members = await structures.listMembers(ctx, page.actor, id);
    const isGp = structures.can(membership, 'members.manage');
    const pending = isGp ? await structures.listRattachements(ctx, page.actor, id, { status: 'EN_COURS_DE_VALIDATION' }) : [];
    const others = members.filter((m) => m.role !== 'GESTIONNAIRE_PRINCIPAL' && !m.is_technical);
    return (
      <StructureFrame page={page} structure={structure} membership={membership} current="members" title="Utilisateurs" flash={flashOf(req, DONE)}>
        <ErrorSummary form={form} />
        <p><a href={`/structures/${id}/espaces`}>Mes espaces dans cette structure</a></p>
        {isGp ? (
          <section aria-labelledby="demandes">
            <h2 id="demandes">Demandes de rattachement en attente</h2>
            {pending.length === 0 ? <p>Aucune demande en attente.</p> : (
              <table>
                <caption class="sr-only">Demandes de rattachement en cours de validation</caption>
                <thead><tr><th scope="col">Demandeur</th><th scope="col">Message</th><th scope="col">Services</th><th scope="col">Décision</th></tr></thead>
                <tbody>
                  {pending.map((r) => (
                    <tr>
                      <td>{person(r)}<br /><span class="hint">{r.email} — {formatParisDateTime(new Date(r.requested_at))}</span></td>
                      <td>{r.message ?? '—'}</td>
                      <td>{r.services.map((s) => s.code).join(', ') || '—'}</td>
                      <td>
                        <form method="post" action={`/structures/${id}/utilisateurs/demandes/${r.id}/approuver`} class="inline">
                          <Csrf token={page.csrf} />
                          <button type="submit">Approuver<span class="sr-only"> la demande de {person(r)}</span></button>
                        </form>
                        <form method="post" action={`/structures/${id}/utilisateurs/demandes/${r.id}/refuser`}>
                          <Csrf token={page.csrf} />
                          <label for={`reason-${r.id}`}>Motif du refus<span class="sr-only"> pour {person(r)}</span></label>
                          <input id={`reason-${r.id}`} name="reason" type="text" maxlength={1000} value={form.values.rid === String(r.id) ? form.values.reason ?? '' : ''} aria-invalid={form.values.rid === String(r.id) && form.errors.reason ? 'true' : undefined} />
                          <button type="submit" class="danger">Refuser<span class="sr-only"> la demande de {person(r)}</span></button>
                        </form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ) : null}
        <section aria-labelledby="membres">
          <h2 id="membres">Utilisateurs rattachés</h2>
          <table>
            <caption class="sr-only">Utilisateurs rattachés à la structure</caption>
            <thead><tr><th scope="col">Nom</th><th scope="col">Adresse électronique</th><th scope="col">Rôle</th>{isGp ? <th scope="col">Actions</th> : null}</tr></thead>
            <tbody>
              {members.map((m) => (
                <tr>
                  <td>{m.is_technical ? m.last_name : person(m)}</td>
                  <td>{m.email}</td>
                  <td>{m.is_technical ? 'Compte technique' : roleLabel(m.role)}</td>
                  {isGp ? (
                    <td>
                      {m.role === 'GESTIONNAIRE_PRINCIPAL' ? '—' : (
                        <form method="post" action={`/structures/${id}/utilisateurs/${m.user_id}/detacher`} class="inline">
                          <Csrf token={page.csrf} />
                          <button type="submit" class="secondary">Détacher<span class="sr-only"> {m.is_technical ? m.last_name : person(m)}</span></button>
                        </form>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {isGp ? (
          <>
            <section aria-labelledby="rattacher">
              <h2 id="rattacher">Rattacher un utilisateur</h2>
              <p>La personne doit déjà avoir un compte actif. Elle recevra les espaces par défaut, en consultation.</p>
              <form method="post" action={`/structures/${id}/utilisateurs/rattacher`} novalidate>
                <Csrf token={page.csrf} />
                <Field name="email" label="Adresse électronique de l'utilisateur" type="email" form={form} required />
                <button type="submit">Rattacher</button>
              </form>
            </section>
            <section aria-labelledby="transfert">
              <h2 id="transfert">Transférer le rôle de gestionnaire principal</h2>
              {others.length === 0 ? <p>Aucun autre utilisateur ne peut recevoir ce rôle.</p> : (
                <form method="post" action={`/structures/${id}/utilisateurs/transfert`}>
                  <Csrf token={page.csrf} />
                  <div class={form.errors.userId ? 'field has-error' : 'field'}>
                    <label for="userId">Nouveau gestionnaire principal</label>
                    <p class="hint" id="userId-aide">Vous resterez utilisateur de la structure, avec tous les droits en modification.</p>
                    {form.errors.userId ? <p class="error" id="userId-erreur">{form.errors.userId}</p> : null}
                    <select id="userId" name="userId" aria-describedby="userId-aide">
                      {others.map((m) => <option value={String(m.user_id)}>{person(m)} ({m.email})</option>)}
                    </select>
                  </div>
                  <button type="submit">Transférer le rôle</button>
                </form>
              )}
            </section>
          </>
        ) : null}
      </StructureFrame>
    );
  };

  app.get('/structures/:id/utilisateurs', async (req, reply) => {
    const sp = await structurePage(ctx, req, reply);
    if (sp) return sendPage(reply, await usersPage(req, sp.page, sp.id, emptyForm()));
  });

  /** Runs a manager's action, then back to the users page (or the page again with the French error). */
  const action = (path: string, run: (page: PageContext, id: number, req: FastifyRequest) => Promise<unknown>, done: string, extra: (req: FastifyRequest) => Record<string, string> = () => ({})) =>
    app.post(`/structures/:id/utilisateurs${path}`, csrf, async (req: FastifyRequest, reply: FastifyReply) => {
      const sp = await structurePage(ctx, req, reply);
      if (!sp) return;
      const values: Record<string, string> = { ...formValues(req), ...extra(req) };
      const result = await attempt(values, () => run(sp.page, sp.id, req));
      if (!result) return redirect(reply, `/structures/${sp.id}/utilisateurs?ok=${done}`);
      return sendPage(reply, await usersPage(req, sp.page, sp.id, result.form), result.status);
    });

  const param = (req: FastifyRequest, name: string) => positiveId((req.params as Record<string, string>)[name], 'Demande');
  action('/demandes/:rid/approuver', (page, id, req) => structures.approveRattachement(ctx, page.actor, id, param(req, 'rid')), 'approuve');
  action('/demandes/:rid/refuser', (page, id, req) => structures.refuseRattachement(ctx, page.actor, id, param(req, 'rid'), formValues(req)), 'refuse', (req) => ({ rid: String(param(req, 'rid')) }));
  action('/rattacher', (page, id, req) => structures.attachUser(ctx, page.actor, id, formValues(req)), 'rattache');
  action('/:userId/detacher', (page, id, req) => structures.detachUser(ctx, page.actor, id, positiveId((req.params as Record<string, string>).userId, 'Utilisateur')), 'detache');
  action('/transfert', (page, id, req) => structures.transferPrincipalManager(ctx, page.actor, id, formValues(req)), 'transfere');
}
