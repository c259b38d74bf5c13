import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { apiSession } from '../helpers/structure-members.ts';
import { WORKS_FRAMEWORKS, WORKS_FRAMEWORK_INFO, decideValidation } from '../../src/invoices/index.ts';
import { routePiece } from '../../src/works/index.ts';

/**
 * « Every framework A4–A25 has a deposit path »: each of the 19 works frameworks is deposited through /api/v1
 * by the party the table of docs/works.md §2.1 names, in a situation where it is allowed (initial deposit, next
 * piece, standing in for an absent party, tacit procedure after its deadline), on PGlite or PostgreSQL.
 */
const TERMS = {
  priceSchedule: [
    { code: '01', label: 'Installation de chantier', kind: 'FORFAIT', unit: 'ens', quantity: '1', unitPrice: '12000.00' },
    { code: '02', label: 'Terrassements en pleine masse', kind: 'UNITAIRE', unit: 'm3', quantity: '850', unitPrice: '18.40' },
  ],
  vatRate: '20',
  retention: { ratePercent: '5' },
};

describe('works frameworks: a deposit path for each of A4–A25', () => {
  const clock = new TestClock(new Date('2026-03-31T08:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock, workers: false });
  });
  after(async () => app?.cleanup());

  test('each of the 19 works frameworks is deposited through /api/v1 by its party', async () => {
    const [buyerGp, companyGp, coGp, subGp, moeGp] = await Promise.all(['acheteur', 'mandataire', 'cotraitant', 'soustraitant', 'architecte'].map((f) => newUser(app, { firstName: f })));
    const buyer = await newStructure(app, buyerGp, { name: 'OPH Frameworks', kind: 'PUBLIQUE' });
    const company = await newStructure(app, companyGp, { name: 'BTP Mandataire' });
    const co = await newStructure(app, coGp, { name: 'Cotraitant Électricité' });
    const sub = await newStructure(app, subGp, { name: 'Sous-traitant Peinture' });
    const moe = await newStructure(app, moeGp, { name: 'Atelier Archi' });
    let [b, c, k, s, m] = await Promise.all([buyerGp, companyGp, coGp, subGp, moeGp].map((u) => apiSession(app, u.email)));
    let n = 0;
    const contract = async () => {
      const r = await b.post('/contracts', {
        number: `FW-${++n}`, subject: 'Groupe scolaire', buyerSiret: buyer.siret, titulaireSiret: company.siret, groupementKind: 'CONJOINT',
        coContractors: [{ siret: co.siret }], subcontractors: [{ siret: sub.siret, directPayment: true, acceptedAmount: '20000.00', subcontractedBySiret: company.siret }],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const id = r.body.contractId as number;
      assert.equal((await b.post('/works-contracts', { contractId: id, moeSiret: moe.siret, terms: TERMS })).status, 201);
      return id;
    };
    const deposited = new Map<string, string>();
    const deposit = async (who: typeof c, contractId: number, body: Record<string, unknown>) => {
      const r = await who.post(`/works-contracts/${contractId}/pieces`, body);
      assert.equal(r.status, 201, `${String(body.framework)} : ${JSON.stringify(r.body)}`);
      deposited.set(String(body.framework), r.body.status);
      return r.body.invoiceId as number;
    };
    const progress = { '01': '50', '02': '300' };

    // Monthly cycle, contract 1: the titulaire's projet → MOE's état d'acompte → MOA's validation.
    const c1 = await contract();
    const a4 = await deposit(c, c1, { framework: 'A4', month: '2026-03', progress });
    const a15 = await deposit(m, c1, { framework: 'A15', previousInvoiceId: a4 });
    await deposit(b, c1, { framework: 'A19', previousInvoiceId: a15 });
    // The subcontractor's (direct payment) and the co-contractor's projets; the MOE deposits an état d'acompte validated outside (MOA absent).
    const a10 = await deposit(s, c1, { framework: 'A10', month: '2026-03', progress });
    // The titulaire validates its subcontractor's projet first (the A9 circuit); the routing job takes it to the MOE.
    const validate = async (id: number) => {
      assert.equal((await decideValidation(app.ctx, companyGp, id, { action: 'VALIDER' })).status, 'VALIDEE_1');
      assert.equal(await routePiece(app.ctx, id), 'MISE_A_DISPOSITION_MOE');
    };
    await validate(a10);
    await deposit(m, c1, { framework: 'A16', previousInvoiceId: a10 });
    await deposit(k, c1, { framework: 'A13', month: '2026-03', progress });
    // The titulaire's initial deposits when the MOE (A5), or the MOE and the MOA (A6), are absent.
    await deposit(c, c1, { framework: 'A5', month: '2026-04', progress: { '01': '60', '02': '400' } });
    await deposit(c, c1, { framework: 'A6', month: '2026-05', progress: { '01': '70', '02': '500' } });

    // End of contract, contract 1: A7 → A17 → A20 → A8; the subcontractor's A11 → the MOE's DG (A18) → tacit DGD (A24); the co-contractor's A14.
    const a7 = await deposit(c, c1, { framework: 'A7', month: '2026-06', progress: { '01': '100', '02': '850' } });
    const a17 = await deposit(m, c1, { framework: 'A17', previousInvoiceId: a7 });
    const a20 = await deposit(b, c1, { framework: 'A20', previousInvoiceId: a17 });
    await deposit(c, c1, { framework: 'A8', previousInvoiceId: a20 });
    const a11 = await deposit(s, c1, { framework: 'A11', month: '2026-06', progress: { '01': '100', '02': '850' } });
    await validate(a11);
    const a18 = await deposit(m, c1, { framework: 'A18', previousInvoiceId: a11 });
    await deposit(k, c1, { framework: 'A14', month: '2026-06', progress: { '01': '100', '02': '850' } });

    // Tacit procedure, contracts 2 and 3: no DG notified in time → the titulaire's A22; then the A23 (titulaire) or the A25 (MOE).
    const c2 = await contract();
    const c3 = await contract();
    const f2 = await deposit(c, c2, { framework: 'A7', month: '2026-06', progress: { '01': '100', '02': '850' } });
    const f3 = await deposit(c, c3, { framework: 'A7', month: '2026-06', progress: { '01': '100', '02': '850' } });
    const early = await c.post(`/works-contracts/${c2}/pieces`, { framework: 'A22', previousInvoiceId: f2 });
    assert.equal(early.status, 409);
    assert.equal(early.body.code, 'DEADLINE_NOT_EXPIRED');
    clock.advanceDays(35);
    // Weeks later the sessions have expired: the users log in again.
    [b, c, k, s, m] = await Promise.all([buyerGp, companyGp, coGp, subGp, moeGp].map((u) => apiSession(app, u.email)));
    // The titulaire neither signed nor contested the MOE's DG within 30 days: the MOE deposits the tacit DGD.
    await deposit(m, c1, { framework: 'A24', previousInvoiceId: a18 });
    const a22 = await deposit(c, c2, { framework: 'A22', previousInvoiceId: f2 });
    const a22b = await deposit(c, c3, { framework: 'A22', previousInvoiceId: f3 });
    clock.advanceDays(12);
    [c, m] = await Promise.all([companyGp, moeGp].map((u) => apiSession(app, u.email)));
    await deposit(c, c2, { framework: 'A23', previousInvoiceId: a22 });
    await deposit(m, c3, { framework: 'A25', previousInvoiceId: a22b });

    assert.deepEqual([...deposited.keys()].sort(), WORKS_FRAMEWORKS.map((f) => WORKS_FRAMEWORK_INFO[f].code).sort());
    // The pieces to the payer reached it; the others wait for their party.
    for (const code of ['A6', 'A8', 'A16', 'A19', 'A23', 'A24', 'A25']) assert.equal(deposited.get(code), 'MISE_A_DISPOSITION', code);
    for (const code of ['A4', 'A7', 'A13', 'A14']) assert.equal(deposited.get(code), 'MISE_A_DISPOSITION_MOE', code);
    for (const code of ['A10', 'A11']) assert.equal(deposited.get(code), 'A_VALIDER_1', code);
  });
});
