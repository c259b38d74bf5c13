import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Ctx } from '../context.ts';
import * as invoices from '../invoices/index.ts';
import * as works from '../works/index.ts';
import { listStructuresOfUser } from '../structures/index.ts';
import { formatAmountFr } from '../shared/money.ts';
import { AppError } from '../shared/app-error.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { Csrf, ErrorSummary, Field, Layout, Pager, Select } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, formValues, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { flashOf, frenchDay, positiveId } from './structure-frame.tsx';
import { StructuredSource } from './invoice-structured-panel.tsx';
import { PaymentDelay } from './invoice-delay-panel.tsx';
import { SearchFields, searchCriteria, searchForPage } from './invoice-search.tsx';
import { VALIDATION_FLASH, validationPanel } from './validation-pages.tsx';
import { AttachmentLimits, HeaderFieldset, RecipientFieldset, headerOf } from './invoice-form-parts.tsx';
import { UPLOAD_LIMITS, multipartFiles, multipartValues } from './invoice-pdf-pages.tsx';
import { csrfOfMultipart } from './invoice-deposits-pages.tsx';
import multipart from '@fastify/multipart';

type Side = 'EMISES' | 'RECUES';
const SIDE = {
  EMISES: { path: 'factures-emises', title: 'Factures émises' },
  RECUES: { path: 'factures-recues', title: 'Factures reçues' },
} as const;
const FLASH = {
  brouillon: 'La facture est enregistrée au statut « Brouillon ». Elle n’est pas encore envoyée.',
  envoyee: 'La facture est validée et envoyée : elle est en cours d’acheminement vers le destinataire. Le certificat de dépôt est disponible.',
  action: 'L’action est enregistrée.',
  ...VALIDATION_FLASH,
  depot: 'Le fichier est lu et contrôlé : la facture est enregistrée au statut « Brouillon ». Vérifiez-la puis validez et envoyez-la.',
  deja: 'Ce fichier avait déjà été déposé : voici la facture qu’il a créée.',
  complete: 'Le brouillon est complété.',
  pieces: 'Les pièces sont jointes à la facture.',
};
const LINE_ROWS = 5;
const statusOptions = (side: Side) => [
  { value: '', label: 'Tous les statuts' },
  ...(side === 'EMISES' ? ['BROUILLON', 'DEPOSEE', 'EN_COURS_ACHEMINEMENT'] : []).concat(invoices.VISIBLE_TO_RECIPIENT).map((s) => ({ value: s, label: invoices.statusLabel(s) })),
];
const StatusText = ({ status }: { status: string }) => {
  const code = invoices.reformCodeOf(status);
  return <>{invoices.statusLabel(status)}{code ? <span class="hint"> (code {code})</span> : null}</>;
};

/** The draft form: routing data (the recipient's requirements load as soon as its SIRET is typed), dates, lines. */
const DraftForm = ({ page, structureId, form }: { page: PageContext; structureId: number; form: FormState }) => (
  <>
    <ErrorSummary form={form} />
    <form method="post" action={`/structures/${structureId}/factures-emises/nouvelle`} novalidate>
      <Csrf token={page.csrf} />
      <RecipientFieldset form={form} />
      <HeaderFieldset form={form} />
      <fieldset>
        <legend>Lignes</legend>
        <p class="hint">Les montants sont calculés exactement : net de la ligne = quantité × prix unitaire HT − remise, arrondi au centime.</p>
        {Array.from({ length: LINE_ROWS }, (_, i) => (
          <fieldset class="line">
            <legend>Ligne {i + 1}</legend>
            <Field name={`lines.${i}.description`} label={`Désignation (ligne ${i + 1})`} form={form} />
            <Field name={`lines.${i}.quantity`} label={`Quantité (ligne ${i + 1})`} form={form} inputmode="text" />
            <Field name={`lines.${i}.unitPrice`} label={`Prix unitaire HT (ligne ${i + 1})`} form={form} inputmode="text" />
            <Field name={`lines.${i}.discountAmount`} label={`Remise HT (ligne ${i + 1})`} form={form} inputmode="text" />
            <Select name={`lines.${i}.vatRate`} label={`Taux de TVA (ligne ${i + 1})`} form={form} options={invoices.VAT_RATES.map((r) => ({ value: r, label: `${r.replace('.', ',')} %` }))} />
          </fieldset>
        ))}
        <Field name="prepaidAmount" label="Montant déjà payé (acompte)" form={form} inputmode="text" />
      </fieldset>
      <Field name="comment" label="Commentaire" form={form} maxlength={200} />
      <button type="submit">Enregistrer le brouillon</button>
    </form>
  </>
);

function draftFromForm(structureId: number, v: Record<string, string>): invoices.DraftInput {
  const lines = [];
  for (let i = 0; i < LINE_ROWS; i++) {
    const l = { description: v[`lines.${i}.description`] ?? '', quantity: v[`lines.${i}.quantity`] ?? '', unitPrice: v[`lines.${i}.unitPrice`] ?? '', discountAmount: v[`lines.${i}.discountAmount`] || null, vatRate: v[`lines.${i}.vatRate`] ?? '20' };
    if (l.description || l.quantity || l.unitPrice) lines.push(l);
  }
  return { supplierStructureId: structureId, ...headerOf(v), depositMode: 'SAISIE_WEB', lines, prepaidAmount: v.prepaidAmount || null };
}

export async function invoicesPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };
  const params = (req: { params: unknown }) => req.params as Record<string, string>;

  app.get('/factures', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const structures = await listStructuresOfUser(ctx.db, page.user.id);
    const withWorks = await works.structuresWithWorks(ctx, structures.map((s) => s.id));
    return sendPage(reply, (
      <Layout title="Factures" user={page.user} unread={page.unread}>
        <h1>Factures</h1>
        {structures.length === 0 ? <p>Vous n'êtes rattaché à aucune structure.</p> : (
          <ul class="steps">
            {structures.map((s) => (
              <li>
                <strong>{s.name}</strong> : <a href={`/structures/${s.id}/factures-emises`}>Factures émises</a>
                {s.kind === 'PUBLIQUE' ? <> · <a href={`/structures/${s.id}/factures-recues`}>Factures reçues</a></> : null}
                {' · '}<a href={`/structures/${s.id}/factures-a-valider`}>Factures à valider</a> · <a href={`/structures/${s.id}/marches`}>Marchés</a>
                {withWorks.includes(s.id) ? <> · <a href={`/structures/${s.id}/travaux`}>Factures de travaux</a></> : null}
              </li>
            ))}
          </ul>
        )}
      </Layout>
    ));
  });

  app.get('/factures/exigences', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const q = req.query as Record<string, string>;
    const siret = (q.recipientSiret ?? '').replace(/\s/g, '');
    let body: unknown = <p class="hint">Saisissez le SIRET du destinataire pour connaître ses exigences.</p>;
    if (/^\d{14}$/.test(siret)) {
      const r = await invoices.recipientRequirements(ctx, { siret, serviceCode: q.serviceCode || null });
      body = !r.found ? <p class="error">{r.message}</p> : (
        <div class="notice">
          <p><strong>{r.recipient.name}</strong></p>
          {r.problems.map((p) => <p class="error">{p}</p>)}
          <ul>
            <li>{r.requirements.serviceCode ? 'Code service obligatoire.' : 'Code service facultatif.'}</li>
            <li>{r.requirements.ej ? "Numéro d'engagement obligatoire." : "Numéro d'engagement facultatif (sauf pour les services qui l'exigent)."}</li>
            {r.requirements.ejOrServiceCode ? <li>Numéro d'engagement ou code service : l'un des deux est obligatoire.</li> : null}
          </ul>
          {r.services.length ? <p>Services : {r.services.map((s) => `${s.code} (${s.name}${s.ejRequired ? ', engagement obligatoire' : ''})`).join(' ; ')}</p> : null}
        </div>
      );
    }
    return reply.type('text/html; charset=utf-8').send(String(await Promise.resolve((body as { toString(): string }).toString())));
  });

  for (const side of ['EMISES', 'RECUES'] as const) {
    const base = SIDE[side].path;
    app.get(`/structures/:id/${base}`, async (req, reply) => {
      const page = await requirePage(ctx, req, reply);
      if (!page) return;
      const id = positiveId(params(req).id);
      const q = (req.query ?? {}) as Record<string, string>;
      const criteria = searchCriteria(q);
      const { r, form } = await searchForPage(ctx, page.actor, { side, structureId: id, ...criteria, page: Number(q.page) || undefined });
      const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
      const dueDates = side === 'RECUES' ? await invoices.dueDatesOf(ctx.db, r.invoices.map((i) => i.id), ctx.clock.now()) : null;
      return sendPage(reply, (
        <Layout title={`${SIDE[side].title} — ${r.structure.name}`} user={page.user} unread={page.unread} flash={flashOf(req, FLASH)}>
          <p class="hint"><a href={`/structures/${id}`}>{r.structure.name}</a> · <a href="/factures">Factures</a></p>
          <h1>{SIDE[side].title} — {r.structure.name}</h1>
          {r.canEdit ? <p><a class="button" href={`/structures/${id}/factures-emises/nouvelle`}>Saisir une facture</a> <a class="button" href={`/structures/${id}/factures-emises/deposer-pdf`}>Déposer une facture PDF</a> <a class="button" href={`/structures/${id}/factures-emises/deposer`}>Déposer une facture structurée</a></p> : null}
          <form method="get" action={`/structures/${id}/${base}`} role="search" aria-label="Rechercher une facture">
            <SearchFields side={side} form={form} statusOptions={statusOptions(side)} />
            <button type="submit">Rechercher</button>
          </form>
          <p role="status">{r.total === 0 ? 'Aucune facture.' : `${r.total} facture${r.total > 1 ? 's' : ''}.`}</p>
          {r.invoices.length ? (
            <table>
              <caption class="sr-only">{SIDE[side].title}</caption>
              <thead><tr><th scope="col">Numéro</th><th scope="col">{side === 'EMISES' ? 'Destinataire' : 'Fournisseur'}</th><th scope="col">Date</th><th scope="col">Montant TTC</th>{dueDates ? <th scope="col">Échéance</th> : null}<th scope="col">Statut</th></tr></thead>
              <tbody>
                {r.invoices.map((i) => (
                  <tr>
                    <th scope="row"><a href={`/structures/${id}/${base}/${i.id}`}>{i.number}</a></th>
                    <td>{side === 'EMISES' ? i.recipient_name : i.supplier_name}{i.service_code ? ` (${i.service_code})` : ''}</td>
                    <td>{frenchDay(i.invoice_date)}</td>
                    <td>{formatAmountFr(i.total_with_vat, i.currency)}</td>
                    {dueDates ? <td>{frenchDay(dueDates.get(i.id) ?? null)}</td> : null}
                    <td><StatusText status={i.status} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <Pager page={r.page} pages={pages} link={(n) => `/structures/${id}/${base}?${new URLSearchParams({ ...criteria, page: String(n) })}`} />
          {r.total ? <p><a href={`/structures/${id}/${base}/export.csv?${new URLSearchParams(criteria)}`}>Exporter cette recherche en CSV</a></p> : null}
        </Layout>
      ));
    });
  }

  const newPage = (page: PageContext, structureId: number, form: FormState) => (
    <Layout title="Saisir une facture" user={page.user} unread={page.unread}>
      <p class="hint"><a href={`/structures/${structureId}/factures-emises`}>Factures émises</a></p>
      <h1>Saisir une facture</h1>
      <DraftForm page={page} structureId={structureId} form={form} />
    </Layout>
  );
  app.get('/structures/:id/factures-emises/nouvelle', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id);
    await invoices.searchInvoices(ctx, page.actor, { side: 'EMISES', structureId: id, pageSize: 1 });
    return sendPage(reply, newPage(page, id, emptyForm({ currency: 'EUR', framework: 'A1_FACTURE_FOURNISSEUR', documentType: 'FACTURE' })));
  });
  app.post('/structures/:id/factures-emises/nouvelle', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id);
    const values = formValues(req);
    let created = 0;
    const failed = await attempt(values, async () => {
      created = (await invoices.createDraft(ctx, page.actor, draftFromForm(id, values))).invoiceId;
    });
    if (failed) return sendPage(reply, newPage(page, id, failed.form), failed.status);
    return redirect(reply, `/structures/${id}/factures-emises/${created}?ok=brouillon`);
  });

  async function detailPage(reply: FastifyReply, page: PageContext, structureId: number, side: Side, invoiceId: number, flash?: string, form: FormState = emptyForm(), status = 200) {
    const g = await invoices.getInvoice(ctx, page.actor, invoiceId);
    const i = g.invoice;
    const mine = side === 'EMISES' ? i.supplier_structure_id === structureId && g.sees.FOURNISSEUR : i.recipient_structure_id === structureId && g.sees.DESTINATAIRE;
    if (!mine) return sendPage(reply, <Layout title="Facture introuvable" user={page.user}><h1>Facture introuvable</h1></Layout>, 404);
    const role = side === 'EMISES' ? 'FOURNISSEUR' : 'DESTINATAIRE';
    const actions = (g.actions[role] ?? []) as invoices.InvoiceAction[];
    const base = `/structures/${structureId}/${SIDE[side].path}/${invoiceId}`;
    const doc = (documentId: string) => `${base}/documents/${documentId}`;
    const circuitPanel = await validationPanel(ctx, page, i, side, base, form);
    return sendPage(reply, (
      <Layout title={`Facture ${i.number}`} user={page.user} unread={page.unread} flash={flash}>
        <p class="hint"><a href={`/structures/${structureId}/${SIDE[side].path}`}>{SIDE[side].title}</a></p>
        <h1>Facture {i.number}</h1>
        <p>Statut : <strong><StatusText status={i.status} /></strong></p>
        <ErrorSummary form={form} />
        <dl class="facts">
          <dt>Fournisseur</dt><dd>{i.supplier_name} ({i.supplier_identifier})</dd>
          <dt>Destinataire</dt><dd>{i.recipient_name} ({i.recipient_identifier}){i.service_code ? `, service ${i.service_code}` : ''}</dd>
          <dt>Engagement</dt><dd>{i.ej_number ?? '—'}</dd>
          <dt>Cadre</dt><dd>{invoices.FRAMEWORK_LABELS[i.framework as invoices.Framework] ?? i.framework}</dd>
          <dt>Type</dt><dd>{i.document_type === 'AVOIR' ? `Avoir sur la facture ${i.original_invoice_number ?? '—'}` : 'Facture'}</dd>
          <dt>Date de facture</dt><dd>{frenchDay(i.invoice_date)}</dd>
          <dt>Total HT</dt><dd>{formatAmountFr(i.total_without_vat, i.currency)}</dd>
          <dt>TVA</dt><dd>{formatAmountFr(i.total_vat, i.currency)}</dd>
          <dt>Total TTC</dt><dd>{formatAmountFr(i.total_with_vat, i.currency)}</dd>
          <dt>Net à payer</dt><dd>{formatAmountFr(i.amount_due, i.currency)}</dd>
          {i.mandate_number ? <><dt>Mandat</dt><dd>{i.mandate_number}</dd></> : null}
          {i.deposited_at ? <><dt>Déposée le</dt><dd>{formatParisDateTime(new Date(i.deposited_at))}</dd></> : null}
        </dl>
        {g.paymentDelay ? <PaymentDelay delay={g.paymentDelay} side={side} /> : null}
        {g.structuredSource ? <StructuredSource page={page} base={base} source={g.structuredSource} invoice={i} canComplete={(g.actions.FOURNISSEUR ?? []).includes('DEPOSER') && side === 'EMISES'} form={form} /> : null}
        {g.lines.length ? (
          <table>
            <caption>Lignes</caption>
            <thead><tr><th scope="col">N°</th><th scope="col">Désignation</th><th scope="col">Quantité</th><th scope="col">Prix unitaire HT</th><th scope="col">Remise</th><th scope="col">TVA</th><th scope="col">Net HT</th></tr></thead>
            <tbody>{g.lines.map((l) => <tr><td>{l.position}</td><td>{l.description}</td><td>{l.quantity}</td><td>{l.unit_price}</td><td>{l.discount_amount}</td><td>{l.vat_rate} %</td><td>{formatAmountFr(l.net_amount, i.currency)}</td></tr>)}</tbody>
          </table>
        ) : null}
        {g.vatBreakdown.length ? (
          <table>
            <caption>Récapitulatif de TVA</caption>
            <thead><tr><th scope="col">Taux</th><th scope="col">Base HT</th><th scope="col">TVA</th></tr></thead>
            <tbody>{g.vatBreakdown.map((b) => <tr><td>{b.vat_rate} %</td><td>{formatAmountFr(b.taxable_amount, i.currency)}</td><td>{formatAmountFr(b.vat_amount, i.currency)}</td></tr>)}</tbody>
          </table>
        ) : null}
        <h2>Pièces</h2>
        <ul>
          {g.documents.map((d) => <li><a href={doc(d.document_id)}>{d.filename}</a> ({d.role === 'PRINCIPALE' ? 'pièce principale' : 'pièce complémentaire'}) — SHA-256 <code>{d.sha256}</code></li>)}
          {i.certificate_document_id ? <li><a href={doc(i.certificate_document_id)}>Certificat de dépôt</a></li> : null}
          {!g.documents.length && !i.certificate_document_id ? <li>Aucune pièce.</li> : null}
        </ul>
        {side === 'EMISES' && (actions.includes('DEPOSER') || actions.includes('COMPLETER')) ? (
          <form method="post" action={`${base}/pieces`} enctype="multipart/form-data" aria-labelledby="ajouter-pieces">
            <Csrf token={page.csrf} />
            <h3 id="ajouter-pieces">{i.status === 'SUSPENDUE' ? 'Joindre les pièces demandées' : 'Joindre des pièces'}</h3>
            <AttachmentLimits id="limites-pieces" />
            {actions.includes('DEPOSER') && invoices.isPdfMode(i.deposit_mode) ? (
              <Select name="role" label="Nature de la pièce" form={emptyForm({ role: g.documents.some((d) => d.role === 'PRINCIPALE') ? 'COMPLEMENTAIRE' : 'PRINCIPALE' })} options={[{ value: 'PRINCIPALE', label: 'Pièce principale (la facture en PDF, remplace la précédente)' }, { value: 'COMPLEMENTAIRE', label: 'Pièce complémentaire' }]} />
            ) : <input type="hidden" name="role" value="COMPLEMENTAIRE" />}
            <div class={form.errors.files ? 'field has-error' : 'field'}>
              <label for="files">Fichiers à joindre</label>
              {form.errors.files ? <p class="error" id="files-erreur">{form.errors.files}</p> : null}
              <input id="files" name="files" type="file" multiple accept={invoices.ATTACHMENT_ACCEPT} aria-describedby="limites-pieces" />
            </div>
            <button type="submit">Joindre</button>
          </form>
        ) : null}
        {circuitPanel}
        {actions.length ? <h2>Actions</h2> : null}
        {actions.includes('DEPOSER') ? (
          <form method="post" action={`${base}/envoyer`}>
            <Csrf token={page.csrf} />
            <p>Une fois envoyée, la facture ne peut plus être modifiée.</p>
            <div class="checkbox"><input type="checkbox" id="confirm" name="confirm" value="oui" required /><label for="confirm">Je confirme l'envoi de cette facture au destinataire</label></div>
            <button type="submit">Valider et envoyer</button>
          </form>
        ) : null}
        {actions.filter((a) => a !== 'DEPOSER' && !invoices.VALIDATION_ACTIONS.includes(a)).map((a) => {
          const reasons = (invoices.REASONS as Record<string, ReadonlyArray<{ code: string; label: string }>>)[a];
          const fid = `action-${a}`;
          return (
            <form method="post" action={`${base}/actions`} class="action">
              <Csrf token={page.csrf} />
              <input type="hidden" name="action" value={a} />
              <fieldset>
                <legend>{invoices.ACTION_LABELS[a]}</legend>
                {reasons ? (
                  <div class="field"><label for={`${fid}-reason`}>Motif ({invoices.ACTION_LABELS[a].toLowerCase()})</label>
                    <select id={`${fid}-reason`} name="reason"><option value="">Choisir un motif</option>{reasons.map((r) => <option value={r.code}>{r.label}</option>)}</select></div>
                ) : null}
                {a === 'MANDATER' ? <div class="field"><label for={`${fid}-mandat`}>Numéro de mandat</label><input id={`${fid}-mandat`} name="mandateNumber" type="text" maxlength={50} /></div> : null}
                {a === 'RECYCLER' ? (
                  <>
                    <div class="field"><label for={`${fid}-siret`}>SIRET du destinataire corrigé</label><input id={`${fid}-siret`} name="recipientSiret" type="text" value={i.recipient_identifier} /></div>
                    <div class="field"><label for={`${fid}-service`}>Code service corrigé</label><input id={`${fid}-service`} name="serviceCode" type="text" value={i.service_code ?? ''} /></div>
                    <div class="field"><label for={`${fid}-ej`}>Numéro d'engagement corrigé</label><input id={`${fid}-ej`} name="ejNumber" type="text" value={i.ej_number ?? ''} /></div>
                  </>
                ) : null}
                <div class="field"><label for={`${fid}-comment`}>Commentaire ({invoices.ACTION_LABELS[a].toLowerCase()})</label><textarea id={`${fid}-comment`} name="comment" maxlength={2000}></textarea></div>
                <button type="submit">{invoices.ACTION_LABELS[a]}</button>
              </fieldset>
            </form>
          );
        })}
        <h2>Parcours</h2>
        <p><a href={`${base}/parcours.csv`}>Exporter le parcours (CSV)</a> · <a href={`${base}/parcours.json`}>(JSON)</a></p>
        <p class="hint">{g.chain.ok ? `Historique intègre : ${g.chain.events} événements chaînés par empreintes SHA-256.` : `Attention : l'historique a été altéré (${g.chain.problem}).`}</p>
        <table>
          <caption class="sr-only">Parcours de la facture</caption>
          <thead><tr><th scope="col">Date</th><th scope="col">Étape</th><th scope="col">Code réforme</th><th scope="col">Qui</th><th scope="col">Motif et commentaire</th></tr></thead>
          <tbody>
            {g.path.map((e) => (
              <tr>
                <td>{formatParisDateTime(e.createdAt)}</td>
                <td>{e.type === 'TRANSITION' ? invoices.statusLabel(e.toStatus ?? '') : e.type === 'CREATION' ? 'Brouillon créé' : e.type === 'MODIFICATION' ? 'Brouillon modifié' : `Pièce jointe : ${String(e.data.filename ?? '')}`}</td>
                <td>{e.reformCode ?? '—'}</td>
                <td>{e.actorName ?? invoices.ROLE_LABELS[(e.actorRole ?? 'SYSTEME') as invoices.ActorRole]}</td>
                <td>{[invoices.reasonLabel(e.action ?? '', e.reason), e.comment].filter(Boolean).join(' — ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>
    ), status);
  }

  for (const side of ['EMISES', 'RECUES'] as const) {
    const base = SIDE[side].path;
    app.get(`/structures/:id/${base}/export.csv`, async (req, reply) => {
      const page = await requirePage(ctx, req, reply);
      if (!page) return;
      const q = (req.query ?? {}) as Record<string, string>;
      const r = await invoices.exportInvoicesCsv(ctx, page.actor, { side, structureId: positiveId(params(req).id), ...searchCriteria(q) });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${base}.csv"`).send(r.csv);
    });
    app.get(`/structures/:id/${base}/:invoiceId/parcours.:format`, async (req, reply) => {
      const page = await requirePage(ctx, req, reply);
      if (!page) return;
      const r = await invoices.exportInvoicePath(ctx, page.actor, positiveId(params(req).invoiceId, 'Facture'));
      if (params(req).format === 'json') return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="parcours-${params(req).invoiceId}.json"`).send(JSON.stringify(r.json, null, 2));
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="parcours-${params(req).invoiceId}.csv"`).send(r.csv);
    });
    app.get(`/structures/:id/${base}/:invoiceId`, async (req, reply) => {
      const page = await requirePage(ctx, req, reply);
      if (!page) return;
      return detailPage(reply, page, positiveId(params(req).id), side, positiveId(params(req).invoiceId, 'Facture'), flashOf(req, FLASH));
    });
    app.get(`/structures/:id/${base}/:invoiceId/documents/:documentId`, async (req, reply) => {
      const page = await requirePage(ctx, req, reply);
      if (!page) return;
      const d = await invoices.getInvoiceDocument(ctx, page.actor, positiveId(params(req).invoiceId, 'Facture'), params(req).documentId);
      return reply.type(d.media_type).header('content-disposition', `inline; filename="${d.filename.replace(/"/g, '')}"`).send(d.bytes);
    });
    app.post(`/structures/:id/${base}/:invoiceId/actions`, csrf, async (req, reply) => {
      const page = await requirePage(ctx, req, reply);
      if (!page) return;
      const id = positiveId(params(req).id);
      const invoiceId = positiveId(params(req).invoiceId, 'Facture');
      const v = formValues(req);
      const failed = await attempt(v, () => invoices.actOnInvoice(ctx, page.actor, invoiceId, {
        action: v.action as invoices.InvoiceAction, reason: v.reason || null, comment: v.comment || null, mandateNumber: v.mandateNumber || null,
        recipientSiret: v.recipientSiret || null, serviceCode: v.serviceCode || null, ejNumber: v.ejNumber || null,
      }));
      if (failed) return detailPage(reply, page, id, side, invoiceId, undefined, failed.form, failed.status);
      return redirect(reply, `/structures/${id}/${base}/${invoiceId}?ok=action`);
    });
  }
  await app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: true, limits: UPLOAD_LIMITS, throwFileSizeLimit: false });
    scope.post('/structures/:id/factures-emises/:invoiceId/pieces', { preHandler: [csrfOfMultipart, app.csrfProtection] }, async (req, reply) => {
      const page = await requirePage(ctx, req, reply);
      if (!page) return;
      const id = positiveId(params(req).id);
      const invoiceId = positiveId(params(req).invoiceId, 'Facture');
      const v = multipartValues(req);
      const failed = await attempt(v, async () => {
        try {
          await invoices.addAttachments(ctx, page.actor, invoiceId, multipartFiles(req, 'files'), v.role === 'PRINCIPALE' ? 'PRINCIPALE' : 'COMPLEMENTAIRE');
        } catch (err) {
          // The API keys each file (files.0, files.1…); the form has one input.
          if (err instanceof AppError && err.fields) throw new AppError(err.kind, err.code, err.userMessage, { files: Object.values(err.fields).join(' ') });
          throw err;
        }
      });
      if (failed) return detailPage(reply, page, id, 'EMISES', invoiceId, undefined, failed.form, failed.status);
      return redirect(reply, `/structures/${id}/factures-emises/${invoiceId}?ok=pieces`);
    });
  });
  app.post('/structures/:id/factures-emises/:invoiceId/completer', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id);
    const invoiceId = positiveId(params(req).invoiceId, 'Facture');
    const v = formValues(req);
    const failed = await attempt(v, () => invoices.completeStructuredDraft(ctx, page.actor, invoiceId, {
      ...(v.serviceCode !== undefined ? { serviceCode: v.serviceCode || null } : {}), ...(v.ejNumber !== undefined ? { ejNumber: v.ejNumber || null } : {}), ...(v.comment !== undefined ? { comment: v.comment || null } : {}),
    }));
    if (failed) return detailPage(reply, page, id, 'EMISES', invoiceId, undefined, failed.form, failed.status);
    return redirect(reply, `/structures/${id}/factures-emises/${invoiceId}?ok=complete`);
  });
  app.post('/structures/:id/factures-emises/:invoiceId/envoyer', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id);
    const invoiceId = positiveId(params(req).invoiceId, 'Facture');
    const v = formValues(req);
    const failed = await attempt(v, async () => {
      if (v.confirm !== 'oui') throw new AppError('VALIDATION', 'CONFIRMATION_REQUIRED', "Cochez la case de confirmation pour envoyer la facture.", { confirm: 'Confirmez l’envoi.' });
      await invoices.submitInvoice(ctx, page.actor, invoiceId);
    });
    if (failed) return detailPage(reply, page, id, 'EMISES', invoiceId, undefined, failed.form, failed.status);
    return redirect(reply, `/structures/${id}/factures-emises/${invoiceId}?ok=envoyee`);
  });
}
