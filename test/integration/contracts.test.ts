import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { addMember, apiSession } from '../helpers/structure-members.ts';
import { webSession } from '../helpers/web-session.ts';
import { designateValidators } from '../../src/contracts/index.ts';

describe('contracts (marchés): parties, subcontractors, amendments, who sees and edits', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock, workers: false });
  });
  after(async () => app?.cleanup());

  async function world() {
    const people = await Promise.all(['acheteur', 'mandataire', 'cotraitant', 'soustraitant', 'soustraitant2', 'tiers'].map((n) => newUser(app, { firstName: n })));
    const [buyerGp, mandGp, coGp, subGp, sub2Gp, outsiderGp] = people;
    const buyer = await newStructure(app, buyerGp, { name: 'Commune', kind: 'PUBLIQUE' });
    const mand = await newStructure(app, mandGp, { name: 'Mandataire' });
    const co = await newStructure(app, coGp, { name: 'Cotraitant' });
    const sub = await newStructure(app, subGp, { name: 'Sous-traitant' });
    const sub2 = await newStructure(app, sub2Gp, { name: 'Sous-traitant du cotraitant' });
    const outsider = await newStructure(app, outsiderGp, { name: 'Tiers' });
    const api = async (u: { email: string }) => apiSession(app, u.email);
    return { buyerGp, mandGp, coGp, subGp, sub2Gp, outsiderGp, buyer, mand, co, sub, sub2, outsider, api };
  }
  let n = 0;
  const body = (w: Awaited<ReturnType<typeof world>>, extra: Record<string, unknown> = {}) => ({
    number: `M-2026-${++n}`,
    subject: 'Réhabilitation du groupe scolaire',
    buyerSiret: w.buyer.siret,
    ejNumbers: ['1000099001'],
    groupementKind: 'CONJOINT',
    titulaireSiret: w.mand.siret,
    coContractors: [{ siret: w.co.siret }],
    subcontractors: [
      { siret: w.sub.siret, directPayment: true, acceptedAmount: '20000.00', subcontractedBySiret: w.mand.siret },
      { siret: w.sub2.siret, directPayment: true, acceptedAmount: '8000,5', subcontractedBySiret: w.co.siret },
    ],
    ...extra,
  });

  test('the titulaire records a groupement with subcontractors; ranks are derived; every party sees it, outsiders do not', async () => {
    const w = await world();
    const mand = await w.api(w.mandGp);
    const r = await mand.post('/contracts', body(w));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = r.body.contractId;
    for (const u of [w.buyerGp, w.mandGp, w.coGp, w.subGp, w.sub2Gp]) {
      const g = await (await w.api(u)).get(`/contracts/${id}`);
      assert.equal(g.status, 200);
      assert.equal(g.body.groupementKind, 'CONJOINT');
      const roles = Object.fromEntries(g.body.parties.map((p: any) => [p.structure.identifier, p]));
      assert.equal(roles[w.mand.siret].role, 'MANDATAIRE');
      assert.equal(roles[w.co.siret].role, 'COTRAITANT');
      assert.equal(roles[w.sub.siret].rank, 1);
      assert.equal(roles[w.sub2.siret].subcontractedBy.identifier, w.co.siret);
      assert.equal(roles[w.sub2.siret].acceptedAmount, '8000.50');
      assert.equal(g.body.history.length, 1);
    }
    assert.equal((await (await w.api(w.outsiderGp)).get(`/contracts/${id}`)).status, 404);
    const list = await (await w.api(w.subGp)).get(`/structures/${w.sub.structureId}/contracts`);
    assert.deepEqual(list.body.contracts.map((c: any) => c.id), [id]);
  });

  test('only the buyer amends; the history keeps every version with its summary', async () => {
    const w = await world();
    const buyer = await w.api(w.buyerGp);
    const created = await buyer.post('/contracts', body(w));
    assert.equal(created.status, 201);
    const id = created.body.contractId;
    const refused = await (await w.api(w.mandGp)).put(`/contracts/${id}`, body(w, { number: 'X' }));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'FORBIDDEN');
    const amended = await buyer.put(`/contracts/${id}`, { ...body(w), number: `AV-${id}`, subcontractors: [{ siret: w.sub.siret, directPayment: true, acceptedAmount: '25000', subcontractedBySiret: w.mand.siret }], summary: 'Avenant n° 1 : montant du lot électricité' });
    assert.equal(amended.status, 200, JSON.stringify(amended.body));
    assert.equal(amended.body.version, 2);
    assert.equal(amended.body.parties.length, 3);
    assert.equal(amended.body.parties.find((p: any) => p.structure.identifier === w.sub.siret).acceptedAmount, '25000.00');
    assert.deepEqual(amended.body.history.map((h: any) => [h.version, h.kind, h.summary]), [[1, 'CREATION', null], [2, 'AVENANT', 'Avenant n° 1 : montant du lot électricité']]);
    assert.equal(amended.body.history[0].snapshot.parties.length, 4, 'version 1 is kept as it was');
    // The sub-subcontractor lost its contract: it no longer sees it.
    assert.equal((await (await w.api(w.sub2Gp)).get(`/contracts/${id}`)).status, 404);
  });

  test('bad input is refused field by field in French: unknown SIRET, direct payment beyond rank 1, missing accepted amount, duplicates, number taken', async () => {
    const w = await world();
    const buyer = await w.api(w.buyerGp);
    const r = await buyer.post('/contracts', body(w, {
      subcontractors: [
        { siret: w.sub.siret, directPayment: true, subcontractedBySiret: w.mand.siret },
        { siret: w.sub2.siret, directPayment: true, acceptedAmount: '10', subcontractedBySiret: w.sub.siret },
        { siret: '99999999999999', subcontractedBySiret: '11111111111111' },
      ],
    }));
    assert.equal(r.status, 400);
    assert.match(r.body.fields['subcontractors.0.acceptedAmount'], /acte spécial/);
    assert.match(r.body.fields['subcontractors.1.directPayment'], /premier rang/);
    assert.match(r.body.fields['subcontractors.2.siret'], /Aucune structure/);
    assert.match(r.body.fields['subcontractors.2.subcontractedBySiret'], /ni le titulaire/);
    const dup = await buyer.post('/contracts', body(w, { coContractors: [{ siret: w.mand.siret }] }));
    assert.match(dup.body.fields['coContractors.0.siret'], /deux fois/);
    const sole = await buyer.post('/contracts', body(w, { groupementKind: null }));
    assert.match(sole.body.fields.coContractors, /groupement/);
    const ok = await buyer.post('/contracts', body(w, { number: 'UNIQUE-1' }));
    assert.equal(ok.status, 201);
    const again = await buyer.post('/contracts', body(w, { number: 'UNIQUE-1' }));
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'CONTRACT_NUMBER_TAKEN');
    const outsider = await (await w.api(w.outsiderGp)).post('/contracts', body(w));
    assert.equal(outsider.status, 403);
  });

  test('a member without the invoicing right cannot record the contract', async () => {
    const w = await world();
    const clerk = await newUser(app);
    await addMember(app, w.buyer.structureId, clerk, [{ space: 'FACTURES_RECUES', access: 'CONSULTATION_UNIQUEMENT' }]);
    const r = await (await apiSession(app, clerk.email)).post('/contracts', body(w));
    assert.equal(r.status, 403);
  });

  test('web pages: the titulaire records the contract by form, the buyer amends it, the history shows both versions', async () => {
    const w = await world();
    const mand = await webSession(app, w.mandGp.email);
    const created = await mand.submit(`/marches/nouveau?structure=${w.mand.structureId}`, '/marches/nouveau', {
      number: 'WEB-1', subject: 'Voirie', buyerSiret: w.buyer.siret, ejNumbers: '1000099002, 1000099003', groupementKind: 'SOLIDAIRE', titulaireSiret: w.mand.siret,
      'coContractors.0.siret': w.co.siret, 'subcontractors.0.siret': w.sub.siret, 'subcontractors.0.subcontractedBySiret': w.co.siret,
      'subcontractors.0.directPayment': 'on', 'subcontractors.0.acceptedAmount': '12 000,00',
    });
    assert.equal(created.statusCode, 303, created.body);
    const url = created.headers.location!.replace(/\?.*$/, '');
    const page = await mand.get(url);
    assert.match(page.body, /Groupement solidaire/);
    assert.match(page.body, /12\u202f000,00/);
    assert.doesNotMatch(page.body, /Modifier par avenant/);
    const buyer = await webSession(app, w.buyerGp.email);
    const form = await buyer.get(`${url}/avenant`);
    assert.match(form.body, /value="WEB-1"/);
    const bad = await buyer.submit(`${url}/avenant`, `${url}/avenant`, { number: 'WEB-1', subject: 'Voirie', titulaireSiret: w.mand.siret, groupementKind: '', 'coContractors.0.siret': w.co.siret });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /groupement/);
    const ok = await buyer.submit(`${url}/avenant`, `${url}/avenant`, { number: 'WEB-1', subject: 'Voirie et réseaux', titulaireSiret: w.mand.siret, groupementKind: 'SOLIDAIRE', 'coContractors.0.siret': w.co.siret, summary: 'Avenant 1' });
    assert.equal(ok.statusCode, 303, ok.body);
    const after = await buyer.get(url);
    assert.match(after.body, /Voirie et réseaux/);
    assert.match(after.body, /Avenant : Avenant 1/);
    assert.match((await mand.get(`/structures/${w.mand.structureId}/marches`)).body, /WEB-1/);
  });

  test('who validates: the titulaire for its subcontractor; the co-traitant then the mandataire; the mandataire for a co-traitant', () => {
    const parties = [
      { id: 1, structureId: 10, role: 'MANDATAIRE', directPayment: false, rank: null, acceptedAmount: null, subcontractedByPartyId: null },
      { id: 2, structureId: 20, role: 'COTRAITANT', directPayment: false, rank: null, acceptedAmount: null, subcontractedByPartyId: null },
      { id: 3, structureId: 30, role: 'SOUS_TRAITANT', directPayment: true, rank: 1, acceptedAmount: '100.00', subcontractedByPartyId: 1 },
      { id: 4, structureId: 40, role: 'SOUS_TRAITANT', directPayment: true, rank: 1, acceptedAmount: '100.00', subcontractedByPartyId: 2 },
      { id: 5, structureId: 50, role: 'SOUS_TRAITANT', directPayment: false, rank: 1, acceptedAmount: null, subcontractedByPartyId: 1 },
    ];
    assert.deepEqual(designateValidators(parties, 30, 'SOUS_TRAITANCE'), { ok: true, validators: [10], depositor: parties[2] });
    assert.deepEqual(designateValidators(parties, 40, 'SOUS_TRAITANCE'), { ok: true, validators: [20, 10], depositor: parties[3] });
    assert.deepEqual(designateValidators(parties, 20, 'COTRAITANCE'), { ok: true, validators: [10], depositor: parties[1] });
    assert.equal(designateValidators(parties, 50, 'SOUS_TRAITANCE').ok, false);
    assert.equal(designateValidators(parties, 20, 'SOUS_TRAITANCE').ok, false);
    assert.equal(designateValidators(parties, 30, 'COTRAITANCE').ok, false);
    assert.equal(designateValidators(parties, 99, 'SOUS_TRAITANCE').ok, false);
  });
});
