import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import * as works from '../works/index.ts';
import * as invoices from '../invoices/index.ts';
import { formatAmountFr } from '../shared/money.ts';
import { formatParisDateTime } from '../shared/clock.ts';
import { AppError } from '../shared/app-error.ts';
import { Csrf, ErrorSummary, Field, Layout } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, formValues, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { flashOf, frenchDay, positiveId } from './structure-frame.tsx';
import { DifferencesView, StatementView, frenchMonth, progressText } from './works-statement.tsx';

/**
 * The space « Factures de travaux » of a structure: its works contracts and their billing files, the
 * company's progress entry and projet de décompte, the MOE's état d'acompte with its corrections, the MOA's
 * validation, the end of contract. Every rule is in src/works; the pages show and post.
 */
const FLASH = { deposee: 'La pièce est déposée et transmise à son destinataire.', action: 'Votre décision est enregistrée.' };
const PENALTY_ROWS = 3;
const sideText = (sides: works.WorksSide[]) => sides.map((s) => works.SIDE_LABELS[s.side] + (s.acts || s.side === 'PAYEUR' || s.side === 'ACHETEUR' ? '' : ' (consultation)')).join(', ');

const StatusText = ({ status, label }: { status: string; label: string }) => <>{label} <span class="hint">({status})</span></>;

const ClockText = ({ clock }: { clock: works.PieceClock | null }) =>
  !clock ? <>—</> : clock.late
    ? <strong class="error">Délai dépassé depuis le {frenchDay(clock.dueDay)} — {clock.label}</strong>
    : <>Échéance le {frenchDay(clock.dueDay)} ({clock.daysLeft} jour{clock.daysLeft > 1 ? 's' : ''} restant{clock.daysLeft > 1 ? 's' : ''}) — {clock.label}</>;

export async function worksPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };
  const params = (req: { params: unknown }) => req.params as Record<string, string>;
  const ids = (req: FastifyRequest) => ({ id: positiveId(params(req).id), contractId: positiveId(params(req).contractId, 'Marché de travaux') });
  const base = (id: number, contractId: number) => `/structures/${id}/travaux/${contractId}`;

  app.get('/structures/:id/travaux', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = positiveId(params(req).id);
    const space = await works.getWorksSpace(ctx, page.actor, id);
    return sendPage(reply, (
      <Layout title={`Factures de travaux — ${space.structure.name}`} user={page.user} unread={page.unread}>
        <p class="hint"><a href={`/structures/${id}`}>{space.structure.name}</a> · <a href="/factures">Factures</a></p>
        <h1>Factures de travaux — {space.structure.name}</h1>
        <p>Projets de décompte, états d'acompte et décomptes des marchés de travaux dont {space.structure.name} est l'entreprise, le maître d'œuvre, le maître de l'ouvrage ou le payeur.</p>
        <section aria-labelledby="a-traiter">
          <h2 id="a-traiter">Pièces à traiter</h2>
          {space.todo.length ? (
            <table>
              <caption class="sr-only">Pièces à traiter</caption>
              <thead><tr><th scope="col">Pièce</th><th scope="col">Marché</th><th scope="col">Cadre</th><th scope="col">Mois</th><th scope="col">Statut</th><th scope="col">Montant dû</th><th scope="col">Délai</th></tr></thead>
              <tbody>
                {space.todo.map((p) => (
                  <tr>
                    <th scope="row"><a href={`${base(id, p.contractId)}/pieces/${p.invoiceId}`}>{p.number}</a></th>
                    <td>{p.contractNumber}</td><td>{p.label}</td><td>{p.phase === 'FIN' ? 'Fin de marché' : frenchMonth(p.month)}</td>
                    <td><StatusText status={p.status} label={p.statusLabel} /></td><td>{formatAmountFr(p.amounts.amountDue)}</td><td><ClockText clock={p.clock} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : <p>Aucune pièce n'attend votre action.</p>}
        </section>
        <section aria-labelledby="marches-travaux">
          <h2 id="marches-travaux">Marchés de travaux</h2>
          {space.contracts.length ? (
            <table>
              <caption class="sr-only">Marchés de travaux</caption>
              <thead><tr><th scope="col">Numéro</th><th scope="col">Objet</th><th scope="col">Rôle de {space.structure.name}</th><th scope="col">Maître d'œuvre</th><th scope="col">Maître de l'ouvrage</th><th scope="col">Payeur</th><th scope="col">Pièces</th></tr></thead>
              <tbody>
                {space.contracts.map((c) => (
                  <tr>
                    <th scope="row"><a href={base(id, c.contractId)}>{c.number}</a></th>
                    <td>{c.subject}</td><td>{sideText(c.sides)}</td><td>{c.moe ?? 'Absent de la plateforme'}</td><td>{c.moa}</td><td>{c.payer}</td>
                    <td>{c.pieces}{c.waiting ? ` (${c.waiting} à traiter)` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : <p>Aucun marché de travaux.</p>}
        </section>
      </Layout>
    ));
  });

  app.get('/structures/:id/travaux/:contractId', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { id, contractId } = ids(req);
    const g = await works.getWorksContractInSpace(ctx, page.actor, id, contractId);
    const c = g.contract;
    const b = base(id, contractId);
    return sendPage(reply, (
      <Layout title={`Marché ${g.file.number} — Factures de travaux`} user={page.user} unread={page.unread} flash={flashOf(req, FLASH)}>
        <p class="hint"><a href={`/structures/${id}/travaux`}>Factures de travaux — {g.structure.name}</a></p>
        <h1>Marché {g.file.number} — dossier de facturation</h1>
        <p>{g.file.subject}</p>
        <dl class="facts">
          <dt>Rôle de {g.structure.name}</dt><dd>{sideText(g.sides)}</dd>
          <dt>Entreprises</dt><dd>{c.contract.parties.map((p) => `${p.structure.name} (${p.roleLabel})`).join(', ') || '—'}</dd>
          <dt>Maître d'œuvre</dt><dd>{c.moe?.name ?? 'Absent de la plateforme'}</dd>
          <dt>Maître de l'ouvrage</dt><dd>{c.moa.name}</dd>
          <dt>Payeur</dt><dd>{c.payer.name}{c.payer.serviceCode ? `, service ${c.payer.serviceCode}` : ''}</dd>
          <dt>Montant du marché HT</dt><dd>{formatAmountFr(c.contractAmount)}</dd>
          <dt>TVA</dt><dd>{c.terms.vatRate.replace('.', ',')} %</dd>
        </dl>
        {g.deposits.length ? (
          <section aria-labelledby="deposer">
            <h2 id="deposer">Déposer une pièce</h2>
            <ul>{g.deposits.map((d) => <li><a href={`${b}/deposer?cadre=${d.code}`}>{d.label}</a></li>)}</ul>
          </section>
        ) : null}
        <section aria-labelledby="dossier">
          <h2 id="dossier">Pièces par mois</h2>
          {g.file.months.length ? g.file.months.map((m) => (
            <table>
              <caption>{m.month === 'FIN' ? 'Fin de marché' : `Mois ${frenchMonth(m.month)}`}</caption>
              <thead><tr><th scope="col">Pièce</th><th scope="col">Cadre</th><th scope="col">Déposée par</th><th scope="col">Statut</th><th scope="col">Montant dû</th><th scope="col">Total TTC</th><th scope="col">Délai</th><th scope="col">Chaînage</th><th scope="col">Document</th></tr></thead>
              <tbody>
                {m.pieces.map((p) => (
                  <tr>
                    <th scope="row"><a href={`${b}/pieces/${p.invoiceId}`}>{p.number}</a></th>
                    <td>{p.label}</td><td>{p.depositor.name}{p.depositedAt ? <span class="hint"> le {formatParisDateTime(new Date(p.depositedAt))}</span> : null}</td>
                    <td><StatusText status={p.status} label={p.statusLabel} /></td>
                    <td>{formatAmountFr(p.amounts.amountDue)}</td><td>{formatAmountFr(p.amounts.totalWithVat)}</td><td><ClockText clock={p.clock} /></td>
                    <td>{p.previousInvoiceId ? <a href={`${b}/pieces/${p.previousInvoiceId}`}>pièce précédente</a> : 'dépôt initial'}{p.nextInvoiceIds.map((n) => <> · <a href={`${b}/pieces/${n}`}>pièce suivante</a></>)}</td>
                    <td><a href={`${b}/pieces/${p.invoiceId}/pdf`}>PDF<span class="sr-only"> de la pièce {p.number}</span></a></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )) : <p>Aucune pièce déposée.</p>}
        </section>
        <section aria-labelledby="delais">
          <h2 id="delais">Délais du marché</h2>
          <table>
            <caption class="sr-only">Délais du marché</caption>
            <thead><tr><th scope="col">Délai</th><th scope="col">Jours</th><th scope="col">À compter de</th><th scope="col">Fondement</th></tr></thead>
            <tbody>{c.deadlines.map((d) => <tr><td>{d.label}</td><td>{d.days}{d.isDefault ? '' : ' (fixé par le marché)'}</td><td>{d.from}</td><td>{d.basis}</td></tr>)}</tbody>
          </table>
        </section>
      </Layout>
    ));
  });

  // The entry form: progress per price line (the company), or the previous piece's figures to correct (the MOE).
  async function depositPage(reply: FastifyReply, page: PageContext, id: number, contractId: number, v: Record<string, string>, result: { form?: FormState; status?: number; preview?: Awaited<ReturnType<typeof works.previewPiece>> } = {}) {
    const previousInvoiceId = v.previousInvoiceId ? positiveId(v.previousInvoiceId, 'Pièce') : null;
    const f = await works.pieceFormData(ctx, page.actor, contractId, { framework: v.framework, previousInvoiceId, supplierStructureId: previousInvoiceId ? null : id });
    const form = result.form ?? emptyForm();
    const values: Record<string, string> = { month: f.month, comment: '', ...Object.fromEntries(f.lines.map((l) => [`progress.${l.code}`, (f.progress[l.code] ?? '0').replace('.', ',')])) };
    f.penalties.forEach((p, i) => { values[`penalties.${i}.label`] = p.label; values[`penalties.${i}.amount`] = p.amount.replace('.', ','); });
    const shown = { ...form, values: { ...values, ...form.values } };
    const b = base(id, contractId);
    const moeCorrects = !!f.previous && f.framework !== 'A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR';
    return sendPage(reply, (
      <Layout title={`${f.code} — déposer une pièce`} user={page.user} unread={page.unread}>
        <p class="hint"><a href={b}>Dossier de facturation</a></p>
        <h1>{f.label}</h1>
        {f.previous ? <p>Pièce précédente : <a href={`${b}/pieces/${f.previous.invoiceId}`}>{f.previous.number}</a> ({f.previous.code}, {f.previous.statusLabel}, {formatAmountFr(f.previous.amountDue)} ce mois).{moeCorrects ? ' Les avancements proposés sont ceux de la pièce précédente : rectifiez-les, le décompte est recalculé et les écarts affichés ligne à ligne.' : ''}</p> : null}
        <ErrorSummary form={form} />
        <form method="post" action={`${b}/deposer`} novalidate hx-post={`${b}/deposer?apercu=1`} hx-trigger="change delay:300ms" hx-target="#apercu" hx-select="#apercu" hx-swap="outerHTML">
          <Csrf token={page.csrf} />
          <input type="hidden" name="framework" value={f.code} />
          {f.previous ? <input type="hidden" name="previousInvoiceId" value={String(f.previous.invoiceId)} /> : null}
          {f.previous ? <input type="hidden" name="month" value={f.month} /> : <Field name="month" label="Mois du décompte (AAAA-MM)" form={shown} required maxlength={7} />}
          <table>
            <caption>Avancement cumulé depuis le début du marché, par prix</caption>
            <thead><tr><th scope="col">N°</th><th scope="col">Désignation</th><th scope="col">Type</th><th scope="col">Quantité du marché</th><th scope="col">Prix unitaire HT</th><th scope="col">Avancement retenu précédemment</th><th scope="col">Avancement cumulé</th></tr></thead>
            <tbody>
              {f.lines.map((l) => {
                const name = `progress.${l.code}`;
                const error = shown.errors[name];
                return (
                  <tr class={error ? 'has-error' : undefined}>
                    <td>{l.code}</td><td>{l.label}</td><td>{l.kind === 'FORFAIT' ? 'Forfait (en %)' : `Prix unitaire (en ${l.unit ?? 'unités'})`}</td>
                    <td>{progressText(l.kind === 'FORFAIT' ? 'UNITAIRE' : l.kind, l.quantity, l.unit)}</td><td>{formatAmountFr(l.unitPrice)}</td>
                    <td>{progressText(l.kind, l.retainedProgress, l.unit)}</td>
                    <td>
                      <label class="sr-only" for={name}>Avancement cumulé du prix {l.code}</label>
                      {error ? <p class="error" id={`${name}-erreur`}>{error}</p> : null}
                      <input id={name} name={name} type="text" inputmode="decimal" value={shown.values[name] ?? ''} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${name}-erreur` : undefined} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <fieldset>
            <legend>Pénalités appliquées ce mois</legend>
            {Array.from({ length: PENALTY_ROWS }, (_, i) => (
              <div class="line">
                <Field name={`penalties.${i}.label`} label={`Libellé de la pénalité ${i + 1}`} form={shown} maxlength={200} />
                <Field name={`penalties.${i}.amount`} label={`Montant de la pénalité ${i + 1}`} form={shown} />
              </div>
            ))}
          </fieldset>
          <Field name="comment" label="Commentaire" form={shown} maxlength={2000} />
          <p>
            <button type="submit" name="intent" value="apercu" class="secondary">Calculer le décompte</button>{' '}
            <button type="submit" name="intent" value="deposer">Déposer la pièce</button>
          </p>
        </form>
        <div id="apercu" aria-live="polite">
          {result.preview ? (
            <>
              <StatementView statement={result.preview.statement} title={`Décompte calculé (${f.code}) — à fin ${frenchMonth(result.preview.statement.month)}`} />
              {result.preview.differences && f.previous ? <DifferencesView differences={result.preview.differences} against={`la pièce ${f.previous.number}`} /> : null}
            </>
          ) : <p class="hint">Saisissez l'avancement puis « Calculer le décompte » pour voir le décompte avant de le déposer.</p>}
        </div>
      </Layout>
    ), result.status ?? 200);
  }

  const pieceInputOf = (id: number, v: Record<string, string>): works.PieceInput => {
    const progress: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) if (k.startsWith('progress.')) progress[k.slice('progress.'.length)] = val;
    const penalties = [];
    for (let i = 0; i < PENALTY_ROWS; i++) {
      const label = v[`penalties.${i}.label`]?.trim() ?? '';
      const amount = v[`penalties.${i}.amount`]?.trim() ?? '';
      if (label || amount) penalties.push({ label, amount });
    }
    return {
      framework: v.framework, previousInvoiceId: v.previousInvoiceId ? Number(v.previousInvoiceId) : null, month: v.month || null,
      progress, penalties, supplierStructureId: v.previousInvoiceId ? null : id, comment: v.comment || null,
    };
  };

  app.get('/structures/:id/travaux/:contractId/deposer', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { id, contractId } = ids(req);
    await works.getWorksContractInSpace(ctx, page.actor, id, contractId);
    const q = (req.query ?? {}) as Record<string, string>;
    return depositPage(reply, page, id, contractId, { framework: q.cadre ?? '', previousInvoiceId: q.suit ?? '' });
  });
  app.post('/structures/:id/travaux/:contractId/deposer', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { id, contractId } = ids(req);
    await works.getWorksContractInSpace(ctx, page.actor, id, contractId);
    const v = formValues(req);
    const input = pieceInputOf(id, v);
    if (v.intent !== 'deposer' || (req.query as Record<string, string>)?.apercu) {
      let preview: Awaited<ReturnType<typeof works.previewPiece>> | undefined;
      const failed = await attempt(v, async () => { preview = await works.previewPiece(ctx, page.actor, contractId, input); });
      return depositPage(reply, page, id, contractId, v, failed ? { form: failed.form, status: failed.status } : { form: emptyForm(v), preview });
    }
    let deposited = 0;
    const failed = await attempt(v, async () => { deposited = (await works.depositPiece(ctx, page.actor, contractId, input)).invoiceId; });
    if (failed) return depositPage(reply, page, id, contractId, v, failed);
    return redirect(reply, `${base(id, contractId)}/pieces/${deposited}?ok=deposee`);
  });

  async function piecePage(reply: FastifyReply, page: PageContext, id: number, contractId: number, invoiceId: number, flash?: string, form: FormState = emptyForm(), status = 200) {
    const g = await works.getPieceInSpace(ctx, page.actor, id, contractId, invoiceId);
    const p = g.piece;
    const b = base(id, contractId);
    const actions = [...new Set(g.actions.map((a) => a.action))];
    return sendPage(reply, (
      <Layout title={`Pièce ${p.number} — Factures de travaux`} user={page.user} unread={page.unread} flash={flash}>
        <p class="hint"><a href={b}>Dossier de facturation du marché {p.contractNumber}</a></p>
        <h1>Pièce {p.number}</h1>
        <p>{p.label}</p>
        <p>Statut : <strong><StatusText status={p.status} label={p.statusLabel} /></strong></p>
        <ErrorSummary form={form} />
        <dl class="facts">
          <dt>Période</dt><dd>{p.phase === 'FIN' ? `Fin de marché (décompte à fin ${frenchMonth(p.statement?.month ?? p.month)})` : frenchMonth(p.month)}</dd>
          <dt>Entreprise</dt><dd>{p.supplier.name}</dd>
          <dt>Déposée par</dt><dd>{p.depositor.name}{p.depositedAt ? ` le ${formatParisDateTime(new Date(p.depositedAt))}` : ''}</dd>
          {p.moeReceivedAt ? <><dt>Reçue par le maître d'œuvre le</dt><dd>{formatParisDateTime(new Date(p.moeReceivedAt))} (point de départ du délai de paiement)</dd></> : null}
          <dt>Délai en cours</dt><dd><ClockText clock={p.clock} /></dd>
          <dt>Montant dû ce mois</dt><dd>{formatAmountFr(p.amounts.amountDue)}</dd>
          <dt>Total TTC ce mois</dt><dd>{formatAmountFr(p.amounts.totalWithVat)}</dd>
          <dt>Pièce précédente</dt><dd>{p.previousInvoiceId ? <a href={`${b}/pieces/${p.previousInvoiceId}`}>Ouvrir la pièce précédente</a> : 'Dépôt initial'}</dd>
          <dt>Pièce suivante</dt><dd>{p.nextInvoiceIds.length ? p.nextInvoiceIds.map((n) => <a href={`${b}/pieces/${n}`}>Ouvrir la pièce suivante</a>) : '—'}</dd>
          {p.comment ? <><dt>Commentaire</dt><dd>{p.comment}</dd></> : null}
          <dt>Document</dt><dd>{p.documentId ? <a href={`${b}/pieces/${p.invoiceId}/pdf`}>Télécharger la pièce {p.number} (PDF)</a> : '—'}</dd>
        </dl>
        {g.payerSees ? <p><a class="button" href={`/structures/${id}/factures-recues/${p.invoiceId}`}>Traiter dans « Factures reçues »</a></p> : null}
        {actions.length || g.next.length ? <h2>Actions</h2> : null}
        {actions.includes('PRENDRE_EN_COMPTE') ? (
          <form method="post" action={`${b}/pieces/${p.invoiceId}/actions`} class="action">
            <Csrf token={page.csrf} />
            <input type="hidden" name="action" value="PRENDRE_EN_COMPTE" />
            <button type="submit">Prendre en compte</button>
          </form>
        ) : null}
        {g.next.length ? (
          <section aria-labelledby="suivante">
            <h3 id="suivante">Déposer la pièce suivante</h3>
            <ul>{g.next.map((n) => <li>{n.blocked ? <>{n.label} — <span class="hint">pas encore possible : {n.blocked}</span></> : <a href={`${b}/deposer?cadre=${n.code}&suit=${p.invoiceId}`}>{n.label}</a>}</li>)}</ul>
          </section>
        ) : null}
        {actions.includes('REFUSER') ? (
          <form method="post" action={`${b}/pieces/${p.invoiceId}/actions`} class="action">
            <Csrf token={page.csrf} />
            <input type="hidden" name="action" value="REFUSER" />
            <fieldset>
              <legend>Refuser la pièce</legend>
              <p class="hint">Seulement pour un motif valable : un désaccord sur les montants se corrige dans votre propre pièce, il ne justifie pas un refus.</p>
              <div class={form.errors.reason ? 'field has-error' : 'field'}><label for="refus-motif">Motif du refus</label>
                {form.errors.reason ? <p class="error" id="refus-motif-erreur">{form.errors.reason}</p> : null}
                <select id="refus-motif" name="reason"><option value="">Choisir un motif</option>{invoices.WORKS_REASONS.REFUSER.map((r) => <option value={r.code} selected={form.values.reason === r.code}>{r.label}</option>)}</select></div>
              <div class="field"><label for="refus-commentaire">Commentaire du refus</label>
                {form.errors.comment ? <p class="error" id="refus-commentaire-erreur">{form.errors.comment}</p> : null}
                <textarea id="refus-commentaire" name="comment" maxlength={2000}>{form.values.comment ?? ''}</textarea></div>
              <button type="submit" class="danger">Refuser la pièce</button>
            </fieldset>
          </form>
        ) : null}
        {actions.includes('DUPLIQUER') ? (
          <form method="post" action={`${b}/pieces/${p.invoiceId}/actions`} class="action">
            <Csrf token={page.csrf} />
            <input type="hidden" name="action" value="DUPLIQUER" />
            <button type="submit">Dupliquer la pièce refusée</button>
          </form>
        ) : null}
        {p.differences ? <DifferencesView differences={p.differences} against="la pièce précédente" /> : null}
        {p.statement ? <StatementView statement={p.statement} title={`Décompte de la pièce — à fin ${frenchMonth(p.statement.month)}`} /> : null}
      </Layout>
    ), status);
  }

  app.get('/structures/:id/travaux/:contractId/pieces/:pieceId', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { id, contractId } = ids(req);
    return piecePage(reply, page, id, contractId, positiveId(params(req).pieceId, 'Pièce'), flashOf(req, FLASH));
  });
  app.post('/structures/:id/travaux/:contractId/pieces/:pieceId/actions', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { id, contractId } = ids(req);
    const pieceId = positiveId(params(req).pieceId, 'Pièce');
    const v = formValues(req);
    const failed = await attempt(v, async () => {
      const g = await works.getPieceInSpace(ctx, page.actor, id, contractId, pieceId);
      // Open to the user through another of its structures only: not through this page's structure.
      if (!g.actions.some((a) => a.action === v.action) && g.piece.actions.some((a) => a.action === v.action))
        throw new AppError('FORBIDDEN', 'FORBIDDEN', "Cette action n'est pas ouverte à votre structure sur cette pièce.");
      if (v.action === 'REFUSER' && !v.reason) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Le motif du refus est obligatoire.', { reason: 'Choisissez un motif de refus.' });
      await works.actOnPiece(ctx, page.actor, pieceId, { action: v.action as 'PRENDRE_EN_COMPTE', reason: v.reason || null, comment: v.comment || null });
    });
    if (failed) return piecePage(reply, page, id, contractId, pieceId, undefined, failed.form, failed.status);
    return redirect(reply, `${base(id, contractId)}/pieces/${pieceId}?ok=action`);
  });

  app.get('/structures/:id/travaux/:contractId/pieces/:pieceId/pdf', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const { id, contractId } = ids(req);
    const pieceId = positiveId(params(req).pieceId, 'Pièce');
    await works.getPieceInSpace(ctx, page.actor, id, contractId, pieceId);
    const doc = await works.getPiecePdf(ctx, page.actor, pieceId);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${doc.filename.replace(/"/g, '')}"`).send(doc.bytes);
  });

  // The link of a works notification names no structure: open the piece through the first structure that reaches it.
  app.get('/travaux/:contractId/pieces/:pieceId', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const contractId = positiveId(params(req).contractId, 'Marché de travaux');
    const pieceId = positiveId(params(req).pieceId, 'Pièce');
    const [structureId] = await works.worksStructuresOf(ctx, page.actor, contractId);
    if (!structureId) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Pièce introuvable.');
    return redirect(reply, `${base(structureId, contractId)}/pieces/${pieceId}`);
  });
}
