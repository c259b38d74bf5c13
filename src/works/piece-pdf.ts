import PDFDocument from 'pdfkit';
import { pdfBytes } from '../shared/pdf-output.ts';
import { createRequire } from 'node:module';
import path from 'node:path';
import { formatParisDateTime } from '../shared/clock.ts';
import type { Statement, StatementTotals } from './decompte.ts';
import type { PieceDifferences } from './pieces-model.ts';

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT = path.join(fontDir, 'DejaVuSans.ttf');
const FONT_BOLD = path.join(fontDir, 'DejaVuSans-Bold.ttf');

/** The French title of each piece type (typeFactureTravaux). */
export const PIECE_TITLES: Record<string, string> = {
  PROJET_DECOMPTE_MENSUEL: 'Projet de décompte mensuel',
  ETAT_ACOMPTE: "État d'acompte",
  ETAT_ACOMPTE_VALIDE: "État d'acompte validé",
  PROJET_DECOMPTE_FINAL: 'Projet de décompte final',
  PROJET_DECOMPTE_GENERAL: 'Projet de décompte général',
  PROJET_DECOMPTE_GENERAL_PROCEDURE_TACITE: 'Projet de décompte général (procédure tacite)',
  DECOMPTE_GENERAL: 'Décompte général',
  DECOMPTE_GENERAL_SIGNE: 'Décompte général et définitif signé',
  DECOMPTE_GENERAL_DEFINITIF_TACITE: 'Décompte général et définitif tacite',
  DECOMPTE_GENERAL_DEFINITIF_PROCEDURE_TACITE: 'Décompte général et définitif (procédure tacite)',
};

export interface PiecePdfData {
  number: string;
  pieceType: string;
  frameworkLabel: string;
  depositedAt: Date;
  contract: { number: string; subject: string };
  supplier: string;
  depositor: string;
  moe: string | null;
  moa: string;
  payer: string;
  statement: Statement;
  differences: PieceDifferences | null;
  comment: string | null;
}

/** '-3483.47' → '-3 483,47' (no-break spaces between thousands). */
export function amountFr(amount: string): string {
  const neg = amount.startsWith('-');
  const [int, dec = ''] = amount.replace('-', '').split('.');
  const grouped = int.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${neg ? '-' : ''}${grouped},${(dec + '00').slice(0, 2)}`;
}
const quantityFr = (q: string) => q.replace('.', ',');
const monthFr = (m: string) => {
  const [y, mm] = m.split('-');
  return `${['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'][Number(mm) - 1]} ${y}`;
};

const TOTAL_ROWS: Array<[keyof StatementTotals, string]> = [
  ['works', 'Travaux exécutés HT'],
  ['revision', 'Révision des prix'],
  ['totalWithoutVat', 'Total HT'],
  ['vat', 'TVA'],
  ['totalWithVat', 'Total TTC'],
  ['advanceRepayment', "Remboursement de l'avance"],
  ['retention', 'Retenue de garantie'],
  ['penalties', 'Pénalités'],
  ['amountDue', 'Montant dû (acompte)'],
];

/**
 * The French PDF of a works piece (projet de décompte mensuel, état d'acompte, décompte final or général),
 * from the décompte engine's statement: price lines with cumulative progress and amounts (to date, previous,
 * this month), the revision month by month, the totals with the advance repayment, the retention, the
 * penalties and the VAT, the amount due, and the MOE's (or MOA's) differences against the previous piece.
 */
export function renderPiecePdf(d: PiecePdfData): Promise<Buffer> {
  const s = d.statement;
  const title = `${PIECE_TITLES[d.pieceType] ?? d.pieceType}${s.final ? '' : ` — ${monthFr(s.month)}`}`;
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margin: 36,
    info: { Title: `${title} — ${d.number}`, Author: 'Ouvrage', Creator: 'Ouvrage', Producer: 'Ouvrage', CreationDate: d.depositedAt, ModDate: d.depositedAt, Subject: `Marché ${d.contract.number}` },
  });
  const done = pdfBytes(doc);
  doc.registerFont('regular', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  doc.font('bold').fontSize(16).text(title);
  doc.font('regular').fontSize(9).text(`${d.frameworkLabel} — pièce n° ${d.number}, déposée le ${formatParisDateTime(d.depositedAt)}`);
  doc.moveDown(0.5);
  const row = (label: string, value: string) => doc.font('bold').text(`${label} : `, { continued: true }).font('regular').text(value);
  row('Marché', `${d.contract.number} — ${d.contract.subject}`);
  row('Entreprise', d.supplier);
  row('Déposée par', d.depositor);
  row("Maître d'œuvre", d.moe ?? 'non inscrit sur la plateforme');
  row("Maître de l'ouvrage", d.moa);
  row('Payeur', d.payer);
  row('Montant du marché HT', `${amountFr(s.contractAmount)} €`);
  doc.moveDown(0.6);

  /** A table: columns with widths and alignments; repeats its header on a new page. */
  const table = (cols: Array<{ title: string; width: number; align?: 'left' | 'right' }>, rows: string[][], opts: { boldLast?: boolean; size?: number } = {}) => {
    const size = opts.size ?? 7.5;
    const header = () => {
      let x = left;
      const y = doc.y;
      doc.font('bold').fontSize(size);
      const h = Math.max(...cols.map((c) => doc.heightOfString(c.title, { width: c.width - 4 })));
      for (const c of cols) {
        doc.text(c.title, x + 2, y, { width: c.width - 4, align: c.align ?? 'left' });
        x += c.width;
      }
      doc.y = y + h + 2;
      doc.moveTo(left, doc.y).lineTo(left + cols.reduce((a, c) => a + c.width, 0), doc.y).lineWidth(0.5).stroke();
      doc.y += 2;
    };
    header();
    rows.forEach((r, i) => {
      doc.font(opts.boldLast && i === rows.length - 1 ? 'bold' : 'regular').fontSize(size);
      const h = Math.max(...cols.map((c, j) => doc.heightOfString(r[j] ?? '', { width: c.width - 4 })));
      if (doc.y + h > bottom()) {
        doc.addPage();
        header();
        doc.font(opts.boldLast && i === rows.length - 1 ? 'bold' : 'regular').fontSize(size);
      }
      const y = doc.y;
      let x = left;
      cols.forEach((c, j) => {
        doc.text(r[j] ?? '', x + 2, y, { width: c.width - 4, align: c.align ?? 'left' });
        x += c.width;
      });
      doc.y = y + h + 2;
    });
    doc.x = left;
    doc.moveDown(0.6);
  };
  const section = (t: string) => {
    if (doc.y + 60 > bottom()) doc.addPage();
    doc.x = left;
    doc.font('bold').fontSize(11).text(t);
    doc.moveDown(0.3);
  };

  section('Décompte des travaux par prix');
  const R = 'right' as const;
  table(
    [
      { title: 'N°', width: 30 }, { title: 'Désignation', width: 150 }, { title: 'Unité', width: 32 }, { title: 'Qté marché', width: 50, align: R },
      { title: 'Prix unitaire HT', width: 62, align: R }, { title: 'Montant marché HT', width: 70, align: R }, { title: 'Avancement précédent', width: 60, align: R },
      { title: 'Avancement cumulé', width: 60, align: R }, { title: 'Cumulé HT', width: 72, align: R }, { title: 'Précédent HT', width: 72, align: R }, { title: 'Ce mois HT', width: 72, align: R },
    ],
    [
      ...s.lines.map((l) => {
        const unit = l.kind === 'FORFAIT' ? '%' : (l.unit ?? '');
        return [
          l.code, `${l.label}${l.overrun ? ' (quantité du marché dépassée)' : ''}`, l.kind === 'FORFAIT' ? `forfait${l.unit ? ` (${l.unit})` : ''}` : (l.unit ?? ''), quantityFr(l.contractQuantity),
          amountFr(l.unitPrice), amountFr(l.contractAmount), `${quantityFr(l.previousProgress)} ${unit}`.trim(), `${quantityFr(l.progress)} ${unit}`.trim(),
          amountFr(l.amount), amountFr(l.previousAmount), amountFr(l.monthAmount),
        ];
      }),
      ['', 'Total des travaux', '', '', '', amountFr(s.contractAmount), '', '', amountFr(s.cumulative.works), amountFr(s.previous.works), amountFr(s.thisMonth.works)],
    ],
    { boldLast: true },
  );

  if (s.revisionMonths.length) {
    section('Révision des prix (mois par mois)');
    table(
      [{ title: 'Mois', width: 90 }, { title: 'Travaux du mois HT', width: 100, align: R }, { title: 'Coefficient', width: 70, align: R }, { title: 'Index retenus', width: 200 }, { title: 'Révision', width: 90, align: R }],
      s.revisionMonths.map((m) => [
        monthFr(m.month), amountFr(m.base), `${quantityFr(m.coefficient)}${m.provisional ? ' (provisoire)' : ''}`,
        Object.entries(m.indexMonths).map(([idx, month]) => `${idx} de ${monthFr(month)}`).join(', '), amountFr(m.amount),
      ]),
    );
  }

  section(s.final ? 'Récapitulatif du décompte final' : "Récapitulatif de l'acompte");
  table(
    [{ title: '', width: 200 }, { title: 'Cumulé à ce jour', width: 110, align: R }, { title: 'Décompte précédent', width: 110, align: R }, { title: s.final ? 'Ce décompte' : 'Ce mois', width: 110, align: R }],
    TOTAL_ROWS.map(([k, label]) => [label, amountFr(s.cumulative[k]), amountFr(s.previous[k]), amountFr(s.thisMonth[k])]),
    { boldLast: true, size: 8.5 },
  );
  doc.font('regular').fontSize(8.5).text(`Avance : ${amountFr(s.advance.amount)} € versés, ${amountFr(s.advance.repaid)} € remboursés, ${amountFr(s.advance.remaining)} € restant à rembourser.`);
  doc.font('bold').fontSize(11).text(`Montant à payer : ${amountFr(s.thisMonth.amountDue)} € TTC`);
  doc.moveDown(0.6);

  if (d.differences && (d.differences.lines.length || Object.values(d.differences.totals).some((v) => Number(v) !== 0))) {
    section('Écarts avec la pièce précédente');
    if (d.differences.lines.length)
      table(
        [{ title: 'N°', width: 30 }, { title: 'Désignation', width: 170 }, { title: 'Avancement précédent', width: 80, align: R }, { title: 'Avancement retenu', width: 80, align: R }, { title: 'Montant précédent HT', width: 90, align: R }, { title: 'Montant retenu HT', width: 90, align: R }, { title: 'Écart HT', width: 80, align: R }],
        d.differences.lines.map((l) => [l.code, l.label, quantityFr(l.companyProgress), quantityFr(l.moeProgress), amountFr(l.companyAmount), amountFr(l.moeAmount), amountFr(l.difference)]),
      );
    doc.font('regular').fontSize(8.5).text(`Écart sur le montant dû ce mois : ${amountFr(d.differences.totals.amountDue)} €. Un écart de montant est corrigé dans la pièce suivante ; il n'est jamais un motif de refus (CCAG Travaux 2021, art. 12).`);
    doc.moveDown(0.6);
  }
  if (s.warnings.length) {
    section('Observations');
    doc.font('regular').fontSize(8.5);
    for (const w of s.warnings) doc.text(`• ${w}`);
  }
  if (d.comment) {
    section('Commentaire');
    doc.font('regular').fontSize(8.5).text(d.comment);
  }
  doc.end();
  return done;
}
