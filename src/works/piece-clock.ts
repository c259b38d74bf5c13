import type { WorksFrameworkInfo } from '../invoices/index.ts';
import { DEADLINE_INFO, deadlineState, type DeadlineKind, type WorksDeadlines } from './deadlines.ts';

/**
 * The clock running on a piece in its current status, as the works clocks job (clocks.ts) and the billing
 * file read it: the MOE's 7 days (monthly) or the MOA's time to notify the décompte général (final), the
 * MOA's validation, the answer to the titulaire's tacit projet, the titulaire's signature of the DG, the
 * payment delay from the MOE's receipt of the first piece of the chain. Pure.
 */
export interface PieceClock {
  kind: DeadlineKind;
  label: string;
  party: string;
  dueDay: string;
  daysLeft: number;
  late: boolean;
}

export interface ClockedPiece {
  status: string;
  moeReceivedAt: Date | null;
  depositedAt: Date | null;
  createdAt: Date;
}

/** The statuses in which a piece sent to the payer waits for its payment. */
export const PAYER_OPEN_STATUSES = ['MISE_A_DISPOSITION', 'COMPLETEE', 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE', 'COMPTABILISEE', 'SUSPENDUE'];

export const isMoeStatus = (status: string) => status === 'MISE_A_DISPOSITION_MOE' || status === 'PRISE_EN_COMPTE_MOE';
const isMoaStatus = (status: string) => status === 'MISE_A_DISPOSITION_MOA' || status === 'PRISE_EN_COMPTE_MOA';

/** The deadline running on a piece in its status, if any. */
export function runningDeadlineKind(status: string, info: WorksFrameworkInfo): DeadlineKind | null {
  if (isMoeStatus(status)) return info.phase === 'MENSUEL' ? 'MOE_ETAT_ACOMPTE' : 'MOA_DECOMPTE_GENERAL';
  if (isMoaStatus(status)) return info.tacit ? 'MOA_DG_APRES_PROCEDURE_TACITE' : 'MOA_VALIDATION';
  if (status === 'A_ASSOCIER_FOURNISSEUR') return 'TITULAIRE_SIGNATURE_DG';
  if (info.destination === 'PAYEUR' && PAYER_OPEN_STATUSES.includes(status)) return 'PAIEMENT';
  return null;
}

/** The deadline running on a piece and the instant it starts from; `chainStart` is the start of the chain's payment delay. */
export function runningDeadline(p: ClockedPiece, info: WorksFrameworkInfo, chainStart: Date | null): { kind: DeadlineKind; start: Date } | null {
  const kind = runningDeadlineKind(p.status, info);
  if (!kind) return null;
  const start = kind === 'PAIEMENT' ? chainStart ?? p.depositedAt : kind === 'MOE_ETAT_ACOMPTE' || kind === 'MOA_DECOMPTE_GENERAL' ? p.moeReceivedAt ?? p.depositedAt : p.depositedAt;
  return { kind, start: start ?? p.createdAt };
}

/** The first piece of a piece's chain (the payment delay runs from its receipt by the MOE). */
export function chainRoot<P extends { invoice_id: number; previous_invoice_id: number | null }>(p: P, chain: P[]): P {
  let root = p;
  for (let i = 0; i < 20 && root.previous_invoice_id; i++) root = chain.find((x) => x.invoice_id === root.previous_invoice_id) ?? root;
  return root;
}

export function pieceClock(p: ClockedPiece, info: WorksFrameworkInfo | undefined, deadlines: WorksDeadlines, now: Date, chainStart: Date | null): PieceClock | null {
  const running = info && runningDeadline(p, info, chainStart);
  if (!running) return null;
  const { kind, start } = running;
  return { kind, label: DEADLINE_INFO[kind].label, party: DEADLINE_INFO[kind].party, ...deadlineState(start, deadlines[kind], now) };
}
