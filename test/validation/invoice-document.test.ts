import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateInvoiceDocument, validateInvoiceDocuments, XsdValidator } from '../../src/validation/index.ts';
import { FIXTURES } from './agreement-harness.ts';

/** The entry point for deposits and ingested flows: bytes in, syntax + profile + model + findings out. */

const sample = (p: string) => readFileSync(path.join(FIXTURES, 'samples', p));
const ubl = sample('cen-en16931/ubl/examples/ubl-tc434-example1.xml');

test('a UBL invoice: syntax, profile, the model and the EN 16931 verdict', async () => {
  const r = await validateInvoiceDocument(ubl);
  assert.equal(r.readable, true);
  assert.equal(r.container, 'xml');
  assert.equal(r.syntax, 'ubl');
  assert.equal(r.profile, 'EN16931');
  assert.equal(r.model?.number, '12115118');
  assert.deepEqual(r.ruleSets, ['en16931']);
  assert.equal(r.valid, true);
  assert.deepEqual(r.findings, []);
});

test('a Factur-X PDF: the embedded XML is validated; MINIMUM is not checked against EN 16931', async () => {
  const en = await validateInvoiceDocument(sample('akretion-factur-x/invoice_EN16931.pdf'));
  assert.equal(en.container, 'pdf');
  assert.equal(en.attachmentName, 'factur-x.xml');
  assert.equal(en.syntax, 'cii');
  assert.deepEqual(en.ruleSets, ['en16931', 'facturx']);
  assert.equal(en.valid, true);
  const min = await validateInvoiceDocument(sample('zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf'), { ruleSets: ['en16931'] });
  assert.equal(min.profile, 'MINIMUM');
  assert.deepEqual(min.ruleSets, []);
  assert.equal(min.valid, true);
  const minFx = await validateInvoiceDocument(sample('zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf'));
  assert.deepEqual(minFx.ruleSets, ['facturx']);
  // As the official verdict: no failed assertion; the Schematron's "not used" reports come as warnings only.
  assert.equal(minFx.valid, true);
  assert.deepEqual(minFx.findings.filter((f) => !f.rule.startsWith('FX-SCH-NOT-USED:')), []);
  assert.ok(minFx.findings.every((f) => f.flag === 'warning'));
  // A BASIC invoice whose BT-24 is not the one of Factur-X 1.0 BASIC: the Factur-X rules say so.
  const basic = await validateInvoiceDocument(sample('zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Avoir_FR_type381_BASIC.pdf'), { ruleSets: ['facturx'] });
  const asserted = basic.findings.filter((f) => !f.rule.startsWith('FX-SCH-NOT-USED:'));
  assert.deepEqual([...new Set(asserted.map((f) => f.rule))].sort(), ['FX-SCH-A-000026', 'PEPPOL-EN16931-R008']);
});

test('bad input never throws: it comes back unreadable with a stable code and a French message', async () => {
  const cases: [string, Uint8Array, string][] = [
    ['malformed', Buffer.from('<Invoice><cbc:ID>1</Invoice>'), 'XML_'],
    ['doctype', Buffer.from('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'), 'XML_DOCTYPE_FORBIDDEN'],
    ['not an invoice', Buffer.from('<Order xmlns="urn:x"/>'), 'NOT_AN_INVOICE'],
    ['truncated PDF', Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n'), 'PDF_MALFORMED'],
    ['empty', new Uint8Array(0), ''],
  ];
  for (const [name, bytes, code] of cases) {
    const r = await validateInvoiceDocument(bytes);
    assert.equal(r.readable, false, name);
    assert.equal(r.valid, false, name);
    assert.ok(r.error && r.error.code.startsWith(code), `${name}: ${r.error?.code}`);
    assert.ok(r.error.message.length > 0);
  }
});

test('XSD on several documents: a schema error becomes a fatal XSD finding', async () => {
  const xsd = XsdValidator.load(path.join(FIXTURES, 'artefacts'));
  const bad = Buffer.from(ubl.toString('utf8').replace('<cbc:IssueDate>', '<cbc:Inconnu>x</cbc:Inconnu><cbc:IssueDate>'));
  const [ok, ko] = await validateInvoiceDocuments([ubl, bad], { xsd });
  assert.equal(ok.xsdValid, true);
  assert.equal(ok.valid, true);
  assert.equal(ko.xsdValid, false);
  assert.equal(ko.valid, false);
  assert.equal(ko.findings[0].rule, 'XSD');
  assert.match(ko.findings[0].messageFr, /^Non conforme au schéma XSD UBL 2\.1 Invoice : Élément inattendu cbc:Inconnu à la ligne \d+ \(attendu : cbc:CopyIndicator, cbc:UUID, cbc:IssueDate\)\. \(message du validateur : \d+: Schemas validity error : Element '\{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\}Inconnu': This element is not expected\./);
});

// With an XSD validator, a document the schema accepts is parsed once, by libxml2, for its XSD and its rules
// (xsdCheckedTree): the answer must be the one the whole way gives (the same model, findings and places).
test('XSD on: an invoice the schema accepts gets the answer it gets without the XSD, xsdValid besides', async () => {
  const xsd = XsdValidator.load(path.join(FIXTURES, 'artefacts'));
  const dirs = ['cen-en16931/ubl/examples', 'cen-en16931/cii/examples'];
  const files = dirs.flatMap((d) => readdirSync(path.join(FIXTURES, 'samples', d)).filter((f) => f.endsWith('.xml')).map((f) => `${d}/${f}`));
  files.push('akretion-factur-x/invoice_EN16931.pdf', 'zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Avoir_FR_type381_BASIC.pdf');
  let accepted = 0;
  let withFindings = 0;
  for (const file of files) {
    const bytes = sample(file);
    const { xsdValid, ...checked } = await validateInvoiceDocument(bytes, { xsd });
    if (!xsdValid) continue;
    accepted++;
    if (checked.findings.length) withFindings++;
    assert.deepEqual(checked, await validateInvoiceDocument(bytes), file);
  }
  assert.equal(accepted, files.length, 'every one accepted by its schema');
  assert.ok(withFindings >= 5, `${withFindings} of them with findings`);
});
