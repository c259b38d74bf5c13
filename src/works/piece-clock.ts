import type { WorksFrameworkInfo } from '../invoices/index.ts';
import { DEADLINE_INFO, deadlineState, type DeadlineKind, type WorksDeadlines } from './deadlines.ts';

/**
 * The clock running on a piece in its current status, as the works clocks job reads it (clocks.ts): the
 * MOE's 7 days (monthly) or the MOA's time to notify the décompte général (final), the MOA's validation,
 * the answer to the titulaire's tacit projet, the titulaire's signature of the DG, the payment delay from
 * the MOE's receipt of the first piece of the chain. Pure.
 */
export interface PieceClock {
  kind: DeadlineKind;
  label: string;
  party: string;
  dueDay: string;
  daysLeft: number;
  late: boolean;
}

const PAYER_OPEN = ['MISE_A_DISPOSITION', 'COMPLETEE', 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE', 'COMPTABILISEE', 'SUSPENDUE'];

export function pieceClock(
  p: { status: string; framework: string; moeReceivedAt: Date | null; depositedAt: Date | null; createdAt: Date },
  info: WorksFrameworkInfo | undefined,
  deadlines: WorksDeadlines,
  now: Date,
  chainStart: Date | null,
): PieceClock | null {
  if (!info) return null;
  const at = (kind: DeadlineKind, start: Date | null): PieceClock => ({ kind, label: DEADLINE_INFO[kind].label, party: DEADLINE_INFO[kind].party, ...deadlineState(start ?? p.createdAt, deadlines[kind], now) });
  if (p.status === 'MISE_A_DISPOSITION_MOE' || p.status === 'PRISE_EN_COMPTE_MOE')
    return at(info.phase === 'MENSUEL' ? 'MOE_ETAT_ACOMPTE' : 'MOA_DECOMPTE_GENERAL', p.moeReceivedAt ?? p.depositedAt);
  if (p.status === 'MISE_A_DISPOSITION_MOA' || p.status === 'PRISE_EN_COMPTE_MOA')
    return at(info.tacit ? 'MOA_DG_APRES_PROCEDURE_TACITE' : 'MOA_VALIDATION', p.depositedAt);
  if (p.status === 'A_ASSOCIER_FOURNISSEUR') return at('TITULAIRE_SIGNATURE_DG', p.depositedAt);
  if (info.destination === 'PAYEUR' && PAYER_OPEN.includes(p.status)) return at('PAIEMENT', chainStart ?? p.depositedAt);
  return null;
}
