import { isUtf8 } from 'node:buffer';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FormatError } from '../errors.ts';

/**
 * Parsing of untrusted XML. The rules, in the order they are applied:
 * 1. size: more than `maxBytes` is refused before anything is decoded;
 * 2. encoding: UTF-8 (with or without BOM), UTF-16 with BOM, ISO-8859-1/15 and windows-1252 only;
 * 3. no DOCTYPE at all, hence no DTD, no external entity, no entity expansion (XXE, billion laughs);
 * 4. well-formedness (fast-xml-parser's validator), one root element;
 * 5. nesting depth ≤ `maxDepth` and element count ≤ `maxElements`.
 * Only the five predefined entities and character references are decoded, once.
 * Values stay strings: amounts never go through a JS number.
 */
export interface XmlLimits {
  maxBytes: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxDepth: 40,
  maxElements: 500_000,
};

/**
 * An element as the invoice readers take it: its local name (`cbc:ID` → `ID`), its attributes (namespace
 * declarations are not attributes), its children and its text as written, which the readers trim (textOf). The
 * validator's tree (validation/xml/tree.ts XmlElement) has this shape, so the readers read it as is.
 */
export interface XNode {
  readonly local: string;
  readonly attrs: readonly XAttr[];
  readonly children: readonly XNode[];
  readonly text: string;
  /** The text is read as it is: this parser's (parseXml below) is already trimmed, before its references are decoded. */
  readonly verbatim?: true;
}

export interface XAttr {
  readonly local: string;
  readonly value: string;
}

export interface ParsedXml {
  root: XNode;
  /** Namespace URI of the root element, resolved from its own xmlns declarations. */
  rootNamespace: string | undefined;
}

const parser = new XMLParser({
  preserveOrder: true,
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 1000,
});

const MB = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} Mo`;

export function decodeXmlBytes(input: Uint8Array | string, limits: XmlLimits): string {
  return decodeXml(input, limits).text;
}

/**
 * decodeXmlBytes, with the bytes the text was decoded from when they are its UTF-8 encoding as is (`utf8`: the
 * input after its byte order mark, else null): a UTF-8 file's bytes can go on to libxml2 without encoding the
 * text again.
 */
export function decodeXml(input: Uint8Array | string, limits: XmlLimits): { text: string; utf8: Uint8Array | null } {
  if (typeof input === 'string') {
    if (input.length > limits.maxBytes) throw tooLarge(input.length, limits.maxBytes);
    return { text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, utf8: null };
  }
  if (input.byteLength > limits.maxBytes) throw tooLarge(input.byteLength, limits.maxBytes);
  const b = input;
  if (b[0] === 0xff && b[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(b.subarray(2)), utf8: null };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(b.subarray(2)), utf8: null };
  const start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  const { declared, label } = encodingOf(b, start);
  if (!label) {
    throw new FormatError('XML_ENCODING_UNSUPPORTED', `Encodage de caractères non pris en charge : « ${declared} » (utilisez UTF-8).`);
  }
  const body = b.subarray(start);
  let text: string;
  try {
    text = new TextDecoder(label, { fatal: true }).decode(body);
  } catch {
    throw new FormatError('XML_MALFORMED', `Le fichier XML n'est pas un texte ${label.toUpperCase()} valide.`);
  }
  // Valid UTF-8 decodes and encodes back to the same bytes; the decoder drops a second byte order mark, though.
  const same = label === 'utf-8' && !(body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf);
  return { text, utf8: same ? body : null };
}

/** The encoding the XML declaration names (in the first bytes, ASCII in every supported encoding), and its decoder's label. */
function encodingOf(b: Uint8Array, start: number): { declared: string; label: string | null } {
  const head = Buffer.from(b.subarray(start, start + 200)).toString('latin1');
  const declared = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  const label = ['utf-8', 'utf8'].includes(declared)
    ? 'utf-8'
    : ['iso-8859-1', 'latin1', 'iso-8859-15', 'windows-1252', 'cp1252', 'us-ascii'].includes(declared)
      ? declared === 'us-ascii' ? 'utf-8' : declared
      : null;
  return { declared, label };
}

/**
 * decodeXml's `utf8` without the text: the input's bytes after its byte order mark when decodeXml would decode them
 * as UTF-8 and find them valid and its text's UTF-8 as is, checked without decoding them; null when decodeXml is
 * to judge the input (a string, too large, another encoding, invalid UTF-8, a second byte order mark).
 */
export function utf8Of(input: Uint8Array | string, limits: XmlLimits): Uint8Array | null {
  if (typeof input === 'string' || input.byteLength > limits.maxBytes) return null;
  const b = input;
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return null;
  const start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  if (encodingOf(b, start).label !== 'utf-8') return null;
  const body = b.subarray(start);
  if ((body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) || !isUtf8(body)) return null;
  return body;
}

function tooLarge(size: number, max: number) {
  return new FormatError('INPUT_TOO_LARGE', `Fichier trop volumineux (${MB(size)}) : la taille maximale est de ${MB(max)}.`);
}

const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references in one pass (no double decoding). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (all, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
    if (named) return NAMED[named];
    const cp = hex ? parseInt(hex, 16) : Number(dec);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
  });
}

type FxpNode = Record<string, unknown> & { ':@'?: Record<string, string> };

export function parseXml(input: Uint8Array | string, limits: XmlLimits = DEFAULT_XML_LIMITS): ParsedXml {
  const xml = decodeXmlBytes(input, limits);
  // Anything declaring a DTD is refused, whatever it contains: invoices never need one.
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new FormatError('XML_DOCTYPE_FORBIDDEN', 'Document refusé : les déclarations DOCTYPE et ENTITY ne sont pas autorisées dans une facture.');
  }
  checkDepthAndCount(xml, limits);
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) {
    const e = verdict.err;
    throw new FormatError('XML_MALFORMED', `XML mal formé (ligne ${e.line}, colonne ${e.col}) : ${e.msg}`);
  }
  let raw: FxpNode[];
  try {
    raw = parser.parse(xml) as FxpNode[];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reserved = /Invalid name: "([^"]+)" is a reserved/.exec(message);
    throw new FormatError(
      'XML_MALFORMED',
      reserved ? `Document refusé : nom d'élément interdit « ${reserved[1]} ».` : `XML illisible : ${message}`,
    );
  }
  const roots = raw.map(convert).filter((n): n is XNode => n !== null);
  if (roots.length !== 1) throw new FormatError('XML_MALFORMED', 'XML mal formé : un document doit avoir exactement un élément racine.');
  return { root: roots[0], rootNamespace: rootNamespaceOf(xml) };
}

/**
 * One linear pass over the markup counting open elements, so that a deeply nested or huge document is refused
 * before the parser builds anything. Comments, CDATA and processing instructions are skipped.
 */
function checkDepthAndCount(xml: string, limits: XmlLimits): void {
  let depth = 0;
  let count = 0;
  let i = xml.indexOf('<');
  while (i !== -1) {
    const c = xml.charCodeAt(i + 1);
    if (c === 33 /* ! */) {
      const end = xml.startsWith('<!--', i) ? xml.indexOf('-->', i + 4) : xml.startsWith('<![CDATA[', i) ? xml.indexOf(']]>', i + 9) : xml.indexOf('>', i);
      if (end === -1) break;
      i = xml.indexOf('<', end);
      continue;
    }
    if (c === 63 /* ? */) {
      const end = xml.indexOf('?>', i);
      if (end === -1) break;
      i = xml.indexOf('<', end);
      continue;
    }
    if (c === 47 /* / */) {
      depth--;
      i = xml.indexOf('<', i + 2);
      continue;
    }
    const end = endOfTag(xml, i);
    if (end === -1) break;
    if (xml.charCodeAt(end - 1) !== 47) {
      depth++;
      if (depth > limits.maxDepth) {
        throw new FormatError('XML_TOO_DEEP', `Document refusé : plus de ${limits.maxDepth} niveaux d'éléments imbriqués.`);
      }
    }
    if (++count > limits.maxElements) {
      throw new FormatError('XML_TOO_MANY_ELEMENTS', `Document refusé : plus de ${limits.maxElements} éléments.`);
    }
    i = xml.indexOf('<', end);
  }
}

/** Index of the '>' closing the start tag at `i`, skipping quoted attribute values. */
function endOfTag(xml: string, i: number): number {
  let quote = 0;
  for (let j = i + 1; j < xml.length; j++) {
    const c = xml.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return j;
  }
  return -1;
}

function rootNamespaceOf(xml: string): string | undefined {
  const m = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(\s[^>]*)?>/.exec(xml.replace(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g, ''));
  if (!m) return undefined;
  const prefix = m[1] ? m[1].slice(0, -1) : '';
  const attrs = m[3] ?? '';
  const re = prefix ? new RegExp(`xmlns:${prefix}\\s*=\\s*["']([^"']*)["']`) : /xmlns\s*=\s*["']([^"']*)["']/;
  const ns = re.exec(attrs)?.[1];
  return ns === undefined ? undefined : decodeEntities(ns);
}

function convert(node: FxpNode): XNode | null {
  for (const key of Object.keys(node)) {
    if (key === ':@' || key === '#text') continue;
    const attrs: XAttr[] = [];
    const a = node[':@'];
    if (a) for (const k of Object.keys(a)) if (k !== 'xmlns') attrs.push({ local: k, value: decodeEntities(String(a[k])) });
    const children: XNode[] = [];
    let text = '';
    for (const child of node[key] as FxpNode[]) {
      if ('#text' in child) text += String(child['#text']);
      else {
        const c = convert(child);
        if (c) children.push(c);
      }
    }
    return { local: key, attrs, children, text: decodeEntities(text), verbatim: true };
  }
  return null;
}
