import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_XML_LIMITS, FormatError, readInvoiceXml } from '../../src/formats/index.ts';
import { parseInvoiceXml } from '../../src/validation/parse-invoice.ts';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { FIXTURES, fixtureInvoiceFiles, loadSample } from './agreement-harness.ts';

/** One parse serves the rules and the model: the model is readInvoiceXml's, the tree the validator's. */
test('parseInvoiceXml reads what readInvoiceXml reads, and the tree parseXml builds, on every UBL and CII fixture', () => {
  const files = fixtureInvoiceFiles();
  let n = 0;
  for (const file of files) {
    const xml = loadSample(file);
    if (xml === undefined) continue;
    let expected;
    try {
      expected = readInvoiceXml(xml);
    } catch (err) {
      assert.ok(err instanceof FormatError);
      assert.throws(() => parseInvoiceXml(xml), { code: err.code, message: err.message }, file);
      continue;
    }
    const { read, tree } = parseInvoiceXml(xml);
    assert.deepEqual(read, expected, file);
    assert.equal(tree.all.length, parseXml(xml).all.length, file);
    n++;
  }
  assert.ok(n > 150, `${n} documents compared`);
});

const example = readFileSync(path.join(FIXTURES, 'samples/cen-en16931/ubl/examples/ubl-tc434-example1.xml'), 'utf8');
const UBL_HEAD = '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">';

/** The same FormatError (code and French message) as readInvoiceXml for every document it refuses. */
function sameRefusal(input: string | Uint8Array) {
  let expected: FormatError | undefined;
  try {
    readInvoiceXml(input);
  } catch (err) {
    expected = err as FormatError;
  }
  assert.ok(expected instanceof FormatError, 'readInvoiceXml refuses it');
  assert.throws(() => parseInvoiceXml(input), (err: unknown) => err instanceof FormatError && err.code === expected.code && err.message === expected.message);
}

test('hostile or malformed documents are refused exactly as readInvoiceXml refuses them', () => {
  sameRefusal(`<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${UBL_HEAD}<cbc:ID>&xxe;</cbc:ID></Invoice>`);
  sameRefusal(`${UBL_HEAD}<cbc:Note><![CDATA[<!DOCTYPE x>]]></cbc:Note></Invoice>`);
  sameRefusal(`${UBL_HEAD}${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</Invoice>`);
  sameRefusal(`${UBL_HEAD}${'<a>'.repeat(DEFAULT_XML_LIMITS.maxDepth)}${'</a>'.repeat(DEFAULT_XML_LIMITS.maxDepth)}</Invoice>`);
  sameRefusal(new Uint8Array(DEFAULT_XML_LIMITS.maxBytes + 1));
  sameRefusal(`${UBL_HEAD}<cbc:ID>1</cbc:IssueDate></Invoice>`);
  sameRefusal(example.slice(0, example.length / 2));
  sameRefusal('');
  sameRefusal('not xml at all');
  sameRefusal(`${UBL_HEAD}</Invoice><Invoice/>`);
  sameRefusal(Uint8Array.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]));
  sameRefusal(Buffer.from('<?xml version="1.0" encoding="EBCDIC-CP-US"?><a/>'));
  sameRefusal('<?xml version="1.0"?><html><body>facture</body></html>');
  sameRefusal('<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"/>');
  sameRefusal(example.replace('<cbc:ID>12115118</cbc:ID>', '<cbc:ID>12115118</cbc:ID><__proto__><polluted>1</polluted></__proto__><constructor/>'));
  // What the validator's parser accepted beyond readInvoiceXml: names starting with a digit, a repeated attribute,
  // attributes without a space between them, an XML declaration not at the start or unterminated.
  sameRefusal(example.replace('<cbc:ID>12115118</cbc:ID>', '<cbc:ID 1scheme="x">12115118</cbc:ID>'));
  sameRefusal(example.replace('<cbc:ID>12115118</cbc:ID>', '<cbc:ID schemeID="a" schemeID="b">12115118</cbc:ID>'));
  sameRefusal(example.replace('<cbc:ID>12115118</cbc:ID>', '<cbc:ID schemeID="a"schemeAgencyID="b">12115118</cbc:ID>'));
  sameRefusal(`\n${example}`);
  sameRefusal(example.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0 encoding="UTF-8"?>'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('what readInvoiceXml reads but the validator cannot (an undeclared prefix or entity) is refused as malformed, in French', () => {
  for (const xml of [
    example.replace('<cbc:ID>12115118</cbc:ID>', '<cbc:ID>&lol9;</cbc:ID>'),
    example.replace('<cbc:ID>12115118</cbc:ID>', '<cbc:ID s:schemeID="0088">12115118</cbc:ID>'),
  ]) {
    assert.doesNotThrow(() => readInvoiceXml(xml));
    assert.throws(() => parseInvoiceXml(xml), (err: unknown) => err instanceof FormatError && err.code === 'XML_MALFORMED' && /^XML mal formé \(caractère \d+\) : (entité|préfixe)/.test(err.userMessage));
  }
});
