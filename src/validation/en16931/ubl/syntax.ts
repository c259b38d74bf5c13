import { maxTwoDecimals, stringValue, type Reporter, type RuleFamily } from '../../engine.ts';
import { attr, attributeNamesOf, type XmlDocument, type XmlElement } from '../../xml/tree.ts';
import { UBL_CR_PATHS } from './cr-paths.ts';
import { P, UBL_NS, chargeIndicator, isLine, ublRoot } from './common.ts';
import { mapped } from '../../../shared/mapped.ts';

/**
 * UBL syntax binding rules: UBL-SR (cardinalities the semantic model allows), UBL-DT (data types and
 * attributes), UBL-CR (UBL elements the EN 16931 does not use; warnings, a few fatal).
 */

interface CrEntry {
  id: string;
  path: string;
  /** Every element step ("ns local") of the path: all must occur in the document for the path to match. */
  keys: string[];
  attribute: string | null;
}

const CR_ENTRIES: CrEntry[] = UBL_CR_PATHS.map(([id, path]) => {
  const attrAt = path.lastIndexOf('@');
  const attribute = attrAt >= 0 ? path.slice(attrAt + 1) : null;
  const elementPart = (attrAt >= 0 ? path.slice(0, attrAt) : path).replace(/\/+$/, '');
  const keys = elementPart
    .split('/')
    .filter((s) => s && s !== 'L')
    .map((step) => {
      const [prefix, local] = step.split(':');
      return (UBL_NS as Record<string, string>)[prefix] + ' ' + local;
    });
  return { id, path, keys, attribute };
});

/** A UBL-CR path taken apart once: where it starts, the child path from there, the attribute tested. */
interface CrPlan {
  start: 'root' | 'lines' | 'desc' | 'all';
  /** For 'desc': the //first-step name. */
  first: string;
  /** Child path from the start nodes ('' = the start nodes themselves). */
  rest: string;
  attribute: string | undefined;
}

function plan(path: string): CrPlan {
  let attribute: string | undefined;
  let p = path;
  if (p.startsWith('//@')) return { start: 'all', first: '', rest: '', attribute: p.slice(3) };
  const at = p.lastIndexOf('/@');
  if (at >= 0) {
    attribute = p.slice(at + 2);
    p = p.slice(0, at);
  }
  if (p.startsWith('//')) {
    const steps = p.slice(2).split('/');
    return { start: 'desc', first: steps[0], rest: steps.slice(1).join('/'), attribute };
  }
  if (p.startsWith('L/')) return { start: 'lines', first: '', rest: p.slice(2), attribute };
  return { start: 'root', first: '', rest: p, attribute };
}

const CR_PLANS = CR_ENTRIES.map((cr) => plan(cr.path));

/**
 * The UBL-CR child paths from the invoice and from each line, merged into two trees of steps: one walk of the
 * document along them finds every forbidden node at once (most paths share their first steps).
 */
interface CrTrie {
  /** Child steps by local name: [namespace, subtree]. */
  next: Map<string, Array<readonly [string, CrTrie]>>;
  /** UBL-CR entries whose path ends here, with the attribute they require (if any). */
  ends: Array<{ entry: number; attribute: string | undefined }>;
}
const newTrie = (): CrTrie => ({ next: new Map(), ends: [] });
const ROOT_TRIE = newTrie();
const LINE_TRIE = newTrie();
/** UBL-CR entries tried one by one: // paths, //@ attributes. */
const CR_OTHERS: number[] = [];
CR_PLANS.forEach((pl, entry) => {
  if ((pl.start !== 'root' && pl.start !== 'lines') || !pl.rest) return void CR_OTHERS.push(entry);
  let node = pl.start === 'root' ? ROOT_TRIE : LINE_TRIE;
  for (const [ns, local] of P.compile(pl.rest)) {
    let branches = node.next.get(local);
    if (!branches) node.next.set(local, (branches = []));
    let child = branches.find(([n]) => n === ns)?.[1];
    if (!child) branches.push([ns, (child = newTrie())]);
    node = child;
  }
  node.ends.push({ entry, attribute: pl.attribute });
});

function walkCr(el: XmlElement, node: CrTrie, present: Uint8Array): void {
  for (const k of el.children) {
    const branches = node.next.get(k.local);
    if (branches === undefined) continue;
    for (const [ns, child] of branches) {
      if (k.ns !== ns) continue;
      for (const e of child.ends) if (e.attribute === undefined || attr(k, e.attribute) !== undefined) present[e.entry] = 1;
      if (child.next.size > 0) walkCr(k, child, present);
    }
  }
}

/** Evaluates UBL-CR entry `i` on its own: true when its forbidden node exists. */
function crPresent(doc: XmlDocument, root: XmlElement, lines: XmlElement[], i: number): boolean {
  const pl = CR_PLANS[i];
  if (pl.start === 'root') return presentFrom(root, pl);
  const starts = pl.start === 'lines' ? lines : pl.start === 'desc' ? P.desc(doc, pl.first) : doc.all;
  for (const st of starts) if (presentFrom(st, pl)) return true;
  return false;
}

function presentFrom(start: XmlElement, pl: CrPlan): boolean {
  if (pl.rest) return P.firstWith(start, pl.rest, pl.attribute) !== undefined;
  return pl.attribute === undefined || attr(start, pl.attribute) !== undefined;
}

const DT_ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [
  ['UBL-DT-08', 'schemeName'],
  ['UBL-DT-09', 'schemeAgencyName'],
  ['UBL-DT-10', 'schemeDataURI'],
  ['UBL-DT-11', 'schemeURI'],
  ['UBL-DT-12', 'format'],
  ['UBL-DT-13', 'unitCodeListIdentifier'],
  ['UBL-DT-14', 'unitCodeListAgencyIdentifier'],
  ['UBL-DT-15', 'unitCodeListAgencyName'],
  ['UBL-DT-16', 'listAgencyName'],
  ['UBL-DT-17', 'listName'],
  ['UBL-DT-19', 'languageID'],
  ['UBL-DT-20', 'listURI'],
  ['UBL-DT-21', 'listSchemeURI'],
  ['UBL-DT-22', 'languageLocaleID'],
  ['UBL-DT-23', 'uri'],
  ['UBL-DT-24', 'currencyCodeListVersionID'],
  ['UBL-DT-25', 'characterSetCode'],
  ['UBL-DT-26', 'encodingCode'],
  ['UBL-DT-27', 'schemeAgencyID'],
  ['UBL-DT-28', 'listAgencyID'],
];

/** count(path) <= 1 on the invoice. */
const AT_MOST_ONCE: ReadonlyArray<readonly [string, string]> = [
  ['UBL-SR-01', 'cac:ContractDocumentReference/cbc:ID'],
  ['UBL-SR-02', 'cac:ReceiptDocumentReference/cbc:ID'],
  ['UBL-SR-03', 'cac:DespatchDocumentReference/cbc:ID'],
  ['UBL-SR-05', 'cac:PaymentTerms/cbc:Note'],
  ['UBL-SR-08', 'cac:InvoicePeriod'],
  ['UBL-SR-09', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'],
  ['UBL-SR-10', 'cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name'],
  ['UBL-SR-11', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID'],
  ['UBL-SR-14', 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm'],
  ['UBL-SR-15', 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'],
  ['UBL-SR-16', 'cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID'],
  ['UBL-SR-17', 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID'],
  ['UBL-SR-24', 'cac:Delivery'],
  ['UBL-SR-39', 'cac:ProjectReference/cbc:ID'],
  ['UBL-SR-40', 'cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name'],
  ['UBL-SR-45', 'cac:PaymentMeans/cbc:PaymentDueDate'],
  ['UBL-SR-49', 'cac:InvoicePeriod/cbc:DescriptionCode'],
  ['UBL-SR-54', 'cac:PaymentMeans/cac:CardAccount'],
  ['UBL-SR-55', 'cac:PaymentMeans/cac:PaymentMandate'],
  ['UBL-SR-56', 'cac:OriginatorDocumentReference/cbc:ID'],
];

const upperValue = (i: XmlElement) => stringValue(i).toUpperCase();
const upperVat = (s: XmlElement) => mapped(P.all(s, 'cac:TaxScheme/cbc:ID'), upperValue);

function distinctValues(els: XmlElement[]): number {
  return new Set(mapped(els, stringValue)).size;
}

export const ublSyntax: RuleFamily = {
  name: 'en16931-ubl-syntax',
  syntax: 'ubl',
  // The table-driven rules (each UBL-CR is tried only when its element occurs) and UBL-DT-18 (reported on failure).
  ids: [...UBL_CR_PATHS.map(([id]) => id), ...DT_ATTRIBUTES.map(([id]) => id), ...AT_MOST_ONCE.map(([id]) => id), 'UBL-DT-18'],
  run(doc, r) {
    const root = ublRoot(doc);
    if (!root) return;

    const attrNames = attributeNamesOf(doc);

    for (const sp of P.all(root, 'cac:AccountingSupplierParty/cac:Party')) checkSellerTaxSchemeCount(sp, r);
    for (const d of P.desc(doc, 'cac:AdditionalDocumentReference')) checkAdditionalDocumentReference(root, d, r);
    for (const dl of P.desc(doc, 'cac:Delivery')) checkDeliveryPartyName(dl, r);
    for (const ac of P.desc(doc, 'cac:AllowanceCharge')) checkAllowanceChargeReason(ac, r);
    for (const pts of P.desc(doc, 'cac:PartyTaxScheme')) checkPartyTaxScheme(pts, r);

    // The invoice.
    checkForbiddenAttributes(root, attrNames, r);
    checkAtMostOnce(root, r);
    checkSingleIdentifiers(doc, root, r);
    checkSinglePaymentCodes(doc, root, r);
    checkUnusedUblElements(doc, root, attrNames, r);
    checkVersionAndPaymentDueDate(root, r);
    checkInvoicedObjectReferences(doc, root, r);

    const allLines = P.desc(doc, 'cac:InvoiceLine').concat(P.desc(doc, 'cac:CreditNoteLine'));
    for (const line of allLines) checkLineCardinalities(line, r);
    for (const payee of P.desc(doc, 'cac:PayeeParty')) checkPayee(payee, r);
    for (const pm of P.desc(doc, 'cac:PaymentMeans')) checkPaymentMeans(pm, r);
    for (const br of P.desc(doc, 'cac:BillingReference')) checkBillingReference(br, r);
    for (const tr of P.desc(doc, 'cac:TaxRepresentativeParty')) checkTaxRepresentative(tr, r);
    for (const st of P.desc(doc, 'cac:TaxSubtotal')) checkTaxSubtotalExemptionReason(st, r);
  },
  // Per-element rules, in the validator's single walk of the tree.
  visit(el, doc, r) {
    for (const a of el.attrs) {
      // UBL-DT-18: no @name except on PaymentMeansCode (reported once, on the invoice).
      if (a.local === 'name' && a.ns === '' && !(el.local === 'PaymentMeansCode' && el.ns === UBL_NS.cbc) && !namedReported.has(doc)) {
        namedReported.add(doc);
        r.fail('UBL-DT-18', doc.root);
      }
    }
    const cac = UBL_NS.cac;
    if (el.ns === cac && (el.local === 'PostalAddress' || el.local === 'Address')) {
      r.check('UBL-SR-51', P.count(el, 'cac:AddressLine') <= 1, el);
    }
    const l = el.local;
    // Amount data type: every *Amount except prices and amounts inside a price allowance.
    if (l.endsWith('Amount') && !l.endsWith('PriceAmount')) {
      let inPriceAllowance = false;
      for (let a = el.parent; a; a = a.parent) {
        if (a.ns === cac && a.local === 'Price' && P.has(a, 'cac:AllowanceCharge')) {
          inPriceAllowance = true;
          break;
        }
      }
      if (!inPriceAllowance) r.check('UBL-DT-01', maxTwoDecimals(stringValue(el)), el);
    } else if (l.endsWith('BinaryObject')) {
      r.check('UBL-DT-06', attr(el, 'mimeCode') !== undefined, el);
      r.check('UBL-DT-07', attr(el, 'filename') !== undefined, el);
    }
  },
};

const namedReported = new WeakSet<XmlDocument>();

function crPossible(cr: CrEntry, doc: XmlDocument, attrNames: Set<string>): boolean {
  if (cr.attribute !== null && !attrNames.has(cr.attribute)) return false;
  for (const k of cr.keys) if (!doc.byName.has(k)) return false;
  return true;
}

/** cac:AccountingSupplierParty/cac:Party: UBL-SR-42, at most two tax schemes. */
function checkSellerTaxSchemeCount(sp: XmlElement, r: Reporter): void {
  r.check('UBL-SR-42', P.count(sp, 'cac:PartyTaxScheme') <= 2, sp);
}

const hasSchemeId = (i: XmlElement) => attr(i, 'schemeID') !== undefined;

/** cac:AdditionalDocumentReference: UBL-SR-33 (one description), UBL-SR-43 (a scheme only for an invoiced object). */
function checkAdditionalDocumentReference(root: XmlElement, d: XmlElement, r: Reporter): void {
  r.check('UBL-SR-33', P.count(d, 'cbc:DocumentDescription') <= 1, d);
  const codes = mapped(P.kids(d, 'cbc:DocumentTypeCode'), stringValue);
  const isCreditNote = root.local === 'CreditNote';
  r.check(
    'UBL-SR-43',
    codes.includes('130') || (isCreditNote && codes.includes('50')) || (!P.kids(d, 'cbc:ID').some(hasSchemeId) && codes.length === 0),
    d,
  );
}

/** cac:Delivery: UBL-SR-25, one deliver to party name. */
function checkDeliveryPartyName(dl: XmlElement, r: Reporter): void {
  r.check('UBL-SR-25', P.count(dl, 'cac:DeliveryParty/cac:PartyName/cbc:Name') <= 1, dl);
}

/** cac:AllowanceCharge: UBL-SR-30 (allowance) and UBL-SR-31 (charge), one reason. */
function checkAllowanceChargeReason(ac: XmlElement, r: Reporter): void {
  const ind = chargeIndicator(ac);
  if (ind === false) r.check('UBL-SR-30', P.count(ac, 'cbc:AllowanceChargeReason') <= 1, ac);
  else if (ind === true) r.check('UBL-SR-31', P.count(ac, 'cbc:AllowanceChargeReason') <= 1, ac);
}

/** cac:PartyTaxScheme: UBL-SR-53, a scheme and a company identifier. */
function checkPartyTaxScheme(pts: XmlElement, r: Reporter): void {
  r.check('UBL-SR-53', P.has(pts, 'cac:TaxScheme/cbc:ID') && P.has(pts, 'cbc:CompanyID'), pts);
}

/** UBL-DT-08..28 on the invoice: attributes the semantic model does not use. */
function checkForbiddenAttributes(root: XmlElement, attrNames: Set<string>, r: Reporter): void {
  for (const [id, name] of DT_ATTRIBUTES) r.check(id, !attrNames.has(name), root);
}

/** UBL-SR-01..56 on the invoice: the elements that occur at most once. */
function checkAtMostOnce(root: XmlElement, r: Reporter): void {
  for (const [id, path] of AT_MOST_ONCE) r.check(id, P.count(root, path) <= 1, root);
}

const is130Code = (c: XmlElement) => stringValue(c) === '130';
const not130Code = (c: XmlElement) => stringValue(c) !== '130';
const is130 = (d: XmlElement) => P.kids(d, 'cbc:DocumentTypeCode').some(is130Code);
const not130 = (d: XmlElement) => {
  const codes = P.kids(d, 'cbc:DocumentTypeCode');
  return codes.length === 0 || codes.some(not130Code);
};
const idsOf = (e: XmlElement) => P.kids(e, 'cbc:ID');
const companyIdsOf = (s: XmlElement) => P.kids(s, 'cbc:CompanyID');
const isVatScheme = (s: XmlElement) => upperVat(s).includes('VAT');
const notVat = (v: string) => v !== 'VAT';
const hasOtherScheme = (s: XmlElement) => upperVat(s).some(notVat);
const isSepaId = (i: XmlElement) => (attr(i, 'schemeID') ?? '\u0000').toUpperCase() === 'SEPA';

/** UBL-SR-04, 12, 13, 18 and 29 on the invoice: one invoiced object, VAT and tax identifiers, bank assigned creditor. */
function checkSingleIdentifiers(doc: XmlDocument, root: XmlElement, r: Reporter): void {
  r.check('UBL-SR-04', P.kids(root, 'cac:AdditionalDocumentReference').filter(is130).flatMap(idsOf).length <= 1, root);
  const sellerSchemes = P.all(root, 'cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme');
  r.check('UBL-SR-12', sellerSchemes.filter(isVatScheme).flatMap(companyIdsOf).length <= 1, root);
  r.check('UBL-SR-13', sellerSchemes.filter(hasOtherScheme).flatMap(companyIdsOf).length <= 1, root);
  const buyerSchemes = P.all(root, 'cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme');
  r.check('UBL-SR-18', buyerSchemes.filter(isVatScheme).flatMap(companyIdsOf).length <= 1, root);
  r.check('UBL-SR-29', P.desc(doc, 'cac:PartyIdentification').flatMap(idsOf).filter(isSepaId).length <= 1, root);
}

const hasName = (c: XmlElement) => attr(c, 'name') !== undefined;

/** UBL-SR-44, 46 and 47 on the invoice: one payment identifier and one payment means code. */
function checkSinglePaymentCodes(doc: XmlDocument, root: XmlElement, r: Reporter): void {
  r.check('UBL-SR-44', distinctValues(P.desc(doc, 'cbc:PaymentID')) <= 1, root);
  r.check('UBL-SR-46', P.all(root, 'cac:PaymentMeans/cbc:PaymentMeansCode').filter(hasName).length <= 1, root);
  r.check('UBL-SR-47', distinctValues(P.desc(doc, 'cbc:PaymentMeansCode')) <= 1, root);
}

/**
 * UBL-CR on the invoice: the forbidden paths from the invoice and its lines in one walk, the others one by one (when
 * their names occur).
 */
function checkUnusedUblElements(doc: XmlDocument, root: XmlElement, attrNames: Set<string>, r: Reporter): void {
  const lines = [...P.kids(root, 'cac:InvoiceLine'), ...P.kids(root, 'cac:CreditNoteLine')];
  const present = new Uint8Array(CR_ENTRIES.length);
  walkCr(root, ROOT_TRIE, present);
  for (const line of lines) walkCr(line, LINE_TRIE, present);
  for (const i of CR_OTHERS) if (crPossible(CR_ENTRIES[i], doc, attrNames) && crPresent(doc, root, lines, i)) present[i] = 1;
  for (let i = 0; i < present.length; i++) if (present[i]) r.fail(CR_ENTRIES[i].id, root);
}

const isVersion21 = (v: XmlElement) => stringValue(v) === '2.1';

/** UBL-CR-002 and UBL-CR-412 on the invoice: UBL version 2.1, a payment due date only on a credit note. */
function checkVersionAndPaymentDueDate(root: XmlElement, r: Reporter): void {
  const ublVersion = P.kids(root, 'cbc:UBLVersionID');
  r.check('UBL-CR-002', ublVersion.length === 0 || ublVersion.some(isVersion21), root);
  r.check('UBL-CR-412', !P.has(root, 'cac:PaymentMeans/cbc:PaymentDueDate') || root.local === 'CreditNote', root);
}

const hasIdWithScheme = (d: XmlElement) => P.kids(d, 'cbc:ID').some(hasSchemeId);
const hasAttachment = (d: XmlElement) => P.has(d, 'cac:Attachment');
const hasDescription = (d: XmlElement) => P.has(d, 'cbc:DocumentDescription');

/** UBL-CR-665, 666 and 673 on the invoice: what an additional document reference may carry, invoiced object or not. */
function checkInvoicedObjectReferences(doc: XmlDocument, root: XmlElement, r: Reporter): void {
  const adr = P.desc(doc, 'cac:AdditionalDocumentReference');
  r.check('UBL-CR-665', !adr.filter(not130).some(hasIdWithScheme), root);
  r.check('UBL-CR-666', !adr.filter(is130).some(hasAttachment), root);
  r.check('UBL-CR-673', !adr.filter(is130).some(hasDescription), root);
}

/** cac:InvoiceLine | cac:CreditNoteLine: UBL-SR-34..52, the line's elements that occur at most (or exactly) once. */
function checkLineCardinalities(line: XmlElement, r: Reporter): void {
  if (!isLine(line)) return;
  r.check('UBL-SR-34', P.count(line, 'cbc:Note') <= 1, line);
  r.check('UBL-SR-35', P.count(line, 'cac:OrderLineReference/cbc:LineID') <= 1, line);
  r.check('UBL-SR-36', P.count(line, 'cac:InvoicePeriod') <= 1, line);
  r.check('UBL-SR-37', P.count(line, 'cac:Price/cac:AllowanceCharge/cbc:Amount') <= 1, line);
  r.check('UBL-SR-48', P.count(line, 'cac:Item/cac:ClassifiedTaxCategory') === 1, line);
  r.check('UBL-SR-50', P.count(line, 'cac:Item/cbc:Description') <= 1, line);
  r.check('UBL-SR-52', P.count(line, 'cac:DocumentReference') <= 1, line);
}

const notSepaId = (i: XmlElement) => (attr(i, 'schemeID') ?? '').toUpperCase() !== 'SEPA';

/** cac:PayeeParty: UBL-SR-19/20/21, one name, identifier and legal registration, the payee not being the seller. */
function checkPayee(payee: XmlElement, r: Reporter): void {
  const names = mapped(P.all(payee, 'cac:PartyName/cbc:Name'), stringValue);
  const sellerNames = mapped(P.all(payee.parent ?? undefined, 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'), stringValue);
  const differs = names.some((n) => sellerNames.some((s) => s !== n));
  r.check('UBL-SR-19', names.length <= 1 && differs, payee);
  const ids = P.all(payee, 'cac:PartyIdentification/cbc:ID').filter(notSepaId);
  r.check('UBL-SR-20', ids.length <= 1 && differs, payee);
  r.check('UBL-SR-21', P.count(payee, 'cac:PartyLegalEntity/cbc:CompanyID') <= 1 && differs, payee);
}

/** cac:PaymentMeans: UBL-SR-26/27/28, one payment identifier, means code and mandate identifier. */
function checkPaymentMeans(pm: XmlElement, r: Reporter): void {
  r.check('UBL-SR-26', P.count(pm, 'cbc:PaymentID') <= 1, pm);
  r.check('UBL-SR-27', P.count(pm, 'cbc:PaymentMeansCode') <= 1, pm);
  r.check('UBL-SR-28', P.count(pm, 'cac:PaymentMandate/cbc:ID') <= 1, pm);
}

/** cac:BillingReference: UBL-SR-06/07, one preceding invoice, with its identifier. */
function checkBillingReference(br: XmlElement, r: Reporter): void {
  r.check('UBL-SR-06', P.count(br, 'cac:InvoiceDocumentReference') <= 1, br);
  r.check('UBL-SR-07', P.has(br, 'cac:InvoiceDocumentReference/cbc:ID'), br);
}

/** cac:TaxRepresentativeParty: UBL-SR-22/23, one name and one VAT identifier. */
function checkTaxRepresentative(tr: XmlElement, r: Reporter): void {
  r.check('UBL-SR-22', P.count(tr, 'cac:PartyName/cbc:Name') <= 1, tr);
  r.check('UBL-SR-23', P.count(tr, 'cac:Party/cac:PartyTaxScheme/cbc:CompanyID') <= 1, tr);
}

/** cac:TaxSubtotal: UBL-SR-32, one exemption reason. */
function checkTaxSubtotalExemptionReason(st: XmlElement, r: Reporter): void {
  r.check('UBL-SR-32', P.count(st, 'cac:TaxCategory/cbc:TaxExemptionReason') <= 1, st);
}
