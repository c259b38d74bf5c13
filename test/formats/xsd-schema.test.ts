import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompiledSchema } from '../../src/formats/xml/xsd-schema.ts';

// The libxml2 engine on its own, without the XML reader that guards invoices before it: it must neither
// read a file nor expand entities whatever the document or the schema asks for.

const dir = mkdtempSync(path.join(os.tmpdir(), 'ouvrage-xsd-'));
const secret = path.join(dir, 'secret.txt');
writeFileSync(secret, 'SECRET');
const onDisk = path.join(dir, 'other.xsd');
writeFileSync(onDisk, '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="b" type="xs:string"/></xs:schema>');

const NON_EMPTY =
  '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a"><xs:simpleType><xs:restriction base="xs:string"><xs:minLength value="1"/></xs:restriction></xs:simpleType></xs:element></xs:schema>';

test('a compiled schema validates many documents, with libxml2 messages and lines', async () => {
  const schema = await CompiledSchema.compile([{ fileName: 'main.xsd', contents: NON_EMPTY }], 'main.xsd');
  try {
    assert.deepEqual(schema.check('<a>x</a>'), { valid: true, errors: [] });
    const empty = schema.check('<?xml version="1.0"?>\n<a></a>');
    assert.equal(empty.valid, false);
    assert.match(empty.errors[0], /^2: Schemas validity error : Element 'a': \[facet 'minLength'\]/);
    assert.deepEqual(schema.check('<a>x</a>'), { valid: true, errors: [] });
    const malformed = schema.check('<a>\n<b></c></a>');
    assert.equal(malformed.valid, false);
    assert.match(malformed.errors[0], /^2: parser error : Opening and ending tag mismatch/);
  } finally {
    schema.dispose();
  }
});

test('external entities and external DTDs are not read, entities not expanded', async () => {
  const schema = await CompiledSchema.compile([{ fileName: 'main.xsd', contents: NON_EMPTY }], 'main.xsd');
  try {
    // Were the entity read, <a> would hold "SECRET" and be valid.
    const xxe = schema.check(`<!DOCTYPE a [<!ENTITY x SYSTEM "file://${secret}">]><a>&x;</a>`);
    assert.equal(xxe.valid, false);
    assert.doesNotMatch(xxe.errors.join('\n'), /SECRET/);
    assert.equal(schema.check(`<!DOCTYPE a SYSTEM "file://${secret}"><a>x</a>`).valid, true);
    const lol = '<!DOCTYPE a [<!ENTITY l0 "lol">' + Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('') + ']><a>&l10;</a>';
    const laughs = schema.check(lol);
    assert.equal(laughs.valid, false);
    assert.match(laughs.errors[0], /parser error : Maximum entity amplification/);
    const deep = schema.check('<a>' + '<x>'.repeat(5000) + '</x>'.repeat(5000) + '</a>');
    assert.equal(deep.valid, false);
    assert.match(deep.errors[0], /parser error : Excessive depth/);
  } finally {
    schema.dispose();
  }
});

test('a schema can include only the files of its own set: no path from disk, no network', async () => {
  for (const location of [onDisk, `file://${onDisk}`, `../../../../../..${onDisk}`, 'http://127.0.0.1:9/other.xsd']) {
    const main = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="${location}"/><xs:element name="a" type="xs:string"/></xs:schema>`;
    await assert.rejects(CompiledSchema.compile([{ fileName: 'set/main.xsd', contents: main }], 'set/main.xsd'), /does not compile: .*failed to load/, location);
  }
  const main = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="../common/b.xsd"/><xs:element name="a" type="xs:string"/></xs:schema>';
  const b = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="b" type="xs:string"/></xs:schema>';
  const schema = await CompiledSchema.compile([{ fileName: 'maindoc/main.xsd', contents: main }, { fileName: 'common/b.xsd', contents: b }], 'maindoc/main.xsd');
  try {
    assert.equal(schema.check('<b>x</b>').valid, true);
  } finally {
    schema.dispose();
  }
});

test('a document checked from its UTF-8 bytes gets what its text gets, clean documents after faulty ones included', async () => {
  const schema = await CompiledSchema.compile([{ fileName: 'main.xsd', contents: NON_EMPTY }], 'main.xsd');
  try {
    const docs = [
      '<a>été €</a>', '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>é</a>', '<a>\n<b></c></a>', '<a>x</a>', '\n\n<a></a>',
      `<!DOCTYPE a [<!ENTITY x SYSTEM "file://${secret}">]><a>&x;</a>`, '<a>x</a>', '', '<a>x</a><a>y</a>', '<a>x</a>',
    ];
    const fresh = docs.map((d) => schema.check(d));
    assert.deepEqual(fresh.map((r) => r.valid), [true, true, false, true, false, false, true, false, false, true]);
    assert.match(fresh[4]!.errors[0]!, /^3: Schemas validity error : Element 'a': \[facet 'minLength'\]/);
    // The same documents again, from bytes then from text, in another order: the same results one by one.
    for (const i of [9, 2, 3, 5, 6, 7, 0, 8, 1, 4, 3]) {
      assert.deepEqual(schema.check(Buffer.from(docs[i]!, 'utf8')), fresh[i], docs[i]);
      assert.deepEqual(schema.check(docs[i]!), fresh[i], docs[i]);
    }
  } finally {
    schema.dispose();
  }
});

test('many documents in a row, more than the parser context reads before it is renewed, each checked on its own', async () => {
  const schema = await CompiledSchema.compile([{ fileName: 'main.xsd', contents: NON_EMPTY }], 'main.xsd');
  try {
    const long = (n: number) => `<a>${'x'.repeat(n)}</a>`;
    for (let i = 0; i < 60; i++) {
      assert.deepEqual(schema.check(Buffer.from(long(50_000 + i))), { valid: true, errors: [] });
      // A document with many distinct names: the names the context keeps do not leak into the next check.
      const names = `<a>${Array.from({ length: 200 }, (_, j) => `<n${i}_${j}/>`).join('')}</a>`;
      assert.equal(schema.check(names).valid, false);
    }
    assert.deepEqual(schema.check(long(3 * 1024 * 1024)), { valid: true, errors: [] });
    assert.deepEqual(schema.check('<a></a>').valid, false);
  } finally {
    schema.dispose();
  }
});

// A document is first checked without its whitespace between elements (XML_PARSE_NOBLANKS), and only a valid
// verdict is taken from that check. libxml2 then drops a whitespace run also before a comment, a CDATA section,
// a processing instruction or a carriage return, where it is part of a value: such documents keep theirs.
const BLANKS =
  '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="r"><xs:complexType><xs:sequence>' +
  '<xs:element name="d" type="xs:date" minOccurs="0"/>' +
  '<xs:element name="p" minOccurs="0"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[0-9]*\\n?"/></xs:restriction></xs:simpleType></xs:element>' +
  '<xs:element name="e" minOccurs="0"><xs:complexType/></xs:element>' +
  '<xs:element name="n" type="xs:string" nillable="true" minOccurs="0"/>' +
  '</xs:sequence></xs:complexType></xs:element></xs:schema>';

test('whitespace a value holds is kept, whatever markup or line ends surround it', async () => {
  const schema = await CompiledSchema.compile([{ fileName: 'main.xsd', contents: BLANKS }], 'main.xsd');
  const invalid = (doc: string, message: RegExp) => {
    for (const input of [doc, Buffer.from(doc)]) {
      const result = schema.check(input);
      assert.equal(result.valid, false, doc);
      assert.match(result.errors.join('\n'), message, doc);
    }
  };
  try {
    assert.deepEqual(schema.check('<r>\n  <d>2026-11-27</d>\n  <p>12</p>\n  <e/>\n</r>'), { valid: true, errors: [] });
    assert.deepEqual(schema.check('<?xml version="1.0"?>\n<r>\n\t<p>\n</p>\n</r>'), { valid: true, errors: [] });
    // Blanks before a comment, a CDATA section or a processing instruction, in a value.
    invalid('<r>\n  <p>  <!-- c --></p>\n</r>', /'  ' is not accepted by the pattern/);
    invalid('<r>\n  <p>  <![CDATA[1]]>  </p>\n</r>', /is not accepted by the pattern/);
    invalid('<r>\n  <p>  <?pi?></p>\n</r>', /'  ' is not accepted by the pattern/);
    invalid('<r>\n  <d>2026-11-27  <!-- c --></d>\n</r>', /'2026-11-27  ' is not a valid value of the atomic type 'xs:date'/);
    invalid('<r>\n  <p><!-- c -->12<!-- d -->\n  </p>\n</r>', /'12\n  ' is not accepted by the pattern/);
    invalid('<r>\n  <p>  <!-- </a --> <!-- <b/> -->  </p>\n</r>', /is not accepted by the pattern/);
    // Comments beside elements, in the prolog and after the root: nothing they change.
    assert.deepEqual(schema.check('<?xml version="1.0"?>\n<!-- made by -->\n<!-- licence -->\n<r>\n  <!-- c --><!-- d -->\n  <p>12</p>\n  <e/>\n</r>'), { valid: true, errors: [] });
    assert.deepEqual(schema.check('<?xml version="1.0"?>\n<!-- made by -->\n<r>\n  <!-- c -->\n  <p>12</p>\n  <e/><!-- e -->\n</r>\n<!-- end -->'), { valid: true, errors: [] });
    invalid('<!-- made by -->\n<r>\n  <!-- c -->\n  <p>1 2</p>\n</r>', /^4: Schemas validity error : Element 'p': \[facet 'pattern'\] The value '1 2'/);
    // Blanks before a carriage return (CR LF line ends), an empty line.
    invalid('<r>\r\n  <p> \r\n</p>\r\n</r>', /' \n' is not accepted by the pattern/);
    invalid('<r>\r\n  <p>\r\n\r\n</p>\r\n</r>', /'\n\n' is not accepted by the pattern/);
    assert.deepEqual(schema.check('<?xml version="1.0"?>\r\n<r>\r\n  <p>1\r\n</p>\r\n  <e/>\r\n</r>\r\n'), { valid: true, errors: [] });
    // Blanks beside an element child where there should be none: the same messages, one per text.
    invalid('<r>\n  <e>\n    <x/>\n  </e>\n</r>', /Character content is not allowed, because the content type is empty/);
    invalid('<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n  <n xsi:nil="true">\n    <x/>\n  </n>\n</r>', /because the element is 'nilled'/);
    invalid('<r>\n  <p>  <x/>  </p>\n</r>', /Element content is not allowed, because the type definition is simple/);
    assert.deepEqual(schema.check('<r>\n  <p>12</p>\n</r>'), { valid: true, errors: [] });
  } finally {
    schema.dispose();
  }
});
