import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Child } from 'hono/jsx';
import multipart from '@fastify/multipart';
import type { Ctx } from '../context.ts';
import * as dume from '../dume/index.ts';
import { CATALOGUE, NATIONAL_EXCLUSION, ALPHA_CRITERION, SIMPLIFIED_CRITERIA, criterionTemplate, propertyLabelFr, criterionLabelFr, type EspdExportVersion } from '../formats/espd/index.ts';
import { listStructuresOfUser } from '../structures/index.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { AppError } from '../shared/app-error.ts';
import { Csrf, ErrorSummary, Field, Layout, Select } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, formList, formValues, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { flashOf, positiveId } from './structure-frame.tsx';
import { csrfOfMultipart, Fact, multipartFile, multipartValue, Steps } from './dume-shared.tsx';
import { responsePages } from './dume-response-pages.tsx';

const LOT_ROWS = 5;
const FLASH = {
  brouillon: 'Le DUME acheteur est enregistré au statut « Brouillon ».',
  publie: 'Le DUME est publié : communiquez son numéro ou son lien aux entreprises.',
  importe: 'Le fichier est importé.',
};

type Settings = dume.RequestInput & { imported?: boolean };
const settingsOf = (r: dume.RequestRow) => r.settings as unknown as Settings;
const steps = (id?: number) => [
  { label: 'Procédure', href: id ? `/dume/demandes/${id}/procedure` : undefined },
  { label: 'Motifs d’exclusion', href: id ? `/dume/demandes/${id}/exclusion` : undefined },
  { label: 'Critères de sélection', href: id ? `/dume/demandes/${id}/selection` : undefined },
  { label: 'Vérifier et publier', href: id ? `/dume/demandes/${id}` : undefined },
];

/** The structures where the user may create or answer DUMEs. */
async function editableStructures(ctx: Ctx, page: PageContext) {
  const out = [];
  for (const s of await listStructuresOfUser(ctx.db, page.user.id)) {
    if (s.rattachement_status !== 'VALIDEE') continue;
    if ((await dume.dumeRights(ctx, page.actor, s.id)).edit) out.push(s);
  }
  return out;
}

const ProcedureForm = ({ page, action, form, structures }: { page: PageContext; action: string; form: FormState; structures?: { id: number; name: string }[] }) => (
  <form method="post" action={action} novalidate>
    <Csrf token={page.csrf} />
    {structures ? <Select name="structureId" label="Structure acheteuse" form={form} options={structures.map((s) => ({ value: String(s.id), label: s.name }))} required /> : null}
    <fieldset>
      <legend>La procédure</legend>
      <Field name="title" label="Objet de la consultation" form={form} required maxlength={300} />
      <div class="field">
        <label for="description">Description</label>
        <textarea id="description" name="description" maxlength={4000}>{form.values.description ?? ''}</textarea>
      </div>
      <Field name="fileReference" label="Référence du dossier" form={form} required maxlength={100} hint="La référence interne de l’acheteur (numéro de marché ou de consultation)." />
      <Select name="procedureType" label="Type de procédure" form={form} options={[{ value: '', label: 'Non précisé' }, ...dume.PROCEDURE_TYPES.map((p) => ({ value: p.code, label: p.label }))]} />
      <Field name="publicationReference" label="Référence de publication" form={form} maxlength={200} hint="Avis au JOUE (TED), au BOAMP ou sur le profil d’acheteur." />
    </fieldset>
    <fieldset>
      <legend>Lots</legend>
      <p class="hint">Laissez vide pour une procédure sans lots. Les lots sont numérotés dans l’ordre.</p>
      {Array.from({ length: LOT_ROWS }, (_, i) => <Field name={`lot.${i}`} label={`Intitulé du lot ${i + 1}`} form={form} maxlength={300} />)}
    </fieldset>
    <fieldset>
      <legend>Forme du DUME</legend>
      <div class="checkbox">
        <input type="checkbox" id="simplified" name="simplified" value="oui" checked={form.values.simplified === 'oui'} />
        <label for="simplified">DUME simplifié : l’entreprise indique seulement son chiffre d’affaires et ses effectifs</label>
      </div>
    </fieldset>
    <button type="submit">Enregistrer et continuer</button>
  </form>
);

const procedureValues = (s: Settings): Record<string, string> => ({
  title: s.title ?? '', description: s.description ?? '', fileReference: s.fileReference ?? '', procedureType: s.procedureType ?? '', publicationReference: s.publicationReference ?? '',
  simplified: s.simplified ? 'oui' : '', ...Object.fromEntries((s.lots ?? []).map((l, i) => [`lot.${i}`, l.title])),
});
function procedureFromForm(v: Record<string, string>, base: Partial<Settings> = {}): dume.RequestInput {
  const lots = Array.from({ length: LOT_ROWS }, (_, i) => v[`lot.${i}`]?.trim()).filter((t): t is string => !!t).map((title) => ({ title }));
  return {
    ...base, title: v.title ?? '', description: v.description || null, fileReference: v.fileReference ?? '', procedureType: v.procedureType || null,
    publicationReference: v.publicationReference || null, lots, simplified: v.simplified === 'oui', selection: base.selection ?? [],
  } as dume.RequestInput;
}

export async function dumePages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };
  const params = (req: FastifyRequest) => req.params as Record<string, string>;

  app.get('/dume', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const q = (req.query ?? {}) as Record<string, string>;
    const kind = q.type === 'DEMANDE' || q.type === 'REPONSE' ? q.type : undefined;
    const list = await dume.searchDumes(ctx, page.actor, { text: q.q, kind });
    const structures = await editableStructures(ctx, page);
    const form = emptyForm({ q: q.q ?? '', type: kind ?? '' });
    return sendPage(reply, (
      <Layout title="DUME" user={page.user} unread={page.unread} flash={flashOf(req, FLASH)}>
        <h1>DUME — Document unique de marché européen</h1>
        <p>Acheteurs : créez le DUME de votre consultation et publiez-le. Entreprises : répondez à un DUME à partir de son numéro ou de son lien, réutilisez vos réponses.</p>
        <div class="actions">
          {structures.length ? (
            <form method="get" action="/dume/demandes/nouvelle" class="inline">
              <button type="submit">Créer un DUME acheteur</button>
            </form>
          ) : null}{' '}
          <a class="button secondary" href="/dume/importer">Importer un DUME (XML)</a>
        </div>
        <form method="get" action="/dume/repondre" aria-label="Répondre à un DUME">
          <Field name="number" label="Numéro du DUME acheteur auquel répondre" form={emptyForm()} maxlength={8} hint="8 lettres ou chiffres, communiqués par l’acheteur." />
          <button type="submit" class="secondary">Répondre à ce DUME</button>
        </form>
        <h2>Mes DUME</h2>
        <form method="get" action="/dume" role="search" aria-label="Rechercher un DUME">
          <Field name="q" label="Rechercher (objet, référence, numéro, entreprise, groupement)" form={form} />
          <Select name="type" label="Type" form={form} options={[{ value: '', label: 'Tous' }, { value: 'DEMANDE', label: 'DUME acheteur' }, { value: 'REPONSE', label: 'DUME opérateur économique' }]} />
          <button type="submit">Rechercher</button>
        </form>
        <p role="status">{list.length === 0 ? 'Aucun DUME.' : `${list.length} DUME.`}</p>
        {list.length ? (
          <table>
            <caption class="sr-only">Mes DUME</caption>
            <thead><tr><th scope="col">Objet</th><th scope="col">Type</th><th scope="col">Numéro</th><th scope="col">Référence</th><th scope="col">Structure</th><th scope="col">Statut</th><th scope="col">Modifié le</th></tr></thead>
            <tbody>
              {list.map((d) => (
                <tr>
                  <th scope="row"><a href={d.kind === 'DEMANDE' ? `/dume/demandes/${d.id}` : `/dume/reponses/${d.id}`}>{d.title}</a></th>
                  <td>{d.kind === 'DEMANDE' ? 'DUME acheteur' : `DUME opérateur économique${d.group_name ? ` (groupement ${d.group_name})` : ''}`}</td>
                  <td>{d.number ?? '—'}</td>
                  <td>{d.file_reference ?? '—'}</td>
                  <td>{d.structure_name}</td>
                  <td>{d.kind === 'DEMANDE' ? dume.REQUEST_STATUS_LABELS[d.status] : dume.RESPONSE_STATUS_LABELS[d.status]}</td>
                  <td>{formatParisDateTime(new Date(d.updated_at))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Layout>
    ));
  });

  app.get('/dume/repondre', async (req, reply) => {
    const n = String((req.query as Record<string, string>)?.number ?? '').trim().toLowerCase();
    return redirect(reply, dume.DUME_NUMBER.test(n) ? `/dume/${n}` : '/dume');
  });

  // ---- buyer: step 1, the procedure
  const newPage = (page: PageContext, form: FormState, structures: { id: number; name: string }[]) => (
    <Layout title="Créer un DUME acheteur" user={page.user} unread={page.unread}>
      <p class="hint"><a href="/dume">DUME</a></p>
      <h1>Créer un DUME acheteur</h1>
      <Steps steps={steps()} current={0} />
      <ErrorSummary form={form} />
      <ProcedureForm page={page} action="/dume/demandes/nouvelle" form={form} structures={structures} />
    </Layout>
  );
  app.get('/dume/demandes/nouvelle', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const structures = await editableStructures(ctx, page);
    return sendPage(reply, newPage(page, emptyForm({ structureId: String((req.query as Record<string, string>)?.structure ?? structures[0]?.id ?? '') }), structures));
  });
  app.post('/dume/demandes/nouvelle', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const v = formValues(req);
    let id = 0;
    const failed = await attempt(v, async () => {
      id = (await dume.createRequest(ctx, page.actor, positiveId(v.structureId), procedureFromForm(v))).requestId;
    });
    if (failed) return sendPage(reply, newPage(page, failed.form, await editableStructures(ctx, page)), failed.status);
    return redirect(reply, `/dume/demandes/${id}/exclusion`);
  });

  async function draftOf(req: FastifyRequest, page: PageContext) {
    const g = await dume.getRequest(ctx, page.actor, positiveId(params(req).id, 'DUME'));
    return g;
  }
  const wizardPage = (page: PageContext, r: dume.RequestRow, current: number, form: FormState, body: Child) => (
    <Layout title={`${steps()[current].label} — ${r.title}`} user={page.user} unread={page.unread}>
      <p class="hint"><a href="/dume">DUME</a> · {r.structure_name}</p>
      <h1>DUME acheteur : {r.title}</h1>
      <Steps steps={steps(r.id)} current={current} />
      <ErrorSummary form={form} />
      {body}
    </Layout>
  );
  /** Saves one step: the settings so far, with this step's part replaced. */
  async function saveStep(req: FastifyRequest, reply: FastifyReply, page: PageContext, current: number, change: (s: Settings, v: Record<string, string>) => dume.RequestInput, render: (r: dume.RequestRow, form: FormState) => Child, next: string) {
    const { request } = await draftOf(req, page);
    const v = formValues(req);
    const failed = await attempt(v, () => dume.updateRequestDraft(ctx, page.actor, request.id, change(settingsOf(request), v)));
    if (failed) return sendPage(reply, wizardPage(page, request, current, failed.form, render(request, failed.form)), failed.status);
    return redirect(reply, next);
  }

  const procedureBody = (page: PageContext, r: dume.RequestRow, form: FormState) => <ProcedureForm page={page} action={`/dume/demandes/${r.id}/procedure`} form={form} />;
  app.get('/dume/demandes/:id/procedure', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { request } = await draftOf(req, page);
    const form = emptyForm(procedureValues(settingsOf(request)));
    return sendPage(reply, wizardPage(page, request, 0, form, procedureBody(page, request, form)));
  });
  app.post('/dume/demandes/:id/procedure', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id, 'DUME');
    return saveStep(req, reply, page, 0, (s, v) => procedureFromForm(v, s), (r, f) => procedureBody(page, r, f), `/dume/demandes/${id}/exclusion`);
  });

  // ---- step 2, exclusion grounds
  const exclusionBody = (page: PageContext, r: dume.RequestRow, chosen: Set<string>) => {
    const sections = [...new Set(CATALOGUE.filter((c) => c.family === 'EXCLUSION').map((c) => c.section))];
    return (
      <form method="post" action={`/dume/demandes/${r.id}/exclusion`}>
        <Csrf token={page.csrf} />
        <p>Les motifs d’exclusion de la directive 2014/24/UE sont présélectionnés. Les sections A (condamnations) et B (impôts et cotisations) sont obligatoires pour les marchés relevant de la directive.</p>
        {sections.map((section) => (
          <fieldset>
            <legend>{section}</legend>
            {CATALOGUE.filter((c) => c.family === 'EXCLUSION' && c.section === section).map((c) => (
              <div class="checkbox">
                <input type="checkbox" id={`ex-${c.id}`} name="exclusion" value={c.id} checked={chosen.has(c.id)} />
                <label for={`ex-${c.id}`}>{c.label}{c.id === NATIONAL_EXCLUSION ? ' (motifs nationaux précisés dans le règlement de la consultation)' : ''}</label>
              </div>
            ))}
          </fieldset>
        ))}
        <button type="submit">Enregistrer et continuer</button>
      </form>
    );
  };
  app.get('/dume/demandes/:id/exclusion', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { request } = await draftOf(req, page);
    const chosen = new Set(settingsOf(request).exclusionGrounds ?? dume.EU_EXCLUSION_GROUNDS);
    return sendPage(reply, wizardPage(page, request, 1, emptyForm(), exclusionBody(page, request, chosen)));
  });
  app.post('/dume/demandes/:id/exclusion', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id, 'DUME');
    const chosen = formList(req, 'exclusion');
    return saveStep(req, reply, page, 1, (s) => ({ ...s, exclusionGrounds: chosen }), (r) => exclusionBody(page, r, new Set(chosen)), `/dume/demandes/${id}/selection`);
  });

  // ---- step 3, selection criteria and their requirement values
  const selectionBody = (page: PageContext, r: dume.RequestRow, s: Settings, form: FormState) => {
    const chosen = new Map((s.selection ?? []).map((x) => [x.id, x.requirements ?? {}]));
    const entries = CATALOGUE.filter((c) => c.family === 'SELECTION' && c.id !== ALPHA_CRITERION);
    const sections = [...new Set(entries.map((c) => c.section))];
    const lots = (r.model.lots ?? []).map((l) => l.id);
    return (
      <form method="post" action={`/dume/demandes/${r.id}/selection`} novalidate>
        <Csrf token={page.csrf} />
        {s.simplified ? <p class="notice">DUME simplifié : seuls le chiffre d’affaires et les effectifs sont demandés. Vous pouvez fixer leurs exigences ci-dessous.</p> : (
          <div class="checkbox">
            <input type="checkbox" id="alpha" name="alpha" value="oui" checked={!!s.alpha} />
            <label for="alpha">Indication globale (α) : l’entreprise déclare seulement satisfaire tous les critères du règlement de la consultation</label>
          </div>
        )}
        {sections.map((section) => (
          <fieldset>
            <legend>{section}</legend>
            {entries.filter((c) => c.section === section && (!s.simplified || (SIMPLIFIED_CRITERIA as readonly string[]).includes(c.id))).map((c) => {
              const template = criterionTemplate(c.id)!;
              const requirements = dume.requirementsOf(template);
              return (
                <div class="criterion">
                  <div class="checkbox">
                    <input type="checkbox" id={`sel-${c.id}`} name="selection" value={c.id} checked={chosen.has(c.id) || (s.simplified ?? false)} />
                    <label for={`sel-${c.id}`}>{c.label}</label>
                  </div>
                  {requirements.length ? (
                    <details open>
                      <summary>Exigences : {c.label}</summary>
                      {requirements.map((p) => {
                        const name = `req.${c.id}.${p.id}`;
                        const type = (p.valueDataType ?? '').toUpperCase();
                        const label = `${propertyLabelFr(p)} (${c.label})`;
                        const error = form.errors[`selection.${c.id}.${p.id}`];
                        const value = form.values[name] ?? chosen.get(c.id)?.[p.id!] ?? '';
                        return (
                          <div class={error ? 'field has-error' : 'field'}>
                            <label for={name}>{label}</label>
                            {error ? <p class="error" id={`${name}-erreur`}>{error}</p> : null}
                            {type === 'LOT_IDENTIFIER' ? (
                              <select id={name} name={name}><option value="">Tous les lots</option>{lots.map((l) => <option value={l} selected={value === l}>{`Lot ${l}`}</option>)}</select>
                            ) : (
                              <input id={name} name={name} type="text" value={value} inputmode={type === 'AMOUNT' || type.startsWith('QUANTITY') ? 'decimal' : undefined} aria-invalid={error ? 'true' : undefined} />
                            )}
                            <p class="hint">{type === 'AMOUNT' ? 'Montant en euros.' : type.startsWith('QUANTITY') ? 'Nombre.' : type === 'PERIOD' ? 'AAAA-MM-JJ/AAAA-MM-JJ' : type === 'LOT_IDENTIFIER' ? 'Lot auquel cette exigence s’applique.' : ''}</p>
                          </div>
                        );
                      })}
                    </details>
                  ) : null}
                </div>
              );
            })}
          </fieldset>
        ))}
        <button type="submit">Enregistrer et continuer</button>
      </form>
    );
  };
  app.get('/dume/demandes/:id/selection', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { request } = await draftOf(req, page);
    return sendPage(reply, wizardPage(page, request, 2, emptyForm(), selectionBody(page, request, settingsOf(request), emptyForm())));
  });
  app.post('/dume/demandes/:id/selection', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id, 'DUME');
    const v = formValues(req);
    const chosen = formList(req, 'selection');
    const selection = chosen.map((cid) => ({
      id: cid,
      requirements: Object.fromEntries(Object.entries(v).filter(([k, val]) => k.startsWith(`req.${cid}.`) && val.trim()).map(([k, val]) => [k.slice(`req.${cid}.`.length), val])),
    }));
    const alpha = v.alpha === 'oui';
    return saveStep(req, reply, page, 2, (s) => ({ ...s, selection, alpha }), (r, f) => selectionBody(page, r, { ...settingsOf(r), selection, alpha }, f), `/dume/demandes/${id}`);
  });

  // ---- step 4, summary, publish, export
  app.get('/dume/demandes/:id', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { request: r, canEdit } = await draftOf(req, page);
    const m = r.model;
    const link = r.number ? dume.requestLink(ctx.config.publicUrl, r.number) : null;
    const imported = !!settingsOf(r).imported;
    return sendPage(reply, (
      <Layout title={`DUME acheteur — ${r.title}`} user={page.user} unread={page.unread} flash={flashOf(req, FLASH)}>
        <p class="hint"><a href="/dume">DUME</a> · {r.structure_name}</p>
        <h1>DUME acheteur : {r.title}</h1>
        {r.status === 'BROUILLON' && !imported ? <Steps steps={steps(r.id)} current={3} /> : null}
        <dl class="facts">
          <Fact label="Statut">{dume.REQUEST_STATUS_LABELS[r.status]}</Fact>
          {r.number ? <Fact label="Numéro de DUME"><strong>{r.number}</strong></Fact> : null}
          {link ? <Fact label="Lien à communiquer aux entreprises"><a href={`/dume/${r.number}`}>{link}</a></Fact> : null}
          <Fact label="Référence du dossier">{r.file_reference}</Fact>
          <Fact label="Type de procédure">{dume.PROCEDURE_TYPES.find((p) => p.code === r.procedure_type)?.label ?? r.procedure_type ?? '—'}</Fact>
          <Fact label="Forme">{r.simplified ? 'DUME simplifié' : `ESPD-EDM ${m.version}${m.profile ? ` (${m.profile})` : ''}`}</Fact>
          <Fact label="Lots">{m.lots?.length ? m.lots.map((l) => `Lot ${l.id} : ${dume.lotTitleOf(l) ?? '—'}`).join(' ; ') : 'Aucun'}</Fact>
        </dl>
        <h2>Critères demandés</h2>
        <ul>
          {(m.criteria ?? []).map((c) => {
            const reqs = dume.requirementsOf(c).filter((p) => p.expectedAmount || p.expectedValueNumeric || p.expectedId || p.expectedCode || p.expectedDescription);
            return <li>{criterionLabelFr(c)}{reqs.length ? ` — ${reqs.map((p) => `${propertyLabelFr(p)} : ${p.expectedAmount ? `${p.expectedAmount.value} ${p.expectedAmount.currency ?? ''}` : p.expectedId ? `lot ${p.expectedId}` : p.expectedValueNumeric ?? p.expectedCode ?? p.expectedDescription}`).join(', ')}` : ''}</li>;
          })}
        </ul>
        <h2>Exporter</h2>
        <ul class="actions">
          <li><a href={`/dume/demandes/${r.id}/export?format=xml&version=2.1.1`} download>Télécharger le XML (ESPD-EDM 2.1.1)</a></li>
          <li><a href={`/dume/demandes/${r.id}/export?format=xml&version=4.1.0`} download>Télécharger le XML (ESPD-EDM 4.1.0)</a></li>
          <li><a href={`/dume/demandes/${r.id}/export?format=pdf`} download>Télécharger le PDF</a></li>
        </ul>
        {r.status === 'BROUILLON' && canEdit ? (
          <form method="post" action={`/dume/demandes/${r.id}/publier`}>
            <Csrf token={page.csrf} />
            <p>Une fois publié, le DUME reçoit son numéro et ne peut plus être modifié.</p>
            <button type="submit">Publier le DUME</button>
          </form>
        ) : null}
      </Layout>
    ));
  });
  app.post('/dume/demandes/:id/publier', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id, 'DUME');
    await dume.publishRequest(ctx, page.actor, id);
    return redirect(reply, `/dume/demandes/${id}?ok=publie`);
  });
  app.get('/dume/demandes/:id/export', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { request } = await draftOf(req, page);
    const q = req.query as Record<string, string>;
    const out = await dume.exportDocument(request.model, q.format === 'pdf' ? 'pdf' : 'xml', (q.version === '4.1.0' ? '4.1.0' : '2.1.1') as EspdExportVersion, { number: request.number });
    return reply.type(out.mediaType).header('content-disposition', `attachment; filename="${out.filename}"`).send(out.bytes);
  });

  // ---- import (multipart)
  const importPage = (page: PageContext, form: FormState, structures: { id: number; name: string }[]) => (
    <Layout title="Importer un DUME" user={page.user} unread={page.unread}>
      <p class="hint"><a href="/dume">DUME</a></p>
      <h1>Importer un DUME (XML)</h1>
      <p>Toutes les versions ESPD-EDM sont lues (1.0.2 à 4.1.0). Une demande devient un DUME acheteur en brouillon ; une réponse, un DUME opérateur économique que vous pourrez réutiliser.</p>
      <ErrorSummary form={form} />
      <form method="post" action="/dume/importer" enctype="multipart/form-data">
        <Csrf token={page.csrf} />
        <Select name="structureId" label="Structure" form={form} options={structures.map((s) => ({ value: String(s.id), label: s.name }))} required />
        <div class={form.errors.file ? 'field has-error' : 'field'}>
          <label for="file">Fichier XML du DUME</label>
          {form.errors.file ? <p class="error" id="file-erreur">{form.errors.file}</p> : null}
          <input id="file" name="file" type="file" accept=".xml,application/xml,text/xml" required />
        </div>
        <button type="submit">Importer</button>
      </form>
    </Layout>
  );
  app.get('/dume/importer', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    return sendPage(reply, importPage(page, emptyForm(), await editableStructures(ctx, page)));
  });

  await app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: true, limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 20 }, throwFileSizeLimit: false });
    const multipartCsrf = { preHandler: [csrfOfMultipart, app.csrfProtection] };
    scope.post('/dume/importer', multipartCsrf, async (req, reply) => {
      const page = await requirePage(ctx, req, reply);
      if (!page) return;
      const values = { structureId: multipartValue(req, 'structureId') };
      let target = '/dume';
      const failed = await attempt(values, async () => {
        const file = multipartFile(req, 'file');
        if (!file) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Choisissez un fichier XML.', { file: 'Choisissez un fichier XML.' });
        const r = await dume.importDume(ctx, page.actor, positiveId(values.structureId), file);
        target = r.kind === 'request' ? `/dume/demandes/${r.id}?ok=importe` : `/dume/reponses/${r.id}?ok=importe`;
      });
      if (failed) return sendPage(reply, importPage(page, { ...failed.form, errors: { file: failed.form.message ?? '', ...failed.form.errors } }, await editableStructures(ctx, page)), failed.status);
      return redirect(reply, target);
    });
    await responsePages(scope, ctx, { multipartCsrf, editableStructures });
  });
}
