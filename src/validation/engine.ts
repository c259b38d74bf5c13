import { Decimal } from 'decimal.js';
import {
  intern,
  locationOf,
  NO_ELEMENTS as NONE,
  normalizeSpace,
  stringValue,
  type XmlDocument,
  type XmlElement,
} from './xml/tree.ts';

/**
 * The small toolkit the rules are written with. Each helper plays the part of one XPath 2.0 construct of
 * the official Schematron, with the same semantics on the cases that matter (empty sequences compare
 * false, `xs:decimal` arithmetic is exact, `round()` rounds half towards positive infinity).
 */

export type Flag = 'fatal' | 'warning';

export interface Finding {
  rule: string;
  flag: Flag;
  /** XPath of the node the rule was evaluated on, e.g. /Invoice/cac:AccountingSupplierParty[1]. */
  location: string;
  /** The official message of the rule (EN, from the CEN artefacts). */
  message: string;
  /** The same requirement in French, naming the field as a user knows it. */
  messageFr: string;
}

export type Syntax = 'ubl' | 'cii';

/** Definition data of a rule: its flag and messages, looked up by id when the rule fires. */
export interface RuleText {
  flag: Flag;
  message: string;
  messageFr: string;
}

export class Reporter {
  readonly findings: Finding[] = [];
  constructor(private readonly texts: (id: string) => RuleText) {}

  /** Records that rule `id` failed on `node`. */
  fail(id: string, node: XmlElement, attribute?: string): void {
    const t = this.texts(id);
    this.findings.push({
      rule: id,
      flag: t.flag,
      location: locationOf(node, attribute),
      message: t.message,
      messageFr: t.messageFr,
    });
  }

  /** `assert test` in Schematron terms: fails the rule when the test is false. */
  check(id: string, ok: boolean, node: XmlElement): void {
    if (!ok) this.fail(id, node);
  }
}

/** A family of rules evaluated on one parsed document. */
export interface RuleFamily {
  readonly name: string;
  readonly syntax: Syntax;
  /**
   * Rule ids this family can report (for coverage and documentation). Families of plain `r.check` calls may leave
   * it partial: the catalogue coverage test also counts every id it sees checked on the fixtures.
   */
  readonly ids: readonly string[];
  /** Whole-document rules (may be a no-op when the family only has per-element rules). */
  run(doc: XmlDocument, r: Reporter, ctx?: { profile?: string }): void;
  /**
   * Per-element rules: when present, the validator calls it for every element in one walk of the tree
   * shared by all families (after their `run`), instead of each family walking the tree itself.
   */
  visit?(el: XmlElement, doc: XmlDocument, r: Reporter): void;
}

// ---------------------------------------------------------------------------------------------------
// Paths: 'cac:Party/cbc:Name' compiled once to (namespace, local name) steps.

export interface NsMap {
  readonly [prefix: string]: string;
}

type Step = readonly [ns: string, local: string];

/** A compiled path: its steps, and the byName key of its first step (for //first-step lookups). */
interface Compiled {
  readonly steps: Step[];
  readonly ns: string[];
  readonly local: string[];
  readonly firstKey: string;
}

export class Paths {
  private readonly cache = new Map<string, Compiled>();
  constructor(private readonly nsMap: NsMap) {}

  private get(path: string): Compiled {
    let c = this.cache.get(path);
    if (!c) {
      const steps = path.split('/').map((s) => {
        const i = s.indexOf(':');
        const uri = this.nsMap[s.slice(0, i)];
        if (uri === undefined) throw new Error(`unknown prefix in ${path}`);
        return [intern(uri), intern(s.slice(i + 1))] as const;
      });
      c = { steps, ns: steps.map((x) => x[0]), local: steps.map((x) => x[1]), firstKey: steps[0][0] + ' ' + steps[0][1] };
      this.cache.set(path, c);
    }
    return c;
  }

  compile(path: string): Step[] {
    return this.get(path).steps;
  }

  /** All elements reached by the child path from `el`, in document order. */
  all(el: XmlElement | undefined, path: string): XmlElement[] {
    if (!el) return NONE;
    const c = this.get(path);
    const out: XmlElement[] = [];
    collect(el, c.ns, c.local, 0, out);
    return out.length ? out : NONE;
  }

  first(el: XmlElement | undefined, path: string): XmlElement | undefined {
    if (!el) return undefined;
    const c = this.get(path);
    if (c.ns.length === 1) {
      const ns = c.ns[0];
      const local = c.local[0];
      for (const k of el.children) if (k.local === local && k.ns === ns) return k;
      return undefined;
    }
    return firstFrom(el, c.ns, c.local, 0);
  }

  /** The first node reached by the child path from `el` that carries the unqualified attribute (any node when undefined). */
  firstWith(el: XmlElement, path: string, attribute: string | undefined): XmlElement | undefined {
    const c = this.get(path);
    return attribute === undefined ? firstFrom(el, c.ns, c.local, 0) : firstWithAttribute(el, c.ns, c.local, 0, attribute);
  }

  has(el: XmlElement | undefined, path: string): boolean {
    return this.first(el, path) !== undefined;
  }

  count(el: XmlElement | undefined, path: string): number {
    if (!el) return 0;
    const c = this.get(path);
    if (c.ns.length === 1) {
      const ns = c.ns[0];
      const local = c.local[0];
      let n = 0;
      for (const k of el.children) if (k.local === local && k.ns === ns) n++;
      return n;
    }
    return countFrom(el, c.ns, c.local, 0);
  }

  /** String value of the first node of the path, or undefined when there is none. */
  str(el: XmlElement | undefined, path: string): string | undefined {
    const n = this.first(el, path);
    return n ? stringValue(n) : undefined;
  }

  /** `normalize-space(path) != ''` as the rules write it. */
  filled(el: XmlElement | undefined, path: string): boolean {
    const s = this.str(el, path);
    return s !== undefined && normalizeSpace(s) !== '';
  }

  /** Descendants anywhere in the document: //prefix:name. */
  desc(doc: XmlDocument, name: string): XmlElement[] {
    return doc.byName.get(this.get(name).firstKey) ?? NONE;
  }

  kids(el: XmlElement, name: string): XmlElement[] {
    const c = this.get(name);
    const ns = c.ns[0];
    const local = c.local[0];
    let out: XmlElement[] | undefined;
    for (const k of el.children) if (k.local === local && k.ns === ns) (out ??= []).push(k);
    return out ?? NONE;
  }
}

function collect(el: XmlElement, ns: string[], local: string[], i: number, out: XmlElement[]): void {
  const n = ns[i];
  const l = local[i];
  const last = i === ns.length - 1;
  for (const k of el.children) {
    if (k.local !== l || k.ns !== n) continue;
    if (last) out.push(k);
    else collect(k, ns, local, i + 1, out);
  }
}

function countFrom(el: XmlElement, ns: string[], local: string[], i: number): number {
  const n = ns[i];
  const l = local[i];
  const last = i === ns.length - 1;
  let c = 0;
  for (const k of el.children) {
    if (k.local !== l || k.ns !== n) continue;
    c += last ? 1 : countFrom(k, ns, local, i + 1);
  }
  return c;
}

/** Depth-first search for the first node (in document order) reached by the steps from `el`. */
function firstFrom(el: XmlElement, ns: string[], local: string[], i: number): XmlElement | undefined {
  const n = ns[i];
  const l = local[i];
  const last = i === ns.length - 1;
  for (const k of el.children) {
    if (k.local !== l || k.ns !== n) continue;
    if (last) return k;
    const found = firstFrom(k, ns, local, i + 1);
    if (found) return found;
  }
  return undefined;
}

function firstWithAttribute(el: XmlElement, ns: string[], local: string[], i: number, attribute: string): XmlElement | undefined {
  const n = ns[i];
  const l = local[i];
  const last = i === ns.length - 1;
  for (const k of el.children) {
    if (k.local !== l || k.ns !== n) continue;
    if (last) {
      for (const a of k.attrs) if (a.local === attribute && a.ns === '') return k;
      continue;
    }
    const found = firstWithAttribute(k, ns, local, i + 1, attribute);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Values.

export const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_CEIL });
export type Dec = Decimal;

const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DOUBLE_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parsed values by their text: the rules read the same amounts and rates many times per document (and the
 * same rates in every document). Decimals are immutable, so one instance serves every reader. Short texts
 * only, and bounded, so that hostile documents do not grow it.
 */
const DEC_CACHE = new Map<string, Dec | null>();
const DEC_CACHE_MAX = 20_000;

/** xs:decimal(s): null when absent or not a decimal literal. */
export function dec(s: string | undefined): Dec | null {
  if (s === undefined) return null;
  const hit = DEC_CACHE.get(s);
  if (hit !== undefined) return hit;
  const t = s.trim();
  const d = DECIMAL_RE.test(t) ? new D(t) : null;
  if (s.length <= 64) {
    if (DEC_CACHE.size >= DEC_CACHE_MAX) DEC_CACHE.clear();
    DEC_CACHE.set(s, d);
  }
  return d;
}

/** Cast of an untyped value to xs:double, as in a general comparison with a number. */
export function num(s: string | undefined): number {
  if (s === undefined) return NaN;
  const t = s.trim();
  if (DOUBLE_RE.test(t)) return Number(t);
  if (t === 'INF') return Infinity;
  if (t === '-INF') return -Infinity;
  return NaN;
}

/** round(x * 100) div 100 with XPath's round (half towards positive infinity). */
export function round2(x: Dec): Dec {
  return x.toDecimalPlaces(2, Decimal.ROUND_HALF_CEIL);
}

/** XPath round(x). */
export function round0(x: Dec): Dec {
  return x.toDecimalPlaces(0, Decimal.ROUND_HALF_CEIL);
}

const ZERO = new D(0);

export function sumDec(values: (Dec | null)[]): Dec {
  let s: Dec = ZERO;
  for (const v of values) if (v) s = s.plus(v);
  return s;
}

/** string-length(substring-after(s, '.')) <= 2: at most two decimals written. */
export function maxTwoDecimals(s: string | undefined): boolean {
  if (s === undefined) return true;
  const i = s.indexOf('.');
  if (i < 0 || s.length - i - 1 <= 2) return true;
  // Characters, not UTF-16 units: a pair of surrogates is one character.
  let n = 0;
  for (let k = i + 1; k < s.length && n <= 2; k++) {
    const c = s.charCodeAt(k);
    if (c < 0xdc00 || c > 0xdfff || k === i + 1 || s.charCodeAt(k - 1) < 0xd800 || s.charCodeAt(k - 1) > 0xdbff) n++;
  }
  return n <= 2;
}

/** Casting an untyped value to xs:boolean in a comparison with true()/false(). */
export function bool(s: string | undefined): boolean | null {
  if (s === undefined) return null;
  const t = s.trim();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return null;
}

/** A code list as the Schematron writes it: ' A B C ' tested with concat(' ', normalize-space(.), ' '). */
export class CodeList {
  private readonly set: Set<string>;
  constructor(codes: string) {
    this.set = new Set(codes.split(/\s+/).filter(Boolean));
  }
  has(value: string | undefined): boolean {
    if (value === undefined) return false;
    const v = normalizeSpace(value);
    return v !== '' && this.set.has(v);
  }
}

export { normalizeSpace, stringValue };
