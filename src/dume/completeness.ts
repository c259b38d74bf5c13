import { criterionKey, criterionLabelFr, propertyLabelFr, type Criterion, type CriterionProperty, type CriterionResponse, type EspdDocument, type PropertyGroup } from '../formats/espd/index.ts';
import { transplantAnswers } from './transplant.ts';

export type CompletenessCode =
  | 'OPERATOR_MISSING'
  | 'OPERATOR_NAME_MISSING'
  | 'OPERATOR_IDENTIFIER_MISSING'
  | 'CRITERION_MISSING'
  | 'ANSWER_MISSING';

/** One missing piece, with a French message that says where it is. */
export interface CompletenessIssue {
  code: CompletenessCode;
  criterionId?: string;
  /** the question's id in the request */
  propertyId?: string;
  message: string;
}

// French labels of the taxonomy; the document's own wording for what the catalogue does not know
const label = (c: Criterion) => criterionLabelFr(c);
const questionLabel = (p: CriterionProperty) => propertyLabelFr(p);
const isQuestion = (p: CriterionProperty) => p.typeCode === undefined || p.typeCode.toUpperCase() === 'QUESTION';

/** Does an answer carry a value of the kind the question expects? */
function hasValue(p: CriterionProperty, answers: CriterionResponse[] | undefined): boolean {
  if (!answers?.length) return false;
  const type = p.valueDataType?.toUpperCase();
  return answers.some((a) => {
    const values = a.values ?? [];
    if (type === 'INDICATOR') return values.some((v) => v.indicator !== undefined);
    if (type === 'PERIOD') return (a.periods?.length ?? 0) > 0 || values.some((v) => v.descriptions?.some((d) => d));
    if (type === 'EVIDENCE_IDENTIFIER' || type === 'EVIDENCE_URL') return (a.evidenceIds?.length ?? 0) > 0 || values.some((v) => v.identifier || v.uri);
    if ((a.periods?.length ?? 0) > 0 || (a.evidenceIds?.length ?? 0) > 0) return true;
    return values.some(
      (v) =>
        v.amount?.value || v.code || v.date || v.identifier || v.measure?.value || v.numeric || v.quantity?.value || v.time || v.uri ||
        v.indicator !== undefined || v.descriptions?.some((d) => d),
    );
  });
}

const indicatorOf = (p: CriterionProperty): boolean | undefined => {
  for (const a of p.answers ?? []) for (const v of a.values ?? []) if (v.indicator !== undefined) return v.indicator;
  return undefined;
};

/**
 * Checks a response against its request: every criterion asked is there, and every question that
 * applies is answered. Sub-groups `ONTRUE`/`ONFALSE` apply only when the indicator before them says
 * so (e.g. dates and reasons only if "yes, convicted"; self-cleaning details only if "yes, measures").
 */
export function checkCompleteness(response: EspdDocument, request: EspdDocument): CompletenessIssue[] {
  const issues: CompletenessIssue[] = [];
  const eo = response.economicOperators?.[0]?.party;
  if (!response.economicOperators?.length) {
    issues.push({ code: 'OPERATOR_MISSING', message: 'L’opérateur économique n’est pas renseigné (partie II.A).' });
  } else {
    if (!eo?.names?.some((n) => n)) issues.push({ code: 'OPERATOR_NAME_MISSING', message: 'Le nom de l’opérateur économique est manquant (partie II.A).' });
    if (!eo?.identifiers?.some((n) => n) && !eo?.taxIds?.some((t) => t.id)) {
      issues.push({ code: 'OPERATOR_IDENTIFIER_MISSING', message: 'Aucun identifiant (SIRET, numéro de TVA…) de l’opérateur économique n’est renseigné (partie II.A).' });
    }
  }
  const answered = new Map((response.criteria ?? []).filter((c) => c.id).map((c) => [criterionKey(c)!, c]));
  const visit = (asked: Criterion, got: Criterion | undefined) => {
    if (!got) {
      issues.push({
        code: 'CRITERION_MISSING',
        criterionId: asked.id,
        message: `Le critère « ${label(asked)} » demandé par l’acheteur est absent de la réponse.`,
      });
      return;
    }
    const { criterion } = transplantAnswers(asked, got);
    const walk = (groups: PropertyGroup[] | undefined, controlling: boolean | undefined, applies: boolean) => {
      for (const g of groups ?? []) {
        const type = (g.typeCode ?? 'ON*').toUpperCase();
        const groupApplies = applies && (type === 'ONTRUE' ? controlling === true : type === 'ONFALSE' ? controlling === false : true);
        if (!groupApplies) continue;
        let indicator: boolean | undefined;
        for (const p of g.properties ?? []) {
          if (!isQuestion(p)) continue;
          if (p.valueDataType?.toUpperCase() === 'INDICATOR') indicator = indicatorOf(p);
          if (!hasValue(p, p.answers)) {
            issues.push({
              code: 'ANSWER_MISSING',
              criterionId: asked.id,
              propertyId: p.id,
              message: `Critère « ${label(asked)} » : la question « ${questionLabel(p)} » n’a pas de réponse.`,
            });
          }
        }
        walk(g.subGroups, indicator, true);
      }
    };
    walk(criterion.groups, undefined, true);
    for (const sub of asked.subCriteria ?? []) visit(sub, got.subCriteria?.find((s) => criterionKey(s) === criterionKey(sub)));
  };
  for (const asked of request.criteria ?? []) visit(asked, asked.id ? answered.get(criterionKey(asked)!) : undefined);
  return issues;
}
