import { criterionKey } from './criteria.ts';
import { allCriteria, propertiesOf, type Criterion, type CriterionResponse, type EspdDocument } from './model.ts';

/**
 * The company part of a response, read the same way whatever the version: ESPD carries groupement,
 * reliance and subcontracting partly in the operator's party and role, partly as "EO data" criteria.
 */
export interface OperatorSummary {
  name?: string;
  /** identifiers with their scheme (SIRET, VAT, LEI…) when the file says so */
  identifiers: { id: string; scheme?: string }[];
  vatNumbers: string[];
  size?: string;
  /** sole-tenderer, group-lead, group-member, relied-upon, subcontractor, or the code as written */
  role?: string;
  representatives: { firstName?: string; familyName?: string; birthDate?: string; position?: string }[];
  groupement: { participates?: boolean; groupName?: string; details: string[] };
  reliance: { reliesOnOthers?: boolean; entities: string[] };
  subcontracting: { subcontracts?: boolean; subcontractors: string[] };
  lotsTendered: string[];
}

const ROLES: Record<string, string> = {
  SC: 'sole-tenderer',
  'sole-tenderer': 'sole-tenderer',
  LE: 'group-lead',
  'group-lead': 'group-lead',
  GM: 'group-member',
  'group-mem': 'group-member',
  OERON: 'relied-upon',
  oeron: 'relied-upon',
  OENRON: 'subcontractor',
  subcont: 'subcontractor',
};

const TOGETHER = 'ee51100f-8e3e-40c9-8f8b-57d5a15be1f2';
const RELIES = '0d62c6ed-f074-4fcf-8e9f-f691351d52ad';
const SUBCONTRACTS = '72c0c4b1-ca50-4667-9487-461f3eed4ed7';
const LOTS_TENDERED = '8b9700b7-b13c-41e6-a220-6bbf8d5fab31';

const answersOf = (c: Criterion | undefined): [string | undefined, CriterionResponse][] =>
  c ? [...propertiesOf(c.groups)].flatMap((p) => (p.answers ?? []).map((a) => [p.valueDataType?.toUpperCase(), a] as [string | undefined, CriterionResponse])) : [];

const firstIndicator = (c: Criterion | undefined) => {
  for (const [type, a] of answersOf(c)) if (type === 'INDICATOR') for (const v of a.values ?? []) if (v.indicator !== undefined) return v.indicator;
  return undefined;
};
const texts = (c: Criterion | undefined) =>
  answersOf(c)
    .filter(([type]) => type === 'DESCRIPTION' || type === 'ECONOMIC_OPERATOR_IDENTIFIER' || type === 'IDENTIFIER')
    .flatMap(([, a]) => (a.values ?? []).flatMap((v) => [...(v.descriptions ?? []), ...(v.identifier ? [v.identifier] : [])]))
    .filter((t) => t);

export function operatorSummary(doc: EspdDocument): OperatorSummary {
  const eo = doc.economicOperators?.[0];
  const party = eo?.party;
  const byKey = new Map([...allCriteria(doc.criteria)].map((c) => [criterionKey(c), c]));
  const lots = new Set<string>();
  for (const [type, a] of answersOf(byKey.get(LOTS_TENDERED))) {
    if (type === 'LOT_IDENTIFIER') for (const v of a.values ?? []) if (v.identifier) lots.add(v.identifier);
  }
  for (const c of allCriteria(doc.criteria)) for (const [, a] of answersOf(c)) for (const l of a.lotIds ?? []) lots.add(l);
  const together = byKey.get(TOGETHER);
  const role = eo?.eoRole?.role;
  return {
    name: party?.names?.[0],
    identifiers: (party?.identifiers ?? []).map((id, i) => {
      const scheme = party?.attrs?.[`identifiers.${i}`]?.schemeID;
      return scheme ? { id, scheme } : { id };
    }),
    vatNumbers: (party?.taxIds ?? []).flatMap((t) => (t.id ? [t.id] : [])),
    ...(party?.size === undefined ? {} : { size: party.size }),
    ...(role === undefined ? {} : { role: ROLES[role] ?? role }),
    representatives: (party?.representatives ?? []).flatMap((r) =>
      (r.agent?.persons ?? []).map((p) => ({
        ...(p.firstName === undefined ? {} : { firstName: p.firstName }),
        ...(p.familyName === undefined ? {} : { familyName: p.familyName }),
        ...(p.birthDate === undefined ? {} : { birthDate: p.birthDate }),
        ...(r.descriptions?.[0] === undefined ? {} : { position: r.descriptions[0] }),
      })),
    ),
    groupement: {
      ...(together ? { participates: firstIndicator(together) } : {}),
      ...(doc.groupName === undefined ? {} : { groupName: doc.groupName }),
      details: texts(together),
    },
    reliance: { reliesOnOthers: firstIndicator(byKey.get(RELIES)), entities: texts(byKey.get(RELIES)) },
    subcontracting: { subcontracts: firstIndicator(byKey.get(SUBCONTRACTS)), subcontractors: texts(byKey.get(SUBCONTRACTS)) },
    lotsTendered: [...lots],
  };
}
