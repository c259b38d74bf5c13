import { withParsedDocument } from '../formats/xml/xsd-schema.ts';
import { DEFAULT_XML_LIMITS, decodeXml, utf8Of, type XmlLimits } from '../formats/xml/safe-parse.ts';
import { treeOfLibxml2 } from './xml/libxml2-tree.ts';
import type { XmlDocument } from './xml/tree.ts';
import type { SchemaKey, XsdValidator } from './xsd.ts';

/**
 * An invoice XML parsed once for its XSD check and for the validator's tree: libxml2 parses it, the tree is read
 * from libxml2's document (treeOfLibxml2), the schema chosen on that tree, and the same document validated. The
 * tree when the document is valid; null whenever anything is to be judged or said: a document libxml2 reports
 * anything about, one invalid or of no known schema, one parseInvoiceTree would look at more closely
 * (`libxml2TreeApplies`). The caller then parses and checks it as before (parseInvoiceTree, then the XSD check),
 * for the same refusals and messages.
 */
export async function xsdCheckedTree(
  xsd: XsdValidator,
  input: Uint8Array | string,
  schemaOf: (tree: XmlDocument) => SchemaKey | null,
  limits: XmlLimits = DEFAULT_XML_LIMITS,
): Promise<XmlDocument | null> {
  let bytes = utf8Of(input, limits);
  if (!bytes) {
    try {
      const { text, utf8 } = decodeXml(input, limits);
      bytes = utf8 ?? Buffer.from(text, 'utf8');
    } catch {
      return null;
    }
  }
  if (!libxml2TreeApplies(bytes)) return null;
  return withParsedDocument(bytes, async (doc) => {
    if (!doc) return null;
    const tree = treeOfLibxml2(doc.memory, doc.ptr, doc.dictionary, limits);
    const schema = tree && schemaOf(tree);
    if (!schema) return null;
    return (await xsd.checkParsed(doc, schema)) ? tree : null;
  });
}

/** parseInvoiceTree's XML declaration (a plain one; any other sends the text to readInvoiceXml). */
const DECLARATION = /^<\?xml\s+version\s*=\s*(["'])[^"'<>?]*\1(\s+encoding\s*=\s*(["'])[^"'<>?]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>/;

/**
 * Whether libxml2's tree of these UTF-8 bytes is parseXml's, and the text nothing parseInvoiceTree judges besides
 * parseXml: no carriage return (libxml2 turns a line end into a line feed, parseXml keeps it), no character
 * reference (libxml2 accepts some parseXml refuses, and white space written as one is not white space to parseXml),
 * no `<!DOCTYPE` or `<!ENTITY` in any case (comments and CDATA included), no `<?xml` but a plain XML declaration at
 * the very start.
 */
export function libxml2TreeApplies(bytes: Uint8Array): boolean {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Searches for one byte (memchr), several times faster than for a string.
  if (b.indexOf(0x0d) !== -1) return false;
  for (let i = b.indexOf(0x26 /* & */); i !== -1; i = b.indexOf(0x26, i + 1)) if (b[i + 1] === 0x23 /* # */) return false;
  for (let i = b.indexOf(0x21 /* ! */); i !== -1; i = b.indexOf(0x21, i + 1)) {
    const d = b[i + 1]! | 0x20;
    if (b[i - 1] === 0x3c && (d === 0x64 /* d */ || d === 0x65 /* e */)) return false;
  }
  for (let i = b.indexOf(0x3f /* ? */, 2); i !== -1; i = b.indexOf(0x3f, i + 1)) {
    if (b[i - 1] === 0x3c && b[i + 1] === 0x78 && b[i + 2] === 0x6d && b[i + 3] === 0x6c) return false;
  }
  if (b[0] === 0x3c && b[1] === 0x3f) {
    const end = b.indexOf('?>');
    if (end === -1 || !DECLARATION.test(b.toString('latin1', 0, end + 2))) return false;
  }
  return true;
}
