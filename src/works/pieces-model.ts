import type { LineDifference, MonthEntry, Statement, StatementTotals } from './decompte.ts';

/**
 * Pure rules of the billing file: which piece of a month is retained (the most advanced in the chain),
 * and what a corrected piece changed. No database, no clock.
 */
export interface PieceDifferences {
  /** The previous piece (the company's projet, or the MOE's état d'acompte) and its amount this month. */
  againstInvoiceId: number;
  lines: LineDifference[];
  totals: StatementTotals;
}

/** Pieces that no longer count (refused, replaced, deleted, duplicated after refusal, never deposited). */
export const DEAD_STATUSES = ['BROUILLON', 'SUPPRIMEE', 'REFUSEE_1', 'REFUSEE_2', 'REFUSEE_MOE', 'REFUSEE_MOA', 'REFUSEE_FOURNISSEUR', 'DUPLIQUE_APRES_REFUS', 'REMPLACEE_PAR_A22', 'REJETEE'];

/** The level of a piece in its chain: the validated état d'acompte beats the MOE's, which beats the company's projet. */
export const PIECE_LEVEL: Record<string, number> = {
  PROJET_DECOMPTE_MENSUEL: 1, ETAT_ACOMPTE: 2, ETAT_ACOMPTE_VALIDE: 3,
  PROJET_DECOMPTE_FINAL: 1, PROJET_DECOMPTE_GENERAL: 2, PROJET_DECOMPTE_GENERAL_PROCEDURE_TACITE: 2, DECOMPTE_GENERAL: 3,
  DECOMPTE_GENERAL_SIGNE: 4, DECOMPTE_GENERAL_DEFINITIF_TACITE: 4, DECOMPTE_GENERAL_DEFINITIF_PROCEDURE_TACITE: 4,
};

export interface PieceFacts {
  invoiceId: number;
  month: string | null;
  phase: 'MENSUEL' | 'FIN';
  pieceType: string;
  status: string;
  supplierStructureId: number;
  progress: Record<string, string>;
  penalties: Array<{ label: string; amount: string }>;
  statement: Statement | null;
}

/**
 * The monthly history of one company's chain before `beforeMonth`: for each month, the most advanced
 * living piece (ties: the latest), its progress and penalties; and the cumulative totals of the last one
 * (what the next statement is computed against).
 */
export function retainedHistory(pieces: PieceFacts[], supplierStructureId: number, beforeMonth: string): { months: MonthEntry[]; previous: StatementTotals | null } {
  const byMonth = new Map<string, PieceFacts>();
  for (const p of pieces) {
    if (p.phase !== 'MENSUEL' || !p.month || p.month >= beforeMonth || p.supplierStructureId !== supplierStructureId || DEAD_STATUSES.includes(p.status)) continue;
    const cur = byMonth.get(p.month);
    const level = PIECE_LEVEL[p.pieceType] ?? 0;
    if (!cur || level > (PIECE_LEVEL[cur.pieceType] ?? 0) || (level === (PIECE_LEVEL[cur.pieceType] ?? 0) && p.invoiceId > cur.invoiceId)) byMonth.set(p.month, p);
  }
  const months = [...byMonth.keys()].sort();
  const last = months.length ? byMonth.get(months[months.length - 1])! : null;
  return {
    months: months.map((m) => ({ month: m, progress: byMonth.get(m)!.progress, penalties: byMonth.get(m)!.penalties })),
    previous: last?.statement?.cumulative ?? null,
  };
}

/** Statuses where the party the previous piece went to is absent: the next party may stand in for it. */
export const PARTY_ABSENT = ['A_ASSOCIER_MOE', 'A_ASSOCIER_MOA', 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE'];
