import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Ctx } from '../context.ts';
import * as invoices from '../invoices/index.ts';
import { AppError } from '../shared/app-error.ts';
import { Csrf, ErrorSummary, Layout } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { positiveId } from './structure-frame.tsx';

/** A file field of a multipart form parsed with attachFieldsToBody. */
interface FilePart { filename?: string; _buf?: Buffer; file?: { truncated?: boolean } }
const bodyOf = (req: FastifyRequest) => (req.body ?? {}) as Record<string, { value?: unknown } & FilePart>;

/** The CSRF token of a multipart form is a field object: give the CSRF check its plain value. */
export async function csrfOfMultipart(req: FastifyRequest) {
  const b = req.body as Record<string, { value?: unknown }> | undefined;
  if (b && typeof b._csrf === 'object' && b._csrf) (b as Record<string, unknown>)._csrf = String(b._csrf.value ?? '');
}

/** The file of a multipart form, or a French field error. */
export function uploadedFile(req: FastifyRequest, name: string, maxBytes: number, tooLarge: (filename: string) => string): { filename: string; bytes: Buffer } {
  const part = bodyOf(req)[name];
  if (!part || !part.filename || !part._buf?.byteLength) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Choisissez un fichier.', { [name]: 'Choisissez un fichier.' });
  if (part.file?.truncated || part._buf.byteLength > maxBytes) throw new AppError('TOO_LARGE', 'FILE_TOO_LARGE', tooLarge(part.filename), { [name]: tooLarge(part.filename) });
  return { filename: part.filename, bytes: part._buf };
}
export const fieldValue = (req: FastifyRequest, name: string) => String(bodyOf(req)[name]?.value ?? '');

export const DepositForms = ({ page, structureId, form }: { page: PageContext; structureId: number; form: FormState }) => (
  <>
    <ErrorSummary form={form} />
    <form method="post" action={`/structures/${structureId}/factures-emises/deposer`} enctype="multipart/form-data">
      <Csrf token={page.csrf} />
      <fieldset>
        <legend>Une facture structurée</legend>
        <p class="hint">Factur-X (PDF/A-3 avec le XML), UBL 2.1 ou CII D16B ; 10 Mo au plus. Les données sont lues dans le XML et contrôlées selon la norme EN 16931 ;
          la facture est enregistrée au statut « Brouillon », les champs fixés par le fichier sont verrouillés.</p>
        <div class={form.errors.file ? 'field has-error' : 'field'}>
          <label for="file">Fichier de la facture</label>
          {form.errors.file ? <p class="error" id="file-erreur">{form.errors.file}</p> : null}
          <input id="file" name="file" type="file" accept=".pdf,.xml,application/pdf,application/xml,text/xml" aria-describedby={form.errors.file ? 'file-erreur' : undefined} />
        </div>
        <button type="submit">Déposer la facture</button>
      </fieldset>
    </form>
    <form method="post" action={`/structures/${structureId}/factures-emises/lots`} enctype="multipart/form-data">
      <Csrf token={page.csrf} />
      <fieldset>
        <legend>Un lot de factures</legend>
        <p class="hint">Archive zip ou tar.gz de fichiers Factur-X, UBL ou CII ({invoices.ARCHIVE_LIMITS.maxArchiveBytes / 1024 / 1024} Mo et {invoices.ARCHIVE_LIMITS.maxEntries} fichiers au plus).
          Le lot est traité en arrière-plan ; un compte rendu donne le résultat de chaque fichier.</p>
        <div class={form.errors.archive ? 'field has-error' : 'field'}>
          <label for="archive">Archive du lot</label>
          {form.errors.archive ? <p class="error" id="archive-erreur">{form.errors.archive}</p> : null}
          <input id="archive" name="archive" type="file" accept=".zip,.gz,.tgz,application/zip,application/gzip" aria-describedby={form.errors.archive ? 'archive-erreur' : undefined} />
        </div>
        <div class="checkbox"><input type="checkbox" id="envoyer" name="envoyer" value="oui" /><label for="envoyer">Envoyer chaque facture acceptée sans repasser par le brouillon</label></div>
        <button type="submit">Déposer le lot</button>
      </fieldset>
    </form>
  </>
);

const BATCH_STATUS = { RECU: 'Reçu', EN_COURS: 'En cours de traitement', TRAITE: 'Traité', REJETE: 'Refusé' } as const;
const ITEM_RESULT = { ACCEPTEE: 'Facture créée', DEJA_DEPOSEE: 'Déjà déposée', REFUSEE: 'Refusée' } as const;

/** The problems of a refused file, each with the field it concerns and the rule that fired. */
export const DepositIssues = ({ issues }: { issues: invoices.DepositIssue[] }) =>
  issues.length ? (
    <section aria-labelledby="controles">
      <h2 id="controles">Contrôles en échec</h2>
      <ul class="issues">
        {issues.slice(0, 50).map((e) => <li>{e.rule ? <code>{e.rule}</code> : null}{e.rule ? ' ' : ''}{e.message}</li>)}
      </ul>
      {issues.length > 50 ? <p class="hint">… et {issues.length - 50} autres.</p> : null}
    </section>
  ) : null;

/** « Déposer une facture »: a structured file (Factur-X, UBL, CII) on the portal. */
export async function invoiceDepositsPages(app: FastifyInstance, ctx: Ctx) {
  const page = (p: PageContext, structureId: number, form: FormState, issues: invoices.DepositIssue[] = [], batches: Awaited<ReturnType<typeof invoices.listInvoiceBatches>> = []) => (
    <Layout title="Déposer une facture" user={p.user} unread={p.unread}>
      <p class="hint"><a href={`/structures/${structureId}/factures-emises`}>Factures émises</a></p>
      <h1>Déposer une facture</h1>
      <p>Une facture en PDF (sans données structurées) : <a href={`/structures/${structureId}/factures-emises/deposer-pdf`}>Déposer une facture PDF avec ses données</a>.</p>
      <DepositForms page={p} structureId={structureId} form={form} />
      <DepositIssues issues={issues} />
      {batches.length ? (
        <section aria-labelledby="lots">
          <h2 id="lots">Derniers lots</h2>
          <ul>{batches.map((b) => <li><a href={`/structures/${structureId}/factures-emises/lots/${b.id}`}>{b.filename}</a> — {BATCH_STATUS[b.status]}{b.status === 'TRAITE' ? ` : ${b.accepted_count} acceptée(s), ${b.refused_count} refusée(s)` : ''}</li>)}</ul>
        </section>
      ) : null}
    </Layout>
  );
  app.get('/structures/:id/factures-emises/deposer', async (req, reply) => {
    const p = await requirePage(ctx, req, reply);
    if (!p) return;
    const id = positiveId((req.params as Record<string, string>).id);
    await invoices.searchInvoices(ctx, p.actor, { side: 'EMISES', structureId: id, pageSize: 1 });
    return sendPage(reply, page(p, id, emptyForm(), [], await invoices.listInvoiceBatches(ctx, p.actor, id)));
  });

  app.get('/structures/:id/factures-emises/lots/:batchId', async (req, reply) => {
    const p = await requirePage(ctx, req, reply);
    if (!p) return;
    const id = positiveId((req.params as Record<string, string>).id);
    const r = await invoices.getInvoiceBatch(ctx, p.actor, positiveId((req.params as Record<string, string>).batchId, 'Lot'));
    if (r.batch.supplier_structure_id !== id) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Lot introuvable.');
    const b = r.batch;
    return sendPage(reply, (
      <Layout title={`Lot ${b.filename}`} user={p.user} unread={p.unread}>
        <p class="hint"><a href={`/structures/${id}/factures-emises`}>Factures émises</a> · <a href={`/structures/${id}/factures-emises/deposer`}>Déposer une facture</a></p>
        <h1>Lot « {b.filename} »</h1>
        <p role="status">Statut : <strong>{BATCH_STATUS[b.status]}</strong>{b.status === 'TRAITE' ? ` — ${b.file_count} fichier(s) : ${b.accepted_count} accepté(s), ${b.refused_count} refusé(s).` : ''}</p>
        {b.error_message ? <p class="error">{b.error_message}</p> : null}
        {b.status === 'RECU' || b.status === 'EN_COURS' ? <p class="hint">Le lot est en cours de traitement : rechargez la page dans quelques instants.</p> : null}
        {r.items.length ? (
          <table>
            <caption>Compte rendu par fichier</caption>
            <thead><tr><th scope="col">N°</th><th scope="col">Fichier</th><th scope="col">Résultat</th><th scope="col">Détail</th></tr></thead>
            <tbody>
              {r.items.map((i) => (
                <tr>
                  <td>{i.position}</td>
                  <td>{i.path}</td>
                  <td>{ITEM_RESULT[i.result]}</td>
                  <td>
                    {i.invoice_id ? <a href={`/structures/${id}/factures-emises/${i.invoice_id}`}>Facture {i.invoice_number}</a> : null}
                    {i.result === 'REFUSEE' ? <>{i.message}{i.errors.length > 1 || (i.errors[0] && i.errors[0].message !== i.message) ? <ul>{i.errors.slice(0, 20).map((e) => <li>{e.rule ? <code>{e.rule}</code> : null} {e.message}</li>)}</ul> : null}</> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Layout>
    ));
  });

  await app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: true, limits: { fileSize: invoices.ATTACHMENT_RULES.maxFileBytes, files: 1, fields: 10 }, throwFileSizeLimit: false });
    scope.post('/structures/:id/factures-emises/deposer', { preHandler: [csrfOfMultipart, app.csrfProtection] }, async (req: FastifyRequest, reply: FastifyReply) => {
      const p = await requirePage(ctx, req, reply);
      if (!p) return;
      const id = positiveId((req.params as Record<string, string>).id);
      let result: invoices.StructuredDepositResult | null = null;
      const failed = await attempt({}, async () => {
        const file = uploadedFile(req, 'file', invoices.ATTACHMENT_RULES.maxFileBytes, invoices.fileTooLargeMessage);
        result = await invoices.depositStructuredInvoice(ctx, p.actor, id, file, { channel: 'PORTAIL' });
      });
      if (failed) return sendPage(reply, page(p, id, failed.form), failed.status);
      const r = result as unknown as invoices.StructuredDepositResult;
      if (!r.ok) return sendPage(reply, page(p, id, { values: {}, errors: { file: r.message }, message: 'Le fichier est refusé.' }, r.errors), r.code === 'INVOICE_NUMBER_TAKEN' ? 409 : 400);
      return redirect(reply, `/structures/${id}/factures-emises/${r.invoiceId}?ok=${r.duplicate ? 'deja' : 'depot'}`);
    });
  });

  await app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: true, limits: { fileSize: invoices.ARCHIVE_LIMITS.maxArchiveBytes, files: 1, fields: 10 }, throwFileSizeLimit: false });
    scope.post('/structures/:id/factures-emises/lots', { preHandler: [csrfOfMultipart, app.csrfProtection] }, async (req: FastifyRequest, reply: FastifyReply) => {
      const p = await requirePage(ctx, req, reply);
      if (!p) return;
      const id = positiveId((req.params as Record<string, string>).id);
      let batchId = 0;
      const failed = await attempt({}, async () => {
        const file = uploadedFile(req, 'archive', invoices.ARCHIVE_LIMITS.maxArchiveBytes, (name) => `L'archive « ${name} » est trop volumineuse.`);
        try {
          batchId = (await invoices.depositInvoiceBatch(ctx, p.actor, id, file, { channel: 'PORTAIL', submit: fieldValue(req, 'envoyer') === 'oui' })).batchId;
        } catch (err) {
          if (err instanceof AppError && err.fields?.file) throw new AppError(err.kind, err.code, err.userMessage, { archive: err.fields.file });
          throw err;
        }
      });
      if (failed) return sendPage(reply, page(p, id, failed.form, [], await invoices.listInvoiceBatches(ctx, p.actor, id)), failed.status);
      return redirect(reply, `/structures/${id}/factures-emises/lots/${batchId}`);
    });
  });
}
