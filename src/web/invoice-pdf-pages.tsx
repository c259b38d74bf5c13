import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Ctx } from '../context.ts';
import * as invoices from '../invoices/index.ts';
import { Csrf, ErrorSummary, Field, Layout, Select } from './components.tsx';
import { requirePage, type PageContext } from './guards.ts';
import { emptyForm, redirect, sendPage, type FormState } from './render.ts';
import { attempt } from './attempt.ts';
import { positiveId } from './structure-frame.tsx';
import { csrfOfMultipart } from './invoice-deposits-pages.tsx';
import { AttachmentLimits, HeaderFieldset, RecipientFieldset, headerOf } from './invoice-form-parts.tsx';

/** A part of a multipart form parsed with attachFieldsToBody (one object, or an array for a repeated name). */
interface Part { type?: 'file' | 'field'; filename?: string; mimetype?: string; value?: unknown; _buf?: Buffer; file?: { truncated?: boolean } }
const partsOf = (req: FastifyRequest, name: string): Part[] => {
  const p = ((req.body ?? {}) as Record<string, Part | Part[]>)[name];
  return p === undefined ? [] : Array.isArray(p) ? p : [p];
};
/** The text fields of a multipart form. */
export const multipartValues = (req: FastifyRequest): Record<string, string> =>
  Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, Part | Part[]>).flatMap(([k, p]) => (!Array.isArray(p) && p && p.type === 'field' && k !== '_csrf' ? [[k, String(p.value ?? '')]] : [])));
/** The files chosen in a file input (an input left empty sends a nameless part: skipped); a file over the limit is flagged. */
export const multipartFiles = (req: FastifyRequest, name: string): invoices.UploadedFile[] =>
  partsOf(req, name)
    .filter((p) => p.type === 'file' && p.filename)
    .map((p) => ({ filename: p.filename!, mediaType: p.mimetype ?? 'application/octet-stream', bytes: p.file?.truncated ? Buffer.alloc(0) : (p._buf ?? Buffer.alloc(0)), tooLarge: !!p.file?.truncated }));
/** Multipart limits of the invoice forms: the per-file limit of the rules, a main document and 20 others. */
export const UPLOAD_LIMITS = { fileSize: invoices.ATTACHMENT_RULES.maxFileBytes, files: 21, fields: 60 };

const VAT_ROWS = 3;

/** « Déposer une facture PDF »: the main PDF, its metadata (routing, header, amounts per VAT rate) and complementary documents. */
const PdfForm = ({ page, structureId, form }: { page: PageContext; structureId: number; form: FormState }) => (
  <>
    <ErrorSummary form={form} />
    <form method="post" action={`/structures/${structureId}/factures-emises/deposer-pdf`} enctype="multipart/form-data" novalidate>
      <Csrf token={page.csrf} />
      <fieldset>
        <legend>Fichiers</legend>
        <AttachmentLimits id="limites-pieces" />
        <div class={form.errors.mainDocument ? 'field has-error' : 'field'}>
          <label for="mainDocument">Facture au format PDF (pièce principale)<span aria-hidden="true"> *</span></label>
          {form.errors.mainDocument ? <p class="error" id="mainDocument-erreur">{form.errors.mainDocument}</p> : null}
          <input id="mainDocument" name="mainDocument" type="file" accept=".pdf,application/pdf" aria-describedby="limites-pieces" />
        </div>
        <div class={form.errors.attachments ? 'field has-error' : 'field'}>
          <label for="attachments">Pièces complémentaires (facultatives)</label>
          {form.errors.attachments ? <p class="error" id="attachments-erreur">{form.errors.attachments}</p> : null}
          <input id="attachments" name="attachments" type="file" multiple accept={invoices.ATTACHMENT_ACCEPT} aria-describedby="limites-pieces" />
        </div>
        <p class="hint">Pour votre sécurité, les fichiers sont à choisir de nouveau si le formulaire est renvoyé avec des erreurs.</p>
      </fieldset>
      <RecipientFieldset form={form} />
      <HeaderFieldset form={form} />
      <fieldset>
        <legend>Montants par taux de TVA</legend>
        <p class="hint">Recopiez le récapitulatif de TVA de la facture : base HT et montant de TVA par taux. Les totaux laissés vides en sont les sommes (HT, TVA, puis TTC = HT + TVA).</p>
        {Array.from({ length: VAT_ROWS }, (_, i) => (
          <fieldset class="line">
            <legend>Taux {i + 1}</legend>
            <Select name={`vatBreakdown.${i}.vatRate`} label={`Taux de TVA (taux ${i + 1})`} form={form} options={invoices.VAT_RATES.map((r) => ({ value: r, label: `${r.replace('.', ',')} %` }))} />
            <Field name={`vatBreakdown.${i}.taxableAmount`} label={`Base HT (taux ${i + 1})`} form={form} inputmode="text" />
            <Field name={`vatBreakdown.${i}.vatAmount`} label={`Montant de TVA (taux ${i + 1})`} form={form} inputmode="text" />
          </fieldset>
        ))}
        <Field name="totalWithoutVat" label="Total HT" form={form} inputmode="text" />
        <Field name="totalVat" label="Total TVA" form={form} inputmode="text" />
        <Field name="totalWithVat" label="Total TTC" form={form} inputmode="text" />
        <Field name="prepaidAmount" label="Montant déjà payé (acompte)" form={form} inputmode="text" />
        <Field name="amountDue" label="Net à payer" form={form} inputmode="text" hint="Vide : total TTC moins le montant déjà payé." />
      </fieldset>
      <Field name="comment" label="Commentaire" form={form} maxlength={200} />
      <button type="submit">Enregistrer le brouillon</button>
    </form>
  </>
);

function pdfDraftOf(structureId: number, v: Record<string, string>): invoices.DraftInput {
  const vatBreakdown = [];
  for (let i = 0; i < VAT_ROWS; i++) {
    const row = { vatRate: v[`vatBreakdown.${i}.vatRate`] ?? '20', taxableAmount: v[`vatBreakdown.${i}.taxableAmount`] ?? '', vatAmount: v[`vatBreakdown.${i}.vatAmount`] ?? '' };
    if (row.taxableAmount || row.vatAmount) vatBreakdown.push(row);
  }
  return {
    supplierStructureId: structureId, ...headerOf(v), depositMode: 'DEPOT_PDF_PORTAIL', prepaidAmount: v.prepaidAmount || null,
    totals: { totalWithoutVat: v.totalWithoutVat || null, totalVat: v.totalVat || null, totalWithVat: v.totalWithVat || null, amountDue: v.amountDue || null, vatBreakdown },
  };
}

export async function invoicePdfPages(app: FastifyInstance, ctx: Ctx) {
  const page = (p: PageContext, structureId: number, form: FormState) => (
    <Layout title="Déposer une facture PDF" user={p.user} unread={p.unread}>
      <p class="hint"><a href={`/structures/${structureId}/factures-emises`}>Factures émises</a> · <a href={`/structures/${structureId}/factures-emises/deposer`}>Déposer une facture structurée</a></p>
      <h1>Déposer une facture PDF</h1>
      <p>La facture est enregistrée au statut « Brouillon » avec ses pièces ; vous la vérifiez puis la validez et l'envoyez.</p>
      <PdfForm page={p} structureId={structureId} form={form} />
    </Layout>
  );
  app.get('/structures/:id/factures-emises/deposer-pdf', async (req, reply) => {
    const p = await requirePage(ctx, req, reply);
    if (!p) return;
    const id = positiveId((req.params as Record<string, string>).id);
    await invoices.searchInvoices(ctx, p.actor, { side: 'EMISES', structureId: id, pageSize: 1 });
    return sendPage(reply, page(p, id, emptyForm({ currency: 'EUR', framework: 'A1_FACTURE_FOURNISSEUR', documentType: 'FACTURE' })));
  });

  await app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: true, limits: UPLOAD_LIMITS, throwFileSizeLimit: false });
    scope.post('/structures/:id/factures-emises/deposer-pdf', { preHandler: [csrfOfMultipart, app.csrfProtection] }, async (req: FastifyRequest, reply: FastifyReply) => {
      const p = await requirePage(ctx, req, reply);
      if (!p) return;
      const id = positiveId((req.params as Record<string, string>).id);
      const values = multipartValues(req);
      let invoiceId = 0;
      const failed = await attempt(values, async () => {
        const [main] = multipartFiles(req, 'mainDocument');
        invoiceId = (await invoices.depositPdfInvoice(ctx, p.actor, pdfDraftOf(id, values), main ?? null, multipartFiles(req, 'attachments'))).invoiceId;
      });
      if (failed) return sendPage(reply, page(p, id, failed.form), failed.status);
      return redirect(reply, `/structures/${id}/factures-emises/${invoiceId}?ok=brouillon`);
    });
  });
}
