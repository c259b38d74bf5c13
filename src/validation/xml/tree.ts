/**
 * A light, namespace-aware XML tree: what the rules navigate instead of XPath.
 *
 * Elements keep their namespace URI, local name and the qualified name written in the document (used
 * only to print locations the way the official Schematron reports do). Text is kept per element
 * (direct text, concatenated), which is all an invoice needs: it has no mixed content.
 */

export interface XmlAttr {
  readonly ns: string;
  readonly local: string;
  readonly qname: string;
  readonly value: string;
}

export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly qname: string;
  readonly attrs: XmlAttr[];
  readonly children: XmlElement[];
  /** Direct text content (character data and CDATA of this element only, concatenated). */
  text: string;
  readonly parent: XmlElement | null;
  /** Position in document order, for sorting results of descendant queries. */
  readonly order: number;
}

/**
 * The shared empty lists of elements and of attributes (never mutated). They are cut from a list of objects so that
 * they have the array map of a filled list: a literal [] has that of small integers, and code that V8 optimized having
 * met only one of the two maps at an array call (for…of, some, map…) was thrown away and compiled again when the other
 * came.
 */
export const NO_ELEMENTS: XmlElement[] = ([null] as unknown as XmlElement[]).slice(1);
export const NO_ATTRIBUTES: XmlAttr[] = ([null] as unknown as XmlAttr[]).slice(1);

export interface XmlDocument {
  readonly root: XmlElement;
  /** Every element, in document order. */
  readonly all: XmlElement[];
  /** Elements by "namespace-uri local-name", in document order (built during the parse). */
  readonly byName: Map<string, XmlElement[]>;
  /** Local names of the unqualified attributes present anywhere (recorded by the parser). */
  readonly attributeNames?: Set<string>;
}

/** The unqualified attribute names of a document (from the parser, or computed once). */
export function attributeNamesOf(doc: XmlDocument): Set<string> {
  if (doc.attributeNames) return doc.attributeNames;
  let names = attrNameMemo.get(doc);
  if (!names) {
    names = new Set();
    for (const e of doc.all) for (const a of e.attrs) if (a.ns === '') names.add(a.local);
    attrNameMemo.set(doc, names);
  }
  return names;
}
const attrNameMemo = new WeakMap<XmlDocument, Set<string>>();

/**
 * The engine's own copy of a name or namespace URI: names the parser reads and names the rules compile are then
 * one string each, and the rules' countless comparisons of names (`el.local === local`, `el.ns === ns`) compare
 * references instead of characters. Bounded, so that documents full of invented names do not grow it.
 */
const INTERNED = new Map<string, string>();
export function intern(s: string): string {
  let c = INTERNED.get(s);
  if (c === undefined) {
    if (INTERNED.size >= 20_000) return s;
    // A property key is V8's internalised string: equal to every string literal of the same text by reference.
    c = Object.keys({ [s]: 0 })[0] ?? s;
    INTERNED.set(c, c);
  }
  return c;
}

/** Key of the byName index. */
export const key = (ns: string, local: string): string => ns + ' ' + local;

/** Every element named (ns, local) anywhere in the document: XPath //ns:local. */
export function descendantsNamed(doc: XmlDocument, ns: string, local: string): XmlElement[] {
  return doc.byName.get(key(ns, local)) ?? EMPTY;
}

const EMPTY: XmlElement[] = [];

/** Children named (ns, local): XPath ns:local from the element. */
export function childrenNamed(el: XmlElement, ns: string, local: string): XmlElement[] {
  let out: XmlElement[] | undefined;
  for (const c of el.children) {
    if (c.local === local && c.ns === ns) (out ??= []).push(c);
  }
  return out ?? EMPTY;
}

export function childNamed(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const c of el.children) if (c.local === local && c.ns === ns) return c;
  return undefined;
}

/** Attribute value by local name (attributes of invoice syntaxes are unqualified). */
export function attr(el: XmlElement, local: string): string | undefined {
  for (const a of el.attrs) if (a.local === local && a.ns === '') return a.value;
  return undefined;
}

/** XPath string value: the concatenated text of the element and its descendants. */
export function stringValue(el: XmlElement): string {
  if (el.children.length === 0) return el.text;
  let s = el.text;
  for (const c of el.children) s += stringValue(c);
  return s;
}

/** XPath normalize-space(). */
export function normalizeSpace(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  // Fast path: most values (codes, amounts, identifiers) are already normalised.
  let clean = s.charCodeAt(0) > 32 && s.charCodeAt(n - 1) > 32;
  for (let i = 1; clean && i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13 || (c === 32 && s.charCodeAt(i + 1) === 32)) clean = false;
  }
  return clean ? s : s.replace(XML_SPACES, ' ').replace(EDGE_SPACES, '');
}

const XML_SPACES = /[ \t\r\n]+/g;
const EDGE_SPACES = /^ | $/g;

/** True when `el` has `anc` as a proper ancestor. */
export function hasAncestor(el: XmlElement, ns: string, local: string): boolean {
  for (let p = el.parent; p; p = p.parent) if (p.local === local && p.ns === ns) return true;
  return false;
}

/**
 * The location of a node as the official reports print it:
 * `/Invoice/cac:AccountingSupplierParty[1]/cac:Party[1]`, the root without a position.
 */
export function locationOf(el: XmlElement, attribute?: string): string {
  const steps: string[] = [];
  for (let n: XmlElement | null = el; n; n = n.parent) {
    if (!n.parent) {
      steps.push('/' + n.qname);
      break;
    }
    let pos = 0;
    for (const s of n.parent.children) {
      if (s.local === n.local && s.ns === n.ns) pos++;
      if (s === n) break;
    }
    steps.push('/' + n.qname + '[' + pos + ']');
  }
  return steps.reverse().join('') + (attribute ? '/@' + attribute : '');
}
