import { criterionKey, type Criterion, type CriterionProperty, type CriterionResponse, type PropertyGroup } from '../formats/espd/index.ts';

/**
 * Puts the answers of an earlier criterion onto the structure of a new one (same criterion id).
 *
 * Property ids are per document in 2.x (random UUIDs) and differ between v1 and v2, but group ids
 * are stable and the order of properties inside a group is fixed by the EDM. So a question is found
 * by the same id when ids match (4.x path ids), otherwise by its group's id (and occurrence) and its
 * position in the group, provided the expected data type agrees.
 */
export interface TransplantResult {
  criterion: Criterion;
  /** questions of the new criterion that received an answer */
  answered: number;
  /** questions of the new criterion */
  questions: number;
  /** earlier answers that found no place in the new structure */
  unplaced: number;
}

const clone = <T>(x: T): T => structuredClone(x);

const isQuestion = (p: CriterionProperty) => p.typeCode === undefined || p.typeCode.toUpperCase() === 'QUESTION';

/** Types that may receive each other's answers (v1 EVIDENCE_URL became EVIDENCE_IDENTIFIER). */
const compatible = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a.toUpperCase() === b.toUpperCase();

export function transplantAnswers(target: Criterion, source: Criterion | undefined): TransplantResult {
  const criterion = clone(target);
  let answered = 0;
  let questions = 0;
  let unplaced = 0;
  const used = new Set<CriterionProperty>();

  const sourceById = new Map<string, CriterionProperty>();
  const walkSource = (groups: PropertyGroup[] | undefined) => {
    for (const g of groups ?? []) {
      for (const p of g.properties ?? []) if (p.id && !sourceById.has(p.id)) sourceById.set(p.id, p);
      walkSource(g.subGroups);
    }
  };
  walkSource(source?.groups);

  const place = (t: CriterionProperty, s: CriterionProperty | undefined) => {
    if (!s || used.has(s) || !s.answers?.length) return false;
    if (compatible(t.valueDataType, s.valueDataType)) t.answers = clone(s.answers);
    else if (t.valueDataType?.toUpperCase() === 'DESCRIPTION' && s.valueDataType?.toUpperCase() === 'PERIOD') {
      // v1 "length of the period of exclusion" was a period with a description; 2.x asks for a text
      const texts = s.answers.flatMap((a) => (a.periods ?? []).flatMap((p) => p.descriptions ?? []));
      if (!texts.length) return false;
      t.answers = [{ values: [{ descriptions: texts }] }];
    } else return false;
    used.add(s);
    return true;
  };

  /** Pairs groups of the same id by occurrence, then properties by position. */
  const walk = (tGroups: PropertyGroup[] | undefined, sGroups: PropertyGroup[] | undefined) => {
    const seen = new Map<string, number>();
    // 2.x group UUIDs and 4.x path ids never meet: then pair groups by position, if their kinds agree
    const idsMeet = (sGroups ?? []).some((g) => (tGroups ?? []).some((t) => t.id === g.id));
    (tGroups ?? []).forEach((tg, index) => {
      const key = tg.id ?? '';
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      const candidate = sGroups?.[index];
      const byPosition = !idsMeet && candidate?.typeCode === tg.typeCode ? candidate : undefined;
      const sg = idsMeet ? (sGroups ?? []).filter((g) => (g.id ?? '') === key)[n] : byPosition;
      tg.properties?.forEach((tp, i) => {
        if (!isQuestion(tp)) return;
        questions++;
        delete tp.answers;
        const byId = tp.id ? sourceById.get(tp.id) : undefined;
        if (place(tp, byId) || place(tp, sg?.properties?.[i])) answered++;
      });
      walk(tg.subGroups, sg?.subGroups);
    });
  };
  walk(criterion.groups, source?.groups);

  if (source) {
    const count = (groups: PropertyGroup[] | undefined): void => {
      for (const g of groups ?? []) {
        for (const p of g.properties ?? []) if (p.answers?.length && !used.has(p)) unplaced++;
        count(g.subGroups);
      }
    };
    count(source.groups);
  }
  // national sub-criteria follow the same rule, matched by id
  if (criterion.subCriteria) {
    criterion.subCriteria = criterion.subCriteria.map((sub) => {
      const r = transplantAnswers(sub, source?.subCriteria?.find((s) => criterionKey(s) === criterionKey(sub)));
      answered += r.answered;
      questions += r.questions;
      unplaced += r.unplaced;
      return r.criterion;
    });
  }
  return { criterion, answered, questions, unplaced };
}

/** Every answer of a criterion tree (for evidence bookkeeping). */
export function* answersOf(criterion: Criterion): Generator<CriterionResponse> {
  const walk = function* (groups: PropertyGroup[] | undefined): Generator<CriterionResponse> {
    for (const g of groups ?? []) {
      for (const p of g.properties ?? []) yield* p.answers ?? [];
      yield* walk(g.subGroups);
    }
  };
  yield* walk(criterion.groups);
  for (const s of criterion.subCriteria ?? []) yield* answersOf(s);
}
