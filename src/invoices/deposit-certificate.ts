import { sql } from 'kysely';
import type { Ctx } from '../context.ts';
import type { Executor } from '../db/open-database.ts';
import { storeDocument } from '../storage/stored-files.ts';
import { renderCertificate, type CertificateData } from './certificate.ts';
import { findInvoice, type InvoiceRow } from './repository.ts';

/**
 * The deposit certificate, now or deferred. Its content is what the DEPOSER event records: the deposit instant,
 * every file with its SHA-256 and the SHA-256 of the data. A deposit that returns the certificate's fingerprint
 * (portal, API `soumettre`) renders it at once; a flow defers it: its DEPOSER event records the certificate's
 * data (`certificateData`), and the PDF is rendered from that event on first request and stored then. The
 * rendering is deterministic, so the PDF is the same whenever it is made.
 */
export type CertificateWhen = 'now' | 'deferred';

/** What the certificate shows of the invoice as it is deposited, without the instant (the event's own). */
export type RecordedCertificate = Omit<CertificateData, 'depositedAt'>;

export function certificateDataOf(inv: InvoiceRow, files: CertificateData['files'], dataSha256: string): RecordedCertificate {
  return {
    invoiceId: inv.id, number: inv.number, documentType: inv.document_type, framework: inv.framework, depositMode: inv.deposit_mode,
    supplier: { name: inv.supplier_name, identifier: inv.supplier_identifier }, recipient: { name: inv.recipient_name, identifier: inv.recipient_identifier, serviceCode: inv.service_code },
    ejNumber: inv.ej_number, totalWithVat: inv.total_with_vat, amountDue: inv.amount_due, currency: inv.currency, files, dataSha256,
  };
}

export const certificateFilename = (number: string) => `certificat-depot-${number.replace(/[^A-Za-z0-9-]/g, '_')}.pdf`.slice(0, 50);

/** Renders and stores the certificate inside the caller's transaction. */
export async function storeCertificate(trx: Executor, ctx: Ctx, c: CertificateData, structureId: number, actorUserId: number | null) {
  const pdf = await renderCertificate(c);
  return storeDocument(trx, ctx.blobs, { bytes: pdf, filename: certificateFilename(c.number), mediaType: 'application/pdf', structureId, uploadedBy: actorUserId });
}

/**
 * The invoice with its certificate document: a deferred certificate is rendered from the first DEPOSER event and
 * stored now (once: a concurrent request that stored it first wins). Unchanged for a draft or an invoice whose
 * certificate exists.
 */
export async function withDepositCertificate(ctx: Ctx, inv: InvoiceRow): Promise<InvoiceRow> {
  if (inv.certificate_document_id || inv.status === 'BROUILLON') return inv;
  const deposit = await ctx.db
    .selectFrom('invoice_events').select(['data', 'created_at', 'actor_user_id'])
    .where('invoice_id', '=', inv.id).where('action', '=', 'DEPOSER').orderBy('seq').limit(1).executeTakeFirst();
  const data = (typeof deposit?.data === 'string' ? JSON.parse(deposit.data) : deposit?.data) as { certificateData?: RecordedCertificate } | undefined;
  if (!deposit || !data?.certificateData) return inv;
  const recorded = data.certificateData;
  const stored = await ctx.db.transaction().execute(async (trx) => {
    const cert = await storeCertificate(trx, ctx, { ...recorded, depositedAt: new Date(deposit.created_at) }, inv.supplier_structure_id, deposit.actor_user_id);
    const r = await sql`UPDATE invoices SET certificate_document_id = ${cert.id} WHERE id = ${inv.id} AND certificate_document_id IS NULL`.execute(trx);
    if (!Number(r.numAffectedRows)) throw new AlreadyStored();
    return cert.id;
  }).catch((err) => {
    if (err instanceof AlreadyStored) return null;
    throw err;
  });
  if (stored) return { ...inv, certificate_document_id: stored };
  return (await findInvoice(ctx.db, inv.id)) ?? inv;
}
class AlreadyStored extends Error {}
