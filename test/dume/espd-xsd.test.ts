import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportEspd, importEspd, type EspdExportVersion } from '../../src/formats/espd/index.ts';
import { validateWithXsd } from '../../src/formats/espd/xsd.ts';
import { FULL_EXAMPLES, fixture, schemaSet } from './fixtures.ts';

const files = Object.values(FULL_EXAMPLES).flat();
const targets: EspdExportVersion[] = ['2.1.1', '4.1.0'];

for (const file of files) {
  test(`${file}: its exports in 2.1.1 and 4.1.0 are valid against the XSD of the fixtures`, async () => {
    const doc = importEspd(fixture(file));
    for (const target of targets) {
      const { xml } = exportEspd(doc, target);
      const result = await validateWithXsd(xml, schemaSet(target, doc.kind));
      assert.deepEqual(result.errors.slice(0, 5), [], `${target}: ${result.errors.slice(0, 3).join(' | ')}`);
      assert.equal(result.valid, true);
    }
  });
}

test('the validator does reject an export that breaks the schema', async () => {
  const doc = importEspd(fixture('v4.1.0/xml/ESPD-Request.xml'));
  const { xml } = exportEspd(doc, '4.1.0');
  const broken = xml.replace('<cbc:ContractFolderID', '<cbc:Unknown>x</cbc:Unknown><cbc:ContractFolderID');
  const result = await validateWithXsd(broken, schemaSet('4.1.0', 'request'));
  assert.equal(result.valid, false);
});
