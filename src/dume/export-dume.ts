import { exportEspd, renderEspdPdf, type EspdDocument, type EspdExportVersion, type EspdLoss } from '../formats/espd/index.ts';
import { AppError } from '../shared/app-error.ts';

export type ExportFormat = 'xml' | 'pdf';

/** A DUME as an ESPD-EDM XML file (2.1.1 or 4.1.0, with what the version cannot hold) or as a French PDF. */
export async function exportDocument(model: EspdDocument, format: ExportFormat, version: EspdExportVersion, meta: { number?: string | null }): Promise<{ bytes: Buffer; mediaType: string; filename: string; losses: EspdLoss[] }> {
  const base = `dume-${model.kind === 'request' ? 'acheteur' : 'oe'}-${meta.number ?? 'brouillon'}`;
  if (format === 'pdf') {
    return { bytes: await renderEspdPdf(model, { number: meta.number ?? undefined }), mediaType: 'application/pdf', filename: `${base}.pdf`, losses: [] };
  }
  if (format !== 'xml') throw new AppError('VALIDATION', 'INVALID_INPUT', 'Format inconnu : xml ou pdf.');
  const { xml, losses } = exportEspd(model, version);
  return { bytes: Buffer.from(xml, 'utf8'), mediaType: 'application/xml', filename: `${base}-${version}.xml`, losses };
}
