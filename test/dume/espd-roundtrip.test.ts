import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportEspd, importEspd, propertiesOf as walk, type EspdDocument } from '../../src/formats/espd/index.ts';
import { FULL_EXAMPLES, differences, fixture } from './fixtures.ts';

const withoutVersion = (d: EspdDocument) => ({ ...d, version: undefined });

for (const [version, files] of Object.entries(FULL_EXAMPLES)) {
  const target = version === '4.1.0' ? '4.1.0' : '2.1.1';
  for (const file of files) {
    test(`${file}: import → export ${target} → import gives the same model, nothing lost`, () => {
      const first = importEspd(fixture(file));
      assert.equal(first.version, version);
      const { xml, losses } = exportEspd(first, target);
      assert.deepEqual(losses, []);
      const second = importEspd(xml);
      assert.equal(second.version, target);
      // 2.1.0 is written as 2.1.1 (same UBL 2.2 syntax): only the version number changes
      assert.deepEqual(differences(withoutVersion(first), withoutVersion(second)), []);
      assert.deepEqual(withoutVersion(second), withoutVersion(first));
    });
  }
}

test('a 2.1.1 response keeps identity, representatives, amounts with currency and dates', () => {
  const doc = importEspd(fixture('v2.1.1/xml/BASIC-ESPDResponse-2.1.1.xml'));
  assert.equal(doc.kind, 'response');
  assert.equal(doc.procedure.fileReference, 'PP.20170419.1024-9');
  const eo = doc.economicOperators![0];
  const person = eo.party!.representatives![0].agent!.persons![0];
  assert.equal(person.birthDate, '1969-01-01');
  assert.equal(person.residenceAddress!.country, 'NL');
  const answers = doc.criteria!.flatMap((c) => [...walk(c.groups)]).flatMap((p) => p.answers ?? []);
  assert.ok(answers.length > 100);
  const amounts = answers.flatMap((a) => a.values ?? []).filter((v) => v.amount);
  assert.ok(amounts.every((v) => typeof v.amount!.value === 'string' && /^\d+(\.\d+)?$/.test(v.amount!.value)));
  assert.ok(amounts.some((v) => v.amount!.currency === 'EUR'));
});

test('a 4.1.0 response hangs every answer on its question (path ids)', () => {
  const doc = importEspd(fixture('v4.1.0/xml/ESPD-Response.xml'));
  assert.equal(doc.unattachedResponses, undefined);
  const crime = doc.criteria!.find((c) => c.id === '005eb9ed-1347-4ca3-bb29-9bc0db64e1ab')!;
  assert.equal(crime.typeCode, 'crime-org');
  const date = [...walk(crime.groups)].find((p) => p.id === 'C1_EG_crime-org/QG1/QSG1/Q1')!;
  assert.equal(date.answers![0].values![0].date, '2000-01-01');
  const period = [...walk(crime.groups)].find((p) => p.id === 'C1_EG_crime-org/QG1/QSG1/Q4')!;
  assert.deepEqual(period.answers![0].periods![0], { startDate: '2017-01-01', endDate: '2017-12-12' });
});

test('a repeated group (same property ids) keeps each answer in its own occurrence', () => {
  const doc = importEspd(fixture('v4.1.0/xml/ESPD-Response.xml'));
  const crime = doc.criteria!.find((c) => c.id === '005eb9ed-1347-4ca3-bb29-9bc0db64e1ab')!;
  const group = crime.groups![1]; // "available electronically?" and its evidence
  const copy = structuredClone(group);
  copy.properties![0].answers = [{ values: [{ indicator: false }] }];
  crime.groups!.splice(2, 0, copy);
  const again = importEspd(exportEspd(doc, '4.1.0').xml);
  const [first, second] = again.criteria!.find((c) => c.id === crime.id)!.groups!.slice(1, 3);
  assert.equal(first.properties![0].answers![0].values![0].indicator, true);
  assert.equal(second.properties![0].answers![0].values![0].indicator, false);
  assert.deepEqual(again, doc);
});
