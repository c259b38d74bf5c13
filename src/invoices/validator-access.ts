import type { Actor } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { AppError } from '../shared/app-error.ts';
import { hasRight, loadMembership } from '../structures/index.ts';
import { invoiceNotFound } from './access.ts';
import { findInvoice, type InvoiceRow } from './repository.ts';
import { LEVEL_2_REACHED, findValidation, type ValidationRow } from './validation-repository.ts';

/**
 * What the actor is to an invoice as a validator (space « Factures à valider » of the validator structure:
 * consultation to see, modification to decide). A level's validator sees the invoice once the level is reached.
 */
export interface ValidatorAccess {
  invoice: InvoiceRow;
  validation: ValidationRow;
  levels: Array<{ level: 1 | 2; structureId: number; sees: boolean; acts: boolean }>;
}

export async function loadValidatorAccess(db: Executor, actor: Actor, invoiceId: number): Promise<ValidatorAccess> {
  const inv = await findInvoice(db, invoiceId);
  const v = inv ? await findValidation(db, invoiceId) : undefined;
  if (!inv || !v) throw invoiceNotFound();
  const reached: Array<[1 | 2, number | null]> = [[1, v.validator_1_structure_id]];
  if (v.levels === 2 && (LEVEL_2_REACHED.includes(inv.status) || v.current_level === 2 || v.completed_at)) reached.push([2, v.validator_2_structure_id]);
  const levels: ValidatorAccess['levels'] = [];
  let member = false;
  for (const [level, structureId] of reached) {
    if (!structureId) continue;
    const m = await loadMembership(db, actor.userId, structureId, actor.isTechnical);
    if (m.role === null) continue;
    member = true;
    levels.push({ level, structureId, sees: hasRight(m, 'FACTURES_A_VALIDER', 'CONSULTATION_UNIQUEMENT'), acts: hasRight(m, 'FACTURES_A_VALIDER', 'MODIFICATION') });
  }
  if (!levels.some((l) => l.sees)) {
    if (member) throw new AppError('FORBIDDEN', 'FORBIDDEN', "Vous n'avez pas le droit de consulter les factures à valider de cette structure.");
    throw invoiceNotFound();
  }
  return { invoice: inv, validation: v, levels };
}

/** The level the actor may decide now (the invoice waits at it and the actor has the right), or an error. */
export function actingLevel(a: ValidatorAccess): 1 | 2 {
  const waiting = a.invoice.status === 'A_VALIDER_1' ? 1 : a.invoice.status === 'A_VALIDER_2' ? 2 : null;
  const l = a.levels.find((x) => x.level === waiting);
  if (l && !l.acts) throw new AppError('FORBIDDEN', 'FORBIDDEN', "Vous n'avez pas le droit de traiter les factures à valider de cette structure.");
  if (!l) {
    const any = a.levels.find((x) => x.acts) ?? a.levels[0];
    return any.level;
  }
  return l.level;
}
