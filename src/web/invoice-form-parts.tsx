import * as invoices from '../invoices/index.ts';
import { Field, Select } from './components.tsx';
import type { FormState } from './render.ts';

/**
 * Parts shared by the invoice forms (« Saisir une facture », « Déposer une facture PDF »): the recipient with its
 * requirements loaded as soon as its SIRET is typed (htmx), the invoice's header, the upload limits.
 */
export const RecipientFieldset = ({ form }: { form: FormState }) => (
  <fieldset>
    <legend>Destinataire</legend>
    <div class={form.errors.recipientSiret ? 'field has-error' : 'field'}>
      <label for="recipientSiret">SIRET du destinataire<span aria-hidden="true"> *</span></label>
      <p class="hint" id="recipientSiret-aide">14 chiffres ; les exigences du destinataire s'affichent dès sa saisie.</p>
      {form.errors.recipientSiret ? <p class="error" id="recipientSiret-erreur">{form.errors.recipientSiret}</p> : null}
      <input id="recipientSiret" name="recipientSiret" type="text" inputmode="numeric" value={form.values.recipientSiret ?? ''} aria-describedby="recipientSiret-aide"
        hx-get="/factures/exigences" hx-trigger="input changed delay:300ms, change, load" hx-target="#exigences" hx-include="#recipientSiret, #serviceCode" />
    </div>
    <div id="exigences" aria-live="polite"></div>
    <Field name="serviceCode" label="Code service" form={form} maxlength={100} hint="Obligatoire si le destinataire l'exige." />
    <Field name="ejNumber" label="Numéro d'engagement juridique" form={form} maxlength={50} hint="Bon de commande ; obligatoire si le destinataire ou son service l'exige." />
  </fieldset>
);

export const HeaderFieldset = ({ form }: { form: FormState }) => (
  <fieldset>
    <legend>Facture</legend>
    <Select name="framework" label="Cadre de facturation" form={form} options={invoices.FRAMEWORKS.map((f) => ({ value: f, label: invoices.FRAMEWORK_LABELS[f] }))} />
    <Select name="documentType" label="Type de document" form={form} options={invoices.DOCUMENT_TYPES.map((d) => ({ value: d, label: invoices.DOCUMENT_TYPE_LABELS[d] }))} />
    <Field name="originalInvoiceNumber" label="Numéro de la facture d'origine (avoir)" form={form} maxlength={20} hint="Obligatoire pour un avoir : le numéro de la facture qu'il corrige." />
    <Field name="number" label="Numéro de facture" form={form} required maxlength={20} hint="20 caractères au plus : lettres, chiffres, - _ / +" />
    <Field name="invoiceDate" label="Date de facture" form={form} type="date" required />
    <Field name="dueDate" label="Date d'échéance" form={form} type="date" />
    <Field name="currency" label="Devise" form={form} maxlength={3} />
  </fieldset>
);

/** The upload limits as the rules enforce them (one source: ATTACHMENT_RULES). */
export const AttachmentLimits = ({ id }: { id: string }) => <p class="hint" id={id}>Pièces jointes : {invoices.ATTACHMENT_LIMITS_TEXT}</p>;

/** The routing and header fields of a form, as the draft use cases take them. */
export const headerOf = (v: Record<string, string>) => ({
  recipientSiret: v.recipientSiret ?? '', serviceCode: v.serviceCode || null, ejNumber: v.ejNumber || null,
  framework: (v.framework || undefined) as invoices.Framework | undefined, documentType: (v.documentType || undefined) as invoices.DocumentType | undefined,
  originalInvoiceNumber: v.originalInvoiceNumber || null, number: v.number ?? '', invoiceDate: v.invoiceDate ?? '', dueDate: v.dueDate || null,
  currency: v.currency || 'EUR', comment: v.comment || null,
});
