import type { Executor } from '../db/open-database.ts';
import type { Invoice } from '../formats/index.ts';
import { chorusFindings, type InvoiceDocument } from '../validation/index.ts';
import { invoicingRequirements, listServicesOf, serviceIsValidOn } from '../structures/index.ts';
import { fieldOfFinding, type DepositIssue } from './structured-file.ts';

/**
 * Rules of the Chorus Pro set (CPRO-*) about data the draft may still receive: a missing service code or legal
 * commitment (BT-10, BT-13) can be completed on a draft, so they warn at deposit; the checks before sending decide.
 */
const COMPLETABLE = new Set(['CPRO-04', 'CPRO-05', 'CPRO-06']);

/**
 * The Chorus Pro pre-deposit rule set (src/validation/chorus, CPRO-01…15) run on a structured invoice with the
 * recipient's directory parameters and active services: fatal findings refuse the deposit, the others are warnings,
 * each a French message keyed by the invoice's field. The file's document and model are those of readStructuredFile.
 */
export async function chorusIssues(
  db: Executor,
  file: { document: InvoiceDocument; read: { invoice: Invoice } },
  recipient: { id: number; code_service_doit_etre_renseigne: boolean; numero_ej_doit_etre_renseigne: boolean; gestion_numero_ej_ou_code_service: boolean },
  today: string,
  /** The recipient's services when the caller has read them (a batch reads them once per recipient). */
  known?: Awaited<ReturnType<typeof listServicesOf>>,
): Promise<{ fatal: DepositIssue[]; warnings: DepositIssue[] }> {
  const services = known ?? (await listServicesOf(db, recipient.id));
  const findings = chorusFindings(file.read.invoice, file.document, {
    ...invoicingRequirements(recipient),
    services: services.map((s) => ({ code: s.code, active: serviceIsValidOn(s, today), ej: s.numero_ej_doit_etre_renseigne })),
  });
  const fatal: DepositIssue[] = [];
  const warnings: DepositIssue[] = [];
  for (const f of findings) {
    const issue: DepositIssue = { code: 'CPRO_RULE', field: fieldOfFinding(f), message: f.messageFr, rule: f.rule, location: f.location };
    if (f.flag === 'fatal' && !COMPLETABLE.has(f.rule)) fatal.push(issue);
    else warnings.push({ ...issue, code: 'CPRO_WARNING' });
  }
  return { fatal, warnings };
}
