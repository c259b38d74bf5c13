import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { storeDocument } from '../storage/stored-files.ts';
import { isStructuredMode, uploadProblems } from './model.ts';
import { addInvoiceDocument, appendEvent, listInvoiceDocuments, lockInvoice, removeMainDocument } from './repository.ts';
import { invoiceNotFound, loadInvoiceAccess, requireActing } from './access.ts';

export interface UploadedFile {
  filename: string;
  mediaType: string;
  bytes: Uint8Array;
  /** Set by the transport when the upload went past the per-file limit (the bytes are then cut). */
  tooLarge?: boolean;
}

/** Statuses in which the supplier may add documents: the draft, and a suspended invoice he completes. */
const OPEN_FOR_DOCUMENTS = ['BROUILLON', 'SUSPENDUE'];

/**
 * The supplier attaches files: the main document (the invoice's PDF, replaced if present) or
 * complementary ones. 10 MB each, 120 MB per invoice, names ≤ 50 characters with an allowed extension.
 */
export async function addAttachments(ctx: Ctx, actor: Actor, invoiceId: number, files: UploadedFile[], role: 'PRINCIPALE' | 'COMPLEMENTAIRE') {
  const access = await loadInvoiceAccess(ctx.db, actor, invoiceId);
  requireActing(access, 'FOURNISSEUR');
  if (!OPEN_FOR_DOCUMENTS.includes(access.invoice.status))
    throw new AppError('CONFLICT', 'DOCUMENTS_CLOSED', 'On ne peut joindre des pièces qu’à une facture au statut « Brouillon » ou « Suspendue ».');
  if (role === 'PRINCIPALE' && isStructuredMode(access.invoice.deposit_mode))
    throw new AppError('CONFLICT', 'LOCKED_BY_FILE', 'La pièce principale de cette facture est le fichier structuré déposé : elle ne peut pas être remplacée.');
  if (!files.length) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Aucun fichier reçu.', { files: 'Choisissez au moins un fichier.' });
  if (role === 'PRINCIPALE' && (files.length > 1 || access.invoice.status !== 'BROUILLON'))
    throw new AppError('VALIDATION', 'INVALID_INPUT', 'Une facture a une seule pièce principale, jointe au brouillon.', { files: 'Une seule pièce principale, au brouillon.' });
  const existing = await listInvoiceDocuments(ctx.db, invoiceId);
  const kept = existing.filter((d) => !(role === 'PRINCIPALE' && d.role === 'PRINCIPALE'));
  const { byFile: problems, overTotal } = uploadProblems(files.map((f) => ({ filename: f.filename, size: f.bytes.byteLength, tooLarge: f.tooLarge })), kept.reduce((s, d) => s + Number(d.size_bytes), 0), role === 'PRINCIPALE' ? 0 : null);
  if (problems.size) {
    const fields = Object.fromEntries([...problems].map(([i, m]) => [`files.${i}`, m]));
    throw new AppError('VALIDATION', overTotal && problems.size === 1 ? 'ATTACHMENTS_TOO_LARGE' : 'ATTACHMENT_INVALID', [...problems.values()].join(' '), fields);
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const inv = await lockInvoice(trx, invoiceId);
    if (!inv) throw invoiceNotFound();
    if (role === 'PRINCIPALE') await removeMainDocument(trx, invoiceId);
    const stored = [];
    for (const f of files) {
      const doc = await storeDocument(trx, ctx.blobs, { bytes: f.bytes, filename: f.filename, mediaType: f.mediaType || 'application/octet-stream', structureId: inv.supplier_structure_id, uploadedBy: actor.userId });
      await addInvoiceDocument(trx, { invoiceId, documentId: doc.id, role, status: inv.status, at: now });
      await appendEvent(trx, invoiceId, { type: 'PIECE_JOINTE', action: null, fromStatus: inv.status, toStatus: inv.status, actorUserId: actor.userId, actorRole: 'FOURNISSEUR', reason: null, comment: null, data: { documentId: doc.id, filename: f.filename, role, sha256: doc.sha256, size: doc.size }, createdAt: now });
      stored.push({ documentId: doc.id, filename: f.filename, sha256: doc.sha256, size: doc.size, role });
    }
    return stored;
  });
}
