import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import * as structures from '../structures/index.ts';
import * as works from '../works/index.ts';
import { STRUCTURE_IDENTIFIER_TYPES } from '../shared/identifiers.ts';
import { Checkbox, Csrf, ErrorSummary, Field, Layout, Select } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, formList, formValues, redirect, sendPage, submitForm, type FormState } from './render.ts';
import { StructureFrame, flashOf, structurePage, yesNo } from './structure-frame.tsx';
import { formatParisDateTime } from '../shared/clock.ts';
import { AppError } from '../shared/app-error.ts';
import { getPaymentTerms, setPaymentTerms } from '../invoices/index.ts';
import { PaymentTermsSection, paymentTermsValues } from './payment-terms-section.tsx';
import { attempt } from './attempt.ts';

const IDENTIFIER_TYPE_LABELS: Record<string, string> = {
  SIRET: 'SIRET (France)',
  UE_HORS_FRANCE: 'Identifiant européen hors France',
  HORS_UE: 'Identifiant hors Union européenne',
  RIDET: 'RIDET (Nouvelle-Calédonie)',
  TAHITI: 'Numéro TAHITI (Polynésie française)',
  AUTRE: 'Autre identifiant',
  PARTICULIER: 'Particulier',
};

export async function structuresPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };

  app.get('/structures', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const mine = await structures.listStructuresOfUser(ctx.db, page.user.id);
    return sendPage(reply, (
      <Layout title="Mes structures" user={page.user} unread={page.unread}>
        <h1>Mes structures</h1>
        <p><a class="button" href="/structures/nouvelle">Créer une structure</a> <a class="button secondary" href="/structures/rattachement">Demander un rattachement</a></p>
        {mine.length === 0 ? <p>Vous n'êtes rattaché à aucune structure.</p> : (
          <ul>
            {mine.map((s) => <li><a href={`/structures/${s.id}`}>{s.name}</a> ({s.identifier})</li>)}
          </ul>
        )}
      </Layout>
    ));
  });

  const createPage = (page: PageContext, form: FormState) => (
    <Layout title="Créer une structure" user={page.user} unread={page.unread}>
      <h1>Créer une structure</h1>
      <p>Vous en deviendrez le gestionnaire principal : vous validerez les demandes de rattachement et gérerez les droits.</p>
      <ErrorSummary form={form} />
      <form method="post" action="/structures/nouvelle" novalidate>
        <Csrf token={page.csrf} />
        <Select name="identifierType" label="Type d'identifiant" form={form} required options={STRUCTURE_IDENTIFIER_TYPES.map((t) => ({ value: t, label: IDENTIFIER_TYPE_LABELS[t] }))} />
        <Field name="identifier" label="Identifiant" form={form} required hint="Pour un SIRET : 14 chiffres, sans espace." />
        <Field name="name" label="Raison sociale" form={form} required autocomplete="organization" />
        <Select name="kind" label="Nature" form={form} required options={[{ value: 'PRIVEE', label: 'Privée (entreprise, association…)' }, { value: 'PUBLIQUE', label: 'Publique (acheteur public)' }]} />
        <Field name="addressLine" label="Adresse" form={form} autocomplete="street-address" />
        <Field name="postcode" label="Code postal" form={form} autocomplete="postal-code" />
        <Field name="city" label="Ville" form={form} autocomplete="address-level2" />
        <button type="submit">Créer la structure</button>
      </form>
    </Layout>
  );
  app.get('/structures/nouvelle', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (page) return sendPage(reply, createPage(page, emptyForm({ identifierType: 'SIRET', kind: 'PRIVEE' })));
  });
  app.post('/structures/nouvelle', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const values = formValues(req);
    try {
      const { structureId } = await structures.createStructure(ctx, page.actor, values as any);
      return redirect(reply, `/structures/${structureId}`);
    } catch (err) {
      if (err instanceof AppError && err.kind !== 'INTERNAL')
        return sendPage(reply, createPage(page, { values, errors: err.fields ?? {}, message: err.userMessage }), err.kind === 'CONFLICT' ? 409 : 400);
      throw err;
    }
  });

  await structureDetailPages(app, ctx);
}

type Loaded = Awaited<ReturnType<typeof structures.getStructure>>;
const FLASH = { modifiee: 'La structure est modifiée.', parametres: 'Les paramètres sont enregistrés.', delai: 'Le délai de paiement est enregistré.' };

/** Overview (with the edit form for its principal manager), parameters and history of a structure. */
async function structureDetailPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };

  const overviewPage = (page: PageContext, { structure: s, membership }: Loaded, form: FormState, flash?: string, hasWorks = false) => (
    <StructureFrame page={page} structure={s} membership={membership} current="overview" title="Vue d'ensemble" flash={flash}>
      <h2>Vue d'ensemble</h2>
      <dl class="facts">
        <dt>Identifiant</dt><dd>{IDENTIFIER_TYPE_LABELS[s.identifier_type] ?? s.identifier_type} {s.identifier}</dd>
        {s.siren ? <><dt>SIREN</dt><dd>{s.siren}</dd></> : null}
        {s.vat_number ? <><dt>Numéro de TVA intracommunautaire</dt><dd>{s.vat_number}</dd></> : null}
        <dt>Nature</dt><dd>{s.kind === 'PUBLIQUE' ? 'Publique' : 'Privée'}</dd>
        <dt>Statut</dt><dd>{s.status === 'ACTIVE' ? 'Active' : 'Inactive'}</dd>
        <dt>Adresse</dt><dd>{[s.address_line, s.postcode, s.city].filter(Boolean).join(', ') || '—'}</dd>
        <dt>Courriel de contact</dt><dd>{s.contact_email ?? '—'}</dd>
        <dt>Votre rôle</dt><dd>{membership.role === 'GESTIONNAIRE_PRINCIPAL' ? 'Gestionnaire principal' : 'Utilisateur'}</dd>
      </dl>
      {hasWorks ? <p><a href={`/structures/${s.id}/travaux`}>Factures de travaux</a> : les marchés de travaux de la structure et leurs dossiers de facturation.</p> : null}
      {structures.can(membership, 'structure.edit') ? (
        <section aria-labelledby="modifier">
          <h2 id="modifier">Modifier la structure</h2>
          <ErrorSummary form={form} />
          <form method="post" action={`/structures/${s.id}/modifier`} novalidate>
            <Csrf token={page.csrf} />
            <Field name="name" label="Raison sociale" form={form} required autocomplete="organization" />
            <Field name="addressLine" label="Adresse" form={form} autocomplete="street-address" />
            <Field name="postcode" label="Code postal" form={form} autocomplete="postal-code" />
            <Field name="city" label="Ville" form={form} autocomplete="address-level2" />
            <Field name="contactEmail" label="Courriel de contact" type="email" form={form} autocomplete="email" />
            <Select name="status" label="Statut" form={form} required hint="Une structure inactive n'apparaît plus dans l'annuaire." options={[{ value: 'ACTIVE', label: 'Active' }, { value: 'INACTIVE', label: 'Inactive' }]} />
            <button type="submit">Enregistrer</button>
          </form>
        </section>
      ) : null}
    </StructureFrame>
  );
  const currentValues = (s: Loaded['structure']) => ({
    name: s.name, addressLine: s.address_line ?? '', postcode: s.postcode ?? '', city: s.city ?? '', contactEmail: s.contact_email ?? '', status: s.status,
  });

  app.get('/structures/:id', async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const loaded = await structures.getStructure(ctx, p.page.actor, p.id);
    const hasWorks = (await works.structuresWithWorks(ctx, [p.id])).length > 0;
    return sendPage(reply, overviewPage(p.page, loaded, emptyForm(currentValues(loaded.structure)), flashOf(req, FLASH), hasWorks));
  });
  app.post('/structures/:id/modifier', csrf, async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const loaded = await structures.getStructure(ctx, p.page.actor, p.id);
    const values = formValues(req);
    const { name, addressLine, postcode, city, contactEmail, status } = values;
    const done = await submitForm(reply, values, () => structures.editStructure(ctx, p.page.actor, p.id, { name, addressLine, postcode, city, contactEmail, status: status as any }), (f) => overviewPage(p.page, loaded, f));
    if (done) return redirect(reply, `/structures/${p.id}?ok=modifiee`);
  });

  const applicable = (kind: string) => structures.PARAMETER_COLUMNS.filter((d) => !d.publicOnly || kind === 'PUBLIQUE');
  type Terms = Awaited<ReturnType<typeof getPaymentTerms>>;
  const parametersPage = (page: PageContext, { structure: s, membership }: Loaded, form: FormState, flash?: string, terms?: { terms: Terms; form?: FormState }) => (
    <StructureFrame page={page} structure={s} membership={membership} current="parameters" title="Paramètres" flash={flash}>
      <h2>Paramètres</h2>
      {s.kind === 'PUBLIQUE' ? <p>Ces paramètres indiquent aux fournisseurs ce que leurs factures doivent porter ; ils sont publiés dans l'annuaire.</p> : null}
      {structures.can(membership, 'structure.parameters.edit') ? (
        <>
          <ErrorSummary form={form} />
          <form method="post" action={`/structures/${s.id}/parametres`} novalidate>
            <Csrf token={page.csrf} />
            <fieldset>
              <legend>Paramètres de la structure</legend>
              {applicable(s.kind).map((d) => (
                <>
                  {form.errors[`parameters.${d.api}`] ? <p class="error" id={`parameters.${d.api}`}>{form.errors[`parameters.${d.api}`]}</p> : null}
                  <Checkbox name={d.api} label={d.label} checked={form.values[d.api] === 'on'} />
                </>
              ))}
            </fieldset>
            <button type="submit">Enregistrer les paramètres</button>
          </form>
        </>
      ) : (
        <dl class="facts">
          {applicable(s.kind).map((d) => <><dt>{d.label}</dt><dd>{yesNo(s[d.key])}</dd></>)}
        </dl>
      )}
      {s.kind === 'PUBLIQUE' && terms ? (
        <PaymentTermsSection structureId={s.id} terms={terms.terms} canEdit={membership.role === 'GESTIONNAIRE_PRINCIPAL'} csrf={page.csrf} form={terms.form ?? emptyForm(paymentTermsValues(terms.terms))} />
      ) : null}
    </StructureFrame>
  );
  const parameterValues = (s: Loaded['structure']) =>
    Object.fromEntries(structures.PARAMETER_COLUMNS.filter((d) => s[d.key]).map((d) => [d.api, 'on'])) as Record<string, string>;

  app.get('/structures/:id/parametres', async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const loaded = await structures.getStructure(ctx, p.page.actor, p.id);
    return sendPage(reply, parametersPage(p.page, loaded, emptyForm(parameterValues(loaded.structure)), flashOf(req, FLASH), { terms: await getPaymentTerms(ctx, p.id) }));
  });
  app.post('/structures/:id/parametres/delai-paiement', csrf, async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const loaded = await structures.getStructure(ctx, p.page.actor, p.id);
    const values = formValues(req);
    const failed = await attempt(values, () => setPaymentTerms(ctx, p.page.actor, p.id, { payerCategory: values.payerCategory as never, delayDays: values.delayDays?.trim() ? (values.delayDays.trim() as unknown as number) : null }));
    if (failed) return sendPage(reply, parametersPage(p.page, loaded, emptyForm(parameterValues(loaded.structure)), undefined, { terms: await getPaymentTerms(ctx, p.id), form: failed.form }), failed.status);
    return redirect(reply, `/structures/${p.id}/parametres?ok=delai#delai-paiement`);
  });
  app.post('/structures/:id/parametres', csrf, async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const loaded = await structures.getStructure(ctx, p.page.actor, p.id);
    const parameters = Object.fromEntries(applicable(loaded.structure.kind).map((d) => [d.api, checked(req, d.api)]));
    const values = Object.fromEntries(Object.entries(parameters).filter(([, v]) => v).map(([k]) => [k, 'on'])) as Record<string, string>;
    const terms = { terms: await getPaymentTerms(ctx, p.id) };
    const done = await submitForm(reply, values, () => structures.editStructure(ctx, p.page.actor, p.id, { parameters }), (f) => parametersPage(p.page, loaded, f, undefined, terms));
    if (done) return redirect(reply, `/structures/${p.id}/parametres?ok=parametres`);
  });

  app.get('/structures/:id/historique', async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const { structure: s, membership, events } = await structures.listStructureHistory(ctx, p.page.actor, p.id);
    return sendPage(reply, (
      <StructureFrame page={p.page} structure={s} membership={membership} current="history" title="Activités du gestionnaire">
        <h2>Activités du gestionnaire</h2>
        {events.length === 0 ? <p>Aucune activité enregistrée.</p> : (
          <table>
            <caption class="sr-only">Historique de la structure, du plus récent au plus ancien</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Auteur</th><th scope="col">Activité</th><th scope="col">Détail</th></tr></thead>
            <tbody>
              {events.map((e) => (
                <tr>
                  <td>{formatParisDateTime(new Date(e.created_at))}</td>
                  <td>{e.email ? `${e.first_name ?? ''} ${e.last_name ?? ''}`.trim() : '—'}</td>
                  <th scope="row">{EVENT_LABELS[e.type] ?? e.type}</th>
                  <td>{eventDetail(e.data as Record<string, unknown>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </StructureFrame>
    ));
  });
}

const checked = (req: FastifyRequest, name: string) => formList(req, name).length > 0;

const EVENT_LABELS: Record<string, string> = {
  STRUCTURE_CREATED: 'Création de la structure',
  STRUCTURE_EDITED: 'Modification de la structure',
  STRUCTURE_PARAMETERS_EDITED: 'Modification des paramètres',
  SERVICE_CREATED: "Création d'un service",
  SERVICE_UPDATED: "Modification d'un service",
  ENGAGEMENT_CREATED: "Enregistrement d'un engagement juridique",
  ENGAGEMENT_UPDATED: "Modification d'un engagement juridique",
  RATTACHEMENT_REQUESTED: 'Demande de rattachement',
  RATTACHEMENT_APPROVED: 'Rattachement validé',
  RATTACHEMENT_REFUSED: 'Rattachement refusé',
  RATTACHEMENT_DELETED: 'Rattachement supprimé',
  USER_ATTACHED: "Rattachement d'un utilisateur",
  USER_DETACHED: "Détachement d'un utilisateur",
  PRINCIPAL_MANAGER_TRANSFERRED: 'Transfert du rôle de gestionnaire principal',
  RIGHTS_SET: 'Modification des droits',
  RIGHTS_COPIED: 'Copie des droits',
  SPACES_SUBSCRIBED: 'Abonnement à des espaces',
  TECHNICAL_ACCOUNT_CREATED: "Création d'un compte technique",
  TECHNICAL_ACCOUNT_DEACTIVATED: "Désactivation d'un compte technique",
  TECHNICAL_ACCOUNT_PASSWORD_RESET: "Nouveau mot de passe d'un compte technique",
};

/** A short French line from an event's data: what changed, or the code/number concerned. */
function eventDetail(data: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof data.code === 'string') parts.push(`service ${data.code}`);
  if (typeof data.number === 'string') parts.push(`n° ${data.number}`);
  const changes = data.changes as Record<string, { from: unknown; to: unknown }> | undefined;
  if (changes && typeof changes === 'object')
    for (const [field, c] of Object.entries(changes)) parts.push(`${field} : ${show(c?.from)} → ${show(c?.to)}`);
  return parts.join(' ; ') || '—';
}
const show = (v: unknown) => (v === null || v === undefined || v === '' ? '∅' : v === true ? 'oui' : v === false ? 'non' : String(v));
