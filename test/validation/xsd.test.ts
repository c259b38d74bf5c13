import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { XsdValidator, schemaFor, type XsdInput } from '../../src/validation/xsd.ts';
import { FIXTURES, loadSample } from './agreement-harness.ts';

/**
 * XSD verdicts (libxml2 through libxml2-wasm) against the XSD verdict of the official run recorded in
 * oracle-results.json, on every sample (Factur-X PDFs: their embedded XML), schema chosen the same way.
 */
interface OracleXsd {
  file: string;
  xsd: { schema: string; valid: boolean };
}

const SCHEMA_FILE: Record<string, string> = {
  'ubl-invoice': 'UBL-Invoice-2.1.xsd',
  'ubl-creditnote': 'UBL-CreditNote-2.1.xsd',
  'cii-d16b': 'CrossIndustryInvoice_100pD16B.xsd',
  'facturx-minimum': 'Factur-X_MINIMUM.xsd',
  'facturx-basicwl': 'Factur-X_BASICWL.xsd',
  'facturx-basic': 'Factur-X_BASIC.xsd',
  'facturx-en16931': 'Factur-X_EN16931.xsd',
  'facturx-extended': 'Factur-X_EXTENDED.xsd',
};

test('XSD verdicts agree with the official run on every sample', async () => {
  const oracle = JSON.parse(readFileSync(path.join(FIXTURES, 'oracle-results.json'), 'utf8')) as { results: OracleXsd[] };
  const validator = XsdValidator.load(path.join(FIXTURES, 'artefacts'));
  const inputs: XsdInput[] = [];
  const expected = new Map<string, OracleXsd['xsd']>();
  for (const r of oracle.results) {
    const xml = loadSample(r.file);
    assert.ok(xml, `no XML in ${r.file}`);
    const schema = schemaFor(parseXml(xml));
    assert.ok(schema, `no schema for ${r.file}`);
    assert.equal(SCHEMA_FILE[schema], path.basename(r.xsd.schema), `schema chosen for ${r.file}`);
    inputs.push({ name: r.file, xml, schema });
    expected.set(r.file, r.xsd);
  }
  const t0 = performance.now();
  const results = await validator.validate(inputs);
  const ms = performance.now() - t0;
  console.log(`XSD: ${results.length} documents in ${ms.toFixed(0)} ms (schemas compiled on first use)`);
  const disagreements = results.filter((r) => r.valid !== expected.get(r.name)?.valid).map((r) => `${r.name}: ours ${r.valid} ${r.errors.slice(0, 2).join(' | ')}`);
  assert.deepEqual(disagreements, []);
});

test('an invalid UBL invoice gets the libxml2 message with its line', async () => {
  const validator = XsdValidator.load(path.join(FIXTURES, 'artefacts'));
  const xml =
    '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">\n<cbc:Foo>1</cbc:Foo></Invoice>';
  const [r] = await validator.validate([{ name: 'bad', xml, schema: 'ubl-invoice' }]);
  assert.equal(r.valid, false);
  assert.match(r.errors.join('\n'), /Foo/);
});
