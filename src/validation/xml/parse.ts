import { intern, key, NO_ATTRIBUTES as NO_ATTRS, NO_ELEMENTS as NO_CHILDREN, type XmlAttr, type XmlDocument, type XmlElement } from './tree.ts';

/**
 * A safe XML parser for invoices, in one pass, building the tree and its name index.
 *
 * Hostile input is refused rather than tolerated: no DTD at all (a DOCTYPE is an error, so there are no
 * external or internal entities and no entity expansion), only the five predefined entities and numeric
 * character references, bounded size, depth and element count. Well-formedness is checked for what the
 * rules rely on (matching tags, quoted attributes, declared prefixes); this is not a validating parser.
 *
 * It runs once per deposited invoice, so it allocates little: names are recognised in place (a hash of their
 * characters, checked against the last name seen with that hash) instead of being cut out of the text, and only
 * the element objects, their text and their attributes are built.
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

/**
 * What the parser noticed in a document it accepted, for callers with a stricter second opinion
 * (parseInvoiceTree): markup that a DTD-refusing reader would judge, and names that would pollute JavaScript objects.
 */
export interface ParseNotes {
  /** `<!DOCTYPE` or `<!ENTITY` (any case) anywhere, comments, CDATA and processing instructions included. */
  dtdMarkup: boolean;
  /** `<?xml` anywhere but at the very start of the text (a BOM counts as the start's first character). */
  lateDeclaration: boolean;
  /** An element or attribute local name `__proto__`, `constructor` or `prototype`. */
  reservedName: boolean;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

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

const isReserved = (local: string) => local === '__proto__' || local === 'constructor' || local === 'prototype';

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

/** The indentation strings (a line end and up to 63 spaces), shared instead of cut out of every document. */
const INDENTS = Array.from({ length: 64 }, (_, k) => '\n' + ' '.repeat(k));

/** Text made of spaces only, as a shared string when it is an indentation. */
function blankText(s: string, from: number, to: number): string {
  const len = to - from - 1;
  if (len < 64 && s.charCodeAt(from) === 10) {
    let k = from + 1;
    while (k < to && s.charCodeAt(k) === 32) k++;
    if (k === to) return INDENTS[len]!;
  }
  return s.slice(from, to);
}

/** True when `word` is at `at` in `s` (String.prototype.startsWith, without its cost on two-byte text). */
function isAt(s: string, word: string, at: number): boolean {
  const len = word.length;
  if (at + len > s.length) return false;
  for (let k = 0; k < len; k++) if (s.charCodeAt(at + k) !== word.charCodeAt(k)) return false;
  return true;
}

/** Code of the ASCII letter lowered (other characters unchanged). */
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** True when `word` (lower-case ASCII) is at `at` in `s`, in any case. */
function startsWithAnyCase(s: string, word: string, at: number): boolean {
  if (at + word.length > s.length) return false;
  for (let k = 0; k < word.length; k++) if (lower(s.charCodeAt(at + k)) !== word.charCodeAt(k)) return false;
  return true;
}

/** Notes the DTD markup and late declarations inside [from, to) (a comment, CDATA section or processing instruction). */
function noteMarkupIn(s: string, from: number, to: number, shift: number, notes: ParseNotes): void {
  for (let k = s.indexOf('<', from); k >= 0 && k < to; k = s.indexOf('<', k + 1)) {
    if (s.startsWith('<?xml', k) && k + shift >= 1) notes.lateDeclaration = true;
    else if (s.charCodeAt(k + 1) === 33 && (startsWithAnyCase(s, '<!doctype', k) || startsWithAnyCase(s, '<!entity', k))) notes.dtdMarkup = true;
  }
}

/**
 * A resolved element name: its qualified name read under one namespace scope. The entries outlive a parse (the
 * next invoices use the same names), in a table of fixed size where a name takes the slot of its hash; `doc` and
 * `index` are the last document's use of the entry (its stamp, the place of its byName list in that parse's `lists`).
 */
interface NameEntry {
  readonly qname: string;
  readonly hash: number;
  readonly scope: Scope;
  readonly ns: string;
  readonly local: string;
  readonly key: string;
  doc: number;
  index: number;
}

/** An unqualified attribute name, with the stamp of the last document that recorded it in its attributeNames. */
interface AttrNameEntry {
  readonly name: string;
  readonly hash: number;
  doc: number;
}

/** Table size; a name goes to one of two neighbouring slots (an even one and the next), chosen by its hash. */
const NAME_SLOTS = 2048;
const NAMES = new Array<NameEntry | undefined>(NAME_SLOTS);
const ATTR_NAMES = new Array<AttrNameEntry | undefined>(NAME_SLOTS);
let lastDoc = 0;

/** The even slot of a hash (its bits mixed: names differ mostly in their last characters). */
function slotOf(hash: number): number {
  let h = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  h ^= h >>> 15;
  return h & (NAME_SLOTS - 2);
}

/** Of the two slots at `slot`, an empty one, else the one used least recently. */
function freeSlot(table: Array<{ doc: number } | undefined>, slot: number): number {
  const a = table[slot];
  const b = table[slot + 1];
  if (!a) return slot;
  if (!b) return slot + 1;
  return a.doc <= b.doc ? slot : slot + 1;
}

/** A string of its own (flat, not a slice keeping the document alive), as the tables outlive the parse. */
const own = (s: string): string => Object.keys({ [s]: 0 })[0] ?? s;

/** Prefix → namespace URI in scope at an element. Never mutated once built: shared by every document that declares the same. */
type Scope = Map<string, string>;

/** The scopes built so far, by parent scope and declarations (bounded: past it, a document gets scopes of its own). */
const CHILD_SCOPES = new WeakMap<Scope, Map<string, Scope>>();
let scopeCount = 0;
const MAX_SCOPES = 2_000;

/** Element with its fields writable while it is built. */
type OpenElement = { -readonly [K in keyof XmlElement]: XmlElement[K] };

export function parseXml(input: string | Uint8Array, limits: ParseLimits = {}, notes?: ParseNotes): XmlDocument {
  const maxLength = limits.maxLength ?? 20_000_000;
  const maxDepth = limits.maxDepth ?? 128;
  const maxElements = limits.maxElements ?? 500_000;
  if (input.length > maxLength) {
    throw new XmlParseError('XML_TOO_LARGE', `document larger than ${maxLength} characters`, 0);
  }
  let xml = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  // Offsets in the notes are those of the text as given (with its BOM).
  let shift = 0;
  if (xml.charCodeAt(0) === 0xfeff) {
    xml = xml.slice(1);
    shift = 1;
  }
  const noted: ParseNotes = notes ?? { dtdMarkup: false, lateDeclaration: false, reservedName: false };

  const n = xml.length;
  const all: XmlElement[] = [];
  const byName = new Map<string, XmlElement[]>();
  const attributeNames = new Set<string>();
  // The open elements and their namespace scopes, innermost last.
  const stack: OpenElement[] = [];
  const scopes: Map<string, string>[] = [];
  // The children of the open elements, read so far: those of stack[d] from kidStart[d] to kidTop. An element gets
  // its list at its end tag, of its exact length (a list grown by push would have room for 16 at its first child).
  const kids: XmlElement[] = [];
  const kidStart: number[] = [];
  let kidTop = 0;
  let root: XmlElement | null = null;
  let i = 0;
  const doc = ++lastDoc;
  // The byName lists of this document, by NameEntry.index.
  const lists: XmlElement[][] = [];
  // The attributes of the start tag being read: qualified name, value, offset of the name.
  const rawNames: string[] = [];
  const rawValues: string[] = [];
  const rawAt: number[] = [];
  const rawHashes: number[] = [];

  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const top = stack.length ? stack[stack.length - 1]! : undefined;
      // Indentation between child elements is not kept: invoices have no mixed content, and the rules
      // read the text of leaf elements (which keep all of theirs, blank or not).
      if (!top) {
        if (xml.slice(i, textEnd).trim() !== '') throw new XmlParseError('XML_MALFORMED', 'text outside the root element', i);
      } else {
        let blank = true;
        for (let k = i; k < textEnd; k++) {
          if (!isSpace(xml.charCodeAt(k))) {
            blank = false;
            break;
          }
        }
        if (!blank) top.text += decodeEntities(xml.slice(i, textEnd), i);
        else if (kidTop === kidStart[kidStart.length - 1]) top.text += blankText(xml, i, textEnd);
      }
      i = textEnd;
    }
    if (lt < 0) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end < 0) throw new XmlParseError('XML_MALFORMED', 'unterminated comment', i);
        noteMarkupIn(xml, lt + 1, end, shift, noted);
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end < 0) throw new XmlParseError('XML_MALFORMED', 'unterminated CDATA section', i);
        const top = stack.length ? stack[stack.length - 1]! : undefined;
        if (!top) throw new XmlParseError('XML_MALFORMED', 'CDATA outside the root element', i);
        noteMarkupIn(xml, lt + 1, end, shift, noted);
        top.text += xml.slice(lt + 9, end);
        i = end + 3;
      } else if (startsWithAnyCase(xml, '<!doctype', lt) || xml.startsWith('<!ENTITY', lt)) {
        throw new XmlParseError('XML_DOCTYPE_FORBIDDEN', 'a DOCTYPE or entity declaration is not allowed', lt);
      } else {
        throw new XmlParseError('XML_MALFORMED', 'unexpected markup declaration', lt);
      }
      continue;
    }
    if (c1 === 63 /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) throw new XmlParseError('XML_MALFORMED', 'unterminated processing instruction', i);
      if (lt + shift >= 1 && xml.startsWith('<?xml', lt)) noted.lateDeclaration = true;
      noteMarkupIn(xml, lt + 1, end, shift, noted);
      i = end + 2;
      continue;
    }
    if (c1 === 47 /* / */) {
      // End tag: the open element's name, then optional spaces and '>'.
      const top = stack.pop();
      scopes.pop();
      const first = kidStart.pop()!;
      if (top && kidTop > first) {
        top.children = kids.slice(first, kidTop);
        kidTop = first;
      }
      let j = lt + 2;
      if (top && isAt(xml, top.qname, j) && !isNameChar(xml.charCodeAt(j + top.qname.length))) j += top.qname.length;
      else {
        while (j < n && isNameChar(xml.charCodeAt(j))) j++;
        throw new XmlParseError('XML_MALFORMED', `end tag </${xml.slice(lt + 2, j)}> does not match the open element`, lt);
      }
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      if (xml.charCodeAt(j) !== 62) throw new XmlParseError('XML_MALFORMED', 'malformed end tag', j);
      i = j + 1;
      continue;
    }

    // Start tag: its name, hashed as it is read.
    let j = lt + 1;
    let hash = 0;
    for (; j < n; j++) {
      const c = xml.charCodeAt(j);
      if (!isNameChar(c)) break;
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    const qlen = j - lt - 1;
    if (qlen === 0 || !isNameStart(xml.charCodeAt(lt + 1))) throw new XmlParseError('XML_MALFORMED', 'malformed start tag', lt);
    let nattrs = 0;
    let selfClosing = false;
    for (;;) {
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      if (j >= n) throw new XmlParseError('XML_MALFORMED', 'unterminated start tag', j);
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
      let ahash = 0;
      for (; j < n; j++) {
        const ac = xml.charCodeAt(j);
        if (!isNameChar(ac)) break;
        ahash = (Math.imul(ahash, 31) + ac) | 0;
      }
      const aEnd = j;
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      if (aEnd === a0 || !isNameStart(xml.charCodeAt(a0)) || xml.charCodeAt(j) !== 61 /* = */) throw new XmlParseError('XML_MALFORMED', 'malformed attribute', j);
      j++;
      while (j < n && isSpace(xml.charCodeAt(j))) j++;
      const q = xml.charCodeAt(j);
      if (q !== 34 && q !== 39) throw new XmlParseError('XML_MALFORMED', 'attribute value must be quoted', j);
      // The value, checked as it is scanned: no '<', and whether entities or white space need work.
      let end = j + 1;
      let amp = false;
      let ws = false;
      for (; end < n; end++) {
        const vc = xml.charCodeAt(end);
        if (vc === q) break;
        if (vc === 60) {
          if (xml.indexOf(q === 34 ? '"' : "'", end) < 0) throw new XmlParseError('XML_MALFORMED', 'unterminated attribute value', j);
          throw new XmlParseError('XML_MALFORMED', "'<' in attribute value", j);
        }
        if (vc === 38) amp = true;
        else if (vc === 10 || vc === 9 || vc === 13) ws = true;
      }
      if (end >= n) throw new XmlParseError('XML_MALFORMED', 'unterminated attribute value', j);
      let value = xml.slice(j + 1, end);
      if (amp) value = decodeEntities(value, j);
      if (ws || (amp && (value.indexOf('\n') >= 0 || value.indexOf('\t') >= 0 || value.indexOf('\r') >= 0))) value = value.replace(WS_IN_ATTR, ' ');
      const aname = xml.slice(a0, aEnd);
      for (let r = 0; r < nattrs; r++) {
        if (rawNames[r] === aname) throw new XmlParseError('XML_MALFORMED', `attribute ${aname} is repeated`, a0);
      }
      rawNames[nattrs] = aname;
      rawValues[nattrs] = value;
      rawAt[nattrs] = a0;
      rawHashes[nattrs] = ahash;
      nattrs++;
      j = end + 1;
      const next = xml.charCodeAt(j);
      if (next !== 62 && next !== 47 && !isSpace(next)) throw new XmlParseError('XML_MALFORMED', 'no space between attributes', j);
    }
    i = j;

    const parent = stack.length ? stack[stack.length - 1]! : null;
    const parentScope = stack.length ? scopes[scopes.length - 1]! : BASE_SCOPE;
    if (!parent && root) throw new XmlParseError('XML_MALFORMED', 'more than one root element', i);
    if (stack.length >= maxDepth) throw new XmlParseError('XML_TOO_DEEP', `nesting deeper than ${maxDepth}`, i);
    if (all.length >= maxElements) throw new XmlParseError('XML_TOO_MANY_ELEMENTS', `more than ${maxElements} elements`, i);

    const scope = nattrs === 0 ? parentScope : scopeOf(parentScope, nattrs, rawNames, rawValues);
    const slot = slotOf(hash);
    let nm = NAMES[slot];
    if (!nm || nm.hash !== hash || nm.scope !== scope || nm.qname.length !== qlen || !isAt(xml, nm.qname, lt + 1)) nm = NAMES[slot + 1];
    if (!nm || nm.hash !== hash || nm.scope !== scope || nm.qname.length !== qlen || !isAt(xml, nm.qname, lt + 1)) {
      const qname = own(xml.slice(lt + 1, lt + 1 + qlen));
      const colon = qname.indexOf(':');
      const prefix = colon < 0 ? '' : qname.slice(0, colon);
      const lname = own(intern(colon < 0 ? qname : qname.slice(colon + 1)));
      const found = scope.get(prefix);
      if (found === undefined) throw new XmlParseError('XML_UNDECLARED_PREFIX', `undeclared prefix ${prefix}`, i);
      const uri = own(intern(found));
      nm = { qname, hash, scope, ns: uri, local: lname, key: own(key(uri, lname)), doc: 0, index: 0 };
      NAMES[freeSlot(NAMES, slot)] = nm;
    }
    const firstOfName = nm.doc !== doc;
    if (firstOfName) {
      // The name's first element in this document: its byName list is found or made once the element is.
      nm.doc = doc;
      nm.index = lists.length;
      lists.push(NO_CHILDREN);
      if (isReserved(nm.local)) noted.reservedName = true;
    }
    let attrs = NO_ATTRS;
    for (let r = 0; r < nattrs; r++) {
      const an = rawNames[r]!;
      if (an === 'xmlns' || an.startsWith('xmlns:')) continue;
      if (attrs === NO_ATTRS) attrs = [];
      const ac = an.indexOf(':');
      if (ac < 0) {
        const ah = rawHashes[r]!;
        const aslot = slotOf(ah);
        let entry = ATTR_NAMES[aslot];
        if (!entry || entry.hash !== ah || entry.name !== an) entry = ATTR_NAMES[aslot + 1];
        if (!entry || entry.hash !== ah || entry.name !== an) {
          entry = { name: own(intern(an)), hash: ah, doc: 0 };
          ATTR_NAMES[freeSlot(ATTR_NAMES, aslot)] = entry;
        }
        if (entry.doc !== doc) {
          entry.doc = doc;
          attributeNames.add(entry.name);
          if (isReserved(entry.name)) noted.reservedName = true;
        }
        const local = entry.name;
        attrs.push({ ns: '', local, qname: local, value: rawValues[r]! });
      } else {
        const ap = an.slice(0, ac);
        const ans = ap === 'xml' ? XML_NS : scope.get(ap);
        if (ans === undefined) throw new XmlParseError('XML_UNDECLARED_PREFIX', `undeclared prefix ${ap}`, i);
        const local = an.slice(ac + 1);
        if (isReserved(local)) noted.reservedName = true;
        attrs.push({ ns: ans, local, qname: an, value: rawValues[r]! });
      }
    }
    const el: OpenElement = {
      ns: nm.ns,
      local: nm.local,
      qname: nm.qname,
      attrs,
      children: NO_CHILDREN,
      text: '',
      parent,
      order: all.length,
    };
    all.push(el);
    if (!firstOfName) lists[nm.index]!.push(el);
    else {
      // A list of one to begin with (most names occur once; a list grown by push has room for 16).
      let list = byName.get(nm.key);
      if (list) list.push(el);
      else byName.set(nm.key, (list = [el]));
      lists[nm.index] = list;
    }
    if (parent) kids[kidTop++] = el;
    else root = el;
    if (!selfClosing) {
      stack.push(el);
      scopes.push(scope);
      kidStart.push(kidTop);
    }
  }

  if (stack.length > 0) throw new XmlParseError('XML_MALFORMED', `element <${stack[stack.length - 1]!.qname}> is not closed`, i);
  if (!root) throw new XmlParseError('XML_MALFORMED', 'no root element', i);
  return { root, all, byName, attributeNames };
}

/**
 * The scope of an element: its parent's, or the parent's with the element's namespace declarations (in the order
 * written), shared with every element that declares the same under the same parent scope.
 */
function scopeOf(parent: Scope, nattrs: number, names: string[], values: string[]): Scope {
  let signature = '';
  for (let r = 0; r < nattrs; r++) {
    const an = names[r]!;
    if (an === 'xmlns' || an.startsWith('xmlns:')) signature += an + '\u0000' + values[r]! + '\u0000';
  }
  if (signature === '') return parent;
  let children = CHILD_SCOPES.get(parent);
  let scope = children?.get(signature);
  if (scope) return scope;
  scope = new Map(parent);
  for (let r = 0; r < nattrs; r++) {
    const an = names[r]!;
    if (an === 'xmlns' || an.startsWith('xmlns:')) scope.set(an === 'xmlns' ? '' : own(an.slice(6)), own(values[r]!));
  }
  if (scopeCount < MAX_SCOPES) {
    scopeCount++;
    if (!children) CHILD_SCOPES.set(parent, (children = new Map()));
    children.set(own(signature), scope);
  }
  return scope;
}

const BASE_SCOPE: Map<string, string> = new Map([
  ['', ''],
  ['xml', XML_NS],
  ['xmlns', XMLNS_NS],
]);
