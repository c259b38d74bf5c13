import { EspdError, criterionKey, type Criterion, type EspdDocument } from '../formats/espd/index.ts';
import { answersOf, transplantAnswers } from './transplant.ts';

/** A criterion as listed to the user after a merge. */
export interface MergedCriterion {
  id: string;
  typeCode?: string;
  name?: string;
  /** questions answered from the earlier response / questions asked */
  answered: number;
  questions: number;
}

export interface MergeResult {
  response: EspdDocument;
  /** criteria asked again whose answers came from the earlier response */
  carriedOver: MergedCriterion[];
  /** criteria asked with no answer yet (new, or not answered before) */
  toAnswer: MergedCriterion[];
  /** criteria answered before but not asked by this request: dropped */
  dropped: MergedCriterion[];
}

/** The new document's identity: given by the caller (the library keeps no clock and draws no random). */
export interface NewDocumentIdentity {
  uuid: string;
  issueDate: string;
  issueTime?: string;
  id?: string;
}

const summary = (c: Criterion, answered: number, questions: number): MergedCriterion => ({
  id: c.id ?? '',
  ...(c.typeCode === undefined ? {} : { typeCode: c.typeCode }),
  ...(c.name === undefined ? {} : { name: c.name }),
  answered,
  questions,
});

/**
 * "Fusionner" (ESPD Service `eo_merge_espds`): a new request and an earlier response give a response
 * whose procedure part comes from the request, whose company part comes from the earlier response, and
 * whose criteria are the request's, answered from the earlier response's criterion of the same id.
 * Criteria the request does not ask are dropped.
 */
export function mergeRequestWithResponse(request: EspdDocument, earlier: EspdDocument, identity: NewDocumentIdentity): MergeResult {
  if (request.kind !== 'request') {
    throw new EspdError('ESPD_CONTENT_INVALID', 'Le premier document doit être un DUME acheteur (demande), pas une réponse.');
  }
  if (earlier.kind !== 'response') {
    throw new EspdError('ESPD_CONTENT_INVALID', 'Le second document doit être un DUME opérateur économique (réponse), pas une demande.');
  }
  // matched by the stable criterion key (4.x names EO-data criteria by path ids, 2.x by UUID)
  const earlierById = new Map((earlier.criteria ?? []).filter((c) => c.id).map((c) => [criterionKey(c)!, c]));
  const carriedOver: MergedCriterion[] = [];
  const toAnswer: MergedCriterion[] = [];
  const asked = new Set<string>();
  const criteria = (request.criteria ?? []).map((rc) => {
    const key = criterionKey(rc);
    if (key) asked.add(key);
    const source = key ? earlierById.get(key) : undefined;
    const r = transplantAnswers(rc, source);
    const item = summary(rc, r.answered, r.questions);
    if (r.answered > 0) carriedOver.push(item);
    else toAnswer.push(item);
    return r.criterion;
  });
  const dropped = (earlier.criteria ?? [])
    .filter((c) => !c.id || !asked.has(criterionKey(c)!))
    .filter((c) => [...answersOf(c)].length > 0)
    .map((c) => summary(c, [...answersOf(c)].length, 0));

  // evidence travels with the answers that cite it
  const cited = new Set(criteria.flatMap((c) => [...answersOf(c)].flatMap((a) => a.evidenceIds ?? [])));
  const evidences = (earlier.evidences ?? []).filter((e) => e.id !== undefined && cited.has(e.id));

  const response: EspdDocument = {
    kind: 'response',
    version: request.version,
    ...(request.profile === undefined ? {} : { profile: request.profile }),
    ...(identity.id === undefined ? {} : { id: identity.id }),
    uuid: identity.uuid,
    copyIndicator: false,
    issueDate: identity.issueDate,
    ...(identity.issueTime === undefined ? {} : { issueTime: identity.issueTime }),
    procedure: structuredClone(request.procedure),
    ...(request.buyers ? { buyers: structuredClone(request.buyers) } : {}),
    ...(earlier.groupName === undefined ? {} : { groupName: earlier.groupName }),
    ...(earlier.economicOperators ? { economicOperators: structuredClone(earlier.economicOperators) } : {}),
    ...(request.lots ? { lots: structuredClone(request.lots) } : {}),
    ...(criteria.length ? { criteria } : {}),
    ...(evidences.length ? { evidences: structuredClone(evidences) } : {}),
  };
  return { response, carriedOver, toAnswer, dropped };
}

/**
 * "Réutiliser": a new response started from an earlier one (own or imported, any version). Everything
 * is kept but the document's identity; a new procedure part may be given.
 */
export function reuseResponse(
  earlier: EspdDocument,
  identity: NewDocumentIdentity,
  procedure?: Pick<EspdDocument, 'procedure' | 'buyers' | 'lots'>,
): EspdDocument {
  if (earlier.kind !== 'response') {
    throw new EspdError('ESPD_CONTENT_INVALID', 'Seul un DUME opérateur économique (réponse) peut être réutilisé.');
  }
  const copy = structuredClone(earlier);
  delete copy.id;
  delete copy.versionId;
  delete copy.previousVersionId;
  const next: EspdDocument = { ...copy, uuid: identity.uuid, copyIndicator: false, issueDate: identity.issueDate };
  if (identity.id !== undefined) next.id = identity.id;
  if (identity.issueTime !== undefined) next.issueTime = identity.issueTime;
  else delete next.issueTime;
  if (procedure) {
    next.procedure = structuredClone(procedure.procedure);
    if (procedure.buyers) next.buyers = structuredClone(procedure.buyers);
    else delete next.buyers;
    if (procedure.lots) next.lots = structuredClone(procedure.lots);
    else delete next.lots;
  }
  return next;
}
