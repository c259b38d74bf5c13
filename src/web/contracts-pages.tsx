import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import * as contracts from '../contracts/index.ts';
import { findStructure } from '../structures/index.ts';
import { formatAmountFr } from '../shared/money.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { Checkbox, Csrf, ErrorSummary, Field, Layout, Select } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, formValues, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { flashOf, positiveId } from './structure-frame.tsx';

const CO_ROWS = 3;
const SUB_ROWS = 4;
const FLASH = { cree: 'Le marché est enregistré.', avenant: "L'avenant est enregistré : le marché a une nouvelle version." };

/** The contract form: number, subject, buyer, EJ numbers, titulaire or groupement, subcontractors. */
const ContractForm = ({ page, action, form, amendment }: { page: PageContext; action: string; form: FormState; amendment: boolean }) => (
  <>
    <ErrorSummary form={form} />
    <form method="post" action={action} novalidate>
      <Csrf token={page.csrf} />
      <fieldset>
        <legend>Marché</legend>
        <Field name="number" label="Numéro du marché" form={form} required maxlength={50} />
        <Field name="subject" label="Objet du marché" form={form} required maxlength={300} />
        {amendment ? <input type="hidden" name="buyerSiret" value={form.values.buyerSiret ?? ''} /> : <Field name="buyerSiret" label="SIRET de l'acheteur" form={form} required />}
        <Field name="serviceCode" label="Code service de l'acheteur" form={form} maxlength={100} />
        <Field name="ejNumbers" label="Numéros d'engagement juridique" form={form} hint="Séparés par des virgules." />
      </fieldset>
      <fieldset>
        <legend>Titulaire</legend>
        <Select name="groupementKind" label="Forme" form={form} options={[{ value: '', label: 'Titulaire seul' }, ...contracts.GROUPEMENT_KINDS.map((k) => ({ value: k, label: contracts.GROUPEMENT_LABELS[k] }))]} />
        <Field name="titulaireSiret" label="SIRET du titulaire ou du mandataire" form={form} required />
        {Array.from({ length: CO_ROWS }, (_, i) => <Field name={`coContractors.${i}.siret`} label={`SIRET du cotraitant ${i + 1}`} form={form} />)}
      </fieldset>
      <fieldset>
        <legend>Sous-traitants déclarés</legend>
        {Array.from({ length: SUB_ROWS }, (_, i) => (
          <fieldset class="line">
            <legend>Sous-traitant {i + 1}</legend>
            <Field name={`subcontractors.${i}.siret`} label={`SIRET du sous-traitant ${i + 1}`} form={form} />
            <Field name={`subcontractors.${i}.subcontractedBySiret`} label={`Sous-traité par (SIRET) — sous-traitant ${i + 1}`} form={form} hint="Le titulaire, le mandataire, un cotraitant ou un autre sous-traitant." />
            <Checkbox name={`subcontractors.${i}.directPayment`} label={`Paiement direct — sous-traitant ${i + 1}`} checked={form.values[`subcontractors.${i}.directPayment`] === 'on'} />
            <Field name={`subcontractors.${i}.acceptedAmount`} label={`Montant HT accepté (acte spécial) — sous-traitant ${i + 1}`} form={form} inputmode="text" />
          </fieldset>
        ))}
      </fieldset>
      {amendment ? <Field name="summary" label="Objet de l'avenant" form={form} maxlength={500} /> : null}
      <button type="submit">{amendment ? "Enregistrer l'avenant" : 'Enregistrer le marché'}</button>
    </form>
  </>
);

function inputFromForm(v: Record<string, string>): contracts.ContractInput {
  const coContractors = [];
  for (let i = 0; i < CO_ROWS; i++) if (v[`coContractors.${i}.siret`]?.trim()) coContractors.push({ siret: v[`coContractors.${i}.siret`] });
  const subcontractors = [];
  for (let i = 0; i < SUB_ROWS; i++) {
    const s = (k: string) => v[`subcontractors.${i}.${k}`] ?? '';
    if (s('siret').trim() || s('subcontractedBySiret').trim())
      subcontractors.push({ siret: s('siret'), subcontractedBySiret: s('subcontractedBySiret'), directPayment: s('directPayment') === 'on', acceptedAmount: s('acceptedAmount') || null });
  }
  return {
    number: v.number ?? '', subject: v.subject ?? '', buyerSiret: v.buyerSiret ?? '', serviceCode: v.serviceCode || null,
    ejNumbers: (v.ejNumbers ?? '').split(',').map((s) => s.trim()).filter(Boolean), groupementKind: (v.groupementKind || null) as contracts.GroupementKind | null,
    titulaireSiret: v.titulaireSiret ?? '', coContractors, subcontractors, summary: v.summary || null,
  };
}

function formFromContract(c: contracts.ParsedContractInput): Record<string, string> {
  const v: Record<string, string> = {
    number: c.number, subject: c.subject, buyerSiret: c.buyerSiret, serviceCode: c.serviceCode ?? '', ejNumbers: c.ejNumbers.join(', '), groupementKind: c.groupementKind ?? '', titulaireSiret: c.titulaireSiret,
  };
  c.coContractors.forEach((x, i) => (v[`coContractors.${i}.siret`] = x.siret));
  c.subcontractors.forEach((x, i) => {
    v[`subcontractors.${i}.siret`] = x.siret;
    v[`subcontractors.${i}.subcontractedBySiret`] = x.subcontractedBySiret;
    if (x.directPayment) v[`subcontractors.${i}.directPayment`] = 'on';
    v[`subcontractors.${i}.acceptedAmount`] = x.acceptedAmount ?? '';
  });
  return v;
}

export async function contractsPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };
  const params = (req: { params: unknown }) => req.params as Record<string, string>;

  app.get('/structures/:id/marches', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id);
    const list = await contracts.listContracts(ctx, page.actor, id);
    const s = await findStructure(ctx.db, id);
    return sendPage(reply, (
      <Layout title={`Marchés — ${s?.name ?? ''}`} user={page.user} unread={page.unread}>
        <p class="hint"><a href={`/structures/${id}`}>{s?.name}</a> · <a href="/factures">Factures</a></p>
        <h1>Marchés — {s?.name}</h1>
        <p><a class="button" href={`/marches/nouveau?structure=${id}`}>Enregistrer un marché</a></p>
        {list.length ? (
          <table>
            <caption class="sr-only">Marchés</caption>
            <thead><tr><th scope="col">Numéro</th><th scope="col">Objet</th><th scope="col">Acheteur</th><th scope="col">Rôle de {s?.name}</th><th scope="col">Version</th></tr></thead>
            <tbody>
              {list.map((c) => (
                <tr>
                  <th scope="row"><a href={`/marches/${c.id}`}>{c.number}</a></th>
                  <td>{c.subject}</td>
                  <td>{c.buyer.name}</td>
                  <td>{c.buyer.id === id ? 'Acheteur' : (c.parties.find((p) => p.structure.id === id)?.roleLabel ?? '—')}</td>
                  <td>{c.version}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p>Aucun marché.</p>}
      </Layout>
    ));
  });

  const newPage = (page: PageContext, form: FormState) => (
    <Layout title="Enregistrer un marché" user={page.user} unread={page.unread}>
      <h1>Enregistrer un marché</h1>
      <p class="hint">L'acheteur ou le titulaire (mandataire) enregistre le marché ; toutes les parties le voient ; seul l'acheteur le modifie, par avenant.</p>
      <ContractForm page={page} action="/marches/nouveau" form={form} amendment={false} />
    </Layout>
  );
  app.get('/marches/nouveau', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const sid = Number((req.query as Record<string, string>).structure);
    const s = Number.isSafeInteger(sid) && sid > 0 ? await findStructure(ctx.db, sid) : undefined;
    const values: Record<string, string> = s ? (s.kind === 'PUBLIQUE' ? { buyerSiret: s.identifier } : { titulaireSiret: s.identifier }) : {};
    return sendPage(reply, newPage(page, emptyForm(values)));
  });
  app.post('/marches/nouveau', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const v = formValues(req);
    let id = 0;
    const failed = await attempt(v, async () => {
      id = (await contracts.createContract(ctx, page.actor, inputFromForm(v))).contractId;
    });
    if (failed) return sendPage(reply, newPage(page, failed.form), failed.status);
    return redirect(reply, `/marches/${id}?ok=cree`);
  });

  app.get('/marches/:id', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const g = await contracts.getContract(ctx, page.actor, positiveId(params(req).id, 'Marché'));
    const c = g.contract;
    return sendPage(reply, (
      <Layout title={`Marché ${c.number}`} user={page.user} unread={page.unread} flash={flashOf(req, FLASH)}>
        <p class="hint">{g.myStructureIds.map((sid) => <a href={`/structures/${sid}/marches`}>Marchés</a>)}</p>
        <h1>Marché {c.number}</h1>
        <dl class="facts">
          <dt>Objet</dt><dd>{c.subject}</dd>
          <dt>Acheteur</dt><dd>{c.buyer.name} ({c.buyer.identifier}){c.service ? `, service ${c.service.code}` : ''}</dd>
          <dt>Engagements</dt><dd>{c.ejNumbers.length ? c.ejNumbers.join(', ') : '—'}</dd>
          <dt>Forme</dt><dd>{c.groupementKind ? contracts.GROUPEMENT_LABELS[c.groupementKind] : 'Titulaire seul'}</dd>
          <dt>Version</dt><dd>{c.version}</dd>
        </dl>
        <table>
          <caption>Parties</caption>
          <thead><tr><th scope="col">Structure</th><th scope="col">Rôle</th><th scope="col">Sous-traité par</th><th scope="col">Rang</th><th scope="col">Paiement direct</th><th scope="col">Montant accepté HT</th></tr></thead>
          <tbody>
            {c.parties.map((p) => (
              <tr>
                <th scope="row">{p.structure.name} ({p.structure.identifier})</th>
                <td>{p.roleLabel}</td>
                <td>{p.subcontractedBy?.name ?? '—'}</td>
                <td>{p.rank ?? '—'}</td>
                <td>{p.role === 'SOUS_TRAITANT' ? (p.directPayment ? 'Oui' : 'Non') : '—'}</td>
                <td>{p.acceptedAmount ? formatAmountFr(p.acceptedAmount) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {g.amends ? <p><a class="button" href={`/marches/${c.id}/avenant`}>Modifier par avenant</a></p> : null}
        <h2>Historique</h2>
        <table>
          <caption class="sr-only">Historique du marché</caption>
          <thead><tr><th scope="col">Version</th><th scope="col">Date</th><th scope="col">Quoi</th><th scope="col">Qui</th></tr></thead>
          <tbody>
            {g.history.map((h) => <tr><td>{h.version}</td><td>{formatParisDateTime(h.at)}</td><td>{h.kind === 'CREATION' ? 'Création' : `Avenant${h.summary ? ` : ${h.summary}` : ''}`}</td><td>{h.actor ?? '—'}</td></tr>)}
          </tbody>
        </table>
      </Layout>
    ));
  });

  const amendPage = (page: PageContext, id: number, form: FormState) => (
    <Layout title="Avenant au marché" user={page.user} unread={page.unread}>
      <p class="hint"><a href={`/marches/${id}`}>Retour au marché</a></p>
      <h1>Avenant au marché</h1>
      <ContractForm page={page} action={`/marches/${id}/avenant`} form={form} amendment={true} />
    </Layout>
  );
  app.get('/marches/:id/avenant', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id, 'Marché');
    const g = await contracts.getContract(ctx, page.actor, id);
    return sendPage(reply, amendPage(page, id, emptyForm(formFromContract(contracts.contractAsInput(g.contract)))));
  });
  app.post('/marches/:id/avenant', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id, 'Marché');
    const v = formValues(req);
    const failed = await attempt(v, () => contracts.amendContract(ctx, page.actor, id, inputFromForm(v)));
    if (failed) return sendPage(reply, amendPage(page, id, failed.form), failed.status);
    return redirect(reply, `/marches/${id}?ok=avenant`);
  });
}
