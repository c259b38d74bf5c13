import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { EspdError, exportEspd, importEspd, propertiesOf } from '../../src/formats/espd/index.ts';
import { FIXTURES, fixture } from './fixtures.ts';

const rejects = (xml: string, code: string, options?: Parameters<typeof importEspd>[1]) =>
  assert.throws(
    () => importEspd(xml, options),
    (e: unknown) => e instanceof EspdError && e.code === code && /[éèàôû]|le|la|les/i.test(e.userMessage),
  );

test('the version and the kind are detected from the root, the namespace and the version ids', () => {
  const cases: [string, string, string][] = [
    ['v2.1.1/xml/BASIC-ESPDRequest-2.1.1.xml', 'request', '2.1.1'],
    ['v2.1.1/xml/EXTENDED-ESPDResponse-2.1.1.xml', 'response', '2.1.1'],
    ['v2.1.0/xml/SC-Abilities-Staff-Self-Contained-Request-2.1.0.xml', 'request', '2.1.0'],
    ['v2.1.0/xml/References-SelfContained-Response_V2.1.0.xml', 'response', '2.1.0'],
    ['v4.1.0/xml/ESPD-Request.xml', 'request', '4.1.0'],
    ['v4.1.0/xml/ESPD-Response.xml', 'response', '4.1.0'],
    ['v1.0.2/espd-service-samples/response/v20161101/espd-response-20161101-full.xml', 'response', '1.0.2'],
    ['v1.0.2/espd-service-samples/response/merging/request_to_merge.xml', 'request', '1.0.2'],
  ];
  for (const [file, kind, version] of cases) {
    const doc = importEspd(fixture(file));
    assert.equal(doc.kind, kind, file);
    assert.equal(doc.version, version, file);
  }
});

test('3.x and the 2.0.x pre-award drafts are recognised', () => {
  const v4 = fixture('v4.1.0/xml/ESPD-Request.xml');
  assert.equal(importEspd(v4.replace('>ESPD-EDMv4.1.0<', '>ESPD-EDMv3.3.0<')).version, '3.3.0');
  const noExec = v4.replace(/<cbc:ProfileExecutionID[^>]*>[^<]*<\/cbc:ProfileExecutionID>/, '');
  assert.equal(importEspd(noExec.replace(/(<cbc:VersionID[^>]*>)4\.1\.0</, '$13.1.0<')).version, '3.1.0');
  // a 2.0.x draft: pre-award namespaces for the document and its common components
  const v2 = fixture('v2.1.1/xml/BASIC-ESPDRequest-2.1.1.xml')
    .replace('urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationRequest-2', 'urn:X-test:UBL:Pre-award:QualificationApplicationRequest')
    .replace('urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2', 'urn:X-test:UBL:Pre-award:CommonAggregate')
    .replace('urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2', 'urn:X-test:UBL:Pre-award:CommonBasic')
    .replace(/>\s*Basic\s*</, '>REGULATED<');
  const draft = importEspd(v2);
  assert.equal(draft.version, '2.0.2');
  const official = importEspd(fixture('v2.1.1/xml/BASIC-ESPDRequest-2.1.1.xml'));
  assert.deepEqual({ ...draft, version: '', profile: '' }, { ...official, version: '', profile: '' });
  // written out with the final OASIS namespaces
  assert.match(exportEspd(draft, '2.1.1').xml, /xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"/);
});

test('every v1 sample of the EC service is read (tolerant of the partial ones)', () => {
  const base = path.join(FIXTURES, 'v1.0.2/espd-service-samples');
  const files = readdirSync(base, { recursive: true }).map(String).filter((f) => f.endsWith('.xml'));
  assert.ok(files.length >= 50);
  for (const f of files) assert.equal(importEspd(fixture(path.join('v1.0.2/espd-service-samples', f))).version, '1.0.2');
});

test('a v1 response: identity, representative, inline answers with dates, evidence URL and self-cleaning', () => {
  const doc = importEspd(fixture('v1.0.2/espd-service-samples/response/v20161101/espd-response-20161101-full.xml'));
  assert.equal(doc.groupName, 'Hodor consortium');
  assert.equal(doc.procedure.fileReference, 'SMART 2015/0065');
  const party = doc.economicOperators![0].party!;
  assert.equal(party.names![0], 'Ben larbi');
  assert.equal(party.representatives![0].agent!.persons![0].familyName, 'Sweat');
  const crime = doc.criteria!.find((c) => c.id === '005eb9ed-1347-4ca3-bb29-9bc0db64e1ab')!;
  assert.equal(crime.groups![0].id, '7c637c0c-7703-4389-ba52-02997a055bd7');
  const props = [...propertiesOf(crime.groups)];
  assert.equal(props.find((p) => p.descriptions?.[0] === 'Date of conviction')!.answers![0].values![0].date, '2015-12-09');
  assert.equal(crime.groups![0].subGroups![0].typeCode, 'ONTRUE');
  const url = props.find((p) => p.valueDataType === 'EVIDENCE_IDENTIFIER')!.answers![0].evidenceIds![0];
  const evidence = doc.evidences!.find((e) => e.id === url)!;
  assert.match(evidence.documentReferences![0].attachment!.externalReference!.uri!, /^https:\/\/www\.lds\.org/);
});

test('a v1 response exported to 2.1.1 reports what 2.1.1 cannot hold', () => {
  const doc = importEspd(fixture('v1.0.2/espd-service-samples/response/response_eo_party_only_vat_number_scheme_id.xml'));
  const { losses } = exportEspd(doc, '2.1.1');
  assert.ok(losses.length > 0);
  assert.ok(losses.every((l) => l.element.startsWith('espd-') && l.message.includes('n’existe pas')));
});

test('a file that is not well-formed is refused with its line (the malformed 2.1.0 upstream example)', () => {
  assert.throws(
    () => importEspd(fixture('v2.1.0/xml/Lots-SelfContained-Response_V2.1.0.xml')),
    (e: unknown) => e instanceof EspdError && e.code === 'ESPD_XML_MALFORMED' && /ligne 523/.test(e.userMessage),
  );
  rejects('<QualificationApplicationRequest><a></b></QualificationApplicationRequest>', 'ESPD_XML_MALFORMED');
  rejects('<a>', 'ESPD_XML_MALFORMED');
  rejects('', 'ESPD_XML_MALFORMED');
  rejects('<x:a/>', 'ESPD_XML_MALFORMED');
  rejects('<a b="1" b="2"/>', 'ESPD_XML_MALFORMED');
});

test('DOCTYPE, entity declarations and unknown entities are refused (no expansion, no fetch)', () => {
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><a>&lol2;</a>`;
  rejects(laughs, 'ESPD_XML_DOCTYPE_FORBIDDEN');
  rejects(`<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>`, 'ESPD_XML_DOCTYPE_FORBIDDEN');
  rejects(`<a>&xxe;</a>`, 'ESPD_XML_ENTITY_FORBIDDEN');
});

test('size, depth and element count are bounded', () => {
  const v4 = fixture('v4.1.0/xml/ESPD-Request.xml');
  rejects(v4, 'ESPD_TOO_LARGE', { limits: { maxBytes: 100_000 } });
  rejects(v4, 'ESPD_TOO_LARGE', { limits: { maxElements: 1000 } });
  rejects(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`, 'ESPD_TOO_DEEP');
});

test('a well-formed file that is not an ESPD, or of an unknown version, is refused clearly', () => {
  rejects('<TED_EXPORT xmlns="http://publications.europa.eu/resource/schema/ted/R2.0.9/publication"/>', 'ESPD_NOT_ESPD');
  rejects('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>', 'ESPD_NOT_ESPD');
  const ns = 'urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationRequest-2';
  const cbc = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
  rejects(`<QualificationApplicationRequest xmlns="${ns}"/>`, 'ESPD_VERSION_UNKNOWN');
  rejects(`<QualificationApplicationRequest xmlns="${ns}" xmlns:cbc="${cbc}"><cbc:UBLVersionID>2.4</cbc:UBLVersionID></QualificationApplicationRequest>`, 'ESPD_VERSION_UNSUPPORTED');
  rejects(`<QualificationApplicationRequest xmlns="${ns}" xmlns:cbc="${cbc}"><cbc:ProfileExecutionID>ESPD-EDMv5.0.0</cbc:ProfileExecutionID></QualificationApplicationRequest>`, 'ESPD_VERSION_UNSUPPORTED');
});

test('entities and character references are decoded exactly', () => {
  const doc = importEspd(fixture('v1.0.2/espd-service-samples/response/v20161101/espd-response-20161101-full.xml'));
  const texts = JSON.stringify(doc);
  assert.ok(texts.includes('(\\"Self-Cleaning\\")'));
});
