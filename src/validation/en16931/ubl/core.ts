import {
  D,
  dec,
  maxTwoDecimals,
  normalizeSpace,
  num,
  round0,
  round2,
  stringValue,
  sumDec,
  type Dec,
  type RuleFamily,
} from '../../engine.ts';
import { attr, type XmlElement } from '../../xml/tree.ts';
import { UNTDID_4451_TEXT, VAT_PREFIXES } from '../codelists.ts';
import { allowanceReasonOk, co13 } from '../shared.ts';
import { P, categoryCode, chargeIndicator, isVat, ublRoot, UBL_NS } from './common.ts';

/**
 * EN 16931 core rules bound to UBL: BR-01…BR-65, BR-CO-*, BR-DEC-* (and BR-CL-08 on notes, which the
 * official artefacts write in the model). Each block below is one Schematron rule context; inside it,
 * one `check` per assertion, in the order of the official file.
 */

const decOf = (el: XmlElement | undefined, path: string): Dec | null => dec(P.str(el, path));
const eq = (a: Dec | null, b: Dec | null) => a !== null && b !== null && a.eq(b);

/** Date comparison of xs:date(cbc:EndDate) >= xs:date(cbc:StartDate) (lexical order of valid dates). */
function dateGe(end: string, start: string): boolean {
  return end.trim() >= start.trim();
}

function isDocAllowance(ac: XmlElement, charge: boolean): boolean {
  return chargeIndicator(ac) === charge;
}

export const ublCore: RuleFamily = {
  name: 'en16931-ubl-core',
  syntax: 'ubl',
  ids: [],
  run(doc, r) {
    const root = ublRoot(doc);
    if (!root) return;

    // cac:AdditionalDocumentReference (anywhere)
    for (const d of P.desc(doc, 'cac:AdditionalDocumentReference')) r.check('BR-52', P.filled(d, 'cbc:ID'), d);

    // Buyer electronic address, buyer postal address
    for (const e of P.desc(doc, 'cbc:EndpointID')) {
      const party = e.parent;
      const role = party?.parent;
      if (party?.local !== 'Party' || !role) continue;
      if (role.local === 'AccountingCustomerParty') r.check('BR-63', attr(e, 'schemeID') !== undefined, e);
      if (role.local === 'AccountingSupplierParty') r.check('BR-62', attr(e, 'schemeID') !== undefined, e);
    }
    for (const a of P.desc(doc, 'cac:PostalAddress')) {
      const party = a.parent;
      const role = party?.parent;
      if (party?.local !== 'Party' || !role) continue;
      if (role.local === 'AccountingCustomerParty') r.check('BR-11', P.filled(a, 'cac:Country/cbc:IdentificationCode'), a);
      if (role.local === 'AccountingSupplierParty') r.check('BR-09', P.filled(a, 'cac:Country/cbc:IdentificationCode'), a);
    }

    // Card primary account number (warning)
    for (const pm of P.desc(doc, 'cac:PaymentMeans')) {
      for (const pan of P.all(pm, 'cac:CardAccount/cbc:PrimaryAccountNumberID')) {
        r.check('BR-51', [...normalizeSpace(stringValue(pan))].length <= 10, pan);
      }
    }

    // Deliver to address
    for (const a of P.desc(doc, 'cac:Address')) {
      if (a.parent?.local === 'DeliveryLocation' && a.parent.parent?.local === 'Delivery') {
        r.check('BR-57', P.has(a, 'cac:Country/cbc:IdentificationCode'), a);
      }
    }

    // Document level allowances and charges
    for (const ac of P.kids(root, 'cac:AllowanceCharge')) {
      const reason = allowanceReasonOk(P.has(ac, 'cbc:AllowanceChargeReason'), P.has(ac, 'cbc:AllowanceChargeReasonCode'));
      const vatCat = P.kids(ac, 'cac:TaxCategory').some((c) => isVat(c) && P.has(c, 'cbc:ID'));
      if (isDocAllowance(ac, false)) {
        r.check('BR-31', P.has(ac, 'cbc:Amount'), ac);
        r.check('BR-32', vatCat, ac);
        r.check('BR-33', reason, ac);
        r.check('BR-CO-05', true, ac); // true() in the 1.3.16 binding, as BR-CO-06…08: they never fire
        r.check('BR-CO-21', reason, ac);
        r.check('BR-DEC-01', maxTwoDecimals(P.str(ac, 'cbc:Amount')), ac);
        r.check('BR-DEC-02', maxTwoDecimals(P.str(ac, 'cbc:BaseAmount')), ac);
      } else if (isDocAllowance(ac, true)) {
        r.check('BR-36', P.has(ac, 'cbc:Amount'), ac);
        r.check('BR-37', vatCat, ac);
        r.check('BR-38', reason, ac);
        r.check('BR-CO-06', true, ac);
        r.check('BR-CO-22', reason, ac);
        r.check('BR-DEC-05', maxTwoDecimals(P.str(ac, 'cbc:Amount')), ac);
        r.check('BR-DEC-06', maxTwoDecimals(P.str(ac, 'cbc:BaseAmount')), ac);
      }
    }

    // Document totals (cac:LegalMonetaryTotal, anywhere)
    const lines = [...P.desc(doc, 'cac:InvoiceLine'), ...P.desc(doc, 'cac:CreditNoteLine')];
    for (const t of P.desc(doc, 'cac:LegalMonetaryTotal')) {
      r.check('BR-12', P.has(t, 'cbc:LineExtensionAmount'), t);
      r.check('BR-13', P.has(t, 'cbc:TaxExclusiveAmount'), t);
      r.check('BR-14', P.has(t, 'cbc:TaxInclusiveAmount'), t);
      r.check('BR-15', P.has(t, 'cbc:PayableAmount'), t);
      const lineSum = round2(sumDec(lines.map((l) => decOf(l, 'cbc:LineExtensionAmount'))));
      const lineExt = decOf(t, 'cbc:LineExtensionAmount');
      r.check('BR-CO-10', eq(lineExt, lineSum), t);
      const parent = t.parent;
      const docAcs = parent ? P.kids(parent, 'cac:AllowanceCharge') : [];
      const allowances = docAcs.filter((a) => isDocAllowance(a, false));
      const charges = docAcs.filter((a) => isDocAllowance(a, true));
      const allowanceTotal = P.str(t, 'cbc:AllowanceTotalAmount');
      const chargeTotal = P.str(t, 'cbc:ChargeTotalAmount');
      r.check(
        'BR-CO-11',
        eq(dec(allowanceTotal), round2(sumDec(allowances.map((a) => decOf(a, 'cbc:Amount'))))) ||
          (allowanceTotal === undefined && allowances.length === 0),
        t,
      );
      r.check(
        'BR-CO-12',
        eq(dec(chargeTotal), round2(sumDec(charges.map((a) => decOf(a, 'cbc:Amount'))))) ||
          (chargeTotal === undefined && charges.length === 0),
        t,
      );
      const taxExcl = decOf(t, 'cbc:TaxExclusiveAmount');
      const opt = (v: string | undefined) => (v === undefined ? undefined : dec(v));
      r.check('BR-CO-13', co13(taxExcl, lineExt, opt(allowanceTotal), opt(chargeTotal), false), t);
      const prepaid = P.has(t, 'cbc:PrepaidAmount');
      const rounding = P.has(t, 'cbc:PayableRoundingAmount');
      const payable = decOf(t, 'cbc:PayableAmount');
      const taxIncl = decOf(t, 'cbc:TaxInclusiveAmount');
      const pre = decOf(t, 'cbc:PrepaidAmount');
      const rnd = decOf(t, 'cbc:PayableRoundingAmount');
      let co16 = false;
      if (payable && taxIncl) {
        if (prepaid && !rounding) co16 = pre !== null && payable.eq(round2(taxIncl.minus(pre)));
        else if (!prepaid && !rounding) co16 = payable.eq(taxIncl);
        else if (prepaid && rounding) co16 = pre !== null && rnd !== null && round2(payable.minus(rnd)).eq(round2(taxIncl.minus(pre)));
        else co16 = rnd !== null && round2(payable.minus(rnd)).eq(taxIncl);
      }
      r.check('BR-CO-16', co16, t);
      r.check('BR-DEC-09', maxTwoDecimals(P.str(t, 'cbc:LineExtensionAmount')), t);
      r.check('BR-DEC-10', maxTwoDecimals(allowanceTotal), t);
      r.check('BR-DEC-11', maxTwoDecimals(chargeTotal), t);
      r.check('BR-DEC-12', maxTwoDecimals(P.str(t, 'cbc:TaxExclusiveAmount')), t);
      r.check('BR-DEC-14', maxTwoDecimals(P.str(t, 'cbc:TaxInclusiveAmount')), t);
      r.check('BR-DEC-16', maxTwoDecimals(P.str(t, 'cbc:PrepaidAmount')), t);
      r.check('BR-DEC-17', maxTwoDecimals(P.str(t, 'cbc:PayableRoundingAmount')), t);
      r.check('BR-DEC-18', maxTwoDecimals(P.str(t, 'cbc:PayableAmount')), t);
    }

    // The invoice
    r.check('BR-01', P.filled(root, 'cbc:CustomizationID'), root);
    r.check('BR-02', P.filled(root, 'cbc:ID'), root);
    r.check('BR-03', P.filled(root, 'cbc:IssueDate'), root);
    r.check('BR-04', P.filled(root, 'cbc:InvoiceTypeCode') || P.filled(root, 'cbc:CreditNoteTypeCode'), root);
    r.check('BR-05', P.filled(root, 'cbc:DocumentCurrencyCode'), root);
    r.check('BR-06', P.filled(root, 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'), root);
    r.check('BR-07', P.filled(root, 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName'), root);
    r.check('BR-08', P.has(root, 'cac:AccountingSupplierParty/cac:Party/cac:PostalAddress'), root);
    r.check('BR-10', P.has(root, 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress'), root);
    r.check('BR-16', P.has(root, 'cac:InvoiceLine') || P.has(root, 'cac:CreditNoteLine'), root);
    const taxAmounts = P.desc(doc, 'cac:TaxTotal').flatMap((tt) => P.kids(tt, 'cbc:TaxAmount'));
    r.check(
      'BR-53',
      P.kids(root, 'cbc:TaxCurrencyCode').every((c) => {
        const cur = stringValue(c);
        return taxAmounts.some((a) => attr(a, 'currencyID') === cur);
      }),
      root,
    );
    r.check('BR-CO-03', !(P.has(root, 'cbc:TaxPointDate') && P.has(root, 'cac:InvoicePeriod/cbc:DescriptionCode')), root);
    {
      const legal = P.kids(root, 'cac:LegalMonetaryTotal');
      const incl = dec(P.str(legal[0], 'cbc:TaxInclusiveAmount'));
      const excl = dec(P.str(legal[0], 'cbc:TaxExclusiveAmount'));
      const ok = P.kids(root, 'cbc:DocumentCurrencyCode').every((c) => {
        const cur = stringValue(c);
        const amounts = P.kids(root, 'cac:TaxTotal')
          .flatMap((tt) => P.kids(tt, 'cbc:TaxAmount'))
          .filter((a) => attr(a, 'currencyID') === cur);
        if (amounts.length !== 1) return false;
        const vat = dec(stringValue(amounts[0]));
        return incl !== null && excl !== null && vat !== null && incl.eq(round2(excl.plus(vat)));
      });
      r.check('BR-CO-15', ok, root);
    }
    r.check('BR-CO-18', P.has(root, 'cac:TaxTotal/cac:TaxSubtotal'), root);
    // BR-DEC-13 and BR-DEC-15 select TaxAmount[@currencyID = cbc:DocumentCurrencyCode] relative to the
    // TaxAmount itself, which has no such child: the official tests can never fail. Kept as written.
    r.check('BR-DEC-13', true, root);
    r.check('BR-DEC-15', true, root);

    // Invoice lines
    for (const line of lines) {
      r.check('BR-21', P.filled(line, 'cbc:ID'), line);
      r.check('BR-22', P.has(line, 'cbc:InvoicedQuantity') || P.has(line, 'cbc:CreditedQuantity'), line);
      r.check(
        'BR-23',
        P.all(line, 'cbc:InvoicedQuantity').some((q) => attr(q, 'unitCode') !== undefined) ||
          P.all(line, 'cbc:CreditedQuantity').some((q) => attr(q, 'unitCode') !== undefined),
        line,
      );
      r.check('BR-24', P.has(line, 'cbc:LineExtensionAmount'), line);
      r.check('BR-25', P.filled(line, 'cac:Item/cbc:Name'), line);
      r.check('BR-26', P.has(line, 'cac:Price/cbc:PriceAmount'), line);
      r.check('BR-27', P.all(line, 'cac:Price/cbc:PriceAmount').some((p) => num(stringValue(p)) >= 0), line);
      const gross = P.all(line, 'cac:Price/cac:AllowanceCharge/cbc:BaseAmount');
      r.check('BR-28', gross.length === 0 || gross.some((p) => num(stringValue(p)) >= 0), line);
      r.check(
        'BR-CO-04',
        P.all(line, 'cac:Item/cac:ClassifiedTaxCategory').some((c) => isVat(c) && P.has(c, 'cbc:ID')),
        line,
      );
      r.check('BR-DEC-23', maxTwoDecimals(P.str(line, 'cbc:LineExtensionAmount')), line);

      for (const ac of P.kids(line, 'cac:AllowanceCharge')) {
        const reason = allowanceReasonOk(P.has(ac, 'cbc:AllowanceChargeReason'), P.has(ac, 'cbc:AllowanceChargeReasonCode'));
        if (isDocAllowance(ac, false)) {
          r.check('BR-41', P.has(ac, 'cbc:Amount'), ac);
          r.check('BR-42', reason, ac);
          r.check('BR-CO-07', true, ac);
          r.check('BR-CO-23', reason, ac);
          r.check('BR-DEC-24', maxTwoDecimals(P.str(ac, 'cbc:Amount')), ac);
          r.check('BR-DEC-25', maxTwoDecimals(P.str(ac, 'cbc:BaseAmount')), ac);
        } else if (isDocAllowance(ac, true)) {
          r.check('BR-43', P.has(ac, 'cbc:Amount'), ac);
          r.check('BR-44', reason, ac);
          r.check('BR-CO-08', true, ac);
          r.check('BR-CO-24', reason, ac);
          r.check('BR-DEC-27', maxTwoDecimals(P.str(ac, 'cbc:Amount')), ac);
          r.check('BR-DEC-28', maxTwoDecimals(P.str(ac, 'cbc:BaseAmount')), ac);
        }
      }
      for (const per of P.kids(line, 'cac:InvoicePeriod')) {
        const s = P.str(per, 'cbc:StartDate');
        const e = P.str(per, 'cbc:EndDate');
        r.check('BR-30', s === undefined || e === undefined || dateGe(e, s), per);
        r.check('BR-CO-20', s !== undefined || e !== undefined, per);
      }
      for (const c of P.all(line, 'cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode')) {
        r.check('BR-65', attr(c, 'listID') !== undefined, c);
      }
      for (const c of P.all(line, 'cac:Item/cac:StandardItemIdentification/cbc:ID')) {
        r.check('BR-64', attr(c, 'schemeID') !== undefined, c);
      }
    }

    // Invoicing periods other than line periods
    for (const per of P.desc(doc, 'cac:InvoicePeriod')) {
      if (per.parent && (per.parent.local === 'InvoiceLine' || per.parent.local === 'CreditNoteLine') && per.parent.ns === UBL_NS.cac) continue;
      const s = P.str(per, 'cbc:StartDate');
      const e = P.str(per, 'cbc:EndDate');
      r.check('BR-29', s === undefined || e === undefined || dateGe(e, s), per);
      r.check('BR-CO-19', s !== undefined || e !== undefined || P.has(per, 'cbc:DescriptionCode'), per);
    }

    for (const ip of P.desc(doc, 'cac:AdditionalItemProperty')) {
      r.check('BR-54', P.has(ip, 'cbc:Name') && P.has(ip, 'cbc:Value'), ip);
    }

    // Invoice note subject code
    for (const note of P.kids(root, 'cbc:Note')) {
      const s = stringValue(note);
      const hash = s.indexOf('#');
      let ok = true;
      if (hash >= 0) {
        const after = s.slice(hash + 1);
        const end = after.indexOf('#');
        const code = end >= 0 ? after.slice(0, end) : '';
        ok = [...code].length !== 3 || UNTDID_4451_TEXT.includes(code);
      }
      r.check('BR-CL-08', ok, note);
    }

    // Payee
    const seller = P.first(root, 'cac:AccountingSupplierParty/cac:Party');
    for (const payee of P.desc(doc, 'cac:PayeeParty')) {
      const names = P.all(payee, 'cac:PartyName/cbc:Name').map(stringValue);
      const ids = P.all(payee, 'cac:PartyIdentification/cbc:ID').map(stringValue);
      const sellerRoot = payee.parent;
      const sellerNames = P.all(sellerRoot ?? undefined, 'cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name').map(stringValue);
      const sellerIds = P.all(sellerRoot ?? undefined, 'cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID').map(stringValue);
      r.check(
        'BR-17',
        names.length > 0 && !names.some((n) => sellerNames.includes(n)) && !ids.some((i) => sellerIds.includes(i)),
        payee,
      );
    }
    void seller;

    // Payment instructions
    for (const pm of P.desc(doc, 'cac:PaymentMeans')) {
      const codes = P.kids(pm, 'cbc:PaymentMeansCode').map((c) => stringValue(c));
      const creditTransfer = codes.some((c) => c === '30' || c === '58');
      if (creditTransfer) for (const fa of P.kids(pm, 'cac:PayeeFinancialAccount')) r.check('BR-50', P.filled(fa, 'cbc:ID'), fa);
      r.check('BR-49', codes.length > 0, pm);
      const code = codes.length ? normalizeSpace(codes[0]) : '';
      r.check(
        'BR-61',
        (P.has(pm, 'cac:PayeeFinancialAccount/cbc:ID') && (code === '30' || code === '58')) ||
          (code !== '30' && code !== '58'),
        pm,
      );
    }

    for (const br of P.desc(doc, 'cac:BillingReference')) r.check('BR-55', P.has(br, 'cac:InvoiceDocumentReference/cbc:ID'), br);

    for (const sp of P.desc(doc, 'cac:AccountingSupplierParty')) {
      r.check(
        'BR-CO-26',
        P.all(sp, 'cac:Party/cac:PartyTaxScheme').some((s) => isVat(s) && P.has(s, 'cbc:CompanyID')) ||
          P.has(sp, 'cac:Party/cac:PartyIdentification/cbc:ID') ||
          P.has(sp, 'cac:Party/cac:PartyLegalEntity/cbc:CompanyID'),
        sp,
      );
    }

    for (const tr of P.desc(doc, 'cac:TaxRepresentativeParty')) {
      r.check('BR-18', P.filled(tr, 'cac:PartyName/cbc:Name'), tr);
      r.check('BR-19', P.has(tr, 'cac:PostalAddress'), tr);
      r.check('BR-56', P.kids(tr, 'cac:PartyTaxScheme').some((s) => isVat(s) && P.has(s, 'cbc:CompanyID')), tr);
      for (const a of P.kids(tr, 'cac:PostalAddress')) r.check('BR-20', P.filled(a, 'cac:Country/cbc:IdentificationCode'), a);
    }

    // Invoice total VAT amount
    for (const tt of P.kids(root, 'cac:TaxTotal')) {
      const subs = P.kids(tt, 'cac:TaxSubtotal');
      const total = decOf(tt, 'cbc:TaxAmount');
      const sum = round2(sumDec(subs.map((s) => decOf(s, 'cbc:TaxAmount'))));
      r.check('BR-CO-14', subs.length === 0 || eq(total, sum), tt);
    }

    // VAT breakdown
    for (const tt of P.desc(doc, 'cac:TaxTotal')) {
      for (const st of P.kids(tt, 'cac:TaxSubtotal')) {
        r.check('BR-45', P.has(st, 'cbc:TaxableAmount'), st);
        r.check('BR-46', P.has(st, 'cbc:TaxAmount'), st);
        const vatCats = P.kids(st, 'cac:TaxCategory').filter(isVat);
        r.check('BR-47', vatCats.some((c) => P.has(c, 'cbc:ID')), st);
        r.check(
          'BR-48',
          vatCats.some((c) => P.has(c, 'cbc:Percent')) || vatCats.some((c) => categoryCode(c) === 'O'),
          st,
        );
        const pct = vatCats.length ? dec(P.str(vatCats[0], 'cbc:Percent')) : null;
        const tax = decOf(st, 'cbc:TaxAmount');
        const taxable = decOf(st, 'cbc:TaxableAmount');
        let co17 = false;
        if (pct !== null && tax !== null) {
          if (round0(pct).isZero()) co17 = round0(tax).isZero();
          else if (taxable !== null) {
            const expected = round2(taxable.abs().times(pct.div(100)));
            co17 = tax.abs().minus(1).lt(expected) && tax.abs().plus(1).gt(expected);
          }
        } else if (pct === null && tax !== null) co17 = round0(tax).isZero();
        r.check('BR-CO-17', co17, st);
        r.check('BR-DEC-19', maxTwoDecimals(P.str(st, 'cbc:TaxableAmount')), st);
        r.check('BR-DEC-20', maxTwoDecimals(P.str(st, 'cbc:TaxAmount')), st);
      }
    }

    // VAT identifiers
    for (const pts of P.desc(doc, 'cac:PartyTaxScheme')) {
      if (!isVat(pts)) continue;
      const id = P.str(pts, 'cbc:CompanyID') ?? '';
      r.check('BR-CO-09', VAT_PREFIXES.includes([...id].slice(0, 2).join('')), pts);
    }
    void D;
  },
};
