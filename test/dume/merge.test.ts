import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportEspd, importEspd, propertiesOf, EspdError, type EspdDocument } from '../../src/formats/espd/index.ts';
import { checkCompleteness, mergeRequestWithResponse, reuseResponse } from '../../src/dume/index.ts';
import { fixture } from './fixtures.ts';

const identity = { uuid: '0b7f2f0e-5d0e-4a43-9a4e-0d5f5f1c2a10', issueDate: '2026-03-02', issueTime: '10:00:00+01:00' };
const MERGING = 'v1.0.2/espd-service-samples/response/merging';
const CRIME = '005eb9ed-1347-4ca3-bb29-9bc0db64e1ab';

const answersOf = (doc: EspdDocument, criterionId: string) =>
  [...propertiesOf(doc.criteria!.find((c) => c.id === criterionId)!.groups)].flatMap((p) => p.answers ?? []);

test('merge (EC samples): procedure from the new request, company and answers from the old response, the rest dropped', () => {
  const request = importEspd(fixture(`${MERGING}/request_to_merge.xml`));
  const earlier = importEspd(fixture(`${MERGING}/response_to_merge.xml`));
  const { response, carriedOver, toAnswer, dropped } = mergeRequestWithResponse(request, earlier, identity);

  assert.equal(response.kind, 'response');
  assert.equal(response.uuid, identity.uuid);
  assert.equal(response.procedure.fileReference, 'SMART 2015/0075'); // the request's, not the old 2015/0065
  assert.deepEqual(response.economicOperators, earlier.economicOperators);
  assert.deepEqual(response.economicOperators![0].party!.names, ['ACME Corp.']);
  // the criteria are exactly those asked, in the request's order
  assert.deepEqual(response.criteria!.map((c) => c.id), request.criteria!.map((c) => c.id));
  assert.deepEqual(carriedOver.map((c) => c.name), [
    'Participation in a criminal organisation',
    'It meets the objective and non discriminatory criteria or rules to be applied in order to limit the number of candidates in the following way: In case certain certificates or other forms of documentary evidence are required, please indicate for each whether the economic operator has the required documents:',
  ]);
  assert.deepEqual(toAnswer.map((c) => c.name), ['Payment of taxes', 'Enrolment in a relevant professional register']);
  assert.ok(dropped.some((c) => c.name === 'Corruption'));
  assert.ok(!response.criteria!.some((c) => c.name === 'Corruption'));
  assert.deepEqual(answersOf(response, CRIME), answersOf(earlier, CRIME));
});

test('merge of a 2.1.1 request with its own response carries every criterion, and the result is complete', () => {
  const request = importEspd(fixture('v2.1.1/xml/BASIC-ESPDRequest-2.1.1.xml'));
  const earlier = importEspd(fixture('v2.1.1/xml/BASIC-ESPDResponse-2.1.1.xml'));
  const { response, carriedOver, toAnswer, dropped } = mergeRequestWithResponse(request, earlier, identity);
  assert.equal(carriedOver.length, request.criteria!.length);
  assert.deepEqual(toAnswer, []);
  assert.deepEqual(dropped, []);
  assert.deepEqual(checkCompleteness(response, request), []);
  // the merged response is a normal document: it round-trips
  const { xml, losses } = exportEspd(response, '2.1.1');
  assert.deepEqual(losses, []);
  assert.deepEqual({ ...importEspd(xml), version: '2.1.1' }, { ...response, version: '2.1.1' });
});

test('merge across versions: an old v1 response answers a new 2.1.1 request (groups matched by their stable UUIDs)', () => {
  const request = importEspd(fixture('v2.1.1/xml/BASIC-ESPDRequest-2.1.1.xml'));
  const earlier = importEspd(fixture('v1.0.2/espd-service-samples/response/v20161101/espd-response-20161101-full.xml'));
  const { response, carriedOver } = mergeRequestWithResponse(request, earlier, identity);
  assert.ok(carriedOver.length > 40);
  const crime = [...propertiesOf(response.criteria!.find((c) => c.id === CRIME)!.groups)];
  assert.equal(crime.find((p) => p.descriptions?.[0] === 'Date of conviction')!.answers![0].values![0].date, '2015-12-09');
  // v1's period of exclusion becomes 2.1.1's text answer
  assert.deepEqual(crime.find((p) => p.descriptions?.[0]?.startsWith('Length'))!.answers![0].values![0].descriptions, ['6 years']);
  // the evidence cited by a carried answer comes along
  const cited = crime.flatMap((p) => p.answers ?? []).flatMap((a) => a.evidenceIds ?? []);
  assert.ok(cited.length > 0 && cited.every((id) => response.evidences!.some((e) => e.id === id)));
});

test('merge across 2.1.1 and 4.1.0: groups are paired by position when their ids cannot meet', () => {
  const request = importEspd(fixture('v4.1.0/xml/ESPD-Request.xml'));
  const earlier = importEspd(fixture('v2.1.1/xml/EXTENDED-ESPDResponse-2.1.1.xml'));
  const { response, carriedOver } = mergeRequestWithResponse(request, earlier, identity);
  assert.ok(carriedOver.some((c) => c.id === CRIME));
  const first = [...propertiesOf(response.criteria!.find((c) => c.id === CRIME)!.groups)][0];
  assert.equal(first.id, 'C1_EG_crime-org/QG1/Q1'); // the request's question ids
  assert.equal(first.answers![0].values![0].indicator !== undefined, true);
});

test('merge refuses documents in the wrong order', () => {
  const request = importEspd(fixture(`${MERGING}/request_to_merge.xml`));
  const earlier = importEspd(fixture(`${MERGING}/response_to_merge.xml`));
  assert.throws(() => mergeRequestWithResponse(earlier, request, identity), (e: unknown) => e instanceof EspdError && e.code === 'ESPD_CONTENT_INVALID');
});

test('reuse: a new response from an earlier one keeps company and answers, with a new identity', () => {
  const earlier = importEspd(fixture('v4.1.0/xml/ESPD-Response.xml'));
  const next = reuseResponse(earlier, identity);
  assert.equal(next.uuid, identity.uuid);
  assert.equal(next.issueDate, identity.issueDate);
  assert.equal(next.id, undefined);
  assert.deepEqual(next.economicOperators, earlier.economicOperators);
  assert.deepEqual(next.criteria, earlier.criteria);
  assert.notEqual(next.criteria, earlier.criteria); // a copy, not the same objects
  const request = importEspd(fixture('v4.1.0/xml/ESPD-Request.xml'));
  const moved = reuseResponse(earlier, identity, { procedure: { fileReference: 'MAPA-2026-014' }, buyers: request.buyers });
  assert.equal(moved.procedure.fileReference, 'MAPA-2026-014');
  assert.equal(moved.lots, undefined);
  assert.throws(() => reuseResponse(request, identity), (e: unknown) => e instanceof EspdError);
});

test('completeness points at the missing answer, in French', () => {
  const request = importEspd(fixture('v2.1.1/xml/BASIC-ESPDRequest-2.1.1.xml'));
  const response = importEspd(fixture('v2.1.1/xml/BASIC-ESPDResponse-2.1.1.xml'));
  assert.deepEqual(checkCompleteness(response, request), []);

  const crime = response.criteria!.find((c) => c.id === CRIME)!;
  const date = [...propertiesOf(crime.groups)].find((p) => p.descriptions?.[0] === 'Date of conviction')!;
  delete date.answers;
  const withoutCorruption = { ...response, criteria: response.criteria!.filter((c) => c.name !== 'Corruption') };
  const issues = checkCompleteness(withoutCorruption, request);
  assert.deepEqual(
    issues.map((i) => i.message),
    [
      'Critère « Participation à une organisation criminelle » : la question « Date de la condamnation » n’a pas de réponse.',
      'Le critère « Corruption » demandé par l’acheteur est absent de la réponse.',
    ],
  );
  assert.equal(issues[0].code, 'ANSWER_MISSING');
  assert.equal(issues[0].criterionId, CRIME);
});

test('completeness: conditional questions are required only when their indicator opens them', () => {
  const request = importEspd(fixture('v2.1.1/xml/BASIC-ESPDRequest-2.1.1.xml'));
  const response = importEspd(fixture('v2.1.1/xml/BASIC-ESPDResponse-2.1.1.xml'));
  const crime = response.criteria!.find((c) => c.id === CRIME)!;
  const [yes, ...conditional] = [...propertiesOf([crime.groups![0]])];
  // "not convicted": the dates, reasons and self-cleaning questions no longer apply
  yes.answers = [{ values: [{ indicator: false }] }];
  for (const p of conditional) delete p.answers;
  assert.deepEqual(checkCompleteness(response, request), []);
  // "convicted" with nothing said: every opened question is reported
  yes.answers = [{ values: [{ indicator: true }] }];
  const missing = checkCompleteness(response, request).map((i) => i.message);
  assert.ok(missing.some((m) => m.includes('« Date de la condamnation »')));
  assert.ok(missing.some((m) => m.includes('« Avez-vous pris des mesures pour démontrer votre fiabilité')));
  assert.ok(!missing.some((m) => m.includes('« Décrivez-les »')), 'self-cleaning details only after a yes');
});

test('completeness: the operator must be named and identified', () => {
  const request = importEspd(fixture('v4.1.0/xml/ESPD-Request.xml'));
  const response = importEspd(fixture('v4.1.0/xml/ESPD-Response.xml'));
  // the official 4.1.0 example leaves "Your answer" of two exclusion grounds unanswered
  assert.deepEqual(checkCompleteness(response, request).map((i) => i.message), [
    'Critère « Paiement d’impôts et taxes » : la question « Votre réponse » n’a pas de réponse.',
    'Critère « Paiement des cotisations de sécurité sociale » : la question « Votre réponse » n’a pas de réponse.',
  ]);
  const anonymous = structuredClone(response);
  delete anonymous.economicOperators![0].party!.names;
  delete anonymous.economicOperators![0].party!.identifiers;
  const codes = checkCompleteness(anonymous, request).map((i) => i.code);
  assert.deepEqual(codes.slice(0, 2), ['OPERATOR_NAME_MISSING', 'OPERATOR_IDENTIFIER_MISSING']);
});
