import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readInvoiceXml, writeCii, writeUbl } from '../../src/formats/index.ts';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { schemaFor, XsdValidator } from '../../src/validation/xsd.ts';
import { xsdErrorFr } from '../../src/validation/xsd-messages-fr.ts';
import { xsdIssues } from '../../src/invoices/structured-file.ts';

/**
 * libxml2's XSD messages in French (src/validation/xsd-messages-fr.ts), on the messages libxml2 really gives for
 * broken copies of a valid invoice: each common shape, the element with its usual prefix, the line.
 */
const fixtures = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'einvoice');
const xsd = XsdValidator.load(path.join(fixtures, 'artefacts'));
after(() => xsd.dispose());
const invoice = readInvoiceXml(readFileSync(path.join(fixtures, 'samples', 'akretion-factur-x', 'factur-x-en16931.xml'))).invoice;
const ubl = writeUbl(invoice);
const cii = writeCii(invoice);

async function errorsOf(xml: string, original: string) {
  assert.notEqual(xml, original, 'the document was changed');
  const r = await xsd.check({ name: '', xml, schema: schemaFor(parseXml(xml))! });
  assert.equal(r.valid, false);
  return r.errors;
}
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

test('an unknown element and a wrong order: « Élément inattendu … à la ligne N (attendu : …) »', async () => {
  const foo = ubl.replace('<cbc:IssueDate>', '<cbc:Foo>x</cbc:Foo><cbc:IssueDate>');
  const [e] = await errorsOf(foo, ubl);
  assert.deepEqual(xsdErrorFr(e!), {
    line: lineOf(foo, '<cbc:Foo>'),
    element: 'cbc:Foo',
    message: `Élément inattendu cbc:Foo à la ligne ${lineOf(foo, '<cbc:Foo>')} (attendu : cbc:CopyIndicator, cbc:UUID, cbc:IssueDate).`,
  });
  const order = cii.replace(/(<rsm:ExchangedDocumentContext>[\s\S]*?<\/rsm:ExchangedDocumentContext>)(\s*)(<rsm:ExchangedDocument>[\s\S]*?<\/rsm:ExchangedDocument>)/, '$3$2$1');
  const [o] = await errorsOf(order, cii);
  assert.equal(xsdErrorFr(o!).message, `Élément inattendu rsm:ExchangedDocument à la ligne ${lineOf(order, '<rsm:ExchangedDocument>')} (attendu : rsm:ExchangedDocumentContext).`);
});

test('values, attributes, missing children and text: each in French, the element and line named', async () => {
  const cases: Array<[string, RegExp]> = [
    [ubl.replace(/<cbc:IssueDate>[^<]*</, '<cbc:IssueDate>27/11/2026<'), /^Valeur « 27\/11\/2026 » invalide pour l'élément cbc:IssueDate à la ligne \d+ \(attendu : une date \(AAAA-MM-JJ\)\)\.$/],
    [ubl.replace(/<cbc:PayableAmount currencyID="EUR">[^<]*</, '<cbc:PayableAmount currencyID="EUR">12,5<'), /^Valeur « 12,5 » invalide pour l'élément cbc:PayableAmount à la ligne \d+ \(attendu : une valeur conforme au type de l'élément\)\.$/],
    [ubl.replace('<cbc:PayableAmount currencyID="EUR">', '<cbc:PayableAmount>'), /^Attribut obligatoire currencyID absent de l'élément cbc:PayableAmount à la ligne \d+\.$/],
    [ubl.replace('<cbc:PayableAmount currencyID="EUR">', '<cbc:PayableAmount currencyID="EUR" foo="1">'), /^Attribut foo non autorisé sur l'élément cbc:PayableAmount à la ligne \d+\.$/],
    [ubl.replace(/<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, ''), /^Élément manquant dans Invoice à la ligne \d+ \(attendu : cac:InvoiceLine\)\.$/],
    [ubl.replace('<cac:AccountingSupplierParty>', '<cac:AccountingSupplierParty>texte'), /^Texte non autorisé directement dans l'élément cac:AccountingSupplierParty à la ligne \d+ \(il ne contient que des éléments\)\.$/],
  ];
  for (const [xml, expected] of cases) {
    const errors = await errorsOf(xml, ubl);
    assert.match(xsdErrorFr(errors[0]!).message, expected, errors[0]);
  }
});

test('a message of another shape keeps libxml2 words after a French introduction', () => {
  const fr = xsdErrorFr("7: Schemas validity error : Element '{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}Note': Some new message.");
  assert.deepEqual(fr, { line: 7, element: 'ram:Note', message: "L'élément ram:Note n'est pas conforme au schéma à la ligne 7 : Some new message." });
});

test("deposit issues: French first, libxml2's message kept; in a mixed (E2) flow a line-less UBL's missing line is no error", async () => {
  const noLines = ubl.replace(/<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, '');
  const errors = await errorsOf(noLines, ubl);
  const strict = xsdIssues('ubl-invoice', errors);
  assert.equal(strict.count, 1);
  assert.equal(strict.first, 'Élément manquant dans Invoice à la ligne 2 (attendu : cac:InvoiceLine).');
  assert.deepEqual(strict.issues, [{
    code: 'XSD_ERROR', field: 'file', rule: 'XSD', location: 'ligne 2',
    message: "Élément manquant dans Invoice à la ligne 2 (attendu : cac:InvoiceLine). (message du validateur : Element '{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice': Missing child element(s). Expected is ( {urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}InvoiceLine ).)",
  }]);
  assert.equal(xsdIssues('ubl-invoice', errors, { mixed: true }).count, 0);
  // Another error of the same file still counts in a mixed flow.
  const both = await errorsOf(noLines.replace('<cbc:IssueDate>', '<cbc:Foo>x</cbc:Foo><cbc:IssueDate>'), noLines);
  assert.equal(xsdIssues('ubl-invoice', both, { mixed: true }).count, 1);
});

test('at most 20 issues per file, the rest counted', () => {
  const many = Array.from({ length: 25 }, (_, i) => `${i + 1}: Schemas validity error : Element '{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}Note': This element is not expected.`);
  const r = xsdIssues('ubl-invoice', many);
  assert.equal(r.count, 25);
  assert.equal(r.issues.length, 21);
  assert.equal(r.issues[20]!.message, '… et 5 autres erreurs de schéma.');
  assert.equal(r.issues[0]!.message, "Élément inattendu cbc:Note à la ligne 1. (message du validateur : Element '{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}Note': This element is not expected.)");
});
