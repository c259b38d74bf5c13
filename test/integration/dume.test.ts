import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { addMember } from '../helpers/structure-members.ts';
import * as dume from '../../src/dume/index.ts';
import { importEspd, operatorSummary, type EspdDocument } from '../../src/formats/espd/index.ts';
import { readDocument } from '../../src/storage/stored-files.ts';
import type { Actor } from '../../src/context.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/espd');
const TURNOVER = '499efc97-2ac1-4af2-9e84-323c2ca67747';
const MANPOWER = '1f49b3f0-d50f-43f6-8b30-4bafab108b9b';
const REGISTER = '6ee55a59-6adb-4c3a-b89f-e62a7ad7be7f';
const MIN_TURNOVER = 'c519de4b-967e-49e8-a449-c08ec4f00c29';
const REGISTER_LOT = 'dc5e0429-61a6-44a9-b742-4b0d5f32a65d';

/** An answer of the expected kind for each question still missing. */
function answersFor(model: EspdDocument, missing: dume.CompletenessIssue[]): Record<string, string> {
  const questions = dume.questionsOf(model);
  const out: Record<string, string> = {};
  for (const m of missing) {
    const p = m.propertyId ? questions.get(m.propertyId)?.property : undefined;
    if (!p) continue;
    const type = (p.valueDataType ?? '').toUpperCase();
    out[m.propertyId!] =
      type === 'INDICATOR' ? 'false' : type === 'AMOUNT' ? '1250000.50' : type === 'PERIOD' ? '2025-01-01/2025-12-31' : type === 'DATE' ? '2025-06-30'
        : type.startsWith('QUANTITY') ? '42' : type === 'EVIDENCE_IDENTIFIER' ? 'https://example.test/preuve' : type === 'LOT_IDENTIFIER' ? '1' : 'Réponse de test';
  }
  return out;
}

describe('DUME: requests and responses kept in the database', () => {
  const clock = new TestClock(new Date('2026-11-30T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let buyerGp: Actor, companyGp: Actor, outsider: Actor, reader: Actor;
  let buyer: { structureId: number; siret: string }, company: { structureId: number; siret: string };
  before(async () => {
    app = await startTestApp({ clock, workers: false });
    buyerGp = await newUser(app, { firstName: 'Claire', lastName: 'Acheteuse' });
    companyGp = await newUser(app, { firstName: 'Marie', lastName: 'Entreprise' });
    outsider = await newUser(app);
    reader = await newUser(app);
    buyer = await newStructure(app, buyerGp, { name: 'Commune de Test', kind: 'PUBLIQUE' });
    company = await newStructure(app, companyGp, { name: 'BTP Test', addressLine: '1 rue du Chantier', postcode: '47300', city: 'Villeneuve-sur-Lot' });
    await addMember(app, company.structureId, reader, [{ space: 'DUME', access: 'CONSULTATION_UNIQUEMENT' }]);
  });
  after(async () => app?.cleanup());

  const requestInput = (over: Partial<dume.RequestInput> = {}): dume.RequestInput => ({
    title: 'Réfection de la toiture de l’école',
    description: 'Travaux de couverture et de zinguerie',
    fileReference: 'MAPA-2026-014',
    procedureType: 'OPEN',
    publicationReference: 'BOAMP 26-123456',
    lots: [{ title: 'Couverture' }, { title: 'Zinguerie' }],
    selection: [
      { id: TURNOVER, requirements: { [MIN_TURNOVER]: '250000' } },
      { id: MANPOWER },
      { id: REGISTER, requirements: { [REGISTER_LOT]: '2' } },
    ],
    ...over,
  });

  test('a buyer creates a draft with 2 lots and 3 selection criteria, publishes it: an 8-character number and a link', async () => {
    const { requestId } = await dume.createRequest(app.ctx, buyerGp, buyer.structureId, requestInput());
    const { request } = await dume.getRequest(app.ctx, buyerGp, requestId);
    assert.equal(request.status, 'BROUILLON');
    assert.deepEqual(request.model.lots?.map((l) => [l.id, dume.lotTitleOf(l)]), [['1', 'Couverture'], ['2', 'Zinguerie']]);
    assert.equal(request.model.buyers?.[0].party?.identifiers?.[0], buyer.siret);
    const asked = request.model.criteria!.map((c) => c.id);
    for (const id of dume.EU_EXCLUSION_GROUNDS) assert.ok(asked.includes(id), 'EU exclusion grounds preselected');
    assert.ok([TURNOVER, MANPOWER, REGISTER].every((id) => asked.includes(id)));
    const turnover = request.model.criteria!.find((c) => c.id === TURNOVER)!;
    assert.deepEqual(dume.requirementsOf(turnover)[0].expectedAmount, { value: '250000', currency: 'EUR' });
    assert.equal(dume.requirementsOf(request.model.criteria!.find((c) => c.id === REGISTER)!)[0].expectedId, '2');

    await assert.rejects(dume.createRequest(app.ctx, outsider, buyer.structureId, requestInput()), { code: 'NOT_FOUND' });
    await assert.rejects(dume.createRequest(app.ctx, buyerGp, buyer.structureId, requestInput({ selection: [{ id: TURNOVER, requirements: { [MIN_TURNOVER]: 'beaucoup' } }] })), (e: any) => e.code === 'INVALID_INPUT' && /montant/.test(Object.values(e.fields).join()));
    await assert.rejects(dume.createRequest(app.ctx, buyerGp, buyer.structureId, requestInput({ alpha: true })), (e: any) => /α/.test(e.userMessage));

    const { number, link } = await dume.publishRequest(app.ctx, buyerGp, requestId);
    assert.match(number, /^[a-z0-9]{8}$/);
    assert.equal(link, `http://localhost:8080/dume/${number}`);
    assert.equal((await dume.getPublishedRequest(app.ctx, outsider, number)).id, requestId);
    await assert.rejects(dume.updateRequestDraft(app.ctx, buyerGp, requestId, requestInput()), { code: 'DUME_PUBLISHED' });
  });

  test('a company answers from the number: pre-filled with its SIRET data, completeness in French, finalised, read by the buyer', async () => {
    const { requestId } = await dume.createRequest(app.ctx, buyerGp, buyer.structureId, requestInput({ fileReference: 'AO-2026-2' }));
    const { number } = await dume.publishRequest(app.ctx, buyerGp, requestId);
    await assert.rejects(dume.startResponse(app.ctx, reader, { structureId: company.structureId, requestNumber: number }), { code: 'FORBIDDEN' });
    const started = await dume.startResponse(app.ctx, companyGp, { structureId: company.structureId, requestNumber: number });
    assert.equal(started.origin, 'VIERGE');
    let { response, missing } = await dume.getResponse(app.ctx, companyGp, { id: started.responseId });
    const party = response.model.economicOperators![0].party!;
    assert.equal(party.identifiers![0], company.siret);
    assert.equal(party.names![0], 'BTP Test');
    assert.equal(party.address?.streetName, '1 rue du Chantier');
    assert.ok(missing.some((m) => m.code === 'ANSWER_MISSING' && /Chiffre d’affaires|turnover/i.test(m.message)));

    const bad = await dume.saveAnswers(app.ctx, companyGp, started.responseId, { [dume.PART_II.together]: 'peut-être' });
    assert.match(Object.values(bad.problems)[0], /oui ou par non/);
    await assert.rejects(dume.finaliseResponse(app.ctx, companyGp, started.responseId), { code: 'DUME_INCOMPLETE' });

    for (let round = 0; round < 6 && missing.length; round++) {
      ({ missing } = await dume.saveAnswers(app.ctx, companyGp, started.responseId, answersFor((await dume.getResponse(app.ctx, companyGp, { id: started.responseId })).response.model, missing)));
    }
    assert.deepEqual(missing, []);
    // the buyer does not see a draft response
    await assert.rejects(dume.getResponse(app.ctx, buyerGp, { number: started.number }), { code: 'NOT_FOUND' });
    await dume.finaliseResponse(app.ctx, companyGp, started.responseId);
    ({ response } = await dume.getResponse(app.ctx, buyerGp, { number: started.number }));
    assert.equal(response.status, 'FINALISEE');
    const amount = [...dume.questionsOf(response.model).values()].find((q) => q.criterion.id === TURNOVER && q.property.valueDataType === 'AMOUNT')!.property;
    assert.deepEqual(amount.answers?.[0].values?.[0].amount, { value: '1250000.50', currency: 'EUR' });
    await assert.rejects(dume.getResponse(app.ctx, outsider, { id: started.responseId }), { code: 'NOT_FOUND' });
    assert.equal((await dume.getResponse(app.ctx, reader, { id: started.responseId })).canEdit, false);

    // exports: XML of both versions and the PDF
    const xml = await dume.exportDocument(response.model, 'xml', '2.1.1', { number: response.number });
    const back = importEspd(xml.bytes);
    assert.equal(back.economicOperators?.[0].party?.identifiers?.[0], company.siret);
    const v4 = await dume.exportDocument(response.model, 'xml', '4.1.0', { number: response.number });
    assert.equal(importEspd(v4.bytes).version, '4.1.0');
    const pdf = await dume.exportDocument(response.model, 'pdf', '2.1.1', { number: response.number });
    assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  });

  test('an XML response of another version imported by merge into a new procedure: carried over and left to answer; the file is kept', async () => {
    const { requestId } = await dume.createRequest(app.ctx, buyerGp, buyer.structureId, requestInput({ fileReference: 'AO-2026-3' }));
    const { number } = await dume.publishRequest(app.ctx, buyerGp, requestId);
    const bytes = readFileSync(path.join(FIXTURES, 'v2.1.1/xml/EXTENDED-ESPDResponse-2.1.1.xml'));
    const r = await dume.startResponse(app.ctx, companyGp, { structureId: company.structureId, requestNumber: number }, { filename: 'ancien.xml', bytes });
    assert.equal(r.origin, 'FUSION');
    assert.ok(r.report!.carriedOver.length > 10, 'exclusion grounds answered before are carried over');
    assert.ok(r.report!.carriedOver.some((c) => c.id === TURNOVER));
    const { response } = await dume.getResponse(app.ctx, companyGp, { id: r.responseId });
    assert.equal(response.model.procedure.fileReference, 'AO-2026-3');
    const stored = await readDocument(app.ctx.db, app.ctx.blobs, response.source_document_id!);
    assert.deepEqual(Buffer.from(stored!.bytes), bytes);

    await assert.rejects(dume.startResponse(app.ctx, companyGp, { structureId: company.structureId, requestNumber: number }, { filename: 'x.xml', bytes: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>') }), { code: 'ESPD_XML_DOCTYPE_FORBIDDEN' });
    const count = await app.ctx.db.selectFrom('dume_responses').select((eb) => eb.fn.countAll<number>().as('n')).where('request_id', '=', requestId).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1, 'a refused file stores nothing');
  });

  test('reuse an earlier response, import a request, and the groupement view with its checks', async () => {
    const { requestId } = await dume.createRequest(app.ctx, buyerGp, buyer.structureId, requestInput({ fileReference: 'AO-2026-4' }));
    const { number } = await dume.publishRequest(app.ctx, buyerGp, requestId);
    const member2Gp = await newUser(app);
    const member2 = await newStructure(app, member2Gp, { name: 'Plomberie Test' });
    const lead = await dume.startResponse(app.ctx, companyGp, { structureId: company.structureId, requestNumber: number });
    await dume.saveAnswers(app.ctx, companyGp, lead.responseId, { [dume.PART_II.together]: 'oui', [dume.PART_II.groupRole]: 'LE', [dume.PART_II.groupName]: 'Groupement Toiture 47' });
    const other = await dume.startResponse(app.ctx, member2Gp, { structureId: member2.structureId, requestNumber: number });
    await dume.saveAnswers(app.ctx, member2Gp, other.responseId, { [dume.PART_II.together]: 'oui', [dume.PART_II.groupRole]: 'LE', [dume.PART_II.groupName]: 'Groupement  Toiture 47' });
    const relied = await dume.startResponse(app.ctx, member2Gp, { structureId: member2.structureId, requestNumber: number, reliedUponByNumber: lead.number });

    let g = await dume.getGroupement(app.ctx, companyGp, lead.responseId);
    assert.deepEqual(g.members.map((m) => [m.number, m.role]), [[lead.number, 'LE'], [other.number, 'LE'], [relied.number, 'OERON']]);
    assert.deepEqual(g.checks.map((c) => c.code), ['SEVERAL_LEADERS']);
    await dume.saveAnswers(app.ctx, member2Gp, other.responseId, { [dume.PART_II.groupRole]: 'GM', [dume.PART_II.groupName]: 'Groupement Toiture 46' });
    g = await dume.getGroupement(app.ctx, companyGp, lead.responseId);
    assert.deepEqual(g.members.map((m) => m.number), [lead.number, relied.number]);
    const summary = operatorSummary((await dume.getResponse(app.ctx, companyGp, { id: lead.responseId })).response.model);
    assert.equal(summary.role, 'group-lead');
    assert.equal(summary.groupement.groupName, 'Groupement Toiture 47');

    const reused = await dume.startResponse(app.ctx, companyGp, { structureId: company.structureId, earlierResponseId: lead.responseId });
    assert.equal(reused.origin, 'REUTILISATION');
    const { response } = await dume.getResponse(app.ctx, companyGp, { id: reused.responseId });
    assert.equal(response.model.groupName, 'Groupement Toiture 47');
    assert.notEqual(response.model.uuid, (await dume.getResponse(app.ctx, companyGp, { id: lead.responseId })).response.model.uuid);

    const imported = await dume.importDume(app.ctx, buyerGp, buyer.structureId, { filename: 'demande.xml', bytes: readFileSync(path.join(FIXTURES, 'v4.1.0/xml/ESPD-Request.xml')) });
    assert.equal(imported.kind, 'request');
    assert.equal((await dume.getRequest(app.ctx, buyerGp, imported.id)).request.model.version, '4.1.0');
    const list = await dume.searchDumes(app.ctx, buyerGp, { text: 'AO-2026-4' });
    assert.deepEqual(list.map((d) => [d.kind, d.file_reference]), [['DEMANDE', 'AO-2026-4']]);
  });
});
