import * as invoices from '../invoices/index.ts';
import { Csrf, Field } from './components.tsx';
import type { PageContext } from './guards.ts';
import type { FormState } from './render.ts';

const CONTAINER = { FACTURX: 'Factur-X (PDF/A-3)', XML: 'XML' } as const;

/** What a structured file decides on an invoice, and the completion form of what it does not say. */
export const StructuredSource = ({ page, base, source, invoice, canComplete, form }: {
  page: PageContext; base: string; source: NonNullable<Awaited<ReturnType<typeof invoices.getInvoice>>['structuredSource']>;
  invoice: invoices.InvoiceRow; canComplete: boolean; form: FormState;
}) => {
  const open = (['serviceCode', 'ejNumber'] as const).filter((f) => !source.locked.includes(f));
  const values = { serviceCode: invoice.service_code ?? '', ejNumber: invoice.ej_number ?? '', comment: invoice.comment ?? '', ...form.values };
  return (
    <section aria-labelledby="fichier-structure">
      <h2 id="fichier-structure">Fichier structuré</h2>
      <p>
        {CONTAINER[source.container as keyof typeof CONTAINER] ?? source.container}, syntaxe {source.syntax}, profil {source.profile}. Les données de la facture sont lues dans ce fichier :
        {' '}numéro, dates, devise, destinataire, lignes et montants sont verrouillés{source.locked.includes('serviceCode') ? ', le code service aussi' : ''}{source.locked.includes('ejNumber') ? ", le numéro d'engagement aussi" : ''}.
      </p>
      {source.warnings.length ? (
        <details><summary>{source.warnings.length} avertissement{source.warnings.length > 1 ? 's' : ''} EN 16931</summary>
          <ul>{source.warnings.map((w) => <li>{w.rule ? <code>{w.rule}</code> : null} {w.message}</li>)}</ul></details>
      ) : null}
      {canComplete ? (
        <form method="post" action={`${base}/completer`}>
          <Csrf token={page.csrf} />
          <fieldset>
            <legend>Compléter le brouillon</legend>
            {open.includes('serviceCode') ? <Field name="serviceCode" label="Code service" form={{ values, errors: form.errors }} maxlength={100} hint="Le fichier n'en indique pas (BT-10)." /> : null}
            {open.includes('ejNumber') ? <Field name="ejNumber" label="Numéro d'engagement juridique" form={{ values, errors: form.errors }} maxlength={50} hint="Le fichier n'en indique pas (BT-13)." /> : null}
            <Field name="comment" label="Commentaire" form={{ values, errors: form.errors }} maxlength={200} />
            <button type="submit">Enregistrer</button>
          </fieldset>
        </form>
      ) : null}
    </section>
  );
};
