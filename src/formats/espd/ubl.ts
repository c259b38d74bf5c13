import type {
  Attrs,
  Criterion,
  CriterionProperty,
  CriterionResponse,
  EspdDocument,
  EspdExportVersion,
  EspdLoss,
  EspdVersion,
  Procedure,
  PropertyGroup,
} from './model.ts';
import { ROOT, RESPONSE, readWith, writeWith, type WriteContext } from './spec.ts';
import { UBL22, UBL23 } from './generated/ubl-order.ts';
import { CRITERION_CODE_PAIRS, UUID_TO_V4 } from './criteria.ts';
import type { XNode } from './xml.ts';

/** Reader and writer of the UBL-based versions: 2.0.x (pre-award), 2.1.x, 3.x, 4.x. */

const PROCEDURE_FIELDS = ['fileReference', 'contractNames', 'procedureType', 'project', 'documents'] as const;

type Loose = Record<string, unknown> & { attrs?: Record<string, Attrs>; extra?: XNode[] };

export function readUbl(root: XNode, kind: 'request' | 'response', version: EspdVersion): EspdDocument {
  const o = readWith(root, ROOT) as Loose;
  const procedure: Procedure = {};
  for (const f of PROCEDURE_FIELDS) {
    if (o[f] !== undefined) (procedure as Loose)[f] = o[f];
    delete o[f];
    for (const key of Object.keys(o.attrs ?? {})) {
      if (key === f || key.startsWith(`${f}.`)) {
        (procedure.attrs ??= {})[key] = o.attrs![key];
        delete o.attrs![key];
      }
    }
  }
  if (o.attrs && !Object.keys(o.attrs).length) delete o.attrs;
  // version identification is not data: it is rewritten from the target version
  if (o.extra) {
    o.extra = o.extra.filter((x) => !VERSION_ELEMENTS.includes(x.name));
    if (!o.extra.length) delete o.extra;
  }
  const responses = (o.responses as (CriterionResponse & { propertyId?: string })[] | undefined) ?? [];
  delete o.responses;
  const doc = { kind, version, ...o, procedure } as EspdDocument;
  attachResponses(doc, responses);
  return doc;
}

const VERSION_ELEMENTS = ['cbc:UBLVersionID', 'cbc:CustomizationID', 'cbc:ProfileID', 'cbc:ProfileExecutionID'];

/** Hangs each answer on the question it validates; the others stay in `unattachedResponses`. */
export function attachResponses(doc: EspdDocument, responses: (CriterionResponse & { propertyId?: string })[]) {
  // a repeated group repeats its property ids: answers go to the occurrences in order
  const byId = new Map<string, CriterionProperty[]>();
  const index = (criteria: Criterion[] | undefined) => {
    for (const c of criteria ?? []) {
      const walk = (groups: PropertyGroup[] | undefined) => {
        for (const g of groups ?? []) {
          for (const p of g.properties ?? []) {
            if (p.id === undefined) continue;
            const list = byId.get(p.id);
            if (list) list.push(p);
            else byId.set(p.id, [p]);
          }
          walk(g.subGroups);
        }
      };
      walk(c.groups);
      index(c.subCriteria);
    }
  };
  index(doc.criteria);
  const used = new Map<string, number>();
  for (const r of responses) {
    const candidates = r.propertyId === undefined ? undefined : byId.get(r.propertyId);
    // one answer per occurrence, in order, the rest on the last one: stable through export (tree order)
    let p: CriterionProperty | undefined;
    if (candidates) {
      const n = used.get(r.propertyId!) ?? 0;
      used.set(r.propertyId!, n + 1);
      p = candidates[Math.min(n, candidates.length - 1)];
    }
    if (p) {
      const { propertyId: _dropped, ...answer } = r;
      (p.answers ??= []).push(answer);
    } else (doc.unattachedResponses ??= []).push(r);
  }
}

// ---- codes that differ between 2.x and 4.x -------------------------------------------------------

const pairs = (rows: readonly (readonly [string | null, string | null])[]) => {
  const to4 = new Map<string, string>();
  const to2 = new Map<string, string>();
  for (const [a, b] of rows) if (a && b && !to4.has(a) && !to2.has(b)) { to4.set(a, b); to2.set(b, a); }
  return { to4, to2 };
};
const CRITERION_MAP = pairs(CRITERION_CODE_PAIRS);
const CRITERION_ID_MAP = pairs([...UUID_TO_V4]);
const ROLE_MAP = pairs([['SC', 'sole-tenderer'], ['LE', 'group-lead'], ['GM', 'group-mem'], ['OERON', 'oeron'], ['OENRON', 'subcont']]);
const SIZE_MAP = pairs([['MICRO', 'micro'], ['SMALL', 'small'], ['MEDIUM', 'medium'], ['SME', 'sme'], ['LARGE', 'large']]);
const PROCEDURE_MAP = pairs([
  ['OPEN', 'open'],
  ['RESTRICTED', 'restricted'],
  ['COMP_DIALOGUE', 'comp-dial'],
  ['INNOVATION', 'innovation'],
  ['COMP_NEGOTIATION', 'neg-w-call'],
  ['NEGOTIATED_WO_CALL', 'neg-wo-call'],
]);

/** Standard list attributes of each translated code list, per target family. */
const LIST_ATTRS: Record<string, { v2: Attrs; v4: Attrs }> = {
  criterion: {
    v2: { listID: 'CriteriaTypeCode', listAgencyID: 'EU-COM-GROW', listVersionID: '2.1.1' },
    v4: { listID: 'http://publications.europa.eu/resource/authority/criterion', listAgencyID: 'OP', listVersionID: '20240612-0' },
  },
  role: {
    v2: { listID: 'EORoleType', listAgencyID: 'EU-COM-GROW', listVersionID: '2.1.1' },
    v4: { listID: 'http://publications.europa.eu/resource/authority/eo-role-type', listAgencyID: 'OP', listVersionID: '20211208-0' },
  },
  size: {
    v2: { listID: 'EOIndustryClassificationCode', listAgencyID: 'EU-COM-GROW', listVersionID: '2.1.1' },
    v4: { listID: 'http://publications.europa.eu/resource/authority/economic-operator-size', listAgencyID: 'OP', listVersionID: '20250924-0' },
  },
  procedure: {
    v2: { listID: 'ProcedureType', listAgencyID: 'EU-COM-OP', listVersionID: '1.0' },
    v4: { listID: 'http://publications.europa.eu/resource/authority/procurement-procedure-type', listAgencyID: 'OP', listVersionID: '20250924-0' },
  },
};

const familyOf = (v: EspdVersion) => (v.startsWith('1.') ? 1 : v.startsWith('2.') ? 2 : 4);

function codeTranslator(from: EspdVersion, to: EspdExportVersion): WriteContext['translate'] {
  const f = familyOf(from);
  const t = familyOf(to);
  if (f === t) return undefined;
  const dir = t === 4 ? 'to4' : 'to2';
  const tables: Record<string, [string, { to4: Map<string, string>; to2: Map<string, string> }]> = {
    'cac:TenderingCriterion/typeCode': ['criterion', CRITERION_MAP],
    'cac:SubTenderingCriterion/typeCode': ['criterion', CRITERION_MAP],
    'cac:EconomicOperatorRole/role': ['role', ROLE_MAP],
    'cac:Party/size': ['size', SIZE_MAP],
    'QualificationApplicationRequest/procedureType': ['procedure', PROCEDURE_MAP],
    'QualificationApplicationResponse/procedureType': ['procedure', PROCEDURE_MAP],
  };
  return (element, field, value, attrs) => {
    // EO-data criteria are named by path ids in 4.x: the id changes, its attributes stay
    if (field === 'id' && (element === 'cac:TenderingCriterion' || element === 'cac:SubTenderingCriterion')) {
      return [CRITERION_ID_MAP[dir].get(value) ?? value, attrs];
    }
    const hit = tables[`${element}/${field}`];
    if (!hit) return [value, attrs];
    const mapped = hit[1][dir].get(value);
    if (mapped === undefined) return [value, attrs];
    return [mapped, LIST_ATTRS[hit[0]][t === 4 ? 'v4' : 'v2']];
  };
}

// ---- writing ---------------------------------------------------------------------------------------

export const ROOT_NAMESPACE = {
  request: 'urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationRequest-2',
  response: 'urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationResponse-2',
};

const leaf = (name: string, text: string, attrs?: Attrs): XNode => (attrs ? { name, attrs, text } : { name, text });

function versionHeader(doc: EspdDocument, target: EspdExportVersion): XNode[] {
  if (target === '2.1.1') {
    const basic = /^(basic|regulated)$/i.test(doc.profile ?? '');
    return [
      leaf('cbc:UBLVersionID', '2.2', { schemeAgencyID: 'OASIS-UBL-TC' }),
      leaf(
        'cbc:CustomizationID',
        `urn:www.cenbii.eu:transaction:${doc.kind === 'request' ? 'biitrdm070' : 'biitrdm092'}:ver3.0`,
        { schemeAgencyID: 'CEN-BII', schemeVersionID: '3.0' },
      ),
      leaf('cbc:ProfileID', '4.1', { schemeAgencyID: 'CEN-BII', schemeVersionID: '2.0' }),
      leaf('cbc:ProfileExecutionID', `ESPD-EDMv2.1.1-${basic ? 'BASIC' : 'EXTENDED'}`, {
        schemeAgencyID: 'EU-COM-GROW',
        schemeVersionID: '2.1.1',
      }),
    ];
  }
  return [
    leaf('cbc:UBLVersionID', '2.3', { schemeAgencyID: 'OASIS-UBL-TC' }),
    leaf('cbc:ProfileExecutionID', 'ESPD-EDMv4.1.0', { schemeAgencyID: 'OP', schemeVersionID: '4.1.0' }),
  ];
}

/** Writes a document as a UBL tree of the target version; returns what the target could not hold. */
export function writeUbl(doc: EspdDocument, target: EspdExportVersion): { root: XNode; namespace: string; losses: EspdLoss[] } {
  const ctx: WriteContext = { order: target === '2.1.1' ? UBL22 : UBL23, losses: [], translate: codeTranslator(doc.version, target) };
  const name = doc.kind === 'request' ? 'QualificationApplicationRequest' : 'QualificationApplicationResponse';
  const { kind: _k, version: _v, procedure, unattachedResponses, ...rest } = doc;
  const flat: Loose = { ...rest };
  const attrs: Record<string, Attrs> = { ...(doc.attrs ?? {}) };
  for (const f of PROCEDURE_FIELDS) if (procedure[f] !== undefined) flat[f] = procedure[f];
  for (const [k, v] of Object.entries(procedure.attrs ?? {})) attrs[k] = v;
  flat.attrs = attrs;
  const more: [XNode, string][] = versionHeader(doc, target).map((x) => [x, '']);
  if (doc.kind === 'response' || unattachedResponses?.length) {
    const path = `/${name}`;
    let position = 0;
    const writeAnswer = (r: CriterionResponse, propertyId: string | undefined, mp: string) => {
      const withId = { ...r, propertyId } as Loose;
      more.push([writeWith(ctx, withId, RESPONSE, 'cac:TenderingCriterionResponse', path, mp, [], ++position), mp]);
    };
    const walkGroups = (groups: PropertyGroup[] | undefined, mp: string) =>
      groups?.forEach((g, gi) => {
        g.properties?.forEach((p, pi) =>
          p.answers?.forEach((r, ri) => writeAnswer(r, p.id, `${mp}.${gi}.properties.${pi}.answers.${ri}`)),
        );
        walkGroups(g.subGroups, `${mp}.${gi}.subGroups`);
      });
    const walk = (criteria: Criterion[] | undefined, mp: string) =>
      criteria?.forEach((c, i) => {
        walkGroups(c.groups, `${mp}.${i}.groups`);
        walk(c.subCriteria, `${mp}.${i}.subCriteria`);
      });
    walk(doc.criteria, 'criteria');
    unattachedResponses?.forEach((r, i) => writeAnswer(r, r.propertyId, `unattachedResponses.${i}`));
  }
  const root = writeWith(ctx, flat, ROOT, name, '', '', more);
  // the model path of a response's own fields is relative to the response: make it absolute
  return { root, namespace: ROOT_NAMESPACE[doc.kind], losses: ctx.losses };
}
