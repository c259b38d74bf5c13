import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateDocument } from '../../src/validation/validate.ts';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { embeds, FACTURX_TEXTS } from '../../src/validation/facturx/rules.ts';
import { structureIdsOf } from '../../src/validation/facturx/structure.ts';
import { FIXTURES } from './agreement-harness.ts';
import { facturxCases } from './facturx-agreement-harness.ts';

/**
 * The `facturx` rule set: agreement with every official Factur-X Schematron run of oracle-results.json
 * (MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED), then each Factur-X check that the corpus never fires,
 * with a failing and a passing case.
 */

test('the facturx rule set agrees with the official Factur-X 1.09 verdicts on every oracle sample', () => {
  const results = facturxCases();
  const byProfile = new Map<string, [number, number]>();
  for (const r of results) {
    const [ok, n] = byProfile.get(r.profile) ?? [0, 0];
    byProfile.set(r.profile, [ok + (r.agrees ? 1 : 0), n + 1]);
  }
  console.log(`facturx agreement: ${[...byProfile].map(([p, [ok, n]]) => `${p} ${ok}/${n}`).join(', ')}`);
  assert.equal(results.length, 112);
  assert.deepEqual(results.filter((r) => !r.agrees).map((r) => `${r.id}: ${r.detail}`), []);
});

const en16931 = readFileSync(path.join(FIXTURES, 'samples/akretion-factur-x/factur-x-en16931.xml'), 'utf8');
const fired = (xml: string) => validateDocument(parseXml(xml), ['facturx']).findings.map((f) => f.rule);

test('the unmodified EN 16931 sample fires no Factur-X rule', () => {
  assert.deepEqual(fired(en16931), []);
});

const cases: [string, string, string][] = [
  ['FX-SCH-A-000026', '<ram:ID>urn:cen.eu:en16931:2017</ram:ID>', '<ram:ID>urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:en16931</ram:ID>'],
  ['FX-SCH-A-000023', '<ram:TypeCode>380</ram:TypeCode>', '<ram:TypeCode>999</ram:TypeCode>'],
  ['FX-SCH-A-000040', '<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>', '<ram:InvoiceCurrencyCode>EURO</ram:InvoiceCurrencyCode>'],
  ['FX-SCH-A-000179', '<ram:CategoryCode>E</ram:CategoryCode>', '<ram:CategoryCode>X</ram:CategoryCode>'],
  ['FX-SCH-A-000275', '<ram:BilledQuantity unitCode="C62">', '<ram:BilledQuantity unitCode="PIECE">'],
];

for (const [rule, from, to] of cases) {
  test(`${rule}: ${FACTURX_TEXTS[rule].message}`, () => {
    assert.ok(en16931.includes(from), `fixture has ${from}`);
    const ids = fired(en16931.replace(from, to));
    assert.ok(ids.includes(rule), ids.join(' '));
    assert.ok(!fired(en16931).includes(rule));
  });
}

test('FX-SCH-A-000031 and FX-SCH-A-000036: scheme of a legal identifier and country codes from the profile lists', () => {
  const withScheme = (scheme: string) =>
    en16931.replace('<ram:SpecifiedLegalOrganization>', `<ram:SpecifiedLegalOrganization><ram:ID schemeID="${scheme}">12345678900013</ram:ID>`);
  assert.ok(!fired(withScheme('0009')).includes('FX-SCH-A-000031'));
  assert.ok(fired(withScheme('SIRET')).includes('FX-SCH-A-000031'));
  assert.ok(fired(en16931.replace('<ram:CountryID>FR</ram:CountryID>', '<ram:CountryID>XX</ram:CountryID>')).includes('FX-SCH-A-000036'));
});

test('PEPPOL-EN16931-R008 warns on an empty element; the profile decides which business rules are embedded', () => {
  const f = validateDocument(parseXml(en16931.replace('<ram:TypeCode>380</ram:TypeCode>', '<ram:TypeCode>380</ram:TypeCode><ram:Name/>')), ['facturx']).findings;
  const r008 = f.find((x) => x.rule === 'PEPPOL-EN16931-R008');
  assert.equal(r008?.flag, 'warning');
  assert.equal(embeds('MINIMUM', 'BR-16'), false);
  assert.equal(embeds('MINIMUM', 'BR-02'), true);
  assert.equal(embeds('BASIC WL', 'BR-S-08'), false);
  assert.equal(embeds('BASIC WL', 'BR-IC-11'), true);
  assert.equal(embeds('EN16931', 'BR-CO-10'), true);
  assert.equal(embeds('EXTENDED', 'BR-CO-10'), false);
});

test('every Factur-X check has its official message and a French one', () => {
  for (const [id, t] of Object.entries(FACTURX_TEXTS)) {
    assert.ok(t.message.length > 10 && t.messageFr.length > 20, id);
    assert.match(t.messageFr, /doi(t|vent)|n'est|contient|ne peut/, id);
  }
});

test('header cardinalities: a second seller name or no amount due is refused by the Factur-X rules', () => {
  const twoNames = en16931.replace('<ram:Name>LE FOURNISSEUR</ram:Name>', '<ram:Name>LE FOURNISSEUR</ram:Name><ram:Name>AUTRE</ram:Name>');
  assert.ok(fired(twoNames).includes('FX-SCH-A-000030'));
  const noDue = en16931.replace(/<ram:DuePayableAmount>[^<]*<\/ram:DuePayableAmount>/, '');
  assert.ok(fired(noDue).includes('FX-SCH-A-000044'));
  assert.ok(!fired(en16931).includes('FX-SCH-A-000044'));
});

// Structural checks of the BASIC profile (facturx/structure.ts): each fires on its case and is silent on the sample.
const basic = readFileSync(path.join(FIXTURES, 'samples/akretion-factur-x/factur-x-basic.xml'), 'utf8');
const edited = (from: string | RegExp, to: string) => {
  const out = basic.replace(from, to);
  assert.notEqual(out, basic, `not in the BASIC sample: ${from}`);
  return out;
};
const structureCases: [string, () => string][] = [
  ['FX-SCH-A-000160', () => edited(/(<ram:IncludedNote>\s*)<ram:Content>/, '$1<ram:Content>A</ram:Content><ram:Content>')],
  ['FX-SCH-A-000161', () => edited('<ram:SubjectCode>REG</ram:SubjectCode>', '<ram:SubjectCode>REG</ram:SubjectCode><ram:SubjectCode>AAI</ram:SubjectCode>')],
  ['FX-SCH-A-000021', () => edited('<udt:DateTimeString format="102">20260131</udt:DateTimeString>', '<udt:DateTimeString>20260131</udt:DateTimeString>')],
  ['FX-SCH-NOT-USED:@schemeID', () => edited('<ram:IssuerAssignedID>PO201925478</ram:IssuerAssignedID>', '<ram:IssuerAssignedID schemeID="X">PO201925478</ram:IssuerAssignedID>')],
  ['FX-SCH-NOT-USED:ram:FormattedIssueDateTime', () => edited('<ram:IssuerAssignedID>CT2018120802</ram:IssuerAssignedID>', '<ram:IssuerAssignedID>CT2018120802</ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format="102">20260101</qdt:DateTimeString></ram:FormattedIssueDateTime>')],
  ['FX-SCH-A-000029', () => edited('<ram:IssuerAssignedID>DESPADV002</ram:IssuerAssignedID>', '')],
  ['FX-SCH-A-000163', () => edited('<ram:ID>PRIVATE_ID_DEL</ram:ID>', '<ram:ID>PRIVATE_ID_DEL</ram:ID><ram:ID>OTHER</ram:ID>')],
  ['FX-SCH-A-000164', () => edited('<ram:Name>LE CLIENT</ram:Name>', '<ram:GlobalID schemeID="0088">1</ram:GlobalID><ram:Name>LE CLIENT</ram:Name>')],
  ['FX-SCH-A-000037', () => edited('<ram:GlobalID schemeID="0088">3654789851</ram:GlobalID>', '<ram:GlobalID>3654789851</ram:GlobalID>')],
  ['FX-SCH-A-000165', () => edited('<ram:URIID schemeID="EM">me@buyer.com</ram:URIID>', '<ram:URIID schemeID="EM">me@buyer.com</ram:URIID></ram:URIUniversalCommunication><ram:URIUniversalCommunication><ram:URIID schemeID="EM">b@buyer.com</ram:URIID>')],
  ['FX-SCH-A-000168', () => edited('<ram:URIID schemeID="EM">moi@seller.com</ram:URIID>', '')],
  ['FX-SCH-A-000167', () => edited('<ram:CityName>NICE</ram:CityName>', '<ram:CityName>NICE</ram:CityName><ram:CountrySubDivisionName>A</ram:CountrySubDivisionName><ram:CountrySubDivisionName>B</ram:CountrySubDivisionName>')],
  ['FX-SCH-A-000035', () => edited('<ram:CountryID>FR</ram:CountryID>  <!-- BT-80', '<!-- BT-80')],
  ['FX-SCH-NOT-USED:ram:URIUniversalCommunication', () => edited('<ram:Name>DEL Name</ram:Name>', '<ram:Name>DEL Name</ram:Name><ram:URIUniversalCommunication><ram:URIID schemeID="EM">d@x.fr</ram:URIID></ram:URIUniversalCommunication>')],
  ['FX-SCH-A-000169', () => edited(/<ram:SpecifiedTaxRegistration>\s*<ram:ID schemeID="VA">FR 05 987 654 321<\/ram:ID>[^\n]*\n\s*<\/ram:SpecifiedTaxRegistration>\s*<\/ram:SellerTaxRepresentativeTradeParty>/, '</ram:SellerTaxRepresentativeTradeParty>')],
  ['FX-SCH-A-000033', () => edited('<ram:ID schemeID="VA">FR11123456782</ram:ID>', '<ram:ID schemeID="VA">FR11123456782</ram:ID></ram:SpecifiedTaxRegistration><ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR11123456783</ram:ID>')],
  ['FX-SCH-NOT-USED:SpecifiedTaxRegistration-variant', () => edited('<ram:ID schemeID="VA">FR11123456782</ram:ID>', '<ram:ID schemeID="VA">FR11123456782</ram:ID></ram:SpecifiedTaxRegistration><ram:SpecifiedTaxRegistration><ram:ID schemeID="XX">1</ram:ID>')],
  ['FX-SCH-A-000171', () => edited(/<ram:OccurrenceDateTime>\s*<udt:DateTimeString format="102">20260128<\/udt:DateTimeString>[^\n]*\n\s*<\/ram:OccurrenceDateTime>/, '')],
  ['FX-SCH-A-000172', () => edited('<ram:PaymentReference>F20260023BUYER</ram:PaymentReference>', '<ram:PaymentReference>A</ram:PaymentReference><ram:PaymentReference>B</ram:PaymentReference>')],
  ['FX-SCH-A-000177', () => edited('<ram:BasisAmount>11.00</ram:BasisAmount>', '')],
  ['FX-SCH-A-000265', () => edited(/<ram:IncludedSupplyChainTradeLineItem>[\s\S]*<\/ram:IncludedSupplyChainTradeLineItem>/, '')],
  ['FX-SCH-NOT-USED:ChargeIndicator-variant', () => edited('<udt:Indicator>true</udt:Indicator>  <!-- BG-28-1', '<udt:Indicator>TRUE</udt:Indicator>  <!-- BG-28-1')],
  ['FX-SCH-NOT-USED:ram:CategoryTradeTax', () => edited(/(<udt:Indicator>false<\/udt:Indicator>  <!-- BG-27-1[^\n]*\n\s*<\/ram:ChargeIndicator>)/, '$1<ram:CategoryTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode></ram:CategoryTradeTax>')],
  ['FX-SCH-A-000274', () => edited(/(<ram:AppliedTradeAllowanceCharge>[\s\S]*?<\/ram:AppliedTradeAllowanceCharge>)/, '$1$1')],
  ['FX-SCH-A-000270', () => edited('<ram:LineID>1</ram:LineID>', '')],
  ['FX-SCH-A-000276', () => edited('<ram:BilledQuantity unitCode="C62">1.0000</ram:BilledQuantity>', '')],
  ['FX-SCH-A-000030', () => edited('<ram:Name>PRESTATION SUPPORT</ram:Name>', '')],
  ['FX-SCH-NOT-USED:ram:PostalTradeAddress', () => edited('<ram:Name>PAYEE NAME</ram:Name>', '<ram:Name>PAYEE NAME</ram:Name><ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>')],
  ['FX-SCH-A-000195', () => edited('<ram:IBANID>FRDEBIT</ram:IBANID>', '')],
  ['FX-SCH-A-000042', () => edited(/(<ram:TaxTotalAmount currencyID="EUR">[^<]*<\/ram:TaxTotalAmount>)/, '$1$1')],
  ['FX-SCH-NOT-USED:TaxTotalAmount-variant', () => edited(/(<ram:TaxTotalAmount currencyID="EUR">[^<]*<\/ram:TaxTotalAmount>)/, '$1<ram:TaxTotalAmount currencyID="USD">1.00</ram:TaxTotalAmount>')],
];

test('the unmodified BASIC sample fires no structural check', () => {
  assert.deepEqual(fired(basic), []);
});

for (const [rule, make] of structureCases) {
  test(`BASIC structure: ${rule} fires on its case — ${FACTURX_TEXTS[rule].message}`, () => {
    assert.ok(fired(make()).includes(rule), `${rule}: ${fired(make()).join(' ')}`);
  });
}

test('the BASIC structural checks do not apply to another profile: EN 16931 allows the percentage of a line allowance', () => {
  // BT-138 is in the EN 16931 sample, which fires nothing; the BASIC Schematron marks it as not used.
  assert.ok(en16931.includes('<ram:CalculationPercent>1.00</ram:CalculationPercent>'));
  const percent = edited(/(<udt:Indicator>false<\/udt:Indicator>  <!-- BG-27-1[^\n]*\n\s*<\/ram:ChargeIndicator>)/, '$1<ram:CalculationPercent>1.00</ram:CalculationPercent>');
  assert.ok(fired(percent).includes('FX-SCH-NOT-USED:ram:CalculationPercent'));
});

test('"not used" reports are warnings (the official verdicts count failed assertions only)', () => {
  const withCurrency = basic.replace(/<ram:GrandTotalAmount>/, '<ram:GrandTotalAmount currencyID="EUR">');
  const f = validateDocument(parseXml(withCurrency), ['facturx']).findings.filter((x) => x.rule === 'FX-SCH-NOT-USED:@currencyID');
  assert.equal(f.length, 1);
  assert.equal(f[0].flag, 'warning');
  assert.ok(f[0].location.endsWith('/@currencyID'), f[0].location);
});

// MINIMUM (Factur-X 1.09 Schematron).
const minimum = readFileSync(path.join(FIXTURES, 'samples/akretion-factur-x/factur-x-minimum.xml'), 'utf8');
const minimumCases: [string, (x: string) => string][] = [
  ['FX-SCH-NOT-USED:ram:PostalTradeAddress', (x) => x.replace(/(<ram:BuyerTradeParty>[\s\S]*?<ram:Name>[^<]*<\/ram:Name>)/, '$1<ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>')],
  ['FX-SCH-A-000021', (x) => x.replace(/<udt:DateTimeString format="102">/, '<udt:DateTimeString>')],
  ['FX-SCH-NOT-USED:@currencyID', (x) => x.replace(/<ram:TaxBasisTotalAmount>/, '<ram:TaxBasisTotalAmount currencyID="EUR">')],
];
test('the unmodified MINIMUM sample fires no structural check', () => {
  assert.deepEqual(fired(minimum), []);
});
for (const [rule, make] of minimumCases) {
  test(`MINIMUM structure: ${rule} fires on its case`, () => {
    const x = make(minimum);
    assert.notEqual(x, minimum);
    assert.ok(fired(x).includes(rule), fired(x).join(' '));
  });
}

// BASIC WL (Factur-X 1.08 Schematron "BASIC without Lines"): BASIC's header checks, no line checks, one buyer address.
const basicWl = readFileSync(path.join(FIXTURES, 'samples/akretion-factur-x/factur-x-basicwl.xml'), 'utf8');
const firstAllowance = /(<ram:SpecifiedTradeAllowanceCharge>[\s\S]*?)<ram:CategoryTradeTax>[\s\S]*?<\/ram:CategoryTradeTax>/;
const basicWlCases: [string, (x: string) => string][] = [
  ['FX-SCH-A-000032', (x) => x.replace(/(<ram:BuyerTradeParty>[\s\S]*?)<ram:PostalTradeAddress>[\s\S]*?<\/ram:PostalTradeAddress>/, '$1')],
  ['FX-SCH-A-000185', (x) => x.replace(firstAllowance, '$1')],
  ['FX-SCH-NOT-USED:ram:SpecifiedTaxRegistration', (x) => x.replace('<ram:Name>PAYEE NAME</ram:Name>', '<ram:Name>PAYEE NAME</ram:Name><ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR00</ram:ID></ram:SpecifiedTaxRegistration>')],
  ['FX-SCH-A-000172', (x) => x.replace(/(<ram:PaymentReference>[^<]*<\/ram:PaymentReference>)/, '$1$1')],
  ['FX-SCH-A-000042', (x) => x.replace(/(<ram:TaxTotalAmount currencyID="EUR">[^<]*<\/ram:TaxTotalAmount>)/, '$1$1')],
  ['FX-SCH-NOT-USED:@currencyID', (x) => x.replace(/<ram:LineTotalAmount>/, '<ram:LineTotalAmount currencyID="EUR">')],
];
test('the unmodified BASIC WL sample fires no structural check', () => {
  assert.deepEqual(fired(basicWl), []);
});
for (const [rule, make] of basicWlCases) {
  test(`BASIC WL structure: ${rule} fires on its case`, () => {
    const x = make(basicWl);
    assert.notEqual(x, basicWl);
    assert.ok(fired(x).includes(rule), fired(x).join(' '));
  });
}
test('BASIC WL carries no line check (no IncludedSupplyChainTradeLineItem required), BASIC does', () => {
  assert.ok(!fired(basicWl).includes('FX-SCH-A-000265'));
  const noLines = basic.replace(/<ram:IncludedSupplyChainTradeLineItem>[\s\S]*<\/ram:IncludedSupplyChainTradeLineItem>/, '');
  assert.ok(fired(noLines).includes('FX-SCH-A-000265'));
});
test('BASIC and BASIC WL require one postal address of the buyer (BG-8), FX-SCH-A-000032', () => {
  const noBuyerAddress = basic.replace(/(<ram:BuyerTradeParty>[\s\S]*?)<ram:PostalTradeAddress>[\s\S]*?<\/ram:PostalTradeAddress>/, '$1');
  assert.notEqual(noBuyerAddress, basic);
  assert.ok(fired(noBuyerAddress).includes('FX-SCH-A-000032'));
});

// EN 16931 (Factur-X EN 16931 Schematron): its "not used" reports for the header parts that the XSD still allows.
const en16931Edited = (from: string | RegExp, to: string) => {
  const out = en16931.replace(from, to);
  assert.notEqual(out, en16931, `not in the EN 16931 sample: ${from}`);
  return out;
};
const en16931Cases: [string, () => string][] = [
  ['FX-SCH-NOT-USED:ram:FormattedIssueDateTime', () => en16931Edited('<ram:IssuerAssignedID>PO201925478</ram:IssuerAssignedID>', '<ram:IssuerAssignedID>PO201925478</ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format="102">20260101</qdt:DateTimeString></ram:FormattedIssueDateTime>')],
  ['FX-SCH-NOT-USED:@schemeID', () => en16931Edited('<ram:IssuerAssignedID>CT2018120802</ram:IssuerAssignedID>', '<ram:IssuerAssignedID schemeID="X">CT2018120802</ram:IssuerAssignedID>')],
  ['FX-SCH-NOT-USED:@listID', () => en16931Edited('<ram:PostcodeCode>06000</ram:PostcodeCode>', '<ram:PostcodeCode listID="X">06000</ram:PostcodeCode>')],
  ['FX-SCH-NOT-USED:ram:Description', () => en16931Edited(/(<ram:BuyerTradeParty>[\s\S]*?<ram:Name>[^<]*<\/ram:Name>)/, '$1<ram:Description>X</ram:Description>')],
  ['FX-SCH-NOT-USED:@currencyID', () => en16931Edited(/<ram:GrandTotalAmount>/, '<ram:GrandTotalAmount currencyID="EUR">')],
  ['FX-SCH-NOT-USED:@schemeID', () => en16931Edited(/<ram:SellerAssignedID>/, '<ram:SellerAssignedID schemeID="X">')],
  ['FX-SCH-NOT-USED:ram:ExemptionReason', () => en16931Edited(/(<ram:SpecifiedLineTradeSettlement>\s*<ram:ApplicableTradeTax>\s*<ram:TypeCode>VAT<\/ram:TypeCode>)/, '$1<ram:ExemptionReason>X</ram:ExemptionReason>')],
  ['FX-SCH-NOT-USED:ram:SpecifiedTaxRegistration', () => en16931Edited(/(<ram:ShipToTradeParty>[\s\S]*?<ram:Name>[^<]*<\/ram:Name>)/, '$1<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR00</ram:ID></ram:SpecifiedTaxRegistration>')],
];
for (const [rule, make] of en16931Cases) {
  test(`EN 16931 structure: ${rule} is reported on its case, as a warning`, () => {
    const f = validateDocument(parseXml(make()), ['facturx']).findings.filter((x) => x.rule === rule);
    assert.equal(f.length, 1, fired(make()).join(' '));
    assert.equal(f[0].flag, 'warning');
  });
}
// EN 16931 assertions, element variants and value lists (1.09.2 Schematron): each fires on its case with its flag —
// failed assertions and value lists fatal, variant reports warnings — where in the document the Schematron has it.
const headerSettlement = /(<ram:ApplicableHeaderTradeSettlement>[\s\S]*?<ram:SpecifiedTradeAllowanceCharge>\s*<ram:ChargeIndicator>\s*<udt:Indicator>)false/;
const lineSettlement = /(<ram:SpecifiedLineTradeSettlement>[\s\S]*?<ram:SpecifiedTradeAllowanceCharge>\s*<ram:ChargeIndicator>\s*<udt:Indicator>)false/;
const attachment = (attrs: string) => en16931Edited('<ram:Name>DOCUMENT_ANNEXE</ram:Name>', `<ram:Name>DOCUMENT_ANNEXE</ram:Name><ram:AttachmentBinaryObject${attrs}>QUJD</ram:AttachmentBinaryObject>`);
const en16931Checks: [rule: string, flag: 'fatal' | 'warning', where: string, make: () => string][] = [
  // Assertions: exactly, at most, at least, attribute required (shared 1.09 ids where the message has one).
  ['FX-SCH-A-000295', 'fatal', 'ApplicableProductCharacteristic', () => en16931Edited('<ram:Value>BLANC</ram:Value>', '')],
  ['FX-SCH-A-000029', 'fatal', 'SellerOrderReferencedDocument', () => en16931Edited('<ram:IssuerAssignedID>SALES REF 2547</ram:IssuerAssignedID>', '')],
  ['FX-SCH-A-000292', 'fatal', 'PayeeSpecifiedCreditorFinancialInstitution', () => en16931Edited('<ram:BICID>BIC_MONCOMPTE</ram:BICID>', '')],
  ['FX-SCH-A-000288', 'fatal', 'BuyerTradeParty', () => en16931Edited(/(<ram:BuyerTradeParty>[\s\S]*?)(<ram:DefinedTradeContact>[\s\S]*?<\/ram:DefinedTradeContact>)/, '$1$2$2')],
  ['FX-SCH-A-000290', 'fatal', 'SpecifiedTradeSettlementHeaderMonetarySummation', () => en16931Edited('<ram:RoundingAmount>0.00</ram:RoundingAmount>', '<ram:RoundingAmount>0.00</ram:RoundingAmount><ram:RoundingAmount>0.00</ram:RoundingAmount>')],
  ['FX-SCH-A-000291', 'fatal', 'SpecifiedTradeSettlementPaymentMeans', () => en16931Edited('<ram:Information>Virement</ram:Information>', '<ram:Information>Virement</ram:Information><ram:Information>Bis</ram:Information>')],
  ['FX-SCH-A-000173', 'fatal', 'ApplicableHeaderTradeSettlement', () => en16931Edited(/(<ram:ApplicableHeaderTradeSettlement>[\s\S]*?)<ram:ApplicableTradeTax>[\s\S]*<\/ram:ApplicableTradeTax>[^\n]*(\s*<ram:BillingSpecifiedPeriod>)/, '$1$2')],
  ['FX-SCH-A-000296', 'fatal', 'ClassCode', () => en16931Edited('<ram:ClassCode listID="BB">', '<ram:ClassCode>')],
  ['FX-SCH-A-000285', 'fatal', 'AttachmentBinaryObject', () => attachment(' filename="annexe.pdf"')],
  ['FX-SCH-A-000286', 'fatal', 'AttachmentBinaryObject', () => attachment(' mimeCode="application/pdf"')],
  ['FX-SCH-A-000021', 'fatal', 'TaxPointDate', () => en16931Edited('<ram:DueDateTypeCode>72</ram:DueDateTypeCode>', '<ram:TaxPointDate><udt:DateString>20260131</udt:DateString></ram:TaxPointDate>')],
  // Element variants marked as not used.
  ['FX-SCH-NOT-USED:AdditionalReferencedDocument-variant', 'warning', 'AdditionalReferencedDocument', () => en16931Edited('<ram:TypeCode>50</ram:TypeCode>', '<ram:TypeCode>51</ram:TypeCode>')],
  ['FX-SCH-NOT-USED:ChargeIndicator-variant', 'warning', 'ApplicableHeaderTradeSettlement', () => en16931Edited(headerSettlement, '$1FALSE')],
  ['FX-SCH-NOT-USED:ChargeIndicator-variant', 'warning', 'SpecifiedLineTradeSettlement', () => en16931Edited(lineSettlement, '$1FALSE')],
  ['FX-SCH-NOT-USED:GrossPriceCharge', 'warning', 'GrossPriceProductTradePrice', () => en16931Edited(/(<ram:GrossPriceProductTradePrice>[\s\S]*?<udt:Indicator>)false/, '$1FALSE')],
  ['FX-SCH-NOT-USED:TaxTotalAmount-variant', 'warning', 'TaxTotalAmount', () => en16931Edited('<ram:TaxTotalAmount currencyID="EUR">4.90</ram:TaxTotalAmount>', '<ram:TaxTotalAmount currencyID="EUR">4.90</ram:TaxTotalAmount><ram:TaxTotalAmount currencyID="USD">5.00</ram:TaxTotalAmount>')],
  ['FX-SCH-NOT-USED:SpecifiedTaxRegistration-variant', 'warning', 'SellerTradeParty', () => en16931Edited('<ram:ID schemeID="VA">FR11123456782</ram:ID>', '<ram:ID schemeID="VA">FR11123456782</ram:ID></ram:SpecifiedTaxRegistration><ram:SpecifiedTaxRegistration><ram:ID schemeID="XX">1</ram:ID>')],
  ['FX-SCH-NOT-USED:ReasonCode-variant', 'warning', 'ApplicableHeaderTradeSettlement', () => en16931Edited('<ram:ReasonCode>FC</ram:ReasonCode>', '<ram:ReasonCode listID="7161">FC</ram:ReasonCode>')],
  // Value lists of the profile's CodeDB.
  ['FX-SCH-A-000554', 'fatal', 'IssueDateTime', () => en16931Edited('<udt:DateTimeString format="102">20260131</udt:DateTimeString>', '<udt:DateTimeString format="203">20260131</udt:DateTimeString>')],
  ['FX-SCH-A-000553', 'fatal', 'IncludedNote', () => en16931Edited('<ram:SubjectCode>REG</ram:SubjectCode>', '<ram:SubjectCode>XYZ</ram:SubjectCode>')],
  ['FX-SCH-A-000282', 'fatal', 'ApplicableHeaderTradeAgreement', () => en16931Edited('<ram:ReferenceTypeCode>IT</ram:ReferenceTypeCode>', '<ram:ReferenceTypeCode>I9</ram:ReferenceTypeCode>')],
  ['FX-SCH-A-000617', 'fatal', 'SpecifiedLineTradeSettlement', () => en16931Edited('<ram:ReferenceTypeCode>AOP</ram:ReferenceTypeCode>', '<ram:ReferenceTypeCode>ZZ9</ram:ReferenceTypeCode>')],
  ['FX-SCH-A-000287', 'fatal', 'AttachmentBinaryObject', () => attachment(' mimeCode="text/plain" filename="annexe.txt"')],
  ['FX-SCH-A-000588', 'fatal', 'DueDateTypeCode', () => en16931Edited('<ram:DueDateTypeCode>72</ram:DueDateTypeCode>', '<ram:DueDateTypeCode>3</ram:DueDateTypeCode>')],
  ['FX-SCH-A-000297', 'fatal', 'ClassCode', () => en16931Edited('<ram:ClassCode listID="BB">', '<ram:ClassCode listID="ZZZZ">')],
  ['FX-SCH-A-000604', 'fatal', 'ApplicableHeaderTradeSettlement', () => en16931Edited('<ram:ReasonCode>FC</ram:ReasonCode>', '<ram:ReasonCode>F9</ram:ReasonCode>')],
  ['FX-SCH-A-000624', 'fatal', 'SpecifiedLineTradeSettlement', () => en16931Edited('<ram:ReasonCode>ADL</ram:ReasonCode>', '<ram:ReasonCode>AD9</ram:ReasonCode>')],
];
for (const [rule, flag, where, make] of en16931Checks) {
  test(`EN 16931 structure: ${rule} (${flag}) fires on its case, in ${where} — ${FACTURX_TEXTS[rule].message}`, () => {
    const f = validateDocument(parseXml(make()), ['facturx']).findings.filter((x) => x.rule === rule);
    assert.ok(f.length >= 1, fired(make()).join(' '));
    assert.ok(f.every((x) => x.flag === flag && x.location.includes(where)), f.map((x) => `${x.flag} ${x.location}`).join(' | '));
  });
}
test('EN 16931 structure: the allowed values and variants fire nothing (attachment with its type and name, charge reason under list 5153)', () => {
  assert.deepEqual(fired(attachment(' mimeCode="application/pdf" filename="annexe.pdf"')), []);
  assert.deepEqual(fired(en16931Edited('<ram:ReasonCode>FC</ram:ReasonCode>', '<ram:ReasonCode listID="5153">XX</ram:ReasonCode>')), []);
  assert.deepEqual(fired(en16931Edited('<ram:DueDateTypeCode>72</ram:DueDateTypeCode>', '<ram:DueDateTypeCode>5</ram:DueDateTypeCode>')), []);
  const taxPoint = fired(en16931Edited('<ram:DueDateTypeCode>72</ram:DueDateTypeCode>', '<ram:TaxPointDate><udt:DateString format="102">20260131</udt:DateString></ram:TaxPointDate>'));
  assert.deepEqual(taxPoint.filter((id) => id.startsWith('FX-')), []);
});
test('EN 16931 structure: an assertion reports the shared 1.09 id of its message where BASIC, BASIC WL or MINIMUM has one', () => {
  const profiles = ['MINIMUM', 'BASIC WL', 'BASIC', 'EN16931', 'EXTENDED'] as const;
  const tabled = new Set(profiles.flatMap(structureIdsOf));
  const shared = new Map<string, Set<string>>();
  const note = (id: string) => {
    const m = FACTURX_TEXTS[id]?.message;
    if (id.startsWith('FX-SCH-A-') && m) shared.set(m, (shared.get(m) ?? new Set()).add(id));
  };
  for (const p of ['MINIMUM', 'BASIC WL', 'BASIC'] as const) structureIdsOf(p).forEach(note);
  Object.keys(FACTURX_TEXTS).filter((id) => !tabled.has(id)).forEach(note); // rules.ts: the checks every profile shares
  const wrong = structureIdsOf('EN16931').filter((id) => {
    const ids = shared.get(FACTURX_TEXTS[id]?.message ?? '');
    return id.startsWith('FX-SCH-A-') && ids !== undefined && !ids.has(id);
  });
  assert.deepEqual(wrong, []);
  // And a 1.09.2 id only where no shared one exists, e.g. a second contact of the buyer.
  assert.ok(structureIdsOf('EN16931').includes('FX-SCH-A-000288'));
  assert.ok(!structureIdsOf('EN16931').includes('FX-SCH-A-000419')); // the buyer's address: FX-SCH-A-000032
});
test('the "not used" lists are per profile: the BASIC Schematron has no report on a postcode listID', () => {
  const x = edited(/<ram:PostcodeCode>([^<]*)<\/ram:PostcodeCode>/, '<ram:PostcodeCode listID="X">$1</ram:PostcodeCode>');
  assert.ok(!fired(x).includes('FX-SCH-NOT-USED:@listID'));
});

// Rules of the Factur-X EN 16931 Schematron beyond the CEN 1.3.16 CII families (catalogue set facturx-en16931).
const iban = '<ram:IBANID>FR20 1254 2547 2569 8542 5874 698</ram:IBANID>';

test('BR-CO-27 (Factur-X): a credit transfer account is an IBAN or a proprietary ID, not both and not neither', () => {
  assert.ok(en16931.includes(iban));
  assert.ok(!fired(en16931).includes('BR-CO-27'));
  assert.ok(fired(en16931.replace(iban, `${iban}<ram:ProprietaryID>123</ram:ProprietaryID>`)).includes('BR-CO-27'));
  assert.ok(fired(en16931.replace(iban, '')).includes('BR-CO-27'));
  assert.ok(!fired(en16931.replace(iban, '<ram:ProprietaryID>123</ram:ProprietaryID>')).includes('BR-CO-27'));
  // Only payment means 30 and 58: a card payment (48) with both is not concerned.
  assert.ok(!fired(en16931.replace(iban, `${iban}<ram:ProprietaryID>123</ram:ProprietaryID>`).replace('<ram:TypeCode>30</ram:TypeCode>', '<ram:TypeCode>48</ram:TypeCode>')).includes('BR-CO-27'));
});

test('CII-SR-463 (Factur-X): every allowance or charge carries a ChargeIndicator, in the facturx set alone', () => {
  const noIndicator = en16931.replace(/(<ram:SpecifiedTradeAllowanceCharge>\s*)<ram:ChargeIndicator>.*?<\/ram:ChargeIndicator>/s, '$1');
  assert.notEqual(noIndicator, en16931);
  assert.ok(fired(noIndicator).includes('CII-SR-463'));
  assert.ok(!fired(en16931).includes('CII-SR-463'));
});

// EXTENDED structure (start of the 1.09 EXTENDED table): each check fires on its case, none on the sample.
const extended = readFileSync(path.join(FIXTURES, 'samples/akretion-factur-x/factur-x-extended.xml'), 'utf8');
const extEdited = (from: string | RegExp, to: string) => {
  const out = extended.replace(from, to);
  assert.notEqual(out, extended, `not in the EXTENDED sample: ${from}`);
  return out;
};
const TYPE = '<ram:TypeCode>380</ram:TypeCode>';
const extendedCases: [string, () => string][] = [
  ['FX-SCH-EXT:max:ram:Name', () => extEdited(TYPE, `<ram:Name>A</ram:Name><ram:Name>B</ram:Name>${TYPE}`)],
  ['FX-SCH-EXT:max:ram:LanguageID', () => extEdited('<ram:IncludedNote>', '<ram:LanguageID>fr</ram:LanguageID><ram:LanguageID>en</ram:LanguageID><ram:IncludedNote>')],
  ['FX-SCH-EXT:exactly:ram:CompleteDateTime', () => extEdited('<ram:IncludedNote>', '<ram:EffectiveSpecifiedPeriod></ram:EffectiveSpecifiedPeriod><ram:IncludedNote>')],
  ['FX-SCH-NOT-USED:ram:StartDateTime', () => extEdited('<ram:IncludedNote>', '<ram:EffectiveSpecifiedPeriod><ram:StartDateTime><udt:DateTimeString format="102">20260101</udt:DateTimeString></ram:StartDateTime><ram:CompleteDateTime><udt:DateTimeString format="102">20260101</udt:DateTimeString></ram:CompleteDateTime></ram:EffectiveSpecifiedPeriod><ram:IncludedNote>')],
  ['FX-SCH-A-000021', () => extEdited('<udt:DateTimeString format="102">20260131</udt:DateTimeString>', '<udt:DateTimeString>20260131</udt:DateTimeString>')],
  ['FX-SCH-EXT:max:ram:Content', () => extEdited('<ram:Content>RCS MAVILLE 123 456 782</ram:Content>', '<ram:Content>RCS MAVILLE 123 456 782</ram:Content><ram:Content>bis</ram:Content>')],
  ['FX-SCH-A-000161', () => extEdited('<ram:SubjectCode>ABL</ram:SubjectCode>', '<ram:SubjectCode>ABL</ram:SubjectCode><ram:SubjectCode>AAI</ram:SubjectCode>')],
  ['FX-SCH-NOT-USED:@listID', () => extEdited('<ram:SubjectCode>ABL</ram:SubjectCode>', '<ram:SubjectCode listID="4451">ABL</ram:SubjectCode>')],
  ['FX-SCH-NOT-USED:@schemeID', () => extEdited('<ram:ID>F20260023</ram:ID>', '<ram:ID schemeID="X">F20260023</ram:ID>')],
  ['FX-SCH-A-000019', () => extEdited('<ram:ID>S1</ram:ID>', '<ram:ID>S1</ram:ID><ram:ID>S2</ram:ID>')],
  ['FX-SCH-A-000265', () => extEdited(/<ram:IncludedSupplyChainTradeLineItem>[\s\S]*<\/ram:IncludedSupplyChainTradeLineItem>/, '')],  // Agreement: document references by type code, delivery terms, agents and representatives (parties' template).
  ['FX-SCH-NOT-USED:AdditionalReferencedDocument-variant', () => extEdited('<ram:TypeCode>50</ram:TypeCode>', '<ram:TypeCode>999</ram:TypeCode>')],
  ['FX-SCH-A-000029', () => extEdited('<ram:IssuerAssignedID>TENDER-002</ram:IssuerAssignedID>', '<ram:IssuerAssignedID>TENDER-002</ram:IssuerAssignedID><ram:IssuerAssignedID>TENDER-003</ram:IssuerAssignedID>')],
  ['FX-SCH-NOT-USED:ram:Name', () => extEdited('<ram:IssuerAssignedID>TENDER-002</ram:IssuerAssignedID>', '<ram:IssuerAssignedID>TENDER-002</ram:IssuerAssignedID><ram:Name>LOT</ram:Name>')],
  ['FX-SCH-NOT-USED:ram:ReferenceTypeCode', () => extEdited('<ram:IssuerAssignedID>TENDER-002</ram:IssuerAssignedID>', '<ram:IssuerAssignedID>TENDER-002</ram:IssuerAssignedID><ram:ReferenceTypeCode>IT</ram:ReferenceTypeCode>')],
  ['FX-SCH-EXT:max:ram:Name', () => extEdited('<ram:Name>DOCUMENT_ANNEXE</ram:Name>', '<ram:Name>DOCUMENT_ANNEXE</ram:Name><ram:Name>BIS</ram:Name>')],
  ['FX-SCH-EXT:attribute:mimeCode', () => extEdited('<ram:Name>DOCUMENT_ANNEXE</ram:Name>', '<ram:Name>DOCUMENT_ANNEXE</ram:Name><ram:AttachmentBinaryObject filename="a.pdf">JVBE</ram:AttachmentBinaryObject>')],
  ['FX-SCH-EXT:attribute:filename', () => extEdited('<ram:Name>DOCUMENT_ANNEXE</ram:Name>', '<ram:Name>DOCUMENT_ANNEXE</ram:Name><ram:AttachmentBinaryObject mimeCode="application/pdf">JVBE</ram:AttachmentBinaryObject>')],
  ['FX-SCH-EXT:exactly:ram:DeliveryTypeCode', () => extEdited('<ram:ContractReferencedDocument>', '<ram:ApplicableTradeDeliveryTerms></ram:ApplicableTradeDeliveryTerms><ram:ContractReferencedDocument>')],
  ['FX-SCH-A-000021', () => extEdited('<ram:IssuerAssignedID>PO201925478</ram:IssuerAssignedID>', '<ram:IssuerAssignedID>PO201925478</ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString>20260101</qdt:DateTimeString></ram:FormattedIssueDateTime>')],
  ['FX-SCH-A-000030', () => extEdited('<ram:ContractReferencedDocument>', '<ram:BuyerAgentTradeParty><ram:Name>AGENT</ram:Name><ram:DefinedTradeContact><ram:FaxUniversalCommunication><ram:URIID>x</ram:URIID></ram:FaxUniversalCommunication></ram:DefinedTradeContact><ram:PostalTradeAddress><ram:PostcodeCode listID="X">06000</ram:PostcodeCode><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress></ram:BuyerAgentTradeParty>'.replace('<ram:Name>AGENT</ram:Name>', '') + '<ram:ContractReferencedDocument>')],
  ['FX-SCH-EXT:exactly:ram:CompleteNumber', () => extEdited('<ram:ContractReferencedDocument>', '<ram:BuyerAgentTradeParty><ram:Name>AGENT</ram:Name><ram:DefinedTradeContact><ram:FaxUniversalCommunication><ram:URIID>x</ram:URIID></ram:FaxUniversalCommunication></ram:DefinedTradeContact><ram:PostalTradeAddress><ram:PostcodeCode listID="X">06000</ram:PostcodeCode><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress></ram:BuyerAgentTradeParty><ram:ContractReferencedDocument>')],
  ['FX-SCH-NOT-USED:ram:URIID', () => extEdited('<ram:ContractReferencedDocument>', '<ram:BuyerAgentTradeParty><ram:Name>AGENT</ram:Name><ram:DefinedTradeContact><ram:FaxUniversalCommunication><ram:URIID>x</ram:URIID></ram:FaxUniversalCommunication></ram:DefinedTradeContact><ram:PostalTradeAddress><ram:PostcodeCode listID="X">06000</ram:PostcodeCode><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress></ram:BuyerAgentTradeParty><ram:ContractReferencedDocument>')],
  ['FX-SCH-NOT-USED:@listID', () => extEdited('<ram:ContractReferencedDocument>', '<ram:BuyerAgentTradeParty><ram:Name>AGENT</ram:Name><ram:DefinedTradeContact><ram:FaxUniversalCommunication><ram:URIID>x</ram:URIID></ram:FaxUniversalCommunication></ram:DefinedTradeContact><ram:PostalTradeAddress><ram:PostcodeCode listID="X">06000</ram:PostcodeCode><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress></ram:BuyerAgentTradeParty><ram:ContractReferencedDocument>')],
  ['FX-SCH-A-000169', () => extEdited('<ram:ContractReferencedDocument>', '<ram:BuyerTaxRepresentativeTradeParty><ram:Name>REP</ram:Name></ram:BuyerTaxRepresentativeTradeParty><ram:ContractReferencedDocument>')],
  ['FX-SCH-A-000187', () => extEdited('<ram:Name>LE CLIENT</ram:Name>', '<ram:Name>LE CLIENT</ram:Name><ram:Description>A</ram:Description><ram:Description>B</ram:Description>')],
  ['FX-SCH-EXT:max:ram:RoleCode', () => extEdited('<ram:Name>LE CLIENT</ram:Name>', '<ram:Name>LE CLIENT</ram:Name><ram:RoleCode>BY</ram:RoleCode><ram:RoleCode>BY</ram:RoleCode>')],
  ['FX-SCH-A-000032', () => extEdited(/(<ram:Name>SELLER TAX REP<\/ram:Name>)[^\n]*\n\s*<ram:PostalTradeAddress>[\s\S]*?<\/ram:PostalTradeAddress>/, '$1')],
  ['FX-SCH-NOT-USED:ram:TypeCode', () => extEdited('<ram:IssuerAssignedID>CT2018120802</ram:IssuerAssignedID>', '<ram:IssuerAssignedID>CT2018120802</ram:IssuerAssignedID><ram:TypeCode>50</ram:TypeCode>')],
  ['FX-SCH-NOT-USED:SpecifiedTaxRegistration-variant', () => extEdited('<ram:ID schemeID="VA">FR11123456782</ram:ID>', '<ram:ID schemeID="XX">FR11123456782</ram:ID>')],
  ['FX-SCH-A-000033', () => extEdited('<ram:ID schemeID="VA">FR11123456782</ram:ID>', '<ram:ID schemeID="VA">FR11123456782</ram:ID></ram:SpecifiedTaxRegistration><ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR11123456782</ram:ID>')],
  ['FX-SCH-A-000171', () => extEdited(/<ram:OccurrenceDateTime>[\s\S]*?<\/ram:OccurrenceDateTime>/, '')],
  ['FX-SCH-A-000163', () => extEdited('<ram:ID>PRIVATE_ID_DEL</ram:ID>', '<ram:ID>PRIVATE_ID_DEL</ram:ID><ram:ID>BIS</ram:ID>')],
  ['FX-SCH-NOT-USED:ram:Description', () => extEdited('<ram:Name>DEL Name</ram:Name>', '<ram:Name>DEL Name</ram:Name><ram:Description>X</ram:Description>')],
  // Settlement: VAT breakdown, period, advance payments, fees, allowances and charges by indicator, payment terms.
  ['FX-SCH-EXT:max:ram:LineTotalBasisAmount', () => extEdited('<ram:CalculatedAmount>2.20</ram:CalculatedAmount>', '<ram:CalculatedAmount>2.20</ram:CalculatedAmount><ram:LineTotalBasisAmount>1.00</ram:LineTotalBasisAmount><ram:LineTotalBasisAmount>1.00</ram:LineTotalBasisAmount>')],
  ['FX-SCH-A-000177', () => extEdited('<ram:BasisAmount>27.00</ram:BasisAmount>', '')],
  ['FX-SCH-NOT-USED:ram:CompleteDateTime', () => extEdited('<ram:CreditorReferenceID>CREDID</ram:CreditorReferenceID>', '<ram:CreditorReferenceID>CREDID</ram:CreditorReferenceID><ram:BillingSpecifiedPeriod><ram:CompleteDateTime><udt:DateTimeString format="102">20260101</udt:DateTimeString></ram:CompleteDateTime></ram:BillingSpecifiedPeriod>')],
  ['FX-SCH-EXT:min:ram:IncludedTradeTax', () => extEdited('<ram:CreditorReferenceID>CREDID</ram:CreditorReferenceID>', '<ram:CreditorReferenceID>CREDID</ram:CreditorReferenceID><ram:SpecifiedAdvancePayment><ram:PaidAmount>10.00</ram:PaidAmount></ram:SpecifiedAdvancePayment>')],
  ['FX-SCH-EXT:exactly:ram:RateApplicablePercent', () => extEdited('<ram:SpecifiedTradePaymentTerms>', FEE('5.00').replace('<ram:RateApplicablePercent>20.00</ram:RateApplicablePercent>', ''))],
  ['FX-SCH-NOT-USED:ChargeIndicator-variant', () => extEdited('<ram:SpecifiedTradePaymentTerms>', '<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>yes</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>0.00</ram:ActualAmount></ram:SpecifiedTradeAllowanceCharge><ram:SpecifiedTradePaymentTerms>')],
  ['FX-SCH-A-000185', () => extEdited('<ram:SpecifiedTradePaymentTerms>', '<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>0.00</ram:ActualAmount><ram:Reason>X</ram:Reason></ram:SpecifiedTradeAllowanceCharge><ram:SpecifiedTradePaymentTerms>')],
  ['FX-SCH-NOT-USED:ReasonCode-variant', () => extEdited('<ram:ReasonCode>ADR</ram:ReasonCode>', '<ram:ReasonCode listID="7161">ADR</ram:ReasonCode>')],
  ['FX-SCH-A-000188', () => extEdited('<ram:DirectDebitMandateID>MANDATE PT</ram:DirectDebitMandateID>', '<ram:DirectDebitMandateID>MANDATE PT</ram:DirectDebitMandateID><ram:DirectDebitMandateID>BIS</ram:DirectDebitMandateID>')],
  ['FX-SCH-EXT:attribute:unitCode', () => extEdited('<ram:DirectDebitMandateID>MANDATE PT</ram:DirectDebitMandateID>', '<ram:DirectDebitMandateID>MANDATE PT</ram:DirectDebitMandateID><ram:ApplicableTradePaymentPenaltyTerms><ram:BasisPeriodMeasure>30</ram:BasisPeriodMeasure></ram:ApplicableTradePaymentPenaltyTerms>')],
  ['FX-SCH-EXT:max:ram:RoundingAmount', () => amount('RoundingAmount', '0.00', '0.00</ram:RoundingAmount><ram:RoundingAmount>0.00')],
  ['FX-SCH-A-000042', () => extEdited('<ram:TaxTotalAmount currencyID="EUR">4.90</ram:TaxTotalAmount>', '<ram:TaxTotalAmount currencyID="EUR">4.90</ram:TaxTotalAmount><ram:TaxTotalAmount currencyID="EUR">4.90</ram:TaxTotalAmount>')],
  ['FX-SCH-EXT:max:ram:Information', () => extEdited('<ram:Information>Virement</ram:Information>', '<ram:Information>Virement</ram:Information><ram:Information>bis</ram:Information>')],
  ['FX-SCH-A-000266', () => extLine(2, (l) => l.replace(/<ram:AssociatedDocumentLineDocument>[\s\S]*?<\/ram:AssociatedDocumentLineDocument>/, ''))],
  ['FX-SCH-A-000020', () => extLine(0, (l) => l.replace('<ram:BuyerOrderReferencedDocument>', '<ram:AdditionalReferencedDocument><ram:IssuerAssignedID>X</ram:IssuerAssignedID></ram:AdditionalReferencedDocument><ram:BuyerOrderReferencedDocument>'))],
  // Line agreement: prices, gross price discount by indicator, the line's seller.
  ['FX-SCH-A-000184', () => extLine(0, (l) => l.replace('<ram:ActualAmount>5.0000</ram:ActualAmount>', ''))],
  ['FX-SCH-NOT-USED:ram:SequenceNumeric', () => extLine(0, (l) => l.replace('<ram:ActualAmount>5.0000</ram:ActualAmount>', '<ram:ActualAmount>5.0000</ram:ActualAmount><ram:SequenceNumeric>1</ram:SequenceNumeric>'))],
  ['FX-SCH-EXT:max:ram:IncludedTradeTax', () => extLine(0, (l) => l.replace('<ram:ChargeAmount>60.0000</ram:ChargeAmount>', '<ram:ChargeAmount>60.0000</ram:ChargeAmount><ram:IncludedTradeTax></ram:IncludedTradeTax><ram:IncludedTradeTax></ram:IncludedTradeTax>'))],
  ['FX-SCH-NOT-USED:ram:ReferenceTypeCode', () => extLine(1, (l) => l.replace('<ram:LineID>3</ram:LineID>', '<ram:LineID>3</ram:LineID><ram:ReferenceTypeCode>ON</ram:ReferenceTypeCode>'))],
  ['FX-SCH-A-000034', () => extLine(0, (l) => l.replace('<ram:BuyerOrderReferencedDocument>', '<ram:ItemSellerTradeParty><ram:Name>S</ram:Name><ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">1</ram:ID></ram:SpecifiedTaxRegistration><ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">2</ram:ID></ram:SpecifiedTaxRegistration></ram:ItemSellerTradeParty><ram:BuyerOrderReferencedDocument>'))],
  ['FX-SCH-NOT-USED:GrossPriceReasonCode-variant', () => extLine(0, (l) => l.replace('<udt:Indicator>false</udt:Indicator>', '<udt:Indicator>true</udt:Indicator>').replace('<ram:ActualAmount>5.0000</ram:ActualAmount>', '<ram:ActualAmount>5.0000</ram:ActualAmount><ram:ReasonCode listID="7161">AA</ram:ReasonCode>'))],
  // Line settlement and product.
  ['FX-SCH-A-000178', () => extLine(1, (l) => l.replace('<ram:CategoryCode>S</ram:CategoryCode>', '<ram:CategoryCode>S</ram:CategoryCode><ram:CategoryCode>S</ram:CategoryCode>'))],
  ['FX-SCH-EXT:max:ram:LineTotalAmount', () => extLine(0, (l) => l.replace('<ram:LineTotalAmount>60.00</ram:LineTotalAmount>', '<ram:LineTotalAmount>60.00</ram:LineTotalAmount><ram:LineTotalAmount>60.00</ram:LineTotalAmount>'))],
  ['FX-SCH-NOT-USED:ram:FormattedIssueDateTime', () => extLine(0, (l) => l.replace('<ram:IssuerAssignedID>EQUIPE_A</ram:IssuerAssignedID>', '<ram:IssuerAssignedID>EQUIPE_A</ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format="102">20260101</qdt:DateTimeString></ram:FormattedIssueDateTime>'))],
  ['FX-SCH-A-000183', () => extLine(0, (l) => l.replace(/<ram:ChargeIndicator>\s*<udt:Indicator>true<\/udt:Indicator>[^\n]*\n\s*<\/ram:ChargeIndicator>/, (m) => m + m))],
  ['FX-SCH-EXT:attribute:listID', () => extEdited('<ram:ClassCode listID="SK">', '<ram:ClassCode>')],
  ['FX-SCH-EXT:max:ram:Value', () => extEdited('<ram:Value>BLANC</ram:Value>', '<ram:Value>BLANC</ram:Value><ram:Value>NOIR</ram:Value>')],
  ['FX-SCH-EXT:max2:VA-registration', () => extLine(1, (l) => l.replace('<ram:OriginTradeCountry>', '<ram:ManufacturerTradeParty><ram:Name>M</ram:Name><ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">FR1</ram:ID></ram:SpecifiedTaxRegistration><ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">FR1</ram:ID></ram:SpecifiedTaxRegistration><ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">FR1</ram:ID></ram:SpecifiedTaxRegistration></ram:ManufacturerTradeParty><ram:OriginTradeCountry>'))],
  ['FX-SCH-A-000019', () => extEdited('<ram:ID>FR</ram:ID>', '<ram:ID>FR</ram:ID><ram:ID>DE</ram:ID>')],
  // Value lists of the EXTENDED CodeDB (by list number).
  ['FX-SCH-EXT:value:ram:LanguageID', () => extEdited('<ram:IncludedNote>', '<ram:LanguageID>xx</ram:LanguageID><ram:IncludedNote>')],
  ['FX-SCH-EXT:value:@format', () => extEdited('<udt:DateTimeString format="102">20260131</udt:DateTimeString>', '<udt:DateTimeString format="205">202601311200</udt:DateTimeString>')],
  ['FX-SCH-EXT:value:@listID', () => extEdited('<ram:ClassCode listID="SK">', '<ram:ClassCode listID="QQQ">')],
  ['FX-SCH-EXT:value:ram:TypeCode', () => extEdited('<ram:TypeCode>30</ram:TypeCode>', '<ram:TypeCode>999</ram:TypeCode>')],
  ['FX-SCH-EXT:value:ram:ReasonCode[@listID="5153"]', () => extLine(0, (l) => l.replace('<udt:Indicator>false</udt:Indicator>', '<udt:Indicator>true</udt:Indicator>').replace('<ram:ActualAmount>5.0000</ram:ActualAmount>', '<ram:ActualAmount>5.0000</ram:ActualAmount><ram:ReasonCode listID="5153">ZZZZ</ram:ReasonCode>'))],
  ['FX-SCH-EXT:exactly:ram:ModeCode', () => extEdited('<ram:ShipToTradeParty>', '<ram:RelatedSupplyChainConsignment><ram:SpecifiedLogisticsTransportMovement></ram:SpecifiedLogisticsTransportMovement></ram:RelatedSupplyChainConsignment><ram:ShipToTradeParty>')],
  ['FX-SCH-NOT-USED:@schemeID', () => extEdited('<ram:ID>PROJET2547</ram:ID>', '<ram:ID schemeID="X">PROJET2547</ram:ID>')],
];

test('the unmodified EXTENDED sample fires none of the transcribed EXTENDED structural checks', () => {
  const ids = fired(extended);
  for (const [rule] of extendedCases) assert.ok(!ids.includes(rule), rule);
});

for (const [rule, make] of extendedCases) {
  test(`EXTENDED structure: ${rule} fires on its case`, () => {
    const f = validateDocument(parseXml(make()), ['facturx']).findings.filter((x) => x.rule === rule);
    assert.ok(f.length >= 1, fired(make()).join(' '));
    assert.equal(f[0].flag, rule.startsWith('FX-SCH-NOT-USED:') ? 'warning' : 'fatal');
  });
}

// EXTENDED business rules (BR-FXEXT-*, 1.09 EXTENDED Schematron): each fires on its case, none on the sample.
const extFindings = (xml: string) => validateDocument(parseXml(xml), ['facturx']).findings;
const LINE_BLOCK = /<ram:IncludedSupplyChainTradeLineItem>[\s\S]*?<\/ram:IncludedSupplyChainTradeLineItem>/g;
/** The sample with its n-th line (0-based) edited. */
const extLine = (n: number, edit: (line: string) => string) => {
  let i = 0;
  const out = extended.replace(LINE_BLOCK, (line) => (i++ === n ? edit(line) : line));
  assert.notEqual(out, extended, `line ${n} not edited`);
  return out;
};
const amount = (name: string, from: string, to: string) => extEdited(`<ram:${name}>${from}</ram:${name}>`, `<ram:${name}>${to}</ram:${name}>`);
const status = (id: string, extra: string) => (line: string) => line.replace(`<ram:LineID>${id}</ram:LineID>`, `<ram:LineID>${id}</ram:LineID>${extra}`);
const FEE = (value: string) =>
  `<ram:SpecifiedLogisticsServiceCharge><ram:Description>PORT</ram:Description><ram:AppliedAmount>${value}</ram:AppliedAmount><ram:AppliedTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>20.00</ram:RateApplicablePercent></ram:AppliedTradeTax></ram:SpecifiedLogisticsServiceCharge><ram:SpecifiedTradePaymentTerms>`;

const fxextCases: [string, () => string][] = [
  // Totals (BG-22): 3 lines, 4 allowances, 4 charges.
  ['BR-FXEXT-CO-10', () => amount('LineTotalAmount', '95.00', '95.04')],
  ['BR-FXEXT-CO-11', () => amount('AllowanceTotalAmount', '9.00', '9.05')],
  ['BR-FXEXT-CO-12', () => amount('ChargeTotalAmount', '14.00', '14.05')],
  ['BR-FXEXT-CO-13', () => amount('TaxBasisTotalAmount', '100.00', '100.12')],
  ['BR-FXEXT-CO-15', () => amount('GrandTotalAmount', '104.90', '105.02')],
  ['BR-FXEXT-CO-15', () => extEdited('<ram:TaxTotalAmount currencyID="EUR">', '<ram:TaxTotalAmount currencyID="USD">')],
  ['BR-FXEXT-CO-16', () => amount('DuePayableAmount', '104.90', '104.91')],
  // VAT breakdown (BG-23).
  ['BR-FXEXT-S08b', () => amount('BasisAmount', '11.00', '12.00')],
  ['BR-FXEXT-S-09b', () => amount('CalculatedAmount', '2.20', '2.50')],
  ['BR-FXEXT-E-08b', () => amount('BasisAmount', '60.00', '61.00')],
  ['BR-FXEXT-IC-08b', () => amount('BasisAmount', '2.00', '3.00')],
  ['BR-FXEXT-S08b', () => extEdited('<ram:SpecifiedTradePaymentTerms>', FEE('5.00'))],
  ['BR-FXEXT-CO-12', () => extEdited('<ram:SpecifiedTradePaymentTerms>', FEE('5.00'))],
  // Lines subtyped DETAIL or not subtyped.
  ['BR-FXEXT-BR-22', () => extLine(0, (l) => l.replace(/<ram:BilledQuantity[^>]*>[^<]*<\/ram:BilledQuantity>/, ''))],
  ['BR-FXEXT-BR-23', () => extLine(0, (l) => l.replace('<ram:BilledQuantity unitCode="C62">', '<ram:BilledQuantity>'))],
  ['BR-FXEXT-BR-24', () => extLine(0, (l) => l.replace(/<ram:SpecifiedTradeSettlementLineMonetarySummation>[\s\S]*?<\/ram:SpecifiedTradeSettlementLineMonetarySummation>/, ''))],
  ['BR-FXEXT-BR-26', () => extLine(0, (l) => l.replace('<ram:ChargeAmount>60.0000</ram:ChargeAmount>', ''))],
  ['BR-FXEXT-CO-04', () => extLine(0, (l) => l.replace('<ram:CategoryCode>E</ram:CategoryCode>', ''))],
  // Charges' reasons, notes, tax registrations, article attributes, dates.
  ['BR-FXEXT-BR-38', () => extEdited(/<ram:ReasonCode>ADR<\/ram:ReasonCode>[^\n]*\n\s*<ram:Reason>FRAIS DEPLACEMENT<\/ram:Reason>/, '')],
  ['BR-FXEXT-BR-44', () => extLine(0, (l) => l.replace('<ram:Reason>FRAIS PALETTE</ram:Reason>', ''))],
  ['BR-FXEXT-01', () => extEdited('<ram:Content>RCS MAVILLE 123 456 782</ram:Content>', '')],
  ['BR-FXEXT-02', () => extEdited('<ram:Content>DONT 0,50 EUR de DEEE</ram:Content>', '')],
  ['BR-FXEXT-03', () => extEdited('<ram:ID schemeID="VA">FR 05 987 654 321</ram:ID>', '<ram:ID schemeID="FC">FR 05 987 654 321</ram:ID>')],
  ['BR-FXEXT-04', () => extEdited('<ram:ApplicableProductCharacteristic>', '<ram:ApplicableProductCharacteristic><ram:TypeCode>XYZ</ram:TypeCode>')],
  ['BR-FXEXT-CII-DT-097a', () => extEdited('<udt:DateTimeString format="102">20260131</udt:DateTimeString>', '<udt:DateTimeString format="205">20260131</udt:DateTimeString>')],
  // Line hierarchy (BT-X-304 parent line, BT-X-8 subtype).
  ['BR-FXEXT-06', () => extLine(1, status('2', '<ram:ParentLineID>1</ram:ParentLineID>'))],
  ['BR-FXEXT-11', () => extLine(1, status('2', '<ram:ParentLineID>9</ram:ParentLineID><ram:LineStatusReasonCode>DETAIL</ram:LineStatusReasonCode>'))],
];
// A GROUP line 1 over a DETAIL line 2: 60.00 is not 28.00 (BR-FXEXT-08); line 2 made GROUP without amount (BR-FXEXT-12).
const grouped = (child: string, childEdit: (l: string) => string = (l) => l) => {
  let i = 0;
  return extended.replace(LINE_BLOCK, (line) => {
    const n = i++;
    if (n === 0) return status('1', '<ram:LineStatusReasonCode>GROUP</ram:LineStatusReasonCode>')(line);
    if (n === 1) return childEdit(status('2', `<ram:ParentLineID>1</ram:ParentLineID><ram:LineStatusReasonCode>${child}</ram:LineStatusReasonCode>`)(line));
    return line;
  });
};
fxextCases.push(['BR-FXEXT-08', () => grouped('DETAIL')]);
fxextCases.push(['BR-FXEXT-12', () => grouped('GROUP', (l) => l.replace(/<ram:SpecifiedTradeSettlementLineMonetarySummation>[\s\S]*?<\/ram:SpecifiedTradeSettlementLineMonetarySummation>/, ''))]);

test('the unmodified EXTENDED sample fires no BR-FXEXT rule, fatal or warning', () => {
  assert.deepEqual(extFindings(extended).filter((f) => f.rule.startsWith('BR-FXEXT')), []);
});

for (const [rule, make] of fxextCases) {
  test(`EXTENDED business rule ${rule} fires on its case: ${FACTURX_TEXTS[rule].message.slice(0, 90)}…`, () => {
    const f = extFindings(make()).filter((x) => x.rule === rule);
    assert.ok(f.length >= 1, extFindings(make()).map((x) => x.rule).join(' '));
    assert.equal(f[0].flag, rule === 'BR-FXEXT-04' ? 'warning' : 'fatal');
    assert.equal(f[0].message, FACTURX_TEXTS[rule].message);
  });
}

test('BR-FXEXT sums: a rounding tolerance of 0.01 per amount summed, in exact decimals', () => {
  const fired = (xml: string, rule: string) => extFindings(xml).some((f) => f.rule === rule);
  // BT-106 against 3 line amounts: 0.03 is tolerated, 0.04 is not.
  assert.ok(!fired(amount('LineTotalAmount', '95.00', '95.03'), 'BR-FXEXT-CO-10'));
  assert.ok(fired(amount('LineTotalAmount', '95.00', '95.04'), 'BR-FXEXT-CO-10'));
  // BT-109 against 3 lines + 4 allowances + 4 charges: 0.11 tolerated, 0.12 not.
  assert.ok(!fired(amount('TaxBasisTotalAmount', '100.00', '100.11'), 'BR-FXEXT-CO-13'));
  // The S 20 % breakdown gathers 1 line, 3 allowances, 2 charges: 0.06 tolerated, 0.07 not.
  assert.ok(!fired(amount('BasisAmount', '11.00', '11.06'), 'BR-FXEXT-S08b'));
  assert.ok(fired(amount('BasisAmount', '11.00', '11.07'), 'BR-FXEXT-S08b'));
  // BT-117 of that breakdown: 20 % of 11.00 is 2.20, 6 amounts allow 0.06.
  assert.ok(!fired(amount('CalculatedAmount', '2.20', '2.26'), 'BR-FXEXT-S-09b'));
  // The EN 16931 sums are not the EXTENDED ones: BR-CO-10 is not reported on an EXTENDED invoice.
  assert.ok(!fired(amount('LineTotalAmount', '95.00', '95.04'), 'BR-CO-10'));
});

test('BR-FXEXT sums count logistics service fees (BT-X-272) as charges', () => {
  const withFee = extEdited('<ram:SpecifiedTradePaymentTerms>', FEE('5.00'))
    .replace('<ram:ChargeTotalAmount>14.00<', '<ram:ChargeTotalAmount>19.00<')
    .replace('<ram:BasisAmount>11.00<', '<ram:BasisAmount>16.00<')
    .replace('<ram:CalculatedAmount>2.20<', '<ram:CalculatedAmount>3.20<')
    .replace('<ram:TaxBasisTotalAmount>100.00<', '<ram:TaxBasisTotalAmount>105.00<')
    .replace('<ram:TaxTotalAmount currencyID="EUR">4.90<', '<ram:TaxTotalAmount currencyID="EUR">5.90<')
    .replace('<ram:GrandTotalAmount>104.90<', '<ram:GrandTotalAmount>110.90<')
    .replace('<ram:DuePayableAmount>104.90<', '<ram:DuePayableAmount>110.90<');
  assert.deepEqual(extFindings(withFee).filter((f) => f.rule.startsWith('BR-FXEXT')).map((f) => f.rule), []);
});

test('BR-FXEXT lines: a GROUP subtotal line is left out of the sums and needs no quantity, price or VAT', () => {
  // A GROUP line G over the three lines (60 + 28 + 7 = 95), with no quantity, price or VAT of its own.
  const group =
    '<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>G</ram:LineID><ram:LineStatusReasonCode>GROUP</ram:LineStatusReasonCode></ram:AssociatedDocumentLineDocument><ram:SpecifiedTradeProduct><ram:Name>LOT</ram:Name></ram:SpecifiedTradeProduct><ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>95.00</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>';
  let i = 0;
  const xml = extended
    .replace(LINE_BLOCK, (line) => status(String(++i), '<ram:ParentLineID>G</ram:ParentLineID><ram:LineStatusReasonCode>DETAIL</ram:LineStatusReasonCode>')(line))
    .replace('<rsm:SupplyChainTradeTransaction>', `<rsm:SupplyChainTradeTransaction>${group}`);
  assert.equal(i, 3);
  assert.deepEqual(extFindings(xml).filter((f) => f.rule.startsWith('BR-FXEXT') || f.rule === 'BR-22').map((f) => f.rule), []);
  // The same subtotal wrong by 1.00 is refused.
  const subtotal = '<ram:LineTotalAmount>95.00</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>';
  const wrong = xml.replace(subtotal, subtotal.replace('95.00', '96.00'));
  assert.notEqual(wrong, xml);
  assert.ok(extFindings(wrong).some((f) => f.rule === 'BR-FXEXT-08'));
});

test('BR-FXEXT -08 variants: a line whose exemption reason differs from its breakdown only warns (-08rev)', () => {
  const f = extFindings(extLine(0, (l) => l.replace('<ram:ExemptionReason>DEBOURS</ram:ExemptionReason>', '<ram:ExemptionReason>FRAIS</ram:ExemptionReason>'))).filter((x) => x.rule.startsWith('BR-FXEXT'));
  assert.deepEqual(f.map((x) => [x.rule, x.flag]), [['BR-FXEXT-E-08rev', 'warning']]);
  const g = extFindings(amount('BasisAmount', '60.00', '61.00')).filter((x) => x.rule.startsWith('BR-FXEXT-E-'));
  assert.deepEqual(g.map((x) => [x.rule, x.flag]), [['BR-FXEXT-E-08b', 'fatal'], ['BR-FXEXT-E-08ini', 'warning'], ['BR-FXEXT-E-08rev', 'warning']]);
});

test('EXTENDED embeds the EN 16931 rules its Schematron still carries, not those BR-FXEXT replaces', () => {
  for (const id of ['BR-CO-10', 'BR-CO-13', 'BR-CO-15', 'BR-CO-16', 'BR-22', 'BR-26', 'BR-CO-04', 'BR-38', 'BR-44', 'BR-S-08', 'BR-S-09', 'BR-E-08', 'BR-S-10', 'BR-O-11']) assert.equal(embeds('EXTENDED', id), false, id);
  for (const id of ['BR-16', 'BR-21', 'BR-25', 'BR-CO-14', 'BR-CO-25', 'BR-IC-11', 'BR-E-10', 'BR-DEC-23', 'BR-S-05']) assert.equal(embeds('EXTENDED', id), true, id);
});

// EXTENDED value lists where the other profiles' checks (rules.ts) use a common list: EXTENDED uses its own lists and
// messages, by variant; the other profiles report as before.
const extRules = (xml: string) => extFindings(xml).filter((f) => !f.rule.startsWith('FX-SCH-NOT-USED:'));
const extMessages = (xml: string) => extRules(xml).map((f) => FACTURX_TEXTS[f.rule].message);
const BUYER_GLOBAL_ID = '<ram:GlobalID schemeID="0088">3654789851</ram:GlobalID>';

test('EXTENDED party GlobalID schemes: list 11 (BY and SE beyond ISO 6523), FX-SCH-A-000031 otherwise', () => {
  assert.deepEqual(extRules(extEdited(BUYER_GLOBAL_ID, BUYER_GLOBAL_ID.replace('0088', 'BY'))), []);
  assert.deepEqual(extRules(extEdited(BUYER_GLOBAL_ID, BUYER_GLOBAL_ID.replace('0088', 'SE'))), []);
  const bad = extRules(extEdited(BUYER_GLOBAL_ID, BUYER_GLOBAL_ID.replace('0088', 'XX')));
  assert.deepEqual(bad.map((f) => [f.rule, f.location.endsWith('/ram:BuyerTradeParty[1]/ram:GlobalID[1]/@schemeID')]), [['FX-SCH-A-000031', true]]);
  assert.equal(FACTURX_TEXTS['FX-SCH-A-000031'].message, "Value of '@schemeID' is not allowed.");
  // The EN 16931 profile keeps the ISO 6523 list, without BY.
  const en = en16931.replace('<ram:SellerTradeParty>', '<ram:SellerTradeParty><ram:GlobalID schemeID="BY">1</ram:GlobalID>');
  assert.notEqual(en, en16931);
  assert.ok(fired(en).includes('FX-SCH-A-000031'));
});

test('EXTENDED included products GlobalID schemes: list 14 (no 0245…0248), while the product itself keeps list 8', () => {
  const product = '<ram:GlobalID schemeID="0160">598785412598745</ram:GlobalID>';
  const included = (scheme: string) => extEdited(product, `${product}<ram:IncludedReferencedProduct><ram:GlobalID schemeID="${scheme}">1</ram:GlobalID><ram:Name>PIECE</ram:Name></ram:IncludedReferencedProduct>`);
  assert.deepEqual(extRules(included('0088')), []);
  assert.deepEqual(extRules(included('0245')).map((f) => f.rule), ['FX-SCH-A-000031']);
  assert.deepEqual(extRules(extEdited(product, product.replace('0160', '0245'))), []);
});

test('EXTENDED charge reason codes: UNTDID 7161 without @listID, the 5153 list of the level with listID 5153, each its message', () => {
  const header = '<ram:ReasonCode>ADR</ram:ReasonCode>';
  const line = '<ram:ReasonCode>ADL</ram:ReasonCode>';
  // Valid codes: no finding.
  assert.deepEqual(extRules(extEdited(header, '<ram:ReasonCode listID="5153">AAA</ram:ReasonCode>')), []);
  assert.deepEqual(extRules(extEdited(line, '<ram:ReasonCode listID="5153">VAT</ram:ReasonCode>')), []);
  // VAT is in the line's 5153 list (30), not in the document level's (47).
  assert.deepEqual(extMessages(extEdited(header, '<ram:ReasonCode listID="5153">VAT</ram:ReasonCode>')), [`Value of 'ram:ReasonCode[@listID="5153"]' is not allowed.`]);
  assert.deepEqual(extMessages(extEdited(header, '<ram:ReasonCode>VAT</ram:ReasonCode>')), [`Value of 'ram:ReasonCode[not (@listID)]' is not allowed.`]);
  assert.deepEqual(extMessages(extEdited(line, '<ram:ReasonCode>QQQ</ram:ReasonCode>')), [`Value of 'ram:ReasonCode[not (@listID)]' is not allowed.`]);
  // An allowance's code keeps the message of FX-SCH-A-000186, against EXTENDED's list 45.
  assert.deepEqual(extRules(extEdited('<ram:ReasonCode>95</ram:ReasonCode>', '<ram:ReasonCode>999</ram:ReasonCode>')).map((f) => f.rule), ['FX-SCH-A-000186']);
  // The EN 16931 profile checks a line charge's code by listID too, under its 1.09.2 id (its structural table).
  const en = en16931.replace('<ram:ReasonCode>ADL</ram:ReasonCode>', '<ram:ReasonCode>QQQ</ram:ReasonCode>');
  assert.notEqual(en, en16931);
  assert.ok(fired(en).includes('FX-SCH-A-000624') && !fired(en).includes('FX-SCH-A-000186'));
});

test('EXTENDED BT-110 / BT-111: the currency checked per variant (lists 49, 50); a total in another currency is only the variant not used', () => {
  const total = '<ram:TaxTotalAmount currencyID="EUR">4.90</ram:TaxTotalAmount>';
  const other = extFindings(extEdited(total, total.replace('EUR', 'XYZ')));
  assert.ok(!other.some((f) => f.rule === 'FX-SCH-A-000045'));
  assert.deepEqual(other.filter((f) => f.rule === 'FX-SCH-NOT-USED:TaxTotalAmount-variant').map((f) => f.flag), ['warning']);
  const inXyz = extEdited(total, total.replace('EUR', 'XYZ')).replace('<ram:InvoiceCurrencyCode>EUR<', '<ram:InvoiceCurrencyCode>XYZ<');
  assert.ok(extRules(inXyz).some((f) => f.rule === 'FX-SCH-A-000045' && f.location.includes('HeaderMonetarySummation')));
});

test('EXTENDED line totals BT-110 / BT-111 by currency: once each (messages with absolute paths), currency lists 31 and 32', () => {
  const lineTotal = '<ram:LineTotalAmount>60.00</ram:LineTotalAmount>';
  const withTotals = (...totals: string[]) => extLine(0, (l) => l.replace(lineTotal, lineTotal + totals.map((c) => `<ram:TaxTotalAmount currencyID="${c}">1.00</ram:TaxTotalAmount>`).join('')));
  assert.deepEqual(extFindings(withTotals('EUR')), []);
  const twice = extRules(withTotals('EUR', 'EUR'));
  assert.deepEqual(twice.map((f) => f.rule), ['FX-SCH-EXT:max:LineTaxTotalAmount-InvoiceCurrencyCode']);
  assert.equal(
    FACTURX_TEXTS[twice[0].rule].message,
    "Element variant 'ram:TaxTotalAmount[@currencyID=/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode]' may occur at maximum 1 times.",
  );
  // In the VAT accounting currency (BT-6): once.
  const usd = (xml: string) => xml.replace('<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>', '<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode><ram:TaxCurrencyCode>USD</ram:TaxCurrencyCode>');
  assert.deepEqual(extRules(usd(withTotals('EUR', 'USD'))).filter((f) => f.rule.includes('LineTaxTotalAmount')), []);
  const lineVariants = (xml: string) => extRules(xml).filter((f) => f.rule.startsWith('FX-SCH-EXT:') || f.rule.startsWith('FX-SCH-A-')).map((f) => f.rule);
  assert.deepEqual(lineVariants(usd(withTotals('USD', 'USD'))), ['FX-SCH-EXT:max:LineTaxTotalAmount-TaxCurrencyCode']);
  // Another currency: the variant not used (a warning).
  assert.deepEqual(extFindings(withTotals('USD')).map((f) => [f.rule, f.flag]), [['FX-SCH-NOT-USED:LineTaxTotalAmount-variant', 'warning']]);
  // The currency of each variant in its list.
  const xyz = withTotals('XYZ').replace('<ram:InvoiceCurrencyCode>EUR<', '<ram:InvoiceCurrencyCode>XYZ<');
  assert.ok(extRules(xyz).some((f) => f.rule === 'FX-SCH-A-000045' && f.location.includes('LineMonetarySummation')));
});

test('EXTENDED VAT breakdown with two rates: a clear finding, not an approximation of the -08 / S-09b rules', () => {
  const basis = '<ram:BasisAmount>11.00</ram:BasisAmount>';
  const twoRates = extRules(extEdited(basis, `${basis}<ram:RateApplicablePercent>10.00</ram:RateApplicablePercent>`));
  assert.deepEqual(twoRates.map((f) => [f.rule, f.flag]), [['FX-SCH-EXT:max:ram:RateApplicablePercent', 'fatal']]);
  assert.equal(FACTURX_TEXTS['FX-SCH-EXT:max:ram:RateApplicablePercent'].message, "Element 'ram:RateApplicablePercent' may occur at maximum 1 times.");
  // The E breakdown (basis 60.00) with a second exemption reason.
  const eBasis = '<ram:BasisAmount>60.00</ram:BasisAmount>';
  const twoReasons = extEdited(eBasis, `${eBasis}<ram:ExemptionReason>AUTRE</ram:ExemptionReason>`);
  assert.deepEqual(extRules(twoReasons).map((f) => f.rule), ['FX-SCH-EXT:max:ram:ExemptionReason']);
  // One rate (the sample): the -08 rules are evaluated, and a wrong basis still fails them.
  assert.deepEqual(extRules(extended), []);
  assert.ok(extRules(amount('BasisAmount', '11.00', '12.00')).some((f) => f.rule === 'BR-FXEXT-S08b'));
});
