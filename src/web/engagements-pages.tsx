import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import * as structures from '../structures/index.ts';
import { formatAmountFr } from '../shared/money.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { Csrf, ErrorSummary, Field, Select, Pager } from './components.tsx';
import type { PageContext } from './guards.ts';
import { emptyForm, formValues, redirect, sendPage, submitForm, type FormState } from './render.ts';
import { StructureFrame, flashOf, positiveId, structurePage } from './structure-frame.tsx';

type Loaded = Awaited<ReturnType<typeof structures.getStructure>>;
type Engagement = structures.EngagementRow;
type ServiceOption = { code: string; name: string };
const FLASH = { cree: "L'engagement est enregistré.", modifie: "L'engagement est modifié." };
const STATE_OPTIONS = structures.ENGAGEMENT_STATES.map((s) => ({ value: s, label: structures.ENGAGEMENT_STATE_LABELS[s] }));

const engagementInput = (v: Record<string, string>): structures.EngagementFields => ({
  number: v.number ?? '',
  state: (v.state || undefined) as structures.EngagementState | undefined,
  amount: v.amount ?? '',
  currency: v.currency || 'EUR',
  serviceCode: v.serviceCode ?? '',
  supplierSiret: v.supplierSiret ?? '',
  subject: v.subject ?? '',
});
const engagementValues = (e: Engagement): Record<string, string> => ({
  number: e.number,
  state: e.state,
  amount: e.amount ?? '',
  currency: e.currency,
  serviceCode: e.service_code ?? '',
  supplierSiret: e.supplier_siret ?? '',
  subject: e.subject ?? '',
});

const EngagementForm = ({ page, action, form, services, submit }: { page: PageContext; action: string; form: FormState; services: ServiceOption[]; submit: string }) => (
  <>
    <ErrorSummary form={form} />
    <form method="post" action={action} novalidate>
      <Csrf token={page.csrf} />
      <Field name="number" label="Numéro d'engagement juridique" form={form} required maxlength={50} hint="50 caractères au plus, par exemple 1000012345." />
      <Select name="state" label="État" form={form} required options={STATE_OPTIONS} />
      <Field name="amount" label="Montant" form={form} inputmode="text" hint="Par exemple 48500,00 (deux décimales au plus)." />
      <Field name="currency" label="Devise" form={form} maxlength={3} hint="Code sur 3 lettres, EUR par défaut." />
      <Select name="serviceCode" label="Service" form={form} options={[{ value: '', label: 'Aucun service' }, ...services.map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }))]} />
      <Field name="supplierSiret" label="SIRET du fournisseur" form={form} inputmode="numeric" maxlength={14} hint="14 chiffres ; le fournisseur doit être inscrit sur la plateforme." />
      <Field name="subject" label="Objet" form={form} maxlength={500} />
      <button type="submit">{submit}</button>
    </form>
  </>
);

export async function engagementsPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };
  const servicesOf = async (page: PageContext, id: number) => (await structures.listServices(ctx, page.actor, id)).services.map((s) => ({ code: s.code, name: s.name }));

  app.get('/structures/:id/engagements', async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const query = (req.query ?? {}) as Record<string, string>;
    const criteria = { number: query.number ?? '', state: query.state ?? '', serviceCode: query.serviceCode ?? '', supplierSiret: query.supplierSiret ?? '' };
    const r = await structures.searchEngagements(ctx, p.page.actor, p.id, { ...criteria, page: query.page || undefined });
    const services = await servicesOf(p.page, p.id);
    const form = emptyForm(criteria);
    const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
    const pageLink = (n: number) => `/structures/${p.id}/engagements?${new URLSearchParams({ ...criteria, page: String(n) })}`;
    return sendPage(reply, (
      <StructureFrame page={p.page} structure={r.structure} membership={r.membership} current="engagements" title="Engagements juridiques" flash={flashOf(req, FLASH)}>
        <h2>Registre des engagements juridiques</h2>
        {r.structure.kind !== 'PUBLIQUE' ? <p>Seules les structures publiques tiennent un registre d'engagements juridiques.</p> : (
          <>
            {structures.can(r.membership, 'engagements.manage') ? <p><a class="button" href={`/structures/${p.id}/engagements/nouveau`}>Enregistrer un engagement</a></p> : null}
            <form method="get" action={`/structures/${p.id}/engagements`} role="search" aria-label="Rechercher un engagement">
              <Field name="number" label="Numéro (début)" form={form} />
              <Select name="state" label="État" form={form} options={[{ value: '', label: 'Tous les états' }, ...STATE_OPTIONS]} />
              <Select name="serviceCode" label="Service" form={form} options={[{ value: '', label: 'Tous les services' }, ...services.map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }))]} />
              <Field name="supplierSiret" label="SIRET du fournisseur" form={form} inputmode="numeric" maxlength={14} />
              <button type="submit">Rechercher</button>
            </form>
            <p role="status">{r.total === 0 ? 'Aucun engagement.' : `${r.total} engagement${r.total > 1 ? 's' : ''}.`}</p>
            {r.engagements.length > 0 ? (
              <table>
                <caption class="sr-only">Engagements juridiques</caption>
                <thead><tr><th scope="col">Numéro</th><th scope="col">État</th><th scope="col">Montant</th><th scope="col">Service</th><th scope="col">Fournisseur</th><th scope="col">Objet</th><th scope="col">Enregistré le</th></tr></thead>
                <tbody>
                  {r.engagements.map((e) => (
                    <tr>
                      <th scope="row"><a href={`/structures/${p.id}/engagements/${e.id}`}>{e.number}</a></th>
                      <td>{structures.ENGAGEMENT_STATE_LABELS[e.state]}</td>
                      <td>{e.amount ? formatAmountFr(e.amount, e.currency) : '—'}</td>
                      <td>{e.service_code ?? '—'}</td>
                      <td>{e.supplier_name ? `${e.supplier_name} (${e.supplier_siret})` : '—'}</td>
                      <td>{e.subject ?? '—'}</td>
                      <td>{formatParisDateTime(new Date(e.created_at))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            <Pager page={r.page} pages={pages} link={pageLink} />
          </>
        )}
      </StructureFrame>
    ));
  });

  const createPage = (page: PageContext, { structure, membership }: Loaded, services: ServiceOption[], form: FormState) => (
    <StructureFrame page={page} structure={structure} membership={membership} current="engagements" title="Enregistrer un engagement">
      <h2>Enregistrer un engagement juridique</h2>
      <EngagementForm page={page} action={`/structures/${structure.id}/engagements/nouveau`} form={form} services={services} submit="Enregistrer l'engagement" />
    </StructureFrame>
  );
  const loadForManage = async (page: PageContext, id: number) => {
    const loaded = await structures.getStructure(ctx, page.actor, id);
    structures.authorize(loaded.membership, 'engagements.manage');
    return { loaded, services: await servicesOf(page, id) };
  };
  app.get('/structures/:id/engagements/nouveau', async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const { loaded, services } = await loadForManage(p.page, p.id);
    return sendPage(reply, createPage(p.page, loaded, services, emptyForm({ state: 'A_TRAITER', currency: 'EUR' })));
  });
  app.post('/structures/:id/engagements/nouveau', csrf, async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const { loaded, services } = await loadForManage(p.page, p.id);
    const values = formValues(req);
    const done = await submitForm(reply, values, () => structures.createEngagement(ctx, p.page.actor, p.id, engagementInput(values)), (f) => createPage(p.page, loaded, services, f));
    if (done) return redirect(reply, `/structures/${p.id}/engagements?ok=cree`);
  });

  const detailPage = (page: PageContext, got: Awaited<ReturnType<typeof structures.getEngagement>>, services: ServiceOption[], form: FormState) => {
    const { structure, membership, engagement: e } = got;
    return (
      <StructureFrame page={page} structure={structure} membership={membership} current="engagements" title={`Engagement ${e.number}`}>
        <h2>Engagement n° {e.number}</h2>
        <p><a href={`/structures/${structure.id}/engagements`}>Retour au registre</a></p>
        {structures.can(membership, 'engagements.manage') ? (
          <EngagementForm page={page} action={`/structures/${structure.id}/engagements/${e.id}`} form={form} services={services} submit="Enregistrer" />
        ) : (
          <dl class="facts">
            <dt>État</dt><dd>{structures.ENGAGEMENT_STATE_LABELS[e.state]}</dd>
            <dt>Montant</dt><dd>{e.amount ? formatAmountFr(e.amount, e.currency) : '—'}</dd>
            <dt>Service</dt><dd>{e.service_code ? `${e.service_code} — ${e.service_name}` : '—'}</dd>
            <dt>Fournisseur</dt><dd>{e.supplier_name ? `${e.supplier_name} (${e.supplier_siret})` : '—'}</dd>
            <dt>Objet</dt><dd>{e.subject ?? '—'}</dd>
          </dl>
        )}
      </StructureFrame>
    );
  };
  app.get('/structures/:id/engagements/:engagementId', async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const got = await structures.getEngagement(ctx, p.page.actor, p.id, positiveId((req.params as Record<string, string>).engagementId, 'Engagement'));
    return sendPage(reply, detailPage(p.page, got, await servicesOf(p.page, p.id), emptyForm(engagementValues(got.engagement))));
  });
  app.post('/structures/:id/engagements/:engagementId', csrf, async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const got = await structures.getEngagement(ctx, p.page.actor, p.id, positiveId((req.params as Record<string, string>).engagementId, 'Engagement'));
    const services = await servicesOf(p.page, p.id);
    const values = formValues(req);
    const done = await submitForm(reply, values, () => structures.updateEngagement(ctx, p.page.actor, p.id, got.engagement.id, engagementInput(values)), (f) => detailPage(p.page, got, services, f));
    if (done) return redirect(reply, `/structures/${p.id}/engagements?ok=modifie`);
  });
}
