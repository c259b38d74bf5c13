import type { Executor } from '../db/open-database.ts';
import { designateValidators, loadContract } from '../contracts/index.ts';
import { depositKind, isValidated } from './validation-effects.ts';
import { findValidation } from './validation-repository.ts';
import type { InvoiceRow } from './repository.ts';

/**
 * The deposit checks of an invoice under a contract (issue 7), each a French message keyed by field:
 * A9 / A12 name a contract of the recipient; the depositor is declared on it as a first-rank subcontractor
 * with direct payment (A9) or as a co-traitant (A12); the named validator is the one the contract designates.
 * A global payment request (A1 naming a contract) is deposited by the groupement's mandataire.
 * Only at the first deposit: a recycled invoice keeps the circuit it went through.
 */
export async function checkValidationCircuit(db: Executor, inv: InvoiceRow): Promise<Record<string, string>> {
  if (inv.status !== 'BROUILLON') return {};
  const v = await findValidation(db, inv.id);
  if (!v) return checksWithoutContract(inv);
  const c = await loadContract(db, v.contract_id);
  if (!c || c.contract.buyer.id !== inv.recipient_structure_id) return { contractNumber: `Marché : le marché ${v.contract_number} n'est pas un marché de ${inv.recipient_name}.` };
  if (!isValidated(inv.framework)) {
    const me = c.parties.find((p) => p.structureId === inv.supplier_structure_id);
    return me?.role === 'MANDATAIRE' ? {} : { contractNumber: `Marché ${c.contract.number} : seul le mandataire du groupement dépose une demande de paiement globale.` };
  }
  const d = designateValidators(c.parties, inv.supplier_structure_id, depositKind(inv.framework));
  if (!d.ok) return { contractNumber: `Marché ${c.contract.number} : ${d.message}` };
  if (v.validator_structure_id !== d.validators[0]) {
    const p = c.contract.parties.find((x) => x.structure.id === d.validators[0]);
    return { validatorSiret: `Valideur : le marché ${c.contract.number} désigne ${p?.structure.name} (SIRET ${p?.structure.identifier}) pour valider vos factures.` };
  }
  return {};
}

/** The same checks for an invoice that names no contract (a new structured deposit). */
export const checksWithoutContract = (inv: Pick<InvoiceRow, 'framework'>): Record<string, string> =>
  isValidated(inv.framework) ? { contractNumber: 'Marché : une facture de sous-traitance ou de cotraitance indique le numéro du marché et la structure qui la valide.' } : {};
