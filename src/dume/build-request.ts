import {
  ALPHA_CRITERION,
  CATALOGUE,
  EO_DATA,
  SIMPLIFIED_CRITERIA,
  catalogueEntry,
  criterionLabelFr,
  criterionTemplate,
  propertiesOf,
  propertyLabelFr,
  type Criterion,
  type CriterionProperty,
  type EspdDocument,
  type Party,
  type XNode,
} from '../formats/espd/index.ts';
import type { NewDocumentIdentity } from './merge.ts';

/** A structure of the platform, as an ESPD party (buyer or economic operator). */
export interface CompanyData {
  name: string;
  identifierType: string;
  identifier: string;
  vatNumber?: string | null;
  addressLine?: string | null;
  postcode?: string | null;
  city?: string | null;
  countryCode?: string | null;
  email?: string | null;
}

/** What the buyer chooses in the wizard (or sends to the API). */
export interface RequestSettings {
  title: string;
  description?: string | null;
  fileReference: string;
  procedureType?: string | null;
  publicationReference?: string | null;
  lots: { id: string; title: string }[];
  /** exclusion grounds asked (taxonomy UUIDs); the EU ones by default */
  exclusionGrounds: string[];
  /** selection criteria asked, with the buyer's requirement values keyed by requirement property id */
  selection: { id: string; requirements?: Record<string, string> }[];
  /** the global α indication instead of the criteria */
  alpha: boolean;
  /** "DUME simplifié": turnover and headcount only */
  simplified: boolean;
}

/** Procedure types (2.1.1 ProcedureType code list) with their French labels. */
export const PROCEDURE_TYPES: readonly { code: string; label: string }[] = [
  { code: 'OPEN', label: 'Procédure ouverte' },
  { code: 'RESTRICTED', label: 'Procédure restreinte' },
  { code: 'COMPETITIVE_DIALOGUE', label: 'Dialogue compétitif' },
  { code: 'COMPETITIVE_NEGOTIATION', label: 'Procédure concurrentielle avec négociation' },
  { code: 'NEGOTIATED_WO_PUB', label: 'Procédure négociée sans publicité préalable' },
  { code: 'INNOVATION', label: 'Partenariat d’innovation' },
  { code: 'OTHER', label: 'Procédure adaptée ou autre' },
];

export const EU_EXCLUSION_GROUNDS = CATALOGUE.filter((c) => c.euExclusion).map((c) => c.id);

/** The party of a structure: SIRET (or other identifier), name, VAT number, address, contact. */
export function partyOf(c: CompanyData): Party {
  const party: Party = {
    identifiers: [c.identifier],
    attrs: { 'identifiers.0': { schemeID: c.identifierType === 'SIRET' ? 'SIRET' : 'NATIONAL', schemeAgencyID: 'EU-COM-GROW' } },
    names: [c.name],
  };
  const address = {
    ...(c.addressLine ? { streetName: c.addressLine } : {}),
    ...(c.city ? { cityName: c.city } : {}),
    ...(c.postcode ? { postalZone: c.postcode } : {}),
    country: c.countryCode || 'FR',
  };
  party.address = address;
  if (c.vatNumber) party.taxIds = [{ id: c.vatNumber, extra: [{ name: 'cac:TaxScheme', children: [{ name: 'cbc:ID', text: 'VAT' }] }] }];
  if (c.email) party.contact = { email: c.email };
  return party;
}

const fail = (field: string, message: string) => ({ field, message });

/** Sets a requirement's expected value from the text the buyer typed, by its data type. */
function setRequirement(p: CriterionProperty, raw: string, lots: Set<string>): string | null {
  const value = raw.trim();
  if (!value) return null;
  const type = (p.valueDataType ?? '').toUpperCase();
  switch (type) {
    case 'AMOUNT': {
      const v = value.replace(/\s/g, '').replace(',', '.');
      if (!/^\d{1,15}(\.\d{1,2})?$/.test(v)) return 'Saisissez un montant en euros, par exemple 250000 ou 250000,50.';
      p.expectedAmount = { value: v, currency: 'EUR' };
      return null;
    }
    case 'QUANTITY':
    case 'QUANTITY_INTEGER':
    case 'QUANTITY_YEAR':
    case 'PERCENTAGE':
    case 'WEIGHT_INDICATOR': {
      const v = value.replace(',', '.');
      if (!/^\d{1,9}(\.\d{1,4})?$/.test(v) || (type !== 'QUANTITY' && type !== 'PERCENTAGE' && !/^\d+$/.test(v))) return 'Saisissez un nombre.';
      p.expectedValueNumeric = v;
      return null;
    }
    case 'LOT_IDENTIFIER':
      if (!lots.has(value)) return `Le lot « ${value} » n’existe pas dans cette procédure.`;
      p.expectedId = value;
      return null;
    case 'CODE':
    case 'CODE_COUNTRY':
    case 'CODE_BOOLEAN':
      p.expectedCode = value;
      return null;
    case 'PERIOD': {
      const m = /^(\d{4}-\d{2}-\d{2})\s*\/\s*(\d{4}-\d{2}-\d{2})$/.exec(value);
      if (!m) return 'Saisissez une période AAAA-MM-JJ/AAAA-MM-JJ.';
      p.applicablePeriods = [{ startDate: m[1], endDate: m[2] }];
      return null;
    }
    default:
      p.expectedDescription = value.slice(0, 2000);
      return null;
  }
}

/** The buyer's requirements of a criterion (what the wizard asks for), in document order. */
export const requirementsOf = (c: Criterion) => [...propertiesOf(c.groups)].filter((p) => p.typeCode?.toUpperCase() === 'REQUIREMENT' && p.id);

/**
 * Builds an ESPD request (ESPD-EDM 2.1.1, Extended, or Basic with α) from the buyer's choices: Part I
 * from the procedure and the buyer's structure, the lots, the exclusion grounds, the selection criteria
 * with their requirement values, and the EO-data criteria of Part II. Throws nothing: returns the
 * problems (field → French message) with the document.
 */
export function buildRequest(s: RequestSettings, buyer: CompanyData, identity: NewDocumentIdentity): { request: EspdDocument; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const lots = new Set(s.lots.map((l) => l.id));
  const criteria: Criterion[] = [];
  for (const id of s.exclusionGrounds) {
    const entry = catalogueEntry(id);
    if (!entry || entry.family !== 'EXCLUSION') {
      problems.exclusionGrounds = `Motif d’exclusion inconnu : ${id}.`;
      continue;
    }
    criteria.push(criterionTemplate(id)!);
  }
  const selection = s.simplified ? SIMPLIFIED_CRITERIA.map((id) => s.selection.find((x) => x.id === id) ?? { id }) : s.selection;
  if (s.alpha && !s.simplified) {
    if (selection.length) problems.selection = 'L’indication globale (α) exclut tout autre critère de sélection : retirez les critères choisis ou l’indication globale.';
    criteria.push(criterionTemplate(ALPHA_CRITERION)!);
  } else {
    for (const choice of selection) {
      const entry = catalogueEntry(choice.id);
      if (!entry || entry.family !== 'SELECTION' || entry.id === ALPHA_CRITERION) {
        problems.selection = `Critère de sélection inconnu : ${choice.id}.`;
        continue;
      }
      const c = criterionTemplate(choice.id)!;
      const requirements = requirementsOf(c);
      for (const [propertyId, raw] of Object.entries(choice.requirements ?? {})) {
        const p = requirements.find((r) => r.id === propertyId);
        const field = `selection.${choice.id}.${propertyId}`;
        if (!p) {
          problems[field] = `Le critère « ${criterionLabelFr(c)} » n’a pas d’exigence ${propertyId}.`;
          continue;
        }
        const problem = setRequirement(p, raw, lots);
        if (problem) problems[field] = `${criterionLabelFr(c)} — ${propertyLabelFr(p)} : ${problem}`;
      }
      criteria.push(c);
    }
  }
  criteria.push(criterionTemplate(EO_DATA.together)!, criterionTemplate(EO_DATA.relies)!, criterionTemplate(EO_DATA.subcontracts)!);
  if (s.lots.length) criteria.push(criterionTemplate(EO_DATA.lotsTendered)!);

  const publication = s.publicationReference?.trim();
  const request: EspdDocument = {
    kind: 'request',
    version: '2.1.1',
    profile: s.alpha && !s.simplified ? 'BASIC' : 'EXTENDED',
    ...(identity.id ? { id: identity.id } : {}),
    copyIndicator: false,
    uuid: identity.uuid,
    issueDate: identity.issueDate,
    ...(identity.issueTime ? { issueTime: identity.issueTime } : {}),
    procedure: {
      fileReference: s.fileReference,
      ...(s.procedureType ? { procedureType: s.procedureType } : {}),
      project: { title: s.title, ...(s.description ? { descriptions: [s.description] } : {}) },
      ...(publication
        ? {
            documents: [
              /^\d{4}\/S\s?\d+/.test(publication)
                ? { id: publication, documentTypeCode: 'TED_CN' }
                : { id: publication, documentType: 'Avis de publication (BOAMP, JOUE ou profil d’acheteur)' },
            ],
          }
        : {}),
    },
    buyers: [{ party: partyOf(buyer) }],
    ...(s.lots.length ? { lots: s.lots.map((l) => ({ id: l.id, ...(l.title ? { extra: [lotTitle(l.title)] } : {}) })) } : {}),
    criteria,
  };
  return { request, problems };
}

const lotTitle = (title: string): XNode => ({ name: 'cac:ProcurementProject', children: [{ name: 'cbc:Name', text: title }] });

/** The title of a lot, kept in the lot's ProcurementProject. */
export const lotTitleOf = (lot: { extra?: XNode[] }) =>
  lot.extra?.find((x) => x.name === 'cac:ProcurementProject')?.children?.find((x) => x.name === 'cbc:Name')?.text;
