import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CompiledSchema, type ParsedDocument, type SchemaFile } from '../formats/xml/xsd-schema.ts';
import type { XmlDocument } from './xml/tree.ts';

/**
 * XSD validation of UBL 2.1 (Invoice, CreditNote), CII D16B and the Factur-X 1.09 profiles with libxml2
 * (libxml2-wasm, see formats/xml/xsd-schema.ts). Each schema is compiled once, on its first use, and kept
 * by the validator: a document then costs its parse and validation only, so documents are checked one by one.
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

/** The schemas' names, as a person reads them in a message. */
export const SCHEMA_LABELS: Record<SchemaKey, string> = {
  'ubl-invoice': 'UBL 2.1 Invoice',
  'ubl-creditnote': 'UBL 2.1 CreditNote',
  'cii-d16b': 'CII D16B',
  'facturx-minimum': 'Factur-X 1.09 MINIMUM',
  'facturx-basicwl': 'Factur-X 1.09 BASIC WL',
  'facturx-basic': 'Factur-X 1.09 BASIC',
  'facturx-en16931': 'Factur-X 1.09 EN 16931',
  'facturx-extended': 'Factur-X 1.09 EXTENDED',
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
  /** The document's text, or its bytes when they are UTF-8 (read as UTF-8 whatever its XML declaration says). */
  xml: string | Uint8Array;
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

/** The files of a schema's set under an artefacts folder, and its main file within the set. */
export function schemaSet(artefactsDir: string, key: SchemaKey): { files: SchemaFile[]; main: string } {
  const { dir, main } = SETS[key];
  const root = path.join(artefactsDir, dir);
  return { files: listXsd(root).map((rel) => ({ fileName: rel.split(path.sep).join('/'), contents: readFileSync(path.join(root, rel)) })), main };
}

export class XsdValidator {
  private readonly compiled = new Map<SchemaKey, Promise<CompiledSchema>>();

  private constructor(private readonly artefactsDir: string) {}

  /** A validator for the schemas under `artefactsDir` (the fixtures' artefacts folder); each is compiled on first use. */
  static load(artefactsDir: string): XsdValidator {
    return new XsdValidator(artefactsDir);
  }

  private schema(key: SchemaKey): Promise<CompiledSchema> {
    let compiled = this.compiled.get(key);
    if (!compiled) {
      const { files, main } = schemaSet(this.artefactsDir, key);
      compiled = CompiledSchema.compile(files, main);
      compiled.catch(() => this.compiled.delete(key));
      this.compiled.set(key, compiled);
    }
    return compiled;
  }

  /** Validates one document against its schema. */
  async check(input: XsdInput): Promise<XsdResult> {
    const { valid, errors } = (await this.schema(input.schema)).check(input.xml);
    return { name: input.name, schema: input.schema, valid, errors };
  }

  /**
   * Validates a document libxml2 has already parsed (withParsedDocument), against a schema compiled on its first use.
   * Only its verdict counts: a caller with an invalid document checks it again with `check` for the messages.
   */
  async checkParsed(doc: ParsedDocument, schema: SchemaKey): Promise<boolean> {
    return (await this.schema(schema)).checkDocument(doc).valid;
  }

  /** Validates the documents; results come back in input order. */
  async validate(inputs: readonly XsdInput[]): Promise<XsdResult[]> {
    const results: XsdResult[] = [];
    for (const input of inputs) results.push(await this.check(input));
    return results;
  }

  /** Frees the compiled schemas (WebAssembly memory); the validator compiles them again if used after. */
  async dispose(): Promise<void> {
    const compiled = [...this.compiled.values()];
    this.compiled.clear();
    for (const c of await Promise.allSettled(compiled)) if (c.status === 'fulfilled') c.value.dispose();
  }
}

/**
 * The artefacts folder holding the schemas: `explicit` when given (the configuration's EINVOICE_ARTEFACTS, the CLI's
 * --xsd-dir), else OUVRAGE_EINVOICE_ARTEFACTS, else the fixtures beside the repository (../shared/fixtures/einvoice/
 * artefacts). Undefined when none holds the UBL schemas.
 */
export function findArtefactsDir(explicit?: string): string | undefined {
  const candidates = explicit ? [explicit] : [
    process.env.OUVRAGE_EINVOICE_ARTEFACTS,
    path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'einvoice', 'artefacts'),
  ];
  return candidates.find((d): d is string => !!d && existsSync(path.join(d, SETS['ubl-invoice'].dir)));
}

const shared = new Map<string, XsdValidator>();

/**
 * The validator of the process for an artefacts folder: every deposit of a process (HTTP server, worker, both, or
 * several applications in one test process) shares its compiled schemas, which live in WebAssembly memory until
 * the process ends. Never disposed: a deposit must not pay a schema's compilation (≈ 1 s for UBL Invoice) again.
 */
export function sharedXsdValidator(artefactsDir: string): XsdValidator {
  const dir = path.resolve(artefactsDir);
  let v = shared.get(dir);
  if (!v) shared.set(dir, (v = XsdValidator.load(dir)));
  return v;
}
