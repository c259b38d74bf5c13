import type { Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { formatAmountFr } from '../shared/money.ts';
import { notify } from '../notifications/index.ts';
import { WORKS_FRAMEWORK_INFO, applyTransition, lockInvoice, usersWithSpace, type WorksFramework } from '../invoices/index.ts';
import { contractDeadlines, deadlineState, type DeadlineKind } from './deadlines.ts';
import { findWorksContract, listPieces, piecesInStatuses, recordAlert, type PieceRow, type WorksContractRow } from './repository.ts';
import { notifyParty } from './pieces.ts';
import { PAYER_OPEN_STATUSES, chainRoot, isMoeStatus, runningDeadline, runningDeadlineKind } from './piece-clock.ts';

const fr = (isoDay: string) => isoDay.split('-').reverse().join('/');
const REMINDER_DAYS = 2;

/**
 * The clocks of the works circuits, run by a scheduled job on the application clock (tests move a
 * TestClock and call it): the MOE's 7 days (past them, the piece is marked
 * ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE and the company may deposit its état d'acompte itself), the
 * MOA's validation time, the company's 30 days to contest corrected amounts, the payment delay counted from
 * the MOE's receipt, the deadlines of the end of contract. Each alert goes once to the party concerned.
 */
export async function runWorksClocks(ctx: Ctx): Promise<{ moeLapsed: number; alerts: number }> {
  const now = ctx.clock.now();
  let moeLapsed = 0;
  let alerts = 0;
  const contracts = new Map<number, WorksContractRow>();
  const contractOf = async (id: number) => contracts.get(id) ?? (await findWorksContract(ctx.db, id).then((w) => (w && contracts.set(id, w), w!)));
  const chainCache = new Map<number, PieceRow[]>();
  const chainOf = async (contractId: number): Promise<PieceRow[]> => chainCache.get(contractId) ?? (await listPieces(ctx.db, contractId).then((p) => (chainCache.set(contractId, p), p)));
  const state = (w: WorksContractRow, kind: DeadlineKind, start: Date) => deadlineState(start, contractDeadlines(w.deadlines).deadlines[kind], now);
  const once = async (p: PieceRow, kind: string, send: (trx: Executor) => Promise<void>) => {
    await ctx.db.transaction().execute(async (trx) => {
      if (!(await recordAlert(trx, p.invoice_id, kind, now))) return;
      alerts++;
      await send(trx);
    });
  };

  const statuses = ['MISE_A_DISPOSITION_MOE', 'PRISE_EN_COMPTE_MOE', 'MISE_A_DISPOSITION_MOA', 'PRISE_EN_COMPTE_MOA', 'A_ASSOCIER_FOURNISSEUR', 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE', ...PAYER_OPEN_STATUSES];
  for (const p of await piecesInStatuses(ctx.db, statuses)) {
    const w = await contractOf(p.contract_id);
    const info = WORKS_FRAMEWORK_INFO[p.framework as WorksFramework];
    if (!w || !info) continue;
    const kind = runningDeadlineKind(p.status, info);
    if (!kind) continue;
    const root = kind === 'PAIEMENT' ? chainRoot(p, await chainOf(p.contract_id)) : p;
    const { start } = runningDeadline({ status: p.status, moeReceivedAt: p.moe_received_at, depositedAt: p.deposited_at, createdAt: p.created_at }, info, root.moe_received_at ?? root.deposited_at)!;
    const st = state(w, kind, start);
    switch (kind) {
      case 'MOE_ETAT_ACOMPTE':
      case 'MOA_DECOMPTE_GENERAL': {
        // The MOE is reminded of its 7 days in both phases; only a monthly piece lapses past them.
        const moe = kind === 'MOE_ETAT_ACOMPTE' ? st : state(w, 'MOE_ETAT_ACOMPTE', start);
        if (kind === 'MOE_ETAT_ACOMPTE' && st.late) {
          await ctx.db.transaction().execute(async (trx) => {
            const inv = await lockInvoice(trx, p.invoice_id);
            if (!inv || !isMoeStatus(inv.status)) return;
            await applyTransition(trx, ctx, inv, { action: 'CONSTATER_ABSENCE_VALIDATION_MOE', role: 'SYSTEME', actorUserId: null, data: { dueDay: st.dueDay } });
            moeLapsed++;
            await notifyParty(trx, ctx, w, 'FOURNISSEUR', p.supplier_structure_id, `Le maître d'œuvre n'a pas traité la pièce ${p.number} dans le délai (échéance ${fr(st.dueDay)}) : vous pouvez déposer vous-même l'état d'acompte (A5) au maître de l'ouvrage. Le délai de paiement court depuis la réception par le maître d'œuvre.`, p.invoice_id, 'WORKS_MOE_LATE');
            if (w.moe_structure_id) await notifyParty(trx, ctx, w, 'MOE', w.moe_structure_id, `Délai de 7 jours dépassé pour la pièce ${p.number} (échéance ${fr(st.dueDay)}).`, p.invoice_id, 'WORKS_MOE_LATE');
          });
        } else if (moe.daysLeft <= REMINDER_DAYS && w.moe_structure_id)
          await once(p, 'MOE_RAPPEL', (trx) => notifyParty(trx, ctx, w, 'MOE', w.moe_structure_id!, `Rappel : la pièce ${p.number} doit être traitée au plus tard le ${fr(moe.dueDay)}.`, p.invoice_id, 'WORKS_REMINDER'));
        if (kind === 'MOA_DECOMPTE_GENERAL' && st.late)
          await once(p, 'DG_RETARD', (trx) => notifyParty(trx, ctx, w, 'FOURNISSEUR', p.supplier_structure_id, `Le décompte général du marché ${w.number} n'a pas été notifié dans le délai : vous pouvez engager la procédure tacite (A22).`, p.invoice_id, 'WORKS_DG_LATE'));
        break;
      }
      case 'MOA_DG_APRES_PROCEDURE_TACITE':
        if (st.late)
          await once(p, 'A22_SANS_REPONSE', (trx) => notifyParty(trx, ctx, w, 'FOURNISSEUR', p.supplier_structure_id, `Aucun décompte général n'a répondu à votre projet ${p.number} dans le délai : il devient le décompte général et définitif, que vous pouvez déposer (A23).`, p.invoice_id, 'WORKS_TACIT'));
        break;
      case 'MOA_VALIDATION':
        if (st.late) await once(p, 'MOA_RETARD', (trx) => notifyParty(trx, ctx, w, 'MOA', w.moa_structure_id, `La pièce ${p.number} attend votre validation depuis le ${fr(st.dueDay)} ; le délai de paiement court.`, p.invoice_id, 'WORKS_MOA_LATE'));
        break;
      case 'TITULAIRE_SIGNATURE_DG':
        if (st.late && w.moe_structure_id)
          await once(p, 'DG_NON_SIGNE', (trx) => notifyParty(trx, ctx, w, 'MOE', w.moe_structure_id!, `Le titulaire n'a ni signé ni contesté le décompte général ${p.number} dans le délai : il est réputé accepté, le décompte général et définitif peut être déposé (A24).`, p.invoice_id, 'WORKS_TACIT'));
        else if (st.daysLeft <= 5)
          await once(p, 'DG_RAPPEL', (trx) => notifyParty(trx, ctx, w, 'FOURNISSEUR', p.supplier_structure_id, `Le décompte général ${p.number} doit être signé ou contesté au plus tard le ${fr(st.dueDay)}.`, p.invoice_id, 'WORKS_REMINDER'));
        break;
      case 'PAIEMENT': {
        const payerUsers = async (trx: Executor) => usersWithSpace(trx, w.payer_structure_id, 'FACTURES_RECUES', w.payer_service_id);
        const tell = async (trx: Executor, kind: string, message: string) => {
          for (const userId of await payerUsers(trx)) await notify(trx, { userId, structureId: w.payer_structure_id, kind, message, link: `/structures/${w.payer_structure_id}/factures-recues/${p.invoice_id}` });
        };
        if (st.late)
          await once(p, 'PAIEMENT_RETARD', async (trx) => {
            await tell(trx, 'WORKS_PAYMENT_LATE', `Délai de paiement dépassé pour ${p.number} (${formatAmountFr(p.amount_due)}, échéance ${fr(st.dueDay)}) : des intérêts moratoires sont dus.`);
            await notifyParty(trx, ctx, w, 'FOURNISSEUR', p.supplier_structure_id, `Le délai de paiement de ${p.number} est dépassé depuis le ${fr(st.dueDay)} : les intérêts moratoires et l'indemnité forfaitaire de 40 € sont dus de plein droit.`, p.invoice_id, 'WORKS_PAYMENT_LATE');
          });
        else if (st.daysLeft <= 5) await once(p, 'PAIEMENT_ECHEANCE', (trx) => tell(trx, 'WORKS_PAYMENT_DUE', `${p.number} (${formatAmountFr(p.amount_due)}) doit être payé au plus tard le ${fr(st.dueDay)}.`));
        break;
      }
    }
  }
  // The company's 30 days to contest the amounts the MOE corrected.
  for (const p of await piecesInStatuses(ctx.db, ['MISE_A_DISPOSITION_MOA', 'PRISE_EN_COMPTE_MOA', 'ASSOCIEE', ...PAYER_OPEN_STATUSES, 'MISE_EN_PAIEMENT'])) {
    if (!p.differences || (!p.differences.lines.length && p.differences.totals.amountDue === '0.00') || p.depositor_role === 'FOURNISSEUR') continue;
    const w = await contractOf(p.contract_id);
    if (!w) continue;
    const st = state(w, 'TITULAIRE_CONTESTATION', p.deposited_at ?? p.created_at);
    if (!st.late && st.daysLeft <= 5)
      await once(p, 'CONTESTATION_ECHEANCE', (trx) => notifyParty(trx, ctx, w, 'FOURNISSEUR', p.supplier_structure_id, `Vous pouvez contester les montants rectifiés de ${p.number} jusqu'au ${fr(st.dueDay)}.`, p.invoice_id, 'WORKS_REMINDER'));
  }
  return { moeLapsed, alerts };
}
