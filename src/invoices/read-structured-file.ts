import { extractInvoiceFromPdf, FormatError, type ReadResult } from '../formats/index.ts';
import {
  appliesWithoutLines, parseInvoiceTree, readInvoiceTree, schemaFor, SCHEMA_LABELS, validateDocument, xsdCheckedTree, type Finding, type InvoiceDocument, type RuleSetName, type SchemaKey, type XmlDocument, type XsdValidator,
} from '../validation/index.ts';
import { embeddedPdf, invoiceDataOf, issueOfFinding, xsdIssues, type Container, type DepositIssue, type StructuredInvoiceData } from './structured-file.ts';
import { mapped } from '../shared/mapped.ts';

/** Stable codes of a structured file refused for its content alone (before any database look-up). */
export type StructuredFileErrorCode =
  | 'XML_MALFORMED' | 'XML_DOCTYPE_FORBIDDEN' | 'XML_TOO_DEEP' | 'XML_TOO_MANY_ELEMENTS' | 'XML_ENCODING_UNSUPPORTED' | 'INPUT_TOO_LARGE'
  | 'NOT_AN_INVOICE' | 'INVOICE_INCOMPLETE' | 'PDF_MALFORMED' | 'PDF_ENCRYPTED' | 'PDF_NO_INVOICE' | 'PDF_SEVERAL_INVOICES'
  | 'XSD_INVALID' | 'PROFILE_NOT_ACCEPTED' | 'EN16931_INVALID' | 'INVOICE_DATA_INVALID' | 'MIXED_PDF_MISSING';

/** A structured file read and checked: its XML, the EN 16931 model, the tree the rules run on, the invoice's data. */
export interface StructuredFile {
  ok: true;
  /** The invoice XML: the file itself or the XML embedded in the Factur-X PDF. */
  xml: Uint8Array;
  read: ReadResult;
  /** Its syntax and root element, for the rules still to run on the model (the Chorus Pro ones, once the recipient is known). */
  document: InvoiceDocument;
  /** EN 16931 warnings (fatal findings refuse the file). */
  warnings: DepositIssue[];
  data: StructuredInvoiceData;
  /** A mixed (E2) flow's XML: the invoice's PDF carried inside it (BG-24). */
  invoicePdf: { bytes: Buffer; filename: string } | null;
}

export type StructuredFileResult = StructuredFile | { ok: false; code: StructuredFileErrorCode; message: string; errors: DepositIssue[] };

/** Chorus Pro checks the header synthesis of every invoice (chorus-pro.md §5): TTC = HT + TVA, due = TTC − prepaid + rounding. */
const HEADER_SUMS = new Set(['BR-CO-15', 'BR-CO-16']);

/**
 * The rule sets for the file, and which of their findings count. A header-only Factur-X profile gets its own
 * Schematron (`facturx`), as the official run does, plus the header sums Chorus Pro checks (the MINIMUM
 * Schematron has none); any other file without lines in a mixed flow gets EN 16931 without the rules about lines
 * (appliesWithoutLines); every other file, EN 16931 whole.
 */
function rulesFor(read: ReadResult, mixed: boolean): Array<{ set: RuleSetName; keep: (rule: string) => boolean }> {
  if (!mixed || read.invoice.lines.length) return [{ set: 'en16931', keep: () => true }];
  if (read.profile === 'MINIMUM' || read.profile === 'BASIC WL') return [{ set: 'facturx', keep: () => true }, { set: 'en16931', keep: (rule) => HEADER_SUMS.has(rule) }];
  return [{ set: 'en16931', keep: appliesWithoutLines }];
}

/** The findings of the file under its rules, each rule reported once per place. */
function findingsOf(doc: XmlDocument, read: ReadResult, mixed: boolean): Finding[] {
  const seen = new Set<string>();
  return rulesFor(read, mixed).flatMap(({ set, keep }) => validateDocument(doc, [set]).findings.filter((f) => keep(f.rule))).filter((f) => {
    const key = `${f.rule}\n${f.location}`;
    return !seen.has(key) && !!seen.add(key);
  });
}

/**
 * The schema a file is checked against: as the official tools choose (schemaFor), except for a mixed (E2) flow's
 * CII, a Chorus Pro "CII D16B minimal" file checked against CII D16B whatever profile it announces: the Factur-X
 * MINIMUM and BASIC WL schemas have no room for the invoice's PDF (BG-24) that such a file must carry.
 */
function schemaOf(tree: XmlDocument, mixed: boolean): SchemaKey | null {
  const schema = schemaFor(tree);
  return mixed && schema?.startsWith('facturx-') ? 'cii-d16b' : schema;
}

/**
 * The XSD check of an invoice XML already parsed (parseInvoiceTree), given its text or its UTF-8 bytes (the `utf8` of
 * parseInvoiceTree: no second encoding of the text): null when it is valid (or not an invoice the
 * schemas know: the model's reading refuses it then), else the refusal XSD_INVALID with one issue per libxml2 error.
 * The document libxml2 parses for it is freed at once (CompiledSchema.check).
 */
export async function xsdRefusal(xsd: XsdValidator, xml: string | Uint8Array, tree: XmlDocument, mixed = false): Promise<Extract<StructuredFileResult, { ok: false }> | null> {
  const schema = schemaOf(tree, mixed);
  if (!schema) return null;
  const { valid, errors } = await xsd.check({ name: '', xml, schema });
  if (valid) return null;
  const { count, first, issues } = xsdIssues(schema, errors.length ? errors : ['fails to validate'], { mixed });
  if (!count) return null;
  const message = `Le fichier n'est pas conforme au schéma XSD ${SCHEMA_LABELS[schema]} : ${count > 1 ? `${count} erreurs, dont ` : ''}${first[0]!.toLowerCase()}${first.slice(1)}`;
  return { ok: false, code: 'XSD_INVALID', message, errors: issues };
}

const refused = (code: StructuredFileErrorCode, message: string, errors: DepositIssue[] = []): StructuredFileResult => ({
  ok: false, code, message, errors: errors.length ? errors : [{ code, field: 'file', message }],
});

export interface ReadStructuredFileOptions {
  /** A mixed (E2) flow's file: header-only XML allowed (see rulesFor), the invoice's PDF inside it. */
  mixed?: boolean;
  /**
   * The process's XSD validator (sharedXsdValidator: schemas compiled once per process). Null or omitted: no XSD
   * check (a platform started without the schemas, see docs/operations.md).
   */
  xsd?: XsdValidator | null;
}

/**
 * The pure part of a structured deposit, for one file whose container is known (containerOf): the XML (from the
 * Factur-X PDF when it is one), its XSD (UBL by root element, CII by Factur-X profile or D16B, as the official
 * tools choose), the EN 16931 model, the EN 16931 rules, the invoice's data. No database, no clock; the XSD
 * validator compiles a schema from the artefacts folder on its first use only.
 * Content problems come back as `{ ok: false, code, message, errors }` (stable code, French message), never thrown.
 * As the official validation does, the XSD runs first: a file that fails it is refused with its schema errors
 * alone (the model and the rules are not read from a document the schema refuses).
 */
export async function readStructuredFile(bytes: Uint8Array, container: Container, options: ReadStructuredFileOptions = {}): Promise<StructuredFileResult> {
  const mixed = !!options.mixed;
  let xml: Uint8Array;
  let read: ReadResult;
  let tree: XmlDocument;
  try {
    xml = container === 'FACTURX' ? (await extractInvoiceFromPdf(bytes)).xml : bytes;
    // One parse: the tree for the XSD choice and the rules (the EN 16931 ones here, the Chorus Pro ones later), and the model read from it.
    // libxml2's document when it is valid (xsdCheckedTree), else parseInvoiceTree's tree and its refusals, then the XSD's.
    const checked = options.xsd ? await xsdCheckedTree(options.xsd, xml, (t) => schemaOf(t, mixed)) : null;
    if (checked) tree = checked;
    else {
      const parsed = parseInvoiceTree(xml);
      tree = parsed.tree;
      const xsd = options.xsd ? await xsdRefusal(options.xsd, parsed.utf8 ?? parsed.text, tree, mixed) : null;
      if (xsd) return xsd;
    }
    read = readInvoiceTree(tree);
  } catch (err) {
    if (err instanceof FormatError) return refused(err.code as StructuredFileErrorCode, err.userMessage);
    throw err;
  }
  if (!mixed && (read.profile === 'MINIMUM' || read.profile === 'BASIC WL'))
    return refused('PROFILE_NOT_ACCEPTED', `Le profil Factur-X ${read.profile} ne porte pas les lignes de la facture : déposez un profil BASIC, EN 16931 ou EXTENDED.`);
  const pdf = mixed && container === 'XML' ? embeddedPdf(read.invoice) : null;
  if (pdf && !pdf.ok) return refused('MIXED_PDF_MISSING', pdf.issue.message, [pdf.issue]);
  const findings = findingsOf(tree, read, mixed);
  const fatal = mapped(findings.filter((f) => f.flag === 'fatal'), issueOfFinding);
  const warnings = mapped(findings.filter((f) => f.flag !== 'fatal'), issueOfFinding);
  if (fatal.length)
    return refused('EN16931_INVALID', `Le fichier ne respecte pas la norme EN 16931 : ${fatal.length} règle${fatal.length > 1 ? 's' : ''} en échec.`, fatal);
  const { data, issues } = invoiceDataOf(read.invoice);
  if (issues.length) return refused('INVOICE_DATA_INVALID', issues[0].message, issues);
  // The tree is not kept: the rules still to run read the model only (a flow holds a chunk of read files).
  return { ok: true, xml, read, document: { syntax: read.syntax === 'UBL' ? 'ubl' : 'cii', root: tree.root.local }, warnings, data, invoicePdf: pdf?.ok ? { bytes: pdf.bytes, filename: pdf.filename } : null };
}
