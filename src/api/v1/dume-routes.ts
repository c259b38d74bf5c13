import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as dume from '../../dume/index.ts';
import { CATALOGUE, EXPORT_VERSIONS, criterionLabelFr, criterionTemplate, exportEspd, importEspd, propertyLabelFr, type EspdDocument, type EspdExportVersion } from '../../formats/espd/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['DUME'];
const XML_LIMIT = 25 * 1024 * 1024;
const numberParam = z.object({ number: z.string().describe('Numéro de DUME (8 caractères alphanumériques)') });
const exportQuery = z.object({
  format: z.enum(['xml', 'pdf']).default('xml'),
  version: z.enum(EXPORT_VERSIONS as unknown as ['2.1.1', '4.1.0']).default('2.1.1').describe('Version ESPD-EDM du XML'),
});

const requestBody = z.object({
  title: z.string().describe('Objet de la consultation'),
  description: z.string().nullable().optional(),
  fileReference: z.string().describe('Référence du dossier (ContractFolderID)'),
  procedureType: z.string().nullable().optional().describe('Code ProcedureType 2.1.1 : OPEN, RESTRICTED…'),
  publicationReference: z.string().nullable().optional().describe('Référence de l’avis (TED, BOAMP…)'),
  lots: z.array(z.object({ id: z.string().optional(), title: z.string() })).optional(),
  exclusionGrounds: z.array(z.string()).optional().describe('UUID des motifs d’exclusion ; par défaut ceux de la directive'),
  selection: z.array(z.object({ id: z.string().describe('UUID du critère'), requirements: z.record(z.string(), z.string()).optional().describe('Valeur de chaque exigence, par identifiant de propriété (GET /dume/criteria)') })).optional(),
  alpha: z.boolean().optional().describe('Indication globale α au lieu des critères'),
  simplified: z.boolean().optional().describe('DUME simplifié : chiffre d’affaires et effectifs'),
});

const criterionView = z.object({
  id: z.string(), code: z.string().nullable(), label: z.string(), family: z.string().nullable(),
  requirements: z.array(z.object({ id: z.string(), label: z.string(), type: z.string().nullable(), value: z.string().nullable() })),
});
const requestView = z.object({
  id: z.number(), number: z.string().nullable(), status: z.string(), link: z.string().nullable(), structureId: z.number(), buyer: z.string(),
  title: z.string(), fileReference: z.string(), procedureType: z.string().nullable(), simplified: z.boolean(), version: z.string(),
  lots: z.array(z.object({ id: z.string(), title: z.string().nullable() })), criteria: z.array(criterionView),
  publishedAt: z.string().nullable(), model: z.unknown().describe('Le modèle ESPD neutre (JSON)'),
});
const issueView = z.object({ code: z.string(), criterionId: z.string().optional(), propertyId: z.string().optional(), message: z.string() });
const reportItem = z.object({ id: z.string(), name: z.string().optional(), answered: z.number(), questions: z.number() });
const reportView = z.object({ carriedOver: z.array(reportItem), toAnswer: z.array(reportItem), dropped: z.array(reportItem) });
const responseView = z.object({
  id: z.number(), number: z.string(), status: z.string(), origin: z.string(), requestNumber: z.string().nullable(), structureId: z.number(),
  operator: z.object({ name: z.string().nullable(), identifier: z.string().nullable() }), groupName: z.string().nullable(), groupRole: z.string().nullable(),
  questions: z.array(z.object({ id: z.string(), criterionId: z.string().nullable(), criterion: z.string(), label: z.string(), type: z.string().nullable(), answer: z.string() })),
  missing: z.array(issueView), mergeReport: reportView.nullable(), model: z.unknown().describe('Le modèle ESPD neutre (JSON)'),
});

const requirementValue = (p: ReturnType<typeof dume.requirementsOf>[number]) =>
  p.expectedAmount?.value ?? p.expectedValueNumeric ?? p.expectedId ?? p.expectedCode ?? p.expectedDescription ?? (p.applicablePeriods?.[0] ? `${p.applicablePeriods[0].startDate}/${p.applicablePeriods[0].endDate}` : null);

function toRequestView(ctx: Ctx, r: dume.RequestRow): z.infer<typeof requestView> {
  const m = r.model;
  return {
    id: r.id, number: r.number, status: r.status, link: r.number ? dume.requestLink(ctx.config.publicUrl, r.number) : null, structureId: r.structure_id, buyer: r.structure_name,
    title: r.title, fileReference: r.file_reference, procedureType: r.procedure_type, simplified: r.simplified, version: m.version,
    lots: (m.lots ?? []).map((l) => ({ id: l.id, title: dume.lotTitleOf(l) ?? null })),
    criteria: (m.criteria ?? []).map((c) => ({
      id: c.id ?? '', code: c.typeCode ?? null, label: criterionLabelFr(c), family: CATALOGUE.find((e) => e.id === c.id)?.family ?? null,
      requirements: dume.requirementsOf(c).map((p) => ({ id: p.id!, label: propertyLabelFr(p), type: p.valueDataType ?? null, value: requirementValue(p) })),
    })),
    publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null, model: m,
  };
}

function toResponseView(g: Awaited<ReturnType<typeof dume.getResponse>>): z.infer<typeof responseView> {
  const r = g.response;
  return {
    id: r.id, number: r.number, status: r.status, origin: r.origin, requestNumber: r.request_number, structureId: r.structure_id,
    operator: { name: r.operator_name, identifier: r.operator_identifier }, groupName: r.group_name, groupRole: r.group_role,
    questions: [...dume.questionsOf(r.model).entries()].map(([id, q]) => ({ id, criterionId: q.criterion.id ?? null, criterion: criterionLabelFr(q.criterion), label: propertyLabelFr(q.property), type: q.property.valueDataType ?? null, answer: dume.answerText(q.property, r.model) })),
    missing: g.missing, mergeReport: r.merge_report, model: r.model,
  };
}

async function sendExport(reply: FastifyReply, model: EspdDocument, q: z.infer<typeof exportQuery>, number: string | null) {
  const out = await dume.exportDocument(model, q.format, q.version as EspdExportVersion, { number });
  if (out.losses.length) reply.header('x-dume-pertes', String(out.losses.length));
  return reply.type(out.mediaType).header('content-disposition', `attachment; filename="${out.filename}"`).send(out.bytes);
}

export async function dumeRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/dume/criteria', {
    schema: { tags, summary: 'Critères que l’acheteur peut demander (taxonomie ESPD-EDM 2.1.1) : motifs d’exclusion, critères de sélection, exigences', response: { 200: z.array(criterionView.extend({ section: z.string(), euExclusion: z.boolean() })) } },
  }, async (req) => {
    apiActor(req);
    return CATALOGUE.map((e) => {
      const c = criterionTemplate(e.id)!;
      return { id: e.id, code: e.code, label: e.label, family: e.family, section: e.section, euExclusion: e.euExclusion, requirements: dume.requirementsOf(c).map((p) => ({ id: p.id!, label: propertyLabelFr(p), type: p.valueDataType ?? null, value: null })) };
    });
  });

  api.post('/dume/requests', {
    schema: { tags, summary: 'Créer un DUME acheteur au statut brouillon (procédure, lots, motifs d’exclusion, critères de sélection et exigences)', body: requestBody.extend({ structureId: z.number().int().positive() }), response: { 201: requestView, ...errorResponses } },
  }, async (req, reply) => {
    const { structureId, ...input } = req.body;
    const { requestId } = await dume.createRequest(ctx, apiActor(req), structureId, input);
    return reply.status(201).send(toRequestView(ctx, (await dume.getRequest(ctx, apiActor(req), requestId)).request));
  });

  api.get('/dume/requests/:id', {
    schema: { tags, summary: 'Consulter un DUME acheteur (membres de la structure acheteuse)', params: idParam, response: { 200: requestView, ...errorResponses } },
  }, async (req) => toRequestView(ctx, (await dume.getRequest(ctx, apiActor(req), req.params.id)).request));

  api.put('/dume/requests/:id', {
    schema: { tags, summary: 'Modifier un brouillon (la demande entière est renvoyée)', params: idParam, body: requestBody, response: { 200: requestView, ...errorResponses } },
  }, async (req) => {
    await dume.updateRequestDraft(ctx, apiActor(req), req.params.id, req.body);
    return toRequestView(ctx, (await dume.getRequest(ctx, apiActor(req), req.params.id)).request);
  });

  api.post('/dume/requests/:id/publish', {
    schema: { tags, summary: 'Publier : numéro de DUME (8 caractères) et lien à partager avec les entreprises', params: idParam, response: { 200: z.object({ number: z.string(), link: z.string() }), ...errorResponses } },
  }, async (req) => dume.publishRequest(ctx, apiActor(req), req.params.id));

  api.get('/dume/requests/by-number/:number', {
    schema: { tags, summary: 'Consulter un DUME acheteur publié par son numéro (ce qu’ouvre le lien partagé)', params: numberParam, response: { 200: requestView, ...errorResponses } },
  }, async (req) => toRequestView(ctx, await dume.getPublishedRequest(ctx, apiActor(req), req.params.number)));

  api.get('/dume/requests/:id/export', {
    schema: { tags, summary: 'Exporter un DUME acheteur en XML ESPD-EDM (2.1.1 ou 4.1.0) ou en PDF', params: idParam, querystring: exportQuery },
  }, async (req, reply) => {
    const { request } = await dume.getRequest(ctx, apiActor(req), req.params.id);
    return sendExport(reply, request.model, req.query, request.number);
  });

  api.post('/dume/responses', {
    bodyLimit: XML_LIMIT,
    schema: {
      tags, summary: 'Commencer une réponse : vierge pré-remplie avec les données de l’entreprise (SIRET), fusionnée avec une réponse précédente (identifiant ou XML de toute version), ou réutilisation sans demande ; entité dont les capacités sont utilisées (reliedUponByNumber)',
      body: z.object({
        structureId: z.number().int().positive().optional(), siret: z.string().optional().describe('SIRET de l’entreprise (l’une de vos structures), à la place de structureId'), requestNumber: z.string().optional(), earlierResponseId: z.number().int().positive().optional(),
        earlierXml: z.string().optional().describe('XML ESPD d’une réponse précédente (toute version)'), reliedUponByNumber: z.string().optional(),
      }),
      response: { 201: z.object({ responseId: z.number(), number: z.string(), origin: z.string(), report: reportView.nullable(), missing: z.array(issueView) }), ...errorResponses },
    },
  }, async (req, reply) => {
    const { earlierXml, ...input } = req.body;
    const actor = apiActor(req);
    const r = await dume.startResponse(ctx, actor, input, earlierXml ? { filename: 'reponse-precedente.xml', bytes: Buffer.from(earlierXml, 'utf8') } : undefined);
    const g = await dume.getResponse(ctx, actor, { id: r.responseId });
    return reply.status(201).send({ responseId: r.responseId, number: r.number, origin: r.origin, report: r.report, missing: g.missing });
  });

  api.get('/dume/responses/:number', {
    schema: { tags, summary: 'Consulter un DUME opérateur économique par son numéro (l’entreprise ; l’acheteur une fois la réponse finalisée)', params: numberParam, response: { 200: responseView, ...errorResponses } },
  }, async (req) => toResponseView(await dume.getResponse(ctx, apiActor(req), { number: req.params.number })));

  api.put('/dume/responses/:number/answers', {
    schema: {
      tags, summary: 'Enregistrer des réponses (identifiant de question → texte : oui/non, montant, AAAA-MM-JJ, AAAA-MM-JJ/AAAA-MM-JJ, adresse de la preuve…)', params: numberParam,
      body: z.object({
        answers: z.record(z.string(), z.string()).default({}),
        operator: z.object({
          size: z.enum(['MICRO', 'SMALL', 'MEDIUM', 'LARGE', '']).optional(),
          contact: z.object({ name: z.string().optional(), email: z.string().optional(), telephone: z.string().optional() }).optional(),
          representatives: z.array(z.object({ firstName: z.string().optional(), familyName: z.string().optional(), jobTitle: z.string().optional(), birthDate: z.string().optional(), birthplaceName: z.string().optional(), extent: z.string().optional() })).optional(),
        }).optional().describe('Parties II.A et II.B : taille, contact, représentants'),
      }),
      response: { 200: z.object({ problems: z.record(z.string(), z.string()), missing: z.array(issueView) }), ...errorResponses },
    },
  }, async (req) => {
    const actor = apiActor(req);
    const { response } = await dume.getResponse(ctx, actor, { number: req.params.number });
    if (req.body.operator) await dume.saveOperator(ctx, actor, response.id, req.body.operator);
    return dume.saveAnswers(ctx, actor, response.id, req.body.answers);
  });

  api.post('/dume/responses/:number/finalise', {
    schema: { tags, summary: 'Finaliser une réponse complète (l’acheteur peut alors la lire)', params: numberParam, response: { 200: z.object({ number: z.string(), status: z.string() }), ...errorResponses } },
  }, async (req) => {
    const actor = apiActor(req);
    const { response } = await dume.getResponse(ctx, actor, { number: req.params.number });
    await dume.finaliseResponse(ctx, actor, response.id);
    return { number: response.number, status: 'FINALISEE' };
  });

  api.get('/dume/responses/:number/export', {
    schema: { tags, summary: 'Exporter un DUME opérateur économique en XML ESPD-EDM (2.1.1 ou 4.1.0) ou en PDF', params: numberParam, querystring: exportQuery },
  }, async (req, reply) => {
    const { response } = await dume.getResponse(ctx, apiActor(req), { number: req.params.number });
    return sendExport(reply, response.model, req.query, response.number);
  });

  api.get('/dume/responses/:number/groupement', {
    schema: {
      tags, summary: 'Le groupement : les réponses des membres à la même procédure et les entités dont ils utilisent les capacités, avec les contrôles de cohérence', params: numberParam,
      response: { 200: z.object({ groupName: z.string().nullable(), members: z.array(z.object({ responseId: z.number(), number: z.string(), operatorName: z.string().nullable(), operatorIdentifier: z.string().nullable(), groupName: z.string().nullable(), role: z.string().nullable(), status: z.string(), reliedUponByNumber: z.string().nullable() })), checks: z.array(z.object({ code: z.string(), message: z.string() })) }), ...errorResponses },
    },
  }, async (req) => {
    const actor = apiActor(req);
    const { response } = await dume.getResponse(ctx, actor, { number: req.params.number });
    return dume.getGroupement(ctx, actor, response.id);
  });

  api.post('/dume/import', {
    bodyLimit: XML_LIMIT,
    schema: { tags, summary: 'Importer un fichier XML ESPD (1.0.2 à 4.x) : une demande devient un brouillon de DUME acheteur, une réponse un brouillon de DUME opérateur économique', body: z.object({ structureId: z.number().int().positive(), xml: z.string(), filename: z.string().optional() }), response: { 201: z.object({ kind: z.enum(['request', 'response']), id: z.number(), number: z.string().optional(), version: z.string() }), ...errorResponses } },
  }, async (req, reply) => reply.status(201).send(await dume.importDume(ctx, apiActor(req), req.body.structureId, { filename: req.body.filename ?? 'dume.xml', bytes: Buffer.from(req.body.xml, 'utf8') })));

  api.post('/dume/merge', {
    bodyLimit: XML_LIMIT,
    schema: {
      tags, summary: 'Fusionner deux fichiers sans rien enregistrer : une nouvelle demande et une ancienne réponse (toutes versions) donnent la réponse à compléter',
      body: z.object({ request: z.string().describe('XML du DUME acheteur'), response: z.string().describe('XML de l’ancienne réponse'), version: z.enum(['2.1.1', '4.1.0']).optional() }),
      response: { 200: reportView.extend({ xml: z.string(), version: z.string(), missing: z.array(issueView), losses: z.array(z.object({ path: z.string(), element: z.string(), message: z.string() })) }), ...errorResponses },
    },
  }, async (req) => {
    apiActor(req);
    const request = importEspd(req.body.request);
    const earlier = importEspd(req.body.response);
    const merged = dume.mergeRequestWithResponse(request, earlier, { uuid: randomUUID(), ...dume.issueStamp(ctx.clock.now()) });
    const version = (req.body.version ?? (/^[34]\./.test(request.version) ? '4.1.0' : '2.1.1')) as EspdExportVersion;
    const { xml, losses } = exportEspd(merged.response, version);
    return { xml, version, carriedOver: merged.carriedOver, toAnswer: merged.toAnswer, dropped: merged.dropped, missing: dume.checkCompleteness(merged.response, request), losses: losses.map((l) => ({ path: l.path, element: l.element, message: l.message })) };
  });
}
