import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor, Ctx } from '../context.ts';
import { importEspd, type EspdDocument } from '../formats/espd/index.ts';
import { recordEvent } from '../history/index.ts';
import { AppError } from '../shared/app-error.ts';
import { parseInput } from '../shared/validate.ts';
import { findStructureByIdentifier } from '../structures/index.ts';
import { storeDocument } from '../storage/stored-files.ts';
import { syncOperatorPart } from './answers.ts';
import { partyOf } from './build-request.ts';
import { mergeRequestWithResponse, reuseResponse } from './merge.ts';
import { companyOf, issueStamp, newDumeNumber } from './model.ts';
import { dumeNotFound, dumeStructure, seesDumesOf } from './permissions.ts';
import { findRequestByNumber, findResponse, findResponseByNumber, insertResponse, numberTaken, type MergeReport } from './repository.ts';

export const startResponseInput = z.object({
  structureId: z.number({ message: 'La structure qui répond est obligatoire.' }).int().positive().optional(),
  /** or the company's SIRET ("FusionnerDumeAvecDonneesEntreprise"): one of the actor's structures */
  siret: z.string().trim().regex(/^\d{14}$/, 'Le SIRET compte 14 chiffres.').optional(),
  requestNumber: z.string().trim().toLowerCase().regex(/^[a-z0-9]{8}$/, 'Le numéro de DUME compte 8 lettres ou chiffres.').optional(),
  earlierResponseId: z.number().int().positive().optional(),
  /** the number of the tenderer's response this entity lends its capacities to */
  reliedUponByNumber: z.string().trim().toLowerCase().regex(/^[a-z0-9]{8}$/, 'Le numéro de DUME compte 8 lettres ou chiffres.').optional(),
});
export type StartResponseInput = z.input<typeof startResponseInput>;

export interface UploadedXml {
  filename: string;
  bytes: Uint8Array;
}

/** The columns a response is searched and grouped by, read from its model. */
export function responseColumns(model: EspdDocument) {
  const party = model.economicOperators?.[0]?.party;
  return {
    title: model.procedure.project?.title ?? model.procedure.contractNames?.[0] ?? model.procedure.fileReference ?? 'DUME sans objet',
    file_reference: model.procedure.fileReference ?? null,
    operator_name: party?.names?.[0] ?? null,
    operator_identifier: party?.identifiers?.[0] ?? party?.taxIds?.[0]?.id ?? null,
    group_name: model.groupName ?? null,
    group_role: model.economicOperators?.[0]?.eoRole?.role ?? null,
  };
}

async function freshNumber(ctx: Ctx) {
  let n = newDumeNumber();
  while (await numberTaken(ctx.db, n)) n = newDumeNumber();
  return n;
}

/**
 * The company starts a response:
 * - to a published request (by its number): blank and pre-filled with the company's stored data
 *   (SIRET, name, address, VAT number), or merged with an earlier response (stored, or an XML file
 *   of any version) — the procedure from the request, the company part and the answers of the
 *   criteria asked again from the earlier response;
 * - without a request: a reuse of an earlier response (its procedure part kept).
 * An entity relied upon gives its own response, linked to the tenderer's.
 */
export async function startResponse(ctx: Ctx, actor: Actor, raw: StartResponseInput, file?: UploadedXml) {
  const input = parseInput(startResponseInput, raw);
  const structureId = input.structureId ?? (input.siret ? (await findStructureByIdentifier(ctx.db, 'SIRET', input.siret))?.id : undefined);
  if (!structureId) throw new AppError('NOT_FOUND', 'NOT_FOUND', input.siret ? `Aucune de vos structures n’a le SIRET ${input.siret}.` : 'Indiquez la structure qui répond (structureId ou siret).');
  const { structure } = await dumeStructure(ctx.db, actor, structureId, 'dume.edit');
  const request = input.requestNumber ? await findRequestByNumber(ctx.db, input.requestNumber) : undefined;
  if (input.requestNumber && (!request || request.status !== 'PUBLIEE')) throw new AppError('NOT_FOUND', 'DUME_NOT_FOUND', `Aucun DUME acheteur publié ne porte le numéro ${input.requestNumber}.`, { requestNumber: `Aucun DUME acheteur publié ne porte le numéro ${input.requestNumber}.` });

  let earlier: EspdDocument | undefined;
  let earlierId: number | null = null;
  if (input.earlierResponseId) {
    const e = await findResponse(ctx.db, input.earlierResponseId);
    if (!e || !(await seesDumesOf(ctx.db, actor, e.structure_id)).view) throw dumeNotFound('DUME opérateur économique précédent');
    earlier = e.model;
    earlierId = e.id;
  } else if (file) {
    earlier = importEspd(file.bytes);
    if (earlier.kind !== 'response') throw new AppError('VALIDATION', 'ESPD_CONTENT_INVALID', 'Ce fichier est un DUME acheteur (demande) : pour répondre, importez un DUME opérateur économique (réponse).');
  }
  let relying: Awaited<ReturnType<typeof findResponseByNumber>>;
  if (input.reliedUponByNumber) {
    relying = await findResponseByNumber(ctx.db, input.reliedUponByNumber);
    if (!relying || (request && relying.request_id !== request.id)) throw new AppError('NOT_FOUND', 'DUME_NOT_FOUND', `Aucune réponse à cette procédure ne porte le numéro ${input.reliedUponByNumber}.`);
  }
  if (!request && !earlier) throw new AppError('VALIDATION', 'INVALID_INPUT', 'Indiquez le numéro du DUME acheteur auquel vous répondez, ou le DUME précédent à réutiliser.', { requestNumber: 'Indiquez le numéro du DUME acheteur.' });

  const now = ctx.clock.now();
  const number = await freshNumber(ctx);
  const identity = { uuid: randomUUID(), id: number, ...issueStamp(now) };
  const company = { party: partyOf(companyOf(structure)), eoRole: { role: relying ? 'OERON' : 'SC' } };
  let model: EspdDocument;
  let report: MergeReport | null = null;
  let origin: 'VIERGE' | 'FUSION' | 'REUTILISATION';
  if (request) {
    const base: EspdDocument = earlier ?? { kind: 'response', version: request.model.version, procedure: {}, economicOperators: [company] };
    const merged = mergeRequestWithResponse(request.model, base, identity);
    model = merged.response;
    if (!earlier) model.economicOperators = [company];
    if (relying) model.economicOperators = [{ ...model.economicOperators![0], eoRole: { role: 'OERON' } }];
    report = { carriedOver: merged.carriedOver, toAnswer: merged.toAnswer, dropped: merged.dropped };
    origin = earlier ? 'FUSION' : 'VIERGE';
  } else {
    model = reuseResponse(earlier!, identity);
    origin = 'REUTILISATION';
  }
  if (relying) model.economicOperators![0].eoRole = { role: 'OERON' };
  else syncOperatorPart(model);

  return ctx.db.transaction().execute(async (trx) => {
    const source = file ? await storeDocument(trx, ctx.blobs, { bytes: file.bytes, filename: file.filename.slice(0, 200) || 'dume.xml', mediaType: 'application/xml', structureId: structure.id, uploadedBy: actor.userId }) : null;
    const { id } = await insertResponse(trx, {
      structure_id: structure.id, number, request_id: request?.id ?? null, status: 'BROUILLON', origin, origin_response_id: earlierId, relied_upon_by_id: relying?.id ?? null,
      ...responseColumns(model), model, merge_report: report, source_document_id: source?.id ?? null, created_by: actor.userId, created_at: now, updated_at: now,
    });
    await recordEvent(trx, { stream: `dume-response:${id}`, type: 'DUME_RESPONSE_STARTED', actorUserId: actor.userId, data: { origin, requestNumber: request?.number ?? null, number } });
    return { responseId: id, number, origin, report };
  });
}
