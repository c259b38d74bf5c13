import { detectProfile, detectSyntax } from '../formats/detect.ts';
import { FormatError } from '../formats/errors.ts';
import { readInvoiceXml, type ReadResult } from '../formats/read.ts';
import { DEFAULT_XML_LIMITS, decodeXml, type XmlLimits } from '../formats/xml/safe-parse.ts';
import { readCii } from '../formats/cii/read.ts';
import { readUbl } from '../formats/ubl/read.ts';
import { parsedOfTree } from './model-from-tree.ts';
import { XmlParseError, parseXml, type ParseNotes } from './xml/parse.ts';
import type { XmlDocument } from './xml/tree.ts';

const PARSE_MESSAGES: Record<string, string> = {
  XML_ENTITY_FORBIDDEN: 'entité non définie (seules &amp;, &lt;, &gt;, &quot;, &apos; et les références numériques sont admises)',
  XML_UNDECLARED_PREFIX: "préfixe d'espace de noms non déclaré",
  XML_TOO_DEEP: "trop de niveaux d'éléments imbriqués",
};

/** A plain XML declaration; any other is left to readInvoiceXml's parser to judge. */
const DECLARATION = /^<\?xml\s+version\s*=\s*(["'])[^"'<>?]*\1(\s+encoding\s*=\s*(["'])[^"'<>?]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>/;

/**
 * An invoice XML parsed once for everything: the validator's tree, which the rule sets run on, and the EN 16931
 * model read from that tree, equal to readInvoiceXml's (test/validation/parse-invoice.test.ts). A document is
 * refused as readInvoiceXml refuses it, with the same FormatError; a document readInvoiceXml reads but the
 * validator's stricter parser refuses (an undeclared prefix or entity) is refused as XML_MALFORMED.
 */
export function parseInvoiceXml(input: Uint8Array | string, limits: XmlLimits = DEFAULT_XML_LIMITS): { read: ReadResult; tree: XmlDocument } {
  const { tree } = parseInvoiceTree(input, limits);
  return { read: readInvoiceTree(tree), tree };
}

/**
 * The first half of parseInvoiceXml: the decoded text and the validator's tree, refused as parseInvoiceXml refuses
 * them, without reading the EN 16931 model yet (a structured deposit runs the XSD in between). `utf8`: the input's
 * bytes when they are the text's UTF-8 as is (decodeXml), for the XSD check to read without encoding the text again.
 */
export function parseInvoiceTree(input: Uint8Array | string, limits: XmlLimits = DEFAULT_XML_LIMITS): { text: string; utf8: Uint8Array | null; tree: XmlDocument } {
  const { text, utf8 } = decodeXml(input, limits);
  // What readInvoiceXml refuses and the validator's parser lets pass, noted by the parser: a DOCTYPE or ENTITY
  // anywhere (comments and CDATA included), an XML declaration elsewhere than at the start, a name that would
  // pollute JavaScript objects; and an unusual XML declaration. Its parser judges those.
  const notes: ParseNotes = { dtdMarkup: false, lateDeclaration: false, reservedName: false };
  let tree: XmlDocument;
  try {
    tree = parseXml(text, { maxLength: limits.maxBytes, maxDepth: limits.maxDepth, maxElements: limits.maxElements }, notes);
  } catch (err) {
    if (!(err instanceof XmlParseError)) throw err;
    // The refusal readInvoiceXml gives (its messages locate the fault), else one of the validator's parser.
    readInvoiceXml(text, limits);
    throw new FormatError('XML_MALFORMED', `XML mal formé (caractère ${err.offset + 1}) : ${PARSE_MESSAGES[err.code] ?? 'balise ou attribut incorrect'}.`);
  }
  if (notes.dtdMarkup || notes.lateDeclaration || notes.reservedName || (text.startsWith('<?xml') && !DECLARATION.test(text))) readInvoiceXml(text, limits);
  return { text, utf8, tree };
}

/** The second half of parseInvoiceXml: the EN 16931 model read from the tree (FormatError when it is not an invoice). */
export function readInvoiceTree(tree: XmlDocument): ReadResult {
  const parsed = parsedOfTree(tree);
  const { syntax, kind } = detectSyntax(parsed);
  const invoice = syntax === 'UBL' ? readUbl(parsed.root) : readCii(parsed.root);
  return { syntax, kind, profile: detectProfile(invoice.specificationIdentifier), invoice };
}
