import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import * as structures from '../structures/index.ts';
import { AppError } from '../shared/app-error.ts';
import { Checkbox, Csrf, ErrorSummary, Field } from './components.tsx';
import type { PageContext } from './guards.ts';
import { emptyForm, formValues, redirect, sendPage, submitForm, type FormState } from './render.ts';
import { StructureFrame, flashOf, frenchDay, positiveId, structurePage, yesNo } from './structure-frame.tsx';

type Listed = Awaited<ReturnType<typeof structures.listServices>>;
type Service = Listed['services'][number];
const FLASH = { cree: 'Le service est créé.', modifie: 'Le service est modifié.' };

/** What the service form sends, as the use cases take it (an unchecked box is absent). */
const serviceInput = (v: Record<string, string>): structures.ServiceFields => ({
  code: v.code ?? '',
  name: v.name ?? '',
  description: v.description ?? '',
  validFrom: v.validFrom ?? '',
  validTo: v.validTo ?? '',
  active: v.active === 'on',
  numeroEjDoitEtreRenseigne: v.numeroEjDoitEtreRenseigne === 'on',
});
const serviceValues = (s: Service): Record<string, string> => ({
  code: s.code,
  name: s.name,
  description: s.description ?? '',
  validFrom: s.valid_from ?? '',
  validTo: s.valid_to ?? '',
  ...(s.active ? { active: 'on' } : {}),
  ...(s.numero_ej_doit_etre_renseigne ? { numeroEjDoitEtreRenseigne: 'on' } : {}),
});

const ServiceForm = ({ page, action, form, submit }: { page: PageContext; action: string; form: FormState; submit: string }) => (
  <>
    <ErrorSummary form={form} />
    <form method="post" action={action} novalidate>
      <Csrf token={page.csrf} />
      <Field name="code" label="Code service" form={form} required maxlength={100} hint="Lettres, chiffres, tiret (-) ou souligné (_), 100 caractères au plus. Les fournisseurs le portent sur leurs factures." />
      <Field name="name" label="Nom du service" form={form} required maxlength={200} />
      <Field name="description" label="Description" form={form} maxlength={1000} />
      <Field name="validFrom" label="Début de validité" type="date" form={form} hint="Format AAAA-MM-JJ." />
      <Field name="validTo" label="Fin de validité" type="date" form={form} hint="Format AAAA-MM-JJ ; postérieure ou égale au début." />
      <Checkbox name="active" label="Service actif" checked={form.values.active === 'on'} />
      <Checkbox name="numeroEjDoitEtreRenseigne" label="Le numéro d'engagement est obligatoire pour ce service" checked={form.values.numeroEjDoitEtreRenseigne === 'on'} />
      <button type="submit">{submit}</button>
    </form>
  </>
);

export async function servicesPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };

  const listPage = (page: PageContext, { structure: s, membership, services }: Listed, form: FormState, flash?: string) => {
    const manage = structures.can(membership, 'services.manage');
    return (
      <StructureFrame page={page} structure={s} membership={membership} current="services" title="Services" flash={flash}>
        <h2>Services</h2>
        {s.kind !== 'PUBLIQUE' ? <p>Seules les structures publiques déclarent des services.</p> : services.length === 0 ? <p>Aucun service déclaré.</p> : (
          <table>
            <caption class="sr-only">Services de la structure</caption>
            <thead>
              <tr><th scope="col">Code</th><th scope="col">Nom</th><th scope="col">Validité</th><th scope="col">Actif</th><th scope="col">Engagement obligatoire</th>{manage ? <th scope="col">Action</th> : null}</tr>
            </thead>
            <tbody>
              {services.map((sv) => (
                <tr>
                  <th scope="row">{sv.code}</th>
                  <td>{sv.name}{sv.description ? <span class="hint"> — {sv.description}</span> : null}</td>
                  <td>{`du ${frenchDay(sv.valid_from)} au ${frenchDay(sv.valid_to)}`}</td>
                  <td>{yesNo(sv.active)}</td>
                  <td>{yesNo(sv.numero_ej_doit_etre_renseigne)}</td>
                  {manage ? <td><a href={`/structures/${s.id}/services/${sv.id}`}>Modifier<span class="sr-only"> le service {sv.code}</span></a></td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {manage && s.kind === 'PUBLIQUE' ? (
          <section aria-labelledby="nouveau-service">
            <h2 id="nouveau-service">Créer un service</h2>
            <ServiceForm page={page} action={`/structures/${s.id}/services`} form={form} submit="Créer le service" />
          </section>
        ) : null}
      </StructureFrame>
    );
  };

  app.get('/structures/:id/services', async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const listed = await structures.listServices(ctx, p.page.actor, p.id);
    return sendPage(reply, listPage(p.page, listed, emptyForm({ active: 'on' }), flashOf(req, FLASH)));
  });
  app.post('/structures/:id/services', csrf, async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const listed = await structures.listServices(ctx, p.page.actor, p.id);
    const values = formValues(req);
    const done = await submitForm(reply, values, () => structures.createService(ctx, p.page.actor, p.id, serviceInput(values)), (f) => listPage(p.page, listed, f));
    if (done) return redirect(reply, `/structures/${p.id}/services?ok=cree`);
  });

  const editPage = (page: PageContext, listed: Listed, service: Service, form: FormState) => (
    <StructureFrame page={page} structure={listed.structure} membership={listed.membership} current="services" title={`Service ${service.code}`}>
      <h2>Modifier le service {service.code}</h2>
      <p><a href={`/structures/${listed.structure.id}/services`}>Retour aux services</a></p>
      <ServiceForm page={page} action={`/structures/${listed.structure.id}/services/${service.id}`} form={form} submit="Enregistrer" />
    </StructureFrame>
  );
  const loadService = async (page: PageContext, structureId: number, rawServiceId: string) => {
    const listed = await structures.listServices(ctx, page.actor, structureId);
    structures.authorize(listed.membership, 'services.manage');
    const service = listed.services.find((sv) => sv.id === positiveId(rawServiceId, 'Service'));
    if (!service) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Service introuvable.');
    return { listed, service };
  };
  app.get('/structures/:id/services/:serviceId', async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const { listed, service } = await loadService(p.page, p.id, (req.params as Record<string, string>).serviceId);
    return sendPage(reply, editPage(p.page, listed, service, emptyForm(serviceValues(service))));
  });
  app.post('/structures/:id/services/:serviceId', csrf, async (req, reply) => {
    const p = await structurePage(ctx, req, reply);
    if (!p) return;
    const { listed, service } = await loadService(p.page, p.id, (req.params as Record<string, string>).serviceId);
    const values = formValues(req);
    const done = await submitForm(reply, values, () => structures.updateService(ctx, p.page.actor, p.id, service.id, serviceInput(values)), (f) => editPage(p.page, listed, service, f));
    if (done) return redirect(reply, `/structures/${p.id}/services?ok=modifie`);
  });
}
