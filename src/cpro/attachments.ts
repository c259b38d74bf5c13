import type { Ctx } from '../context.ts';
import { storeDocument, readDocument } from '../storage/stored-files.ts';
import { ATTACHMENT_RULES, fileTooLargeMessage } from '../invoices/index.ts';
import type { CproCaller } from './caller.ts';
import { CODE, CproError } from './envelope.ts';

/**
 * Files sent before the invoice they belong to (ajouter/fichier, deposer/pdf): stored durably, known by an
 * integer `pieceJointeId` as on Chorus Pro, usable only by the structure that sent them.
 */
export async function storeAttachment(ctx: Ctx, caller: CproCaller, file: { bytes: Uint8Array; filename: string; mediaType: string }): Promise<number> {
  if (file.bytes.byteLength > ATTACHMENT_RULES.maxFileBytes)
    throw new CproError(CODE.PIECE_JOINTE_TROP_VOLUMINEUSE, `[pieceJointeFichier] ${fileTooLargeMessage(file.filename)}`);
  if (file.bytes.byteLength === 0) throw new CproError(CODE.DONNEES_INVALIDES, `[pieceJointeFichier] Le fichier « ${file.filename} » est vide.`);
  return ctx.db.transaction().execute(async (trx) => {
    const doc = await storeDocument(trx, ctx.blobs, { bytes: file.bytes, filename: file.filename, mediaType: file.mediaType, structureId: caller.structureId, uploadedBy: caller.actor.userId });
    const row = await trx
      .insertInto('cpro_attachments')
      .values({ document_id: doc.id, structure_id: caller.structureId, uploaded_by: caller.actor.userId, media_type: file.mediaType, created_at: ctx.clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** The file behind a pieceJointeId of the caller's structure; 20106 naming the field otherwise. */
export async function loadAttachment(ctx: Ctx, caller: CproCaller, id: number | null, field: string) {
  const row = id
    ? await ctx.db.selectFrom('cpro_attachments').select(['document_id', 'media_type']).where('id', '=', id).where('structure_id', '=', caller.structureId).executeTakeFirst()
    : undefined;
  const doc = row ? await readDocument(ctx.db, ctx.blobs, row.document_id) : null;
  if (!row || !doc) throw new CproError(CODE.PIECE_JOINTE_INCONNUE, `[${field}] La pièce jointe ${id ?? ''} est inconnue : déposez-la d'abord (transverses/v1/ajouter/fichier ou factures/v1/deposer/pdf).`);
  return { filename: doc.filename, mediaType: row.media_type, bytes: doc.bytes };
}
