import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import * as dume from '../dume/index.ts';
import { criterionLabelFr, propertyLabelFr, type Criterion, type CriterionProperty, type EspdDocument, type EspdExportVersion, type PropertyGroup } from '../formats/espd/index.ts';
import { AppError } from '../shared/app-error.ts';
import { Csrf, ErrorSummary, Layout } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, formList, formValues, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { flashOf, positiveId } from './structure-frame.tsx';
import { Fact, multipartFile, multipartValue } from './dume-shared.tsx';

const FLASH = {
  commence: 'Votre réponse est créée. Complétez les réponses manquantes puis finalisez-la.',
  enregistre: 'Vos réponses sont enregistrées.',
  finalise: 'Le DUME est finalisé : l’acheteur peut le consulter. Exportez-le en XML ou en PDF.',
  importe: 'Le fichier est importé.',
};

const isQuestion = (p: CriterionProperty) => (p.typeCode ?? 'QUESTION').toUpperCase() === 'QUESTION' && !!p.id;
const family = (c: Criterion) => (/EXCLUSION|_EG_/.test(`${c.typeCode} ${c.id}`) ? 'III' : /SELECTION|_SC_/.test(`${c.typeCode} ${c.id}`) ? 'IV' : 'II');
const PARTS = [
  { key: 'II', title: 'Partie II — Informations sur l’opérateur économique (groupement, capacités d’autres entités, sous-traitance, lots)' },
  { key: 'III', title: 'Partie III — Motifs d’exclusion' },
  { key: 'IV', title: 'Partie IV — Critères de sélection' },
];

/** One question as a form control, by its data type. */
function Question({ p, doc, lots, editable }: { p: CriterionProperty; doc: EspdDocument; lots: string[]; editable: boolean }) {
  const id = `q-${p.id}`;
  const name = `q.${p.id}`;
  const type = (p.valueDataType ?? '').toUpperCase();
  const label = propertyLabelFr(p);
  const value = dume.answerText(p, doc);
  if (type === 'INDICATOR') {
    return (
      <fieldset id={id} class="question">
        <legend>{label}</legend>
        <span class="checkbox"><input type="radio" id={`${id}-oui`} name={name} value="true" checked={value === 'true'} disabled={!editable} /><label for={`${id}-oui`}>Oui</label></span>{' '}
        <span class="checkbox"><input type="radio" id={`${id}-non`} name={name} value="false" checked={value === 'false'} disabled={!editable} /><label for={`${id}-non`}>Non</label></span>
      </fieldset>
    );
  }
  if (p.id === dume.PART_II.groupRole) {
    return (
      <div class="field">
        <label for={id}>{label}</label>
        <select id={id} name={name} disabled={!editable}><option value="">—</option>{dume.GROUP_ROLES.map((r) => <option value={r.code} selected={value === r.code}>{r.label}</option>)}</select>
      </div>
    );
  }
  if (type === 'LOT_IDENTIFIER' && lots.length) {
    const chosen = new Set(value.split(',').filter(Boolean));
    return (
      <fieldset id={id} class="question">
        <legend>{label === 'Lot' ? 'Lots pour lesquels vous soumissionnez' : label}</legend>
        <input type="hidden" name={`lots-of`} value={p.id} />
        {lots.map((l) => <span class="checkbox"><input type="checkbox" id={`${id}-${l}`} name={`lots.${p.id}`} value={l} checked={chosen.has(l)} disabled={!editable} /><label for={`${id}-${l}`}>{`Lot ${l}`}</label></span>)}
      </fieldset>
    );
  }
  const hint = type === 'AMOUNT' ? 'Montant en euros, par exemple 1250000,50.' : type === 'PERIOD' ? 'Période : AAAA-MM-JJ/AAAA-MM-JJ.' : type === 'DATE' ? '' : type === 'EVIDENCE_IDENTIFIER' ? 'Adresse internet (https://…) où la preuve est disponible.' : type.startsWith('QUANTITY') ? 'Nombre.' : '';
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? <p class="hint" id={`${id}-aide`}>{hint}</p> : null}
      <input id={id} name={name} type={type === 'DATE' ? 'date' : type === 'URL' || type === 'EVIDENCE_IDENTIFIER' ? 'url' : 'text'} value={value} aria-describedby={hint ? `${id}-aide` : undefined} disabled={!editable} />
    </div>
  );
}

function Groups({ groups, doc, lots, editable }: { groups: PropertyGroup[] | undefined; doc: EspdDocument; lots: string[]; editable: boolean }) {
  return (
    <>
      {(groups ?? []).map((g) => (
        <div class={g.typeCode === 'ONTRUE' || g.typeCode === 'ONFALSE' ? 'conditional' : 'group'}>
          {g.typeCode === 'ONTRUE' ? <p class="hint">Si oui :</p> : g.typeCode === 'ONFALSE' ? <p class="hint">Si non :</p> : null}
          {(g.properties ?? []).map((p) => {
            if (isQuestion(p)) return <Question p={p} doc={doc} lots={lots} editable={editable} />;
            if ((p.typeCode ?? '').toUpperCase() === 'REQUIREMENT') {
              const v = p.expectedAmount ? `${p.expectedAmount.value} ${p.expectedAmount.currency ?? ''}` : p.expectedId ? `lot ${p.expectedId}` : p.expectedValueNumeric ?? p.expectedCode ?? p.expectedDescription;
              return v ? <p class="hint">Exigence de l’acheteur — {propertyLabelFr(p)} : <strong>{v}</strong></p> : null;
            }
            return null;
          })}
          <Groups groups={g.subGroups} doc={doc} lots={lots} editable={editable} />
        </div>
      ))}
    </>
  );
}

const SIZES = [{ code: '', label: 'Non précisée' }, { code: 'MICRO', label: 'Microentreprise' }, { code: 'SMALL', label: 'Petite entreprise' }, { code: 'MEDIUM', label: 'Moyenne entreprise' }, { code: 'LARGE', label: 'Grande entreprise' }];
const REPRESENTATIVE_ROWS = 2;

/** Part II-A and II-B: what the questions do not carry (size, contact, representatives). */
function OperatorFields({ doc, editable }: { doc: EspdDocument; editable: boolean }) {
  const party = doc.economicOperators?.[0]?.party;
  const reps = party?.representatives ?? [];
  const input = (name: string, label: string, value: string | undefined, type = 'text') => (
    <div class="field"><label for={name}>{label}</label><input id={name} name={name} type={type} value={value ?? ''} disabled={!editable} /></div>
  );
  return (
    <section>
      <h2>Partie II.A et II.B — Identité et représentants</h2>
      <p>{party?.names?.[0] ?? '—'} — {party?.identifiers?.[0] ?? '—'}{party?.taxIds?.[0]?.id ? ` — TVA ${party.taxIds[0].id}` : ''}{party?.address ? ` — ${[party.address.streetName, party.address.postalZone, party.address.cityName].filter(Boolean).join(' ')}` : ''}</p>
      <div class="field">
        <label for="op.size">Taille de l’entreprise</label>
        <select id="op.size" name="op.size" disabled={!editable}>{SIZES.map((z) => <option value={z.code} selected={(party?.size ?? '') === z.code}>{z.label}</option>)}</select>
      </div>
      {input('op.contact.name', 'Personne à contacter', party?.contact?.name)}
      {input('op.contact.email', 'Adresse électronique de contact', party?.contact?.email, 'email')}
      {input('op.contact.telephone', 'Téléphone de contact', party?.contact?.telephone, 'tel')}
      {Array.from({ length: REPRESENTATIVE_ROWS }, (_, i) => {
        const p = reps[i]?.agent?.persons?.[0];
        return (
          <fieldset>
            <legend>{`Représentant ${i + 1}`}</legend>
            {input(`op.rep.${i}.firstName`, `Prénom (représentant ${i + 1})`, p?.firstName)}
            {input(`op.rep.${i}.familyName`, `Nom (représentant ${i + 1})`, p?.familyName)}
            {input(`op.rep.${i}.jobTitle`, `Fonction (représentant ${i + 1})`, p?.jobTitle)}
            {input(`op.rep.${i}.birthDate`, `Date de naissance (représentant ${i + 1})`, p?.birthDate, 'date')}
            {input(`op.rep.${i}.birthplaceName`, `Lieu de naissance (représentant ${i + 1})`, p?.birthplaceName)}
            {input(`op.rep.${i}.extent`, `Étendue du pouvoir de représentation (représentant ${i + 1})`, reps[i]?.descriptions?.[0])}
          </fieldset>
        );
      })}
    </section>
  );
}

export async function responsePages(app: FastifyInstance, ctx: Ctx, deps: { multipartCsrf: { preHandler: unknown[] }; editableStructures: (ctx: Ctx, page: PageContext) => Promise<{ id: number; name: string }[]> }) {
  const csrf = { preHandler: app.csrfProtection };
  const params = (req: FastifyRequest) => req.params as Record<string, string>;

  // ---- the shareable link: a published request, and how to start answering it
  const requestPage = async (page: PageContext, number: string, form: FormState, status = 200, reply?: FastifyReply) => {
    const r = await dume.getPublishedRequest(ctx, page.actor, number);
    const structures = await deps.editableStructures(ctx, page);
    const earlier = structures.length ? (await Promise.all(structures.map((s) => dume.earlierResponses(ctx, page.actor, s.id)))).flat() : [];
    const body = (
      <Layout title={`DUME ${r.number} — ${r.title}`} user={page.user} unread={page.unread}>
        <p class="hint"><a href="/dume">DUME</a></p>
        <h1>DUME acheteur n° {r.number}</h1>
        <dl class="facts">
          <Fact label="Acheteur">{r.structure_name}</Fact>
          <Fact label="Objet">{r.title}</Fact>
          <Fact label="Référence du dossier">{r.file_reference}</Fact>
          <Fact label="Lots">{r.model.lots?.length ? r.model.lots.map((l) => `Lot ${l.id} : ${dume.lotTitleOf(l) ?? '—'}`).join(' ; ') : 'Aucun'}</Fact>
          <Fact label="Critères de sélection">{(r.model.criteria ?? []).filter((c) => family(c) === 'IV').map((c) => criterionLabelFr(c)).join(' ; ') || 'Aucun'}</Fact>
        </dl>
        <p><a href={`/dume/demandes/${r.id}/export?format=pdf`}>{''}</a></p>
        <h2>Répondre à ce DUME</h2>
        <ErrorSummary form={form} />
        {structures.length ? (
          <form method="post" action={`/dume/${r.number}/repondre`} enctype="multipart/form-data">
            <Csrf token={page.csrf} />
            <div class="field">
              <label for="structureId">Entreprise qui répond</label>
              <select id="structureId" name="structureId">{structures.map((s) => <option value={String(s.id)} selected={form.values.structureId === String(s.id)}>{s.name}</option>)}</select>
            </div>
            <fieldset>
              <legend>Comment commencer</legend>
              <p class="hint">Les données de votre entreprise (SIRET, raison sociale, adresse, TVA) sont reprises de votre structure. En reprenant un DUME précédent, les réponses aux critères demandés à nouveau sont reprises.</p>
              <div class="field">
                <label for="earlierResponseId">Reprendre les réponses d’un DUME précédent (facultatif)</label>
                <select id="earlierResponseId" name="earlierResponseId"><option value="">Non, partir des données de mon entreprise</option>{earlier.map((e) => <option value={String(e.id)}>{`${e.number} — ${e.title}`}</option>)}</select>
              </div>
              <div class={form.errors.file ? 'field has-error' : 'field'}>
                <label for="file">Ou importer un DUME précédent (fichier XML, toute version)</label>
                {form.errors.file ? <p class="error" id="file-erreur">{form.errors.file}</p> : null}
                <input id="file" name="file" type="file" accept=".xml,application/xml,text/xml" />
              </div>
            </fieldset>
            <div class="field">
              <label for="reliedUponByNumber">Vous prêtez vos capacités à un candidat : numéro de son DUME (facultatif)</label>
              <p class="hint" id="reliedUponByNumber-aide">Chaque entité dont les capacités sont utilisées remplit son propre DUME, lié à celui du candidat.</p>
              <input id="reliedUponByNumber" name="reliedUponByNumber" type="text" maxlength={8} aria-describedby="reliedUponByNumber-aide" value={form.values.reliedUponByNumber ?? ''} />
            </div>
            <button type="submit">Répondre</button>
          </form>
        ) : <p>Pour répondre, rattachez-vous à une entreprise et demandez le droit « DUME » en modification à son gestionnaire principal.</p>}
      </Layout>
    );
    if (reply) return sendPage(reply, body, status);
    return body;
  };
  app.get('/dume/:number', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    return sendPage(reply, await requestPage(page, params(req).number, emptyForm()));
  });
  app.post('/dume/:number/repondre', deps.multipartCsrf as never, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const number = params(req).number;
    const values = { structureId: multipartValue(req, 'structureId'), earlierResponseId: multipartValue(req, 'earlierResponseId'), reliedUponByNumber: multipartValue(req, 'reliedUponByNumber').trim() };
    let id = 0;
    const failed = await attempt(values, async () => {
      const file = multipartFile(req, 'file');
      id = (await dume.startResponse(ctx, page.actor, { structureId: positiveId(values.structureId), requestNumber: number, ...(values.reliedUponByNumber ? { reliedUponByNumber: values.reliedUponByNumber } : {}), ...(values.earlierResponseId && !file ? { earlierResponseId: positiveId(values.earlierResponseId) } : {}) }, file)).responseId;
    });
    if (failed) return requestPage(page, number, { ...failed.form, errors: { ...(failed.form.errors.file || !failed.form.message ? {} : { file: failed.form.message }), ...failed.form.errors } }, failed.status, reply);
    return redirect(reply, `/dume/reponses/${id}?ok=commence`);
  });

  // ---- the response: answers, completeness, exports
  async function responsePage(reply: FastifyReply, page: PageContext, id: number, flash?: string, form: FormState = emptyForm(), status = 200) {
    const g = await dume.getResponse(ctx, page.actor, { id });
    const r = g.response;
    const m = r.model;
    const lots = (m.lots ?? []).map((l) => l.id);
    const report = r.merge_report;
    const name = (c: { id: string; name?: string }) => criterionLabelFr({ id: c.id, name: c.name });
    return sendPage(reply, (
      <Layout title={`DUME ${r.number} — ${r.title}`} user={page.user} unread={page.unread} flash={flash}>
        <p class="hint"><a href="/dume">DUME</a> · {r.structure_name}</p>
        <h1>DUME opérateur économique n° {r.number}</h1>
        <dl class="facts">
          <Fact label="Statut">{dume.RESPONSE_STATUS_LABELS[r.status]}</Fact>
          <Fact label="Procédure">{r.title} ({r.file_reference ?? '—'}){r.request_number ? ` — DUME acheteur n° ${r.request_number}` : ''}</Fact>
          <Fact label="Entreprise">{r.operator_name ?? '—'} ({r.operator_identifier ?? '—'})</Fact>
          <Fact label="Origine">{dume.ORIGIN_LABELS[r.origin]}</Fact>
          {r.group_name ? <Fact label="Groupement">{r.group_name} — <a href={`/dume/reponses/${r.id}/groupement`}>voir le groupement</a></Fact> : null}
        </dl>
        <h2>Exporter</h2>
        <ul class="actions">
          <li><a href={`/dume/reponses/${r.id}/export?format=xml&version=2.1.1`} download>Télécharger le XML (ESPD-EDM 2.1.1)</a></li>
          <li><a href={`/dume/reponses/${r.id}/export?format=xml&version=4.1.0`} download>Télécharger le XML (ESPD-EDM 4.1.0)</a></li>
          <li><a href={`/dume/reponses/${r.id}/export?format=pdf`} download>Télécharger le PDF</a></li>
        </ul>
        {report ? (
          <section aria-labelledby="fusion">
            <h2 id="fusion">Reprise du DUME précédent</h2>
            <p>{report.carriedOver.length} critère(s) repris, {report.toAnswer.length} à compléter, {report.dropped.length} non demandé(s) abandonné(s).</p>
            <details open={r.origin === 'FUSION' || undefined}>
              <summary>Critères repris du DUME précédent ({report.carriedOver.length})</summary>
              <ul>{report.carriedOver.map((c) => <li>{name(c)} ({c.answered}/{c.questions} réponses)</li>)}</ul>
            </details>
            <details>
              <summary>Critères à compléter ({report.toAnswer.length})</summary>
              <ul>{report.toAnswer.map((c) => <li>{name(c)}</li>)}</ul>
            </details>
            {report.dropped.length ? <details><summary>Critères non demandés, abandonnés ({report.dropped.length})</summary><ul>{report.dropped.map((c) => <li>{name(c)}</li>)}</ul></details> : null}
          </section>
        ) : null}
        <ErrorSummary form={form} />
        {g.missing.length ? (
          <section class="error-summary" aria-labelledby="manquants">
            <h2 id="manquants">Réponses manquantes ({g.missing.length})</h2>
            <ul>{g.missing.map((i) => <li>{i.propertyId ? <a href={`#q-${i.propertyId}`}>{i.message}</a> : i.message}</li>)}</ul>
          </section>
        ) : r.request_id ? <p class="notice" role="status">Le DUME est complet au regard de la demande de l’acheteur.</p> : null}
        <form method="post" action={`/dume/reponses/${r.id}`} novalidate>
          <Csrf token={page.csrf} />
          <OperatorFields doc={m} editable={g.canEdit} />
          {PARTS.map((part) => {
            const criteria = (m.criteria ?? []).filter((c) => family(c) === part.key);
            if (!criteria.length) return null;
            return (
              <section>
                <h2>{part.title}</h2>
                {criteria.map((c) => (
                  <fieldset class="criterion">
                    <legend>{criterionLabelFr(c)}</legend>
                    <Groups groups={c.groups} doc={m} lots={lots} editable={g.canEdit} />
                  </fieldset>
                ))}
              </section>
            );
          })}
          {g.canEdit ? (
            <p>
              <button type="submit" name="action" value="enregistrer">Enregistrer les réponses</button>{' '}
              <button type="submit" name="action" value="finaliser" class="secondary">Enregistrer et finaliser</button>
            </p>
          ) : null}
        </form>
      </Layout>
    ), status);
  }
  app.get('/dume/reponses/:id', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    return responsePage(reply, page, positiveId(params(req).id, 'DUME'), flashOf(req, FLASH));
  });
  app.post('/dume/reponses/:id', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id, 'DUME');
    const v = formValues(req);
    const answers: Record<string, string> = Object.fromEntries(Object.entries(v).filter(([k]) => k.startsWith('q.')).map(([k, val]) => [k.slice(2), val]));
    for (const lotsOf of formList(req, 'lots-of')) answers[lotsOf] = formList(req, `lots.${lotsOf}`).join(',');
    let problems: Record<string, string> = {};
    const failed = await attempt(v, async () => {
      if (v['op.size'] !== undefined)
        await dume.saveOperator(ctx, page.actor, id, {
          size: v['op.size'] as dume.OperatorInput['size'],
          contact: { name: v['op.contact.name'], email: v['op.contact.email'], telephone: v['op.contact.telephone'] },
          representatives: Array.from({ length: REPRESENTATIVE_ROWS }, (_, i) => ({
            firstName: v[`op.rep.${i}.firstName`], familyName: v[`op.rep.${i}.familyName`], jobTitle: v[`op.rep.${i}.jobTitle`],
            birthDate: v[`op.rep.${i}.birthDate`], birthplaceName: v[`op.rep.${i}.birthplaceName`], extent: v[`op.rep.${i}.extent`],
          })),
        });
      problems = (await dume.saveAnswers(ctx, page.actor, id, answers)).problems;
      if (Object.keys(problems).length) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Certaines réponses sont invalides ; les autres sont enregistrées.', Object.fromEntries(Object.entries(problems).map(([k, m]) => [`q-${k}`, m])));
      if (v.action === 'finaliser') await dume.finaliseResponse(ctx, page.actor, id);
    });
    if (failed) return responsePage(reply, page, id, undefined, failed.form, failed.status);
    return redirect(reply, `/dume/reponses/${id}?ok=${v.action === 'finaliser' ? 'finalise' : 'enregistre'}`);
  });
  app.get('/dume/reponses/:id/export', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { response } = await dume.getResponse(ctx, page.actor, { id: positiveId(params(req).id, 'DUME') });
    const q = req.query as Record<string, string>;
    const out = await dume.exportDocument(response.model, q.format === 'pdf' ? 'pdf' : 'xml', (q.version === '4.1.0' ? '4.1.0' : '2.1.1') as EspdExportVersion, { number: response.number });
    return reply.type(out.mediaType).header('content-disposition', `attachment; filename="${out.filename}"`).send(out.bytes);
  });
  app.get('/dume/reponses/:id/groupement', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id, 'DUME');
    const g = await dume.getGroupement(ctx, page.actor, id);
    const roles: Record<string, string> = { LE: 'Mandataire', GM: 'Membre (cotraitant)', SC: 'Soumissionnaire seul', OERON: 'Entité dont les capacités sont utilisées' };
    return sendPage(reply, (
      <Layout title={`Groupement ${g.groupName ?? ''}`} user={page.user} unread={page.unread}>
        <p class="hint"><a href={`/dume/reponses/${id}`}>Retour au DUME</a></p>
        <h1>Groupement {g.groupName ?? '(sans nom)'}</h1>
        {g.checks.length ? (
          <section class="error-summary" aria-labelledby="controles"><h2 id="controles">Incohérences</h2><ul>{g.checks.map((c) => <li>{c.message}</li>)}</ul></section>
        ) : <p class="notice" role="status">Les réponses des membres sont cohérentes : même nom de groupement, un seul mandataire.</p>}
        <table>
          <caption>Réponses des membres à la même procédure</caption>
          <thead><tr><th scope="col">Entreprise</th><th scope="col">Identifiant</th><th scope="col">Rôle</th><th scope="col">Nom du groupement déclaré</th><th scope="col">DUME</th><th scope="col">Statut</th></tr></thead>
          <tbody>{g.members.map((m) => <tr><th scope="row">{m.operatorName ?? '—'}</th><td>{m.operatorIdentifier ?? '—'}</td><td>{roles[m.role ?? ''] ?? m.role ?? '—'}{m.reliedUponByNumber ? ` (pour le DUME ${m.reliedUponByNumber})` : ''}</td><td>{m.groupName ?? '—'}</td><td>{m.number}</td><td>{dume.RESPONSE_STATUS_LABELS[m.status]}</td></tr>)}</tbody>
        </table>
      </Layout>
    ));
  });
}
