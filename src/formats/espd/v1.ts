import type {
  Criterion,
  CriterionProperty,
  CriterionResponse,
  EconomicOperator,
  EspdDocument,
  Evidence,
  Party,
  Procedure,
  PropertyGroup,
  Representative,
  ResponseValue,
} from './model.ts';
import {
  BUYER,
  DOCUMENT_REFERENCE,
  LOT,
  PARTY,
  PERIOD,
  REPRESENTATIVE,
  readWith,
  type Spec,
} from './spec.ts';
import type { XNode } from './xml.ts';

/**
 * Reader of ESPD-EDM 1.0.x (`ESPDRequest-1` / `ESPDResponse-1`, the EC ESPD Service's format).
 * v1 answers sit inside each requirement (`ccv:Response`); they are hung on the same place in the
 * model. Group UUIDs are those of 2.x; requirement ids differ (v1 has its own).
 * What v1 carries and UBL 2.x cannot (e.g. `SMEIndicator` false) stays in `extra` and is reported as
 * lost when exported.
 */

const text = (el: string) => ({ k: 'text', el }) as const;
const texts = (el: string) => ({ k: 'texts', el }) as const;
const list = (el: string, spec: () => Spec) => ({ k: 'list', el, spec }) as const;

const V1_ROOT: Spec = {
  id: text('cbc:ID'),
  copyIndicator: { k: 'bool', el: 'cbc:CopyIndicator' },
  uuid: text('cbc:UUID'),
  versionId: text('cbc:VersionID'),
  issueDate: text('cbc:IssueDate'),
  issueTime: text('cbc:IssueTime'),
  fileReference: text('cbc:ContractFolderID'),
  groupName: text('espd-cbc:EconomicOperatorGroupName'),
  buyers: list('cac:ContractingParty', () => BUYER),
  lots: list('cac:ProcurementProjectLot', () => LOT),
  documents: list('cac:AdditionalDocumentReference', () => DOCUMENT_REFERENCE),
};
const V1_LEGISLATION: Spec = {
  titles: texts('ccv-cbc:Title'),
  descriptions: texts('cbc:Description'),
  jurisdictionLevels: texts('ccv-cbc:JurisdictionLevelCode'),
  articles: texts('ccv-cbc:Article'),
  uris: texts('cbc:URI'),
};
const V1_CRITERION: Spec = {
  id: text('cbc:ID'),
  typeCode: text('cbc:TypeCode'),
  name: text('cbc:Name'),
  descriptions: texts('cbc:Description'),
  legislation: list('ccv:LegislationReference', () => V1_LEGISLATION),
  groups: list('ccv:RequirementGroup', () => V1_GROUP),
};
const V1_GROUP: Spec = {
  id: text('cbc:ID'),
  properties: list('ccv:Requirement', () => V1_PROPERTY),
  subGroups: list('ccv:RequirementGroup', () => V1_GROUP),
};
const V1_PROPERTY: Spec = {
  id: text('cbc:ID'),
  descriptions: texts('cbc:Description'),
  answers: list('ccv:Response', () => V1_RESPONSE),
};
const V1_RESPONSE: Spec = {
  id: text('cbc:ID'),
  indicator: { k: 'bool', el: 'ccv-cbc:Indicator' },
  date: text('cbc:Date'),
  descriptions: texts('cbc:Description'),
  code: text('ccv-cbc:Code'),
  amount: { k: 'amount', el: 'cbc:Amount' },
  quantity: { k: 'measure', el: 'cbc:Quantity' },
  numeric: text('cbc:Percent'),
  periods: list('cac:Period', () => PERIOD),
};
const VALUE_FIELDS = ['indicator', 'date', 'descriptions', 'code', 'amount', 'quantity', 'numeric'] as const;

type Loose = Record<string, unknown> & { attrs?: Record<string, Record<string, string>>; extra?: XNode[] };

const GROUP_TYPE: Record<string, string> = {
  'GROUP_FULFILLED.ON_TRUE': 'ONTRUE',
  'GROUP_FULFILLED.ON_FALSE': 'ONFALSE',
};

export function readV1(root: XNode, kind: 'request' | 'response'): EspdDocument {
  const evidences: Evidence[] = [];
  const o = readWith(root, V1_ROOT) as Loose;
  const economicOperators: EconomicOperator[] = [];
  const criteria: Criterion[] = [];
  const extra: XNode[] = [];
  for (const x of o.extra ?? []) {
    if (x.name === 'espd-cac:EconomicOperatorParty') economicOperators.push(readOperator(x));
    else if (x.name === 'ccv:Criterion') criteria.push(readCriterion(x, evidences));
    else if (!['cbc:UBLVersionID', 'cbc:CustomizationID'].includes(x.name)) extra.push(x);
  }
  delete o.extra;
  const procedure: Procedure = {};
  for (const f of ['fileReference', 'documents'] as const) {
    if (o[f] !== undefined) (procedure as Loose)[f] = o[f];
    delete o[f];
    if (o.attrs?.[f]) (procedure.attrs ??= {})[f] = o.attrs[f];
    delete o.attrs?.[f];
  }
  if (o.attrs && !Object.keys(o.attrs).length) delete o.attrs;
  const doc = { kind, version: '1.0.2', ...o, procedure } as EspdDocument;
  if (economicOperators.length) doc.economicOperators = economicOperators;
  if (criteria.length) doc.criteria = criteria;
  if (evidences.length) doc.evidences = evidences;
  if (extra.length) doc.extra = extra;
  return doc;
}

function readOperator(node: XNode): EconomicOperator {
  const eo: EconomicOperator = {};
  const representatives: Representative[] = [];
  let sme: boolean | undefined;
  for (const x of node.children ?? []) {
    if (x.name === 'cac:Party') eo.party = readWith(x, PARTY) as Party;
    else if (x.name === 'espd-cbc:SMEIndicator' && x.text?.trim() === 'true' && sme === undefined) sme = true;
    else if (x.name === 'espd-cac:RepresentativeNaturalPerson') {
      const role = x.children?.find((c) => c.name === 'espd-cbc:NaturalPersonRoleDescription')?.text?.trim();
      const poa = x.children?.find((c) => c.name === 'cac:PowerOfAttorney');
      const rep = (poa ? readWith(poa, REPRESENTATIVE) : {}) as Representative;
      if (role) rep.descriptions = [role, ...(rep.descriptions ?? [])];
      representatives.push(rep);
    } else (eo.extra ??= []).push(x);
  }
  if (sme || representatives.length) eo.party ??= {};
  if (sme) eo.party!.size = 'SME';
  if (representatives.length) eo.party!.representatives = [...representatives, ...(eo.party!.representatives ?? [])];
  return eo;
}

function readCriterion(node: XNode, evidences: Evidence[]): Criterion {
  const c = readWith(node, V1_CRITERION) as Criterion;
  const fixGroup = (g: PropertyGroup & Loose) => {
    const pi = g.attrs?.['@']?.pi;
    g.typeCode = (pi && GROUP_TYPE[pi]) ?? (pi ? pi : 'ON*');
    if (g.attrs?.['@']) {
      delete g.attrs['@'].pi;
      if (!Object.keys(g.attrs['@']).length) delete g.attrs['@'];
      if (!Object.keys(g.attrs).length) delete g.attrs;
    }
    for (const p of g.properties ?? []) fixProperty(p as CriterionProperty & Loose);
    g.subGroups?.forEach((s) => fixGroup(s as PropertyGroup & Loose));
    // keep the model's field order: id, typeCode, properties, subGroups
    const { id, typeCode, properties, subGroups, ...rest } = g;
    for (const k of Object.keys(g)) delete (g as Loose)[k];
    Object.assign(g, id === undefined ? {} : { id }, { typeCode }, rest, properties ? { properties } : {}, subGroups ? { subGroups } : {});
  };
  const fixProperty = (p: CriterionProperty & Loose) => {
    const type = p.attrs?.['@']?.responseDataType;
    if (type !== undefined) {
      delete p.attrs!['@'].responseDataType;
      if (!Object.keys(p.attrs!['@']).length) delete p.attrs!['@'];
      if (!Object.keys(p.attrs!).length) delete p.attrs;
    }
    const answers = p.answers;
    delete p.answers;
    p.typeCode = 'QUESTION';
    if (type !== undefined) p.valueDataType = type === 'EVIDENCE_URL' ? 'EVIDENCE_IDENTIFIER' : type;
    if (answers) p.answers = answers.map((a) => toResponse(a as Loose, evidences));
  };
  c.groups?.forEach((g) => fixGroup(g as PropertyGroup & Loose));
  return c;
}

function toResponse(a: Loose, evidences: Evidence[]): CriterionResponse {
  const r: CriterionResponse & Loose = {};
  if (a.id !== undefined) r.id = a.id as string;
  const value: ResponseValue & Loose = {};
  for (const f of VALUE_FIELDS) if (a[f] !== undefined) (value as Loose)[f] = a[f];
  for (const [k, v] of Object.entries(a.attrs ?? {})) {
    if (k === 'id' || k === '@') (r.attrs ??= {})[k] = v;
    else if (k !== 'periods') (value.attrs ??= {})[k] = v;
  }
  if (Object.keys(value).length) r.values = [value];
  if (a.periods) r.periods = a.periods as CriterionResponse['periods'];
  for (const x of a.extra ?? []) {
    const ref = x.name === 'cev:Evidence' ? x.children?.find((c) => c.name === 'cev:EvidenceDocumentReference') : undefined;
    if (ref && x.children!.length === 1) {
      const documentReference = readWith(ref, DOCUMENT_REFERENCE) as Evidence['documentReferences'] extends (infer D)[] | undefined ? D : never;
      const id = `EVIDENCE-${evidences.length + 1}`;
      evidences.push({ id, documentReferences: [documentReference] });
      (r.evidenceIds ??= []).push(id);
    } else (r.extra ??= []).push(x);
  }
  return r;
}
