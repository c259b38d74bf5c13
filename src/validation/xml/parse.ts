import { intern, key, type XmlAttr, type XmlDocument, type XmlElement } from './tree.ts';

/**
 * A safe XML parser for invoices, in one pass, building the tree and its name index.
 *
 * Hostile input is refused rather than tolerated: no DTD at all (a DOCTYPE is an error, so there are no
 * external or internal entities and no entity expansion), only the five predefined entities and numeric
 * character references, bounded size, depth and element count. Well-formedness is checked for what the
 * rules rely on (matching tags, quoted attributes, declared prefixes); this is not a validating parser.
 */

export interface ParseLimits {
  /** Maximum input length in characters (default 20 MB). */
  maxLength?: number;
  /** Maximum element nesting depth (default 128). */
  maxDepth?: number;
  /** Maximum number of elements (default 500,000). */
  maxElements?: number;
}

export type XmlErrorCode =
  | 'XML_TOO_LARGE'
  | 'XML_DOCTYPE_FORBIDDEN'
  | 'XML_TOO_DEEP'
  | 'XML_TOO_MANY_ELEMENTS'
  | 'XML_ENTITY_FORBIDDEN'
  | 'XML_MALFORMED'
  | 'XML_UNDECLARED_PREFIX';

export class XmlParseError extends Error {
  constructor(
    readonly code: XmlErrorCode,
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (offset ${offset})`);
    this.name = 'XmlParseError';
  }
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

interface RawAttr {
  qname: string;
  value: string;
}

/** Name characters among ASCII: letters, digits, '-', '.', '_', ':'; anything non-ASCII is one too. */
const NAME_ASCII = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    t[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 58 ? 1 : 0;
  }
  return t;
})();

function isNameChar(c: number): boolean {
  return c > 127 || NAME_ASCII[c] === 1;
}

/** A name does not start with a digit, '-' or '.'. */
const isNameStart = (c: number) => !((c >= 48 && c <= 57) || c === 45 || c === 46);

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;
const WS_IN_ATTR = /[\t\n\r]/g;

function isBlank(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!isSpace(s.charCodeAt(k))) return false;
  return true;
}

const ENTITY_REF = /&([^;&\s]{0,12});?/g;

function decodeEntities(s: string, offset: number): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY_REF, (m, name: string) => {
    if (!m.endsWith(';')) throw new XmlParseError('XML_MALFORMED', 'unterminated entity reference', offset);
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw new XmlParseError('XML_MALFORMED', `invalid character reference &${name};`, offset);
      }
      return String.fromCodePoint(code);
    }
    throw new XmlParseError('XML_ENTITY_FORBIDDEN', `entity &${name}; is not allowed (no DTD)`, offset);
  });
}

export function parseXml(input: string | Uint8Array, limits: ParseLimits = {}): XmlDocument {
  const maxLength = limits.maxLength ?? 20_000_000;
  const maxDepth = limits.maxDepth ?? 128;
  const maxElements = limits.maxElements ?? 500_000;
  if (input.length > maxLength) {
    throw new XmlParseError('XML_TOO_LARGE', `document larger than ${maxLength} characters`, 0);
  }
  let xml = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);

  const n = xml.length;
  const all: XmlElement[] = [];
  const byName = new Map<string, XmlElement[]>();
  const attributeNames = new Set<string>();
  // The open elements and their namespace scopes, innermost last.
  const stack: XmlElement[] = [];
  const scopes: Map<string, string>[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  // Resolved names per qualified name, valid while the namespace scope object is the same.
  let cachedScope: Map<string, string> | null = null;
  let names = new Map<string, { ns: string; local: string; list: XmlElement[] }>();

  const fail = (code: XmlErrorCode, message: string): never => {
    throw new XmlParseError(code, message, i);
  };

  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const top = stack[stack.length - 1];
      // Indentation between child elements is not kept: invoices have no mixed content, and the rules
      // read the text of leaf elements (which keep all of theirs, blank or not).
      if (!top || top.children.length === 0 || !isBlank(xml, i, textEnd)) {
        const raw = xml.slice(i, textEnd);
        if (top) top.text += decodeEntities(raw, i);
        else if (raw.trim() !== '') fail('XML_MALFORMED', 'text outside the root element');
      }
      i = textEnd;
    }
    if (lt < 0) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end < 0) fail('XML_MALFORMED', 'unterminated comment');
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end < 0) fail('XML_MALFORMED', 'unterminated CDATA section');
        const top = stack[stack.length - 1];
        if (!top) fail('XML_MALFORMED', 'CDATA outside the root element');
        top.text += xml.slice(lt + 9, end);
        i = end + 3;
      } else if (/^<!DOCTYPE/i.test(xml.slice(lt, lt + 9)) || xml.startsWith('<!ENTITY', lt)) {
        i = lt;
        fail('XML_DOCTYPE_FORBIDDEN', 'a DOCTYPE or entity declaration is not allowed');
      } else {
        i = lt;
        fail('XML_MALFORMED', 'unexpected markup declaration');
      }
      continue;
    }
    if (c1 === 63 /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) fail('XML_MALFORMED', 'unterminated processing instruction');
      i = end + 2;
      continue;
    }
    if (c1 === 47 /* / */) {
      // End tag: the open element's name, then optional spaces and '>'.
      const top = stack.pop();
      scopes.pop();
      let j = lt + 2;
      if (top && xml.startsWith(top.qname, j) && !isNameChar(xml.charCodeAt(j + top.qname.length))) j += top.qname.length;
      else {
        while (j < n && isNameChar(xml.charCodeAt(j))) j++;
        i = lt;
        fail('XML_MALFORMED', `end tag </${xml.slice(lt + 2, j)}> does not match the open element`);
      }
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      if (xml.charCodeAt(j) !== 62) {
        i = j;
        fail('XML_MALFORMED', 'malformed end tag');
      }
      i = j + 1;
      continue;
    }

    // Start tag.
    let j = lt + 1;
    while (j < n && isNameChar(xml.charCodeAt(j))) j++;
    const qname = xml.slice(lt + 1, j);
    if (qname === '' || !isNameStart(qname.charCodeAt(0))) {
      i = lt;
      fail('XML_MALFORMED', 'malformed start tag');
    }
    const raws: RawAttr[] = [];
    let selfClosing = false;
    for (;;) {
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      if (j >= n) {
        i = j;
        fail('XML_MALFORMED', 'unterminated start tag');
      }
      const c = xml.charCodeAt(j);
      if (c === 62) {
        j++;
        break;
      }
      if (c === 47 && xml.charCodeAt(j + 1) === 62) {
        selfClosing = true;
        j += 2;
        break;
      }
      const a0 = j;
      while (j < n && isNameChar(xml.charCodeAt(j))) j++;
      const aname = xml.slice(a0, j);
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      if (aname === '' || !isNameStart(aname.charCodeAt(0)) || xml.charCodeAt(j) !== 61 /* = */) {
        i = j;
        fail('XML_MALFORMED', 'malformed attribute');
      }
      j++;
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      const q = xml.charCodeAt(j);
      if (q !== 34 && q !== 39) {
        i = j;
        fail('XML_MALFORMED', 'attribute value must be quoted');
      }
      const end = xml.indexOf(q === 34 ? '"' : "'", j + 1);
      if (end < 0) {
        i = j;
        fail('XML_MALFORMED', 'unterminated attribute value');
      }
      const rawValue = xml.slice(j + 1, end);
      if (rawValue.indexOf('<') >= 0) {
        i = j;
        fail('XML_MALFORMED', "'<' in attribute value");
      }
      let value = decodeEntities(rawValue, j);
      if (value.indexOf('\n') >= 0 || value.indexOf('\t') >= 0 || value.indexOf('\r') >= 0) value = value.replace(WS_IN_ATTR, ' ');
      for (const r of raws) {
        if (r.qname === aname) {
          i = a0;
          fail('XML_MALFORMED', `attribute ${aname} is repeated`);
        }
      }
      raws.push({ qname: aname, value });
      j = end + 1;
      const next = xml.charCodeAt(j);
      if (next !== 62 && next !== 47 && !isSpace(next)) {
        i = j;
        fail('XML_MALFORMED', 'no space between attributes');
      }
    }
    i = j;

    const parent = stack.length ? stack[stack.length - 1] : null;
    const parentScope = stack.length ? scopes[scopes.length - 1] : BASE_SCOPE;
    if (!parent && root) fail('XML_MALFORMED', 'more than one root element');
    if (stack.length >= maxDepth) fail('XML_TOO_DEEP', `nesting deeper than ${maxDepth}`);
    if (all.length >= maxElements) fail('XML_TOO_MANY_ELEMENTS', `more than ${maxElements} elements`);

    let scope = parentScope;
    for (const a of raws) {
      if (a.qname === 'xmlns' || a.qname.startsWith('xmlns:')) {
        if (scope === parentScope) scope = new Map(scope);
        scope.set(a.qname === 'xmlns' ? '' : a.qname.slice(6), a.value);
      }
    }
    if (scope !== cachedScope) {
      cachedScope = scope;
      names = new Map();
    }
    let nm = names.get(qname);
    if (!nm) {
      const colon = qname.indexOf(':');
      const prefix = colon < 0 ? '' : qname.slice(0, colon);
      const lname = intern(colon < 0 ? qname : qname.slice(colon + 1));
      const found = scope.get(prefix);
      if (found === undefined) fail('XML_UNDECLARED_PREFIX', `undeclared prefix ${prefix}`);
      const uri = intern(found as string);
      const k = key(uri as string, lname);
      let list = byName.get(k);
      if (!list) byName.set(k, (list = []));
      nm = { ns: uri as string, local: lname, list };
      names.set(qname, nm);
    }
    const { ns, local } = nm;
    const attrs: XmlAttr[] = raws.length === 0 ? NO_ATTRS : [];
    for (const a of raws) {
      if (a.qname === 'xmlns' || a.qname.startsWith('xmlns:')) continue;
      const ac = a.qname.indexOf(':');
      if (ac < 0) {
        const local = intern(a.qname);
        attributeNames.add(local);
        attrs.push({ ns: '', local, qname: local, value: a.value });
      } else {
        const ap = a.qname.slice(0, ac);
        const ans = ap === 'xml' ? XML_NS : scope.get(ap);
        if (ans === undefined) fail('XML_UNDECLARED_PREFIX', `undeclared prefix ${ap}`);
        attrs.push({ ns: ans as string, local: a.qname.slice(ac + 1), qname: a.qname, value: a.value });
      }
    }
    const el: XmlElement = {
      ns: ns as string,
      local,
      qname,
      attrs,
      children: [],
      text: '',
      parent,
      order: all.length,
    };
    all.push(el);
    nm.list.push(el);
    if (parent) parent.children.push(el);
    else root = el;
    if (!selfClosing) {
      stack.push(el);
      scopes.push(scope);
    }
  }
  if (stack.length > 0) fail('XML_MALFORMED', `element <${stack[stack.length - 1].qname}> is not closed`);
  if (!root) fail('XML_MALFORMED', 'no root element');
  return { root: root as XmlElement, all, byName, attributeNames };
}

/** Shared (never mutated) attribute list of elements without attributes. */
const NO_ATTRS: XmlAttr[] = [];

const BASE_SCOPE: Map<string, string> = new Map([
  ['', ''],
  ['xml', XML_NS],
  ['xmlns', XMLNS_NS],
]);
