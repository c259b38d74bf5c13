import { dec, maxTwoDecimals, round2, type Dec, type Paths } from '../engine.ts';
import type { XmlElement } from '../xml/tree.ts';

/**
 * Business logic shared by the UBL and CII bindings of the EN 16931 rules. Where a rule says the same
 * thing in both syntaxes, the arithmetic lives here and each binding passes the values it read from its
 * own paths; where the official bindings differ (they often do, in rounding or in the XPath types they
 * use), each binding keeps its own test and says so.
 */

export { VAT_PREFIXES as VAT_PREFIXES_CII } from './codelists.ts';

/** VAT category code → rule family prefix. */
export const VAT_FAMILY: Readonly<Record<string, string>> = {
  S: 'BR-S', Z: 'BR-Z', E: 'BR-E', AE: 'BR-AE', K: 'BR-IC', G: 'BR-G', O: 'BR-O', L: 'BR-AF', M: 'BR-AG',
};

/** Every id the VAT families report (-01…-10 of each category, the O and IC extras, split payment BR-B). */
export const VAT_FAMILY_IDS: readonly string[] = [
  ...Object.values(VAT_FAMILY).flatMap((f) => ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'].map((n) => `${f}-${n}`)),
  'BR-IC-11', 'BR-IC-12', 'BR-O-11', 'BR-O-12', 'BR-O-13', 'BR-O-14', 'BR-B-01', 'BR-B-02',
];

/** BR-33/38/42/44, BR-CO-21…24: an allowance or charge gives a reason, a reason code, or both. */
export function allowanceReasonOk(hasReason: boolean, hasReasonCode: boolean): boolean {
  return hasReason || hasReasonCode;
}

/**
 * BR-CO-13: BT-109 = round2(BT-106 − BT-107 + BT-108), each of BT-107/BT-108 taken only when present
 * (undefined = element absent, null = present but not a decimal). When neither is present the UBL binding
 * compares BT-109 with BT-106 as written, the CII binding with BT-106 rounded (`roundAlone`).
 */
export function co13(
  taxExclusive: Dec | null,
  lineTotal: Dec | null,
  allowances: Dec | null | undefined,
  charges: Dec | null | undefined,
  roundAlone = true,
): boolean {
  if (taxExclusive === null || lineTotal === null) return false;
  if (allowances !== undefined && charges !== undefined) {
    return allowances !== null && charges !== null && taxExclusive.eq(round2(lineTotal.minus(allowances).plus(charges)));
  }
  if (allowances !== undefined) return allowances !== null && taxExclusive.eq(round2(lineTotal.minus(allowances)));
  if (charges !== undefined) return charges !== null && taxExclusive.eq(round2(lineTotal.plus(charges)));
  return taxExclusive.eq(roundAlone ? round2(lineTotal) : lineTotal);
}

/**
 * BR-CO-16 as the CII binding writes it: BT-115 = BT-112 − BT-113 + BT-114 without rounding, a paid or
 * rounding amount of zero counting as absent (`not(xs:decimal(...))` is true for 0).
 */
export function co16Exact(due: Dec | null, grand: Dec | null, prepaid: string | undefined, rounding: string | undefined): boolean {
  if (due === null || grand === null) return false;
  const pre = prepaid === undefined ? null : dec(prepaid);
  const rnd = rounding === undefined ? null : dec(rounding);
  const absent = (v: Dec | null) => v === null || v.isZero();
  if (pre !== null && rnd !== null && due.eq(grand.minus(pre).plus(rnd))) return true;
  if (rnd !== null && absent(pre) && due.eq(grand.plus(rnd))) return true;
  if (pre !== null && absent(rnd) && due.eq(grand.minus(pre))) return true;
  return absent(pre) && absent(rnd) && due.eq(grand);
}

/** BR-DEC-*: at most two decimals written in the first node of the path. */
export function decimalsOk(el: XmlElement, paths: Paths, path: string): boolean {
  return maxTwoDecimals(paths.str(el, path));
}

/** ±1 tolerance of BR-CO-17, BR-S-09 and the X-08 taxable amounts: |x − expected| < 1. */
export function withinOne(x: Dec | number, expected: Dec | number): boolean {
  const a = typeof x === 'number' ? x : x.toNumber();
  const b = typeof expected === 'number' ? expected : expected.toNumber();
  return a - 1 < b && a + 1 > b;
}
