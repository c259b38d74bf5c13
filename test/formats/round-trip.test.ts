import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readInvoiceXml, writeCii, writeUbl, type Invoice } from '../../src/formats/index.ts';
import { XsdValidator, type SchemaKey } from '../../src/validation/xsd.ts';
import { AKRETION, CII_DIRS, FIXTURES, UBL_DIRS, fixtureFiles } from './fixtures.ts';

/**
 * Parse A → write B → parse B must equal parse A on every term both syntaxes carry. The only differences
 * allowed are values one syntax must derive because it cannot leave them out (listed in docs/formats.md):
 * - CII carries the price discount BT-147 only inside a gross price BT-148: the writer derives BT-148 = net + discount;
 * - UBL carries the gross price BT-148 only with a discount amount: the writer derives BT-147 = gross − net;
 * - UBL requires the VAT total BT-110: when CII omits it, it is the sum of the breakdown.
 */
function withoutDerivedTerms(a: Invoice, b: Invoice): Invoice {
  const copy: Invoice = structuredClone(b);
  copy.lines.forEach((l, i) => {
    const orig = a.lines[i]?.price;
    if (!orig) return;
    if (orig.grossPrice === undefined) delete l.price.grossPrice;
    if (orig.discount === undefined) delete l.price.discount;
  });
  if (a.totals.vatTotal === undefined) delete copy.totals.vatTotal;
  return copy;
}

/** CII D16B carries a single preceding invoice reference (BG-3). */
function firstPrecedingInvoiceOnly(a: Invoice): Invoice {
  const copy: Invoice = structuredClone(a);
  copy.precedingInvoices = copy.precedingInvoices.slice(0, 1);
  return copy;
}

const ubl = [...UBL_DIRS.flatMap((d) => fixtureFiles(d)), ...fixtureFiles(AKRETION, /^ubl.*\.xml$/)];
const cii = [...CII_DIRS.flatMap((d) => fixtureFiles(d)), ...fixtureFiles(AKRETION, /^factur-x-(basic|en16931|extended)\.xml$/)];
/** Factur-X MINIMUM and BASIC WL carry no lines: they have no UBL form. */
const lineless = fixtureFiles(AKRETION, /^factur-x-(minimum|basicwl)\.xml$/);

test(`UBL → model → CII → model loses no shared term (${ubl.length} fixture invoices)`, () => {
  for (const f of ubl) {
    const a = readInvoiceXml(readFileSync(f));
    const b = readInvoiceXml(writeCii(a.invoice));
    assert.equal(b.syntax, 'CII');
    assert.equal(b.profile, a.profile, f);
    assert.deepEqual(withoutDerivedTerms(a.invoice, b.invoice), firstPrecedingInvoiceOnly(a.invoice), path.basename(f));
  }
});

test(`CII → model → UBL → model loses no shared term (${cii.length} fixture invoices)`, () => {
  for (const f of cii) {
    const a = readInvoiceXml(readFileSync(f));
    const b = readInvoiceXml(writeUbl(a.invoice));
    assert.equal(b.syntax, 'UBL');
    assert.deepEqual(withoutDerivedTerms(a.invoice, b.invoice), a.invoice, path.basename(f));
  }
});

test('writing the same syntax back gives the same model (UBL → UBL, CII → CII)', () => {
  for (const f of ubl) {
    const a = readInvoiceXml(readFileSync(f));
    assert.deepEqual(readInvoiceXml(writeUbl(a.invoice, { document: a.kind === 'UBL CreditNote' ? 'CreditNote' : 'Invoice' })).invoice, a.invoice, f);
  }
  for (const f of cii) {
    const a = readInvoiceXml(readFileSync(f));
    assert.deepEqual(readInvoiceXml(writeCii(a.invoice)).invoice, a.invoice, f);
  }
});

test('MINIMUM and BASIC WL (no lines) cannot be written as UBL, with a clear error; they round-trip through CII', () => {
  assert.equal(lineless.length, 2);
  for (const f of lineless) {
    const a = readInvoiceXml(readFileSync(f));
    assert.throws(() => writeUbl(a.invoice), { code: 'UNSUPPORTED_TARGET', message: /au moins une ligne/ });
    assert.deepEqual(readInvoiceXml(writeCii(a.invoice)).invoice, a.invoice);
  }
});

test('a credit note (BT-3 = 381) is written as a UBL CreditNote, with credited quantities', () => {
  const a = readInvoiceXml(readFileSync(path.join(FIXTURES, 'cen-en16931/ubl/examples/ubl-tc434-creditnote1.xml')));
  const xml = writeUbl(readInvoiceXml(writeCii(a.invoice)).invoice);
  assert.match(xml, /<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/);
  assert.match(xml, /<cbc:CreditedQuantity/);
});

// The written documents are valid against the official schemas.
const xsd = XsdValidator.load(path.resolve(FIXTURES, '..', 'artefacts'));
async function xsdErrors(docs: { name: string; xml: string }[], schema: SchemaKey) {
  const results = await xsd.validate(docs.map((d) => ({ ...d, schema })));
  return results.flatMap((r) => r.errors.map((e) => `${r.name}: ${e}`));
}

test('written UBL documents are valid against the UBL 2.1 XSD', async () => {
  const invoices: { name: string; xml: string }[] = [];
  const creditNotes: { name: string; xml: string }[] = [];
  for (const f of [...cii, ...ubl]) {
    const { invoice } = readInvoiceXml(readFileSync(f));
    const xml = writeUbl(invoice);
    (xml.includes('<CreditNote ') ? creditNotes : invoices).push({ name: `${path.basename(f)}.ubl.xml`, xml });
  }
  assert.deepEqual(await xsdErrors(invoices, 'ubl-invoice'), []);
  if (creditNotes.length) assert.deepEqual(await xsdErrors(creditNotes, 'ubl-creditnote'), []);
});

test('written CII documents are valid against the CII D16B XSD', async () => {
  const docs = [...ubl, ...cii, ...lineless].map((f) => ({ name: `${path.basename(f)}.cii.xml`, xml: writeCii(readInvoiceXml(readFileSync(f)).invoice) }));
  assert.deepEqual(await xsdErrors(docs, 'cii-d16b'), []);
});
