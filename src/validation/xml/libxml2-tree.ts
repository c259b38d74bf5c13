import { intern, key, NO_ATTRIBUTES as NO_ATTRS, NO_ELEMENTS as NO_CHILDREN, type XmlAttr, type XmlDocument, type XmlElement } from './tree.ts';

/**
 * The validator's tree read from a document libxml2 has parsed (formats/xml/xsd-schema.ts withParsedDocument), in
 * WebAssembly memory: the tree parseXml builds from the same text (test/validation/libxml2-tree.test.ts), without
 * parsing the text a second time. libxml2 has already judged the document well-formed and namespace-well-formed;
 * what parseXml judges besides (a DOCTYPE, an entity, a late declaration, a line end to normalise: see
 * `libxml2TreeApplies`) sends the document to parseXml instead, as does anything unexpected here (null).
 *
 * The text of an element follows parseXml: its character data and CDATA sections, the runs of white space between
 * its child elements left out (not the one before its first child). Attribute values have their tabs and line ends
 * as spaces (parseXml's normalisation; libxml2's is the same for what is written, without a character reference).
 *
 * libxml2's structures, for a 32-bit WebAssembly build (pointers and enums on 4 bytes; libxml2 2.x tree.h):
 * xmlNode { _private, type, name, children, last, parent, next, prev, doc, ns, content, properties, nsDef, … },
 * xmlAttr { _private, type, name, children, last, parent, next, prev, doc, ns, … }, xmlNs { next, type, href, prefix, … },
 * xmlDoc { _private, type, name, children, … }.
 */

const TYPE = 4;
const NAME = 8;
const CHILDREN = 12;
const NEXT = 24;
const NS = 36;
const CONTENT = 40;
const PROPERTIES = 44;
const NS_HREF = 8;
const NS_PREFIX = 12;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PI_NODE = 7;
const COMMENT_NODE = 8;

export interface TreeLimits {
  maxDepth: number;
  maxElements: number;
}

/**
 * An element or attribute name of libxml2's dictionary, decoded once for as long as the dictionary lives (names of
 * `dictionary`), with, for an element name, the names it takes under each namespace met so far.
 */
interface DictName {
  readonly local: string;
  /** By namespace URI and prefix ("prefix uri"; "" for no namespace). */
  readonly qualified: Map<string, ElementName>;
  /** The last element name it gave, for the namespace (xmlNs) at `nsPtr` of document `doc`. */
  doc: number;
  nsPtr: number;
  last: ElementName | null;
  /** The last document in whose attributeNames it is (as an unqualified attribute's name). */
  attrDoc: number;
}

/** An element's name under a namespace and prefix; `doc` and `list` are the last document's use of it (its byName list). */
interface ElementName {
  readonly ns: string;
  readonly local: string;
  readonly qname: string;
  readonly key: string;
  doc: number;
  list: XmlElement[];
}

let dictionary = -1;
const NAMES = new Map<number, DictName>();
let lastDoc = 0;

/** A namespace (xmlNs) of the document being read. */
interface Namespace {
  readonly ptr: number;
  readonly href: string;
  readonly prefix: string;
  readonly scope: string;
}

type OpenElement = { -readonly [K in keyof XmlElement]: XmlElement[K] };

const isReserved = (local: string) => local === '__proto__' || local === 'constructor' || local === 'prototype';

class Unexpected extends Error {}

/**
 * The tree of the document at `docPtr` (its names in libxml2's dictionary number `names`, ParsedDocument.dictionary),
 * or null when it must be left to parseXml.
 */
export function treeOfLibxml2(memory: ArrayBuffer, docPtr: number, names: number, limits: TreeLimits): XmlDocument | null {
  if (names !== dictionary) {
    NAMES.clear();
    dictionary = names;
  }
  try {
    return new Reader(memory, limits).document(docPtr);
  } catch (err) {
    if (err instanceof Unexpected) return null;
    throw err;
  }
}

class Reader {
  private readonly u32: Uint32Array;
  private readonly u8: Buffer;
  private readonly all: XmlElement[] = [];
  private readonly byName = new Map<string, XmlElement[]>();
  private readonly attributeNames = new Set<string>();
  private readonly namespaces: Namespace[] = [];
  private readonly doc = ++lastDoc;
  /** The children of the elements being read: those of the element at depth d from kidStart[d] to the end. */
  private readonly kids: XmlElement[] = [];
  private kidTop = 0;

  constructor(
    memory: ArrayBuffer,
    private readonly limits: TreeLimits,
  ) {
    this.u32 = new Uint32Array(memory);
    this.u8 = Buffer.from(memory);
  }

  document(docPtr: number): XmlDocument | null {
    let root: XmlElement | null = null;
    for (let c = this.u32[(docPtr + CHILDREN) >>> 2]!; c; c = this.u32[(c + NEXT) >>> 2]!) {
      const type = this.u32[(c + TYPE) >>> 2];
      if (type === ELEMENT_NODE) {
        if (root) throw new Unexpected();
        root = this.element(c, null, 0);
      } else if (type !== COMMENT_NODE && type !== PI_NODE) throw new Unexpected();
    }
    if (!root) return null;
    return { root, all: this.all, byName: this.byName, attributeNames: this.attributeNames };
  }

  /** The NUL-terminated UTF-8 string at `ptr`; a short ASCII one as the last string of the same bytes (see SHORT). */
  private text(ptr: number): string {
    const u8 = this.u8;
    let end = ptr;
    let bits = 0;
    let hash = 0;
    for (let c = u8[end]!; c !== 0; c = u8[++end]!) {
      bits |= c;
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    if (bits >= 0x80) return utf8Slice.call(u8, ptr, end);
    const len = end - ptr;
    if (len > SHORT_LENGTH) return latin1Slice.call(u8, ptr, end);
    const slot = (hash ^ (hash >>> 13)) & (SHORT_SLOTS - 1);
    const known = SHORT[slot];
    if (known !== undefined && known.length === len) {
      let k = 0;
      while (k < len && known.charCodeAt(k) === u8[ptr + k]) k++;
      if (k === len) return known;
    }
    const s = latin1Slice.call(u8, ptr, end);
    SHORT[slot] = s;
    return s;
  }

  /** True when the NUL-terminated string at `ptr` has a tab or a line end (which parseXml turns into a space in a value). */
  private hasSpacesAt(ptr: number): boolean {
    const u8 = this.u8;
    for (let c = u8[ptr]!; c !== 0; c = u8[++ptr]!) if (c === 10 || c === 9 || c === 13) return true;
    return false;
  }

  /** True when the NUL-terminated string at `ptr` is white space only, as parseXml judges it. */
  private blankAt(ptr: number): boolean {
    const u8 = this.u8;
    let c = u8[ptr]!;
    while (c === 32 || c === 10 || c === 9 || c === 13) c = u8[++ptr]!;
    return c === 0;
  }

  /** A name of libxml2's dictionary. */
  private dictName(ptr: number): DictName {
    let name = NAMES.get(ptr);
    if (!name) {
      const local = intern(this.text(ptr));
      if (isReserved(local) || local.includes(':')) throw new Unexpected();
      name = { local, qualified: new Map(), doc: 0, nsPtr: 0, last: null, attrDoc: 0 };
      NAMES.set(ptr, name);
    }
    return name;
  }

  private namespace(ptr: number): Namespace {
    for (const ns of this.namespaces) if (ns.ptr === ptr) return ns;
    const prefixPtr = this.u32[(ptr + NS_PREFIX) >>> 2]!;
    const href = intern(this.text(this.u32[(ptr + NS_HREF) >>> 2]!));
    const prefix = prefixPtr ? this.text(prefixPtr) : '';
    const ns = { ptr, href, prefix, scope: prefix + ' ' + href };
    this.namespaces.push(ns);
    return ns;
  }

  private elementName(namePtr: number, nsPtr: number): ElementName {
    const dict = this.dictName(namePtr);
    if (dict.doc === this.doc && dict.nsPtr === nsPtr) return dict.last!;
    const ns = nsPtr ? this.namespace(nsPtr) : null;
    const scope = ns ? ns.scope : '';
    let name = dict.qualified.get(scope);
    if (!name) {
      const uri = ns ? ns.href : '';
      const local = dict.local;
      name = { ns: uri, local, qname: ns && ns.prefix ? ns.prefix + ':' + local : local, key: key(uri, local), doc: 0, list: NO_CHILDREN };
      dict.qualified.set(scope, name);
    }
    dict.doc = this.doc;
    dict.nsPtr = nsPtr;
    dict.last = name;
    return name;
  }

  private element(node: number, parent: XmlElement | null, depth: number): XmlElement {
    const { all, limits, u32 } = this;
    if (depth >= limits.maxDepth || all.length >= limits.maxElements) throw new Unexpected();
    const name = this.elementName(u32[(node + NAME) >>> 2]!, u32[(node + NS) >>> 2]!);
    const el: OpenElement = {
      ns: name.ns,
      local: name.local,
      qname: name.qname,
      attrs: u32[(node + PROPERTIES) >>> 2] ? this.attributes(node) : NO_ATTRS,
      children: NO_CHILDREN,
      text: '',
      parent,
      order: all.length,
    };
    all.push(el);
    if (name.doc === this.doc) name.list.push(el);
    else {
      // The name's first element in this document (two names of one key, under two prefixes, share their list).
      name.doc = this.doc;
      let list = this.byName.get(name.key);
      if (list) list.push(el);
      else this.byName.set(name.key, (list = [el]));
      name.list = list;
    }
    const kids = this.kids;
    const first = this.kidTop;
    for (let c = u32[(node + CHILDREN) >>> 2]!; c; c = u32[(c + NEXT) >>> 2]!) {
      const type = u32[(c + TYPE) >>> 2];
      if (type === TEXT_NODE) {
        if (this.kidTop === first) {
          el.text += this.text(u32[(c + CONTENT) >>> 2]!);
          continue;
        }
        // After a child, a run of character data (one text node, or several next to each other: parseXml reads
        // the text between two tags as one) is left out when it is blank.
        let last = c;
        let blank = this.blankAt(u32[(c + CONTENT) >>> 2]!);
        for (let t = u32[(c + NEXT) >>> 2]!; t && u32[(t + TYPE) >>> 2] === TEXT_NODE; t = u32[(t + NEXT) >>> 2]!) {
          blank &&= this.blankAt(u32[(t + CONTENT) >>> 2]!);
          last = t;
        }
        if (!blank) for (let t = c; ; t = u32[(t + NEXT) >>> 2]!) {
          el.text += this.text(u32[(t + CONTENT) >>> 2]!);
          if (t === last) break;
        }
        c = last;
      } else if (type === ELEMENT_NODE) {
        const child = this.element(c, el, depth + 1);
        kids[this.kidTop++] = child;
      } else if (type === CDATA_SECTION_NODE) el.text += this.text(u32[(c + CONTENT) >>> 2]!);
      else if (type !== COMMENT_NODE && type !== PI_NODE) throw new Unexpected();
    }
    if (this.kidTop > first) {
      el.children = kids.slice(first, this.kidTop);
      this.kidTop = first;
    }
    return el;
  }

  private attributes(node: number): XmlAttr[] {
    const u32 = this.u32;
    const attrs: XmlAttr[] = [];
    for (let a = u32[(node + PROPERTIES) >>> 2]!; a; a = u32[(a + NEXT) >>> 2]!) {
      let value = '';
      let spaces = false;
      for (let t = u32[(a + CHILDREN) >>> 2]!; t; t = u32[(t + NEXT) >>> 2]!) {
        if (u32[(t + TYPE) >>> 2] !== TEXT_NODE) throw new Unexpected();
        const ptr = u32[(t + CONTENT) >>> 2]!;
        spaces ||= this.hasSpacesAt(ptr);
        value += this.text(ptr);
      }
      if (spaces) value = value.replace(WS_IN_ATTR, ' ');
      const dict = this.dictName(u32[(a + NAME) >>> 2]!);
      const local = dict.local;
      const nsPtr = u32[(a + NS) >>> 2]!;
      if (!nsPtr) {
        if (dict.attrDoc !== this.doc) {
          dict.attrDoc = this.doc;
          this.attributeNames.add(local);
        }
        attrs.push({ ns: '', local, qname: local, value });
      } else {
        const ns = this.namespace(nsPtr);
        if (!ns.prefix) throw new Unexpected();
        attrs.push({ ns: ns.href, local, qname: ns.prefix + ':' + local, value });
      }
    }
    return attrs;
  }
}

const WS_IN_ATTR = /[\t\n\r]/g;

/**
 * Short ASCII strings (codes, amounts, dates, identifiers, indentation: most texts of an invoice) by a hash of their
 * bytes, the last one of each slot: read once, then shared by the documents that repeat them.
 */
const SHORT_LENGTH = 24;
const SHORT_SLOTS = 4096;
const SHORT = new Array<string | undefined>(SHORT_SLOTS);

/** Node's own Buffer decoders, without Buffer.toString's checks of its arguments. */
const { latin1Slice, utf8Slice } = Buffer.prototype as unknown as Record<'latin1Slice' | 'utf8Slice', (this: Buffer, start: number, end: number) => string>;
