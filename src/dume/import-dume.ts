import type { Actor, Ctx } from '../context.ts';
import { importEspd } from '../formats/espd/index.ts';
import { recordEvent } from '../history/index.ts';
import { storeDocument } from '../storage/stored-files.ts';
import { syncOperatorPart } from './answers.ts';
import { newDumeNumber } from './model.ts';
import { dumeStructure } from './permissions.ts';
import { insertRequest, insertResponse, numberTaken } from './repository.ts';
import { responseColumns, type UploadedXml } from './start-response.ts';

/**
 * Imports an ESPD XML file of any version into a structure's DUMEs: a request becomes a draft request
 * (to edit and publish), a response a draft response. The file is kept in the blob store; a bad file
 * is refused with its French message and nothing is stored.
 */
export async function importDume(ctx: Ctx, actor: Actor, structureId: number, file: UploadedXml) {
  const { structure } = await dumeStructure(ctx.db, actor, structureId, 'dume.edit');
  const model = importEspd(file.bytes);
  const now = ctx.clock.now();
  const filename = file.filename.slice(0, 200) || 'dume.xml';
  if (model.kind === 'request') {
    return ctx.db.transaction().execute(async (trx) => {
      const source = await storeDocument(trx, ctx.blobs, { bytes: file.bytes, filename, mediaType: 'application/xml', structureId, uploadedBy: actor.userId });
      const title = model.procedure.project?.title ?? model.procedure.contractNames?.[0] ?? model.procedure.fileReference ?? filename;
      const { id } = await insertRequest(trx, {
        structure_id: structure.id, status: 'BROUILLON', title, file_reference: model.procedure.fileReference ?? '—', procedure_type: model.procedure.procedureType ?? null,
        settings: { imported: true }, model, source_document_id: source.id, created_by: actor.userId, created_at: now, updated_at: now,
      });
      await recordEvent(trx, { stream: `dume-request:${id}`, type: 'DUME_REQUEST_IMPORTED', actorUserId: actor.userId, data: { version: model.version, filename } });
      return { kind: 'request' as const, id, version: model.version };
    });
  }
  let number = newDumeNumber();
  while (await numberTaken(ctx.db, number)) number = newDumeNumber();
  syncOperatorPart(model);
  return ctx.db.transaction().execute(async (trx) => {
    const source = await storeDocument(trx, ctx.blobs, { bytes: file.bytes, filename, mediaType: 'application/xml', structureId, uploadedBy: actor.userId });
    const { id } = await insertResponse(trx, {
      structure_id: structure.id, number, request_id: null, status: 'BROUILLON', origin: 'IMPORT', ...responseColumns(model), model, source_document_id: source.id,
      created_by: actor.userId, created_at: now, updated_at: now,
    });
    await recordEvent(trx, { stream: `dume-response:${id}`, type: 'DUME_RESPONSE_IMPORTED', actorUserId: actor.userId, data: { version: model.version, filename } });
    return { kind: 'response' as const, id, number, version: model.version };
  });
}
