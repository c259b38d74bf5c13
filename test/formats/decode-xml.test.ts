import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_XML_LIMITS } from '../../src/formats/index.ts';
import { decodeXml } from '../../src/formats/xml/safe-parse.ts';

// decodeXml hands the XSD check a UTF-8 file's bytes instead of its text: they must be exactly the text's UTF-8.

const decode = (input: Uint8Array | string) => decodeXml(input, DEFAULT_XML_LIMITS);
const BOM = [0xef, 0xbb, 0xbf];

test('a UTF-8 file: its bytes after the byte order mark, the text encoded back', () => {
  for (const xml of ['<a>été €</a>', '<?xml version="1.0" encoding="utf-8"?><a>ü</a>', '<?xml version="1.0" encoding="US-ASCII"?><a/>', '<?xml version="1.0"?>\r\n<a>\u0000</a>']) {
    for (const bytes of [Buffer.from(xml), Buffer.from([...BOM, ...Buffer.from(xml)])]) {
      const { text, utf8 } = decode(bytes);
      assert.equal(text, xml);
      assert.ok(utf8);
      assert.deepEqual(Buffer.from(utf8), Buffer.from(text, 'utf8'));
    }
  }
});

test('no bytes when the text is not the file read as UTF-8: other encodings, UTF-16, a second byte order mark, a string', () => {
  const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>', 'latin1');
  assert.deepEqual(decode(latin1), { text: '<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>', utf8: null });
  assert.equal(decode(Buffer.from('<?xml version="1.0" encoding="windows-1252"?><a/>')).utf8, null);
  assert.deepEqual(decode(Buffer.from([0xff, 0xfe, ...Buffer.from('<a/>', 'utf16le')])), { text: '<a/>', utf8: null });
  assert.deepEqual(decode(Buffer.from([...BOM, ...BOM, ...Buffer.from('<a/>')])), { text: '<a/>', utf8: null });
  assert.deepEqual(decode('\ufeff<a/>'), { text: '<a/>', utf8: null });
});
