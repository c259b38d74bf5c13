import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { createContract } from '../../src/contracts/index.ts';
import { REASONS, decideValidation, runValidationDeadline, searchInvoicesToValidate } from '../../src/invoices/index.ts';
import { createWorksContract, depositPiece, getPiece } from '../../src/works/index.ts';
import { AppError } from '../../src/shared/app-error.ts';

/**
 * A subcontractor's projets de décompte (A10 monthly, A11 final) go through the titulaire's validation — the
 * A9 circuit: 15 days, tacit — before they reach the MOE, whose receipt then starts its 7 days and the payment
 * delay. The routing after the validation runs on the real job queue.
 */
const TERMS = {
  priceSchedule: [
    { code: '01', label: 'Peinture des façades', kind: 'FORFAIT', unit: 'ens', quantity: '1', unitPrice: '20000.00' },
    { code: '02', label: 'Enduits', kind: 'UNITAIRE', unit: 'm2', quantity: '500', unitPrice: '30.00' },
  ],
  vatRate: '20',
  retention: { ratePercent: '5' },
};

const rejects = async (p: Promise<unknown>, code: string) => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code, e.userMessage);
    return true;
  });
};

describe('works: the subcontractor’s projets are validated by the titulaire first (A10, A11)', () => {
  const clock = new TestClock(new Date('2026-03-31T08:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  async function statusBecomes(actor: { userId: number; isTechnical: boolean }, id: number, status: string) {
    for (let i = 0; i < 100 && (await getPiece(app.ctx, actor, id)).status !== status; i++) await new Promise((res) => setTimeout(res, 100));
    return getPiece(app.ctx, actor, id);
  }

  test('validated, refused, tacitly validated; the MOE receives it only afterwards', async () => {
    const [buyerGp, companyGp, subGp, moeGp] = await Promise.all(['acheteur', 'titulaire', 'soustraitant', 'architecte'].map((f) => newUser(app, { firstName: f })));
    const buyer = await newStructure(app, buyerGp, { name: 'Commune', kind: 'PUBLIQUE' });
    const company = await newStructure(app, companyGp, { name: 'BTP Titulaire' });
    const sub = await newStructure(app, subGp, { name: 'Peintures Sous-traitant' });
    const moe = await newStructure(app, moeGp, { name: 'Atelier Archi' });
    const { contractId } = await createContract(app.ctx, buyerGp, {
      number: 'ST-2026-1', subject: 'Groupe scolaire', buyerSiret: buyer.siret, titulaireSiret: company.siret,
      subcontractors: [{ siret: sub.siret, directPayment: true, acceptedAmount: '50000.00', subcontractedBySiret: company.siret }],
    });
    await createWorksContract(app.ctx, buyerGp, { contractId, moeSiret: moe.siret, terms: TERMS });

    // The subcontractor deposits its projet: it waits for the titulaire, not the MOE.
    const a10 = await depositPiece(app.ctx, subGp, contractId, { framework: 'A10', month: '2026-03', progress: { '01': '50', '02': '100' } });
    assert.equal(a10.status, 'A_VALIDER_1');
    const atTitulaire = await getPiece(app.ctx, moeGp, a10.invoiceId);
    assert.equal(atTitulaire.moeReceivedAt, null);
    await rejects(depositPiece(app.ctx, moeGp, contractId, { framework: 'A15', previousInvoiceId: a10.invoiceId }), 'PREVIOUS_PIECE_CLOSED');
    const toValidate = await searchInvoicesToValidate(app.ctx, companyGp, company.structureId, {});
    assert.deepEqual(toValidate.invoices.map((i) => i.id), [a10.invoiceId]);
    const told = await app.ctx.db.selectFrom('notifications').select('message').where('user_id', '=', companyGp.userId).execute();
    assert.ok(told.some((n) => n.message.includes(a10.number) && /à valider/.test(n.message)), JSON.stringify(told));
    await rejects(decideValidation(app.ctx, moeGp, a10.invoiceId, { action: 'VALIDER' }), 'NOT_FOUND');

    // The titulaire validates: the piece is routed to the MOE (job queue); the MOE's receipt starts its 7 days.
    clock.advanceDays(2);
    assert.equal((await decideValidation(app.ctx, companyGp, a10.invoiceId, { action: 'VALIDER' })).status, 'VALIDEE_1');
    const atMoe = await statusBecomes(moeGp, a10.invoiceId, 'MISE_A_DISPOSITION_MOE');
    assert.equal(atMoe.status, 'MISE_A_DISPOSITION_MOE');
    assert.equal(new Date(atMoe.moeReceivedAt!).toISOString(), clock.now().toISOString());
    assert.equal(atMoe.moeDeadline!.dueDay, '2026-04-09');
    const moeTold = await app.ctx.db.selectFrom('notifications').select('message').where('user_id', '=', moeGp.userId).execute();
    assert.ok(moeTold.some((n) => n.message.includes(a10.number)), JSON.stringify(moeTold));
    const a15 = await depositPiece(app.ctx, moeGp, contractId, { framework: 'A15', previousInvoiceId: a10.invoiceId });
    assert.equal(a15.status, 'MISE_A_DISPOSITION_MOA');
    assert.equal(a15.statement.thisMonth.amountDue, '14820.00');

    // A refused projet stops there; the subcontractor deposits a corrected one for the same month.
    const april = await depositPiece(app.ctx, subGp, contractId, { framework: 'A10', month: '2026-04', progress: { '01': '80', '02': '300' } });
    const reason = REASONS.REFUSER_VALIDATION[0].code;
    assert.equal((await decideValidation(app.ctx, companyGp, april.invoiceId, { action: 'REFUSER_VALIDATION', reason, comment: 'Avancement surestimé' })).status, 'REFUSEE_1');
    assert.equal((await getPiece(app.ctx, subGp, april.invoiceId)).status, 'REFUSEE_1');
    const again = await depositPiece(app.ctx, subGp, contractId, { framework: 'A10', month: '2026-04', progress: { '01': '70', '02': '250' } });
    assert.equal(again.status, 'A_VALIDER_1');
    // The refused piece does not count in the history: April is computed against March.
    assert.equal(again.statement.previous.works, '13000.00');

    // The titulaire stays silent on the final projet (A11): after its deadline it is validated tacitly, then routed to the MOE.
    const a11 = await depositPiece(app.ctx, subGp, contractId, { framework: 'A11', month: '2026-06', progress: { '01': '100', '02': '500' } });
    assert.equal(a11.status, 'A_VALIDER_1');
    const v = await app.ctx.db.selectFrom('invoice_validations').select('due_at').where('invoice_id', '=', a11.invoiceId).executeTakeFirstOrThrow();
    const dueAt = new Date(v.due_at!);
    assert.equal(await runValidationDeadline(app.ctx, { invoiceId: a11.invoiceId, level: 1, dueAt: dueAt.toISOString() }), 'WAITING');
    clock.advanceMinutes(Math.ceil((dueAt.getTime() - clock.now().getTime()) / 60_000) + 1);
    assert.equal(await runValidationDeadline(app.ctx, { invoiceId: a11.invoiceId, level: 1, dueAt: dueAt.toISOString() }), 'TACIT');
    const tacit = await statusBecomes(moeGp, a11.invoiceId, 'MISE_A_DISPOSITION_MOE');
    assert.equal(tacit.status, 'MISE_A_DISPOSITION_MOE');
    assert.ok(tacit.moeReceivedAt);
  });
});
