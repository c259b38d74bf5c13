import * as invoices from '../invoices/index.ts';
import { Csrf, ErrorSummary, Field, Select } from './components.tsx';
import type { FormState } from './render.ts';

type Terms = Awaited<ReturnType<typeof invoices.getPaymentTerms>>;

export const paymentTermsValues = (t: Terms) => ({ payerCategory: t.payerCategory ?? 'COLLECTIVITE_TERRITORIALE', delayDays: t.ownDelayDays ? String(t.ownDelayDays) : '' });

/**
 * « Délai de paiement » in a public structure's parameters: the legal delay of its category (30 days for the State
 * and local authorities, 50 for public hospitals) or its own shorter one; its principal manager sets them.
 */
export const PaymentTermsSection = ({ structureId, terms, canEdit, csrf, form }: { structureId: number; terms: Terms; canEdit: boolean; csrf: string; form: FormState }) => (
  <section aria-labelledby="delai-paiement">
    <h2 id="delai-paiement">Délai de paiement</h2>
    <p>
      Les factures reçues sont à payer dans un délai de <strong>{terms.delayDays} jours</strong> à compter de leur dépôt
      {terms.payerCategory ? ` (${invoices.PAYER_CATEGORY_LABELS[terms.payerCategory]}${terms.ownDelayDays ? `, délai propre de ${terms.ownDelayDays} jours` : ''})` : ' (catégorie non renseignée : 30 jours, délai de l’État et des collectivités territoriales)'}.
      Une suspension arrête le délai ; au-delà, des intérêts moratoires et l’indemnité forfaitaire de 40 € sont dus au fournisseur.
    </p>
    {canEdit ? (
      <form method="post" action={`/structures/${structureId}/parametres/delai-paiement`} novalidate>
        <Csrf token={csrf} />
        <ErrorSummary form={form} />
        <Select name="payerCategory" label="Catégorie d'acheteur" form={form} required options={invoices.PAYER_CATEGORIES.map((c) => ({ value: c, label: invoices.PAYER_CATEGORY_LABELS[c] }))} />
        <Field name="delayDays" label="Délai propre, en jours (facultatif)" form={form} inputmode="numeric" hint="Plus court que le délai légal de la catégorie ; vide : le délai légal s'applique." />
        <button type="submit">Enregistrer le délai de paiement</button>
      </form>
    ) : null}
  </section>
);
