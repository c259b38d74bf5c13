import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { apiSession } from '../helpers/structure-members.ts';
import { createContract } from '../../src/contracts/index.ts';
import { actOnInvoice, getInvoice, searchInvoices } from '../../src/invoices/index.ts';
import {
  actOnPiece, createWorksContract, depositPiece, getBillingFile, getPiece, getWorksContract, previewPiece, recordIndexes, runWorksClocks,
} from '../../src/works/index.ts';
import { AppError } from '../../src/shared/app-error.ts';
import { WORKED_EXAMPLE_INDEXES_MAY, WORKED_EXAMPLE_TERMS } from '../../src/demo/works-example.ts';

/**
 * The works circuits end to end on the database (PGlite, or PostgreSQL with TEST_DATABASE_URL): the
 * worked example of docs/works.md month by month through the company, the MOE, the MOA and the payer;
 * the MOE missing its 7 days; the end of contract through the DGD; the tacit procedure.
 */
const TERMS = WORKED_EXAMPLE_TERMS;
const KNOWN_IN_MAY = WORKED_EXAMPLE_INDEXES_MAY;

const rejects = async (p: Promise<unknown>, code: string, message?: RegExp) => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code, e.userMessage);
    if (message) assert.match(e.userMessage, message);
    return true;
  });
};

describe('works invoices (factures de travaux)', () => {
  const clock = new TestClock(new Date('2026-03-31T08:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock, workers: false });
  });
  after(async () => app?.cleanup());

  let n = 0;
  async function world(opts: { moe?: boolean } = {}) {
    const [buyerGp, companyGp, moeGp, payerGp, outsiderGp] = await Promise.all(['acheteur', 'entreprise', 'architecte', 'comptable', 'tiers'].map((f) => newUser(app, { firstName: f })));
    const buyer = await newStructure(app, buyerGp, { name: 'OPH Habitat', kind: 'PUBLIQUE' });
    const company = await newStructure(app, companyGp, { name: 'BTP Durand' });
    const moe = await newStructure(app, moeGp, { name: 'Atelier Archi' });
    const payer = await newStructure(app, payerGp, { name: 'Service financier', kind: 'PUBLIQUE' });
    const outsider = await newStructure(app, outsiderGp, { name: 'Tiers' });
    const { contractId } = await createContract(app.ctx, buyerGp, { number: `T-2026-${++n}`, subject: 'Lot gros œuvre', buyerSiret: buyer.siret, titulaireSiret: company.siret, ejNumbers: ['1000077001'] });
    await createWorksContract(app.ctx, buyerGp, { contractId, moeSiret: opts.moe === false ? null : moe.siret, payerSiret: payer.siret, terms: TERMS, indexes: KNOWN_IN_MAY });
    return { buyerGp, companyGp, moeGp, payerGp, outsiderGp, buyer, company, moe, payer, outsider, contractId };
  }

  test('one month after another: the company’s projet, the MOE’s état d’acompte (a corrected amount, never a refusal), the MOA’s validation, the payer pays', async () => {
    const w = await world();
    // The works contract as the parties see it; outsiders do not.
    const seen = await getWorksContract(app.ctx, w.moeGp, w.contractId);
    assert.equal(seen.contractAmount, '100600.00');
    assert.equal(seen.deadlines.find((d) => d.kind === 'MOE_ETAT_ACOMPTE')!.days, 7);
    await rejects(getWorksContract(app.ctx, w.outsiderGp, w.contractId), 'NOT_FOUND');

    // Month 1: the company enters its progress, sees the projet, deposits it (A4): the MOE's receipt starts the clocks.
    const preview = await previewPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A4', month: '2026-03', progress: { '01': '50', '02': '600' } });
    assert.equal(preview.statement.thisMonth.amountDue, '19600.43');
    const a4 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A4', month: '2026-03', progress: { '01': '50', '02': '600' } });
    assert.equal(a4.status, 'MISE_A_DISPOSITION_MOE');
    await rejects(depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A4', month: '2026-03', progress: { '01': '50' } }), 'PIECE_ALREADY_DEPOSITED');
    await rejects(depositPiece(app.ctx, w.moeGp, w.contractId, { framework: 'A4', month: '2026-04', progress: {} }), 'FORBIDDEN');
    const p4 = await getPiece(app.ctx, w.moeGp, a4.invoiceId);
    assert.ok(p4.moeReceivedAt);
    assert.equal(p4.moeDeadline!.dueDay, '2026-04-07');
    assert.deepEqual(p4.actions.map((a) => a.action), ['PRENDRE_EN_COMPTE', 'REFUSER']);
    // The payer sees nothing of the projet.
    await rejects(getPiece(app.ctx, w.payerGp, a4.invoiceId), 'NOT_FOUND');
    // The MOE takes it into account; an amount is never a refusal reason.
    assert.equal((await actOnPiece(app.ctx, w.moeGp, a4.invoiceId, { action: 'PRENDRE_EN_COMPTE' })).status, 'PRISE_EN_COMPTE_MOE');
    await rejects(actOnPiece(app.ctx, w.moeGp, a4.invoiceId, { action: 'REFUSER', reason: 'MONTANT_ERRONE' }), 'GUARD_FAILED', /n'est pas un motif de refus/);
    await rejects(actOnPiece(app.ctx, w.companyGp, a4.invoiceId, { action: 'REFUSER', reason: 'DOUBLON' }), 'TRANSITION_NOT_ALLOWED');
    // The MOE deposits its état d'acompte as is (A15), the MOA validates it (A19): the payer receives it.
    const a15 = await depositPiece(app.ctx, w.moeGp, w.contractId, { framework: 'A15', previousInvoiceId: a4.invoiceId });
    assert.equal(a15.status, 'MISE_A_DISPOSITION_MOA');
    assert.deepEqual(a15.differences!.lines, []);
    assert.equal((await getPiece(app.ctx, w.companyGp, a4.invoiceId)).status, 'ASSOCIEE');
    await rejects(depositPiece(app.ctx, w.moeGp, w.contractId, { framework: 'A15', previousInvoiceId: a4.invoiceId }), 'PREVIOUS_PIECE_CLOSED');
    const a19 = await depositPiece(app.ctx, w.buyerGp, w.contractId, { framework: 'A19', previousInvoiceId: a15.invoiceId });
    assert.equal(a19.status, 'MISE_A_DISPOSITION');
    const inv19 = await getInvoice(app.ctx, w.payerGp, a19.invoiceId);
    assert.equal(inv19.invoice.amount_due, '19600.43');
    assert.equal(inv19.invoice.framework, 'A19_ETAT_ACOMPTE_VALIDE_MOA');
    // In « Factures reçues » the payer finds the validated état d'acompte only, and processes it as any invoice.
    const received = await searchInvoices(app.ctx, w.payerGp, { side: 'RECUES', structureId: w.payer.structureId });
    assert.deepEqual(received.invoices.map((i) => i.id), [a19.invoiceId]);
    await actOnInvoice(app.ctx, w.payerGp, a19.invoiceId, { action: 'SERVICE_FAIT' });
    await actOnInvoice(app.ctx, w.payerGp, a19.invoiceId, { action: 'MANDATER', mandateNumber: 'MDT-2026-031' });
    assert.equal((await actOnInvoice(app.ctx, w.payerGp, a19.invoiceId, { action: 'METTRE_EN_PAIEMENT' })).status, 'MISE_EN_PAIEMENT');

    // Month 2, straight through.
    clock.advanceDays(30);
    const m2 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A4', month: '2026-04', progress: { '01': '100', '02': '850', '03': '80', '04': '20' } });
    const m2e = await depositPiece(app.ctx, w.moeGp, w.contractId, { framework: 'A15', previousInvoiceId: m2.invoiceId });
    const m2v = await depositPiece(app.ctx, w.buyerGp, w.contractId, { framework: 'A19', previousInvoiceId: m2e.invoiceId });
    assert.equal(m2v.statement.thisMonth.amountDue, '44968.69');

    // Month 3: the MOE corrects the façade (30 % instead of 40 %) and applies a penalty; the differences are kept line by line.
    clock.advanceDays(31);
    const m3 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A4', month: '2026-05', progress: { '01': '100', '02': '850', '03': '120', '04': '40' } });
    assert.equal(m3.statement.thisMonth.amountDue, '17743.27');
    const m3e = await depositPiece(app.ctx, w.moeGp, w.contractId, {
      framework: 'A15', previousInvoiceId: m3.invoiceId, progress: { '01': '100', '02': '850', '03': '120', '04': '30' }, penalties: [{ label: 'Retard de remise des plans', amount: '200.00' }],
    });
    assert.equal(m3e.statement.thisMonth.amountDue, '14259.80');
    assert.deepEqual(m3e.differences!.lines.map((l) => [l.code, l.companyAmount, l.moeAmount, l.difference]), [['04', '17400.00', '13050.00', '-4350.00']]);
    assert.equal(m3e.differences!.totals.amountDue, '-3483.47');
    const company3 = await getPiece(app.ctx, w.companyGp, m3e.invoiceId);
    assert.equal(company3.differences!.againstInvoiceId, m3.invoiceId);
    const m3v = await depositPiece(app.ctx, w.buyerGp, w.contractId, { framework: 'A19', previousInvoiceId: m3e.invoiceId });
    assert.equal((await getInvoice(app.ctx, w.payerGp, m3v.invoiceId)).invoice.amount_due, '14259.80');

    // The billing file: one group per month, pieces chained; the payer sees only what it pays.
    const file = await getBillingFile(app.ctx, w.companyGp, w.contractId);
    assert.deepEqual(file.months.map((m) => [m.month, m.pieces.map((p) => `${p.code}:${p.status}`)]), [
      ['2026-03', ['A4:ASSOCIEE', 'A15:ASSOCIEE', 'A19:MISE_EN_PAIEMENT']],
      ['2026-04', ['A4:ASSOCIEE', 'A15:ASSOCIEE', 'A19:MISE_A_DISPOSITION']],
      ['2026-05', ['A4:ASSOCIEE', 'A15:ASSOCIEE', 'A19:MISE_A_DISPOSITION']],
    ]);
    assert.equal(file.months[2].pieces[1].previousInvoiceId, m3.invoiceId);
    assert.deepEqual(file.months[2].pieces[0].nextInvoiceIds, [m3e.invoiceId]);
    const payerFile = await getBillingFile(app.ctx, w.payerGp, w.contractId);
    assert.deepEqual(payerFile.months.flatMap((m) => m.pieces.map((p) => p.code)), ['A19', 'A19', 'A19']);
    await rejects(getBillingFile(app.ctx, w.outsiderGp, w.contractId), 'NOT_FOUND');

    // End of contract: the May and June indexes are published; projet de décompte final (A7) → MOE's projet de
    // décompte général (A17) → MOA's décompte général (A20) → the titulaire signs the DGD (A8) → the payer.
    clock.advanceDays(40);
    await recordIndexes(app.ctx, w.moeGp, w.contractId, { indexes: { BT01: { '2026-05': '132.9', '2026-06': '133.4' } } });
    await rejects(recordIndexes(app.ctx, w.companyGp, w.contractId, { indexes: { BT01: { '2026-07': '140' } } }), 'FORBIDDEN');
    const a7 = await depositPiece(app.ctx, w.companyGp, w.contractId, {
      framework: 'A7', month: '2026-06', progress: { '01': '100', '02': '870', '03': '118', '04': '100' }, penalties: [{ label: 'Retard de 3 jours', amount: '100.60' }],
    });
    assert.equal(a7.status, 'MISE_A_DISPOSITION_MOE');
    assert.equal(a7.statement.cumulative.amountDue, '109975.90');
    assert.equal(a7.statement.thisMonth.amountDue, '31146.98');
    const a17 = await depositPiece(app.ctx, w.moeGp, w.contractId, { framework: 'A17', previousInvoiceId: a7.invoiceId });
    assert.equal(a17.status, 'MISE_A_DISPOSITION_MOA');
    const a20 = await depositPiece(app.ctx, w.buyerGp, w.contractId, { framework: 'A20', previousInvoiceId: a17.invoiceId });
    assert.equal(a20.status, 'A_ASSOCIER_FOURNISSEUR');
    await rejects(depositPiece(app.ctx, w.moeGp, w.contractId, { framework: 'A8', previousInvoiceId: a20.invoiceId }), 'FORBIDDEN');
    const a8 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A8', previousInvoiceId: a20.invoiceId });
    assert.equal(a8.status, 'MISE_A_DISPOSITION');
    assert.equal((await getInvoice(app.ctx, w.payerGp, a8.invoiceId)).invoice.amount_due, '31146.98');
    assert.equal((await getPiece(app.ctx, w.companyGp, a20.invoiceId)).status, 'ASSOCIEE');
    const end = await getBillingFile(app.ctx, w.moeGp, w.contractId);
    assert.deepEqual(end.months.at(-1)!.pieces.map((p) => `${p.code}:${p.status}`), ['A7:ASSOCIEE', 'A17:ASSOCIEE', 'A20:ASSOCIEE', 'A8:MISE_A_DISPOSITION']);
  });

  test('the MOE misses its 7 days: the clock marks the piece, alerts the company, which deposits its état d’acompte itself (A5); the payment delay runs from the MOE’s receipt', async () => {
    // Tuesday 1 September 2026, 10:00 in Paris.
    clock.advanceMinutes((Date.parse('2026-09-01T08:00:00Z') - clock.now().getTime()) / 60_000);
    const w = await world();
    const a4 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A4', month: '2026-03', progress: { '01': '50', '02': '600' } });
    const due = (await getPiece(app.ctx, w.companyGp, a4.invoiceId)).moeDeadline!.dueDay;
    // Within the 7 days the company may not stand in for the MOE.
    await rejects(depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A5', previousInvoiceId: a4.invoiceId }), 'PARTY_NOT_ABSENT');
    const kinds = async (userId: number) => (await app.ctx.db.selectFrom('notifications').select('kind').where('user_id', '=', userId).execute()).map((x) => x.kind);
    clock.advanceDays(3);
    await runWorksClocks(app.ctx);
    assert.equal((await getPiece(app.ctx, w.companyGp, a4.invoiceId)).status, 'MISE_A_DISPOSITION_MOE');
    assert.ok(!(await kinds(w.moeGp.userId)).includes('WORKS_REMINDER'));
    // Two days before the due day the MOE is reminded (once).
    for (let i = 0; i < 10 && (await getPiece(app.ctx, w.moeGp, a4.invoiceId)).moeDeadline!.daysLeft > 2; i++) clock.advanceDays(1);
    assert.equal((await getPiece(app.ctx, w.moeGp, a4.invoiceId)).moeDeadline!.daysLeft, 2);
    await runWorksClocks(app.ctx);
    await runWorksClocks(app.ctx);
    assert.equal((await kinds(w.moeGp.userId)).filter((k) => k === 'WORKS_REMINDER').length, 1);
    assert.equal((await getPiece(app.ctx, w.companyGp, a4.invoiceId)).status, 'MISE_A_DISPOSITION_MOE');
    // The day after the due day, the platform records the MOE's absence of validation.
    clock.advanceDays(3);
    const lapsed = await runWorksClocks(app.ctx);
    assert.ok(lapsed.moeLapsed >= 1);
    assert.equal((await getPiece(app.ctx, w.companyGp, a4.invoiceId)).status, 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE');
    // Once only.
    await runWorksClocks(app.ctx);
    const notes = await app.ctx.db.selectFrom('notifications').select(['kind', 'message']).where('user_id', '=', w.companyGp.userId).where('kind', '=', 'WORKS_MOE_LATE').execute();
    assert.equal(notes.length, 1);
    assert.match(notes[0].message, new RegExp(`échéance ${due.split('-').reverse().join('/')}.*\\(A5\\)`));
    const path = await getInvoice(app.ctx, w.companyGp, a4.invoiceId);
    assert.ok(path.path.some((e) => e.action === 'CONSTATER_ABSENCE_VALIDATION_MOE' && e.actorRole === 'SYSTEME'));
    assert.equal(path.chain.ok, true);
    // The company deposits the état d'acompte itself; the MOA validates.
    const a5 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A5', previousInvoiceId: a4.invoiceId });
    assert.equal(a5.status, 'MISE_A_DISPOSITION_MOA');
    assert.equal((await getPiece(app.ctx, w.companyGp, a4.invoiceId)).status, 'ASSOCIEE');
    const a19 = await depositPiece(app.ctx, w.buyerGp, w.contractId, { framework: 'A19', previousInvoiceId: a5.invoiceId });
    assert.equal(a19.status, 'MISE_A_DISPOSITION');
    // The payment delay runs from the MOE's receipt (1 September: due 1 October): the payer is warned 5 days
    // before, then payer and company are told when it is late.
    assert.equal(due, '2026-09-08');
    assert.equal(clock.now().toISOString().slice(0, 10), '2026-09-09');
    clock.advanceDays(20);
    await runWorksClocks(app.ctx);
    assert.ok((await kinds(w.payerGp.userId)).includes('WORKS_PAYMENT_DUE'));
    assert.ok(!(await kinds(w.payerGp.userId)).includes('WORKS_PAYMENT_LATE'));
    clock.advanceDays(6);
    await runWorksClocks(app.ctx);
    assert.ok((await kinds(w.payerGp.userId)).includes('WORKS_PAYMENT_LATE'));
    assert.ok((await kinds(w.companyGp.userId)).includes('WORKS_PAYMENT_LATE'));
  });

  test('an MOE not on the platform: the projet waits « à associer », the company deposits its état d’acompte at once; a refusal stops the circuit and may be duplicated', async () => {
    const w = await world({ moe: false });
    const a4 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A4', month: '2026-03', progress: { '01': '10' } });
    assert.equal(a4.status, 'A_ASSOCIER_MOE');
    const a5 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A5', previousInvoiceId: a4.invoiceId });
    assert.equal(a5.status, 'MISE_A_DISPOSITION_MOA');
    // The MOA refuses for a valid reason: the circuit stops, the company is told and may duplicate the piece.
    await rejects(actOnPiece(app.ctx, w.buyerGp, a5.invoiceId, { action: 'REFUSER', reason: 'AUTRE' }), 'INVALID_INPUT');
    assert.equal((await actOnPiece(app.ctx, w.buyerGp, a5.invoiceId, { action: 'REFUSER', reason: 'PIECES_JUSTIFICATIVES_ABSENTES', comment: 'Attestation manquante' })).status, 'REFUSEE_MOA');
    const told = await app.ctx.db.selectFrom('notifications').select('message').where('user_id', '=', w.companyGp.userId).where('kind', '=', 'WORKS_REFUSAL').execute();
    assert.match(told[0].message, /a refusé la pièce .*Pièces justificatives/);
    await rejects(depositPiece(app.ctx, w.buyerGp, w.contractId, { framework: 'A19', previousInvoiceId: a5.invoiceId }), 'PREVIOUS_PIECE_CLOSED');
    assert.equal((await actOnPiece(app.ctx, w.companyGp, a5.invoiceId, { action: 'DUPLIQUER' })).status, 'DUPLIQUE_APRES_REFUS');
  });

  test('through /api/v1: works contract, projet, état d’acompte with a corrected amount, refusal over an amount refused, validation, payment; errors are stable codes', async () => {
    const [buyerGp, companyGp, moeGp] = await Promise.all(['acheteur', 'entreprise', 'architecte'].map((f) => newUser(app, { firstName: f })));
    const buyer = await newStructure(app, buyerGp, { name: 'OPH API', kind: 'PUBLIQUE' });
    const company = await newStructure(app, companyGp, { name: 'BTP API' });
    const moe = await newStructure(app, moeGp, { name: 'Archi API' });
    const [b, c, m] = await Promise.all([buyerGp, companyGp, moeGp].map((u) => apiSession(app, u.email)));
    const contract = await b.post('/contracts', { number: `API-${++n}`, subject: 'Lot gros œuvre', buyerSiret: buyer.siret, titulaireSiret: company.siret });
    assert.equal(contract.status, 201, JSON.stringify(contract.body));
    const id = contract.body.contractId;
    const bad = await b.post('/works-contracts', { contractId: id, terms: { ...TERMS, vatRate: 'x' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.fields['terms.vatRate'], /taux de TVA/);
    assert.equal((await c.post('/works-contracts', { contractId: id, terms: TERMS })).status, 404);
    assert.equal((await b.post('/works-contracts', { contractId: id, moeSiret: moe.siret, terms: TERMS, indexes: KNOWN_IN_MAY })).status, 201);
    assert.equal((await m.get(`/works-contracts/${id}`)).body.contractAmount, '100600.00');
    assert.ok((await c.get('/works-contracts')).body.contracts.some((x: { contractId: number }) => x.contractId === id));
    const preview = await c.post(`/works-contracts/${id}/pieces/preview`, { framework: 'A4', month: '2026-03', progress: { '01': 50, '02': '600' } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.statement.thisMonth.amountDue, '19600.43');
    const a4 = await c.post(`/works-contracts/${id}/pieces`, { framework: 'A4', month: '2026-03', progress: { '01': 50, '02': '600' } });
    assert.equal(a4.status, 201, JSON.stringify(a4.body));
    const refuse = await m.post(`/works-pieces/${a4.body.invoiceId}/actions`, { action: 'REFUSER', reason: 'MONTANT_ERRONE' });
    assert.equal(refuse.status, 409);
    assert.equal(refuse.body.code, 'GUARD_FAILED');
    const a15 = await m.post(`/works-contracts/${id}/pieces`, { framework: 'A15', previousInvoiceId: a4.body.invoiceId, progress: { '01': 50, '02': '500' } });
    assert.equal(a15.status, 201, JSON.stringify(a15.body));
    assert.deepEqual(a15.body.differences.lines.map((l: { code: string; difference: string }) => [l.code, l.difference]), [['02', '-1840.00']]);
    const seenByCompany = await c.get(`/works-pieces/${a15.body.invoiceId}`);
    assert.equal(seenByCompany.body.differences.againstInvoiceId, a4.body.invoiceId);
    const a19 = await b.post(`/works-contracts/${id}/pieces`, { framework: 'A19', previousInvoiceId: a15.body.invoiceId });
    assert.equal(a19.body.status, 'MISE_A_DISPOSITION');
    const inv = await b.get(`/invoices/${a19.body.invoiceId}`);
    assert.equal(inv.status, 200, JSON.stringify(inv.body));
    const paid = await b.post(`/invoices/${a19.body.invoiceId}/actions`, { action: 'METTRE_EN_PAIEMENT' });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    const file = await c.get(`/works-contracts/${id}/billing-file`);
    assert.deepEqual(file.body.months[0].pieces.map((p: { code: string; status: string }) => `${p.code}:${p.status}`), ['A4:ASSOCIEE', 'A15:ASSOCIEE', 'A19:MISE_EN_PAIEMENT']);
    assert.equal((await c.post(`/works-contracts/${id}/pieces`, { framework: 'A99' })).body.code, 'INVALID_INPUT');
  });

  test('the tacit procedure: no décompte général in time → the titulaire’s projet (A22) replaces the final draft; no answer in 10 days → the tacit DGD (A23) goes to the payer', async () => {
    const w = await world();
    const a7 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A7', month: '2026-03', progress: { '01': '100', '02': '850', '03': '120', '04': '100' } });
    await rejects(depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A22', previousInvoiceId: a7.invoiceId }), 'DEADLINE_NOT_EXPIRED', /décompte général court jusqu'au/);
    clock.advanceDays(32);
    await runWorksClocks(app.ctx);
    const a22 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A22', previousInvoiceId: a7.invoiceId });
    assert.equal(a22.status, 'MISE_A_DISPOSITION_MOA');
    assert.equal((await getPiece(app.ctx, w.companyGp, a7.invoiceId)).status, 'REMPLACEE_PAR_A22');
    await rejects(actOnPiece(app.ctx, w.buyerGp, a22.invoiceId, { action: 'REFUSER', reason: 'DOUBLON' }), 'TRANSITION_NOT_ALLOWED');
    await rejects(depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A23', previousInvoiceId: a22.invoiceId }), 'DEADLINE_NOT_EXPIRED');
    clock.advanceDays(12);
    await runWorksClocks(app.ctx);
    const a23 = await depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A23', previousInvoiceId: a22.invoiceId });
    assert.equal(a23.status, 'MISE_A_DISPOSITION');
    assert.equal((await getPiece(app.ctx, w.companyGp, a22.invoiceId)).status, 'ASSOCIEE');
    // A8 cannot follow anything but a décompte général.
    await rejects(depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A8', previousInvoiceId: a22.invoiceId }), 'INVALID_INPUT');
    await rejects(depositPiece(app.ctx, w.companyGp, w.contractId, { framework: 'A8' }), 'INVALID_INPUT');
  });
});

test('the works clocks are a scheduled job of the workers', async () => {
  const app = await startTestApp({ workers: true });
  try {
    const schedules = await app.queue.boss.getSchedules();
    assert.ok(schedules.some((s: { name: string; cron: string }) => s.name === 'works.clocks' && s.cron === '*/30 * * * *'));
  } finally {
    await app.cleanup();
  }
});
