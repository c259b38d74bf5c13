import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { addMember, apiSession } from '../helpers/structure-members.ts';
import { apiClient } from '../helpers/factories.ts';
import { importEspd } from '../../src/formats/espd/index.ts';
import { validateWithXsd } from '../../src/formats/espd/xsd.ts';
import { schemaSet } from '../dume/fixtures.ts';
import { pdfText } from '../formats/pdf-inspect.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/espd');
const TURNOVER = '499efc97-2ac1-4af2-9e84-323c2ca67747';
const MANPOWER = '1f49b3f0-d50f-43f6-8b30-4bafab108b9b';
const INSURANCE = '7604bd40-4462-4086-8763-a50da51a869c';
const MIN_TURNOVER = 'c519de4b-967e-49e8-a449-c08ec4f00c29';

describe('DUME JSON API for buyer platforms', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let buyerApi: Awaited<ReturnType<typeof apiSession>>, companyApi: Awaited<ReturnType<typeof apiSession>>, outsiderApi: Awaited<ReturnType<typeof apiSession>>, readerApi: Awaited<ReturnType<typeof apiSession>>;
  let buyerId: number, companyId: number, companySiret: string;
  before(async () => {
    app = await startTestApp({ workers: false });
    const buyerGp = await newUser(app);
    const companyGp = await newUser(app);
    const outsider = await newUser(app);
    const reader = await newUser(app);
    buyerId = (await newStructure(app, buyerGp, { name: 'Département Test', kind: 'PUBLIQUE' })).structureId;
    const company = await newStructure(app, companyGp, { name: 'Menuiserie Test', vatNumber: undefined });
    companyId = company.structureId;
    companySiret = company.siret;
    await addMember(app, buyerId, reader, []);
    [buyerApi, companyApi, outsiderApi, readerApi] = await Promise.all([apiSession(app, buyerGp.email), apiSession(app, companyGp.email), apiSession(app, outsider.email), apiSession(app, reader.email)]);
  });
  after(async () => app?.cleanup());

  test('create, get, publish, read by number, answer, finalise, read the response by number, export XML (valid against the XSD) and PDF', async () => {
    const criteria = await buyerApi.get('/dume/criteria');
    assert.equal(criteria.status, 200);
    const turnover = criteria.body.find((c: any) => c.id === TURNOVER);
    assert.equal(turnover.label, 'Chiffre d’affaires annuel général');
    assert.ok(turnover.requirements.some((r: any) => r.id === MIN_TURNOVER && r.type === 'AMOUNT'));

    const created = await buyerApi.post('/dume/requests', {
      structureId: buyerId, title: 'Menuiseries du collège', fileReference: 'DEP-2026-77', procedureType: 'OPEN',
      lots: [{ title: 'Menuiseries extérieures' }, { title: 'Menuiseries intérieures' }],
      selection: [{ id: TURNOVER, requirements: { [MIN_TURNOVER]: '400000' } }, { id: MANPOWER }, { id: INSURANCE }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'BROUILLON');
    assert.deepEqual(created.body.lots, [{ id: '1', title: 'Menuiseries extérieures' }, { id: '2', title: 'Menuiseries intérieures' }]);
    assert.equal(created.body.criteria.find((c: any) => c.id === TURNOVER).requirements.find((r: any) => r.id === MIN_TURNOVER).value, '400000');
    const id = created.body.id;

    assert.equal((await outsiderApi.get(`/dume/requests/${id}`)).status, 404);
    assert.equal((await readerApi.post(`/dume/requests/${id}/publish`)).status, 403);
    assert.equal((await apiClient(app).get(`/dume/requests/${id}`)).status, 401);
    const invalid = await buyerApi.put(`/dume/requests/${id}`, { title: '', fileReference: 'X' });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.code, 'INVALID_INPUT');

    const xsdRequest = await buyerApi.get(`/dume/requests/${id}/export?format=xml&version=2.1.1`);
    assert.equal(xsdRequest.status, 200);
    const requestXml = xsdRequest.raw.body;
    assert.deepEqual((await validateWithXsd(requestXml, schemaSet('2.1.1', 'request'))).errors, []);

    const published = await buyerApi.post(`/dume/requests/${id}/publish`);
    assert.equal(published.status, 200);
    assert.match(published.body.number, /^[a-z0-9]{8}$/);
    assert.ok(published.body.link.endsWith(`/dume/${published.body.number}`));
    const byNumber = await outsiderApi.get(`/dume/requests/by-number/${published.body.number}`);
    assert.equal(byNumber.status, 200);
    assert.equal(byNumber.body.title, 'Menuiseries du collège');

    const started = await companyApi.post('/dume/responses', { structureId: companyId, requestNumber: published.body.number });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal(started.body.origin, 'VIERGE');
    assert.ok(started.body.missing.length > 20);
    const number = started.body.number;
    let view = await companyApi.get(`/dume/responses/${number}`);
    assert.equal(view.body.operator.identifier, companySiret);
    assert.equal(view.body.operator.name, 'Menuiserie Test');

    // answer every question still missing with an answer of its type, as a platform would from its form
    const typed = (type: string) => (type === 'INDICATOR' ? 'non' : type === 'AMOUNT' ? '812345,67' : type === 'PERIOD' ? '2025-01-01/2025-12-31' : type === 'DATE' ? '2025-03-31' : type?.startsWith('QUANTITY') ? '12' : type === 'EVIDENCE_IDENTIFIER' ? 'https://preuves.example.test/kbis' : 'Texte de réponse');
    for (let round = 0; round < 6 && view.body.missing.length; round++) {
      const answers = Object.fromEntries(view.body.missing.filter((m: any) => m.propertyId).map((m: any) => [m.propertyId, typed(view.body.questions.find((q: any) => q.id === m.propertyId).type)]));
      const saved = await companyApi.put(`/dume/responses/${number}/answers`, { answers });
      assert.equal(saved.status, 200);
      assert.deepEqual(saved.body.problems, {});
      view = await companyApi.get(`/dume/responses/${number}`);
    }
    assert.deepEqual(view.body.missing, []);
    // the turnover is available online: the evidence question opens, and is answered
    const online = await companyApi.put(`/dume/responses/${number}/answers`, { answers: { 'b0dfd388-439d-4c27-8a74-1473f94f8d55': 'oui' } });
    assert.deepEqual(online.body.missing.map((m: any) => m.propertyId), ['97fed4f5-d935-40cb-8f1e-0bf3618ec37d']);
    assert.match(online.body.missing[0].message, /Chiffre d’affaires annuel général.*Preuve fournie/);
    assert.deepEqual((await companyApi.put(`/dume/responses/${number}/answers`, { answers: { '97fed4f5-d935-40cb-8f1e-0bf3618ec37d': 'https://preuves.example.test/kbis' } })).body.missing, []);
    const bad = await companyApi.put(`/dume/responses/${number}/answers`, { answers: { [view.body.questions.find((q: any) => q.type === 'AMOUNT').id]: 'beaucoup' } });
    assert.match(Object.values(bad.body.problems)[0] as string, /montant/);
    assert.equal((await buyerApi.get(`/dume/responses/${number}`)).status, 404, 'the buyer does not see a draft');
    assert.equal((await companyApi.post(`/dume/responses/${number}/finalise`)).status, 200);
    const forBuyer = await buyerApi.get(`/dume/responses/${number}`);
    assert.equal(forBuyer.status, 200);
    const amount = forBuyer.body.questions.find((q: any) => q.criterionId === TURNOVER && q.type === 'AMOUNT');
    assert.equal(amount.answer, '812345.67');
    assert.equal((await companyApi.put(`/dume/responses/${number}/answers`, { answers: {} })).body.code, 'DUME_FINALISED');

    const xml = await buyerApi.get(`/dume/responses/${number}/export?format=xml&version=4.1.0`);
    assert.equal(xml.status, 200);
    assert.match(xml.raw.headers['content-disposition'] as string, /attachment; filename="dume-oe-[a-z0-9]{8}-4\.1\.0\.xml"/);
    assert.deepEqual((await validateWithXsd(xml.raw.body, schemaSet('4.1.0', 'response'))).errors, []);
    assert.equal(importEspd(xml.raw.body).economicOperators?.[0].party?.identifiers?.[0], companySiret);
    const pdf = await companyApi.get(`/dume/responses/${number}/export?format=pdf`);
    assert.equal(pdf.raw.headers['content-type'], 'application/pdf');
    const text = (await pdfText(pdf.raw.rawPayload)).join(' ').replace(/\s+/g, '');
    for (const v of ['812345.67EUR', 'https://preuves.example.test/kbis', companySiret, 'MenuiserieTest', 'DEP-2026-77']) assert.ok(text.includes(v), v);
  });

  test('merge: stored response by id, imported XML of another version, stateless merge of two files; import; bad XML refused', async () => {
    const created = await buyerApi.post('/dume/requests', { structureId: buyerId, title: 'Voirie', fileReference: 'DEP-2026-78', selection: [{ id: TURNOVER }] });
    const { number } = (await buyerApi.post(`/dume/requests/${created.body.id}/publish`)).body;
    const oldXml = readFileSync(path.join(FIXTURES, 'v2.1.1/xml/BASIC-ESPDResponse-2.1.1.xml'), 'utf8');
    const merged = await companyApi.post('/dume/responses', { structureId: companyId, requestNumber: number, earlierXml: oldXml });
    assert.equal(merged.status, 201, JSON.stringify(merged.body).slice(0, 300));
    assert.equal(merged.body.origin, 'FUSION');
    assert.ok(merged.body.report.carriedOver.length >= 20);
    assert.ok(merged.body.report.dropped.length > 0, 'criteria not asked are dropped');
    const again = await companyApi.post('/dume/responses', { structureId: companyId, requestNumber: number, earlierResponseId: merged.body.responseId });
    assert.equal(again.body.origin, 'FUSION');
    assert.equal(again.body.report.carriedOver.length, merged.body.report.carriedOver.length);
    assert.equal((await outsiderApi.post('/dume/responses', { structureId: companyId, requestNumber: number })).status, 404);

    const requestXml = readFileSync(path.join(FIXTURES, 'v1.0.2/espd-service-samples/response/merging/request_to_merge.xml'), 'utf8');
    const responseXml = readFileSync(path.join(FIXTURES, 'v1.0.2/espd-service-samples/response/merging/response_to_merge.xml'), 'utf8');
    const stateless = await companyApi.post('/dume/merge', { request: requestXml, response: responseXml });
    assert.equal(stateless.status, 200);
    assert.equal(stateless.body.carriedOver.length, 2);
    assert.equal(importEspd(stateless.body.xml).procedure.fileReference, 'SMART 2015/0075');

    const imported = await companyApi.post('/dume/import', { structureId: companyId, xml: oldXml, filename: 'ancien.xml' });
    assert.equal(imported.status, 201);
    assert.equal(imported.body.kind, 'response');
    assert.equal((await companyApi.get(`/dume/responses/${imported.body.number}`)).body.origin, 'IMPORT');
    const hostile = await companyApi.post('/dume/import', { structureId: companyId, xml: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>' });
    assert.equal(hostile.status, 400);
    assert.equal(hostile.body.code, 'ESPD_XML_DOCTYPE_FORBIDDEN');
    const notEspd = await companyApi.post('/dume/import', { structureId: companyId, xml: '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>' });
    assert.equal(notEspd.body.code, 'ESPD_NOT_ESPD');
    assert.match(notEspd.body.message, /n’est pas un DUME/);

    const doc = (await app.http!.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const p of ['/api/v1/dume/requests', '/api/v1/dume/requests/{id}/publish', '/api/v1/dume/responses/{number}', '/api/v1/dume/merge', '/api/v1/dume/responses/{number}/export']) assert.ok(doc.paths[p], p);
  });

  test('a response started by the company’s SIRET; representatives, size and contact (Part II); an entity relied upon answers with its own linked DUME', async () => {
    const created = await buyerApi.post('/dume/requests', { structureId: buyerId, title: 'Éclairage public', fileReference: 'DEP-2026-79', simplified: true });
    assert.deepEqual(created.body.criteria.filter((c: any) => c.family === 'SELECTION').map((c: any) => c.id), [TURNOVER, MANPOWER], 'DUME simplifié: turnover and headcount');
    const { number } = (await buyerApi.post(`/dume/requests/${created.body.id}/publish`)).body;
    assert.equal((await outsiderApi.post('/dume/responses', { siret: companySiret, requestNumber: number })).status, 404);
    const started = await companyApi.post('/dume/responses', { siret: companySiret, requestNumber: number });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const saved = await companyApi.put(`/dume/responses/${started.body.number}/answers`, {
      answers: {},
      operator: { size: 'SMALL', contact: { email: 'dume@menuiserie.test' }, representatives: [{ firstName: 'Jeanne', familyName: 'Martin', jobTitle: 'Gérante', birthDate: '1980-04-02', extent: 'Pouvoir général' }] },
    });
    assert.equal(saved.status, 200);
    const view = (await companyApi.get(`/dume/responses/${started.body.number}`)).body;
    const party = view.model.economicOperators[0].party;
    assert.equal(party.size, 'SMALL');
    assert.equal(party.representatives[0].agent.persons[0].familyName, 'Martin');
    assert.equal((await companyApi.put(`/dume/responses/${started.body.number}/answers`, { operator: { representatives: [{ firstName: 'A', birthDate: '02/04/1980' }] } })).status, 400);
    const xml = importEspd((await companyApi.get(`/dume/responses/${started.body.number}/export?format=xml&version=2.1.1`)).raw.body);
    assert.equal(xml.economicOperators?.[0].party?.representatives?.[0].agent?.persons?.[0].birthDate, '1980-04-02');
    const pdf = (await pdfText((await companyApi.get(`/dume/responses/${started.body.number}/export?format=pdf`)).raw.rawPayload)).join(' ');
    assert.match(pdf, /Jeanne Martin/);
    assert.match(pdf, /Partie VI/);

    const partner = await newUser(app);
    const partnerId = (await newStructure(app, partner, { name: 'Bureau Études Test' })).structureId;
    const partnerApi = await apiSession(app, partner.email);
    const relied = await partnerApi.post('/dume/responses', { structureId: partnerId, requestNumber: number, reliedUponByNumber: started.body.number });
    assert.equal(relied.status, 201, JSON.stringify(relied.body));
    const group = await companyApi.get(`/dume/responses/${started.body.number}/groupement`);
    assert.deepEqual(group.body.members.map((m: any) => [m.operatorName, m.role, m.reliedUponByNumber]), [['Menuiserie Test', 'SC', null], ['Bureau Études Test', 'OERON', started.body.number]]);
  });
});
