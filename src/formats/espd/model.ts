import type { XNode } from './xml.ts';

/**
 * The version-neutral ESPD (DUME) model: every ESPD-EDM version is read into it and written out of it.
 *
 * - Structure, not syntax: a document is a procedure, parties, lots and a criteria tree; answers hang
 *   on the question they answer (v2+ keep them in a flat list pointing at property ids, v1 inline).
 * - Criteria are identified by their taxonomy UUID, which is stable from v1 to v4; codes (2.1.1
 *   `CRITERION.EXCLUSION…`, 4.x `crime-org`) are kept as read and translated on export.
 * - Values are strings as written: amounts are exact decimal strings with their currency, dates ISO.
 * - Lossless: what a version carries and the model does not name stays in `extra` (the XML elements,
 *   canonical prefixes) and the XML attributes of named fields in `attrs` (key: field name, or
 *   `field.index` for repeated fields, `@` for the element itself), so that a round trip is exact.
 */

export type EspdVersion =
  | '1.0.2'
  | '2.0.2'
  | '2.1.0'
  | '2.1.1'
  | '3.0.0'
  | '3.0.1'
  | '3.1.0'
  | '3.2.0'
  | '3.3.0'
  | '4.0.0'
  | '4.1.0';

/** Versions the library writes. */
export type EspdExportVersion = '2.1.1' | '4.1.0';
export const EXPORT_VERSIONS: readonly EspdExportVersion[] = ['2.1.1', '4.1.0'];

export type Attrs = Record<string, string>;

export interface Extensible {
  /** elements of the source the model does not name, in document order */
  extra?: XNode[];
  /** XML attributes of named fields (scheme and list identifiers…) */
  attrs?: Record<string, Attrs>;
}

/** An exact decimal amount: `value` is the decimal string as written, never a float. */
export interface Amount {
  value: string;
  currency?: string;
}

/** A quantity or measure with its unit code. */
export interface Measure {
  value: string;
  unit?: string;
}

export interface Period extends Extensible {
  startDate?: string;
  endDate?: string;
  startTime?: string;
  endTime?: string;
  descriptions?: string[];
}

export interface TaxRegistration extends Extensible {
  /** the VAT number (`cbc:CompanyID`) */
  id?: string;
}

export interface Address extends Extensible {
  streetName?: string;
  additionalStreetName?: string;
  cityName?: string;
  postalZone?: string;
  countrySubentity?: string;
  /** country code as written (ISO 3166 alpha-2 in 2.x, alpha-3 in 4.x) */
  country?: string;
}

export interface Contact extends Extensible {
  name?: string;
  telephone?: string;
  telefax?: string;
  email?: string;
}

export interface Person extends Extensible {
  firstName?: string;
  familyName?: string;
  birthDate?: string;
  birthplaceName?: string;
  jobTitle?: string;
  contact?: Contact;
  residenceAddress?: Address;
}

/** A representative (ESPD Part II-B): a power of attorney given to a person. */
export interface Representative extends Extensible {
  descriptions?: string[];
  agent?: Party;
}

export interface Party extends Extensible {
  websiteUri?: string;
  endpointId?: string;
  /** economic operator size (2.1.1 `MICRO|SMALL|MEDIUM|SME|LARGE`, 4.x `micro|small|medium|sme|large`) */
  size?: string;
  /** identifiers: SIRET, VAT number, LEI… (`attrs['identifiers.i'].schemeID` tells which) */
  identifiers?: string[];
  names?: string[];
  address?: Address;
  /** VAT or other tax registrations (`cac:PartyTaxScheme`) */
  taxIds?: TaxRegistration[];
  contact?: Contact;
  persons?: Person[];
  representatives?: Representative[];
}

export interface Buyer extends Extensible {
  buyerProfileUri?: string;
  party?: Party;
}

/** The role of the operator: sole tenderer, group leader or member, entity relied upon, subcontractor. */
export interface EconomicOperator extends Extensible {
  eoRole?: EconomicOperatorRole;
  party?: Party;
}

export interface EconomicOperatorRole extends Extensible {
  /** 2.1.1 `SC|LE|GM|OERON|OENRON`, 4.x `sole-tenderer|group-lead|group-mem|oeron|subcont` */
  role?: string;
  roleDescriptions?: string[];
}

export interface Lot extends Extensible {
  id: string;
}

export interface Classification extends Extensible {
  code?: string;
}

export interface ProcurementProject extends Extensible {
  title?: string;
  descriptions?: string[];
  /** works, supplies, services, combined */
  procurementType?: string;
  mainClassification?: Classification[];
  additionalClassification?: Classification[];
}

export interface DocumentReference extends Extensible {
  id?: string;
  uuid?: string;
  issueDate?: string;
  documentTypeCode?: string;
  documentType?: string;
  descriptions?: string[];
  attachment?: Attachment;
  issuer?: Party;
}

export interface Attachment extends Extensible {
  externalReference?: ExternalReference;
}

export interface ExternalReference extends Extensible {
  uri?: string;
  fileName?: string;
  descriptions?: string[];
}

export interface Legislation extends Extensible {
  id?: string;
  titles?: string[];
  descriptions?: string[];
  jurisdictionLevels?: string[];
  articles?: string[];
  uris?: string[];
  languages?: Language[];
}

export interface Language extends Extensible {
  localeCode?: string;
}

export interface Evidence extends Extensible {
  id?: string;
  typeCode?: string;
  names?: string[];
  descriptions?: string[];
  candidateStatements?: string[];
  confidentialityLevelCode?: string;
  issuingParty?: Party;
  documentReferences?: DocumentReference[];
}

/** One value of an answer: exactly one of the typed fields is usually set. */
export interface ResponseValue extends Extensible {
  id?: string;
  descriptions?: string[];
  amount?: Amount;
  code?: string;
  date?: string;
  identifier?: string;
  indicator?: boolean;
  measure?: Measure;
  numeric?: string;
  quantity?: Measure;
  time?: string;
  uri?: string;
}

/** An answer to one question (UBL `TenderingCriterionResponse`, v1 `ccv:Response`). */
export interface CriterionResponse extends Extensible {
  id?: string;
  confidentialityLevelCode?: string;
  values?: ResponseValue[];
  periods?: Period[];
  /** ids of `Evidence` of the document */
  evidenceIds?: string[];
  lotIds?: string[];
}

/** A question (to be answered by the operator), a requirement (set by the buyer) or a caption. */
export interface CriterionProperty extends Extensible {
  id?: string;
  name?: string;
  descriptions?: string[];
  /** QUESTION, REQUIREMENT, CAPTION… */
  typeCode?: string;
  /** INDICATOR, DATE, AMOUNT, DESCRIPTION, PERIOD, EVIDENCE_IDENTIFIER… */
  valueDataType?: string;
  valueUnitCode?: string;
  valueCurrencyCode?: string;
  expectedAmount?: Amount;
  expectedId?: string;
  expectedCode?: string;
  expectedValueNumeric?: string;
  expectedDescription?: string;
  /** UBL 2.3 only */
  expectedUri?: string;
  maximumAmount?: Amount;
  minimumAmount?: Amount;
  maximumValueNumeric?: string;
  minimumValueNumeric?: string;
  translationTypeCode?: string;
  certificationLevelDescriptions?: string[];
  copyQualityTypeCode?: string;
  applicablePeriods?: Period[];
  /** the operator's answers to this question, in document order */
  answers?: CriterionResponse[];
}

/** A group of properties; `typeCode` says when it applies: `ON*` always, `ONTRUE`/`ONFALSE` after an indicator. */
export interface PropertyGroup extends Extensible {
  id?: string;
  names?: string[];
  descriptions?: string[];
  typeCode?: string;
  fulfilmentIndicator?: boolean;
  fulfilmentIndicatorTypeCode?: string;
  properties?: CriterionProperty[];
  subGroups?: PropertyGroup[];
}

export interface Criterion extends Extensible {
  /** the stable criterion id (taxonomy UUID, the same from v1 to v4) */
  id?: string;
  typeCode?: string;
  name?: string;
  descriptions?: string[];
  weightNumeric?: string;
  fulfilmentIndicator?: boolean;
  fulfilmentIndicatorTypeCode?: string;
  evaluationMethodTypeCode?: string;
  weightingConsiderationDescriptions?: string[];
  /** lots this criterion applies to (UBL 2.3 only) */
  lotIds?: string[];
  /** national sub-criteria */
  subCriteria?: Criterion[];
  legislation?: Legislation[];
  groups?: PropertyGroup[];
}

export interface EspdDocument extends Extensible {
  kind: 'request' | 'response';
  /** the ESPD-EDM version the document was read from */
  version: EspdVersion;
  /** 2.x `QualificationApplicationTypeCode` as written: REGULATED, SELFCONTAINED, Basic, Extended… */
  profile?: string;
  id?: string;
  uuid?: string;
  copyIndicator?: boolean;
  issueDate?: string;
  issueTime?: string;
  /** version of the content (not the EDM version) */
  versionId?: string;
  previousVersionId?: string;
  notes?: string[];
  weightScoringMethodologyNotes?: string[];
  weightingTypeCode?: string;
  procedure: Procedure;
  buyers?: Buyer[];
  /** the group's name when the operator tenders in a groupement */
  groupName?: string;
  economicOperators?: EconomicOperator[];
  lots?: Lot[];
  criteria?: Criterion[];
  /** answers whose question is not in the document's criteria */
  unattachedResponses?: (CriterionResponse & { propertyId?: string })[];
  evidences?: Evidence[];
}

export interface Procedure extends Extensible {
  /** the buyer's file reference (`ContractFolderID`) */
  fileReference?: string;
  contractNames?: string[];
  /** procedure type code as written (2.1.1 `OPEN`…, 4.x `open`…) */
  procedureType?: string;
  project?: ProcurementProject;
  /** notice references (TED, BOAMP…) and other documents */
  documents?: DocumentReference[];
}

/** Something a target version cannot express, left out of an export. */
export interface EspdLoss {
  /** where, as a path of element names in the exported document */
  path: string;
  /** the element that was dropped */
  element: string;
  /** where it was in the source model (dot path, e.g. `criteria.3.lotIds.0`) */
  modelPath: string;
  /** French explanation */
  message: string;
}

/** Walks every property of a criterion tree (depth first, document order). */
export function* propertiesOf(groups: PropertyGroup[] | undefined): Generator<CriterionProperty> {
  for (const g of groups ?? []) {
    for (const p of g.properties ?? []) yield p;
    yield* propertiesOf(g.subGroups);
  }
}

/** Walks criteria and their national sub-criteria. */
export function* allCriteria(criteria: Criterion[] | undefined): Generator<Criterion> {
  for (const c of criteria ?? []) {
    yield c;
    yield* allCriteria(c.subCriteria);
  }
}
