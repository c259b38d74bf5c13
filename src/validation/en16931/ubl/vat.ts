import { dec, num, round2, stringValue, sumDec, type Dec, type RuleFamily } from '../../engine.ts';
import type { XmlDocument, XmlElement } from '../../xml/tree.ts';
import { P, categoryCode, chargeIndicator, isVat, ublRoot } from './common.ts';
import { VAT_FAMILY_IDS } from '../shared.ts';

/**
 * The VAT category families bound to UBL: BR-S (standard), BR-Z (zero), BR-E (exempt), BR-AE (reverse
 * charge), BR-IC (intra-community, code K), BR-G (export), BR-O (not subject), BR-AF (IGIC, L), BR-AG
 * (IPSI, M) and the split payment rules BR-B. The official tests are not uniform across families (some
 * filter on the VAT scheme, some do not; some require one breakdown, some at least one): each family
 * below follows its own official test.
 */

type Cat = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O' | 'L' | 'M';
const FAMILY: Record<Cat, string> = { S: 'BR-S', Z: 'BR-Z', E: 'BR-E', AE: 'BR-AE', K: 'BR-IC', G: 'BR-G', O: 'BR-O', L: 'BR-AF', M: 'BR-AG' };

interface Facts {
  root: XmlElement;
  /** //cac:TaxCategory (doc and breakdown and allowance categories). */
  taxCats: XmlElement[];
  classified: XmlElement[];
  /** Every cac:AllowanceCharge of the document, at any level. */
  allAcs: XmlElement[];
  breakdownCats: XmlElement[];
  sellerAnyTaxId: boolean;
  sellerVatId: boolean;
  taxRepVatId: boolean;
  buyerVatId: boolean;
  buyerLegalId: boolean;
  invoiceLines: XmlElement[];
  creditLines: XmlElement[];
  /** allAcs read once: indicator and tax categories. */
  acs: AcInfo[];
  /** The document level allowances and charges (children of the invoice), with their amount. */
  rootAcs: AcInfo[];
  invoiceLineInfo: LineInfo[];
  creditLineInfo: LineInfo[];
}

interface AcInfo {
  ind: boolean | null;
  cats: XmlElement[];
  amount: Dec | null;
}

interface LineInfo {
  /** cac:Item/cac:ClassifiedTaxCategory */
  cats: XmlElement[];
  amount: Dec | null;
}

const acInfo = (ac: XmlElement, withAmount: boolean): AcInfo => ({
  ind: chargeIndicator(ac),
  cats: P.kids(ac, 'cac:TaxCategory'),
  amount: withAmount ? dec(P.str(ac, 'cbc:Amount')) : null,
});
const lineInfo = (l: XmlElement): LineInfo => ({
  cats: P.all(l, 'cac:Item/cac:ClassifiedTaxCategory'),
  amount: dec(P.str(l, 'cbc:LineExtensionAmount')),
});

function vatIdOf(parties: XmlElement[], vatOnly: boolean): boolean {
  return parties.some((p) => P.kids(p, 'cac:PartyTaxScheme').some((s) => (!vatOnly || isVat(s)) && P.has(s, 'cbc:CompanyID')));
}

function facts(doc: XmlDocument, root: XmlElement): Facts {
  const sellerParties = P.desc(doc, 'cac:AccountingSupplierParty').flatMap((s) => P.kids(s, 'cac:Party'));
  const buyerParties = P.desc(doc, 'cac:AccountingCustomerParty').flatMap((s) => P.kids(s, 'cac:Party'));
  const allAcs = P.desc(doc, 'cac:AllowanceCharge');
  const invoiceLines = P.desc(doc, 'cac:InvoiceLine');
  const creditLines = P.desc(doc, 'cac:CreditNoteLine');
  return {
    root,
    taxCats: P.desc(doc, 'cac:TaxCategory'),
    classified: P.desc(doc, 'cac:ClassifiedTaxCategory'),
    allAcs,
    breakdownCats: P.all(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory'),
    sellerAnyTaxId: vatIdOf(sellerParties, false),
    sellerVatId: vatIdOf(sellerParties, true),
    taxRepVatId: vatIdOf(P.desc(doc, 'cac:TaxRepresentativeParty'), true),
    buyerVatId: vatIdOf(buyerParties, true),
    buyerLegalId: buyerParties.some((p) => P.has(p, 'cac:PartyLegalEntity/cbc:CompanyID')),
    invoiceLines,
    creditLines,
    acs: allAcs.map((ac) => acInfo(ac, false)),
    rootAcs: P.kids(root, 'cac:AllowanceCharge').map((ac) => acInfo(ac, true)),
    invoiceLineInfo: invoiceLines.map(lineInfo),
    creditLineInfo: creditLines.map(lineInfo),
  };
}

const codeIs = (c: XmlElement, code: string) => categoryCode(c) === code;
/** cbc:ID = 'X' (general comparison without normalize-space, any ID). */
const rawIdIs = (c: XmlElement, code: string) => P.kids(c, 'cbc:ID').some((i) => stringValue(i) === code);

/** Number of AllowanceCharge categories with the given indicator (null = any) and code. */
function acCats(f: Facts, charge: boolean | null, code: string, vat: boolean, raw = false): number {
  let n = 0;
  for (const ac of f.acs) {
    if (charge !== null && ac.ind !== charge) continue;
    for (const c of ac.cats) if ((raw ? rawIdIs(c, code) : codeIs(c, code)) && (!vat || isVat(c))) n++;
  }
  return n;
}

function lineCats(f: Facts, code: string, vat: boolean): number {
  let n = 0;
  for (const c of f.classified) if (codeIs(c, code) && (!vat || isVat(c))) n++;
  return n;
}

const percentOf = (c: XmlElement) => dec(P.str(c, 'cbc:Percent'));

/** Categories of which one has the code `code` and (if a rate is given) one the rate `rate`. */
function catsMatch(cats: XmlElement[], code: string, rate?: Dec | null): boolean {
  if (!cats.some((c) => codeIs(c, code))) return false;
  if (rate === undefined) return true;
  return rate !== null && cats.some((c) => eqDec(percentOf(c), rate));
}

/** Sum of LineExtensionAmount of lines whose item category is `code` (and, if given, whose rate equals `rate`). */
function linesSum(lines: LineInfo[], code: string, rate?: Dec | null): Dec {
  let s = ZERO;
  for (const l of lines) if (catsMatch(l.cats, code, rate) && l.amount) s = s.plus(l.amount);
  return s;
}

function docAcSum(f: Facts, charge: boolean, code: string, rate?: Dec | null): Dec {
  let s = ZERO;
  for (const ac of f.rootAcs) if (ac.ind === charge && catsMatch(ac.cats, code, rate) && ac.amount) s = s.plus(ac.amount);
  return s;
}

const ZERO = sumDec([]);

export const ublVat: RuleFamily = {
  name: 'en16931-ubl-vat',
  syntax: 'ubl',
  ids: VAT_FAMILY_IDS,
  run(doc, r) {
    const root = ublRoot(doc);
    if (!root) return;
    const f = facts(doc, root);

    // --- a category used on lines, allowances or charges appears in the VAT breakdown.
    for (const code of ['AE', 'E', 'G', 'K', 'O', 'Z'] as const) {
      const used = anyCat(f, code, true);
      r.check(`${FAMILY[code]}-01`, (used && breakdownCount(f, code, true) === 1) || !used, root);
    }
    {
      const used = acCats(f, null, 'S', false) + lineCats(f, 'S', false);
      const inBreakdown = breakdownCount(f, 'S', false);
      r.check('BR-S-01', (used > 0 && inBreakdown > 0) || (used === 0 && inBreakdown === 0), root);
    }
    {
      const used = acCats(f, null, 'L', true) + lineCats(f, 'L', true);
      r.check('BR-AF-01', (used > 0 && breakdownCount(f, 'L', false, true) > 0) || (used === 0 && breakdownCount(f, 'L', true) === 0), root);
    }
    {
      const used = acCats(f, null, 'M', true) + lineCats(f, 'M', true);
      r.check(
        'BR-AG-01',
        (used > 0 && f.breakdownCats.filter((c) => rawIdIs(c, 'M') && isVat(c)).length > 0) ||
          (used === 0 && breakdownCount(f, 'M', true) === 0),
        root,
      );
    }

    // --- X-02/03/04: the parties' identifiers a category requires (or forbids).
    const sellerOrRep = f.sellerAnyTaxId || f.taxRepVatId;
    const sellerVatOrRep = f.sellerVatId || f.taxRepVatId;
    const buyer = f.buyerVatId || f.buyerLegalId;

    r.check('BR-S-02', (line(f, 'S') && sellerOrRep) || lineCats(f, 'S', false) === 0, root);
    r.check('BR-S-03', (allowance(f, 'S') && sellerOrRep) || !allowance(f, 'S'), root);
    r.check('BR-S-04', (charge(f, 'S') && sellerOrRep) || !charge(f, 'S'), root);
    for (const code of ['Z', 'E', 'L', 'M'] as const) {
      const fam = FAMILY[code];
      r.check(`${fam}-02`, (line(f, code) && sellerOrRep) || !line(f, code), root);
      r.check(`${fam}-03`, (allowance(f, code) && sellerOrRep) || !allowance(f, code), root);
      if (code === 'L') {
        const rawCharge = acCats(f, true, 'L', true, true) > 0;
        r.check(`${fam}-04`, (charge(f, code) && sellerOrRep) || !rawCharge, root);
      } else r.check(`${fam}-04`, (charge(f, code) && sellerOrRep) || !charge(f, code), root);
    }
    r.check('BR-AE-02', (line(f, 'AE') && sellerOrRep && buyer) || !line(f, 'AE'), root);
    r.check('BR-AE-03', (allowance(f, 'AE') && sellerOrRep && buyer) || !allowance(f, 'AE'), root);
    r.check('BR-AE-04', (charge(f, 'AE') && sellerOrRep && buyer) || !charge(f, 'AE'), root);
    r.check('BR-IC-02', (line(f, 'K') && sellerVatOrRep && f.buyerVatId) || !line(f, 'K'), root);
    r.check('BR-IC-03', (allowance(f, 'K') && sellerVatOrRep && f.buyerVatId) || !allowance(f, 'K'), root);
    r.check('BR-IC-04', (charge(f, 'K') && sellerVatOrRep && f.buyerVatId) || !charge(f, 'K'), root);
    r.check('BR-G-02', (line(f, 'G') && sellerVatOrRep) || !line(f, 'G'), root);
    r.check('BR-G-03', (acCats(f, false, 'G', false) > 0 && sellerVatOrRep) || !allowance(f, 'G'), root);
    r.check('BR-G-04', (acCats(f, true, 'G', false) > 0 && sellerVatOrRep) || !charge(f, 'G'), root);
    const noVatIds = !f.sellerVatId && !f.taxRepVatId && !f.buyerVatId;
    r.check('BR-O-02', (line(f, 'O') && noVatIds) || !line(f, 'O'), root);
    r.check('BR-O-03', (docAc(f, false) && noVatIds) || !docAc(f, false), root);
    r.check('BR-O-04', (docAc(f, true) && noVatIds) || !docAc(f, true), root);

    // --- IC-11/12 and O-11..14 on the invoice.
    const hasK = f.breakdownCats.some((c) => isVat(c) && codeIs(c, 'K'));
    r.check(
      'BR-IC-11',
      !hasK ||
        [...(P.str(root, 'cac:Delivery/cbc:ActualDeliveryDate') ?? '')].length > 1 ||
        P.all(root, 'cac:InvoicePeriod').some((p) => p.children.length > 0),
      root,
    );
    r.check('BR-IC-12', !hasK || [...(P.str(root, 'cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode') ?? '')].length > 1, root);
    const hasO = f.breakdownCats.some((c) => isVat(c) && codeIs(c, 'O'));
    r.check('BR-O-11', !hasO || !f.breakdownCats.some((c) => isVat(c) && !codeIs(c, 'O')), root);
    r.check('BR-O-12', !hasO || !f.classified.some((c) => isVat(c) && !codeIs(c, 'O')), root);
    r.check('BR-O-13', !hasO || !f.acs.some((ac) => ac.ind === false && ac.cats.some((c) => isVat(c) && !codeIs(c, 'O'))), root);
    r.check('BR-O-14', !hasO || !f.acs.some((ac) => ac.ind === true && ac.cats.some((c) => isVat(c) && !codeIs(c, 'O'))), root);

    // --- Split payment.
    const hasB = f.taxCats.some((c) => rawIdIs(c, 'B')) || f.classified.some((c) => rawIdIs(c, 'B'));
    const nonIt = P.desc(doc, 'cbc:IdentificationCode').some((c) => stringValue(c) !== 'IT');
    r.check('BR-B-01', (!nonIt && hasB) || !hasB, root);
    const rootAcCats = f.rootAcs.flatMap((ac) => ac.cats);
    const bUsed =
      f.breakdownCats.some((c) => rawIdIs(c, 'B')) || rootAcCats.some((c) => rawIdIs(c, 'B')) || f.classified.some((c) => rawIdIs(c, 'B'));
    const sUsed = rootAcCats.some((c) => rawIdIs(c, 'S')) || f.classified.some((c) => rawIdIs(c, 'S'));
    r.check('BR-B-02', (bUsed && !sUsed) || !bUsed, root);

    // --- Per category: breakdown (08/09/10), allowance (06), charge (07), line (05).
    for (const st of P.all(root, 'cac:TaxTotal/cac:TaxSubtotal')) {
      for (const cat of P.kids(st, 'cac:TaxCategory')) {
        if (!isVat(cat)) continue;
        const code = categoryCode(cat) as Cat;
        const fam = FAMILY[code];
        if (!fam) continue;
        const taxable = dec(P.str(st, 'cbc:TaxableAmount'));
        const tax = dec(P.str(st, 'cbc:TaxAmount'));
        const exemption = P.has(cat, 'cbc:TaxExemptionReason') || P.has(cat, 'cbc:TaxExemptionReasonCode');
        if (code === 'S' || code === 'L' || code === 'M') {
          const rate = dec(P.str(cat, 'cbc:Percent'));
          const hasRate = P.has(cat, 'cbc:Percent');
          let ok08 = true;
          if (hasRate) {
            if (code === 'S') {
              ok08 =
                (standardRateUsed(f, f.invoiceLineInfo, rate) && within(f, f.invoiceLineInfo, code, rate, taxable)) ||
                (standardRateUsed(f, f.creditLineInfo, rate) && within(f, f.creditLineInfo, code, rate, taxable));
            } else {
              ok08 =
                (f.invoiceLines.length > 0 && within(f, f.invoiceLineInfo, code, rate, taxable)) ||
                (f.creditLines.length > 0 && within(f, f.creditLineInfo, code, rate, taxable));
            }
          }
          r.check(`${fam}-08`, ok08, cat);
          const pct = dec(P.str(cat, 'cbc:Percent'));
          let ok09 = false;
          if (tax !== null && taxable !== null && pct !== null) {
            const expected = round2(taxable.abs().times(pct.div(100)));
            ok09 = tax.abs().minus(1).lt(expected) && tax.abs().plus(1).gt(expected);
          }
          r.check(`${fam}-09`, ok09, cat);
          r.check(`${fam}-10`, !exemption, cat);
        } else {
          const ok08 =
            (f.invoiceLines.length > 0 && taxable !== null && taxable.eq(expectedTaxable(f, f.invoiceLineInfo, code))) ||
            (f.creditLines.length > 0 && taxable !== null && taxable.eq(expectedTaxable(f, f.creditLineInfo, code)));
          r.check(`${fam}-08`, ok08, cat);
          r.check(`${fam}-09`, tax !== null && tax.isZero(), cat);
          r.check(`${fam}-10`, code === 'Z' ? !exemption : exemption, cat);
        }
      }
    }

    for (const ac of f.acs) {
      const ind = ac.ind;
      if (ind === null) continue;
      for (const cat of ac.cats) {
        if (!isVat(cat)) continue;
        const code = categoryCode(cat) as Cat;
        if (!FAMILY[code]) continue;
        r.check(`${FAMILY[code]}-${ind ? '07' : '06'}`, rateCheck(code, P.str(cat, 'cbc:Percent'), P.has(cat, 'cbc:Percent')), cat);
      }
    }
    for (const l of [...f.invoiceLineInfo, ...f.creditLineInfo]) {
      for (const cat of l.cats) {
        if (!isVat(cat)) continue;
        const code = categoryCode(cat) as Cat;
        if (!FAMILY[code]) continue;
        r.check(`${FAMILY[code]}-05`, rateCheck(code, P.str(cat, 'cbc:Percent'), P.has(cat, 'cbc:Percent')), cat);
      }
    }
  },
};

function anyCat(f: Facts, code: string, vat: boolean): boolean {
  return f.taxCats.some((c) => codeIs(c, code) && (!vat || isVat(c))) || f.classified.some((c) => codeIs(c, code) && (!vat || isVat(c)));
}

function breakdownCount(f: Facts, code: string, vat: boolean, raw = false): number {
  let n = 0;
  for (const c of f.breakdownCats) if ((raw ? rawIdIs(c, code) : codeIs(c, code)) && (!vat || isVat(c))) n++;
  return n;
}

function line(f: Facts, code: string): boolean {
  return lineCats(f, code, true) > 0;
}

function allowance(f: Facts, code: string): boolean {
  return acCats(f, false, code, true) > 0;
}

function charge(f: Facts, code: string): boolean {
  return acCats(f, true, code, true) > 0;
}

function docAc(f: Facts, charge: boolean): boolean {
  return f.rootAcs.some((ac) => ac.ind === charge && ac.cats.some((c) => codeIs(c, 'O') && isVat(c)));
}

/** The taxable amount of a rated category within 1 of the lines' and document allowances' and charges' sum. */
function within(f: Facts, ls: LineInfo[], code: string, rate: Dec | null, taxable: Dec | null): boolean {
  if (taxable === null) return false;
  const expected = linesSum(ls, code, rate).plus(docAcSum(f, true, code, rate)).minus(docAcSum(f, false, code, rate));
  return taxable.minus(1).lt(expected) && taxable.plus(1).gt(expected);
}

/** The standard rate used on a line or an allowance or charge. */
function standardRateUsed(f: Facts, ls: LineInfo[], rate: Dec | null): boolean {
  return (
    ls.some((l) => l.cats.some((c) => codeIs(c, 'S')) && l.cats.some((c) => eqDec(percentOf(c), rate))) ||
    f.acs.some((ac) => ac.cats.some((c) => codeIs(c, 'S')) && ac.cats.some((c) => eqDec(percentOf(c), rate)))
  );
}

function expectedTaxable(f: Facts, ls: LineInfo[], code: string): Dec {
  return linesSum(ls, code).plus(docAcSum(f, true, code)).minus(docAcSum(f, false, code));
}

function rateCheck(code: Cat, pct: string | undefined, hasPct: boolean): boolean {
  switch (code) {
    case 'S':
      return num(pct) > 0;
    case 'O':
      return !hasPct;
    case 'L':
    case 'M':
      return num(pct) >= 0;
    default: {
      const d = dec(pct);
      return d !== null && d.isZero();
    }
  }
}

function eqDec(a: Dec | null, b: Dec | null): boolean {
  return a !== null && b !== null && a.eq(b);
}
