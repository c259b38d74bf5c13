import { Decimal } from 'decimal.js';
import { P, ciiRoot, CII_NS } from '../en16931/cii/common.ts';
import type { ModelReporter } from '../model-rules.ts';
import { attr, normalizeSpace, stringValue, type XmlDocument, type XmlElement } from '../xml/tree.ts';

/**
 * The multi-vendor (BR-FR-MV-*, frameworks S8, B8, M8) and bidirectional self-billing (BR-FR-BD-*, S9, B9, M9)
 * rules of BR-FR-Flux2, on the EXTENDED-CTC-FR line extension of CII: line sub-type GROUP / DETAIL /
 * INFORMATION (EXT-FR-FE-163, ram:LineStatusReasonCode), parent line (EXT-FR-FE-162, ram:ParentLineID), the
 * line's seller (ram:ItemSellerTradeParty) and its sub-invoice number (BT-128 of scheme AFL, type 130).
 * A "group" below is a GROUP line without parent: one sub-invoice. Tests as in the official CII binding
 * (1.4.x XSLT readable upstream), including what they leave out (BR-FR-MV-01 checks a sub-type that is written).
 */

export const MV = new Set(['S8', 'B8', 'M8']);
export const BD = new Set(['S9', 'B9', 'M9']);
export const SELF_BILLED = new Set(['389', '261', '501', '500', '502', '471', '473']);
export const MV_CORRECTIONS = new Set(['384', '472', '381', '396', '503']);
export const BD_CORRECTIONS = new Set(['261', '471', '473', '502']);

const str = (el: XmlElement | undefined, path: string) => P.str(el, path);
const ns = (el: XmlElement | undefined, path: string) => normalizeSpace(str(el, path) ?? '');
const dec = (s: string | undefined) => {
  const v = (s ?? '').trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v) ? new Decimal(v) : null;
};
const sum = (els: XmlElement[]) => els.reduce((a, e) => a.plus(dec(stringValue(e)) ?? 0), new Decimal(0));

const status = (line: XmlElement) => str(line, 'ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode');
const hasParent = (line: XmlElement) => P.has(line, 'ram:AssociatedDocumentLineDocument/ram:ParentLineID');
const isGroup = (line: XmlElement) => status(line) === 'GROUP' && !hasParent(line);
const lineId = (line: XmlElement) => ns(line, 'ram:AssociatedDocumentLineDocument/ram:LineID');
const sellerLegalIds = (line: XmlElement) => P.all(line, 'ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID').map(stringValue);
const subInvoiceRefs = (line: XmlElement) =>
  P.all(line, 'ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument').filter((d) => str(d, 'ram:ReferenceTypeCode') === 'AFL' && str(d, 'ram:TypeCode') === '130');
const subInvoice = (line: XmlElement) => normalizeSpace(str(subInvoiceRefs(line)[0], 'ram:IssuerAssignedID') ?? '');
const summation = (line: XmlElement, name: string) => P.all(line, `ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:${name}`);
const inCurrency = (els: XmlElement[], currency: string | undefined) => els.find((e) => currency !== undefined && attr(e, 'currencyID') === currency);
const label = (line: XmlElement) => `Ligne ${lineId(line) || '?'}.`;

export function multiVendorRules(doc: XmlDocument, r: ModelReporter, framework: string): void {
  if (!MV.has(framework) && !BD.has(framework)) return;
  const root = ciiRoot(doc);
  const tx = P.first(root, 'rsm:SupplyChainTradeTransaction');
  if (!root || !tx) return;
  const mv = MV.has(framework);
  const lines = P.kids(tx, 'ram:IncludedSupplyChainTradeLineItem');
  const groups = lines.filter(isGroup);
  const children = (group: XmlElement) => {
    const id = lineId(group);
    return lines.filter((l) => P.all(l, 'ram:AssociatedDocumentLineDocument/ram:ParentLineID').some((p) => stringValue(p) === id));
  };
  const currency = str(tx, 'ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode');
  const taxCurrency = P.first(tx, 'ram:ApplicableHeaderTradeSettlement/ram:TaxCurrencyCode');

  for (const code of P.all(tx, 'ram:IncludedSupplyChainTradeLineItem/ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode')) {
    r.checkAt('BR-FR-MV-01', normalizeSpace(stringValue(code)) !== '', code);
  }
  if (mv) r.checkAt('BR-FR-MV-02', groups.length >= 1, tx, `Lignes GROUP sans parent : ${groups.length}.`);
  else {
    const of = (party: string) => {
      const ids = P.all(tx, `ram:ApplicableHeaderTradeAgreement/ram:${party}/ram:SpecifiedLegalOrganization/ram:ID`).map(stringValue);
      return groups.filter((g) => sellerLegalIds(g).some((x) => ids.includes(x))).length;
    };
    r.checkAt('BR-FR-BD-02', groups.length === 2, tx, `Lignes GROUP sans parent : ${groups.length}.`);
    r.checkAt('BR-FR-BD-02', of('SellerTradeParty') === 1, tx, "Une ligne GROUP doit avoir pour vendeur de ligne l'identifiant légal du vendeur (BT-30).");
    r.checkAt('BR-FR-BD-02', of('BuyerTradeParty') === 1, tx, "Une ligne GROUP doit avoir pour vendeur de ligne l'identifiant légal de l'acheteur (BT-47).");
  }

  for (const g of groups) {
    // BR-FR-MV-03: what a sub-invoice must carry.
    r.checkAt('BR-FR-MV-03', ns(g, 'ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:Name') !== '', g, `${label(g)} Nom du vendeur de la ligne manquant.`);
    r.checkAt('BR-FR-MV-03', ns(g, 'ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID') !== '', g, `${label(g)} Identifiant légal du vendeur de la ligne manquant.`);
    r.checkAt('BR-FR-MV-03', ns(g, 'ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:PostalTradeAddress/ram:CountryID') !== '', g, `${label(g)} Pays du vendeur de la ligne manquant.`);
    const taxTotals = summation(g, 'TaxTotalAmount');
    const vat = inCurrency(taxTotals, currency);
    r.checkAt('BR-FR-MV-03', normalizeSpace(vat ? stringValue(vat) : '') !== '', g, `${label(g)} Montant de TVA de la ligne en devise de facture manquant.`);
    if (taxCurrency) {
      const acc = stringValue(taxCurrency);
      const inAcc = inCurrency(taxTotals, acc);
      r.checkAt('BR-FR-MV-03', acc !== '' && normalizeSpace(inAcc ? stringValue(inAcc) : '') !== '', g, `${label(g)} Montant de TVA de la ligne en devise de comptabilisation (BT-6) manquant.`);
    }
    for (const d of P.all(g, 'ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument')) {
      const scheme = str(d, 'ram:ReferenceTypeCode');
      if (scheme !== 'AFL' && scheme !== 'AVV') continue;
      const n = ns(d, 'ram:IssuerAssignedID');
      const ok = str(d, 'ram:TypeCode') === '130' && n !== '' && !(scheme === 'AVV' && P.all(d, 'ram:IssuerAssignedID').some((x) => ['M8', 'S8', 'B8'].includes(stringValue(x))));
      r.checkAt('BR-FR-MV-03', ok, d, `${label(g)} Objet facturé ${scheme} : « ${n} ».`);
    }

    // BR-FR-MV-05: the group's net amount is the sum of its children's (tolerance 0.01 per child).
    const counted = children(g).filter((c) => {
      const s = status(c);
      return s !== undefined && s !== 'INFORMATION';
    });
    const childAmounts = counted.flatMap((c) => summation(c, 'LineTotalAmount'));
    const net = dec(str(g, 'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount'));
    const childSum = sum(childAmounts);
    r.checkAt('BR-FR-MV-05', net !== null && net.minus(childSum).abs().lte(new Decimal(0.01).times(childAmounts.length)), g, `${label(g)} Total HT ${net ?? '—'}, somme des sous-lignes ${childSum}.`);

    // BR-FR-MV-09: the group's VAT is the sum of the VAT breakdowns whose exemption reason starts with #number#.
    const number = subInvoice(g);
    const breakdowns = P.all(tx, 'ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax').filter(
      (t) => str(t, 'ram:TypeCode') === 'VAT' && (str(t, 'ram:ExemptionReason') ?? '').startsWith(`#${number}#`),
    );
    const vatSum = sum(breakdowns.flatMap((t) => P.all(t, 'ram:CalculatedAmount')));
    const lineVat = dec(vat ? stringValue(vat) : undefined);
    r.checkAt('BR-FR-MV-09', lineVat !== null && lineVat.minus(vatSum).abs().lte(0.01), g, `${label(g)} TVA de la ligne ${lineVat ?? '—'}, somme des ventilations #${number}# ${vatSum}.`);

    // BR-FR-MV-10: when given, the group's total with VAT = net + VAT (tolerance 0.01 per DETAIL or GROUP child).
    const grand = summation(g, 'GrandTotalAmount');
    if (grand.length) {
      const n = children(g).filter((c) => status(c) === 'DETAIL' || status(c) === 'GROUP').length;
      const gt = dec(stringValue(grand[0]));
      const ok = gt !== null && net !== null && lineVat !== null && gt.minus(net).minus(lineVat).abs().lte(new Decimal(0.01).times(n));
      r.checkAt('BR-FR-MV-10', ok, g, `${label(g)} TTC ${gt ?? '—'}, HT ${net ?? '—'}, TVA ${lineVat ?? '—'}.`);
    }
  }

  for (const line of lines) {
    // BR-FR-MV-06 / 07: every line names its seller and sub-invoice, the same as its parent line's.
    const parentId = P.first(line, 'ram:AssociatedDocumentLineDocument/ram:ParentLineID');
    const parent = parentId ? lines.find((l) => P.all(l, 'ram:AssociatedDocumentLineDocument/ram:LineID').some((x) => stringValue(x) === stringValue(parentId))) : undefined;
    const legal = ns(line, 'ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID');
    const parentLegal = parent ? ns(parent, 'ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID') : '';
    r.checkAt('BR-FR-MV-06', legal !== '' && (!parentId || legal === parentLegal), line, `${label(line)} Vendeur « ${legal} », vendeur de la ligne parent « ${parentLegal} ».`);
    const number = subInvoice(line);
    const parentNumber = parent ? subInvoice(parent) : '';
    r.checkAt('BR-FR-MV-07', number !== '' && (!parentId || number === parentNumber), line, `${label(line)} Sous-facture « ${number} », sous-facture de la ligne parent « ${parentNumber} ».`);
    // BR-FR-MV-08: a DETAIL line's VAT exemption reason starts with its sub-invoice number between #.
    if (status(line) === 'DETAIL') {
      const reason = str(line, 'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:ExemptionReason') ?? '';
      r.checkAt('BR-FR-MV-08', normalizeSpace(reason) !== '' && number !== '' && reason.startsWith(`#${number}#`), line, `${label(line)} Motif « ${reason} », sous-facture « ${number} ».`);
    }
  }

  // BR-FR-MV-11: the main seller's group carries the invoice number (BT-1) as its sub-invoice number.
  const sellerIds = P.all(tx, 'ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID').map(stringValue);
  const invoiceIds = P.all(root, 'rsm:ExchangedDocument/ram:ID').map(stringValue);
  const sellerGroups = groups.filter((g) => sellerLegalIds(g).some((x) => sellerIds.includes(x)));
  const carrying = sellerGroups.flatMap(subInvoiceRefs).filter((d) => P.all(d, 'ram:IssuerAssignedID').some((x) => invoiceIds.includes(stringValue(x)))).length;
  for (const g of sellerGroups) {
    const number = subInvoice(g);
    const ok = carrying === 1 || (carrying === 0 && invoiceIds.includes(number)) || (carrying > 1 && !invoiceIds.includes(number));
    r.checkAt('BR-FR-MV-11', ok, g, `${label(g)} Numéro de facture ${invoiceIds[0] ?? ''}, sous-factures du vendeur qui le portent : ${carrying}.`);
  }

  // BR-FR-MV-12: a group's sub-invoice number appears on no IssuerAssignedID before it in the document.
  const all = doc.byName.get(`${CII_NS.ram} IssuerAssignedID`) ?? [];
  const repeated = groups
    .flatMap(subInvoiceRefs)
    .flatMap((d) => P.kids(d, 'ram:IssuerAssignedID'))
    .find((n) => all.some((m) => m.order < n.order && stringValue(m) === stringValue(n)));
  r.checkAt('BR-FR-MV-12', repeated === undefined, tx, repeated ? `Numéro répété : « ${stringValue(repeated)} ».` : undefined);

  // BR-FR-MV-13 / BD-13: self-billing types excluded (multi-vendor) or required (bidirectional).
  const typeCodes = P.all(root, 'rsm:ExchangedDocument/ram:TypeCode');
  for (const tc of typeCodes) {
    const v = stringValue(tc);
    if (mv) r.checkAt('BR-FR-MV-13', normalizeSpace(v) !== '' && !SELF_BILLED.has(v), tc, `Valeur reçue : « ${v} ».`);
    else r.checkAt('BR-FR-BD-13', SELF_BILLED.has(normalizeSpace(v)), tc, `Valeur reçue : « ${v} ».`);
  }

  // BR-FR-MV-14 / BD-14: a corrective invoice or credit note references the corrected invoice on each group.
  const corrections = mv ? MV_CORRECTIONS : BD_CORRECTIONS;
  if (typeCodes.some((tc) => corrections.has(stringValue(tc)))) {
    const id = mv ? 'BR-FR-MV-14' : 'BR-FR-BD-14';
    for (const g of groups) {
      r.checkAt(id, P.has(g, 'ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/ram:IssuerAssignedID'), g, `${label(g)} Numéro de la facture antérieure manquant.`);
      r.checkAt(id, P.has(g, 'ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString'), g, `${label(g)} Date de la facture antérieure manquante.`);
    }
  }
}
