import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import * as structures from '../structures/index.ts';
import { STRUCTURE_IDENTIFIER_TYPES } from '../shared/identifiers.ts';
import { Csrf, ErrorSummary, Field, Layout, Select } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, formValues, redirect, sendPage, type FormState } from './render.ts';
import { AppError } from '../shared/app-error.ts';

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

  app.get('/structures/:id', async (req: FastifyRequest, reply: FastifyReply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = Number((req.params as any).id);
    if (!Number.isInteger(id) || id <= 0) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Structure introuvable.');
    const { structure: s, membership } = await structures.getStructure(ctx, page.actor, id);
    return sendPage(reply, (
      <Layout title={s.name} user={page.user} unread={page.unread}>
        <h1>{s.name}</h1>
        <dl class="facts">
          <dt>Identifiant</dt><dd>{s.identifier_type} {s.identifier}</dd>
          {s.siren ? <><dt>SIREN</dt><dd>{s.siren}</dd></> : null}
          {s.vat_number ? <><dt>Numéro de TVA intracommunautaire</dt><dd>{s.vat_number}</dd></> : null}
          <dt>Nature</dt><dd>{s.kind === 'PUBLIQUE' ? 'Publique' : 'Privée'}</dd>
          <dt>Statut</dt><dd>{s.status === 'ACTIVE' ? 'Active' : 'Inactive'}</dd>
          <dt>Adresse</dt><dd>{[s.address_line, s.postcode, s.city].filter(Boolean).join(', ') || '—'}</dd>
          <dt>Votre rôle</dt><dd>{membership.role === 'GESTIONNAIRE_PRINCIPAL' ? 'Gestionnaire principal' : 'Utilisateur'}</dd>
        </dl>
      </Layout>
    ));
  });
}
