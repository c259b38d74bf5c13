import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_XML_LIMITS, extractInvoiceFromPdf, generateFacturx, readInvoiceXml, writeCii, writeUbl } from '../../src/formats/index.ts';
import { decodeXml } from '../../src/formats/xml/safe-parse.ts';
import { withParsedDocument } from '../../src/formats/xml/xsd-schema.ts';
import { parseXml, type ParseNotes } from '../../src/validation/xml/parse.ts';
import { treeOfLibxml2 } from '../../src/validation/xml/libxml2-tree.ts';
import type { XmlDocument, XmlElement } from '../../src/validation/xml/tree.ts';
import { libxml2TreeApplies, xsdCheckedTree } from '../../src/validation/xsd-checked-tree.ts';
import { findArtefactsDir, schemaFor, sharedXsdValidator } from '../../src/validation/index.ts';
import { FIXTURES } from './agreement-harness.ts';

const LIMITS = { maxLength: DEFAULT_XML_LIMITS.maxBytes, maxDepth: DEFAULT_XML_LIMITS.maxDepth, maxElements: DEFAULT_XML_LIMITS.maxElements };

/** libxml2's tree of a document as xsdCheckedTree reads it, or why there is none. */
async function libxml2Tree(input: Uint8Array | string): Promise<XmlDocument | 'not applicable' | 'not parsed' | 'left to parseXml'> {
  const { text, utf8 } = decodeXml(input, DEFAULT_XML_LIMITS);
  const bytes = utf8 ?? Buffer.from(text, 'utf8');
  if (!libxml2TreeApplies(bytes)) return 'not applicable';
  return withParsedDocument(bytes, async (doc) => (doc ? (treeOfLibxml2(doc.memory, doc.ptr, doc.dictionary, DEFAULT_XML_LIMITS) ?? 'left to parseXml') : 'not parsed'));
}

/** parseXml's tree of the document as parseInvoiceTree builds it, and what it noted. */
function parseXmlTree(input: Uint8Array | string): { tree: XmlDocument; notes: ParseNotes } {
  const notes: ParseNotes = { dtdMarkup: false, lateDeclaration: false, reservedName: false };
  return { tree: parseXml(decodeXml(input, DEFAULT_XML_LIMITS).text, LIMITS, notes), notes };
}

/** Every field of every element, in document order, the links between them, the byName index and attributeNames. */
function assertSameTree(actual: XmlDocument, expected: XmlDocument, name: string): void {
  assert.equal(actual.all.length, expected.all.length, `${name}: element count`);
  const order = (e: XmlElement | null) => (e === null ? null : e.order);
  for (let i = 0; i < expected.all.length; i++) {
    const a = actual.all[i]!;
    const e = expected.all[i]!;
    const at = `${name}: element ${i} ${e.qname}`;
    assert.equal(a.order, i, at);
    assert.equal(a.ns, e.ns, at);
    assert.equal(a.local, e.local, at);
    assert.equal(a.qname, e.qname, at);
    assert.equal(a.text, e.text, at);
    assert.deepEqual(a.attrs, e.attrs, at);
    assert.equal(order(a.parent), order(e.parent), at);
    assert.deepEqual(a.children.map(order), e.children.map(order), at);
    for (const c of a.children) assert.equal(c.parent, a, at);
    assert.deepEqual(Object.keys(a).sort(), Object.keys(e).sort(), at);
  }
  assert.equal(actual.root, actual.all[0], name);
  assert.deepEqual([...actual.byName.keys()], [...expected.byName.keys()], `${name}: byName`);
  for (const [k, list] of expected.byName) assert.deepEqual(actual.byName.get(k)!.map(order), list.map(order), `${name}: byName ${k}`);
  assert.deepEqual([...actual.attributeNames!], [...expected.attributeNames!], `${name}: attributeNames`);
}

/** Compares the two trees when libxml2's applies (parseXml must then read the document, and note nothing). */
async function compare(input: Uint8Array | string, name: string): Promise<string> {
  const mine = await libxml2Tree(input);
  if (typeof mine === 'string') return mine;
  const { tree, notes } = parseXmlTree(input);
  assert.deepEqual(notes, { dtdMarkup: false, lateDeclaration: false, reservedName: false }, name);
  assertSameTree(mine, tree, name);
  return 'same';
}

function xmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(xml|pdf)$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

test('libxml2 tree: the tree parseXml builds, on every invoice fixture (UBL, CII, Factur-X)', async () => {
  const counts: Record<string, number> = {};
  for (const file of xmlFiles(path.join(FIXTURES, 'samples'))) {
    let input: Uint8Array = readFileSync(file);
    if (file.toLowerCase().endsWith('.pdf')) {
      try {
        input = (await extractInvoiceFromPdf(input)).xml;
      } catch {
        continue;
      }
    }
    let outcome: string;
    try {
      outcome = await compare(input, path.relative(FIXTURES, file));
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      outcome = 'refused before';
    }
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  assert.ok((counts.same ?? 0) > 250, JSON.stringify(counts));
});

/** Invoices written as bench:ingest writes them (our UBL and CII writers, the Factur-X generator), from the akretion example. */
async function writtenInvoices(): Promise<Array<[string, Uint8Array]>> {
  const base = readInvoiceXml(readFileSync(path.join(FIXTURES, 'samples/akretion-factur-x/factur-x-en16931.xml'))).invoice;
  const out: Array<[string, Uint8Array]> = [];
  for (let k = 0; k < 20; k++) {
    const inv = structuredClone(base);
    inv.number = `BENCH-${String(k).padStart(6, '0')}`;
    inv.issueDate = `2026-11-${String(1 + k).padStart(2, '0')}`;
    inv.seller.identifiers = [{ id: '90100001800019', schemeId: '0009' }];
    inv.buyer.legalRegistration = { id: '12345678200051', schemeId: '0009' };
    if (k % 2) delete inv.buyerReference;
    out.push([`${inv.number}.ubl.xml`, Buffer.from(writeUbl(inv))], [`${inv.number}.cii.xml`, Buffer.from(writeCii(inv))]);
    if (k % 4 === 0) out.push([`${inv.number}.pdf`, (await extractInvoiceFromPdf(await generateFacturx(inv, { now: new Date('2026-11-27T10:00:00Z') }))).xml]);
  }
  return out;
}

test('libxml2 tree: the tree parseXml builds, on invoices written as bench:ingest writes them (UBL, CII, Factur-X)', async () => {
  let same = 0;
  for (const [name, xml] of await writtenInvoices()) {
    assert.equal(await compare(xml, name), 'same', name);
    same++;
  }
  assert.equal(same, 45);
});

const UBL = readFileSync(path.join(FIXTURES, 'samples/cen-en16931/ubl/examples/ubl-tc434-example1.xml'), 'utf8');
const CII = readFileSync(path.join(FIXTURES, 'samples/cen-en16931/cii/examples/CII_example1.xml'), 'utf8');

/** Documents altered where libxml2 and parseXml could differ, with whether libxml2's tree is to be used. */
const MUTANTS: Array<[string, string | Uint8Array, 'same' | 'not applicable' | 'not parsed']> = [
  ['comments between elements and inside a text', UBL.replace('<cbc:Note>', '<!-- a --><cbc:Note>  <!-- b -->').replace('</cbc:Note>', '<!--c-->x</cbc:Note>\n  <!-- d -->  '), 'same'],
  ['comment before the root and after it', UBL.replace('<Invoice', '<!-- head -->\n<Invoice') + '\n<!-- tail -->\n', 'same'],
  ['CDATA, blank and not, beside text and children', UBL.replace('<cbc:Note>', '<cbc:Note><![CDATA[ a < b & c ]]> ').replace('<cac:AccountingSupplierParty>', '<cac:AccountingSupplierParty><![CDATA[]]>  <![CDATA[  ]]>'), 'same'],
  ['processing instructions inside', UBL.replace('<cbc:Note>', '<?pi one?><cbc:Note>x<?pi two?> y'), 'same'],
  ['predefined entities in texts and attributes', UBL.replace('<cbc:Note>', '<cbc:Note>&lt;&gt;&amp;&apos;&quot; ').replace('currencyID="EUR"', 'currencyID="E&amp;U&quot;R&lt;"'), 'same'],
  ['blanks in values, tabs and line feeds in attributes', UBL.replace('<cbc:Note>', '<cbc:Note>  \t\n ').replace('</cbc:Note>', ' \n\t </cbc:Note>').replace('currencyID="EUR"', 'currencyID=" E\tU\nR  "'), 'same'],
  ['white space only leaves and empty elements', UBL.replace(/<cbc:Note>[^<]*<\/cbc:Note>/, '<cbc:Note>   \n  </cbc:Note><cbc:Note></cbc:Note><cbc:Note/>'), 'same'],
  ['text after children and between them', UBL.replace('<cac:AccountingSupplierParty>', '<cac:AccountingSupplierParty>before ').replace('</cac:AccountingSupplierParty>', ' after </cac:AccountingSupplierParty>'), 'same'],
  ['xml:lang and other namespaces, a prefix declared again, a default namespace changed', UBL.replace('<cbc:Note>', '<cbc:Note xml:lang="fr" xmlns:x="urn:x" x:a="1" b="2">').replace('<cac:AccountingSupplierParty>', '<cac:AccountingSupplierParty xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:c="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><c:Note xmlns="urn:other"><Inner/></c:Note>'), 'same'],
  ['non-ASCII names and texts', UBL.replace('<cbc:Note>', '<cbc:Note été="ça">Ünïcødé € 𝄞 ').replace('</cbc:Note>', '<émoji>😀</émoji></cbc:Note>'), 'same'],
  ['byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(UBL)]), 'same'],
  ['ISO-8859-1', Buffer.from(UBL.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="ISO-8859-1"?>').replace('<cbc:Note>', '<cbc:Note>é'), 'latin1'), 'same'],
  ['no XML declaration', UBL.replace(/^<\?xml[^>]*\?>\s*/, ''), 'same'],
  ['the CII example', CII, 'same'],
  ['CII with comments and CDATA', CII.replace(/<ram:Content>/g, '<ram:Content><![CDATA[x]]><!--c-->'), 'same'],
  ['CR LF line ends', UBL.replace(/\n/g, '\r\n'), 'not applicable'],
  ['a carriage return in a value', UBL.replace('<cbc:Note>', '<cbc:Note>a\rb'), 'not applicable'],
  ['character references', UBL.replace('<cbc:Note>', '<cbc:Note>&#x41;&#32;'), 'not applicable'],
  ['character reference in an attribute', UBL.replace('currencyID="EUR"', 'currencyID="&#69;UR"'), 'not applicable'],
  ['DOCTYPE', UBL.replace('<Invoice', '<!DOCTYPE Invoice>\n<Invoice'), 'not applicable'],
  ['doctype in a comment', UBL.replace('<cbc:Note>', '<!-- <!doctype x> --><cbc:Note>'), 'not applicable'],
  ['ENTITY in CDATA', UBL.replace('<cbc:Note>', '<cbc:Note><![CDATA[<!ENTITY x>]]>'), 'not applicable'],
  ['a late XML declaration', UBL.replace('<cbc:Note>', '<?xml-stylesheet href="x"?><cbc:Note>'), 'not applicable'],
  ['an unusual XML declaration', UBL.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="UTF-8" foo="bar"?>'), 'not applicable'],
  ['an undefined entity', UBL.replace('<cbc:Note>', '<cbc:Note>&nbsp;'), 'not parsed'],
  ['an undeclared prefix', UBL.replace('<cbc:Note>', '<cbc:Note><y:Z/>'), 'not parsed'],
  ['an empty prefix declaration', UBL.replace('<cbc:Note>', '<cbc:Note xmlns:e="">'), 'not parsed'],
];

test('libxml2 tree: the tree parseXml builds on altered documents, or parseXml reads them', async () => {
  for (const [name, xml, expected] of MUTANTS) assert.equal(await compare(xml, name), expected, name);
});

test('libxml2 tree: left to parseXml past the depth and element limits, and for reserved names', async () => {
  const deep = UBL.replace('<cbc:Note>', '<cbc:Note>' + '<a>'.repeat(40) + '</a>'.repeat(40));
  const { text } = decodeXml(deep, DEFAULT_XML_LIMITS);
  const at = (limits: { maxDepth: number; maxElements: number }) =>
    withParsedDocument(Buffer.from(text), async (doc) => treeOfLibxml2(doc!.memory, doc!.ptr, doc!.dictionary, limits));
  assert.equal(await at(DEFAULT_XML_LIMITS), null);
  assert.notEqual(await at({ maxDepth: 50, maxElements: 500_000 }), null);
  assert.equal(await at({ maxDepth: 50, maxElements: 100 }), null);
  assert.equal(await libxml2Tree(UBL.replace('<cbc:Note>', '<cbc:Note><constructor/>')), 'left to parseXml');
  assert.equal(await libxml2Tree(UBL.replace('<cbc:Note>', '<cbc:Note __proto__="1">')), 'left to parseXml');
});

const artefacts = findArtefactsDir();

test('xsdCheckedTree: the tree of a valid invoice, nothing for one the XSD refuses or of no known schema', { skip: !artefacts && 'no XSD artefacts' }, async () => {
  const xsd = sharedXsdValidator(artefacts!);
  const tree = await xsdCheckedTree(xsd, Buffer.from(UBL), schemaFor);
  assert.ok(tree);
  assertSameTree(tree, parseXmlTree(UBL).tree, 'valid UBL');
  assert.ok(await xsdCheckedTree(xsd, CII, schemaFor));
  assert.equal(await xsdCheckedTree(xsd, UBL.replace('<cbc:Note>', '<cbc:Unknown/><cbc:Note>'), schemaFor), null);
  assert.equal(await xsdCheckedTree(xsd, '<a xmlns="urn:x"/>', schemaFor), null);
  assert.equal(await xsdCheckedTree(xsd, UBL, () => null), null);
  assert.equal(await xsdCheckedTree(xsd, '<Invoice', schemaFor), null);
});

test('utf8Of: the bytes decodeXml finds to be UTF-8 as is, without decoding them', async () => {
  const { utf8Of } = await import('../../src/formats/xml/safe-parse.ts');
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const body = Buffer.from(UBL);
  const cases: Array<Uint8Array | string> = [
    body, Buffer.concat([bom, body]), Buffer.concat([bom, bom, body]), UBL, Buffer.from(UBL, 'utf16le'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(UBL, 'utf16le')]),
    Buffer.from(UBL.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="ISO-8859-1"?>'), 'latin1'),
    Buffer.from(UBL.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="us-ascii"?>')),
    Buffer.from(UBL.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="EBCDIC"?>')),
    ...[[0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xff], [0xf0, 0x9f, 0x98, 0x80]].map((bad) =>
      Buffer.concat([body.subarray(0, 200), Buffer.from(bad), body.subarray(200)])),
  ];
  for (const input of cases) {
    let expected: Uint8Array | null;
    try {
      expected = decodeXml(input, DEFAULT_XML_LIMITS).utf8;
    } catch {
      expected = null;
    }
    const actual = utf8Of(input, DEFAULT_XML_LIMITS);
    assert.deepEqual(actual && Buffer.from(actual), expected && Buffer.from(expected));
  }
  assert.equal(utf8Of(body, { ...DEFAULT_XML_LIMITS, maxBytes: 100 }), null);
});
