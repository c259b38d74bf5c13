import { EspdError } from './errors.ts';
import type { EspdDocument, EspdExportVersion, EspdLoss, EspdVersion } from './model.ts';
import { EXPORT_VERSIONS } from './model.ts';
import { readUbl, writeUbl } from './ubl.ts';
import { readV1 } from './v1.ts';
import { DEFAULT_LIMITS, parseXml, serializeXml, type XNode, type XmlLimits } from './xml.ts';

export * from './model.ts';
export { criterionKey, CRITERION_ID_ALIASES } from './criteria.ts';
export { operatorSummary, type OperatorSummary } from './operator.ts';
export { EspdError, type EspdErrorCode } from './errors.ts';

const OASIS = 'urn:oasis:names:specification:ubl:schema:xsd:QualificationApplication';
const PRE_AWARD = 'urn:X-test:UBL:Pre-award:QualificationApplication';
const V1 = 'urn:grow:names:specification:ubl:schema:xsd:ESPD';

const KNOWN: readonly EspdVersion[] = ['1.0.2', '2.0.2', '2.1.0', '2.1.1', '3.0.0', '3.0.1', '3.1.0', '3.2.0', '3.3.0', '4.0.0', '4.1.0'];

const childText = (root: XNode, name: string) => root.children?.find((c) => c.name === name)?.text?.trim();

/** Which document and which ESPD-EDM version, from the root, its namespace and the version ids. */
export function detectVersion(root: XNode, namespace: string): { kind: 'request' | 'response'; version: EspdVersion } {
  const notEspd = () =>
    new EspdError(
      'ESPD_NOT_ESPD',
      `Ce fichier n’est pas un DUME (ESPD) : élément racine « ${root.name.replace(/^\{.*\}/, '')} »${namespace ? ` dans l’espace de noms « ${namespace} »` : ' sans espace de noms'}.`,
    );
  if (namespace.startsWith(V1)) {
    if (root.name === 'ESPDRequest' && namespace.endsWith('ESPDRequest-1')) return { kind: 'request', version: '1.0.2' };
    if (root.name === 'ESPDResponse' && namespace.endsWith('ESPDResponse-1')) return { kind: 'response', version: '1.0.2' };
    throw notEspd();
  }
  let kind: 'request' | 'response';
  if (root.name === 'QualificationApplicationRequest') kind = 'request';
  else if (root.name === 'QualificationApplicationResponse') kind = 'response';
  else throw notEspd();
  if (namespace === `${PRE_AWARD}${kind === 'request' ? 'Request' : 'Response'}`) return { kind, version: '2.0.2' };
  if (namespace !== `${OASIS}${kind === 'request' ? 'Request' : 'Response'}-2`) throw notEspd();

  const exec = childText(root, 'cbc:ProfileExecutionID');
  const m = exec ? /^ESPD-EDMv(\d+\.\d+\.\d+)/i.exec(exec) : null;
  if (m) {
    const v = m[1];
    if (KNOWN.includes(v as EspdVersion)) return { kind, version: v as EspdVersion };
    if (v.startsWith('2.0.')) return { kind, version: '2.0.2' };
    if (v.startsWith('1.0.')) return { kind, version: '2.1.0' };
    throw new EspdError('ESPD_VERSION_UNSUPPORTED', `La version ESPD-EDM ${v} n’est pas prise en charge (versions lues : 1.0.2 à 4.1.0).`);
  }
  const ubl = childText(root, 'cbc:UBLVersionID');
  const type = childText(root, 'cbc:QualificationApplicationTypeCode')?.toUpperCase();
  if (ubl === '2.2' || (ubl === undefined && type !== undefined)) {
    if (type === 'REGULATED' || type === 'SELFCONTAINED') return { kind, version: '2.1.0' };
    return { kind, version: '2.1.1' };
  }
  if (ubl === '2.3') {
    const vid = childText(root, 'cbc:VersionID');
    if (vid && KNOWN.includes(vid as EspdVersion) && /^[34]\./.test(vid)) return { kind, version: vid as EspdVersion };
    return { kind, version: '3.0.0' };
  }
  if (ubl) {
    throw new EspdError('ESPD_VERSION_UNSUPPORTED', `Ce DUME utilise UBL ${ubl}, qui n’est pas pris en charge (UBL 2.1 à 2.3).`);
  }
  throw new EspdError('ESPD_VERSION_UNKNOWN', 'Impossible de reconnaître la version ESPD-EDM de ce DUME (ni ProfileExecutionID ni UBLVersionID).');
}

export interface ImportOptions {
  limits?: Partial<XmlLimits>;
}

/**
 * Reads an ESPD request or response of any supported version into the model. Throws an `EspdError`
 * (stable code, French message) on anything wrong; never returns a partial document.
 */
export function importEspd(xml: string | Uint8Array, options: ImportOptions = {}): EspdDocument {
  const { root, rootNamespace } = parseXml(xml, { ...DEFAULT_LIMITS, ...options.limits });
  const { kind, version } = detectVersion(root, rootNamespace);
  const doc = version === '1.0.2' ? readV1(root, kind) : readUbl(root, kind, version);
  if (!doc.procedure.fileReference && version !== '1.0.2' && !doc.criteria?.length && !doc.buyers?.length) {
    throw new EspdError('ESPD_CONTENT_INVALID', 'Ce DUME ne contient ni référence de procédure, ni acheteur, ni critère.');
  }
  return doc;
}

export interface ExportResult {
  xml: string;
  /** what the target version cannot express and was left out (empty within the same version) */
  losses: EspdLoss[];
}

/** Writes the model as ESPD-EDM 2.1.1 or 4.1.0 XML. */
export function exportEspd(doc: EspdDocument, version: EspdExportVersion): ExportResult {
  if (!EXPORT_VERSIONS.includes(version)) {
    throw new EspdError('ESPD_EXPORT_UNSUPPORTED', `L’export en version ${String(version)} n’est pas disponible (versions : ${EXPORT_VERSIONS.join(', ')}).`);
  }
  const { root, namespace, losses } = writeUbl(doc, version);
  return { xml: serializeXml(root, namespace), losses };
}

export { parseXml, serializeXml, type XNode } from './xml.ts';
export {
  CATALOGUE,
  ALPHA_CRITERION,
  NATIONAL_EXCLUSION,
  EO_DATA,
  SIMPLIFIED_CRITERIA,
  catalogueEntry,
  criterionTemplate,
  criterionLabelFr,
  propertyLabelFr,
  type CatalogueEntry,
  type CriterionFamily,
} from './catalogue.ts';
export { renderEspdPdf, valueTexts, type PdfOptions } from './pdf.ts';
