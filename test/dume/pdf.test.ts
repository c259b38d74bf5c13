import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allCriteria, importEspd, propertiesOf, renderEspdPdf, valueTexts, type EspdDocument } from '../../src/formats/espd/index.ts';
import { pdfText } from '../formats/pdf-inspect.ts';
import { fixture } from './fixtures.ts';

/** Every value the operator answered, as written in the XML. */
function answeredValues(doc: EspdDocument): string[] {
  const out: string[] = [];
  for (const c of allCriteria(doc.criteria))
    for (const p of propertiesOf(c.groups))
      for (const a of p.answers ?? []) {
        for (const v of a.values ?? []) {
          if (v.indicator !== undefined) out.push(v.indicator ? 'Oui' : 'Non');
          for (const s of [v.amount?.value, v.code, v.date, v.identifier, v.numeric, v.quantity?.value, v.measure?.value, v.time, v.uri, ...(v.descriptions ?? [])]) if (s) out.push(s);
        }
        for (const per of a.periods ?? []) for (const s of [per.startDate, per.endDate, ...(per.descriptions ?? [])]) if (s) out.push(s);
        for (const id of a.evidenceIds ?? []) out.push(id);
      }
  for (const e of doc.evidences ?? []) for (const r of e.documentReferences ?? []) if (r.attachment?.externalReference?.uri) out.push(r.attachment.externalReference.uri);
  const party = doc.economicOperators?.[0]?.party;
  for (const s of [...(party?.names ?? []), ...(party?.identifiers ?? []), ...(party?.taxIds ?? []).map((t) => t.id), doc.procedure.fileReference, doc.groupName]) if (s) out.push(s);
  return out;
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

for (const file of ['v2.1.1/xml/EXTENDED-ESPDResponse-2.1.1.xml', 'v4.1.0/xml/ESPD-Response.xml', 'v1.0.2/espd-service-samples/response/v20161101/espd-response-20161101-full.xml']) {
  test(`the French PDF of ${file.split('/').pop()} shows every answered value of the XML`, async () => {
    const doc = importEspd(fixture(file));
    const values = answeredValues(doc);
    assert.ok(values.length > 20, 'the fixture has answers');
    const pdf = await renderEspdPdf(doc, { number: 'abcd1234' });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = squeeze((await pdfText(pdf)).join('\n'));
    const missing = [...new Set(values)].filter((v) => !text.includes(squeeze(v)));
    assert.deepEqual(missing, []);
    assert.ok(text.includes(squeeze('DUME opérateur économique')) && text.includes('abcd1234'));
  });
}

test('valueTexts writes amounts exactly as the XML (no float), with their currency', () => {
  assert.deepEqual(valueTexts({ amount: { value: '1250000.10', currency: 'EUR' } }), ['1250000.10 EUR']);
  assert.deepEqual(valueTexts({ indicator: false }), ['Non']);
});
