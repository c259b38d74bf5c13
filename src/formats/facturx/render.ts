import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Buyer, Identifier, Invoice, PostalAddress, Profile, Seller } from '../model.ts';
import { dateFr, documentTitle, money, number, PAYMENT_MEANS_FR, percent, price, VAT_CATEGORY_FR } from './french.ts';

/**
 * The French human-readable rendering of an invoice, drawn on a pdfkit document with the embedded DejaVu fonts
 * (PDF/A forbids the standard 14 unembedded fonts). Pure layout: no clock, no I/O besides the font files.
 */
const require = createRequire(import.meta.url);

/**
 * Parsing a 750 kB TrueType font costs ~40 ms; the parsed font (pdfkit's fontkit object) is read-only and is
 * reused by every document, each of which embeds its own subset. It is taken from a first pdfkit document so
 * that fontkit stays pdfkit's private dependency.
 */
let fonts: { regular: PDFKit.Mixins.PDFFontSource; bold: PDFKit.Mixins.PDFFontSource } | undefined;
export function dejaVuFonts(): { regular: PDFKit.Mixins.PDFFontSource; bold: PDFKit.Mixins.PDFFontSource } {
  if (!fonts) {
    const warm = new PDFDocument({ autoFirstPage: false });
    const parsed = (file: string) => {
      warm.registerFont(file, readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
      warm.font(file);
      return (warm as unknown as { _font: { font: PDFKit.Mixins.PDFFontSource } })._font.font;
    };
    fonts = { regular: parsed('DejaVuSans.ttf'), bold: parsed('DejaVuSans-Bold.ttf') };
  }
  return fonts;
}

const PAGE = { width: 595.28, height: 841.89, margin: 40 };
const GREY = '#555555';
const LINE = '#bbbbbb';

type Doc = InstanceType<typeof PDFDocument>;

/** SIRET is scheme 0009 (ISO 6523 ICD), SIREN 0002. */
function siretOf(p: { identifiers: Identifier[]; legalRegistration?: Identifier }): string | undefined {
  const all = [...p.identifiers, ...(p.legalRegistration ? [p.legalRegistration] : [])];
  return all.find((i) => i.schemeId === '0009')?.id;
}
function sirenOf(p: { identifiers: Identifier[]; legalRegistration?: Identifier }): string | undefined {
  const all = [...p.identifiers, ...(p.legalRegistration ? [p.legalRegistration] : [])];
  return all.find((i) => i.schemeId === '0002')?.id;
}

function addressLines(a: PostalAddress): string[] {
  return [a.line1, a.line2, a.line3, [a.postCode, a.city].filter(Boolean).join(' '), [a.countrySubdivision, a.countryCode].filter(Boolean).join(' – ')].filter(
    (l): l is string => !!l,
  );
}

function partyBlock(p: Seller | Buyer, extra: [string, string | undefined][]): string[] {
  const siret = siretOf(p);
  const siren = siret ? undefined : sirenOf(p);
  const others = [...p.identifiers, ...(p.legalRegistration ? [p.legalRegistration] : [])].filter((i) => i.id !== siret && i.id !== siren);
  return [
    ...(p.tradingName && p.tradingName !== p.name ? [p.tradingName] : []),
    ...addressLines(p.address),
    ...(siret ? [`SIRET : ${siret}`] : []),
    ...(siren ? [`SIREN : ${siren}`] : []),
    ...others.slice(0, 2).map((i) => `Identifiant${i.schemeId ? ` (${i.schemeId})` : ''} : ${i.id}`),
    ...(p.vatId ? [`N° TVA : ${p.vatId}`] : []),
    ...extra.filter(([, v]) => v).map(([k, v]) => `${k} : ${v}`),
    ...(p.contact?.name ? [`Contact : ${p.contact.name}`] : []),
    ...(p.contact?.email ? [p.contact.email] : []),
    ...(p.contact?.phone ? [`Tél. ${p.contact.phone}`] : []),
  ];
}

/**
 * pdfkit shapes each word with fontkit (ligatures, kerning) and caches the result per document. Shaping is pure
 * (same font, same word → same glyphs), so the cache is shared between documents; it is bounded and simply
 * emptied when full.
 */
const sharedLayouts = { Regular: Object.create(null) as Record<string, unknown>, Bold: Object.create(null) as Record<string, unknown> };
const MAX_CACHED_WORDS = 20_000;
function useSharedLayoutCache(doc: Doc): void {
  const families = (doc as unknown as { _fontFamilies: Record<string, { layoutCache?: Record<string, unknown> }> })._fontFamilies;
  for (const name of ['Regular', 'Bold'] as const) {
    const font = families[name];
    if (!font || !font.layoutCache) continue;
    if (Object.keys(sharedLayouts[name]).length > MAX_CACHED_WORDS) sharedLayouts[name] = Object.create(null);
    font.layoutCache = sharedLayouts[name];
  }
}

export interface RenderOptions {
  profile: Profile;
  /** Footer line naming the attached XML, when there is one. */
  attachmentName?: string;
}

export function renderInvoice(doc: Doc, inv: Invoice, options: RenderOptions): void {
  const cur = inv.currency;
  const left = PAGE.margin;
  const right = PAGE.width - PAGE.margin;
  const width = right - left;
  const bottom = PAGE.height - PAGE.margin - 30;

  doc.font('Bold');
  doc.font('Regular');
  useSharedLayoutCache(doc);
  doc.font('Bold').fontSize(20).fillColor('black').text(documentTitle(inv.typeCode), left, PAGE.margin);
  doc.font('Regular').fontSize(10).text(`N° ${inv.number}`, left, PAGE.margin + 26);
  const dates = [
    `Date d'émission : ${dateFr(inv.issueDate)}`,
    inv.dueDate ? `Date d'échéance : ${dateFr(inv.dueDate)}` : undefined,
    inv.delivery?.date ? `Date de livraison : ${dateFr(inv.delivery.date)}` : undefined,
    inv.invoicingPeriod ? `Période : du ${dateFr(inv.invoicingPeriod.startDate)} au ${dateFr(inv.invoicingPeriod.endDate)}` : undefined,
  ].filter((s): s is string => !!s);
  doc.fontSize(9).fillColor(GREY);
  dates.forEach((d, i) => doc.text(d, left + width / 2, PAGE.margin + 4 + i * 12, { width: width / 2, align: 'right' }));

  // Parties side by side.
  let y = PAGE.margin + 70;
  const colWidth = width / 2 - 10;
  const seller = partyBlock(inv.seller, [['Mentions légales', inv.seller.legalInformation]]);
  const buyer = partyBlock(inv.buyer, [
    ['Code service', inv.buyerReference],
    ['Engagement juridique (bon de commande)', inv.purchaseOrderReference],
    ['Marché', inv.contractReference],
  ]);
  const party = (title: string, name: string, lines: string[], x: number) => {
    doc.font('Bold').fontSize(8).fillColor(GREY).text(title.toUpperCase(), x, y, { width: colWidth });
    doc.font('Bold').fontSize(10).fillColor('black').text(name, x, y + 12, { width: colWidth });
    doc.font('Regular').fontSize(8.5);
    for (const l of lines) doc.text(l, { width: colWidth });
    return doc.y;
  };
  const endSeller = party('Vendeur', inv.seller.name, seller, left);
  const endBuyer = party('Acheteur', inv.buyer.name, buyer, left + width / 2 + 10);
  y = Math.max(endSeller, endBuyer) + 18;

  const newPageIfNeeded = (needed: number) => {
    if (y + needed > bottom) {
      doc.addPage();
      y = PAGE.margin;
    }
  };

  // Lines.
  const cols = [
    { title: 'Désignation', width: 0.42, align: 'left' as const },
    { title: 'Quantité', width: 0.12, align: 'right' as const },
    { title: 'Prix unitaire HT', width: 0.16, align: 'right' as const },
    { title: 'TVA', width: 0.1, align: 'right' as const },
    { title: 'Montant HT', width: 0.2, align: 'right' as const },
  ];
  const row = (cells: string[], bold = false, fontSize = 8.5) => {
    doc.font(bold ? 'Bold' : 'Regular').fontSize(fontSize).fillColor('black');
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: cols[i].width * width - 6 }));
    const h = Math.max(...heights) + 6;
    newPageIfNeeded(h);
    let x = left;
    cells.forEach((c, i) => {
      doc.text(c, x + 3, y + 3, { width: cols[i].width * width - 6, align: cols[i].align });
      x += cols[i].width * width;
    });
    y += h;
    doc.moveTo(left, y).lineTo(right, y).lineWidth(0.5).strokeColor(LINE).stroke();
  };
  if (inv.lines.length) {
    row(cols.map((c) => c.title), true, 8);
    for (const l of inv.lines) {
      const details = [
        l.item.description,
        l.item.sellerId ? `Réf. ${l.item.sellerId}` : undefined,
        l.note,
        ...l.allowances.map((a) => `Remise${a.reason ? ` (${a.reason})` : ''} : −${money(a.amount, cur)}`),
        ...l.charges.map((c) => `Frais${c.reason ? ` (${c.reason})` : ''} : ${money(c.amount, cur)}`),
      ].filter(Boolean);
      row([
        [l.item.name, ...details].join('\n'),
        `${number(l.quantity)}${l.unitCode && !['C62', 'H87', 'EA', 'XPP'].includes(l.unitCode) ? ` ${l.unitCode}` : ''}`,
        price(l.price.netPrice, cur),
        l.vat.rate !== undefined ? percent(l.vat.rate) : l.vat.categoryCode,
        money(l.netAmount, cur),
      ]);
    }
  } else {
    doc.font('Regular').fontSize(9).fillColor(GREY);
    doc.text(`Pas de lignes de détail dans ce document (profil ${options.profile}).`, left, y);
    y = doc.y + 8;
  }

  // Document-level allowances and charges.
  const acs = [
    ...inv.allowances.map((a) => [`Remise${a.reason ? ` : ${a.reason}` : ''}`, `−${money(a.amount, cur)}`]),
    ...inv.charges.map((c) => [`Frais${c.reason ? ` : ${c.reason}` : ''}`, money(c.amount, cur)]),
  ];
  y += 10;

  // VAT breakdown (left) and totals (right).
  newPageIfNeeded(140 + acs.length * 12);
  const top = y;
  doc.font('Bold').fontSize(9).fillColor('black').text('Détail de la TVA', left, y);
  y += 14;
  doc.font('Regular').fontSize(8.5);
  for (const b of inv.vatBreakdown) {
    const label = `${VAT_CATEGORY_FR[b.categoryCode] ?? b.categoryCode}${b.rate !== undefined ? ` ${percent(b.rate)}` : ''}`;
    doc.text(`${label} — base ${money(b.taxableAmount, cur)} — TVA ${money(b.taxAmount, cur)}`, left, y, { width: width / 2 });
    y = doc.y + 2;
    if (b.exemptionReason || b.exemptionReasonCode) {
      doc.fillColor(GREY).text(`Motif d'exonération : ${b.exemptionReason ?? b.exemptionReasonCode}`, left + 8, y, { width: width / 2 - 8 });
      doc.fillColor('black');
      y = doc.y + 2;
    }
  }
  const leftEnd = y;
  const t = inv.totals;
  const totals: [string, string | undefined, boolean?][] = [
    ['Total HT des lignes', t.lineNetTotal],
    ...acs.map(([k, v]) => [k, v] as [string, string]),
    ['Total HT', t.taxExclusiveAmount],
    ['Total TVA', t.vatTotal],
    ['Total TTC', t.taxInclusiveAmount, true],
    ['Déjà payé', t.prepaidAmount],
    ['Arrondi', t.roundingAmount],
    ['Net à payer', t.payableAmount, true],
  ];
  y = top;
  const tx = left + width / 2 + 20;
  for (const [label, value, bold] of totals) {
    if (value === undefined) continue;
    const shown = value.startsWith('−') ? value : money(value, cur);
    doc.font(bold ? 'Bold' : 'Regular').fontSize(bold ? 10 : 9);
    doc.text(label, tx, y, { width: right - tx - 95 });
    const labelEnd = doc.y;
    doc.text(shown, right - 95, y, { width: 95, align: 'right' });
    y = Math.max(labelEnd, doc.y) - (bold ? 15 : 13);
    y += bold ? 15 : 13;
  }
  if (t.vatTotalInAccountingCurrency && inv.vatAccountingCurrency) {
    doc.font('Regular').fontSize(8).fillColor(GREY).text(`TVA en ${inv.vatAccountingCurrency} : ${money(t.vatTotalInAccountingCurrency, inv.vatAccountingCurrency)}`, tx, y);
    y += 12;
  }
  y = Math.max(y, leftEnd) + 16;

  // Payment and notes.
  const p = inv.payment;
  const info: string[] = [];
  if (p) {
    info.push(`Moyen de paiement : ${PAYMENT_MEANS_FR[p.meansCode] ?? p.meansCode}${p.meansText ? ` (${p.meansText})` : ''}`);
    for (const a of p.creditTransfers) info.push(`IBAN : ${a.accountId}${a.serviceProviderId ? ` — BIC : ${a.serviceProviderId}` : ''}${a.accountName ? ` — ${a.accountName}` : ''}`);
    if (p.remittanceInformation) info.push(`Référence à rappeler : ${p.remittanceInformation}`);
    if (p.directDebit?.mandateReference) info.push(`Mandat de prélèvement : ${p.directDebit.mandateReference}`);
  }
  if (inv.paymentTerms) info.push(`Conditions de paiement : ${inv.paymentTerms}`);
  if (inv.payee) info.push(`Bénéficiaire du paiement : ${inv.payee.name}`);
  if (inv.precedingInvoices.length) info.push(`Facture(s) d'origine : ${inv.precedingInvoices.map((r) => `${r.number}${r.issueDate ? ` du ${dateFr(r.issueDate)}` : ''}`).join(', ')}`);
  for (const n of inv.notes) info.push(n.text);
  doc.font('Regular').fontSize(8.5).fillColor('black');
  for (const line of info) {
    const h = doc.heightOfString(line, { width });
    newPageIfNeeded(h + 2);
    doc.text(line, left, y, { width });
    y = doc.y + 2;
  }

  // Footer on every page.
  const footer = options.attachmentName
    ? `Facture électronique Factur-X, profil ${options.profile} : le fichier ${options.attachmentName} joint à ce PDF fait foi.`
    : `Représentation lisible de la facture ${inv.number} (profil ${options.profile}).`;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // the footer sits in the margin: no automatic page break
    doc.font('Regular').fontSize(7).fillColor(GREY);
    doc.text(`${footer} Page ${i + 1}/${range.count}`, left, PAGE.height - PAGE.margin - 10, { width, align: 'center', lineBreak: false });
  }
}
