import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readInvoiceXml, detectProfile } from '../../src/formats/index.ts';
import { modelFromTree } from '../../src/validation/model-from-tree.ts';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { AKRETION, CII_DIRS, FIXTURES, UBL_DIRS, fixtureFiles } from './fixtures.ts';

const read = (rel: string) => readInvoiceXml(readFileSync(path.join(FIXTURES, rel)));

test('every UBL and CII example of the fixtures is read, with its totals and lines', () => {
  const files = [...UBL_DIRS, ...CII_DIRS, AKRETION].flatMap((d) => fixtureFiles(d));
  assert.ok(files.length >= 70);
  for (const f of files) {
    const { invoice } = readInvoiceXml(readFileSync(f));
    assert.ok(invoice.number, `${f}: number`);
    assert.match(invoice.issueDate, /^\d{4}-\d{2}-\d{2}$/, `${f}: issue date`);
    assert.ok(invoice.totals.payableAmount, `${f}: payable amount`);
    assert.ok(invoice.seller.name && invoice.buyer.name, `${f}: parties`);
  }
});

test('a UBL invoice is read into the EN 16931 terms, amounts as exact strings', () => {
  const { syntax, kind, profile, invoice } = read('cen-en16931/ubl/examples/ubl-tc434-example1.xml');
  assert.deepEqual([syntax, kind, profile], ['UBL', 'UBL Invoice', 'EN16931']);
  assert.equal(invoice.number, '12115118');
  assert.equal(invoice.issueDate, '2015-01-09');
  assert.equal(invoice.typeCode, '380');
  assert.equal(invoice.currency, 'EUR');
  assert.equal(invoice.seller.name, 'De Koksmaat');
  assert.equal(invoice.seller.vatId, 'NL8200.98.395.B.01');
  assert.equal(invoice.seller.legalRegistration?.id, '57151520');
  assert.equal(invoice.buyer.contact?.name, 'Dhr. J BLOKKER');
  assert.equal(invoice.payment?.creditTransfers.length, 2);
  assert.equal(invoice.payment?.remittanceInformation, 'Deb. 10202 / Fact. 12115118');
  assert.deepEqual(invoice.vatBreakdown[0], { taxableAmount: '183.23', taxAmount: '10.99', categoryCode: 'S', rate: '6' });
  assert.equal(invoice.totals.payableAmount, '250.33');
  assert.equal(invoice.lines.length, 20);
  assert.equal(invoice.lines[0].price.netPrice, '9.95');
  assert.equal(typeof invoice.lines[0].quantity, 'string');
});

test('a UBL credit note is read with its credited quantities', () => {
  const { kind, invoice } = read('cen-en16931/ubl/examples/ubl-tc434-creditnote1.xml');
  assert.equal(kind, 'UBL CreditNote');
  assert.equal(invoice.typeCode, '381');
  assert.ok(invoice.lines[0].quantity);
});

test('a CII invoice is read; dates in format 102 become ISO dates', () => {
  const { syntax, invoice } = read('cen-en16931/cii/examples/CII_example1.xml');
  assert.equal(syntax, 'CII');
  assert.equal(invoice.number, '12115118');
  assert.equal(invoice.issueDate, '2015-01-09');
  assert.equal(invoice.totals.payableAmount, '250.33');
  assert.equal(invoice.lines.length, 20);
});

test('the Factur-X profile comes from BT-24', () => {
  const expected: Record<string, string> = {
    'factur-x-minimum.xml': 'MINIMUM',
    'factur-x-basicwl.xml': 'BASIC WL',
    'factur-x-basic.xml': 'BASIC',
    'factur-x-en16931.xml': 'EN16931',
    'factur-x-extended.xml': 'EXTENDED',
    'ubl-21-extended-ctc-fr.xml': 'EXTENDED-CTC-FR',
  };
  for (const [file, profile] of Object.entries(expected)) assert.equal(read(`${AKRETION}/${file}`).profile, profile, file);
  assert.equal(read(`${AKRETION}/factur-x-minimum.xml`).invoice.lines.length, 0);
  assert.equal(detectProfile('urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic'), 'BASIC');
  assert.equal(detectProfile('urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0'), 'EN16931');
  assert.equal(detectProfile('urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.0'), 'XRECHNUNG');
  assert.equal(detectProfile('urn:example'), 'UNKNOWN');
});

test('UBL notes "#AAI#text" carry their subject code, like CII', () => {
  const { invoice } = read(`${AKRETION}/ubl-21-extended-ctc-fr.xml`);
  assert.deepEqual(invoice.notes[0], { subjectCode: 'AAI', text: 'Ceci est une information générale' });
  assert.deepEqual(invoice.notes[2], { text: 'note sans sujet !' });
});

test('text is read trimmed: readInvoiceXml trims it before decoding its references, the model from the validator tree after', () => {
  const xml = readFileSync(path.join(FIXTURES, 'cen-en16931/ubl/examples/ubl-tc434-example1.xml'), 'utf8')
    .replace(/<cbc:Note>[^<]*<\/cbc:Note>/, '<cbc:Note>\n  &#32;Franco&#13;\r\n  deux lignes&#10;  </cbc:Note>')
    .replace(/<cbc:ID>12115118<\/cbc:ID>/, '<cbc:ID>\n  12115118\n</cbc:ID>');
  const fxp = readInvoiceXml(xml).invoice;
  assert.deepEqual(fxp.notes[0], { text: ' Franco\r\n  deux lignes\n' });
  assert.equal(fxp.number, '12115118');
  const tree = modelFromTree(parseXml(xml));
  assert.deepEqual(tree.notes[0], { text: 'Franco\n\n  deux lignes' });
  assert.equal(tree.number, '12115118');
});
