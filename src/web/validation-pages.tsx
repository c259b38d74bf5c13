import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Ctx } from '../context.ts';
import * as invoices from '../invoices/index.ts';
import { formatAmountFr } from '../shared/money.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { Csrf, ErrorSummary, Field, Layout, Select } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, formValues, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { flashOf, frenchDay, positiveId } from './structure-frame.tsx';

const FLASH = { decision: 'Votre décision est enregistrée.', marche: 'Le marché et le valideur sont enregistrés.', valideur: 'Le valideur est corrigé : un nouveau délai de validation commence.' };
const DECISION_LABELS: Record<string, string> = { VALIDEE: 'Validée', REFUSEE: 'Refusée', TACITE: 'Validée tacitement (délai expiré)', ERREUR_VALIDEUR: 'Erreur de valideur signalée' };

/** The levels of a validation circuit: validator, deadline while open, every decision with actor, date and reason. */
export const CircuitLevels = ({ circuit }: { circuit: invoices.CircuitView }) => (
  <section aria-labelledby="circuit-titre">
    <h2 id="circuit-titre">Circuit de validation — marché {circuit.contract.number}</h2>
    {circuit.warnings.map((w) => <p class="notice">Avertissement : {w}</p>)}
    <table>
      <caption class="sr-only">Niveaux de validation</caption>
      <thead><tr><th scope="col">Niveau</th><th scope="col">Valideur</th><th scope="col">Décision</th><th scope="col">Par</th><th scope="col">Le</th><th scope="col">Motif et commentaire</th></tr></thead>
      <tbody>
        {circuit.levels.flatMap((l) => {
          const who = l.validator ? `${l.validator.name} (${l.validator.identifier})` : '—';
          const rows = l.decisions.map((d) => (
            <tr>
              <td>Niveau {l.level}</td><td>{who}</td><td>{DECISION_LABELS[d.decision] ?? d.decision}</td>
              <td>{d.actor ?? (d.decision === 'TACITE' ? 'Plateforme' : '—')}</td><td>{formatParisDateTime(d.at)}</td>
              <td>{[invoices.reasonLabel('REFUSER_VALIDATION', d.reason), d.comment].filter(Boolean).join(' — ') || '—'}</td>
            </tr>
          ));
          if (l.dueAt) rows.push(<tr><td>Niveau {l.level}</td><td>{who}</td><td>En attente</td><td>—</td><td>avant le {formatParisDateTime(l.dueAt)} ({l.daysLeft} jour{(l.daysLeft ?? 0) > 1 ? 's' : ''} restant{(l.daysLeft ?? 0) > 1 ? 's' : ''})</td><td>—</td></tr>);
          if (!rows.length) rows.push(<tr><td>Niveau {l.level}</td><td>{who}</td><td>À venir</td><td>—</td><td>—</td><td>—</td></tr>);
          return rows;
        })}
      </tbody>
    </table>
  </section>
);

/** On the supplier's or recipient's invoice page: the contract and validator form of a draft, the circuit, the validator correction. */
export async function validationPanel(ctx: Ctx, page: PageContext, inv: invoices.InvoiceRow, side: 'EMISES' | 'RECUES', base: string, form: FormState) {
  const circuit = await invoices.getInvoiceCircuit(ctx, page.actor, inv.id);
  const validated = invoices.VALIDATED_FRAMEWORKS.includes(inv.framework as invoices.Framework);
  const supplier = side === 'EMISES';
  return (
    <>
      {supplier && inv.status === 'BROUILLON' ? (
        <form method="post" action={`${base}/marche`}>
          <Csrf token={page.csrf} />
          <fieldset>
            <legend>Marché{validated ? ' et valideur' : ' (demande de paiement globale du mandataire)'}</legend>
            <Field name="contractNumber" label="Numéro du marché" form={{ ...form, values: { contractNumber: circuit?.contract.number ?? '', ...form.values } }} maxlength={50} hint={validated ? 'Le marché vous déclare sous-traitant en paiement direct (A9) ou cotraitant (A12).' : 'Facultatif : une demande de paiement globale du groupement.'} />
            {validated ? <Field name="validatorSiret" label="SIRET du valideur" form={{ ...form, values: { validatorSiret: circuit?.levels[0]?.validator?.identifier ?? '', ...form.values } }} hint="Le titulaire, le cotraitant qui vous a sous-traité ou le mandataire, comme le marché le désigne." /> : null}
            <button type="submit">Enregistrer le marché</button>
          </fieldset>
        </form>
      ) : null}
      {circuit && inv.status !== 'BROUILLON' ? <CircuitLevels circuit={circuit} /> : null}
      {supplier && validated && (inv.status === 'A_VALIDER_1' || inv.status === 'ERREUR_FOURNISSEUR_SUR_VALIDEUR') ? (
        <form method="post" action={`${base}/valideur`}>
          <Csrf token={page.csrf} />
          <fieldset>
            <legend>Corriger le valideur</legend>
            <Field name="validatorSiret" label="SIRET du valideur corrigé" form={form} />
            <Field name="comment" label="Commentaire (correction du valideur)" form={form} maxlength={2000} />
            <button type="submit">Corriger le valideur</button>
          </fieldset>
        </form>
      ) : null}
    </>
  );
}

export async function validationPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };
  const params = (req: { params: unknown }) => req.params as Record<string, string>;

  app.get('/structures/:id/factures-a-valider', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id);
    const q = (req.query ?? {}) as Record<string, string>;
    const status = q.status ?? 'A_TRAITER';
    const r = await invoices.searchInvoicesToValidate(ctx, page.actor, id, { status, number: q.number, page: q.page });
    const form = emptyForm({ status, number: q.number ?? '' });
    return sendPage(reply, (
      <Layout title={`Factures à valider — ${r.structure.name}`} user={page.user} unread={page.unread}>
        <p class="hint"><a href={`/structures/${id}`}>{r.structure.name}</a> · <a href="/factures">Factures</a></p>
        <h1>Factures à valider — {r.structure.name}</h1>
        <p>Factures de vos sous-traitants et cotraitants : sans réponse dans le délai, la validation est tacite.</p>
        <form method="get" action={`/structures/${id}/factures-a-valider`} role="search" aria-label="Rechercher une facture à valider">
          <Select name="status" label="Statut" form={form} options={[{ value: 'A_TRAITER', label: 'En attente de ma décision' }, { value: '', label: 'Toutes' }, ...['VALIDEE_1', 'REFUSEE_1', 'ABSENCE_VALIDATION_1_HORS_DELAI', 'VALIDEE_2', 'REFUSEE_2', 'ABSENCE_VALIDATION_2_HORS_DELAI', 'MISE_A_DISPOSITION'].map((s) => ({ value: s, label: invoices.statusLabel(s) }))]} />
          <Field name="number" label="Numéro (début)" form={form} />
          <button type="submit">Rechercher</button>
        </form>
        <p role="status">{r.total === 0 ? 'Aucune facture.' : `${r.total} facture${r.total > 1 ? 's' : ''}.`}</p>
        {r.invoices.length ? (
          <table>
            <caption class="sr-only">Factures à valider</caption>
            <thead><tr><th scope="col">Numéro</th><th scope="col">Fournisseur</th><th scope="col">Marché</th><th scope="col">Date</th><th scope="col">Montant TTC</th><th scope="col">Statut</th><th scope="col">Jours restants</th></tr></thead>
            <tbody>
              {r.invoices.map((i) => (
                <tr>
                  <th scope="row"><a href={`/structures/${id}/factures-a-valider/${i.id}`}>{i.number}</a></th>
                  <td>{i.supplier_name}</td>
                  <td>{i.contract_number}</td>
                  <td>{frenchDay(i.invoice_date)}</td>
                  <td>{formatAmountFr(i.total_with_vat, i.currency)}</td>
                  <td>{invoices.statusLabel(i.status)}</td>
                  <td>{i.daysLeft !== null ? `${i.daysLeft} jour${i.daysLeft > 1 ? 's' : ''} (avant le ${formatParisDateTime(i.dueAt!)})` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Layout>
    ));
  });

  async function consultation(reply: FastifyReply, page: PageContext, structureId: number, invoiceId: number, flash?: string, form: FormState = emptyForm(), status = 200) {
    const g = await invoices.getInvoiceToValidate(ctx, page.actor, invoiceId);
    const i = g.invoice;
    const base = `/structures/${structureId}/factures-a-valider/${invoiceId}`;
    const decisions = Object.values(g.actions).flat() as string[];
    const reasons = invoices.REASONS.REFUSER_VALIDATION;
    return sendPage(reply, (
      <Layout title={`Facture à valider ${i.number}`} user={page.user} unread={page.unread} flash={flash}>
        <p class="hint"><a href={`/structures/${structureId}/factures-a-valider`}>Factures à valider</a></p>
        <h1>Facture {i.number} à valider</h1>
        <p>Statut : <strong>{invoices.statusLabel(i.status)}</strong></p>
        <ErrorSummary form={form} />
        <dl class="facts">
          <dt>Fournisseur</dt><dd>{i.supplier_name} ({i.supplier_identifier})</dd>
          <dt>Destinataire</dt><dd>{i.recipient_name} ({i.recipient_identifier})</dd>
          <dt>Cadre</dt><dd>{invoices.FRAMEWORK_LABELS[i.framework as invoices.Framework] ?? i.framework}</dd>
          <dt>Date de facture</dt><dd>{frenchDay(i.invoice_date)}</dd>
          <dt>Total HT</dt><dd>{formatAmountFr(i.total_without_vat, i.currency)}</dd>
          <dt>Total TTC</dt><dd>{formatAmountFr(i.total_with_vat, i.currency)}</dd>
        </dl>
        {g.lines.length ? (
          <table>
            <caption>Lignes</caption>
            <thead><tr><th scope="col">N°</th><th scope="col">Désignation</th><th scope="col">Quantité</th><th scope="col">Prix unitaire HT</th><th scope="col">TVA</th><th scope="col">Net HT</th></tr></thead>
            <tbody>{g.lines.map((l) => <tr><td>{l.position}</td><td>{l.description}</td><td>{l.quantity}</td><td>{l.unit_price}</td><td>{l.vat_rate} %</td><td>{formatAmountFr(l.net_amount, i.currency)}</td></tr>)}</tbody>
          </table>
        ) : null}
        <h2>Pièces</h2>
        <ul>
          {g.documents.map((d) => <li><a href={`${base}/documents/${d.document_id}`}>{d.filename}</a> ({d.role === 'PRINCIPALE' ? 'pièce principale' : 'pièce complémentaire'})</li>)}
          {i.certificate_document_id ? <li><a href={`${base}/documents/${i.certificate_document_id}`}>Certificat de dépôt</a></li> : null}
        </ul>
        <CircuitLevels circuit={g.circuit} />
        {decisions.length ? <h2>Décision</h2> : null}
        {decisions.includes('VALIDER') ? (
          <form method="post" action={`${base}/decision`} class="action">
            <Csrf token={page.csrf} />
            <input type="hidden" name="action" value="VALIDER" />
            <fieldset><legend>Valider la facture</legend><button type="submit">Valider</button></fieldset>
          </form>
        ) : null}
        {decisions.includes('REFUSER_VALIDATION') ? (
          <form method="post" action={`${base}/decision`} class="action">
            <Csrf token={page.csrf} />
            <input type="hidden" name="action" value="REFUSER_VALIDATION" />
            <fieldset>
              <legend>Refuser la facture</legend>
              <div class="field"><label for="refus-motif">Motif du refus</label>
                <select id="refus-motif" name="reason"><option value="">Choisir un motif</option>{reasons.map((r) => <option value={r.code}>{r.label}</option>)}</select></div>
              <div class="field"><label for="refus-commentaire">Commentaire du refus</label><textarea id="refus-commentaire" name="comment" maxlength={2000}></textarea></div>
              <button type="submit">Refuser</button>
            </fieldset>
          </form>
        ) : null}
        {decisions.includes('SIGNALER_ERREUR_VALIDEUR') ? (
          <form method="post" action={`${base}/decision`} class="action">
            <Csrf token={page.csrf} />
            <input type="hidden" name="action" value="SIGNALER_ERREUR_VALIDEUR" />
            <fieldset>
              <legend>Je ne suis pas le bon valideur</legend>
              <div class="field"><label for="erreur-commentaire">Commentaire (erreur de valideur)</label><textarea id="erreur-commentaire" name="comment" maxlength={2000}></textarea></div>
              <button type="submit">Signaler une erreur de valideur</button>
            </fieldset>
          </form>
        ) : null}
        <h2>Parcours</h2>
        <p class="hint">{g.chain.ok ? `Historique intègre : ${g.chain.events} événements chaînés.` : "Attention : l'historique a été altéré."}</p>
        <table>
          <caption class="sr-only">Parcours de la facture</caption>
          <thead><tr><th scope="col">Date</th><th scope="col">Étape</th><th scope="col">Qui</th><th scope="col">Motif et commentaire</th></tr></thead>
          <tbody>
            {g.path.filter((e) => e.type === 'TRANSITION').map((e) => (
              <tr><td>{formatParisDateTime(e.createdAt)}</td><td>{invoices.statusLabel(e.toStatus ?? '')}</td><td>{e.actorName ?? invoices.ROLE_LABELS[(e.actorRole ?? 'SYSTEME') as invoices.ActorRole]}</td><td>{[invoices.reasonLabel(e.action ?? '', e.reason), e.comment].filter(Boolean).join(' — ') || '—'}</td></tr>
            ))}
          </tbody>
        </table>
      </Layout>
    ), status);
  }

  app.get('/structures/:id/factures-a-valider/:invoiceId', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    return consultation(reply, page, positiveId(params(req).id), positiveId(params(req).invoiceId, 'Facture'), flashOf(req, FLASH));
  });
  app.get('/structures/:id/factures-a-valider/:invoiceId/documents/:documentId', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const d = await invoices.getDocumentToValidate(ctx, page.actor, positiveId(params(req).invoiceId, 'Facture'), params(req).documentId);
    return reply.type(d.media_type).header('content-disposition', `inline; filename="${d.filename.replace(/"/g, '')}"`).send(d.bytes);
  });
  app.post('/structures/:id/factures-a-valider/:invoiceId/decision', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id);
    const invoiceId = positiveId(params(req).invoiceId, 'Facture');
    const v = formValues(req);
    const failed = await attempt(v, () => invoices.decideValidation(ctx, page.actor, invoiceId, { action: v.action as invoices.DecisionInput['action'], reason: v.reason || null, comment: v.comment || null }));
    if (failed) return consultation(reply, page, id, invoiceId, undefined, failed.form, failed.status);
    return redirect(reply, `/structures/${id}/factures-a-valider/${invoiceId}?ok=decision`);
  });

  // The supplier's side: the contract and validator of a draft, the validator correction.
  app.post('/structures/:id/factures-emises/:invoiceId/marche', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id);
    const invoiceId = positiveId(params(req).invoiceId, 'Facture');
    const v = formValues(req);
    const failed = await attempt(v, () => invoices.setInvoiceContract(ctx, page.actor, invoiceId, { contractNumber: v.contractNumber || null, validatorSiret: v.validatorSiret || null }));
    if (failed) return reply.status(failed.status).type('text/html; charset=utf-8').send(await errorPage(page, id, invoiceId, failed.form));
    return redirect(reply, `/structures/${id}/factures-emises/${invoiceId}?ok=marche`);
  });
  app.post('/structures/:id/factures-emises/:invoiceId/valideur', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id);
    const invoiceId = positiveId(params(req).invoiceId, 'Facture');
    const v = formValues(req);
    const failed = await attempt(v, () => invoices.correctValidator(ctx, page.actor, invoiceId, { validatorSiret: v.validatorSiret || null, comment: v.comment || null }));
    if (failed) return reply.status(failed.status).type('text/html; charset=utf-8').send(await errorPage(page, id, invoiceId, failed.form));
    return redirect(reply, `/structures/${id}/factures-emises/${invoiceId}?ok=valideur`);
  });
  const errorPage = async (page: PageContext, structureId: number, invoiceId: number, form: FormState) =>
    '<!doctype html>' + (await Promise.resolve((
      <Layout title="Marché et valideur" user={page.user} unread={page.unread}>
        <h1>Marché et valideur</h1>
        <ErrorSummary form={form} />
        <p><a href={`/structures/${structureId}/factures-emises/${invoiceId}`}>Retour à la facture</a></p>
      </Layout>
    ).toString()));
}

export const VALIDATION_FLASH = FLASH;
