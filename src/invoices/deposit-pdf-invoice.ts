import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { uploadProblems } from './model.ts';
import { addAttachments, type UploadedFile } from './add-attachments.ts';
import { createDraft, resolveDraft, type DraftInput } from './save-draft.ts';
import { authorizeSupplier } from './deposit-structured-invoice.ts';

const isPdfContent = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-');

/**
 * A PDF invoice with its metadata in one go (the portal's « Déposer une facture PDF »): the metadata and the
 * files are checked together — every problem comes back at once, keyed `mainDocument`, `attachments` or the
 * metadata's field, each file named — before anything is written; then the draft (BROUILLON), its main
 * document and its complementary ones. The same use cases as the API's `POST /invoices` (mode PDF) and
 * `POST /invoices/{id}/attachments`.
 */
export async function depositPdfInvoice(ctx: Ctx, actor: Actor, draft: DraftInput, main: UploadedFile | null, complementary: UploadedFile[]): Promise<{ invoiceId: number }> {
  await authorizeSupplier(ctx, actor, Number(draft.supplierStructureId));
  const raw: DraftInput = { ...draft, depositMode: draft.depositMode ?? 'DEPOT_PDF_PORTAIL' };
  const fields: Record<string, string> = {};
  const files = main ? [main, ...complementary] : complementary;
  const { byFile, overTotal } = uploadProblems(files.map((f) => ({ filename: f.filename, size: f.bytes.byteLength, tooLarge: f.tooLarge })), 0, main ? 0 : null);
  const add = (key: string, message: string) => (fields[key] = fields[key] ? `${fields[key]} ${message}` : message);
  for (const [i, message] of byFile) add(main && i === 0 ? 'mainDocument' : 'attachments', message);
  if (!main) fields.mainDocument = 'Pièce principale : joignez la facture au format PDF.';
  else if (!byFile.has(0) && !isPdfContent(main.bytes)) fields.mainDocument = `La pièce principale « ${main.filename} » n'est pas un fichier PDF lisible.`;
  try {
    await resolveDraft(ctx, raw);
  } catch (err) {
    if (!(err instanceof AppError) || err.kind !== 'VALIDATION') throw err;
    Object.assign(fields, err.fields ?? {});
  }
  if (Object.keys(fields).length) {
    const onlyFiles = Object.keys(fields).every((k) => k === 'mainDocument' || k === 'attachments');
    throw new AppError('VALIDATION', onlyFiles ? (overTotal && byFile.size === 1 ? 'ATTACHMENTS_TOO_LARGE' : 'ATTACHMENT_INVALID') : 'INVALID_INPUT', 'Certains champs sont invalides.', fields);
  }
  const { invoiceId } = await createDraft(ctx, actor, raw);
  await addAttachments(ctx, actor, invoiceId, [main!], 'PRINCIPALE');
  if (complementary.length) await addAttachments(ctx, actor, invoiceId, complementary, 'COMPLEMENTAIRE');
  return { invoiceId };
}
