import { D, dec, round2, stringValue, type Dec, type Reporter, type RuleFamily } from '../../engine.ts';
import type { XmlElement } from '../../xml/tree.ts';
import { VAT_FAMILY, VAT_FAMILY_IDS, withinOne } from '../shared.ts';
import { P, RAM, ciiRoot, hasCategory, indicator, isVatTax, roundD, taxIdOf, toDouble } from './common.ts';

/**
 * The VAT category families bound to CII: BR-S, Z, E, AE, IC (K), G, O, AF (L), AG (M), and the split
 * payment rules BR-B. Contexts as in the official binding: breakdown rules on the breakdown's
 * ram:CategoryCode (S, Z, E, AE, K, G) or on the ram:ApplicableTradeTax (O, L, M); line rules on the
 * line's ram:ApplicableTradeTax; allowance/charge rules on ram:CategoryTradeTax. The VAT families'
 * "-01" rules sit in the invoice context and count categories without the VAT scheme filter.
 */

type Where = 'line' | 'allowance' | 'charge';

const RATE_RULE: Record<string, (rate: XmlElement[]) => boolean> = {
  S: (r) => r.some((x) => toDouble(stringValue(x)) > 0),
  L: (r) => r.some((x) => toDouble(stringValue(x)) > 0),
  M: (r) => r.some((x) => toDouble(stringValue(x)) >= 0),
  O: (r) => r.length === 0,
  Z: (r) => r.some((x) => toDouble(stringValue(x)) === 0),
  E: (r) => r.some((x) => toDouble(stringValue(x)) === 0),
  AE: (r) => r.some((x) => toDouble(stringValue(x)) === 0),
  K: (r) => r.some((x) => toDouble(stringValue(x)) === 0),
  G: (r) => r.some((x) => toDouble(stringValue(x)) === 0),
};
const RULE_NO: Record<Where, [party: string, rate: string]> = { line: ['02', '05'], allowance: ['03', '06'], charge: ['04', '07'] };
/** The ids of those rules by place and category: [party rule, rate rule]. */
const TAX_RULES = Object.fromEntries(
  (Object.keys(RULE_NO) as Where[]).map((w) => [w, Object.fromEntries(Object.keys(VAT_FAMILY).map((c) => [c, RULE_NO[w].map((n) => `${VAT_FAMILY[c]}-${n}`)]))]),
) as Record<Where, Record<string, [party: string, rate: string]>>;

/** xs:decimal sum of values that are decimals. */
const ZERO = new D(0);

function sumD(values: string[]): Dec {
  let s = ZERO;
  for (const v of values) {
    const d = dec(v);
    if (d) s = s.plus(d);
  }
  return s;
}

function count(taxes: XmlElement[], code: string): number {
  let n = 0;
  for (const t of taxes) if (hasCategory(t, code)) n++;
  return n;
}

/** What the taxable amounts are summed from, read once per document: the lines' settlements and the header allowances and charges. */
interface Sums {
  lines: Array<{ taxes: XmlElement[]; amounts: string[] }>;
  acs: Array<{ ind: boolean | null; taxes: XmlElement[]; amounts: string[] }>;
}

/** Trade taxes of which one has the category `code` and (if a rate is given) one the rate `rate`. */
function taxesMatch(taxes: XmlElement[], code: string, rate?: Dec): boolean {
  if (!taxes.some((t) => hasCategory(t, code))) return false;
  if (rate === undefined) return true;
  return taxes.some((t) => P.kids(t, 'ram:RateApplicablePercent').some((x) => dec(stringValue(x))?.eq(rate) ?? false));
}

function acSum(sums: Sums, charge: boolean, code: string, rate?: Dec): Dec {
  const values: string[] = [];
  for (const ac of sums.acs) if (ac.ind === charge && taxesMatch(ac.taxes, code, rate)) values.push(...ac.amounts);
  return sumD(values);
}

/** round2(Σ lines) + round2(Σ charges) − round2(Σ allowances) for the category (and rate). */
function expectedTaxable(sums: Sums, code: string, rate?: Dec): Dec {
  const lineValues: string[] = [];
  for (const l of sums.lines) if (taxesMatch(l.taxes, code, rate)) lineValues.push(...l.amounts);
  return round2(sumD(lineValues)).plus(round2(acSum(sums, true, code, rate))).minus(round2(acSum(sums, false, code, rate)));
}

const exemption = (t: XmlElement) => P.has(t, 'ram:ExemptionReason') || P.has(t, 'ram:ExemptionReasonCode');
const zeroTax = (t: XmlElement) => P.kids(t, 'ram:CalculatedAmount').some((a) => toDouble(stringValue(a)) === 0);
const notO = (taxes: XmlElement[]) => taxes.some((x) => P.kids(x, 'ram:CategoryCode').some((c) => stringValue(c) !== 'O'));

const VAT_CODES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'];

/** Lines, allowances and charges: parties (02/03/04) and rate (05/06/07). */
function checkTax(r: Reporter, partyRule: Record<string, boolean>, t: XmlElement, where: Where): void {
  if (!isVatTax(t)) return;
  for (const c of VAT_CODES) {
    if (!hasCategory(t, c)) continue;
    const [partyId, rateId] = TAX_RULES[where][c]!;
    r.check(partyId, partyRule[c], t);
    r.check(rateId, RATE_RULE[c](P.kids(t, 'ram:RateApplicablePercent')), t);
    break;
  }
}

export const ciiVat: RuleFamily = {
  name: 'en16931-cii-vat',
  syntax: 'cii',
  ids: VAT_FAMILY_IDS,
  run(doc, r) {
    const root = ciiRoot(doc);
    if (!root) return;
    const txs = P.kids(root, 'rsm:SupplyChainTradeTransaction');
    const agreements = txs.flatMap((t) => P.kids(t, 'ram:ApplicableHeaderTradeAgreement'));
    const settlements = txs.flatMap((t) => P.kids(t, 'ram:ApplicableHeaderTradeSettlement'));
    const lines = txs.flatMap((t) => P.kids(t, 'ram:IncludedSupplyChainTradeLineItem'));
    const headerAcs = settlements.flatMap((s) => P.kids(s, 'ram:SpecifiedTradeAllowanceCharge'));

    // Every trade tax of the document by role (the official tests use // paths).
    const lineTaxes: XmlElement[] = [];
    const headerTaxes: XmlElement[] = [];
    for (const t of P.desc(doc, 'ram:ApplicableTradeTax')) {
      const p = t.parent;
      if (p?.ns !== RAM) continue;
      if (p.local === 'SpecifiedLineTradeSettlement') lineTaxes.push(t);
      else if (p.local === 'ApplicableHeaderTradeSettlement') headerTaxes.push(t);
    }
    const categoryTaxes = P.desc(doc, 'ram:CategoryTradeTax');

    // Parties' identifiers.
    const sellersAbs = agreements.flatMap((a) => P.kids(a, 'ram:SellerTradeParty'));
    const taxRepsAbs = agreements.flatMap((a) => P.kids(a, 'ram:SellerTaxRepresentativeTradeParty'));
    const sellerVaFc = sellersAbs.some((p) => taxIdOf(p, ['VA', 'FC'])) || taxRepsAbs.some((p) => taxIdOf(p, ['VA']));
    const anySellerVaFc = P.desc(doc, 'ram:SellerTradeParty').some((p) => taxIdOf(p, ['VA', 'FC']));
    const anySellerVa = P.desc(doc, 'ram:SellerTradeParty').some((p) => taxIdOf(p, ['VA']));
    const anyTaxRepVa = P.desc(doc, 'ram:SellerTaxRepresentativeTradeParty').some((p) => taxIdOf(p, ['VA']));
    const buyers = P.desc(doc, 'ram:BuyerTradeParty');
    const anyBuyerVa = buyers.some((p) => taxIdOf(p, ['VA']));
    const anyBuyerLegal = buyers.some((p) => P.has(p, 'ram:SpecifiedLegalOrganization/ram:ID'));
    const noVatIds = !sellersAbs.some((p) => taxIdOf(p, ['VA'])) && !taxRepsAbs.some((p) => taxIdOf(p, ['VA'])) && !anyBuyerVa;
    const partyRule: Record<string, boolean> = {
      S: sellerVaFc,
      Z: sellerVaFc,
      E: sellerVaFc,
      L: sellerVaFc,
      M: sellerVaFc,
      AE: (anySellerVaFc || anyTaxRepVa) && (anyBuyerVa || anyBuyerLegal),
      K: (anySellerVa || anyTaxRepVa) && anyBuyerVa,
      G: anySellerVa || anyTaxRepVa,
      O: noVatIds,
    };

    // --- The invoice: X-01 and split payment.
    for (const code of ['S', 'L', 'M']) {
      const line = count(lineTaxes, code);
      const head = count(headerTaxes, code);
      const cat = count(categoryTaxes, code);
      r.check(`${VAT_FAMILY[code]}-01`, (line + head >= 2 || line === 0) && (cat + head >= 2 || cat === 0), root);
    }
    for (const code of ['Z', 'E', 'AE', 'K', 'G']) {
      const line = count(lineTaxes, code);
      const head = count(headerTaxes, code);
      const cat = count(categoryTaxes, code);
      r.check(`${VAT_FAMILY[code]}-01`, (head === 0 && line === 0 && cat === 0) || (head === 1 && (line > 0 || cat > 0)), root);
    }
    {
      const head = count(headerTaxes, 'O');
      r.check('BR-O-01', head === 0 || (head === 1 && (count(lineTaxes, 'O') > 0 || count(categoryTaxes, 'O') > 0)), root);
    }
    {
      const codes = P.desc(doc, 'ram:CategoryCode').map(stringValue);
      const hasB = codes.includes('B');
      const nonItaly = P.desc(doc, 'ram:CountryID').some((c) => stringValue(c) !== 'IT');
      r.check('BR-B-01', (!nonItaly && hasB) || !hasB, root);
      r.check('BR-B-02', (hasB && !codes.includes('S')) || !hasB, root);
    }

    // --- Breakdowns.
    const sums: Sums = {
      lines: lines.flatMap((l) => P.kids(l, 'ram:SpecifiedLineTradeSettlement')).map((ls) => ({
        taxes: P.kids(ls, 'ram:ApplicableTradeTax'),
        amounts: P.all(ls, 'ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount').map(stringValue),
      })),
      acs: headerAcs.map((ac) => ({
        ind: indicator(ac),
        taxes: P.kids(ac, 'ram:CategoryTradeTax'),
        amounts: P.kids(ac, 'ram:ActualAmount').map(stringValue),
      })),
    };

    for (const s of settlements) {
      for (const t of P.kids(s, 'ram:ApplicableTradeTax')) {
        const vat = isVatTax(t);
        // Category-code contexts (S and Z without the VAT filter; E, AE, K, G with it).
        for (const cc of P.kids(t, 'ram:CategoryCode')) {
          const code = stringValue(cc);
          if (!(code === 'S' || code === 'Z' || (vat && (code === 'E' || code === 'AE' || code === 'K' || code === 'G')))) continue;
          const fam = VAT_FAMILY[code];
          const basis = P.kids(t, 'ram:BasisAmount').map((b) => toDouble(stringValue(b)));
          if (code === 'S') {
            const rates = P.kids(t, 'ram:RateApplicablePercent').map((x) => dec(stringValue(x)));
            const ok08 = rates.every((rate) => {
              if (rate === null) return true;
              const expected = expectedTaxable(sums, 'S', rate).toNumber();
              return basis.some((b) => b === expected);
            });
            r.check('BR-S-08', ok08, cc);
            const calc = P.first(t, 'ram:CalculatedAmount');
            const ba = dec(P.str(t, 'ram:BasisAmount'));
            const rateD = P.kids(t, 'ram:RateApplicablePercent').map((x) => toDouble(stringValue(x)));
            let ok09 = false;
            if (calc && ba && rateD.length) {
              const ca = dec(stringValue(calc));
              if (ca) {
                const expected = roundD(ba.abs().toNumber() * rateD[0]) / 100;
                ok09 = withinOne(ca.abs(), expected);
              }
            }
            r.check('BR-S-09', ok09, cc);
            r.check('BR-S-10', !exemption(t), cc);
          } else {
            const expected = expectedTaxable(sums, code).toNumber();
            r.check(`${fam}-08`, basis.some((b) => withinOne(b, expected)), cc);
            r.check(`${fam}-09`, zeroTax(t), cc);
            r.check(`${fam}-10`, code === 'Z' ? !exemption(t) : exemption(t), cc);
            if (code === 'K') {
              const delivered = P.all(
                root,
                'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString',
              ).length > 0;
              const period = P.has(s, 'ram:BillingSpecifiedPeriod/ram:StartDateTime') || P.has(s, 'ram:BillingSpecifiedPeriod/ram:EndDateTime');
              r.check('BR-IC-11', delivered || period, cc);
              r.check(
                'BR-IC-12',
                P.has(root, 'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID'),
                cc,
              );
            }
          }
        }
        // ApplicableTradeTax contexts (O, L, M with the VAT filter).
        if (!vat) continue;
        if (hasCategory(t, 'O')) {
          const expected = expectedTaxable(sums, 'O').toNumber();
          r.check('BR-O-08', P.kids(t, 'ram:BasisAmount').some((b) => toDouble(stringValue(b)) === expected), t);
          r.check('BR-O-09', zeroTax(t), t);
          r.check('BR-O-10', exemption(t), t);
          const allApplicable = P.desc(doc, 'ram:ApplicableTradeTax');
          r.check('BR-O-11', !notO(allApplicable), t);
          r.check('BR-O-12', !notO(allApplicable), t);
          r.check('BR-O-13', !notO(categoryTaxes), t);
          r.check('BR-O-14', !notO(categoryTaxes), t);
        } else if (hasCategory(t, 'L') || hasCategory(t, 'M')) {
          const fam = hasCategory(t, 'L') ? 'BR-AF' : 'BR-AG';
          // X-08 iterates over ../ram:RateApplicablePercent from the ApplicableTradeTax, an empty
          // sequence: the official test never fails. X-09 is true() (duplicate of BR-CO-17).
          r.check(`${fam}-08`, true, t);
          r.check(`${fam}-09`, true, t);
          r.check(`${fam}-10`, !exemption(t), t);
        }
      }
    }

    // --- Lines, allowances and charges: parties (02/03/04) and rate (05/06/07).
    for (const txEl of txs) {
      for (const l of P.kids(txEl, 'ram:IncludedSupplyChainTradeLineItem')) {
        for (const t of P.all(l, 'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax')) checkTax(r, partyRule, t, 'line');
      }
    }
    for (const ac of P.desc(doc, 'ram:SpecifiedTradeAllowanceCharge')) {
      const ind = indicator(ac);
      if (ind === null) continue;
      for (const t of P.kids(ac, 'ram:CategoryTradeTax')) checkTax(r, partyRule, t, ind ? 'charge' : 'allowance');
    }
  },
};
