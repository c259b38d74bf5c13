import { CRITERION_CODES } from './generated/criterion-codes.ts';
import type { Criterion } from './model.ts';

/**
 * Criterion identity across versions. Criteria keep their taxonomy UUID from v1 to v4, except the
 * "other" (EO data) criteria, which 4.x names by path-like ids (`C59_OT_eo-group`); this table, from
 * `dume-espd.md` §3.5, pairs them so that a criterion is the same criterion in every version.
 */
export const CRITERION_ID_ALIASES: readonly (readonly [uuid: string, v4Id: string, v2Code: string, v4Code: string])[] = [
  ['2043338f-a38a-490b-b3ec-2607cb25a017', 'C57_OT_shelt-worksh', 'CRITERION.OTHER.EO_DATA.SHELTERED_WORKSHOP', 'shelt-worksh'],
  ['9b19e869-6c89-4cc4-bd6c-ac9ca8602165', 'C58_OT_registered', 'CRITERION.OTHER.EO_DATA.REGISTERED_IN_OFFICIAL_LIST', 'registered'],
  ['ee51100f-8e3e-40c9-8f8b-57d5a15be1f2', 'C59_OT_eo-group', 'CRITERION.OTHER.EO_DATA.TOGETHER_WITH_OTHERS', 'eo-group'],
  ['0d62c6ed-f074-4fcf-8e9f-f691351d52ad', 'C60_OT_relied', 'CRITERION.OTHER.EO_DATA.RELIES_ON_OTHER_CAPACITIES', 'relied'],
  ['72c0c4b1-ca50-4667-9487-461f3eed4ed7', 'C61_OT_subco-ent', 'CRITERION.OTHER.EO_DATA.SUBCONTRACTS_WITH_THIRD_PARTIES', 'subco-ent'],
  ['51c39ba9-0444-4967-afe9-36f753b30175', 'C63_OT_staff-red', 'CRITERION.OTHER.EO_DATA.REDUCTION_OF_CANDIDATES', 'staff-red'],
  ['ede30cb7-70c2-4ead-ba11-22d0cac5ab7a', 'C65_OT_sme', 'CRITERION.OTHER.EO_SME', 'sme'],
];

const V4_TO_UUID = new Map(CRITERION_ID_ALIASES.map(([uuid, v4]) => [v4, uuid]));
export const UUID_TO_V4 = new Map(CRITERION_ID_ALIASES.map(([uuid, v4]) => [uuid, v4]));

/** The stable key of a criterion: its taxonomy UUID, whatever the version's id. */
export const criterionKey = (c: Pick<Criterion, 'id'> | string | undefined): string | undefined => {
  const id = typeof c === 'string' ? c : c?.id;
  return id === undefined ? undefined : (V4_TO_UUID.get(id) ?? id);
};

/** Criterion type code pairs 2.1.1 ⇄ 4.1.0 (from the official examples, plus the EO-data aliases). */
export const CRITERION_CODE_PAIRS: readonly (readonly [string, string])[] = [
  ...CRITERION_CODES.filter(([, a, b]) => a && b).map(([, a, b]) => [a!, b!] as const),
  ...CRITERION_ID_ALIASES.map(([, , a, b]) => [a, b] as const),
];
