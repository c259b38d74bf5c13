import { FormatError } from '../formats/errors.ts';
import { detectProfile } from '../formats/detect.ts';
import type { PdfLimits } from '../formats/facturx/extract.ts';
import type { Invoice, Profile } from '../formats/model.ts';
import { DEFAULT_XML_LIMITS, decodeXml, type XmlLimits } from '../formats/xml/safe-parse.ts';
import type { Finding, Syntax } from './engine.ts';
import { modelFromTree } from './model-from-tree.ts';
import { runModelRules, type RecipientRequirements } from './model-rules.ts';
import { appliesTo, modelRuleSet, type RuleSetName } from './registry.ts';
import { detectSyntax, validateDocument } from './validate.ts';
import { XmlParseError, parseXml } from './xml/parse.ts';
import type { XmlDocument } from './xml/tree.ts';
import { SCHEMA_LABELS, schemaFor, type SchemaKey, type XsdValidator } from './xsd.ts';
import { xsdCheckedTree } from './xsd-checked-tree.ts';
import { xsdErrorFr } from './xsd-messages-fr.ts';

/**
 * The one entry point for a whole invoice document, as a deposit or an ingested flow receives it:
 * bytes of a UBL or CII file or of a Factur-X / ZUGFeRD PDF → syntax, profile, the EN 16931 model and the
 * findings of the selected rule sets (and of the XSD when a validator is given). Pure apart from the XSD
 * check: no database, no clock, no network. Never throws on bad input: a document that cannot be read comes
 * back with `readable: false` and an `error` (stable code, French message).
 */

export interface ValidateInvoiceOptions {
  /** Rule sets to run (default: `DEFAULT_RULE_SETS`, each where it applies). */
  ruleSets?: readonly RuleSetName[];
  /** The recipient's directory parameters, for the `chorus` set (service code, legal commitment). */
  recipientRequirements?: RecipientRequirements;
  /** XSD validation: a loaded validator (each schema compiled once and kept, see xsd.ts). Omitted: no XSD check. */
  xsd?: XsdValidator;
  xmlLimits?: XmlLimits;
  pdfLimits?: PdfLimits;
}

export interface InvoiceValidationResult {
  /** False when the bytes are not a readable invoice (see `error`); everything else is then empty. */
  readable: boolean;
  error?: { code: string; message: string };
  container: 'xml' | 'pdf' | null;
  /** For a PDF: the name of the embedded invoice (factur-x.xml, zugferd-invoice.xml…). */
  attachmentName?: string;
  syntax: Syntax | null;
  /** The profile announced by BT-24 (MINIMUM, BASIC WL, BASIC, EN16931, EXTENDED, EXTENDED-CTC-FR, XRECHNUNG, UNKNOWN). */
  profile: Profile | null;
  /** The invoice read into the EN 16931 model. */
  model: Invoice | null;
  /** The invoice XML (the file itself, or the XML embedded in the PDF). */
  xml: Uint8Array | null;
  /** The rule sets that applied to this document (a set that does not apply to its syntax or profile is skipped). */
  ruleSets: RuleSetName[];
  /** XSD verdict when an XSD validator was given. */
  xsdValid?: boolean;
  /** True when readable and no fatal finding. */
  valid: boolean;
  findings: Finding[];
}

const isPdf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-');

const PARSE_MESSAGES: Record<string, string> = {
  XML_TOO_LARGE: 'Fichier XML trop volumineux.',
  XML_DOCTYPE_FORBIDDEN: 'Déclaration DOCTYPE interdite : une facture ne doit contenir ni DTD ni entité.',
  XML_TOO_DEEP: 'Imbrication XML trop profonde.',
  XML_TOO_MANY_ELEMENTS: "Trop d'éléments XML.",
  XML_ENTITY_FORBIDDEN: 'Entité XML non autorisée.',
  XML_MALFORMED: 'XML mal formé.',
  XML_UNDECLARED_PREFIX: "Préfixe d'espace de noms non déclaré.",
};

function unreadable(code: string, message: string, container: 'xml' | 'pdf' | null = null): InvoiceValidationResult {
  return { readable: false, error: { code, message }, container, syntax: null, profile: null, model: null, xml: null, ruleSets: [], valid: false, findings: [] };
}

export const DEFAULT_RULE_SETS: readonly RuleSetName[] = ['en16931', 'facturx'];

/** Validates an invoice document (UBL, CII or Factur-X PDF) with the selected rule sets, and its XSD when a validator is given. */
export async function validateInvoiceDocument(bytes: Uint8Array, options: ValidateInvoiceOptions = {}): Promise<InvoiceValidationResult> {
  const { result, text, schema } = await checkRules(bytes, options);
  if (options.xsd && schema && text !== undefined) {
    const res = await options.xsd.check({ name: '', xml: text, schema });
    result.xsdValid = res.valid;
    const xsd: Finding[] = res.errors.map((e) => ({
      rule: 'XSD',
      flag: 'fatal',
      location: '/',
      message: e,
      messageFr: `Non conforme au schéma XSD ${SCHEMA_LABELS[schema]} : ${xsdErrorFr(e).message} (message du validateur : ${e})`,
    }));
    if (!res.valid && xsd.length === 0) {
      xsd.push({ rule: 'XSD', flag: 'fatal', location: '/', message: 'fails to validate', messageFr: `Le document n'est pas conforme au schéma XSD (${schema}).` });
    }
    result.findings.unshift(...xsd);
    if (!res.valid) result.valid = false;
  }
  return result;
}

/** Validates several documents, one after the other (each schema is compiled once per validator, see xsd.ts). */
export async function validateInvoiceDocuments(list: readonly Uint8Array[], options: ValidateInvoiceOptions = {}): Promise<InvoiceValidationResult[]> {
  const results: InvoiceValidationResult[] = [];
  for (const bytes of list) results.push(await validateInvoiceDocument(bytes, options));
  return results;
}

interface Checked {
  result: InvoiceValidationResult;
  /** The XML for the XSD check (its UTF-8 bytes, else the decoded text) and its schema. */
  text?: string | Uint8Array;
  schema?: SchemaKey | null;
}

async function checkRules(bytes: Uint8Array, options: ValidateInvoiceOptions): Promise<Checked> {
  const xmlLimits = options.xmlLimits ?? DEFAULT_XML_LIMITS;
  let xml: Uint8Array = bytes;
  let container: 'xml' | 'pdf' = 'xml';
  let attachmentName: string | undefined;
  if (isPdf(bytes)) {
    container = 'pdf';
    try {
      // Loaded on demand: the PDF reader (pdf-lib) is the heaviest module of a cold start.
      const { extractInvoiceFromPdf, DEFAULT_PDF_LIMITS } = await import('../formats/facturx/extract.ts');
      const embedded = await extractInvoiceFromPdf(bytes, options.pdfLimits ?? DEFAULT_PDF_LIMITS);
      xml = embedded.xml;
      attachmentName = embedded.filename;
    } catch (err) {
      if (err instanceof FormatError) return only(unreadable(err.code, err.userMessage ?? err.message, 'pdf'));
      throw err;
    }
  }

  // A valid document is parsed once, by libxml2, for its XSD and its tree (as a structured deposit does); anything
  // else goes the whole way below, for the same refusals and messages.
  const checked = options.xsd ? await xsdCheckedTree(options.xsd, xml, schemaFor, xmlLimits) : null;
  if (checked) {
    const result = validateInvoiceTree(checked, options, container);
    if (result.readable) Object.assign(result, { xml, attachmentName, xsdValid: true });
    return only(result);
  }

  let text: string;
  let utf8: Uint8Array | null;
  try {
    ({ text, utf8 } = decodeXml(xml, xmlLimits));
  } catch (err) {
    if (err instanceof FormatError) return only(unreadable(err.code, err.userMessage ?? err.message, container));
    throw err;
  }
  let doc;
  try {
    doc = parseXml(text, { maxLength: xmlLimits.maxBytes, maxElements: xmlLimits.maxElements });
  } catch (err) {
    if (err instanceof XmlParseError) return only(unreadable(err.code, `${PARSE_MESSAGES[err.code] ?? 'XML illisible.'} (${err.message})`, container));
    throw err;
  }
  const result = validateInvoiceTree(doc, options, container);
  if (!result.readable) return only(result);
  result.xml = xml;
  result.attachmentName = attachmentName;
  return { result, text: utf8 ?? text, schema: schemaFor(doc) };
}

/**
 * The rule sets on an invoice XML already parsed (parseXml): a caller that runs several sets at different
 * moments, as the structured deposit does, parses the file once. `xml` and `attachmentName` are left empty.
 */
export function validateInvoiceTree(
  doc: XmlDocument,
  options: Pick<ValidateInvoiceOptions, 'ruleSets' | 'recipientRequirements'> & { model?: Invoice } = {},
  container: 'xml' | 'pdf' = 'xml',
): InvoiceValidationResult {
  const syntax = detectSyntax(doc);
  if (!syntax) {
    return unreadable('NOT_AN_INVOICE', `Ce document XML n'est pas une facture UBL 2.1 (Invoice, CreditNote) ni CII (CrossIndustryInvoice) : élément racine « ${doc.root.qname} ».`, container);
  }

  // The model from the same tree: one parse for rules and model.
  let model: Invoice;
  try {
    model = options.model ?? modelFromTree(doc);
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    return unreadable(err.code, err.userMessage ?? err.message, container);
  }
  const profile = detectProfile(model.specificationIdentifier);

  const requested = options.ruleSets ?? DEFAULT_RULE_SETS;
  const applied = requested.filter((s) => appliesTo(s, syntax, profile));
  const treeSets = applied.filter((s) => !modelRuleSet(s));
  const findings: Finding[] = treeSets.length ? validateDocument(doc, treeSets, { profile }).findings.slice() : [];
  const ctx = { syntax, root: doc.root.local, recipientRequirements: options.recipientRequirements, doc };
  for (const name of applied) {
    const set = modelRuleSet(name);
    if (set) findings.push(...runModelRules(set, model, ctx));
  }

  return {
    readable: true,
    container,
    syntax,
    profile,
    model,
    xml: null,
    ruleSets: applied,
    valid: !findings.some((f) => f.flag === 'fatal'),
    findings,
  };
}

/** What the model rules need of a parsed document once its tree is let go: its syntax and root element (for locations). */
export interface InvoiceDocument {
  syntax: Syntax;
  root: string;
}

/**
 * The Chorus Pro rules (CPRO-*) on an invoice already read: written on the model alone, they need no tree, so a flow's
 * chunk that holds a hundred read files while it looks their recipients up does not keep a hundred trees alive.
 * Same findings as validateInvoiceTree with ruleSets ['chorus'].
 */
export function chorusFindings(model: Invoice, document: InvoiceDocument, recipientRequirements: RecipientRequirements): Finding[] {
  if (!appliesTo('chorus', document.syntax, detectProfile(model.specificationIdentifier))) return [];
  return runModelRules(modelRuleSet('chorus')!, model, { ...document, recipientRequirements });
}

const only = (result: InvoiceValidationResult): Checked => ({ result });
