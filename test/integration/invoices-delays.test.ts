import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { addMember, apiSession } from '../helpers/structure-members.ts';
import { webSession } from '../helpers/web-session.ts';
import * as invoices from '../../src/invoices/index.ts';

describe('payment-delay clocks: legal delay from the deposit, stopped by a suspension, late-payment interest and indemnity', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  async function waitForStatus(api: { get(url: string): Promise<{ body: any }> }, id: number, status: string) {
    for (let i = 0; i < 100; i++) {
      const r = await api.get(`/invoices/${id}`);
      if (r.body?.status === status) return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`invoice ${id} never reached ${status}`);
  }
  const scheduledClocks = async (invoiceId: number) =>
    (await sql<{ start_after: Date }>`SELECT start_after FROM pgboss.job WHERE name = 'invoice.payment-clock' AND (data->>'invoiceId')::int = ${invoiceId} ORDER BY start_after`.execute(app.ctx.db)).rows.map((r) => new Date(r.start_after).toISOString());

  test('a public hospital (50 days): the supplier sees the days left, a suspension moves the due date, the clock alerts once, a late payment owes interest + 40 €', async () => {
    const supplierGp = await newUser(app);
    const buyerGp = await newUser(app);
    const supplier = await newStructure(app, supplierGp, { name: 'Blanchisserie' });
    const buyer = await newStructure(app, buyerGp, { name: 'Centre hospitalier', kind: 'PUBLIQUE' });
    // Sessions expire while the clock moves by days: a fresh one for each call.
    const sup = () => apiSession(app, supplierGp.email);
    const buy = () => apiSession(app, buyerGp.email);

    // Only the principal manager sets the delay; it cannot exceed the legal one.
    const member = await newUser(app);
    await addMember(app, buyer.structureId, member, [{ space: 'FACTURES_RECUES', access: 'MODIFICATION' }]);
    assert.equal((await (await apiSession(app, member.email)).put(`/structures/${buyer.structureId}/payment-terms`, { payerCategory: 'ETAT' })).status, 403);
    const tooLong = await (await buy()).put(`/structures/${buyer.structureId}/payment-terms`, { payerCategory: 'COLLECTIVITE_TERRITORIALE', delayDays: 45 });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.fields.delayDays, /délai légal de 30 jours/);
    assert.deepEqual((await (await buy()).put(`/structures/${buyer.structureId}/payment-terms`, { payerCategory: 'ETABLISSEMENT_PUBLIC_SANTE' })).body, { payerCategory: 'ETABLISSEMENT_PUBLIC_SANTE', ownDelayDays: null, delayDays: 50 });

    const draft = await (await sup()).post('/invoices', {
      supplierStructureId: supplier.structureId, recipientSiret: buyer.siret, number: 'BL-2026-11', invoiceDate: '2026-11-27',
      lines: [{ description: 'Linge, novembre', quantity: '1', unitPrice: '10000.00', vatRate: '20' }],
    });
    const id = draft.body.invoiceId;
    assert.equal((await (await sup()).post(`/invoices/${id}/submit`)).status, 200);
    // Deposited on 2026-11-28: 50 days → 2027-01-17; the job is armed at the start of 2027-01-18 (Paris).
    assert.deepEqual(await scheduledClocks(id), ['2027-01-17T23:00:00.000Z']);
    let inv = await waitForStatus(await sup(), id, 'MISE_A_DISPOSITION');
    assert.deepEqual([inv.paymentDelay.state, inv.paymentDelay.dueOn, inv.paymentDelay.daysLeft], ['EN_COURS', '2027-01-17', 50]);
    assert.match((await (await webSession(app, supplierGp.email)).get(`/structures/${supplier.structureId}/factures-emises/${id}`)).body, /Il reste 50 jours au destinataire pour payer/);

    clock.advanceDays(10); // 2026-12-08
    const susp = await (await buy()).post(`/invoices/${id}/actions`, { action: 'SUSPENDRE', reason: 'BON_DE_COMMANDE_MANQUANT' });
    assert.equal(susp.body.status, 'SUSPENDUE', JSON.stringify(susp.body));
    clock.advanceDays(5); // 2026-12-13
    inv = (await (await sup()).get(`/invoices/${id}`)).body;
    assert.deepEqual([inv.paymentDelay.state, inv.paymentDelay.daysLeft, inv.paymentDelay.dueOn], ['SUSPENDU', 40, '2027-01-22']);
    assert.equal((await (await sup()).post(`/invoices/${id}/actions`, { action: 'COMPLETER', comment: 'Bon de commande envoyé' })).body.status, 'COMPLETEE');
    assert.deepEqual(await scheduledClocks(id), ['2027-01-17T23:00:00.000Z', '2027-01-22T23:00:00.000Z']);
    // « Factures reçues » lists the due date, moved by the suspension (the supplier's list has no such column).
    const received = (await (await webSession(app, buyerGp.email)).get(`/structures/${buyer.structureId}/factures-recues`)).body;
    assert.match(received, /<th scope="col">Échéance<\/th>/);
    assert.match(received, /BL-2026-11<\/a><\/th>[\s\S]*?<td>22\/01\/2027<\/td>/);
    assert.doesNotMatch((await (await webSession(app, supplierGp.email)).get(`/structures/${supplier.structureId}/factures-emises`)).body, /Échéance/);
    // The first job fires on the old date: the due date moved, nothing happens.
    clock.advanceDays(36); // 2027-01-18
    assert.equal(await invoices.runPaymentClock(app.ctx, id), 'PAS_ENCORE');

    clock.advanceDays(7); // 2027-01-25: 3 days late
    assert.equal(await invoices.runPaymentClock(app.ctx, id), 'ALERTE');
    assert.equal(await invoices.runPaymentClock(app.ctx, id), 'DEJA_ALERTE');
    await app.mailbox!.waitFor(buyerGp.email, /BL-2026-11 : délai de paiement dépassé/);
    await app.mailbox!.waitFor(supplierGp.email, /BL-2026-11 : délai de paiement dépassé/);
    inv = (await (await buy()).get(`/invoices/${id}`)).body;
    assert.deepEqual([inv.paymentDelay.state, inv.paymentDelay.daysLate], ['DEPASSE', 3]);
    // What is due if paid today: 12 000 € × (2.15 + 8) % × 3 / 365, and 40 €.
    const expected = (days: number) => new Decimal('12000.00').mul('10.15').div(100).mul(days).div(365).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
    assert.deepEqual(inv.paymentDelay.compensation, { daysLate: 3, ecbRate: '2.150', interestRate: '10.150', interest: expected(3), indemnity: '40.00', total: new Decimal(expected(3)).plus(40).toFixed(2) });
    assert.equal(inv.paymentDelay.compensationFinal, false);

    clock.advanceDays(7); // 2027-02-01: paid 10 days late
    assert.equal((await (await buy()).post(`/invoices/${id}/actions`, { action: 'SERVICE_FAIT' })).status, 200);
    assert.equal((await (await buy()).post(`/invoices/${id}/actions`, { action: 'METTRE_EN_PAIEMENT' })).body.status, 'MISE_EN_PAIEMENT');
    clock.advanceDays(30);
    inv = (await (await sup()).get(`/invoices/${id}`)).body;
    assert.deepEqual([inv.paymentDelay.state, inv.paymentDelay.daysLate, inv.paymentDelay.paidOn], ['PAYE_EN_RETARD', 10, '2027-02-01']);
    assert.equal(inv.paymentDelay.compensation.interest, expected(10));
    assert.equal(inv.paymentDelay.compensation.total, new Decimal(expected(10)).plus(40).toFixed(2));
    assert.equal(inv.paymentDelay.compensationFinal, true);
    assert.equal(await invoices.runPaymentClock(app.ctx, id), 'ARRETE');
    const page = (await (await webSession(app, buyerGp.email)).get(`/structures/${buyer.structureId}/factures-recues/${id}`)).body;
    assert.match(page, /Payée avec 10 jours de retard/);
    assert.match(page, /Indemnité forfaitaire pour frais de recouvrement/);
  });

  test('a town (default 30 days) paid in time owes nothing; a rejected invoice stops its clock', async () => {
    const supplierGp = await newUser(app);
    const buyerGp = await newUser(app);
    const supplier = await newStructure(app, supplierGp);
    const buyer = await newStructure(app, buyerGp, { kind: 'PUBLIQUE' });
    // Sessions expire while the clock moves by days: a fresh one for each call.
    const sup = () => apiSession(app, supplierGp.email);
    const buy = () => apiSession(app, buyerGp.email);
    const ids: number[] = [];
    for (const number of ['T-1', 'T-2']) {
      const d = await (await sup()).post('/invoices', { supplierStructureId: supplier.structureId, recipientSiret: buyer.siret, number, invoiceDate: '2026-11-27', lines: [{ description: 'x', quantity: '1', unitPrice: '100', vatRate: '20' }] });
      await (await sup()).post(`/invoices/${d.body.invoiceId}/submit`);
      await waitForStatus(await buy(), d.body.invoiceId, 'MISE_A_DISPOSITION');
      ids.push(d.body.invoiceId);
    }
    const first = (await (await buy()).get(`/invoices/${ids[0]}`)).body.paymentDelay;
    assert.equal(first.delayDays, 30);
    clock.advanceDays(20);
    await (await buy()).post(`/invoices/${ids[0]}/actions`, { action: 'METTRE_EN_PAIEMENT' });
    await (await buy()).post(`/invoices/${ids[1]}/actions`, { action: 'REJETER', reason: 'DOUBLON' });
    clock.advanceDays(40);
    const paid = (await (await sup()).get(`/invoices/${ids[0]}`)).body.paymentDelay;
    assert.deepEqual([paid.state, paid.compensation], ['PAYE', null]);
    assert.equal((await (await sup()).get(`/invoices/${ids[1]}`)).body.paymentDelay.state, 'ARRETE');
    assert.equal(await invoices.runPaymentClock(app.ctx, ids[1]), 'ARRETE');
  });
});
