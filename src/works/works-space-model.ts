import { WORKS_FRAMEWORK_INFO, type WorksFramework } from '../invoices/index.ts';
import type { WorksAccess } from './access.ts';

/**
 * Pure rules of a structure's space « Factures de travaux »: the sides a structure holds on a works
 * contract, and the pieces that wait for it. No database, no clock.
 */
export interface WorksSide {
  side: 'FOURNISSEUR' | 'MOE' | 'MOA' | 'PAYEUR' | 'ACHETEUR';
  /** May deposit and act (« Factures de travaux » in modification, « Factures reçues » for the payer). */
  acts: boolean;
}
export const SIDE_LABELS: Record<WorksSide['side'], string> = {
  FOURNISSEUR: 'Entreprise', MOE: "Maître d'œuvre", MOA: "Maître de l'ouvrage", PAYEUR: 'Payeur', ACHETEUR: 'Acheteur',
};

/** The sides the structure holds on the contract, as the actor sees them through it. */
export function sidesOf(access: WorksAccess, structureId: number): WorksSide[] {
  const w = access.works;
  const out: WorksSide[] = [];
  if (access.company.sees.includes(structureId)) out.push({ side: 'FOURNISSEUR', acts: access.company.acts.includes(structureId) });
  if (w.moe_structure_id === structureId && access.moe.sees) out.push({ side: 'MOE', acts: access.moe.acts });
  if (w.moa_structure_id === structureId && access.moa.sees) out.push({ side: 'MOA', acts: access.moa.acts });
  if (w.payer_structure_id === structureId && access.payer) out.push({ side: 'PAYEUR', acts: false });
  if (w.buyer_structure_id === structureId && access.buyerManages && !out.length) out.push({ side: 'ACHETEUR', acts: false });
  return out;
}

const WAITING: Record<WorksSide['side'], string[]> = {
  MOE: ['MISE_A_DISPOSITION_MOE', 'PRISE_EN_COMPTE_MOE'],
  MOA: ['MISE_A_DISPOSITION_MOA', 'PRISE_EN_COMPTE_MOA'],
  // The company: a général statement to sign, a refusal to read, an absent MOE to stand in for.
  FOURNISSEUR: ['A_ASSOCIER_FOURNISSEUR', 'REFUSEE_MOE', 'REFUSEE_MOA', 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE', 'A_ASSOCIER_MOE'],
  PAYEUR: ['MISE_A_DISPOSITION', 'SUSPENDUE', 'COMPLETEE', 'SERVICE_FAIT', 'MANDATEE'],
  ACHETEUR: [],
};

/** A piece waits for the structure when it is in a status where the structure's side has to act. */
export function waitsFor(p: { status: string; framework: string; supplier: { id: number } }, sides: WorksSide[], structureId: number): boolean {
  return sides.some((s) => {
    if (!WAITING[s.side].includes(p.status)) return false;
    if (s.side === 'FOURNISSEUR') return s.acts && p.supplier.id === structureId;
    if (s.side === 'PAYEUR') return WORKS_FRAMEWORK_INFO[p.framework as WorksFramework]?.destination === 'PAYEUR';
    return s.acts;
  });
}
