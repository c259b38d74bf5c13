import type { Actor, Ctx } from '../context.ts';
import * as invoices from '../invoices/index.ts';
import { AppError } from '../shared/app-error.ts';
import { ErrorSummary, Field, Select } from './components.tsx';
import type { FormState } from './render.ts';

/** The criteria of « Factures émises / reçues », as the query string carries them (also the export link's). */
export const SEARCH_FIELDS = ['number', 'status', 'counterpart', 'dateFrom', 'dateTo', 'amountMin', 'amountMax'] as const;
export type SearchCriteria = Record<(typeof SEARCH_FIELDS)[number], string>;
export const searchCriteria = (q: Record<string, unknown>): SearchCriteria =>
  Object.fromEntries(SEARCH_FIELDS.map((f) => [f, typeof q[f] === 'string' ? (q[f] as string) : ''])) as SearchCriteria;

/**
 * Runs the search; criteria people mistyped (a date, an amount) come back as the form's errors with no
 * result instead of an error page.
 */
export async function searchForPage(ctx: Ctx, actor: Actor, input: { side: 'EMISES' | 'RECUES'; structureId: number; page?: number } & SearchCriteria) {
  const form: FormState = { values: searchCriteria(input), errors: {} };
  try {
    return { r: await invoices.searchInvoices(ctx, actor, input), form };
  } catch (err) {
    if (!(err instanceof AppError) || err.kind !== 'VALIDATION') throw err;
    const r = await invoices.searchInvoices(ctx, actor, { side: input.side, structureId: input.structureId, pageSize: 1 });
    return { r: { ...r, invoices: [], total: 0 }, form: { ...form, errors: err.fields ?? {}, message: 'Corrigez les critères de recherche.' } };
  }
}

export const SearchFields = ({ side, form, statusOptions }: { side: 'EMISES' | 'RECUES'; form: FormState; statusOptions: Array<{ value: string; label: string }> }) => (
  <>
    <ErrorSummary form={form} />
    <Field name="number" label="Numéro (début)" form={form} />
    <Select name="status" label="Statut" form={form} options={statusOptions} />
    <Field name="counterpart" label={side === 'EMISES' ? 'Destinataire (nom ou SIRET)' : 'Fournisseur (nom ou SIRET)'} form={form} />
    <Field name="dateFrom" label="Date de facture, du" form={form} type="date" />
    <Field name="dateTo" label="au" form={form} type="date" />
    <Field name="amountMin" label="Montant TTC, de" form={form} inputmode="text" hint="En euros, par exemple 1200,50" />
    <Field name="amountMax" label="à" form={form} inputmode="text" />
  </>
);
