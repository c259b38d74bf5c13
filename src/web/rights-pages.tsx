import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import * as structures from '../structures/index.ts';
import { displayName } from '../accounts/index.ts';
import { Checkbox, Csrf, ErrorSummary } from './components.tsx';
import type { PageContext } from './guards.ts';
import { emptyForm, formList, formValues, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { StructureFrame, flashOf, positiveId, structurePage } from './structure-frame.tsx';

const DONE: Record<string, string> = {
  droits: 'Les droits sont enregistrés.',
  abonnement: 'Les utilisateurs choisis sont abonnés à l’espace.',
  copie: 'Les droits sont copiés.',
};
const ACCESS_OPTIONS = [
  { value: '', label: 'Aucun droit' },
  { value: 'CONSULTATION_UNIQUEMENT', label: 'Consultation uniquement' },
  { value: 'MODIFICATION', label: 'Modification' },
];
type Matrix = Awaited<ReturnType<typeof structures.getRightsMatrix>>;
const nameOf = (m: Matrix['members'][number]) => (m.isTechnical ? m.lastName : displayName({ first_name: m.firstName, last_name: m.lastName }));

/** A labelled select (label, hint and error linked), for the small forms of this page. */
const Choice = ({ name, label, form, options }: { name: string; label: string; form: FormState; options: Array<{ value: string; label: string }> }) => (
  <div class={form.errors[name] ? 'field has-error' : 'field'}>
    <label for={name}>{label}</label>
    {form.errors[name] ? <p class="error" id={`${name}-erreur`}>{form.errors[name]}</p> : null}
    <select id={name} name={name} aria-describedby={form.errors[name] ? `${name}-erreur` : undefined}>
      {options.map((o) => <option value={o.value} selected={form.values[name] === o.value}>{o.label}</option>)}
    </select>
  </div>
);

export async function rightsPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };

  const rightsPage = async (req: FastifyRequest, page: PageContext, id: number, form: FormState) => {
    const { membership } = await structures.getStructure(ctx, page.actor, id);
    const matrix = await structures.getRightsMatrix(ctx, page.actor, id);
    const editable = matrix.members.filter((m) => m.role !== 'GESTIONNAIRE_PRINCIPAL');
    const everyone = matrix.members.map((m) => ({ value: String(m.userId), label: `${nameOf(m)} (${m.email})` }));
    const spaceOptions = matrix.spaces.map((s) => ({ value: s, label: structures.spaceLabel(s) }));
    return (
      <StructureFrame page={page} structure={matrix.structure} membership={membership} current="rights" title="Droits" flash={flashOf(req, DONE)}>
        <ErrorSummary form={form} />
        <p><a href={`/structures/${id}/espaces`}>Mes espaces dans cette structure</a></p>
        <section aria-labelledby="matrice">
          <h2 id="matrice">Droits par utilisateur et par espace</h2>
          <p>Le gestionnaire principal a toujours tous les droits. Les droits limités à un service sont conservés.</p>
          <div class="table-scroll">
            <table>
              <caption class="sr-only">Matrice des droits : une ligne par utilisateur, une colonne par espace</caption>
              <thead><tr><th scope="col">Utilisateur</th>{matrix.spaces.map((s) => <th scope="col">{structures.spaceLabel(s)}</th>)}<th scope="col">Enregistrer</th></tr></thead>
              <tbody>
                {matrix.members.map((m) => {
                  const isGp = m.role === 'GESTIONNAIRE_PRINCIPAL';
                  return (
                    <tr>
                      <th scope="row">{nameOf(m)}{isGp ? <span class="hint"> (gestionnaire principal)</span> : m.isTechnical ? <span class="hint"> (compte technique)</span> : null}</th>
                      {matrix.spaces.map((space) => {
                        if (isGp) return <td>Modification</td>;
                        const current = m.habilitations.find((h) => h.space === space && h.serviceId === null)?.access ?? '';
                        const cellId = `droit-${m.userId}-${space}`;
                        return (
                          <td>
                            <label class="sr-only" for={cellId}>{`${structures.spaceLabel(space)} — ${nameOf(m)}`}</label>
                            <select id={cellId} name={space} form={`droits-${m.userId}`}>
                              {ACCESS_OPTIONS.map((o) => <option value={o.value} selected={current === o.value}>{o.label}</option>)}
                            </select>
                          </td>
                        );
                      })}
                      <td>
                        {isGp ? '—' : (
                          <form id={`droits-${m.userId}`} method="post" action={`/structures/${id}/droits/${m.userId}`}>
                            <Csrf token={page.csrf} />
                            <button type="submit">Enregistrer<span class="sr-only"> les droits de {nameOf(m)}</span></button>
                          </form>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
        {editable.length ? (
          <>
            <section aria-labelledby="abonnement">
              <h2 id="abonnement">Abonner plusieurs utilisateurs à un espace</h2>
              <form method="post" action={`/structures/${id}/droits/abonnement`}>
                <Csrf token={page.csrf} />
                <fieldset>
                  <legend>Utilisateurs à abonner</legend>
                  {form.errors.userIds ? <p class="error">{form.errors.userIds}</p> : null}
                  {editable.map((m) => <Checkbox name="userIds" value={String(m.userId)} label={nameOf(m)} />)}
                </fieldset>
                <Choice name="space" label="Espace" form={form} options={spaceOptions} />
                <Choice name="access" label="Niveau de droit" form={form} options={ACCESS_OPTIONS.slice(1)} />
                <button type="submit">Abonner les utilisateurs choisis</button>
              </form>
            </section>
            <section aria-labelledby="copie">
              <h2 id="copie">Copier les droits d'un utilisateur</h2>
              <form method="post" action={`/structures/${id}/droits/copie`}>
                <Csrf token={page.csrf} />
                <Choice name="fromUserId" label="Copier les droits de" form={form} options={everyone} />
                <Choice name="toUserId" label="Vers l'utilisateur" form={form} options={editable.map((m) => ({ value: String(m.userId), label: `${nameOf(m)} (${m.email})` }))} />
                <button type="submit">Copier les droits</button>
              </form>
            </section>
          </>
        ) : null}
      </StructureFrame>
    );
  };

  app.get('/structures/:id/droits', async (req, reply) => {
    const sp = await structurePage(ctx, req, reply);
    if (sp) return sendPage(reply, await rightsPage(req, sp.page, sp.id, emptyForm()));
  });

  const action = (path: string, run: (page: PageContext, id: number, req: FastifyRequest) => Promise<unknown>, done: string) =>
    app.post(`/structures/:id/droits${path}`, csrf, async (req: FastifyRequest, reply: FastifyReply) => {
      const sp = await structurePage(ctx, req, reply);
      if (!sp) return;
      const values = formValues(req);
      const result = await attempt(values, () => run(sp.page, sp.id, req));
      if (!result) return redirect(reply, `/structures/${sp.id}/droits?ok=${done}`);
      return sendPage(reply, await rightsPage(req, sp.page, sp.id, result.form), result.status);
    });

  action('/abonnement', (page, id, req) => structures.subscribeSpaces(ctx, page.actor, id, { ...formValues(req), userIds: formList(req, 'userIds') }), 'abonnement');
  action('/copie', (page, id, req) => structures.copyHabilitations(ctx, page.actor, id, formValues(req)), 'copie');
  // One row of the matrix: the structure-wide cells replace the old ones; rights limited to a service are kept.
  action('/:userId', async (page, id, req) => {
    const userId = positiveId((req.params as Record<string, string>).userId, 'Utilisateur');
    const values = formValues(req);
    const current = await structures.getHabilitations(ctx, page.actor, id, userId);
    const cells = structures.SPACE_CODES.filter((s) => values[s]).map((space) => ({ space, access: values[space] as structures.AccessLevel }));
    const kept = current.habilitations.filter((h) => h.serviceId !== null).map((h) => ({ space: h.space as structures.SpaceCode, access: h.access, serviceId: h.serviceId }));
    return structures.setHabilitations(ctx, page.actor, id, userId, { habilitations: [...cells, ...kept] });
  }, 'droits');

  // « Mes espaces »: what the current user can open in the structure, and how.
  app.get('/structures/:id/espaces', async (req, reply) => {
    const sp = await structurePage(ctx, req, reply);
    if (!sp) return;
    const { structure, membership } = await structures.getStructure(ctx, sp.page.actor, sp.id);
    const { spaces } = await structures.listMySpaces(ctx, sp.page.actor, sp.id);
    return sendPage(reply, (
      <StructureFrame page={sp.page} structure={structure} membership={membership} current="spaces" title="Mes espaces">
        <h2>Mes espaces</h2>
        {spaces.length === 0 ? (
          <p>Vous n'avez accès à aucun espace de cette structure. Demandez des droits à son gestionnaire principal.</p>
        ) : (
          <ul class="spaces" aria-label="Espaces accessibles">
            {spaces.map((s) => (
              <li>{`${s.label} — ${structures.accessLabel(s.access)}`}{s.serviceIds ? <span class="hint">{` (limité à ${s.serviceIds.length} service${s.serviceIds.length > 1 ? 's' : ''})`}</span> : null}</li>
            ))}
          </ul>
        )}
      </StructureFrame>
    ));
  });
}
