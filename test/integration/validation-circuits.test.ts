import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { addMember, apiSession } from '../helpers/structure-members.ts';
import * as invoices from '../../src/invoices/index.ts';

describe('subcontractors (A9) and co-contractors (A12): validation circuits through the API', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  async function world() {
    const [buyerGp, mandGp, coGp, subGp, sub2Gp, outsiderGp] = await Promise.all(['Claire', 'Marie', 'Léa', 'Karim', 'Nina', 'Otto'].map((n) => newUser(app, { firstName: n })));
    const buyer = await newStructure(app, buyerGp, { name: 'Commune', kind: 'PUBLIQUE' });
    const mand = await newStructure(app, mandGp, { name: 'BTP Mandataire' });
    const co = await newStructure(app, coGp, { name: 'Plomberie Cotraitante' });
    const sub = await newStructure(app, subGp, { name: 'Électricité Sous-traitante' });
    const sub2 = await newStructure(app, sub2Gp, { name: 'Peinture sous-traitante du cotraitant' });
    const outsider = await newStructure(app, outsiderGp, { name: 'Tiers' });
    const sessions = async () => ({ buyer: await apiSession(app, buyerGp.email), mand: await apiSession(app, mandGp.email), co: await apiSession(app, coGp.email), sub: await apiSession(app, subGp.email), sub2: await apiSession(app, sub2Gp.email), outsider: await apiSession(app, outsiderGp.email) });
    const api = await sessions();
    const contract = await api.buyer.post('/contracts', {
      number: `MARCHE-${buyer.structureId}`, subject: 'Groupe scolaire', buyerSiret: buyer.siret, groupementKind: 'CONJOINT', titulaireSiret: mand.siret,
      coContractors: [{ siret: co.siret }],
      subcontractors: [
        { siret: sub.siret, directPayment: true, acceptedAmount: '1000.00', subcontractedBySiret: mand.siret },
        { siret: sub2.siret, directPayment: true, acceptedAmount: '5000.00', subcontractedBySiret: co.siret },
      ],
    });
    assert.equal(contract.status, 201, JSON.stringify(contract.body));
    /** Sessions expire when the clock moves on: log in again. */
    const relogin = async () => Object.assign(api, await sessions());
    return { buyerGp, mandGp, coGp, buyer, mand, co, sub, sub2, outsider, api, relogin, contractNumber: `MARCHE-${buyer.structureId}` };
  }
  type World = Awaited<ReturnType<typeof world>>;
  let n = 0;
  async function draft(w: World, who: 'sub' | 'sub2' | 'co' | 'mand', framework: string, amount: string, contract: { contractNumber?: string | null; validatorSiret?: string | null } | null) {
    const supplier = { sub: w.sub, sub2: w.sub2, co: w.co, mand: w.mand }[who];
    const r = await w.api[who].post('/invoices', {
      supplierStructureId: supplier.structureId, recipientSiret: w.buyer.siret, framework, number: `ST-${++n}`, invoiceDate: '2026-11-27',
      lines: [{ description: 'Travaux', quantity: '1', unitPrice: amount, vatRate: '20' }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    if (contract) {
      const c = await w.api[who].put(`/invoices/${r.body.invoiceId}/contract`, contract);
      assert.equal(c.status, 200, JSON.stringify(c.body));
    }
    return r.body.invoiceId as number;
  }
  async function waitForStatus(api: { get(url: string): Promise<{ status: number; body: any }> }, id: number, status: string) {
    for (let i = 0; i < 100; i++) {
      const r = await api.get(`/invoices/${id}`);
      if (r.body?.status === status) return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`invoice ${id} never reached ${status}`);
  }

  test('A9: the titulaire refuses with a reason; a corrected invoice is deposited; 15 days of silence → tacit validation at the exact instant; the buyer processes it', async () => {
    const w = await world();
    const first = await draft(w, 'sub', 'A9_FACTURE_SOUSTRAITANT', '500', { contractNumber: w.contractNumber, validatorSiret: w.mand.siret });
    const sent = await w.api.sub.post(`/invoices/${first}/submit`);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await waitForStatus(w.api.sub, first, 'A_VALIDER_1');
    // The buyer does not see it yet; the titulaire has it in its work list with 15 days left.
    assert.equal((await w.api.buyer.get(`/invoices/${first}`)).status, 404);
    const list = await w.api.mand.get(`/structures/${w.mand.structureId}/invoices-to-validate?status=A_TRAITER`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.invoices.map((i: any) => [i.id, i.level, i.daysLeft]), [[first, 1, 15]]);
    const noReason = await w.api.mand.post(`/invoices-to-validate/${first}/decision`, { action: 'REFUSER_VALIDATION' });
    assert.equal(noReason.status, 409);
    assert.equal(noReason.body.code, 'GUARD_FAILED');
    const badReason = await w.api.mand.post(`/invoices-to-validate/${first}/decision`, { action: 'REFUSER_VALIDATION', reason: 'N_IMPORTE_QUOI' });
    assert.equal(badReason.status, 400);
    const refused = await w.api.mand.post(`/invoices-to-validate/${first}/decision`, { action: 'REFUSER_VALIDATION', reason: 'PRESTATIONS_NON_REALISEES', comment: 'Lot 3 non terminé' });
    assert.deepEqual(refused.body, { invoiceId: first, status: 'REFUSEE_1', level: 1 });
    // The subcontractor sees why.
    const circuit = (await w.api.sub.get(`/invoices/${first}/circuit`)).body.circuit;
    assert.equal(circuit.levels[0].validator.identifier, w.mand.siret);
    assert.deepEqual(circuit.levels[0].decisions.map((d: any) => [d.decision, d.reasonLabel, d.comment, d.actor]), [['REFUSEE', 'Prestations non réalisées ou non conformes', 'Lot 3 non terminé', 'Marie Test']]);

    // A corrected invoice: deposited, waiting for the titulaire, whose deadline is a job at the exact instant.
    const second = await draft(w, 'sub', 'A9_FACTURE_SOUSTRAITANT', '450', { contractNumber: w.contractNumber, validatorSiret: w.mand.siret });
    assert.equal((await w.api.sub.post(`/invoices/${second}/submit`)).status, 200);
    await waitForStatus(w.api.sub, second, 'A_VALIDER_1');
    const v = await app.ctx.db.selectFrom('invoice_validations').selectAll().where('invoice_id', '=', second).executeTakeFirstOrThrow();
    const openedAt = new Date(v.level_opened_at!);
    const dueAt = new Date(v.due_at!);
    assert.equal(dueAt.toISOString(), invoices.addParisCalendarDays(openedAt, 15).toISOString());
    const jobs = await sql<{ name: string; start_after: Date }>`SELECT name, start_after FROM pgboss.job WHERE data->>'invoiceId' = ${String(second)} AND name LIKE 'invoice.validation-%' ORDER BY start_after`.execute(app.ctx.db);
    assert.deepEqual(jobs.rows.map((j) => [j.name, new Date(j.start_after).toISOString()]), [
      ['invoice.validation-reminder', invoices.addParisCalendarDays(dueAt, -5).toISOString()],
      ['invoice.validation-reminder', invoices.addParisCalendarDays(dueAt, -1).toISOString()],
      ['invoice.validation-deadline', dueAt.toISOString()],
    ]);
    // A reminder a day before: the titulaire's GP is notified.
    clock.advanceDays(14);
    assert.equal(await invoices.remindValidator(app.ctx, { invoiceId: second, level: 1, dueAt: dueAt.toISOString() }), true);
    const reminders = await app.ctx.db.selectFrom('notifications').select('message').where('user_id', '=', w.mandGp.userId).where('kind', '=', 'INVOICE_VALIDATION_REMINDER').execute();
    assert.equal(reminders.length, 1);
    assert.match(reminders[0].message, /Rappel : la facture ST-\d+ .* \(1 jour\)/);
    // One second before the instant: nothing; at the instant: tacit validation, then the buyer receives it.
    clock.advanceMinutes((dueAt.getTime() - clock.now().getTime()) / 60_000 - 1 / 60);
    assert.equal(await invoices.runDueValidationDeadlines(app.ctx), 0);
    assert.equal(await invoices.runValidationDeadline(app.ctx, { invoiceId: second, level: 1, dueAt: dueAt.toISOString() }).then((r) => r), 'WAITING');
    clock.advanceMinutes(1 / 60);
    assert.equal(await invoices.runDueValidationDeadlines(app.ctx), 1);
    await w.relogin();
    assert.equal(await invoices.runValidationDeadline(app.ctx, { invoiceId: second, level: 1, dueAt: dueAt.toISOString() }), 'STALE', 'a second run does nothing');
    const reached = await waitForStatus(w.api.buyer, second, 'MISE_A_DISPOSITION');
    assert.deepEqual(reached.path.filter((e: any) => e.type === 'TRANSITION').map((e: any) => e.toStatus), ['DEPOSEE', 'A_VALIDER_1', 'ABSENCE_VALIDATION_1_HORS_DELAI', 'DEPOSEE', 'EN_COURS_ACHEMINEMENT', 'MISE_A_DISPOSITION']);
    assert.equal(reached.chainValid, true);
    assert.equal((await w.api.buyer.post(`/invoices/${second}/actions`, { action: 'SERVICE_FAIT' })).body.status, 'SERVICE_FAIT');
    const after = (await w.api.sub.get(`/invoices/${second}/circuit`)).body.circuit;
    assert.equal(after.completed, true);
    assert.equal(after.levels[0].decisions[0].decision, 'TACITE');
    // Too late for the titulaire.
    assert.equal((await w.api.mand.post(`/invoices-to-validate/${second}/decision`, { action: 'VALIDER' })).status, 409);
  });

  test('a subcontractor of a co-traitant: the co-traitant validates, then the mandataire; each only at its level', async () => {
    const w = await world();
    const id = await draft(w, 'sub2', 'A9_FACTURE_SOUSTRAITANT', '800', { contractNumber: w.contractNumber, validatorSiret: w.co.siret });
    assert.equal((await w.api.sub2.post(`/invoices/${id}/submit`)).status, 200);
    await waitForStatus(w.api.sub2, id, 'A_VALIDER_1');
    assert.equal((await w.api.mand.get(`/invoices-to-validate/${id}`)).status, 404, 'the mandataire sees it once level 2 is reached');
    assert.equal((await w.api.mand.post(`/invoices-to-validate/${id}/decision`, { action: 'VALIDER' })).status, 404);
    const consult = await w.api.co.get(`/invoices-to-validate/${id}`);
    assert.equal(consult.status, 200);
    assert.deepEqual(consult.body.availableActions, { VALIDEUR_1: ['VALIDER', 'REFUSER_VALIDATION', 'SIGNALER_ERREUR_VALIDEUR'] });
    assert.deepEqual(consult.body.circuit.levels.map((l: any) => l.validator.identifier), [w.co.siret, w.mand.siret]);
    assert.equal((await w.api.co.post(`/invoices-to-validate/${id}/decision`, { action: 'VALIDER', comment: 'Conforme' })).body.status, 'VALIDEE_1');
    await waitForStatus(w.api.sub2, id, 'A_VALIDER_2');
    assert.equal((await w.api.co.post(`/invoices-to-validate/${id}/decision`, { action: 'VALIDER' })).status, 409, 'the co-traitant cannot validate level 2');
    const mandList = await w.api.mand.get(`/structures/${w.mand.structureId}/invoices-to-validate?status=A_TRAITER`);
    assert.deepEqual(mandList.body.invoices.map((i: any) => [i.id, i.level, i.daysLeft]), [[id, 2, 15]]);
    assert.equal((await w.api.mand.post(`/invoices-to-validate/${id}/decision`, { action: 'VALIDER' })).body.status, 'VALIDEE_2');
    const reached = await waitForStatus(w.api.buyer, id, 'MISE_A_DISPOSITION');
    assert.deepEqual(reached.path.filter((e: any) => e.type === 'TRANSITION').map((e: any) => [e.toStatus, e.actorRole]), [
      ['DEPOSEE', 'FOURNISSEUR'], ['A_VALIDER_1', 'SYSTEME'], ['VALIDEE_1', 'VALIDEUR_1'], ['A_VALIDER_2', 'SYSTEME'], ['VALIDEE_2', 'VALIDEUR_2'],
      ['DEPOSEE', 'SYSTEME'], ['EN_COURS_ACHEMINEMENT', 'SYSTEME'], ['MISE_A_DISPOSITION', 'SYSTEME'],
    ]);
    const circuit = (await w.api.buyer.get(`/invoices/${id}/circuit`)).body.circuit;
    assert.deepEqual(circuit.levels.map((l: any) => [l.level, l.decisions.map((d: any) => [d.decision, d.actor])]), [[1, [['VALIDEE', 'Léa Test']]], [2, [['VALIDEE', 'Marie Test']]]]);
  });

  test('A12: the mandataire signals it is not the validator, the co-traitant corrects, a new deadline starts; the mandataire validates', async () => {
    const w = await world();
    const id = await draft(w, 'co', 'A12_FACTURE_COTRAITANT', '300', { contractNumber: w.contractNumber, validatorSiret: w.mand.siret });
    assert.equal((await w.api.co.post(`/invoices/${id}/submit`)).status, 200);
    await waitForStatus(w.api.co, id, 'A_VALIDER_1');
    const firstDue = (await app.ctx.db.selectFrom('invoice_validations').select('due_at').where('invoice_id', '=', id).executeTakeFirstOrThrow()).due_at!;
    assert.equal((await w.api.mand.post(`/invoices-to-validate/${id}/decision`, { action: 'SIGNALER_ERREUR_VALIDEUR', comment: 'Adressez-la au service facturation' })).body.status, 'ERREUR_FOURNISSEUR_SUR_VALIDEUR');
    const wrong = await w.api.co.post(`/invoices/${id}/validator`, { validatorSiret: w.sub.siret });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.fields.validatorSiret, /ne désigne pas/);
    clock.advanceDays(2);
    await w.relogin();
    const fixed = await w.api.co.post(`/invoices/${id}/validator`, { validatorSiret: w.mand.siret, comment: 'Valideur confirmé' });
    assert.deepEqual(fixed.body, { invoiceId: id, status: 'A_VALIDER_1' });
    const secondDue = (await app.ctx.db.selectFrom('invoice_validations').select('due_at').where('invoice_id', '=', id).executeTakeFirstOrThrow()).due_at!;
    assert.equal(new Date(secondDue).getTime() - new Date(firstDue).getTime(), 2 * 86_400_000, 'a new 15-day deadline');
    assert.equal((await w.api.mand.post(`/invoices-to-validate/${id}/decision`, { action: 'VALIDER' })).body.status, 'VALIDEE_1');
    await waitForStatus(w.api.buyer, id, 'MISE_A_DISPOSITION');
  });

  test('deposit checks: contract required, depositor declared with direct payment, the designated validator; cumulative amount beyond the acte spécial is a warning', async () => {
    const w = await world();
    const noContract = await draft(w, 'sub', 'A9_FACTURE_SOUSTRAITANT', '100', null);
    const r1 = await w.api.sub.post(`/invoices/${noContract}/submit`);
    assert.equal(r1.status, 400);
    assert.match(r1.body.fields.contractNumber, /numéro du marché/);
    const missing = await w.api.sub.put(`/invoices/${noContract}/contract`, { contractNumber: 'INCONNU', validatorSiret: w.mand.siret });
    assert.match(missing.body.fields.contractNumber, /n'a pas de marché numéro « INCONNU »/);
    const wrongValidator = await draft(w, 'sub', 'A9_FACTURE_SOUSTRAITANT', '100', { contractNumber: w.contractNumber, validatorSiret: w.co.siret });
    const r2 = await w.api.sub.post(`/invoices/${wrongValidator}/submit`);
    assert.equal(r2.status, 400);
    assert.match(r2.body.fields.validatorSiret, new RegExp(`désigne BTP Mandataire \\(SIRET ${w.mand.siret}\\)`));
    const notSub = await draft(w, 'co', 'A9_FACTURE_SOUSTRAITANT', '100', { contractNumber: w.contractNumber, validatorSiret: w.mand.siret });
    assert.match((await w.api.co.post(`/invoices/${notSub}/submit`)).body.fields.contractNumber, /pas déclarée sous-traitante/);
    const notCo = await draft(w, 'sub', 'A12_FACTURE_COTRAITANT', '100', { contractNumber: w.contractNumber, validatorSiret: w.mand.siret });
    assert.match((await w.api.sub.post(`/invoices/${notCo}/submit`)).body.fields.contractNumber, /pas déclarée cotraitante/);
    // Global payment request: the mandataire only.
    const global = await draft(w, 'mand', 'A1_FACTURE_FOURNISSEUR', '2000', { contractNumber: w.contractNumber });
    assert.equal((await w.api.mand.post(`/invoices/${global}/submit`)).status, 200);
    await waitForStatus(w.api.mand, global, 'MISE_A_DISPOSITION');
    const coGlobal = await draft(w, 'co', 'A1_FACTURE_FOURNISSEUR', '2000', { contractNumber: w.contractNumber });
    assert.match((await w.api.co.post(`/invoices/${coGlobal}/submit`)).body.fields.contractNumber, /seul le mandataire/);
    // Accepted 1000 HT: 600 then 600 invoiced → the second carries a warning (the deposit is not blocked).
    const a = await draft(w, 'sub', 'A9_FACTURE_SOUSTRAITANT', '600', { contractNumber: w.contractNumber, validatorSiret: w.mand.siret });
    assert.equal((await w.api.sub.post(`/invoices/${a}/submit`)).status, 200);
    await waitForStatus(w.api.sub, a, 'A_VALIDER_1');
    assert.deepEqual((await w.api.sub.get(`/invoices/${a}/circuit`)).body.circuit.warnings, []);
    const b = await draft(w, 'sub', 'A9_FACTURE_SOUSTRAITANT', '600', { contractNumber: w.contractNumber, validatorSiret: w.mand.siret });
    assert.equal((await w.api.sub.post(`/invoices/${b}/submit`)).status, 200);
    await waitForStatus(w.api.sub, b, 'A_VALIDER_1');
    const warnings = (await w.api.mand.get(`/invoices-to-validate/${b}`)).body.circuit.warnings;
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /montant cumulé facturé sur le marché \(1\u202f200,00\u00a0€ HT\) dépasse le montant accepté par l'acte spécial \(1\u202f000,00\u00a0€ HT\)/);
  });

  test('who sees and decides: outsiders get 404, members without « Factures à valider » 403, consultation-only members cannot decide', async () => {
    const w = await world();
    const id = await draft(w, 'sub', 'A9_FACTURE_SOUSTRAITANT', '100', { contractNumber: w.contractNumber, validatorSiret: w.mand.siret });
    assert.equal((await w.api.sub.post(`/invoices/${id}/submit`)).status, 200);
    await waitForStatus(w.api.sub, id, 'A_VALIDER_1');
    assert.equal((await w.api.outsider.get(`/invoices-to-validate/${id}`)).status, 404);
    assert.equal((await w.api.outsider.get(`/invoices/${id}/circuit`)).status, 404);
    assert.equal((await w.api.outsider.get(`/structures/${w.mand.structureId}/invoices-to-validate`)).status, 404);
    const clerk = await newUser(app);
    await addMember(app, w.mand.structureId, clerk, [{ space: 'FACTURES_EMISES', access: 'MODIFICATION' }]);
    const clerkApi = await apiSession(app, clerk.email);
    assert.equal((await clerkApi.get(`/invoices-to-validate/${id}`)).status, 403);
    assert.equal((await clerkApi.get(`/structures/${w.mand.structureId}/invoices-to-validate`)).status, 403);
    const reader = await newUser(app);
    await addMember(app, w.mand.structureId, reader, [{ space: 'FACTURES_A_VALIDER', access: 'CONSULTATION_UNIQUEMENT' }]);
    const readerApi = await apiSession(app, reader.email);
    assert.equal((await readerApi.get(`/invoices-to-validate/${id}`)).status, 200);
    assert.equal((await readerApi.post(`/invoices-to-validate/${id}/decision`, { action: 'VALIDER' })).status, 403);
    // The subcontractor cannot validate its own invoice, nor the buyer before it reaches it.
    assert.equal((await w.api.sub.post(`/invoices-to-validate/${id}/decision`, { action: 'VALIDER' })).status, 404);
    assert.equal((await w.api.buyer.post(`/invoices/${id}/actions`, { action: 'SERVICE_FAIT' })).status, 404);
    // The generic action endpoint does not bypass the validator.
    assert.equal((await w.api.sub.post(`/invoices/${id}/actions`, { action: 'VALIDER' })).status, 409);
  });
});
