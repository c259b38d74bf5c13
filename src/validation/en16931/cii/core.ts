import { dec, maxTwoDecimals, normalizeSpace, num, round0, round2, stringValue, sumDec, type Dec, type RuleFamily } from '../../engine.ts';
import { attr, type XmlElement } from '../../xml/tree.ts';
import { VAT_PREFIXES_CII } from '../shared.ts';
import { P, ciiRoot, filled, indicator, indicatorIs, isVatTax, roundD, s1, sumDouble, toDouble } from './common.ts';
import { allowanceReasonOk, co13, co16Exact, decimalsOk } from '../shared.ts';

/**
 * EN 16931 core rules bound to CII D16B: BR-01…BR-65, BR-CO-*, BR-DEC-*. One block per rule context
 * of the official binding (EN16931-CII-model.sch, 1.3.16), assertions in the official order. The
 * arithmetic follows the XPath types the binding uses: sum() of untyped values is xs:double, xs:decimal()
 * casts are exact.
 */

const decOf = (el: XmlElement | undefined, path: string): Dec | null => dec(P.str(el, path));

export const ciiCore: RuleFamily = {
  name: 'en16931-cii-core',
  syntax: 'cii',
  ids: [],
  run(doc, r) {
    const root = ciiRoot(doc);
    if (!root) return;
    const txs = P.kids(root, 'rsm:SupplyChainTradeTransaction');
    const settlements = txs.flatMap((t) => P.kids(t, 'ram:ApplicableHeaderTradeSettlement'));
    const agreements = txs.flatMap((t) => P.kids(t, 'ram:ApplicableHeaderTradeAgreement'));
    const headerAcs = settlements.flatMap((s) => P.kids(s, 'ram:SpecifiedTradeAllowanceCharge'));
    const invoiceCurrencies = settlements.flatMap((s) => P.kids(s, 'ram:InvoiceCurrencyCode')).map(stringValue);
    const taxCurrencies = settlements.flatMap((s) => P.kids(s, 'ram:TaxCurrencyCode')).map(stringValue);

    for (const c of P.desc(doc, 'ram:DesignatedProductClassification')) {
      const code = P.first(c, 'ram:ClassCode');
      r.check('BR-65', !code || normalizeSpace(attr(code, 'listID') ?? '') !== '', c);
    }
    for (const d of P.desc(doc, 'ram:AdditionalReferencedDocument')) r.check('BR-52', filled(d, 'ram:IssuerAssignedID'), d);
    for (const card of P.desc(doc, 'ram:ApplicableTradeSettlementFinancialCard')) {
      r.check('BR-51', [...s1(card, 'ram:ID')].length <= 10, card);
    }
    for (const pm of P.desc(doc, 'ram:SpecifiedTradeSettlementPaymentMeans')) {
      const codes = P.kids(pm, 'ram:TypeCode').map(stringValue);
      if (!codes.includes('30') && !codes.includes('58')) continue;
      for (const acc of P.kids(pm, 'ram:PayeePartyCreditorFinancialAccount')) {
        const ok = P.has(acc, 'ram:IBANID') || P.has(acc, 'ram:ProprietaryID');
        r.check('BR-50', ok, acc);
        r.check('BR-61', ok, acc);
      }
    }
    for (const t of txs) {
      for (const del of P.kids(t, 'ram:ApplicableHeaderTradeDelivery')) {
        const addr = P.has(del, 'ram:ShipToTradeParty/ram:PostalTradeAddress');
        r.check('BR-57', !addr || filled(del, 'ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID'), del);
      }
    }

    // Document level allowances and charges (context: the ChargeIndicator).
    for (const ac of P.desc(doc, 'ram:SpecifiedTradeAllowanceCharge')) {
      const parent = ac.parent;
      const header = parent?.local === 'ApplicableHeaderTradeSettlement';
      const line = parent?.local === 'SpecifiedLineTradeSettlement';
      if (!header && !line) continue;
      for (const ci of P.kids(ac, 'ram:ChargeIndicator')) {
        const allowance = indicatorIs(ci, 'false');
        const charge = !allowance && indicatorIs(ci, 'true');
        if (!allowance && !charge) continue;
        const reason = allowanceReasonOk(P.has(ac, 'ram:Reason'), P.has(ac, 'ram:ReasonCode'));
        const amountOk = maxTwoDecimals(P.str(ac, 'ram:ActualAmount'));
        const baseOk = maxTwoDecimals(P.str(ac, 'ram:BasisAmount'));
        const hasAmount = P.has(ac, 'ram:ActualAmount');
        if (header) {
          const vatCat = P.kids(ac, 'ram:CategoryTradeTax').some((t) => isVatTax(t) && P.has(t, 'ram:CategoryCode'));
          if (allowance) {
            r.check('BR-31', hasAmount, ci);
            r.check('BR-32', vatCat, ci);
            r.check('BR-33', reason, ci);
            r.check('BR-CO-05', true, ci);
            r.check('BR-CO-21', reason, ci);
            r.check('BR-DEC-01', amountOk, ci);
            r.check('BR-DEC-02', baseOk, ci);
          } else {
            r.check('BR-36', hasAmount, ci);
            r.check('BR-37', vatCat, ci);
            r.check('BR-38', reason, ci);
            r.check('BR-CO-06', true, ci);
            r.check('BR-CO-22', reason, ci);
            r.check('BR-DEC-05', amountOk, ci);
            r.check('BR-DEC-06', baseOk, ci);
          }
        } else if (allowance) {
          r.check('BR-41', hasAmount, ci);
          r.check('BR-42', reason, ci);
          r.check('BR-CO-07', true, ci);
          r.check('BR-CO-23', reason, ci);
          r.check('BR-DEC-24', amountOk, ci);
          r.check('BR-DEC-25', baseOk, ci);
        } else {
          r.check('BR-43', hasAmount, ci);
          r.check('BR-44', reason, ci);
          r.check('BR-CO-08', true, ci);
          r.check('BR-CO-24', reason, ci);
          r.check('BR-DEC-27', amountOk, ci);
          r.check('BR-DEC-28', baseOk, ci);
        }
      }
    }

    // Document totals.
    const headerAllowances = headerAcs.filter((a) => indicator(a) === false);
    const headerCharges = headerAcs.filter((a) => indicator(a) === true);
    for (const ms of P.desc(doc, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation')) {
      r.check('BR-12', P.has(ms, 'ram:LineTotalAmount'), ms);
      r.check('BR-13', P.has(ms, 'ram:TaxBasisTotalAmount'), ms);
      r.check('BR-14', P.has(ms, 'ram:GrandTotalAmount'), ms);
      r.check('BR-15', P.has(ms, 'ram:DuePayableAmount'), ms);
      const taxTotalCurrencies = P.kids(ms, 'ram:TaxTotalAmount').map((a) => attr(a, 'currencyID')).filter((c) => c !== undefined);
      r.check(
        'BR-53',
        taxCurrencies.length === 0 ||
          (taxTotalCurrencies.some((c) => taxCurrencies.includes(c as string)) && !taxCurrencies.some((c) => invoiceCurrencies.includes(c))),
        ms,
      );
      const tx = ms.parent?.parent;
      const lineTotals = tx
        ? P.all(tx, 'ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount')
        : [];
      const lta = decOf(ms, 'ram:LineTotalAmount');
      const lineSum = sumDouble(lineTotals.map(stringValue));
      const lineSumDec = Number.isFinite(lineSum) ? dec(String(lineSum)) ?? dec(lineSum.toFixed(20)) : null;
      r.check('BR-CO-10', lta !== null && lineSumDec !== null && lta.eq(round2(lineSumDec)), ms);
      const totalOf = (acs: XmlElement[]) => roundD(sumDouble(acs.flatMap((a) => P.kids(a, 'ram:ActualAmount')).map(stringValue)) * 10 * 10) / 100;
      const ata = P.kids(ms, 'ram:AllowanceTotalAmount');
      const cta = P.kids(ms, 'ram:ChargeTotalAmount');
      const allowanceExpected = totalOf(headerAllowances);
      const chargeExpected = totalOf(headerCharges);
      r.check('BR-CO-11', (headerAllowances.length === 0 && ata.length === 0) || ata.some((a) => toDouble(stringValue(a)) === allowanceExpected), ms);
      r.check('BR-CO-12', (headerCharges.length === 0 && cta.length === 0) || cta.some((a) => toDouble(stringValue(a)) === chargeExpected), ms);
      r.check(
        'BR-CO-13',
        co13(decOf(ms, 'ram:TaxBasisTotalAmount'), lta, ata.length ? dec(stringValue(ata[0])) : undefined, cta.length ? dec(stringValue(cta[0])) : undefined),
        ms,
      );
      r.check(
        'BR-CO-16',
        co16Exact(decOf(ms, 'ram:DuePayableAmount'), decOf(ms, 'ram:GrandTotalAmount'), P.str(ms, 'ram:TotalPrepaidAmount'), P.str(ms, 'ram:RoundingAmount')),
        ms,
      );
      r.check('BR-DEC-09', decimalsOk(ms, P, 'ram:LineTotalAmount'), ms);
      r.check('BR-DEC-10', decimalsOk(ms, P, 'ram:AllowanceTotalAmount'), ms);
      r.check('BR-DEC-11', decimalsOk(ms, P, 'ram:ChargeTotalAmount'), ms);
      r.check('BR-DEC-12', decimalsOk(ms, P, 'ram:TaxBasisTotalAmount'), ms);
      r.check('BR-DEC-14', decimalsOk(ms, P, 'ram:GrandTotalAmount'), ms);
      const taxTotals = P.kids(ms, 'ram:TaxTotalAmount');
      const twoDecimalsD = (a: XmlElement) => {
        const x = toDouble(stringValue(a));
        return x === roundD(x * 100) / 100;
      };
      r.check(
        'BR-DEC-13',
        taxTotals.length === 0 ||
          taxTotals.some((a) => {
            const inInvoiceCurrency = invoiceCurrencies.includes(attr(a, 'currencyID') ?? '\u0000');
            return (inInvoiceCurrency && twoDecimalsD(a)) || !inInvoiceCurrency;
          }),
        ms,
      );
      r.check(
        'BR-DEC-15',
        taxTotals.length === 0 ||
          taxTotals.some((a) => (taxCurrencies.includes(attr(a, 'currencyID') ?? '\u0000') && twoDecimalsD(a)) || taxCurrencies.length === 0),
        ms,
      );
      r.check('BR-DEC-16', decimalsOk(ms, P, 'ram:TotalPrepaidAmount'), ms);
      r.check('BR-DEC-17', decimalsOk(ms, P, 'ram:RoundingAmount'), ms);
      r.check('BR-DEC-18', decimalsOk(ms, P, 'ram:DuePayableAmount'), ms);
    }

    // The invoice.
    const tx = 'rsm:SupplyChainTradeTransaction';
    const seller = `${tx}/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty`;
    const buyer = `${tx}/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty`;
    r.check('BR-01', filled(root, 'rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID'), root);
    r.check('BR-02', filled(root, 'rsm:ExchangedDocument/ram:ID'), root);
    {
      const dts = P.all(root, 'rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString').filter((d) => attr(d, 'format') === '102');
      r.check('BR-03', dts.length > 0 && normalizeSpace(stringValue(dts[0])) !== '', root);
    }
    r.check('BR-04', filled(root, 'rsm:ExchangedDocument/ram:TypeCode'), root);
    r.check('BR-05', filled(root, `${tx}/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode`), root);
    r.check('BR-06', filled(root, `${seller}/ram:Name`), root);
    r.check('BR-07', filled(root, `${buyer}/ram:Name`), root);
    r.check('BR-08', P.has(root, `${seller}/ram:PostalTradeAddress`), root);
    r.check('BR-09', filled(root, `${seller}/ram:PostalTradeAddress/ram:CountryID`), root);
    r.check('BR-10', P.has(root, `${buyer}/ram:PostalTradeAddress`), root);
    r.check('BR-11', filled(root, `${buyer}/ram:PostalTradeAddress/ram:CountryID`), root);
    r.check('BR-16', P.desc(doc, 'ram:IncludedSupplyChainTradeLineItem').length > 0, root);
    const endpointScheme = (parties: string) => {
      const ps = P.all(root, parties);
      if (!ps.some((p) => P.has(p, 'ram:URIUniversalCommunication'))) return true;
      const first = ps.map((p) => P.first(p, 'ram:URIUniversalCommunication')).find((u) => u !== undefined);
      const uri = first ? P.first(first, 'ram:URIID') : undefined;
      return uri !== undefined && normalizeSpace(attr(uri, 'schemeID') ?? '') !== '';
    };
    r.check('BR-62', endpointScheme(seller), root);
    r.check('BR-63', endpointScheme(buyer), root);
    {
      const summations = P.desc(doc, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation');
      const grand = summations.flatMap((m) => P.kids(m, 'ram:GrandTotalAmount')).map((a) => dec(stringValue(a)));
      const basis = summations.flatMap((m) => P.kids(m, 'ram:TaxBasisTotalAmount')).map((a) => dec(stringValue(a)));
      const grandEqBasis = grand.some((g) => g !== null && basis.some((b) => b !== null && g.eq(b)));
      const ok = invoiceCurrencies.every((cur) => {
        const own = P.all(root, `${tx}/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount`).filter(
          (a) => attr(a, 'currencyID') === cur,
        );
        const vat = summations.flatMap((m) => P.kids(m, 'ram:TaxTotalAmount')).filter((a) => attr(a, 'currencyID') === cur);
        let sumOk = false;
        if (basis.length === 1 && vat.length === 1 && basis[0] !== null) {
          const v = dec(stringValue(vat[0]));
          if (v !== null) {
            const expected = round2(basis[0].plus(v));
            sumOk = grand.some((g) => g !== null && g.eq(expected));
          }
        }
        return (own.length === 1 && sumOk) || grandEqBasis;
      });
      r.check('BR-CO-15', ok, root);
    }

    // Invoice lines.
    // //rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax
    const vatBreakdownExists = P.desc(doc, 'ram:ApplicableTradeTax').some(
      (t) => t.parent?.local === 'ApplicableHeaderTradeSettlement' && t.parent.parent?.local === 'SupplyChainTradeTransaction',
    );
    for (const line of P.desc(doc, 'ram:IncludedSupplyChainTradeLineItem')) {
      r.check('BR-21', filled(line, 'ram:AssociatedDocumentLineDocument/ram:LineID'), line);
      r.check('BR-22', P.has(line, 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity'), line);
      r.check('BR-23', P.all(line, 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity').some((q) => attr(q, 'unitCode') !== undefined), line);
      r.check('BR-24', P.has(line, 'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount'), line);
      r.check('BR-25', filled(line, 'ram:SpecifiedTradeProduct/ram:Name'), line);
      const net = P.all(line, 'ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount');
      r.check('BR-26', net.length > 0, line);
      r.check('BR-27', net.some((p) => num(stringValue(p)) >= 0), line);
      const gross = P.all(line, 'ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:ChargeAmount');
      r.check('BR-28', gross.length === 0 || gross.some((p) => num(stringValue(p)) >= 0), line);
      const gid = P.all(line, 'ram:SpecifiedTradeProduct/ram:GlobalID');
      r.check('BR-64', gid.length === 0 || normalizeSpace(attr(gid[0], 'schemeID') ?? '') !== '', line);
      r.check(
        'BR-CO-04',
        P.all(line, 'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax').some((t) => isVatTax(t) && P.has(t, 'ram:CategoryCode')),
        line,
      );
      r.check('BR-CO-18', vatBreakdownExists, line);
      // BR-DEC-23 tests ram:SpecifiedTradeSettlement/… (not SpecifiedLineTradeSettlement): it never fails.
      r.check('BR-DEC-23', true, line);
    }

    // Periods (line periods first: a BillingSpecifiedPeriod matches one context only).
    for (const per of P.desc(doc, 'ram:BillingSpecifiedPeriod')) {
      const parent = per.parent?.local;
      if (parent !== 'SpecifiedLineTradeSettlement' && parent !== 'ApplicableHeaderTradeSettlement') continue;
      const dates = (p: string) =>
        P.all(per, p)
          .filter((d) => attr(d, 'format') === '102')
          .map(stringValue);
      const ends = dates('ram:EndDateTime/udt:DateTimeString');
      const starts = dates('ram:StartDateTime/udt:DateTimeString');
      const hasStart = P.has(per, 'ram:StartDateTime');
      const hasEnd = P.has(per, 'ram:EndDateTime');
      const ordered = ends.some((e) => starts.some((s) => e >= s)) || !hasEnd || !hasStart;
      if (parent === 'SpecifiedLineTradeSettlement') {
        r.check('BR-30', ordered, per);
        r.check('BR-CO-20', hasStart || hasEnd, per);
      } else {
        r.check('BR-29', ordered, per);
        r.check('BR-CO-19', hasStart || hasEnd, per);
      }
    }

    for (const c of P.desc(doc, 'ram:ApplicableProductCharacteristic')) r.check('BR-54', P.has(c, 'ram:Description') && P.has(c, 'ram:Value'), c);

    for (const payee of P.desc(doc, 'ram:PayeeTradeParty')) {
      const sellerParty = payee.parent?.parent ? P.all(payee.parent.parent, 'ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty') : [];
      const values = (els: XmlElement[], path: string) => els.flatMap((e) => P.all(e, path)).map(stringValue);
      const same = (path: string) => {
        const mine = values([payee], path);
        const theirs = values(sellerParty, path);
        return mine.some((m) => theirs.includes(m));
      };
      r.check(
        'BR-17',
        P.has(payee, 'ram:Name') && !same('ram:Name') && !same('ram:ID') && !same('ram:SpecifiedLegalOrganization/ram:ID'),
        payee,
      );
    }

    for (const pm of P.desc(doc, 'ram:SpecifiedTradeSettlementPaymentMeans')) r.check('BR-49', P.has(pm, 'ram:TypeCode'), pm);

    for (const s of settlements) {
      for (const ref of P.kids(s, 'ram:InvoiceReferencedDocument')) r.check('BR-55', filled(ref, 'ram:IssuerAssignedID'), ref);
    }

    for (const sp of P.desc(doc, 'ram:SellerTradeParty')) {
      r.check(
        'BR-CO-26',
        P.has(sp, 'ram:ID') ||
          P.has(sp, 'ram:GlobalID') ||
          P.has(sp, 'ram:SpecifiedLegalOrganization/ram:ID') ||
          P.all(sp, 'ram:SpecifiedTaxRegistration/ram:ID').some((i) => attr(i, 'schemeID') === 'VA'),
        sp,
      );
    }

    for (const tr of P.desc(doc, 'ram:SellerTaxRepresentativeTradeParty')) {
      r.check('BR-18', P.has(tr, 'ram:Name'), tr);
      r.check('BR-19', P.has(tr, 'ram:PostalTradeAddress'), tr);
      r.check('BR-20', P.has(tr, 'ram:PostalTradeAddress/ram:CountryID'), tr);
      const va = P.all(tr, 'ram:SpecifiedTaxRegistration/ram:ID').filter((i) => attr(i, 'schemeID') === 'VA');
      r.check('BR-56', va.length > 0 && normalizeSpace(stringValue(va[0])) !== '', tr);
    }

    // Invoice total VAT amount (in the invoice currency).
    {
      const breakdownTax = sumDouble(
        P.all(root, `${tx}/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount`).map(stringValue),
      );
      const expected = roundD(breakdownTax * 10 * 10) / 100;
      for (const ms of P.desc(doc, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation')) {
        for (const t of P.kids(ms, 'ram:TaxTotalAmount')) {
          const cur = attr(t, 'currencyID');
          if (cur === undefined || !invoiceCurrencies.includes(cur)) continue;
          r.check('BR-CO-14', toDouble(stringValue(t)) === expected, t);
        }
      }
    }

    for (const reg of P.desc(doc, 'ram:SpecifiedTaxRegistration')) {
      for (const id of P.kids(reg, 'ram:ID')) {
        if (attr(id, 'schemeID') !== 'VA') continue;
        const prefix = [...stringValue(id)].slice(0, 2).join('');
        r.check('BR-CO-09', VAT_PREFIXES_CII.includes(' ' + prefix + ' '), id);
      }
    }

    // VAT breakdown (BG-23) rules, on breakdowns no category-specific context took first (L, M, O with VAT).
    const taxPoint = P.desc(doc, 'ram:TaxPointDate').length > 0;
    const dueCode = P.desc(doc, 'ram:DueDateTypeCode').length > 0;
    for (const s of settlements) {
      if (s.parent?.local !== 'SupplyChainTradeTransaction') continue;
      for (const t of P.kids(s, 'ram:ApplicableTradeTax')) {
        if (isVatTax(t) && P.kids(t, 'ram:CategoryCode').some((c) => ['L', 'M', 'O'].includes(stringValue(c)))) continue;
        const vat = isVatTax(t);
        r.check('BR-45', P.has(t, 'ram:BasisAmount'), t);
        r.check('BR-46', P.has(t, 'ram:CalculatedAmount'), t);
        r.check('BR-47', vat && P.has(t, 'ram:CategoryCode'), t);
        r.check('BR-48', vat && (P.has(t, 'ram:RateApplicablePercent') || P.kids(t, 'ram:CategoryCode').some((c) => stringValue(c) === 'O')), t);
        r.check('BR-CO-03', !(taxPoint && dueCode), t);
        const vatNs = normalizeSpace(s1(t, 'ram:TypeCode').toUpperCase()) === 'VAT' && P.has(t, 'ram:TypeCode');
        const rate = vatNs ? decOf(t, 'ram:RateApplicablePercent') : null;
        const calc = decOf(t, 'ram:CalculatedAmount');
        const basis = decOf(t, 'ram:BasisAmount');
        let co17 = false;
        if (rate !== null && calc !== null && round0(rate).isZero() && round0(calc).isZero()) co17 = true;
        if (!co17 && rate !== null && calc !== null && basis !== null && !round0(rate).isZero()) {
          const expected = round2(basis.abs().times(rate.div(100)));
          co17 = calc.abs().minus(1).lte(expected) && calc.abs().plus(1).gte(expected);
        }
        if (!co17 && rate === null && calc !== null && round0(calc).isZero()) co17 = true;
        r.check('BR-CO-17', co17, t);
        r.check('BR-DEC-19', decimalsOk(t, P, 'ram:BasisAmount'), t);
        r.check('BR-DEC-20', decimalsOk(t, P, 'ram:CalculatedAmount'), t);
      }
    }
    void sumDec;
    void agreements;
  },
};
