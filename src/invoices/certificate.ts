import PDFDocument from 'pdfkit';
import { dejaVu } from '../shared/pdf-fonts.ts';
import { formatAmountFr } from '../shared/money.ts';
import { formatParisDateTime } from '../shared/clock.ts';


export interface CertificateData {
  invoiceId: number;
  number: string;
  documentType: string;
  framework: string;
  depositMode: string;
  depositedAt: Date;
  supplier: { name: string; identifier: string };
  recipient: { name: string; identifier: string; serviceCode: string | null };
  ejNumber: string | null;
  totalWithVat: string;
  amountDue: string;
  currency: string;
  /** Every deposited file with its SHA-256. */
  files: Array<{ filename: string; role: string; size: number; sha256: string }>;
  /** SHA-256 of the data entered in the form (canonical JSON). */
  dataSha256: string;
}

/**
 * The deposit certificate (attestation de dépôt): a PDF with the deposit date and the SHA-256 of every
 * deposited file. The fingerprints are also in the document's Keywords so a program can read them back.
 */
export function renderCertificate(c: CertificateData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `Certificat de dépôt — facture ${c.number}`,
      Author: 'Ouvrage',
      Creator: 'Ouvrage',
      Producer: 'Ouvrage',
      CreationDate: c.depositedAt,
      ModDate: c.depositedAt,
      Subject: `Certificat de dépôt de la demande de paiement ${c.invoiceId}`,
      Keywords: [...c.files.map((f) => `sha256:${f.sha256}`), `donnees-sha256:${c.dataSha256}`].join(' '),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (b: Buffer) => chunks.push(b));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', dejaVu('regular'));
  doc.registerFont('bold', dejaVu('bold'));
  doc.font('bold').fontSize(18).text('Certificat de dépôt');
  doc.moveDown(0.5).font('regular').fontSize(10).text(`La plateforme Ouvrage certifie avoir reçu la ${c.documentType === 'AVOIR' ? 'demande de paiement (avoir)' : 'facture'} décrite ci-dessous.`);
  doc.moveDown();
  const row = (label: string, value: string) => {
    doc.font('bold').text(`${label} : `, { continued: true }).font('regular').text(value);
  };
  row('Date et heure du dépôt (Europe/Paris)', formatParisDateTime(c.depositedAt));
  row('Date du dépôt (UTC)', c.depositedAt.toISOString());
  row('Numéro de facture', c.number);
  row('Identifiant de la demande de paiement', String(c.invoiceId));
  row('Cadre de facturation', c.framework);
  row('Mode de dépôt', c.depositMode);
  row('Fournisseur', `${c.supplier.name} (${c.supplier.identifier})`);
  row('Destinataire', `${c.recipient.name} (${c.recipient.identifier})${c.recipient.serviceCode ? `, service ${c.recipient.serviceCode}` : ''}`);
  row("Numéro d'engagement", c.ejNumber ?? '—');
  row('Montant TTC', formatAmountFr(c.totalWithVat, c.currency));
  row('Net à payer', formatAmountFr(c.amountDue, c.currency));
  doc.moveDown();
  doc.font('bold').fontSize(12).text('Empreintes SHA-256 des fichiers déposés');
  doc.font('regular').fontSize(9);
  if (!c.files.length) doc.text('Aucun fichier : facture saisie sur le formulaire.');
  for (const f of c.files) {
    doc.moveDown(0.3).font('bold').text(`${f.filename} (${f.role === 'PRINCIPALE' ? 'pièce principale' : 'pièce complémentaire'}, ${f.size} octets)`);
    doc.font('regular').text(f.sha256);
  }
  doc.moveDown().font('bold').fontSize(12).text('Empreinte SHA-256 des données de la facture');
  doc.font('regular').fontSize(9).text(c.dataSha256);
  doc.end();
  return done;
}
