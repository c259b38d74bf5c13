import { test } from 'node:test';
import assert from 'node:assert/strict';
import { criterionKey, exportEspd, importEspd, operatorSummary } from '../../src/formats/espd/index.ts';
import { mergeRequestWithResponse } from '../../src/dume/index.ts';
import { fixture } from './fixtures.ts';

const EO_GROUP = 'ee51100f-8e3e-40c9-8f8b-57d5a15be1f2';

test('the company part reads the same in 2.1.1 and after conversion to 4.1.0', () => {
  const v2 = importEspd(fixture('v2.1.1/xml/EXTENDED-ESPDResponse-2.1.1.xml'));
  const v4 = importEspd(exportEspd(v2, '4.1.0').xml);
  const a = operatorSummary(v2);
  const b = operatorSummary(v4);
  assert.equal(a.role, 'group-member');
  assert.equal(a.groupement.participates, true);
  assert.equal(a.reliance.reliesOnOthers, true);
  assert.equal(a.subcontracting.subcontracts, true);
  assert.deepEqual(a.lotsTendered, ['Lot1']);
  assert.deepEqual({ ...b, size: undefined }, { ...a, size: undefined });
  assert.equal(b.size, 'sme'); // the code list of 4.1.0
});

test('a v1 response: representatives, group name, subcontractors', () => {
  const s = operatorSummary(importEspd(fixture('v1.0.2/espd-service-samples/response/v20161101/espd-response-20161101-full.xml')));
  assert.equal(s.name, 'Ben larbi');
  assert.deepEqual(s.representatives, [{ firstName: 'Keith', familyName: 'Sweat', birthDate: '1965-09-28', position: 'representative position' }]);
  assert.equal(s.groupement.groupName, 'Hodor consortium');
  assert.deepEqual(s.subcontracting.subcontractors, ['GBN group']);
});

test('EO-data criteria keep one identity across versions (4.x path ids ⇄ UUIDs)', () => {
  assert.equal(criterionKey('C59_OT_eo-group'), EO_GROUP);
  const v2 = importEspd(fixture('v2.1.1/xml/EXTENDED-ESPDResponse-2.1.1.xml'));
  const v4 = importEspd(exportEspd(v2, '4.1.0').xml);
  assert.ok(v4.criteria!.some((c) => c.id === 'C59_OT_eo-group' && c.typeCode === 'eo-group'));
  const back = importEspd(exportEspd(v4, '2.1.1').xml);
  assert.ok(back.criteria!.some((c) => c.id === EO_GROUP && c.typeCode === 'CRITERION.OTHER.EO_DATA.TOGETHER_WITH_OTHERS'));
  // a 4.1.0 request answered from a 2.1.1 response: the groupement criterion is carried over
  const request = importEspd(fixture('v4.1.0/xml/ESPD-Request.xml'));
  const { carriedOver } = mergeRequestWithResponse(request, v2, { uuid: 'x', issueDate: '2026-03-02' });
  assert.ok(carriedOver.some((c) => c.id === 'C59_OT_eo-group'));
});
