import { Decimal } from 'decimal.js';
import { P, ublRoot } from '../en16931/ubl/common.ts';
import type { ModelReporter } from '../model-rules.ts';
import { attr, normalizeSpace, stringValue, type XmlDocument, type XmlElement } from '../xml/tree.ts';
import { BD, BD_CORRECTIONS, MV, MV_CORRECTIONS, SELF_BILLED } from './multi-vendor.ts';

/**
 * BR-FR-MV-* and BR-FR-BD-* on UBL, as the official UBL binding (BR-FR-Flux2 UBL 1.4.0.04, readable upstream in
 * fnfempe/France_RFE) writes them. UBL has no line sub-type nor parent line: the binding carries them in a line
 * `cac:BillingReference` whose `cac:InvoiceDocumentReference/cbc:ID` is the invoice's own number (BT-1): its
 * `cbc:DocumentStatusCode` is the sub-type (EXT-FR-FE-163: GROUP, DETAIL, INFORMATION) and its
 * `cac:BillingReferenceLine/cbc:ID` the parent line (EXT-FR-FE-162). The line's seller is
 * `cac:Item/cac:ManufacturerParty`, the sub-invoice number a `cac:DocumentReference` of type 130 with an ID of
 * scheme AFL, the group's VAT its `cac:TaxTotal/cbc:TaxAmount`, its total with VAT
 * `cbc:TaxInclusiveLineExtensionAmount`. A "group" is a line whose own-invoice reference says GROUP without parent.
 * Where the UBL binding differs from the CII one it is followed: BR-FR-MV-01 requires the reference and a non-empty
 * sub-type on every line; BR-FR-MV-12 compares with the AFL numbers before it only.
 */

const dec = (s: string | undefined) => {
  const v = (s ?? '').trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v) ? new Decimal(v) : null;
};
const sum = (els: XmlElement[]) => els.reduce((a, e) => a.plus(dec(stringValue(e)) ?? 0), new Decimal(0));
const ns = (el: XmlElement | undefined, path: string) => normalizeSpace(P.str(el, path) ?? '');

export function multiVendorRulesUbl(doc: XmlDocument, r: ModelReporter, framework: string): void {
  if (!MV.has(framework) && !BD.has(framework)) return;
  const root = ublRoot(doc);
  if (!root) return;
  const mv = MV.has(framework);
  const invoiceIds = P.kids(root, 'cbc:ID').map(stringValue);
  const lines = [...P.kids(root, 'cac:InvoiceLine'), ...P.kids(root, 'cac:CreditNoteLine')];

  /** cac:BillingReference[cac:InvoiceDocumentReference/cbc:ID = $invoiceID] of a line. */
  const ownRefs = (line: XmlElement) => P.kids(line, 'cac:BillingReference').filter((b) => P.all(b, 'cac:InvoiceDocumentReference/cbc:ID').some((i) => invoiceIds.includes(stringValue(i))));
  const statusesOf = (ref: XmlElement) => P.all(ref, 'cac:InvoiceDocumentReference/cbc:DocumentStatusCode').map(stringValue);
  const parentsOf = (ref: XmlElement) => P.all(ref, 'cac:BillingReferenceLine/cbc:ID').map(stringValue);
  const isGroupRef = (ref: XmlElement) => statusesOf(ref).includes('GROUP') && parentsOf(ref).length === 0;
  /** The group references of the document: each is one sub-invoice (the context of MV-03, 05, 09, 10, 11, 14). */
  const groupRefs = lines.flatMap((l) => ownRefs(l).filter(isGroupRef).map((ref) => ({ line: l, ref })));
  const lineId = (line: XmlElement) => ns(line, 'cbc:ID');
  const aflIds = (line: XmlElement) =>
    P.kids(line, 'cac:DocumentReference')
      .filter((d) => P.all(d, 'cbc:DocumentTypeCode').some((c) => stringValue(c) === '130'))
      .flatMap((d) => P.kids(d, 'cbc:ID'))
      .filter((i) => attr(i, 'schemeID') === 'AFL');
  const aflOf = (line: XmlElement) => normalizeSpace(aflIds(line).map(stringValue)[0] ?? '');
  const avvOf = (line: XmlElement) =>
    P.kids(line, 'cac:DocumentReference')
      .filter((d) => P.all(d, 'cbc:DocumentTypeCode').some((c) => stringValue(c) === '130'))
      .flatMap((d) => P.kids(d, 'cbc:ID'))
      .filter((i) => attr(i, 'schemeID') === 'AVV')
      .map(stringValue);
  const sellerLegal = (line: XmlElement) => ns(line, 'cac:Item/cac:ManufacturerParty/cac:PartyLegalEntity/cbc:CompanyID');
  const label = (line: XmlElement) => `Ligne ${lineId(line) || '?'}.`;
  const currency = P.str(root, 'cbc:DocumentCurrencyCode');
  const taxCurrency = P.desc(doc, 'cbc:TaxCurrencyCode')[0];
  const lineVat = (line: XmlElement, cur: string | undefined) => P.all(line, 'cac:TaxTotal/cbc:TaxAmount').find((a) => cur !== undefined && attr(a, 'currencyID') === cur);

  // BR-FR-MV-01: every line carries its own-invoice reference with a sub-type.
  for (const line of lines) {
    const refs = ownRefs(line);
    const status = normalizeSpace(refs.flatMap(statusesOf)[0] ?? '');
    r.checkAt('BR-FR-MV-01', refs.length > 0 && status !== '', line, `${label(line)} Référence à la facture ${invoiceIds[0] ?? ''} avec sous-type : ${refs.length > 0 ? `« ${status} »` : 'absente'}.`);
  }

  // BR-FR-MV-02 (S8, B8, M8): at least one group; BR-FR-BD-02 (S9, B9, M9): two, one of the seller and one of the buyer.
  if (mv) r.checkAt('BR-FR-MV-02', groupRefs.length >= 1, root, `Lignes GROUP sans parent : ${groupRefs.length}.`);
  else {
    const of = (party: string) => {
      const ids = P.all(root, `cac:${party}/cac:Party/cac:PartyLegalEntity/cbc:CompanyID`).map(stringValue);
      return groupRefs.filter((g) => P.all(g.line, 'cac:Item/cac:ManufacturerParty/cac:PartyLegalEntity/cbc:CompanyID').some((c) => ids.includes(stringValue(c)))).length;
    };
    r.checkAt('BR-FR-BD-02', groupRefs.length === 2, root, `Lignes GROUP sans parent : ${groupRefs.length}.`);
    r.checkAt('BR-FR-BD-02', of('AccountingSupplierParty') === 1, root, "Une ligne GROUP doit avoir pour vendeur de ligne l'identifiant légal du vendeur (BT-30).");
    r.checkAt('BR-FR-BD-02', of('AccountingCustomerParty') === 1, root, "Une ligne GROUP doit avoir pour vendeur de ligne l'identifiant légal de l'acheteur (BT-47).");
  }

  /** The lines whose own-invoice reference names `parent` as parent line and has one of the sub-types kept. */
  const childRefs = (parent: string, keep: (status: string) => boolean) =>
    lines.flatMap((l) => ownRefs(l).filter((ref) => parentsOf(ref).includes(parent) && statusesOf(ref).some(keep)).map(() => l));

  for (const { line: g, ref } of groupRefs) {
    // BR-FR-MV-03: what a sub-invoice must carry.
    r.checkAt('BR-FR-MV-03', ns(g, 'cac:Item/cac:ManufacturerParty/cac:PartyLegalEntity/cbc:RegistrationName') !== '', ref, `${label(g)} Nom du vendeur de la ligne manquant.`);
    r.checkAt('BR-FR-MV-03', sellerLegal(g) !== '', ref, `${label(g)} Identifiant légal du vendeur de la ligne manquant.`);
    r.checkAt('BR-FR-MV-03', ns(g, 'cac:Item/cac:ManufacturerParty/cac:PostalAddress/cac:Country/cbc:IdentificationCode') !== '', ref, `${label(g)} Pays du vendeur de la ligne manquant.`);
    const vat = lineVat(g, currency);
    r.checkAt('BR-FR-MV-03', normalizeSpace(vat ? stringValue(vat) : '') !== '', ref, `${label(g)} Montant de TVA de la ligne en devise de facture manquant.`);
    if (taxCurrency) {
      const acc = stringValue(taxCurrency);
      const inAcc = lineVat(g, acc);
      r.checkAt('BR-FR-MV-03', acc !== '' && normalizeSpace(inAcc ? stringValue(inAcc) : '') !== '', ref, `${label(g)} Montant de TVA de la ligne en devise de comptabilisation (BT-6) manquant.`);
    }
    const number = aflOf(g);
    r.checkAt('BR-FR-MV-03', number !== '', ref, `${label(g)} Numéro de sous-facture (BT-128, schéma AFL) manquant.`);
    const avv = avvOf(g);
    r.checkAt('BR-FR-MV-03', normalizeSpace(avv[0] ?? '') !== '' && !avv.some((v) => ['M8', 'S8', 'B8'].includes(v)), ref, `${label(g)} Objet facturé AVV : « ${avv[0] ?? ''} ».`);

    // BR-FR-MV-05: the group's net amount is the sum of its children's (tolerance 0.01 per child).
    const children = childRefs(lineId(g), (s) => s !== 'INFORMATION');
    const childAmounts = children.flatMap((c) => P.kids(c, 'cbc:LineExtensionAmount'));
    const net = dec(P.str(g, 'cbc:LineExtensionAmount'));
    const childSum = sum(childAmounts);
    r.checkAt('BR-FR-MV-05', net !== null && net.minus(childSum).abs().lte(new Decimal(0.01).times(childAmounts.length)), ref, `${label(g)} Total HT ${net ?? '—'}, somme des sous-lignes ${childSum}.`);

    // BR-FR-MV-09: the group's VAT is the sum of the VAT breakdowns whose exemption reason starts with #number#.
    const breakdowns = P.all(root, 'cac:TaxTotal/cac:TaxSubtotal').filter(
      (s) => P.all(s, 'cac:TaxCategory/cac:TaxScheme/cbc:ID').some((i) => stringValue(i) === 'VAT') && (P.str(s, 'cac:TaxCategory/cbc:TaxExemptionReason') ?? '').startsWith(`#${number}#`),
    );
    const vatSum = sum(breakdowns.flatMap((s) => P.kids(s, 'cbc:TaxAmount')));
    const groupVat = dec(vat ? stringValue(vat) : undefined);
    r.checkAt('BR-FR-MV-09', groupVat !== null && groupVat.minus(vatSum).abs().lte(0.01), ref, `${label(g)} TVA de la ligne ${groupVat ?? '—'}, somme des ventilations #${number}# ${vatSum}.`);

    // BR-FR-MV-10: when given, the group's total with VAT = net + VAT (tolerance 0.01 per DETAIL or GROUP child).
    const inclusive = P.kids(g, 'cbc:TaxInclusiveLineExtensionAmount');
    if (inclusive.length) {
      const n = childRefs(lineId(g), (s) => s === 'DETAIL' || s === 'GROUP').length;
      const ttc = dec(stringValue(inclusive[0]));
      const ok = ttc !== null && net !== null && groupVat !== null && ttc.minus(net).minus(groupVat).abs().lte(new Decimal(0.01).times(n));
      r.checkAt('BR-FR-MV-10', ok, ref, `${label(g)} TTC ${ttc ?? '—'}, HT ${net ?? '—'}, TVA ${groupVat ?? '—'}.`);
    }
  }

  for (const line of lines) {
    // BR-FR-MV-06 / 07: every line names its seller and sub-invoice, the same as its parent line's.
    const parentIds = ownRefs(line).flatMap(parentsOf);
    const parent = parentIds.length ? lines.find((l) => P.kids(l, 'cbc:ID').some((i) => parentIds.includes(stringValue(i)))) : undefined;
    const legal = sellerLegal(line);
    const parentLegal = parent ? sellerLegal(parent) : '';
    r.checkAt('BR-FR-MV-06', legal !== '' && (parentIds.length === 0 || legal === parentLegal), line, `${label(line)} Vendeur « ${legal} », vendeur de la ligne parent « ${parentLegal} ».`);
    const number = aflOf(line);
    const parentNumber = parent ? aflOf(parent) : '';
    r.checkAt('BR-FR-MV-07', number !== '' && (parentIds.length === 0 || number === parentNumber), line, `${label(line)} Sous-facture « ${number} », sous-facture de la ligne parent « ${parentNumber} ».`);
    // BR-FR-MV-08: a DETAIL line's VAT exemption reason starts with its sub-invoice number between #.
    if (ownRefs(line).some((ref) => statusesOf(ref).includes('DETAIL'))) {
      const reason = P.str(line, 'cac:Item/cac:ClassifiedTaxCategory/cbc:TaxExemptionReason') ?? '';
      r.checkAt('BR-FR-MV-08', normalizeSpace(reason) !== '' && number !== '' && reason.startsWith(`#${number}#`), line, `${label(line)} Motif « ${reason} », sous-facture « ${number} ».`);
    }
  }

  // BR-FR-MV-11: the main seller's group carries the invoice number (BT-1) as its sub-invoice number.
  const sellerIds = P.all(root, 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID').map(stringValue);
  const sellerGroups = groupRefs.filter((g) => sellerIds.includes(sellerLegal(g.line)));
  const carrying = new Set(sellerGroups.filter((g) => aflIds(g.line).some((i) => invoiceIds.includes(stringValue(i)))).map((g) => g.line)).size;
  for (const { line: g, ref } of sellerGroups) {
    const number = aflOf(g);
    const ok = carrying === 1 || (carrying === 0 && invoiceIds.includes(number)) || (carrying > 1 && !invoiceIds.includes(number));
    r.checkAt('BR-FR-MV-11', ok, ref, `${label(g)} Numéro de facture ${invoiceIds[0] ?? ''}, sous-factures du vendeur qui le portent : ${carrying}.`);
  }

  // BR-FR-MV-12: a group's sub-invoice number is not an AFL number of a document reference before it.
  const allAfl = lines.flatMap(aflIds);
  const repeated = [...new Set(groupRefs.map((g) => g.line))]
    .flatMap(aflIds)
    .find((n) => allAfl.some((m) => m.order < n.order && stringValue(m) === stringValue(n)));
  r.checkAt('BR-FR-MV-12', repeated === undefined, root, repeated ? `Numéro répété : « ${stringValue(repeated)} ».` : undefined);

  // BR-FR-MV-13 / BD-13: self-billing types excluded (multi-vendor) or required (bidirectional).
  const typeCodes = [...P.kids(root, 'cbc:InvoiceTypeCode'), ...P.kids(root, 'cbc:CreditNoteTypeCode')];
  for (const tc of typeCodes) {
    const v = normalizeSpace(stringValue(tc));
    if (mv) r.checkAt('BR-FR-MV-13', v !== '' && !SELF_BILLED.has(v), tc, `Valeur reçue : « ${v} ».`);
    else r.checkAt('BR-FR-BD-13', SELF_BILLED.has(v), tc, `Valeur reçue : « ${v} ».`);
  }

  // BR-FR-MV-14 / BD-14: a corrective invoice or credit note references the corrected invoice on each group.
  const corrections = mv ? MV_CORRECTIONS : BD_CORRECTIONS;
  if (typeCodes.some((tc) => corrections.has(stringValue(tc)))) {
    const id = mv ? 'BR-FR-MV-14' : 'BR-FR-BD-14';
    for (const { line: g, ref } of groupRefs) {
      const previous = P.kids(g, 'cac:BillingReference').filter((b) => P.all(b, 'cac:InvoiceDocumentReference/cbc:ID').some((i) => !invoiceIds.includes(stringValue(i))));
      r.checkAt(id, previous.some((b) => P.has(b, 'cac:InvoiceDocumentReference/cbc:ID')), ref, `${label(g)} Numéro de la facture antérieure manquant.`);
      r.checkAt(id, previous.some((b) => P.has(b, 'cac:InvoiceDocumentReference/cbc:IssueDate')), ref, `${label(g)} Date de la facture antérieure manquante.`);
    }
  }
}
