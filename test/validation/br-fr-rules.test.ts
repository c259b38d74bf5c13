import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readInvoiceXml, writeCii, writeUbl, type Invoice } from '../../src/formats/index.ts';
import { BR_FR_TEXTS, validateInvoiceDocument } from '../../src/validation/index.ts';
import { FIXTURES } from './agreement-harness.ts';

/**
 * The French rules (`br-fr`): the fixtures have no official BR-FR run, so each rule is shown firing on a
 * modified French invoice and silent on the original, in both syntaxes where the field exists in both.
 */

const sample = (p: string) => readFileSync(path.join(FIXTURES, 'samples', p));
const french = readInvoiceXml(sample('akretion-factur-x/factur-x-en16931.xml')).invoice;

async function fired(inv: Invoice, syntax: 'ubl' | 'cii' = 'cii') {
  const xml = syntax === 'ubl' ? writeUbl(inv) : writeCii(inv);
  const res = await validateInvoiceDocument(typeof xml === 'string' ? Buffer.from(xml) : xml, { ruleSets: ['br-fr'] });
  assert.equal(res.readable, true);
  return res.findings;
}
const ids = async (inv: Invoice, syntax: 'ubl' | 'cii' = 'cii') => [...new Set((await fired(inv, syntax)).map((f) => f.rule))].sort();
const edit = (f: (i: Invoice) => void) => {
  const inv = structuredClone(french);
  f(inv);
  return inv;
};

test('the French reform samples satisfy every BR-FR rule written, in CII and once converted to UBL', async () => {
  assert.deepEqual(await ids(french), []);
  assert.deepEqual(await ids(french, 'ubl'), []);
  const ctcFr = await validateInvoiceDocument(sample('akretion-factur-x/ubl-21-extended-ctc-fr.xml'), { ruleSets: ['br-fr'] });
  assert.deepEqual(ctcFr.findings, []);
});

test('a Dutch EN 16931 invoice fails the French layer where the FNFE note says EU samples do (05, 08, 10, 12, 13, 16)', async () => {
  const r = await validateInvoiceDocument(sample('cen-en16931/ubl/examples/ubl-tc434-example1.xml'), { ruleSets: ['br-fr'] });
  assert.deepEqual([...new Set(r.findings.map((f) => f.rule))].sort(), ['BR-FR-05', 'BR-FR-08', 'BR-FR-10', 'BR-FR-12', 'BR-FR-13', 'BR-FR-16']);
});

const cases: [string, (i: Invoice) => void, string?][] = [
  ['BR-FR-01', (i) => (i.number = 'F'.repeat(36))],
  ['BR-FR-02', (i) => (i.number = 'FA 2026')],
  ['BR-FR-03', (i) => (i.dueDate = '2100-01-01')],
  ['BR-FR-04', (i) => (i.typeCode = '383')],
  ['BR-FR-05', (i) => (i.notes = i.notes.filter((n) => n.subjectCode !== 'PMD'))],
  ['BR-FR-06', (i) => i.notes.push({ subjectCode: 'AAB', text: 'Pas d’escompte.' })],
  ['BR-FR-08', (i) => (i.businessProcessType = 'A1')],
  ['BR-FR-09', (i) => i.seller.identifiers.push({ id: '99999999900011', schemeId: '0009' })],
  ['BR-FR-10', (i) => (i.seller.legalRegistration = { id: '12345678', schemeId: '0002' })],
  ['BR-FR-11', (i) => {
    i.notes.push({ subjectCode: 'BAR', text: 'B2B' });
    delete i.buyer.legalRegistration;
  }],
  ['BR-FR-12', (i) => delete i.buyer.electronicAddress],
  ['BR-FR-13', (i) => delete i.seller.electronicAddress],
  ['BR-FR-15', (i) => (i.lines[0].vat.categoryCode = 'L')],
  ['BR-FR-16', (i) => (i.vatBreakdown[0].rate = '19.00')],
  ['BR-FR-17', (i) => i.supportingDocuments.push({ reference: 'PJ1', description: 'Photo du chantier' })],
  ['BR-FR-18', (i) => i.supportingDocuments.push({ reference: 'PJ1', description: 'LISIBLE' }, { reference: 'PJ2', description: 'LISIBLE' })],
  ['BR-FR-20', (i) => i.notes.push({ subjectCode: 'BAR', text: 'B2G' })],
  ['BR-FR-21', (i) => {
    i.notes.push({ subjectCode: 'BAR', text: 'B2B' });
    i.buyer.legalRegistration = { id: '123456789', schemeId: '0002' };
    i.buyer.electronicAddress = { id: '987654321_SERV', schemeId: '0225' };
  }],
  ['BR-FR-22', (i) => {
    i.notes.push({ subjectCode: 'BAR', text: 'B2B' });
    i.typeCode = '389';
    i.seller.electronicAddress = { id: 'moi@seller.com', schemeId: 'EM' };
  }],
  ['BR-FR-25', (i) => (i.seller.electronicAddress = { id: 'a'.repeat(126), schemeId: '0225' })],
  ['BR-FR-32', (i) => (i.buyer.legalRegistration = { id: '1234', schemeId: '0002' })],
  ['BR-FR-CO-04', (i) => {
    i.typeCode = '384';
    i.precedingInvoices = [];
  }],
  ['BR-FR-CO-05', (i) => {
    i.typeCode = '381';
    i.precedingInvoices = [{ number: 'F-2025-1' }];
  }],
  ['BR-FR-CO-07', (i) => (i.dueDate = '2000-01-01')],
  ['BR-FR-CO-08', (i) => {
    i.businessProcessType = 'B4';
    i.typeCode = '386';
  }],
  ['BR-FR-CO-09', (i) => (i.businessProcessType = 'S2')],
  ['BR-FR-CO-10', (i) => i.buyer.identifiers.push({ id: '3654789852', schemeId: '0088' })],
  ['BR-FR-CO-12', (i) => (i.currency = 'USD')],
];

for (const [rule, change] of cases) {
  test(`${rule} fires on its case only: ${BR_FR_TEXTS[rule].messageFr.slice(0, 70)}…`, async () => {
    const f = await fired(edit(change));
    const mine = f.filter((x) => x.rule === rule);
    assert.ok(mine.length > 0, `${rule} did not fire: ${f.map((x) => x.rule).join(' ')}`);
    assert.equal(mine[0].flag, 'fatal');
    assert.ok(mine[0].message.startsWith(rule), mine[0].message);
    assert.ok(mine[0].location.startsWith('/rsm:CrossIndustryInvoice/'));
  });
}

test('BR-FR-CO-07 does not apply to a down payment, nor to an invoice already paid', async () => {
  assert.ok(!(await ids(edit((i) => ((i.dueDate = '2000-01-01'), (i.typeCode = '386'))))).includes('BR-FR-CO-07'));
  const paid = edit((i) => {
    i.businessProcessType = 'S2';
    i.dueDate = '2000-01-01';
    i.totals.prepaidAmount = i.totals.taxInclusiveAmount;
    i.totals.payableAmount = '0.00';
  });
  assert.deepEqual(await ids(paid), []);
});

test('BR-FR-21 / 22: a B2B invoice routed to the SIREN of its receiver (scheme 0225) passes', async () => {
  const b2b = edit((i) => {
    i.notes.push({ subjectCode: 'BAR', text: 'B2B' });
    i.buyer.legalRegistration = { id: '123456789', schemeId: '0002' };
    i.buyer.electronicAddress = { id: '123456789_SERV', schemeId: '0225' };
  });
  assert.deepEqual(await ids(b2b), []);
  const selfBilled = edit((i) => {
    i.notes.push({ subjectCode: 'BAR', text: 'B2B' });
    i.typeCode = '389';
    i.seller.electronicAddress = { id: `${i.seller.legalRegistration!.id}_042`, schemeId: '0225' };
    i.buyer.legalRegistration = { id: '123456789', schemeId: '0002' };
  });
  assert.deepEqual(await ids(selfBilled), []);
});

test('locations follow the syntax: UBL paths for a UBL invoice', async () => {
  const f = await fired(edit((i) => (i.businessProcessType = 'A1')), 'ubl');
  assert.deepEqual(f.map((x) => [x.rule, x.location]), [['BR-FR-08', '/Invoice/cbc:ProfileID']]);
});

test('every BR-FR rule carries its official message (starting with its id) and a French message for the user', () => {
  for (const [id, t] of Object.entries(BR_FR_TEXTS)) {
    assert.ok(t.message.startsWith(id), `${id}: ${t.message}`);
    assert.ok(t.messageFr.length > 20, id);
    assert.equal(t.flag, 'fatal');
  }
});
