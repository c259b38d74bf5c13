import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { XMLFileInfo } from 'xmllint-wasm';
import type { XmlDocument } from './xml/tree.ts';

/**
 * XSD validation of UBL 2.1 (Invoice, CreditNote), CII D16B and the Factur-X 1.09 profiles with
 * libxml2 (xmllint-wasm). The schema files are read once into memory (`XsdValidator.load`) and handed to
 * every call; each call starts one WebAssembly instance and compiles the schema once, so documents are
 * validated in batches: one call per schema for all the documents that use it.
 */

export type SchemaKey =
  | 'ubl-invoice'
  | 'ubl-creditnote'
  | 'cii-d16b'
  | 'facturx-minimum'
  | 'facturx-basicwl'
  | 'facturx-basic'
  | 'facturx-en16931'
  | 'facturx-extended';

/** Where each schema set sits under the artefacts folder, and its main file within the set. */
const SETS: Record<SchemaKey, { dir: string; main: string }> = {
  'ubl-invoice': { dir: 'ubl-2.1-xsd', main: 'maindoc/UBL-Invoice-2.1.xsd' },
  'ubl-creditnote': { dir: 'ubl-2.1-xsd', main: 'maindoc/UBL-CreditNote-2.1.xsd' },
  'cii-d16b': { dir: 'en16931-cen-1.3.16/cii/xsd', main: 'uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd' },
  'facturx-minimum': { dir: 'facturx-1.09/MINIMUM/xsd', main: 'Factur-X_MINIMUM.xsd' },
  'facturx-basicwl': { dir: 'facturx-1.09/BASICWL/xsd', main: 'Factur-X_BASICWL.xsd' },
  'facturx-basic': { dir: 'facturx-1.09/BASIC/xsd', main: 'Factur-X_BASIC.xsd' },
  'facturx-en16931': { dir: 'facturx-1.09/EN16931/xsd', main: 'Factur-X_EN16931.xsd' },
  'facturx-extended': { dir: 'facturx-1.09/EXTENDED/xsd', main: 'Factur-X_EXTENDED.xsd' },
};

const UBL_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const UBL_CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
const CII = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';
const RAM = 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100';

/** The Factur-X profile named by a specification identifier (BT-24), or null for plain CII. */
export function facturxProfile(specId: string): 'MINIMUM' | 'BASICWL' | 'BASIC' | 'EN16931' | 'EXTENDED' | null {
  const s = specId.trim().toLowerCase();
  if (s.includes('minimum')) return 'MINIMUM';
  if (s.includes('basicwl')) return 'BASICWL';
  if (s.includes('basic')) return 'BASIC';
  if (s.includes('extended')) return 'EXTENDED';
  if (s === 'urn:cen.eu:en16931:2017' || s.includes('factur-x.eu:1p0:en16931')) return 'EN16931';
  return null;
}

/** The schema a document is checked against: its root element, and for CII its BT-24. */
export function schemaFor(doc: XmlDocument): SchemaKey | null {
  const { ns, local } = doc.root;
  if (ns === UBL_INVOICE && local === 'Invoice') return 'ubl-invoice';
  if (ns === UBL_CREDIT_NOTE && local === 'CreditNote') return 'ubl-creditnote';
  if (ns !== CII || local !== 'CrossIndustryInvoice') return null;
  let specId = '';
  for (const c of doc.root.children) {
    if (c.local !== 'ExchangedDocumentContext') continue;
    for (const g of c.children) {
      if (g.local !== 'GuidelineSpecifiedDocumentContextParameter' || g.ns !== RAM) continue;
      for (const id of g.children) if (id.local === 'ID' && id.ns === RAM) specId ||= id.text;
    }
  }
  const profile = facturxProfile(specId);
  return profile ? (`facturx-${profile.toLowerCase()}` as SchemaKey) : 'cii-d16b';
}

export interface XsdInput {
  /** The caller's name for the document (echoed back). */
  name: string;
  xml: string;
  schema: SchemaKey;
}

export interface XsdResult {
  name: string;
  schema: SchemaKey;
  valid: boolean;
  /** libxml2 messages for this document ("line 12: element X: …"). */
  errors: string[];
}

function listXsd(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listXsd(full, base));
    else if (e.name.endsWith('.xsd')) out.push(path.relative(base, full));
  }
  return out;
}

export class XsdValidator {
  private constructor(private readonly files: Map<string, XMLFileInfo[]>) {}

  /** Reads every schema file under `artefactsDir` (the fixtures' artefacts folder) once. */
  static load(artefactsDir: string): XsdValidator {
    const byDir = new Map<string, XMLFileInfo[]>();
    for (const { dir } of Object.values(SETS)) {
      if (byDir.has(dir)) continue;
      const root = path.join(artefactsDir, dir);
      byDir.set(
        dir,
        listXsd(root).map((rel) => ({ fileName: `${dir}/${rel}`.split(path.sep).join('/'), contents: readFileSync(path.join(root, rel)) })),
      );
    }
    return new XsdValidator(byDir);
  }

  /** Validates the documents, one xmllint run per schema used. Results come back in input order. */
  async validate(inputs: XsdInput[]): Promise<XsdResult[]> {
    const groups = new Map<SchemaKey, number[]>();
    inputs.forEach((d, i) => {
      const g = groups.get(d.schema);
      if (g) g.push(i);
      else groups.set(d.schema, [i]);
    });
    const results: XsdResult[] = new Array(inputs.length);
    // Loaded on first use: a check without XSD does not pay for the WebAssembly module.
    const { validateXML } = groups.size ? await import('xmllint-wasm') : { validateXML: undefined };
    for (const [schema, indexes] of groups) {
      if (!validateXML) break;
      {
        const set = SETS[schema];
        const preload = this.files.get(set.dir) ?? [];
        const mainName = `${set.dir}/${set.main}`;
        const main = preload.find((f) => f.fileName === mainName);
        if (!main) throw new Error(`schema ${mainName} not loaded`);
        const xml = indexes.map((i) => ({ fileName: `doc_${i}.xml`, contents: inputs[i].xml }));
        const run = await validateXML({
          xml,
          schema: main,
          preload: preload.filter((f) => f !== main),
          maxMemoryPages: 16384,
        });
        const out = run.rawOutput.split('\n');
        for (const i of indexes) {
          const file = `doc_${i}.xml`;
          const failed = out.some((l) => l === `${file} fails to validate` || l.startsWith(`${file}:`));
          const errors = out.filter((l) => l.startsWith(`${file}:`)).map((l) => l.slice(file.length + 1));
          results[i] = { name: inputs[i].name, schema, valid: !failed, errors };
        }
      }
    }
    return results;
  }
}
