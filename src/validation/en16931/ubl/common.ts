import { Paths, normalizeSpace, stringValue, bool } from '../../engine.ts';
import { intern, type XmlDocument, type XmlElement } from '../../xml/tree.ts';

export const UBL_NS = {
  ubl: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  cn: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  ext: 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2',
} as const;

export const P = new Paths(UBL_NS);

/* Names that frequent tests compare children with directly (interned, as the tree's: compared by reference). */
const TAX_SCHEME = intern('TaxScheme');
const CHARGE_INDICATOR = intern('ChargeIndicator');

/** The document element when it is a UBL Invoice or CreditNote (the rules' `/ubl:Invoice | /cn:CreditNote`). */
export function ublRoot(doc: XmlDocument): XmlElement | undefined {
  const r = doc.root;
  if ((r.ns === UBL_NS.ubl && r.local === 'Invoice') || (r.ns === UBL_NS.cn && r.local === 'CreditNote')) return r;
  return undefined;
}

/** [cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT'] */
const vatMemo = new WeakMap<XmlElement, boolean>();
const codeMemo = new WeakMap<XmlElement, string>();

export function isVat(category: XmlElement): boolean {
  let v = vatMemo.get(category);
  if (v === undefined) vatMemo.set(category, (v = computeIsVat(category)));
  return v;
}

function computeIsVat(category: XmlElement): boolean {
  for (const scheme of category.children) {
    if (scheme.local !== TAX_SCHEME || scheme.ns !== UBL_NS.cac) continue;
    for (const id of scheme.children) if (id.local === 'ID' && id.ns === UBL_NS.cbc && normalizeSpace(stringValue(id).toUpperCase()) === 'VAT') return true;
  }
  return false;
}

/** normalize-space(cbc:ID) of a tax category (first ID). */
export function categoryCode(category: XmlElement): string {
  let c = codeMemo.get(category);
  if (c === undefined) {
    const id = P.first(category, 'cbc:ID');
    codeMemo.set(category, (c = id ? normalizeSpace(stringValue(id)) : ''));
  }
  return c;
}

/** An AllowanceCharge's cbc:ChargeIndicator as a boolean (null when absent or not a boolean). */
export function chargeIndicator(ac: XmlElement): boolean | null {
  // A general comparison with true()/false() is true if any indicator matches; invoices carry one.
  for (const ind of ac.children) if (ind.local === CHARGE_INDICATOR && ind.ns === UBL_NS.cbc) return bool(stringValue(ind));
  return null;
}

/** Elements in document order whose local name ends with `suffix` (the rules' ends-with(name(), ...)). */
export function elementsEndingWith(doc: XmlDocument, suffix: string): XmlElement[] {
  return doc.all.filter((e) => e.local.endsWith(suffix));
}

export function isLine(el: XmlElement): boolean {
  return el.ns === UBL_NS.cac && (el.local === 'InvoiceLine' || el.local === 'CreditNoteLine');
}
