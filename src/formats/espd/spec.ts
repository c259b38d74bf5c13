import type { Attrs, EspdLoss, Extensible } from './model.ts';
import type { XNode } from './xml.ts';
import type { UblOrder } from './generated/ubl-order.ts';

/**
 * A declarative mapping between model objects and UBL aggregates: each model field names the element
 * it comes from and how its value is read. One generic reader and one generic writer use these tables,
 * so every aggregate is lossless the same way (unnamed children → `extra`, attributes → `attrs`).
 */
export type Field =
  | { k: 'text'; el: string }
  | { k: 'texts'; el: string }
  | { k: 'bool'; el: string }
  | { k: 'amount'; el: string }
  | { k: 'measure'; el: string }
  | { k: 'obj'; el: string; spec: () => Spec }
  | { k: 'list'; el: string; spec: () => Spec }
  /** an aggregate holding only one leaf `inner` (lot references, party names…) → a string (list) */
  | { k: 'refs'; el: string; inner: string; many: boolean };

export type Spec = Record<string, Field>;

const text = (el: string): Field => ({ k: 'text', el });
const texts = (el: string): Field => ({ k: 'texts', el });
const bool = (el: string): Field => ({ k: 'bool', el });
const amount = (el: string): Field => ({ k: 'amount', el });
const measure = (el: string): Field => ({ k: 'measure', el });
const obj = (el: string, spec: () => Spec): Field => ({ k: 'obj', el, spec });
const list = (el: string, spec: () => Spec): Field => ({ k: 'list', el, spec });
const refs = (el: string, inner = 'cbc:ID'): Field => ({ k: 'refs', el, inner, many: true });
const ref = (el: string, inner: string): Field => ({ k: 'refs', el, inner, many: false });

export const TAX_ID: Spec = { id: text('cbc:CompanyID') };
export const ADDRESS: Spec = {
  streetName: text('cbc:StreetName'),
  additionalStreetName: text('cbc:AdditionalStreetName'),
  cityName: text('cbc:CityName'),
  postalZone: text('cbc:PostalZone'),
  countrySubentity: text('cbc:CountrySubentity'),
  country: ref('cac:Country', 'cbc:IdentificationCode'),
};
export const CONTACT: Spec = {
  name: text('cbc:Name'),
  telephone: text('cbc:Telephone'),
  telefax: text('cbc:Telefax'),
  email: text('cbc:ElectronicMail'),
};
export const PERSON: Spec = {
  firstName: text('cbc:FirstName'),
  familyName: text('cbc:FamilyName'),
  jobTitle: text('cbc:JobTitle'),
  birthDate: text('cbc:BirthDate'),
  birthplaceName: text('cbc:BirthplaceName'),
  contact: obj('cac:Contact', () => CONTACT),
  residenceAddress: obj('cac:ResidenceAddress', () => ADDRESS),
};
export const REPRESENTATIVE: Spec = {
  descriptions: texts('cbc:Description'),
  agent: obj('cac:AgentParty', () => PARTY),
};
export const PARTY: Spec = {
  websiteUri: text('cbc:WebsiteURI'),
  endpointId: text('cbc:EndpointID'),
  size: text('cbc:IndustryClassificationCode'),
  identifiers: refs('cac:PartyIdentification'),
  names: refs('cac:PartyName', 'cbc:Name'),
  address: obj('cac:PostalAddress', () => ADDRESS),
  taxIds: list('cac:PartyTaxScheme', () => TAX_ID),
  contact: obj('cac:Contact', () => CONTACT),
  persons: list('cac:Person', () => PERSON),
  representatives: list('cac:PowerOfAttorney', () => REPRESENTATIVE),
};
export const BUYER: Spec = { buyerProfileUri: text('cbc:BuyerProfileURI'), party: obj('cac:Party', () => PARTY) };
export const ROLE: Spec = { role: text('cbc:RoleCode'), roleDescriptions: texts('cbc:RoleDescription') };
export const ECONOMIC_OPERATOR: Spec = {
  eoRole: obj('cac:EconomicOperatorRole', () => ROLE),
  party: obj('cac:Party', () => PARTY),
};
export const CLASSIFICATION: Spec = { code: text('cbc:ItemClassificationCode') };
export const PROJECT: Spec = {
  title: text('cbc:Name'),
  descriptions: texts('cbc:Description'),
  procurementType: text('cbc:ProcurementTypeCode'),
  mainClassification: list('cac:MainCommodityClassification', () => CLASSIFICATION),
  additionalClassification: list('cac:AdditionalCommodityClassification', () => CLASSIFICATION),
};
export const LOT: Spec = { id: text('cbc:ID') };
export const EXTERNAL_REFERENCE: Spec = { uri: text('cbc:URI'), fileName: text('cbc:FileName'), descriptions: texts('cbc:Description') };
export const ATTACHMENT: Spec = { externalReference: obj('cac:ExternalReference', () => EXTERNAL_REFERENCE) };
export const DOCUMENT_REFERENCE: Spec = {
  id: text('cbc:ID'),
  uuid: text('cbc:UUID'),
  issueDate: text('cbc:IssueDate'),
  documentTypeCode: text('cbc:DocumentTypeCode'),
  documentType: text('cbc:DocumentType'),
  descriptions: texts('cbc:DocumentDescription'),
  attachment: obj('cac:Attachment', () => ATTACHMENT),
  issuer: obj('cac:IssuerParty', () => PARTY),
};
export const LANGUAGE: Spec = { localeCode: text('cbc:LocaleCode') };
export const LEGISLATION: Spec = {
  id: text('cbc:ID'),
  titles: texts('cbc:Title'),
  descriptions: texts('cbc:Description'),
  jurisdictionLevels: texts('cbc:JurisdictionLevel'),
  articles: texts('cbc:Article'),
  uris: texts('cbc:URI'),
  languages: list('cac:Language', () => LANGUAGE),
};
export const PERIOD: Spec = {
  startDate: text('cbc:StartDate'),
  startTime: text('cbc:StartTime'),
  endDate: text('cbc:EndDate'),
  endTime: text('cbc:EndTime'),
  descriptions: texts('cbc:Description'),
};
export const PROPERTY: Spec = {
  id: text('cbc:ID'),
  name: text('cbc:Name'),
  descriptions: texts('cbc:Description'),
  typeCode: text('cbc:TypeCode'),
  valueDataType: text('cbc:ValueDataTypeCode'),
  valueUnitCode: text('cbc:ValueUnitCode'),
  valueCurrencyCode: text('cbc:ValueCurrencyCode'),
  expectedAmount: amount('cbc:ExpectedAmount'),
  expectedId: text('cbc:ExpectedID'),
  expectedCode: text('cbc:ExpectedCode'),
  expectedValueNumeric: text('cbc:ExpectedValueNumeric'),
  expectedDescription: text('cbc:ExpectedDescription'),
  expectedUri: text('cbc:ExpectedURI'),
  maximumAmount: amount('cbc:MaximumAmount'),
  minimumAmount: amount('cbc:MinimumAmount'),
  maximumValueNumeric: text('cbc:MaximumValueNumeric'),
  minimumValueNumeric: text('cbc:MinimumValueNumeric'),
  translationTypeCode: text('cbc:TranslationTypeCode'),
  certificationLevelDescriptions: texts('cbc:CertificationLevelDescription'),
  copyQualityTypeCode: text('cbc:CopyQualityTypeCode'),
  applicablePeriods: list('cac:ApplicablePeriod', () => PERIOD),
};
export const GROUP: Spec = {
  id: text('cbc:ID'),
  names: texts('cbc:Name'),
  descriptions: texts('cbc:Description'),
  typeCode: text('cbc:PropertyGroupTypeCode'),
  fulfilmentIndicator: bool('cbc:FulfilmentIndicator'),
  fulfilmentIndicatorTypeCode: text('cbc:FulfilmentIndicatorTypeCode'),
  properties: list('cac:TenderingCriterionProperty', () => PROPERTY),
  subGroups: list('cac:SubsidiaryTenderingCriterionPropertyGroup', () => GROUP),
};
export const CRITERION: Spec = {
  id: text('cbc:ID'),
  typeCode: text('cbc:CriterionTypeCode'),
  name: text('cbc:Name'),
  descriptions: texts('cbc:Description'),
  weightNumeric: text('cbc:WeightNumeric'),
  fulfilmentIndicator: bool('cbc:FulfilmentIndicator'),
  fulfilmentIndicatorTypeCode: text('cbc:FulfilmentIndicatorTypeCode'),
  evaluationMethodTypeCode: text('cbc:EvaluationMethodTypeCode'),
  weightingConsiderationDescriptions: texts('cbc:WeightingConsiderationDescription'),
  lotIds: refs('cac:ProcurementProjectLotReference'),
  subCriteria: list('cac:SubTenderingCriterion', () => CRITERION),
  legislation: list('cac:Legislation', () => LEGISLATION),
  groups: list('cac:TenderingCriterionPropertyGroup', () => GROUP),
};
export const RESPONSE_VALUE: Spec = {
  id: text('cbc:ID'),
  descriptions: texts('cbc:Description'),
  amount: amount('cbc:ResponseAmount'),
  code: text('cbc:ResponseCode'),
  date: text('cbc:ResponseDate'),
  identifier: text('cbc:ResponseID'),
  indicator: bool('cbc:ResponseIndicator'),
  measure: measure('cbc:ResponseMeasure'),
  numeric: text('cbc:ResponseNumeric'),
  quantity: measure('cbc:ResponseQuantity'),
  time: text('cbc:ResponseTime'),
  uri: text('cbc:ResponseURI'),
};
/** `propertyId` is read from the file and removed once the answer hangs on its question. */
export const RESPONSE: Spec = {
  id: text('cbc:ID'),
  propertyId: text('cbc:ValidatedCriterionPropertyID'),
  confidentialityLevelCode: text('cbc:ConfidentialityLevelCode'),
  values: list('cac:ResponseValue', () => RESPONSE_VALUE),
  periods: list('cac:ApplicablePeriod', () => PERIOD),
  evidenceIds: refs('cac:EvidenceSupplied'),
  lotIds: refs('cac:ProcurementProjectLotReference'),
};
export const EVIDENCE: Spec = {
  id: text('cbc:ID'),
  typeCode: text('cbc:EvidenceTypeCode'),
  names: texts('cbc:Name'),
  descriptions: texts('cbc:Description'),
  candidateStatements: texts('cbc:CandidateStatement'),
  confidentialityLevelCode: text('cbc:ConfidentialityLevelCode'),
  issuingParty: obj('cac:EvidenceIssuingParty', () => PARTY),
  documentReferences: list('cac:DocumentReference', () => DOCUMENT_REFERENCE),
};
/**
 * The root: header fields plus the document's top-level lists. Version identification elements
 * (UBLVersionID, CustomizationID, ProfileID, ProfileExecutionID) are not data: they are written
 * from the target version.
 */
export const ROOT: Spec = {
  id: text('cbc:ID'),
  copyIndicator: bool('cbc:CopyIndicator'),
  uuid: text('cbc:UUID'),
  fileReference: text('cbc:ContractFolderID'),
  contractNames: texts('cbc:ContractName'),
  issueDate: text('cbc:IssueDate'),
  issueTime: text('cbc:IssueTime'),
  groupName: text('cbc:EconomicOperatorGroupName'),
  versionId: text('cbc:VersionID'),
  previousVersionId: text('cbc:PreviousVersionID'),
  procedureType: text('cbc:ProcedureCode'),
  profile: text('cbc:QualificationApplicationTypeCode'),
  weightScoringMethodologyNotes: texts('cbc:WeightScoringMethodologyNote'),
  weightingTypeCode: text('cbc:WeightingTypeCode'),
  notes: texts('cbc:Note'),
  buyers: list('cac:ContractingParty', () => BUYER),
  economicOperators: list('cac:EconomicOperatorParty', () => ECONOMIC_OPERATOR),
  project: obj('cac:ProcurementProject', () => PROJECT),
  lots: list('cac:ProcurementProjectLot', () => LOT),
  criteria: list('cac:TenderingCriterion', () => CRITERION),
  responses: list('cac:TenderingCriterionResponse', () => RESPONSE),
  documents: list('cac:AdditionalDocumentReference', () => DOCUMENT_REFERENCE),
  evidences: list('cac:Evidence', () => EVIDENCE),
};

const indexCache = new WeakMap<Spec, Map<string, [string, Field]>>();
function indexOf(spec: Spec) {
  let m = indexCache.get(spec);
  if (!m) {
    m = new Map(Object.entries(spec).map(([f, d]) => [d.el, [f, d] as [string, Field]]));
    indexCache.set(spec, m);
  }
  return m;
}

type Obj = Extensible & Record<string, unknown>;

// the parsed tree is thrown away after reading: its attribute objects are taken, not copied
const setAttrs = (o: Obj, key: string, a: Attrs | undefined) => {
  if (a) (o.attrs ??= {})[key] = a;
};
const pushExtra = (o: Obj, x: XNode) => {
  (o.extra ??= []).push(x);
};
const isLeaf = (x: XNode) => !x.children?.length;
const txt = (x: XNode) => (x.text ?? '').trim();

/** Reads an aggregate into a model object following `spec`. */
export function readWith(node: XNode, spec: Spec): Obj {
  const o: Obj = {};
  setAttrs(o, '@', node.attrs);
  const idx = indexOf(spec);
  for (const child of node.children ?? []) {
    const hit = idx.get(child.name);
    if (!hit) {
      pushExtra(o, child);
      continue;
    }
    const [field, d] = hit;
    switch (d.k) {
      case 'text':
        if (o[field] !== undefined || !isLeaf(child)) pushExtra(o, child);
        else {
          o[field] = txt(child);
          setAttrs(o, field, child.attrs);
        }
        break;
      case 'texts': {
        if (!isLeaf(child)) { pushExtra(o, child); break; }
        const arr = ((o[field] as string[]) ??= []);
        setAttrs(o, `${field}.${arr.length}`, child.attrs);
        arr.push(txt(child));
        break;
      }
      case 'bool': {
        const t = txt(child);
        if (o[field] !== undefined || !isLeaf(child) || !['true', 'false'].includes(t)) pushExtra(o, child);
        else {
          o[field] = t === 'true';
          setAttrs(o, field, child.attrs);
        }
        break;
      }
      case 'amount':
      case 'measure': {
        if (o[field] !== undefined || !isLeaf(child)) { pushExtra(o, child); break; }
        const unitAttr = d.k === 'amount' ? 'currencyID' : 'unitCode';
        const { [unitAttr]: unit, ...rest } = child.attrs ?? {};
        const v: Record<string, string> = { value: txt(child) };
        if (unit !== undefined) v[d.k === 'amount' ? 'currency' : 'unit'] = unit;
        o[field] = v;
        if (Object.keys(rest).length) setAttrs(o, field, rest);
        break;
      }
      case 'obj':
        if (o[field] !== undefined) pushExtra(o, child);
        else o[field] = readWith(child, d.spec());
        break;
      case 'list':
        ((o[field] as Obj[]) ??= []).push(readWith(child, d.spec()));
        break;
      case 'refs': {
        const only = child.children?.length === 1 ? child.children[0] : undefined;
        if (child.attrs || !only || only.name !== d.inner || !isLeaf(only) || (!d.many && o[field] !== undefined)) {
          pushExtra(o, child);
          break;
        }
        if (d.many) {
          const arr = ((o[field] as string[]) ??= []);
          setAttrs(o, `${field}.${arr.length}`, only.attrs);
          arr.push(txt(only));
        } else {
          o[field] = txt(only);
          setAttrs(o, field, only.attrs);
        }
        break;
      }
    }
  }
  return o;
}

/** Writing context: target schema order, losses found, and hooks translating codes between versions. */
export interface WriteContext {
  order: UblOrder;
  losses: EspdLoss[];
  /** translates a field's value and attributes when writing (cross-version codes) */
  translate?: (element: string, field: string, value: string, attrs: Attrs | undefined) => [string, Attrs | undefined];
}

const orderCache = new WeakMap<UblOrder, Map<string, Map<string, number>>>();
function childOrder(ctx: WriteContext, element: string): Map<string, number> | undefined {
  let byType = orderCache.get(ctx.order);
  if (!byType) orderCache.set(ctx.order, (byType = new Map()));
  const type = ctx.order.aliases[element] ?? `${element.replace(/^cac:/, '')}Type`;
  let m = byType.get(type);
  if (!m) {
    const seq = ctx.order.types[type];
    if (!seq) return undefined;
    m = new Map(seq.map((n, i) => [n, i]));
    byType.set(type, m);
  }
  return m;
}

export function lossMessage(element: string): string {
  return `l’élément « ${element} » n’existe pas dans la version cible et n’a pas été exporté`;
}

/**
 * Keeps only the children the target schema allows, in schema order; records the others as losses.
 * `modelPaths` gives, for each child, where it came from in the model (for the loss report).
 */
function orderChildren(ctx: WriteContext, element: string, xmlPath: string, kids: [XNode, string][]): XNode[] {
  const order = childOrder(ctx, element);
  if (!order) return kids.map(([x]) => x);
  const kept: [XNode, number, number][] = [];
  const occurrences = new Map<string, number>();
  kids.forEach(([x, modelPath], i) => {
    const pos = order.get(x.name);
    const nth = (occurrences.get(x.name) ?? 0) + 1;
    occurrences.set(x.name, nth);
    if (pos === undefined) {
      ctx.losses.push({ path: `${xmlPath}/${x.name}[${nth}]`, element: x.name, modelPath, message: lossMessage(x.name) });
    } else kept.push([x, pos, i]);
  });
  let sorted = true;
  for (let i = 1; i < kept.length && sorted; i++) if (kept[i][1] < kept[i - 1][1]) sorted = false;
  if (!sorted) kept.sort((a, b) => a[1] - b[1] || a[2] - b[2]);
  return kept.map((k) => k[0]);
}

/** Filters a raw extra element (from another version) against the target schema, recursively. */
function filterExtra(ctx: WriteContext, x: XNode, xmlPath: string, modelPath: string): XNode {
  if (!x.children?.length || !x.name.startsWith('cac:')) return x;
  const path = `${xmlPath}/${x.name}`;
  const kids = x.children.map((c, i) => [filterExtra(ctx, c, path, `${modelPath}.children.${i}`), `${modelPath}.children.${i}`] as [XNode, string]);
  return { ...x, children: orderChildren(ctx, x.name, path, kids) };
}

// the written tree only lives until it is serialised: attribute objects are shared, not copied
const leaf = (name: string, value: string, attrs?: Attrs): XNode => {
  const x: XNode = { name, text: value };
  if (attrs) {
    for (const _ in attrs) {
      x.attrs = attrs;
      break;
    }
  }
  return x;
};

const entriesCache = new WeakMap<Spec, [string, Field][]>();
const entriesOf = (spec: Spec) => {
  let e = entriesCache.get(spec);
  if (!e) entriesCache.set(spec, (e = Object.entries(spec)));
  return e;
};

/**
 * Writes a model object as the element `name`. `before` lets the caller add children the spec does
 * not hold (the root's version identification, the answers).
 */
export function writeWith(
  ctx: WriteContext,
  o: Obj,
  spec: Spec,
  name: string,
  xmlPath: string,
  modelPath: string,
  more: [XNode, string][] = [],
  position?: number,
): XNode {
  const path = `${xmlPath}/${name}${position === undefined ? '' : `[${position}]`}`;
  const kids: [XNode, string][] = [];
  const a = o.attrs ?? {};
  const tr = (field: string, value: string, attrs: Attrs | undefined) =>
    ctx.translate ? ctx.translate(name, field, value, attrs) : ([value, attrs] as [string, Attrs | undefined]);
  for (const [field, d] of entriesOf(spec)) {
    const v = o[field];
    if (v === undefined || v === null) continue;
    const mp = modelPath ? `${modelPath}.${field}` : field;
    switch (d.k) {
      case 'text': {
        const [val, at] = tr(field, v as string, a[field]);
        kids.push([leaf(d.el, val, at), mp]);
        break;
      }
      case 'texts':
        (v as string[]).forEach((s, i) => kids.push([leaf(d.el, s, a[`${field}.${i}`]), `${mp}.${i}`]));
        break;
      case 'bool':
        kids.push([leaf(d.el, v ? 'true' : 'false', a[field]), mp]);
        break;
      case 'amount':
      case 'measure': {
        const m = v as { value: string; currency?: string; unit?: string };
        const unit = d.k === 'amount' ? m.currency : m.unit;
        const at: Attrs | undefined = unit === undefined ? a[field] : { ...(a[field] ?? {}), [d.k === 'amount' ? 'currencyID' : 'unitCode']: unit };
        kids.push([leaf(d.el, m.value, at), mp]);
        break;
      }
      case 'obj':
        kids.push([writeWith(ctx, v as Obj, d.spec(), d.el, path, mp), mp]);
        break;
      case 'list':
        (v as Obj[]).forEach((item, i) =>
          kids.push([writeWith(ctx, item, d.spec(), d.el, path, `${mp}.${i}`, [], i + 1), `${mp}.${i}`]),
        );
        break;
      case 'refs':
        if (!d.many) {
          const [val, at] = tr(field, v as string, a[field]);
          kids.push([{ name: d.el, children: [leaf(d.inner, val, at)] }, mp]);
        } else
          (v as string[]).forEach((id, i) =>
            kids.push([{ name: d.el, children: [leaf(d.inner, id, a[`${field}.${i}`])] }, `${mp}.${i}`]),
          );
        break;
    }
  }
  kids.push(...more);
  (o.extra ?? []).forEach((x, i) => {
    const mp = modelPath ? `${modelPath}.extra.${i}` : `extra.${i}`;
    kids.push([filterExtra(ctx, x, path, mp), mp]);
  });
  const node: XNode = { name };
  if (a['@']) node.attrs = a['@'];
  const children = orderChildren(ctx, name, path, kids);
  if (children.length) node.children = children;
  return node;
}
