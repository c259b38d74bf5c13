import { EO_DATA, allCriteria, criterionKey, criterionLabelFr, propertiesOf, propertyLabelFr, type Criterion, type CriterionProperty, type CriterionResponse, type EspdDocument } from '../formats/espd/index.ts';

/** The questions of a document, by property id (first occurrence), with their criterion. */
export function questionsOf(doc: EspdDocument): Map<string, { criterion: Criterion; property: CriterionProperty }> {
  const out = new Map<string, { criterion: Criterion; property: CriterionProperty }>();
  for (const criterion of allCriteria(doc.criteria))
    for (const property of propertiesOf(criterion.groups))
      if (property.id && (property.typeCode ?? 'QUESTION').toUpperCase() === 'QUESTION' && !out.has(property.id)) out.set(property.id, { criterion, property });
  return out;
}

const evidenceIdOf = (propertyId: string) => `PREUVE-${propertyId}`;

/** Reads the text a question's answer is shown as in a form (the inverse of `parseAnswer`). */
export function answerText(p: CriterionProperty, doc?: EspdDocument): string {
  const a = p.answers?.[0];
  if (!a) return '';
  const v = a.values?.[0];
  switch ((p.valueDataType ?? '').toUpperCase()) {
    case 'INDICATOR':
      return v?.indicator === undefined ? '' : v.indicator ? 'true' : 'false';
    case 'AMOUNT':
      return v?.amount?.value ?? '';
    case 'PERIOD': {
      const period = a.periods?.[0];
      if (period?.startDate || period?.endDate) return `${period.startDate ?? ''}/${period.endDate ?? ''}`;
      return period?.descriptions?.join(' ') ?? v?.descriptions?.join(' ') ?? '';
    }
    case 'EVIDENCE_IDENTIFIER':
    case 'EVIDENCE_URL': {
      const id = a.evidenceIds?.[0];
      const evidence = id ? doc?.evidences?.find((e) => e.id === id) : undefined;
      return evidence?.documentReferences?.[0]?.attachment?.externalReference?.uri ?? v?.uri ?? v?.identifier ?? id ?? '';
    }
    case 'LOT_IDENTIFIER':
      return (a.values ?? []).map((x) => x.identifier).filter(Boolean).join(',');
    default:
      return v?.date ?? v?.code ?? v?.identifier ?? v?.numeric ?? v?.quantity?.value ?? v?.measure?.value ?? v?.uri ?? v?.descriptions?.join(' ') ?? v?.time ?? '';
  }
}

const TRUE = ['true', 'oui', 'yes', '1'];
const FALSE = ['false', 'non', 'no', '0'];

/** Turns the text typed for a question into an ESPD answer, by the question's data type. */
function parseAnswer(p: CriterionProperty, raw: string): { answer?: CriterionResponse; evidenceUri?: string; problem?: string } {
  const value = raw.trim();
  const type = (p.valueDataType ?? '').toUpperCase();
  switch (type) {
    case 'INDICATOR': {
      const lower = value.toLowerCase();
      if (TRUE.includes(lower)) return { answer: { values: [{ indicator: true }] } };
      if (FALSE.includes(lower)) return { answer: { values: [{ indicator: false }] } };
      return { problem: 'Répondez par oui ou par non.' };
    }
    case 'AMOUNT': {
      const v = value.replace(/\s/g, '').replace(',', '.');
      if (!/^-?\d{1,15}(\.\d{1,2})?$/.test(v)) return { problem: 'Saisissez un montant en euros, par exemple 1250000 ou 1250000,50.' };
      return { answer: { values: [{ amount: { value: v, currency: p.valueCurrencyCode ?? 'EUR' } }] } };
    }
    case 'DATE':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return { problem: 'Saisissez une date au format AAAA-MM-JJ.' };
      return { answer: { values: [{ date: value }] } };
    case 'PERIOD': {
      const m = /^(\d{4}-\d{2}-\d{2})?\s*\/\s*(\d{4}-\d{2}-\d{2})?$/.exec(value);
      if (m && (m[1] || m[2])) return { answer: { periods: [{ ...(m[1] ? { startDate: m[1] } : {}), ...(m[2] ? { endDate: m[2] } : {}) }] } };
      return { answer: { periods: [{ descriptions: [value.slice(0, 2000)] }] } };
    }
    case 'QUANTITY':
    case 'QUANTITY_INTEGER':
    case 'QUANTITY_YEAR':
    case 'PERCENTAGE': {
      const v = value.replace(/\s/g, '').replace(',', '.');
      const integer = type !== 'QUANTITY' && type !== 'PERCENTAGE';
      if (!(integer ? /^\d{1,9}$/ : /^\d{1,12}(\.\d{1,4})?$/).test(v)) return { problem: integer ? 'Saisissez un nombre entier.' : 'Saisissez un nombre.' };
      return { answer: { values: [type === 'PERCENTAGE' ? { numeric: v } : { quantity: { value: v } }] } };
    }
    case 'EVIDENCE_IDENTIFIER':
    case 'EVIDENCE_URL':
      if (!/^https?:\/\/\S+$/.test(value)) return { problem: 'Indiquez l’adresse internet (https://…) où la preuve est disponible.' };
      return { answer: { evidenceIds: [evidenceIdOf(p.id!)] }, evidenceUri: value };
    case 'URL':
      if (!/^https?:\/\/\S+$/.test(value)) return { problem: 'Indiquez une adresse internet (https://…).' };
      return { answer: { values: [{ uri: value }] } };
    case 'CODE':
    case 'CODE_COUNTRY':
    case 'CODE_BOOLEAN':
      return { answer: { values: [{ code: value.slice(0, 100) }] } };
    case 'LOT_IDENTIFIER': {
      // the lots tendered for: several identifiers, comma-separated
      const ids = value.split(',').map((x) => x.trim()).filter(Boolean);
      return { answer: { values: ids.map((identifier) => ({ identifier: identifier.slice(0, 50) })) } };
    }
    case 'IDENTIFIER':
    case 'ECONOMIC_OPERATOR_IDENTIFIER':
    case 'QUAL_IDENTIFIER':
      return { answer: { values: [{ identifier: value.slice(0, 200) }] } };
    default:
      return { answer: { values: [{ descriptions: [value.slice(0, 4000)] }] } };
  }
}

/**
 * Records the operator's answers (question id → text typed) on a response. An empty text removes the
 * answer. Returns the French problems by question id; valid answers are recorded even if others are not.
 */
export function applyAnswers(doc: EspdDocument, answers: Record<string, string>): Record<string, string> {
  const questions = questionsOf(doc);
  const problems: Record<string, string> = {};
  for (const [id, raw] of Object.entries(answers)) {
    const q = questions.get(id);
    if (!q) {
      problems[id] = `La question ${id} n’existe pas dans ce DUME.`;
      continue;
    }
    const { property, criterion } = q;
    const oldEvidence = property.answers?.flatMap((a) => a.evidenceIds ?? []) ?? [];
    if (typeof raw !== 'string' || !raw.trim()) {
      delete property.answers;
    } else {
      const parsed = parseAnswer(property, raw);
      if (parsed.problem) {
        problems[id] = `${criterionLabelFr(criterion)} — ${propertyLabelFr(property)} : ${parsed.problem}`;
        continue;
      }
      property.answers = [parsed.answer!];
      if (parsed.evidenceUri) {
        const evidenceId = evidenceIdOf(id);
        doc.evidences = (doc.evidences ?? []).filter((e) => e.id !== evidenceId);
        doc.evidences.push({ id: evidenceId, documentReferences: [{ id: evidenceId, attachment: { externalReference: { uri: parsed.evidenceUri } } }] });
      }
    }
    const kept = new Set([...questions.values()].flatMap((x) => x.property.answers?.flatMap((a) => a.evidenceIds ?? []) ?? []));
    for (const e of oldEvidence) if (!kept.has(e)) doc.evidences = doc.evidences?.filter((x) => x.id !== e);
    if (doc.evidences && !doc.evidences.length) delete doc.evidences;
  }
  syncOperatorPart(doc);
  return problems;
}

/** The EO-data questions of the taxonomy the company part is read from. */
export const PART_II = {
  together: '1c5d19e0-a9a7-4572-9cc8-155d1588b695',
  groupRole: '80ce8733-1080-4a67-9540-736eafb2f04c',
  groupMembers: 'd944eff7-9174-45eb-b5e2-c2a05c961f1c',
  groupName: 'f194c7de-a46b-4be3-a87c-c5df67290c7b',
  relies: '22e71809-2268-4ef1-8bc2-cfe03543cbb5',
  reliedName: '0dd36e3f-1fd1-49c1-9fe0-ef54b2f0def6',
  reliedId: '0542003e-fdd8-4dc6-973c-9edc12fcc771',
  subcontracts: '94fe6716-0840-48f9-971c-b5b48dbf44ef',
  subcontractorName: 'f4424339-00f4-4067-9c31-955af6375811',
  lotsTendered: '6aeefc4a-42b9-4c84-b552-a145fdc9dbf3',
} as const;

/** Group roles a member may state (2.1.1 EORoleType). */
export const GROUP_ROLES = [
  { code: 'LE', label: 'Mandataire du groupement' },
  { code: 'GM', label: 'Membre du groupement (cotraitant)' },
] as const;

/**
 * Keeps the operator's role and the group's name (in the document header) in step with the answers to
 * "participating together with others": leader, member, or sole tenderer. An entity relied upon keeps
 * its role.
 */
export function syncOperatorPart(doc: EspdDocument): void {
  const eo = doc.economicOperators?.[0];
  if (!eo) return;
  const q = questionsOf(doc);
  const text = (id: string) => (q.get(id) ? answerText(q.get(id)!.property, doc) : '');
  if (!q.get(PART_II.together)) return;
  const role = eo.eoRole?.role;
  if (role === 'OERON' || role === 'OENRON') return;
  if (text(PART_II.together) === 'true') {
    eo.eoRole = { ...eo.eoRole, role: text(PART_II.groupRole) === 'LE' ? 'LE' : 'GM' };
    const name = text(PART_II.groupName).trim();
    if (name) doc.groupName = name;
    else delete doc.groupName;
  } else {
    eo.eoRole = { ...eo.eoRole, role: 'SC' };
    delete doc.groupName;
  }
}

/** The criterion of an EO-data question, for pages that show Part II apart. */
export const isPartII = (c: Criterion) => Object.values(EO_DATA).includes(criterionKey(c) as never);
