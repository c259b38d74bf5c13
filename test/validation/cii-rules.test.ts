import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXml } from '../../src/validation/validate.ts';
import { FIXTURES } from './agreement-harness.ts';

/**
 * The CEN repository has only 9 CII unit cases: these mutations of a clean CEN example (CII_example1.xml,
 * no finding in the official run) check a rule of each CII family fires where the binding says it does.
 */
const clean = readFileSync(path.join(FIXTURES, 'samples/cen-en16931/cii/examples/CII_example1.xml'), 'utf8');
const fired = (xml: string) => new Set(validateXml(xml).findings.map((f) => f.rule));

test('the clean CII example has no finding', () => {
  assert.deepEqual([...fired(clean)], []);
});

const cases: [string, (x: string) => string, string][] = [
  ['BR-CL-04 unknown invoice currency', (x) => x.replace(/<ram:InvoiceCurrencyCode>EUR</, '<ram:InvoiceCurrencyCode>EURO<'), 'BR-CL-04'],
  ['BR-CO-10 line total that is not the sum of the lines', (x) => x.replace(/(<ram:SpecifiedTradeSettlementHeaderMonetarySummation>\s*<ram:LineTotalAmount>)([\d.]+)/, '$1999.99'), 'BR-CO-10'],
  ['BR-06 no seller name', (x) => x.replace(/(<ram:SellerTradeParty>[\s\S]*?<ram:Name>)[^<]*/, '$1'), 'BR-06'],
  ['CII-SR-002 test indicator', (x) => x.replace('<rsm:ExchangedDocumentContext>', '<rsm:ExchangedDocumentContext><ram:TestIndicator><udt:Indicator>true</udt:Indicator></ram:TestIndicator>'), 'CII-SR-002'],
  ['CII-DT-097 date not in YYYYMMDD', (x) => x.replace('format="102">20150109<', 'format="102">2015-01-09<'), 'CII-DT-097'],
  ['CII-DT-031 currency on a line amount', (x) => x.replace('<ram:LineTotalAmount>19.9<', '<ram:LineTotalAmount currencyID="EUR">19.9<'), 'CII-DT-031'],
  ['BR-S-09 VAT of the standard rate breakdown', (x) => x.replace(/(<ram:ApplicableTradeTax>\s*<ram:CalculatedAmount>)([\d.]+)/, '$1999.00'), 'BR-S-09'],
];

for (const [name, mutate, rule] of cases) {
  test(name, () => {
    const xml = mutate(clean);
    assert.notEqual(xml, clean, 'the mutation applies');
    assert.ok(fired(xml).has(rule), `${rule} fires`);
  });
}
