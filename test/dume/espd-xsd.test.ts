import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportEspd, importEspd, type EspdExportVersion } from '../../src/formats/espd/index.ts';
import { validateManyWithXsd, validateWithXsd } from '../../src/formats/espd/xsd.ts';
import { FULL_EXAMPLES, fixture, schemaSet } from './fixtures.ts';

const files = Object.values(FULL_EXAMPLES).flat();
const docs = files.map((file) => ({ file, doc: importEspd(fixture(file)) }));

// every full example, exported in its own version family and in the other one, against the schemas of
// (version, request|response), each compiled once per process
for (const target of ['2.1.1', '4.1.0'] as EspdExportVersion[]) {
  for (const kind of ['request', 'response'] as const) {
    test(`exports to ${target} of every full example ${kind} are valid against the ${target} XSD`, async () => {
      const batch = docs.filter((d) => d.doc.kind === kind).map((d) => ({ name: d.file, xml: exportEspd(d.doc, target).xml }));
      assert.ok(batch.length >= 3);
      const results = await validateManyWithXsd(batch, schemaSet(target, kind));
      for (const [name, r] of results) assert.deepEqual(r.errors.slice(0, 3), [], `${name} → ${target}`);
    });
  }
}

test('the validator does reject an export that breaks the schema', async () => {
  const doc = importEspd(fixture('v4.1.0/xml/ESPD-Request.xml'));
  const { xml } = exportEspd(doc, '4.1.0');
  const broken = xml.replace('<cbc:ContractFolderID', '<cbc:Unknown>x</cbc:Unknown><cbc:ContractFolderID');
  const result = await validateWithXsd(broken, schemaSet('4.1.0', 'request'));
  assert.equal(result.valid, false);
  const many = await validateManyWithXsd([{ name: 'good', xml }, { name: 'broken', xml: broken }], schemaSet('4.1.0', 'request'));
  assert.equal(many.get('good')!.valid, true);
  assert.equal(many.get('broken')!.valid, false);
});
