import { Paths, bool, normalizeSpace, num, stringValue } from '../../engine.ts';
import { attr, intern, type XmlDocument, type XmlElement } from '../../xml/tree.ts';

export const CII_NS = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
} as const;

export const RAM = CII_NS.ram;
export const P = new Paths(CII_NS);

/*
 * Names the most frequent tests compare children with directly (interned, as the tree's: compared by reference),
 * without a path look-up or a list of the children found.
 */
const CHARGE_INDICATOR = intern('ChargeIndicator');
const INDICATOR = intern('Indicator');
const CATEGORY_CODE = intern('CategoryCode');

/** The document element when it is a CII CrossIndustryInvoice (the rules' `/rsm:CrossIndustryInvoice`). */
export function ciiRoot(doc: XmlDocument): XmlElement | undefined {
  const r = doc.root;
  return r.ns === CII_NS.rsm && r.local === 'CrossIndustryInvoice' ? r : undefined;
}

export const isRam = (el: XmlElement | null | undefined, local: string): boolean => !!el && el.local === local && el.ns === RAM;

/** String value of the first node of a path ('' when absent), as XPath functions on a singleton see it. */
export function s1(el: XmlElement | undefined, path: string): string {
  return P.str(el, path) ?? '';
}

/** normalize-space(path) != '' on the first node of the path. */
export function filled(el: XmlElement | undefined, path: string): boolean {
  return normalizeSpace(s1(el, path)) !== '';
}

/**
 * ram:ChargeIndicator/udt:Indicator compared with true()/false(): the untyped value is cast to
 * xs:boolean ('true'/'1', 'false'/'0'); null when absent or not a boolean.
 */
export function indicator(ac: XmlElement): boolean | null {
  for (const ci of ac.children) {
    if (ci.local !== CHARGE_INDICATOR || ci.ns !== RAM) continue;
    for (const i of ci.children) {
      if (i.local !== INDICATOR || i.ns !== CII_NS.udt) continue;
      const b = bool(stringValue(i));
      if (b !== null) return b;
    }
  }
  return null;
}

/** ram:ChargeIndicator[udt:Indicator = 'false' | 'true'] (string comparison, as the context predicates write it). */
export function indicatorIs(chargeIndicator: XmlElement, value: 'true' | 'false'): boolean {
  for (const i of chargeIndicator.children) if (i.local === INDICATOR && i.ns === CII_NS.udt && stringValue(i) === value) return true;
  return false;
}

/** [upper-case(ram:TypeCode) = 'VAT'] on a trade tax. */
export function isVatTax(tax: XmlElement): boolean {
  const t = P.first(tax, 'ram:TypeCode');
  return t !== undefined && stringValue(t).toUpperCase() === 'VAT';
}

/** [ram:CategoryCode = 'X'] (general comparison, no normalisation). */
export function hasCategory(tax: XmlElement, code: string): boolean {
  for (const c of tax.children) if (c.local === CATEGORY_CODE && c.ns === RAM && stringValue(c) === code) return true;
  return false;
}

/** The first ram:CategoryCode of a trade tax, raw. */
export function categoryOf(tax: XmlElement): string | undefined {
  const c = P.first(tax, 'ram:CategoryCode');
  return c ? stringValue(c) : undefined;
}

/** ram:SpecifiedTaxRegistration/ram:ID[@schemeID = one of schemes] under a party. */
export function taxIdOf(party: XmlElement, schemes: readonly string[]): boolean {
  return P.all(party, 'ram:SpecifiedTaxRegistration/ram:ID').some((id) => {
    const s = attr(id, 'schemeID');
    return s !== undefined && schemes.includes(s);
  });
}

/**
 * Code-list membership exactly as the Schematron writes it:
 * not(contains(normalize-space(.), ' ')) and contains(LIST, concat(' ', normalize-space(.), ' ')).
 * A token counts only when it has a space on both sides in LIST (some lists end without one).
 */
export class SchList {
  private readonly set = new Set<string>();
  constructor(list: string) {
    const parts = list.split(' ');
    for (let i = 1; i < parts.length - 1; i++) if (parts[i]) this.set.add(parts[i]);
  }
  has(value: string | undefined): boolean {
    if (value === undefined) return false;
    const v = normalizeSpace(value);
    return v !== '' && this.set.has(v);
  }
}

/** XPath sum() of untyped values (cast to xs:double), in document order. */
export function sumDouble(values: Iterable<string>): number {
  let s = 0;
  for (const v of values) s += toDouble(v);
  return s;
}

/** Casting an untyped value to xs:double (the engine's `num`). */
export const toDouble = (v: string): number => num(v);

/** XPath round() on a double: half towards positive infinity. */
export const roundD = (x: number): number => Math.floor(x + 0.5);
