import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml, XmlParseError } from '../../src/validation/xml/parse.ts';
import { locationOf, stringValue } from '../../src/validation/xml/tree.ts';
import { validateXml } from '../../src/validation/validate.ts';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof XmlParseError);
    return e.code;
  }
  assert.fail('no error');
};

test('an XXE document is refused before any entity is read', () => {
  const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>';
  assert.equal(code(() => parseXml(xxe)), 'XML_DOCTYPE_FORBIDDEN');
});

test('a billion-laughs document is refused (no DTD, so no entity expansion)', () => {
  const lol = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>';
  assert.equal(code(() => parseXml(lol)), 'XML_DOCTYPE_FORBIDDEN');
  assert.equal(code(() => parseXml('<l>&b;</l>')), 'XML_ENTITY_FORBIDDEN');
});

test('deep nesting, oversized input and malformed XML get a clear error', () => {
  assert.equal(code(() => parseXml('<a>'.repeat(1000) + '</a>'.repeat(1000))), 'XML_TOO_DEEP');
  assert.equal(code(() => parseXml('<a>' + 'x'.repeat(2000) + '</a>', { maxLength: 1000 })), 'XML_TOO_LARGE');
  assert.equal(code(() => parseXml('<a><b></a>')), 'XML_MALFORMED');
  assert.equal(code(() => parseXml('<p:a/>')), 'XML_UNDECLARED_PREFIX');
});

test('predefined entities, character references, CDATA and namespaces are read', () => {
  const doc = parseXml('<r xmlns="urn:x" xmlns:p="urn:p"><p:v a="1 &amp; 2">&lt;&#233;&#x41;<![CDATA[<z>]]></p:v><p:v/></r>');
  const v = doc.root.children[0];
  assert.equal(v.ns, 'urn:p');
  assert.equal(stringValue(v), '<éA<z>');
  assert.equal(v.attrs[0].value, '1 & 2');
  assert.equal(locationOf(doc.root.children[1]), '/r/p:v[2]');
});

test('a finding names the rule, its flag, the node and both messages', () => {
  const xml = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID></Invoice>`;
  const report = validateXml(xml);
  assert.equal(report.syntax, 'ubl');
  assert.equal(report.valid, false);
  const br02 = report.findings.find((f) => f.rule === 'BR-02');
  assert.ok(br02);
  assert.equal(br02.flag, 'fatal');
  assert.equal(br02.location, '/Invoice');
  assert.equal(br02.message, '[BR-02]-An Invoice shall have an Invoice number (BT-1).');
  assert.match(br02.messageFr, /numéro de facture \(BT-1\)/);
});
