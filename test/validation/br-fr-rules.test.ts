import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readInvoiceXml, writeCii, writeUbl, type Invoice } from '../../src/formats/index.ts';
import { BR_FR_TEXTS, validateInvoiceDocument } from '../../src/validation/index.ts';
import { BR_FR_MESSAGES } from '../../src/validation/br-fr/catalogue.ts';
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
  ['BR-FR-23', (i) => (i.buyer.electronicAddress = { id: '987654321_SERVICE@COMPTA', schemeId: '0225' })],
  ['BR-FR-24', (i) => i.seller.identifiers.push({ id: 'ROUTAGE 42', schemeId: '0224' })],
  ['BR-FR-26', (i) => i.buyer.identifiers.push({ id: 'R'.repeat(101), schemeId: '0224' })],
  ['BR-FR-31', (i) => i.notes.push({ subjectCode: 'BAR', text: 'B2B' }, { subjectCode: 'BAR', text: 'B2C' })],
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
  ['BR-FR-CO-03', (i) => {
    i.typeCode = '262';
    i.precedingInvoices = [{ number: 'F-2025-1', issueDate: '2025-12-01' }];
    delete i.contractReference;
  }],
  ['BR-FR-CO-14', (i) => i.seller.identifiers.push({ id: '123456782', schemeId: '0231' })],
  ['BR-FR-CO-15', (i) => {
    i.seller.identifiers.push({ id: '123456782', schemeId: '0231' });
    delete i.taxRepresentative;
  }],
];

for (const [rule, change] of cases) {
  test(`${rule} fires on its case only: ${BR_FR_TEXTS[rule].messageFr.slice(0, 70)}…`, async () => {
    const f = await fired(edit(change));
    const mine = f.filter((x) => x.rule === rule);
    assert.ok(mine.length > 0, `${rule} did not fire: ${f.map((x) => x.rule).join(' ')}`);
    assert.equal(mine[0].flag, 'fatal');
    assert.equal(mine[0].message, BR_FR_MESSAGES[rule]);
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

test('every BR-FR rule carries its official message and a French message for the user', () => {
  for (const [id, t] of Object.entries(BR_FR_TEXTS)) {
    assert.equal(t.message, BR_FR_MESSAGES[id], id);
    assert.ok(t.messageFr.length > 20, id);
    assert.equal(t.flag, 'fatal');
  }
});

test('BR-FR-23 / 24 / 26: routing addresses (0225) and private identifiers (0224) of the allowed form pass', async () => {
  const ok = edit((i) => {
    i.buyer.electronicAddress = { id: '987654321_SERV-1.A', schemeId: '0225' };
    i.seller.identifiers.push({ id: 'CODE-ROUTAGE_1.2', schemeId: '0224' });
  });
  assert.deepEqual(await ids(ok), []);
  // An e-mail address (scheme EM) is not a routing address: BR-FR-23 does not apply to it.
  assert.deepEqual(await ids(edit((i) => (i.buyer.electronicAddress = { id: 'compta@acheteur.fr', schemeId: 'EM' }))), []);
});

// ---------------------------------------------------------------------------------------------------
// Rules on the document as written (BR-FR-27…30, BR-FR-DEC-01…04): cases edited in the XML.

const frenchXml = (syntax: 'ubl' | 'cii') => {
  const x = syntax === 'ubl' ? writeUbl(french) : writeCii(french);
  return typeof x === 'string' ? x : Buffer.from(x).toString('utf8');
};
async function xmlFindings(xml: string) {
  const res = await validateInvoiceDocument(Buffer.from(xml), { ruleSets: ['br-fr'] });
  assert.equal(res.readable, true, res.error?.message);
  return res.findings;
}
const once = (xml: string, from: string, to: string) => {
  assert.ok(xml.includes(from), `not in the sample: ${from}`);
  return xml.replace(from, to);
};

const CII_PRODUCT = '<ram:SpecifiedTradeProduct>';
const charac = (inner: string) => `${CII_PRODUCT}<ram:ApplicableProductCharacteristic>${inner}</ram:ApplicableProductCharacteristic>`;
const UBL_ITEM = '<cac:Item>';
const property = (inner: string) => `${UBL_ITEM}<cac:AdditionalItemProperty>${inner}</cac:AdditionalItemProperty>`;

const xmlCases: [string, 'ubl' | 'cii', (x: string) => string, (x: string) => string][] = [
  // [rule, syntax, failing edit, passing edit]
  ['BR-FR-DEC-01', 'cii', (x) => once(x, '<ram:LineTotalAmount>60.00<', '<ram:LineTotalAmount>60.000<'), (x) => once(x, '<ram:LineTotalAmount>60.00<', '<ram:LineTotalAmount>-60.5<')],
  ['BR-FR-DEC-01', 'ubl', (x) => x.replace(/(<cbc:PayableAmount[^>]*>)([^<]*)</, '$1 1e3<'), (x) => x],
  ['BR-FR-DEC-02', 'cii', (x) => x.replace(/(<ram:BilledQuantity[^>]*>)([^<]*)</, '$11.12345<'), (x) => x.replace(/(<ram:BilledQuantity[^>]*>)([^<]*)</, '$1-1.1234<')],
  ['BR-FR-DEC-02', 'ubl', (x) => x.replace(/(<cbc:InvoicedQuantity[^>]*>)([^<]*)</, '$11,5<'), (x) => x],
  ['BR-FR-DEC-03', 'cii', (x) => x.replace(/(<ram:NetPriceProductTradePrice>\s*<ram:ChargeAmount[^>]*>)([^<]*)</, '$1-2.5<'), (x) => x.replace(/(<ram:NetPriceProductTradePrice>\s*<ram:ChargeAmount[^>]*>)([^<]*)</, '$12.123456<')],
  ['BR-FR-DEC-03', 'ubl', (x) => x.replace(/(<cac:Price>\s*<cbc:PriceAmount[^>]*>)([^<]*)</, '$10.1234567<'), (x) => x],
  ['BR-FR-DEC-04', 'cii', (x) => x.replace(/(<ram:RateApplicablePercent>)([^<]*)</, '$120.000<'), (x) => x],
  ['BR-FR-DEC-04', 'ubl', (x) => x.replace(/(<cbc:Percent>)([^<]*)</, '$1-20<'), (x) => x],
  ['BR-FR-27', 'cii', (x) => once(x, CII_PRODUCT, charac('<ram:Value>rouge</ram:Value>')), (x) => once(x, CII_PRODUCT, charac('<ram:Description>Couleur</ram:Description><ram:Value>rouge</ram:Value>'))],
  ['BR-FR-27', 'ubl', (x) => once(x, UBL_ITEM, property('<cbc:Name> </cbc:Name><cbc:Value>rouge</cbc:Value>')), (x) => once(x, UBL_ITEM, property('<cbc:Name>Couleur</cbc:Name><cbc:Value>rouge</cbc:Value>'))],
  ['BR-FR-28', 'cii', (x) => once(x, CII_PRODUCT, charac('<ram:Description>Poids</ram:Description><ram:Value>2</ram:Value><ram:ValueMeasure unitCode="KGM">2</ram:ValueMeasure>')), (x) => once(x, CII_PRODUCT, charac('<ram:Description>Poids</ram:Description><ram:ValueMeasure unitCode="KGM">2</ram:ValueMeasure>'))],
  ['BR-FR-28', 'ubl', (x) => once(x, UBL_ITEM, property('<cbc:Name>Poids</cbc:Name>')), (x) => once(x, UBL_ITEM, property('<cbc:Name>Poids</cbc:Name><cbc:ValueQuantity unitCode="KGM">2</cbc:ValueQuantity>'))],
  ['BR-FR-29', 'cii', (x) => once(x, '</ram:SellerTradeParty>', '</ram:SellerTradeParty>' + afl('CII', 'A1') + afl('CII', 'A2')), (x) => once(x, '</ram:SellerTradeParty>', '</ram:SellerTradeParty>' + afl('CII', 'A1'))],
  ['BR-FR-29', 'ubl', (x) => once(x, '<cac:AccountingSupplierParty>', afl('UBL', ' ') + '<cac:AccountingSupplierParty>'), (x) => once(x, '<cac:AccountingSupplierParty>', afl('UBL', 'A1') + '<cac:AccountingSupplierParty>')],
  ['BR-FR-30', 'cii', (x) => once(x, CII_PRODUCT, afl('CII', 'A1') + afl('CII', 'A2') + CII_PRODUCT), (x) => once(x, CII_PRODUCT, afl('CII', 'A1') + CII_PRODUCT)],
  ['BR-FR-30', 'ubl', (x) => once(x, UBL_ITEM, '<cac:DocumentReference><cbc:ID schemeID="AVV"></cbc:ID></cac:DocumentReference>' + UBL_ITEM), (x) => once(x, UBL_ITEM, '<cac:DocumentReference><cbc:ID schemeID="AVV">V1</cbc:ID></cac:DocumentReference>' + UBL_ITEM)],
];

function afl(syntax: 'CII' | 'UBL', id: string): string {
  if (syntax === 'UBL') return `<cac:AdditionalDocumentReference><cbc:ID schemeID="AFL">${id}</cbc:ID></cac:AdditionalDocumentReference>`;
  return `<ram:AdditionalReferencedDocument><ram:IssuerAssignedID>${id}</ram:IssuerAssignedID><ram:TypeCode>130</ram:TypeCode><ram:ReferenceTypeCode>AFL</ram:ReferenceTypeCode></ram:AdditionalReferencedDocument>`;
}

for (const [rule, syntax, failing, passing] of xmlCases) {
  test(`${rule} (${syntax.toUpperCase()}) fires on the element as written, and not on an allowed form`, async () => {
    const base = frenchXml(syntax);
    const bad = await xmlFindings(failing(base));
    const mine = bad.filter((f) => f.rule === rule);
    assert.ok(mine.length > 0, `${rule} did not fire: ${bad.map((f) => f.rule).join(' ')}`);
    assert.ok(mine[0].location.startsWith(syntax === 'ubl' ? '/Invoice' : '/rsm:CrossIndustryInvoice'), mine[0].location);
    const good = await xmlFindings(passing(base));
    assert.deepEqual(good.map((f) => `${f.rule} ${f.location}`), []);
  });
}

test('BR-FR-DEC-03: a negative price is allowed in bidirectional self-billing (S9, B9, M9) only', async () => {
  const negative = frenchXml('cii').replace(/(<ram:NetPriceProductTradePrice>\s*<ram:ChargeAmount[^>]*>)([^<]*)</, '$1-2.5<');
  const s9 = negative.replace('<ram:ID>S1</ram:ID>', '<ram:ID>S9</ram:ID>');
  assert.ok(!(await xmlFindings(s9)).some((f) => f.rule === 'BR-FR-DEC-03'));
});

// ---------------------------------------------------------------------------------------------------
// Multi-vendor (S8, B8, M8) and bidirectional (S9, B9, M9) invoices: EXTENDED-CTC-FR line groups (CII).

interface Line {
  id: string;
  parent?: string;
  status?: string;
  seller?: { name?: string; legal?: string; country?: string };
  afl?: string;
  /** The object identifier of scheme AVV (BT-128), which the UBL binding requires on each group. */
  avv?: string;
  net: string;
  vat?: string;
  grand?: string;
  reason?: string;
  previous?: boolean;
  /** The VAT of the sub-invoice's breakdown (default: the group's VAT). */
  breakdown?: string;
}

function lineXml(l: Line): string {
  const seller = l.seller
    ? `<ram:ItemSellerTradeParty>${l.seller.name !== undefined ? `<ram:Name>${l.seller.name}</ram:Name>` : ''}${l.seller.legal !== undefined ? `<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">${l.seller.legal}</ram:ID></ram:SpecifiedLegalOrganization>` : ''}${l.seller.country !== undefined ? `<ram:PostalTradeAddress><ram:CountryID>${l.seller.country}</ram:CountryID></ram:PostalTradeAddress>` : ''}</ram:ItemSellerTradeParty>`
    : '';
  return `<ram:IncludedSupplyChainTradeLineItem>
  <ram:AssociatedDocumentLineDocument><ram:LineID>${l.id}</ram:LineID>${l.parent ? `<ram:ParentLineID>${l.parent}</ram:ParentLineID>` : ''}${l.status !== undefined ? `<ram:LineStatusReasonCode>${l.status}</ram:LineStatusReasonCode>` : ''}</ram:AssociatedDocumentLineDocument>
  <ram:SpecifiedTradeProduct><ram:Name>Article ${l.id}</ram:Name></ram:SpecifiedTradeProduct>
  <ram:SpecifiedLineTradeAgreement>${seller}<ram:NetPriceProductTradePrice><ram:ChargeAmount>${l.net}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
  <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
  <ram:SpecifiedLineTradeSettlement>
    <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>${l.reason !== undefined ? `<ram:ExemptionReason>${l.reason}</ram:ExemptionReason>` : ''}<ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
    ${l.previous ? '<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>F-2025-1</ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format="102">20250101</qdt:DateTimeString></ram:FormattedIssueDateTime></ram:InvoiceReferencedDocument>' : ''}
    <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${l.net}</ram:LineTotalAmount>${l.vat !== undefined ? `<ram:TaxTotalAmount currencyID="EUR">${l.vat}</ram:TaxTotalAmount>` : ''}${l.grand !== undefined ? `<ram:GrandTotalAmount>${l.grand}</ram:GrandTotalAmount>` : ''}</ram:SpecifiedTradeSettlementLineMonetarySummation>
    ${l.afl !== undefined ? `<ram:AdditionalReferencedDocument><ram:IssuerAssignedID>${l.afl}</ram:IssuerAssignedID><ram:TypeCode>130</ram:TypeCode><ram:ReferenceTypeCode>AFL</ram:ReferenceTypeCode></ram:AdditionalReferencedDocument>` : ''}
    ${l.avv !== undefined ? `<ram:AdditionalReferencedDocument><ram:IssuerAssignedID>${l.avv}</ram:IssuerAssignedID><ram:TypeCode>130</ram:TypeCode><ram:ReferenceTypeCode>AVV</ram:ReferenceTypeCode></ram:AdditionalReferencedDocument>` : ''}
  </ram:SpecifiedLineTradeSettlement>
</ram:IncludedSupplyChainTradeLineItem>`;
}

const SELLER = { name: 'Vendeur principal', legal: '123456782', country: 'FR' };
const OTHER = { name: 'Autre vendeur', legal: '987654321', country: 'FR' };
const multiVendorLines = (): Line[] => [
  { id: 'G1', status: 'GROUP', seller: SELLER, afl: 'F20260023', avv: 'MARCHE-1', net: '10.00', vat: '2.00', grand: '12.00' },
  { id: 'D1', parent: 'G1', status: 'DETAIL', seller: SELLER, afl: 'F20260023', net: '10.00', reason: '#F20260023# TVA 20 %' },
  { id: 'G2', status: 'GROUP', seller: OTHER, afl: 'SUB-2', avv: 'MARCHE-1', net: '5.00', vat: '1.00' },
  { id: 'D2', parent: 'G2', status: 'DETAIL', seller: OTHER, afl: 'SUB-2', net: '5.00', reason: '#SUB-2# TVA 20 %' },
];

/** The French sample with `framework`, its lines replaced by `lines`, and one VAT breakdown per sub-invoice. */
function groupedInvoice(framework: string, lines: Line[], typeCode = '380'): string {
  let x = frenchXml('cii').replace('<ram:ID>S1</ram:ID>', `<ram:ID>${framework}</ram:ID>`).replace('<ram:TypeCode>380</ram:TypeCode>', `<ram:TypeCode>${typeCode}</ram:TypeCode>`);
  x = x.replace(/<ram:IncludedSupplyChainTradeLineItem>[\s\S]*<\/ram:IncludedSupplyChainTradeLineItem>/, lines.map(lineXml).join('\n'));
  const breakdowns = lines
    .filter((l) => l.status === 'GROUP' && !l.parent && l.afl)
    .map((l) => `<ram:ApplicableTradeTax><ram:CalculatedAmount currencyID="EUR">${l.breakdown ?? l.vat ?? '0'}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:ExemptionReason>#${l.afl}# TVA</ram:ExemptionReason></ram:ApplicableTradeTax>`)
    .join('');
  return once(x, '<ram:ApplicableHeaderTradeSettlement>', `<ram:ApplicableHeaderTradeSettlement>${breakdowns}`);
}
/**
 * The same lines in UBL, as the UBL binding carries them: the sub-type and parent line in a line BillingReference to
 * the invoice itself (BT-1 = F20260023), the line seller as the item's ManufacturerParty, the sub-invoice number as a
 * DocumentReference of type 130 and scheme AFL, the group's VAT as the line's TaxTotal.
 */
const INVOICE_NUMBER = 'F20260023';
function ublLineXml(l: Line): string {
  const seller = l.seller
    ? `<cac:ManufacturerParty>${l.seller.country !== undefined ? `<cac:PostalAddress><cac:Country><cbc:IdentificationCode>${l.seller.country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>` : ''}<cac:PartyLegalEntity>${l.seller.name !== undefined ? `<cbc:RegistrationName>${l.seller.name}</cbc:RegistrationName>` : ''}${l.seller.legal !== undefined ? `<cbc:CompanyID schemeID="0002">${l.seller.legal}</cbc:CompanyID>` : ''}</cac:PartyLegalEntity></cac:ManufacturerParty>`
    : '';
  const ref = (scheme: string, id: string | undefined) => (id !== undefined ? `<cac:DocumentReference><cbc:ID schemeID="${scheme}">${id}</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:DocumentReference>` : '');
  return `<cac:InvoiceLine>
  <cbc:ID>${l.id}</cbc:ID>
  <cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="EUR">${l.net}</cbc:LineExtensionAmount>
  ${l.grand !== undefined ? `<cbc:TaxInclusiveLineExtensionAmount currencyID="EUR">${l.grand}</cbc:TaxInclusiveLineExtensionAmount>` : ''}
  ${l.status !== undefined ? `<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>${INVOICE_NUMBER}</cbc:ID><cbc:DocumentStatusCode>${l.status}</cbc:DocumentStatusCode></cac:InvoiceDocumentReference>${l.parent ? `<cac:BillingReferenceLine><cbc:ID>${l.parent}</cbc:ID></cac:BillingReferenceLine>` : ''}</cac:BillingReference>` : ''}
  ${l.previous ? '<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>F-2025-1</cbc:ID><cbc:IssueDate>2025-01-01</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>' : ''}
  ${ref('AFL', l.afl)}${ref('AVV', l.avv)}
  ${l.vat !== undefined ? `<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">${l.vat}</cbc:TaxAmount></cac:TaxTotal>` : ''}
  <cac:Item><cbc:Name>Article ${l.id}</cbc:Name>${seller}<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>20</cbc:Percent>${l.reason !== undefined ? `<cbc:TaxExemptionReason>${l.reason}</cbc:TaxExemptionReason>` : ''}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="EUR">${l.net}</cbc:PriceAmount></cac:Price>
</cac:InvoiceLine>`;
}

function groupedUblInvoice(framework: string, lines: Line[], typeCode = '380'): string {
  let x = once(frenchXml('ubl'), '<cbc:ProfileID>S1</cbc:ProfileID>', `<cbc:ProfileID>${framework}</cbc:ProfileID>`);
  x = once(x, '<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>', `<cbc:InvoiceTypeCode>${typeCode}</cbc:InvoiceTypeCode>`);
  assert.ok(x.includes(`<cbc:ID>${INVOICE_NUMBER}</cbc:ID>`));
  x = x.replace(/<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, lines.map(ublLineXml).join('\n'));
  const breakdowns = lines
    .filter((l) => l.status === 'GROUP' && !l.parent && l.afl)
    .map(
      (l) =>
        `<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">${l.net}</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">${l.breakdown ?? l.vat ?? '0'}</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>20</cbc:Percent><cbc:TaxExemptionReason>#${l.afl}# TVA</cbc:TaxExemptionReason><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>`,
    )
    .join('');
  return x.replace(/(<cac:TaxTotal>\s*<cbc:TaxAmount[^>]*>[^<]*<\/cbc:TaxAmount>)/, `$1${breakdowns}`);
}
const groupedIn = async (syntax: 'ubl' | 'cii', framework: string, lines: Line[], typeCode?: string) =>
  [...new Set((await xmlFindings((syntax === 'ubl' ? groupedUblInvoice : groupedInvoice)(framework, lines, typeCode))).map((f) => f.rule).filter((r) => /^BR-FR-(MV|BD)-/.test(r)))].sort();

for (const syntax of ['cii', 'ubl'] as const) {
  test(`a well-formed multi-vendor invoice (M8) and a bidirectional one (S9) pass every BR-FR-MV / BD rule (${syntax.toUpperCase()})`, async () => {
    assert.deepEqual(await groupedIn(syntax, 'M8', multiVendorLines()), []);
    const bd = multiVendorLines();
    bd[2].seller = bd[3].seller = { name: 'Acheteur', legal: '987654321', country: 'FR' };
    assert.deepEqual(await groupedIn(syntax, 'S9', bd, '389'), []);
    // The rules do not apply outside these frameworks.
    assert.deepEqual(await groupedIn(syntax, 'S1', [{ id: '1', status: '', net: '1.00' }]), []);
  });
}

const mvCases: [string, string, (l: Line[]) => Line[], string?][] = [
  ['BR-FR-MV-01', 'M8', (l) => ((l[1].status = ' '), l)],
  ['BR-FR-MV-02', 'B8', (l) => l.filter((x) => x.status !== 'GROUP').map((x) => ({ ...x, parent: undefined }))],
  ['BR-FR-BD-02', 'S9', (l) => ((l[2].seller = l[3].seller = { ...OTHER, legal: '555555555' }), l)],
  ['BR-FR-MV-03', 'M8', (l) => ((l[0].seller = { legal: SELLER.legal, country: 'FR' }), l)],
  ['BR-FR-MV-05', 'M8', (l) => ((l[1].net = '9.00'), l)],
  ['BR-FR-MV-06', 'S8', (l) => ((l[3].seller = SELLER), l)],
  ['BR-FR-MV-07', 'M8', (l) => ((l[3].afl = 'SUB-3'), l)],
  ['BR-FR-MV-08', 'M8', (l) => ((l[1].reason = 'TVA 20 %'), l)],
  ['BR-FR-MV-09', 'M8', (l) => ((l[2].breakdown = '1.50'), l)],
  ['BR-FR-MV-10', 'M8', (l) => ((l[0].grand = '13.00'), l)],
  ['BR-FR-MV-11', 'M8', (l) => ((l[0].afl = l[1].afl = 'SUB-1'), l)],
  ['BR-FR-MV-12', 'M8', (l) => [{ id: 'X0', status: 'INFORMATION', seller: OTHER, afl: 'SUB-2', net: '0.00' }, ...l]],
  ['BR-FR-MV-13', 'M8', (l) => l, '389'],
  ['BR-FR-BD-13', 'S9', (l) => l, '380'],
  ['BR-FR-MV-14', 'M8', (l) => l, '381'],
  ['BR-FR-BD-14', 'B9', (l) => l, '261'],
];

const ublOnlyCases: [string, string, (l: Line[]) => Line[], string?][] = [
  // The UBL binding requires the own-invoice reference on every line, and an AVV object on every group.
  ['BR-FR-MV-01', 'M8', (l) => ((l[1].status = undefined), l)],
  ['BR-FR-MV-03', 'M8', (l) => ((l[2].avv = undefined), l)],
  ['BR-FR-MV-03', 'B8', (l) => ((l[2].avv = 'M8'), l)],
];

for (const syntax of ['cii', 'ubl'] as const) {
  for (const [rule, framework, change, typeCode] of [...mvCases, ...(syntax === 'ubl' ? ublOnlyCases : [])]) {
    test(`${rule} fires on its case (${syntax.toUpperCase()}, ${framework}${typeCode ? `, type ${typeCode}` : ''})`, async () => {
      const fired = await groupedIn(syntax, framework, change(multiVendorLines()), typeCode);
      assert.ok(fired.includes(rule), `${rule} did not fire: ${fired.join(' ')}`);
    });
  }

  test(`BR-FR-MV-14 / BD-14 pass when each group references the corrected invoice (${syntax.toUpperCase()})`, async () => {
    const withRef = multiVendorLines().map((l) => ({ ...l, previous: l.status === 'GROUP' }));
    assert.deepEqual(await groupedIn(syntax, 'M8', withRef, '381'), []);
    const bd = withRef.map((l) => (l.id.endsWith('2') ? { ...l, seller: { name: 'Acheteur', legal: '987654321', country: 'FR' } } : l));
    assert.deepEqual(await groupedIn(syntax, 'B9', bd, '261'), []);
  });
}

test('BR-FR-CO-03 / 14 / 15 pass when the global credit note and the single taxable person carry what they need', async () => {
  const credit = edit((i) => {
    i.typeCode = '262';
    i.precedingInvoices = [{ number: 'F-2025-1', issueDate: '2025-12-01' }];
    i.contractReference = 'CT-1';
    i.invoicingPeriod = { startDate: '2026-01-01', endDate: '2026-01-31' };
  });
  assert.ok(!(await ids(credit)).includes('BR-FR-CO-03'));
  const member = edit((i) => {
    i.seller.identifiers = i.seller.identifiers.filter((x) => x.schemeId !== '0009');
    i.seller.identifiers.push({ id: '123456782', schemeId: '0231' });
    i.notes = i.notes.filter((n) => n.subjectCode !== 'TXD');
    i.notes.push({ subjectCode: 'TXD', text: 'MEMBRE_ASSUJETTI_UNIQUE' });
    i.taxRepresentative ??= { name: 'ASSUJETTI UNIQUE', vatId: 'FR11123456782', address: { countryCode: 'FR' } };
  });
  const fired = await ids(member);
  assert.ok(!fired.includes('BR-FR-CO-14') && !fired.includes('BR-FR-CO-15'), fired.join(' '));
});
