import PDFDocument from 'pdfkit';
import { pdfBytes } from '../shared/pdf-output.ts';
import { dejaVu } from '../shared/pdf-fonts.ts';
import { formatParisDateTime } from '../shared/clock.ts';


const STATUS_LABELS: Record<string, string> = {
  IN_RECU: 'Reçu', IN_EN_COURS_TRAITEMENT_CPP: 'En cours de traitement', IN_INTEGRE: 'Intégré',
  IN_INTEGRE_PARTIEL: 'Intégré partiellement', IN_REJETE: 'Rejeté',
};

export interface FlowReportData {
  numero: string;
  syntax: string;
  filename: string;
  status: string;
  depositedAt: Date;
  statusChangedAt: Date;
  supplier: { name: string; identifier: string };
  fileCount: number;
  integrated: Array<{ number: string; invoiceId: number }>;
  rejected: Array<{ number: string; message: string }>;
  technical: string[];
}

/** The flow report (compte rendu) as a PDF: status, counts, rejected invoices with their reasons, integrated ones. */
export function renderFlowReport(r: FlowReportData): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Compte rendu du flux ${r.numero}`, Author: 'Ouvrage', Subject: `Flux ${r.numero} — ${r.status}` } });
  doc.registerFont('r', dejaVu('regular'));
  doc.registerFont('b', dejaVu('bold'));
  const done = pdfBytes(doc);
  doc.font('b').fontSize(16).text('Compte rendu de dépôt de flux');
  doc.moveDown(0.5).font('r').fontSize(10);
  const line = (k: string, v: string) => doc.font('b').text(`${k} : `, { continued: true }).font('r').text(v);
  line('Numéro du flux', r.numero);
  line('Fichier', r.filename);
  line('Syntaxe', r.syntax);
  line('Émetteur', `${r.supplier.name} (${r.supplier.identifier})`);
  line('Déposé le', formatParisDateTime(r.depositedAt));
  line('État', `${STATUS_LABELS[r.status] ?? r.status} (${r.status}) depuis le ${formatParisDateTime(r.statusChangedAt)}`);
  line('Factures', `${r.fileCount} fichier(s) : ${r.integrated.length} intégrée(s), ${r.rejected.length} rejetée(s)`);
  if (r.technical.length) {
    doc.moveDown().font('b').fontSize(12).text('Erreurs techniques');
    doc.font('r').fontSize(9);
    for (const t of r.technical) doc.text(`• ${t}`);
  }
  if (r.rejected.length) {
    doc.moveDown().font('b').fontSize(12).text('Factures rejetées');
    doc.font('r').fontSize(9);
    for (const x of r.rejected.slice(0, 500)) doc.text(`• ${x.number} — ${x.message}`);
    if (r.rejected.length > 500) doc.text(`… et ${r.rejected.length - 500} autre(s) : voir consulterCRDetaille.`);
  }
  if (r.integrated.length) {
    doc.moveDown().font('b').fontSize(12).text('Factures intégrées');
    doc.font('r').fontSize(9);
    for (const x of r.integrated.slice(0, 500)) doc.text(`• ${x.number} (identifiantFactureCPP ${x.invoiceId})`);
    if (r.integrated.length > 500) doc.text(`… et ${r.integrated.length - 500} autre(s).`);
  }
  doc.end();
  return done;
}
