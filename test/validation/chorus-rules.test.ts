import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readInvoiceXml, writeCii, writeUbl, type Invoice } from '../../src/formats/index.ts';
import { CHORUS_TEXTS, chorusFindings, isValidSiret, parseInvoiceXml, validateInvoiceDocument, type RecipientRequirements } from '../../src/validation/index.ts';
import { FIXTURES } from './agreement-harness.ts';

/**
 * The Chorus Pro pre-deposit rule set (`chorus`): each rule with a case that fires it and one that does not.
 * Chorus Pro publishes no executable rules, so there is no oracle to agree with: these cases are the proof.
 */

const base = readInvoiceXml(readFileSync(path.join(FIXTURES, 'samples/cen-en16931/ubl/examples/ubl-tc434-example1.xml'))).invoice;

/** A compliant B2G invoice: the buyer identified by a valid SIRET, a service code and a legal commitment. */
function good(): Invoice {
  const inv = structuredClone(base);
  inv.number = 'FA-2026/0042';
  inv.buyer.legalRegistration = { id: '21750001600019', schemeId: '0009' };
  inv.buyerReference = 'SERV-FIN';
  inv.purchaseOrderReference = '0000048295';
  return inv;
}

async function fired(inv: Invoice, req?: RecipientRequirements, syntax: 'ubl' | 'cii' = 'ubl') {
  const bytes = syntax === 'ubl' ? writeUbl(inv) : writeCii(inv);
  const res = await validateInvoiceDocument(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, { ruleSets: ['chorus'], recipientRequirements: req });
  assert.equal(res.readable, true);
  return res.findings;
}
const ids = async (inv: Invoice, req?: RecipientRequirements) => (await fired(inv, req)).map((f) => f.rule).sort();

const ALL: RecipientRequirements = { serviceCode: true, ej: true };

test('the compliant invoice passes every Chorus Pro rule, whatever the recipient requires', async () => {
  assert.deepEqual(await ids(good(), ALL), []);
  assert.deepEqual(await ids(good(), { ejOrServiceCode: true, services: [{ code: 'SERV-FIN', ej: true }] }), []);
});

test('CPRO-01: the buyer must be identified by a SIRET (scheme 0009), as legal id BT-47 or identifier BT-46', async () => {
  const inv = good();
  inv.buyer.legalRegistration = { id: '217500016', schemeId: '0002' };
  assert.deepEqual(await ids(inv), ['CPRO-01']);
  inv.buyer.identifiers = [{ id: '21750001600019', schemeId: '0009' }];
  assert.deepEqual(await ids(inv), []);
});

test('CPRO-02 / CPRO-03: a SIRET has 14 digits and a valid check digit (buyer, seller)', async () => {
  assert.equal(isValidSiret('21750001600019'), true);
  assert.equal(isValidSiret('21750001600018'), false);
  assert.equal(isValidSiret('2175000160001'), false);
  assert.equal(isValidSiret('35600000049837'), true); // La Poste: digit sum multiple of 5
  const inv = good();
  inv.buyer.legalRegistration = { id: '21750001600018', schemeId: '0009' };
  const f = await fired(inv);
  assert.deepEqual(f.map((x) => x.rule), ['CPRO-02']);
  assert.match(f[0].messageFr, /SIRET du destinataire n'est pas valide.*« 21750001600018 »/);
  const seller = good();
  seller.seller.legalRegistration = { id: '1234', schemeId: '0009' };
  assert.deepEqual(await ids(seller), ['CPRO-03']);
  seller.seller.legalRegistration = { id: '73282932000074', schemeId: '0009' };
  assert.deepEqual(await ids(seller), []);
});

test('CPRO-04: the service code (BT-10) when the recipient requires it, with the French message naming the field', async () => {
  const inv = good();
  delete inv.buyerReference;
  assert.deepEqual(await ids(inv), [], 'not required: no finding');
  const f = await fired(inv, { serviceCode: true });
  assert.deepEqual(f.map((x) => x.rule), ['CPRO-04']);
  assert.equal(f[0].flag, 'fatal');
  assert.match(f[0].messageFr, /^Le code service du destinataire est obligatoire pour cet acheteur/);
  assert.equal(f[0].location, '/Invoice/cbc:BuyerReference');
  const cii = await fired(inv, { serviceCode: true }, 'cii');
  assert.equal(cii[0].location, '/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerReference');
});

test('CPRO-05: the legal commitment (BT-13) when the recipient, or the chosen service, requires it', async () => {
  const inv = good();
  delete inv.purchaseOrderReference;
  assert.deepEqual(await ids(inv, { serviceCode: true }), []);
  assert.deepEqual(await ids(inv, { ej: true }), ['CPRO-05']);
  const f = await fired(inv, { services: [{ code: 'SERV-FIN', ej: true }] });
  assert.deepEqual(f.map((x) => x.rule), ['CPRO-05']);
  assert.match(f[0].messageFr, /engagement juridique.*service « SERV-FIN »/);
});

test('CPRO-06: the legal commitment or the service code, when the recipient requires one of the two', async () => {
  const inv = good();
  delete inv.purchaseOrderReference;
  assert.deepEqual(await ids(inv, { ejOrServiceCode: true }), []);
  delete inv.buyerReference;
  assert.deepEqual(await ids(inv, { ejOrServiceCode: true }), ['CPRO-06']);
});

test('CPRO-07: the service code must be an active service of the recipient when its services are known', async () => {
  const inv = good();
  assert.deepEqual(await ids(inv, { services: [{ code: 'SERV-FIN' }] }), []);
  assert.deepEqual(await ids(inv, { services: [{ code: 'SERV-FIN', active: false }, { code: 'AUTRE' }] }), ['CPRO-07']);
});

test('CPRO-08 / CPRO-09: invoice number of at most 20 characters among letters, digits and - _ / +', async () => {
  const inv = good();
  inv.number = 'A'.repeat(20);
  assert.deepEqual(await ids(inv), []);
  inv.number = 'A'.repeat(21);
  assert.deepEqual(await ids(inv), ['CPRO-08']);
  inv.number = 'FA 2026-1';
  assert.deepEqual(await ids(inv), ['CPRO-09']);
  inv.number = 'FA-2026_1/2+3';
  assert.deepEqual(await ids(inv), []);
  inv.number = 'FACTURE-É';
  assert.deepEqual(await ids(inv), ['CPRO-09']);
});

test('CPRO-10: legal commitment of at most 50 characters', async () => {
  const inv = good();
  inv.purchaseOrderReference = 'E'.repeat(50);
  assert.deepEqual(await ids(inv), []);
  inv.purchaseOrderReference = 'E'.repeat(51);
  assert.deepEqual(await ids(inv), ['CPRO-10']);
});

test('CPRO-11…15: amounts consistent, in exact decimals', async () => {
  const inv = good();
  const t = inv.totals;
  const bump = (s: string) => (Number(s) + 0.01).toFixed(2);
  const case11 = structuredClone(inv);
  case11.totals.vatTotal = bump(t.vatTotal!);
  // BT-110 changed alone: HT + TVA ≠ TTC and Σ BT-117 ≠ BT-110.
  assert.deepEqual(await ids(case11), ['CPRO-11', 'CPRO-15']);
  const case12 = structuredClone(inv);
  case12.totals.lineNetTotal = bump(t.lineNetTotal!);
  assert.deepEqual(await ids(case12), ['CPRO-12', 'CPRO-14']);
  const case13 = structuredClone(inv);
  case13.totals.payableAmount = bump(t.payableAmount);
  assert.deepEqual(await ids(case13), ['CPRO-13']);
  const case13ok = structuredClone(inv);
  case13ok.totals.prepaidAmount = '10.00';
  case13ok.totals.payableAmount = (Number(t.payableAmount) - 10).toFixed(2);
  assert.deepEqual(await ids(case13ok), []);
  const case14 = structuredClone(inv);
  case14.lines[0].netAmount = bump(case14.lines[0].netAmount);
  assert.deepEqual(await ids(case14), ['CPRO-14']);
});

test('every Chorus rule has a French message naming its business term', () => {
  for (const [id, t] of Object.entries(CHORUS_TEXTS)) {
    assert.match(t.messageFr, /BT-\d+|SIRET/, id);
    assert.equal(t.flag, 'fatal');
  }
});

test('chorusFindings on the model alone (the tree let go) reports what the document validation reports, both syntaxes', async () => {
  const broken = good();
  broken.number = 'FA 2026 / numéro bien trop long';
  broken.buyer.legalRegistration = { id: '21750001600018', schemeId: '0009' };
  broken.buyerReference = 'INCONNU';
  broken.totals.payableAmount = '1.00';
  const cases: Array<[Invoice, RecipientRequirements | undefined]> = [
    [good(), ALL],
    [broken, { serviceCode: true, ej: true, services: [{ code: 'SERV-FIN' }] }],
    [broken, { ejOrServiceCode: true }],
    [base, undefined],
  ];
  let compared = 0;
  for (const [inv, req] of cases)
    for (const syntax of ['ubl', 'cii'] as const) {
      const expected = await fired(inv, req, syntax);
      const bytes = syntax === 'ubl' ? writeUbl(inv) : writeCii(inv);
      const { read, tree } = parseInvoiceXml(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
      const actual = chorusFindings(read.invoice, { syntax, root: tree.root.local }, req ?? {});
      assert.deepEqual(actual, expected, `${syntax} ${inv.number}`);
      compared += expected.length;
    }
  assert.ok(compared >= 10, `findings compared: ${compared}`);
});
