import type { Profile } from '../formats/model.ts';
import { Reporter, type Finding, type RuleFamily, type RuleText, type Syntax } from './engine.ts';
import { UBL_CATALOGUE, CII_CATALOGUE } from './en16931/catalogue.ts';
import { frenchMessage } from './en16931/messages-fr.ts';
import { FACTURX_TEXTS } from './facturx/rules.ts';
import { familiesFor, type RuleSetName } from './registry.ts';
import { parseXml, type ParseLimits } from './xml/parse.ts';
import type { XmlDocument } from './xml/tree.ts';

export interface ValidationReport {
  syntax: Syntax | null;
  /** True when no fatal finding was reported. */
  valid: boolean;
  findings: Finding[];
}

const UBL_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const UBL_CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
const CII = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';

export function detectSyntax(doc: XmlDocument): Syntax | null {
  const { ns, local } = doc.root;
  if ((ns === UBL_INVOICE && local === 'Invoice') || (ns === UBL_CREDIT_NOTE && local === 'CreditNote')) return 'ubl';
  if (ns === CII && local === 'CrossIndustryInvoice') return 'cii';
  return null;
}

const textCache = new Map<string, RuleText>();
function ruleText(syntax: Syntax, id: string): RuleText {
  const k = syntax + id;
  let t = textCache.get(k);
  if (!t) {
    const entry = (syntax === 'ubl' ? UBL_CATALOGUE : CII_CATALOGUE)[id];
    if (entry) t = { flag: entry[0], message: entry[1], messageFr: frenchMessage(id, entry[1]) };
    else if (syntax === 'cii' && FACTURX_TEXTS[id]) t = FACTURX_TEXTS[id];
    else throw new Error(`rule ${id} is not in the ${syntax} catalogue`);
    textCache.set(k, t);
  }
  return t;
}

/** What a family may need to know beyond the tree (the Factur-X profile rules depend on the profile). */
export interface ValidationContext {
  profile?: Profile;
}

/**
 * Runs the named tree rule sets on an already parsed document (model rule sets such as `chorus` need the
 * EN 16931 model: run them through `validateInvoiceDocument`).
 */
export function validateDocument(doc: XmlDocument, sets: readonly RuleSetName[] = ['en16931'], ctx: ValidationContext = {}): ValidationReport {
  const syntax = detectSyntax(doc);
  if (!syntax) return { syntax, valid: false, findings: [] };
  const reporter = new Reporter((id) => ruleText(syntax, id));
  const visitors: NonNullable<RuleFamily['visit']>[] = [];
  for (const set of sets) {
    for (const family of familiesFor(set, syntax)) {
      family.run(doc, reporter, ctx);
      if (family.visit) visitors.push(family.visit);
    }
  }
  // One walk of the tree for every family's per-element rules.
  if (visitors.length === 1) {
    const v = visitors[0];
    for (const el of doc.all) v(el, doc, reporter);
  } else if (visitors.length === 2) {
    // EN 16931 alone (its syntax and code-list families): two calls the compiler can see through.
    const [v0, v1] = visitors as [NonNullable<RuleFamily['visit']>, NonNullable<RuleFamily['visit']>];
    for (const el of doc.all) {
      v0(el, doc, reporter);
      v1(el, doc, reporter);
    }
  } else if (visitors.length > 2) {
    for (const el of doc.all) for (const v of visitors) v(el, doc, reporter);
  }
  let findings = reporter.findings;
  if (sets.length > 1) {
    // Sets may share rules (the Factur-X Schematron embeds the EN 16931 BR-* rules): report each once.
    const seen = new Set<string>();
    findings = findings.filter((f) => {
      const k = `${f.rule}\n${f.location}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  return { syntax, valid: !findings.some((f) => f.flag === 'fatal'), findings };
}

/** Parses (safely) and validates an invoice. Throws XmlParseError on hostile or malformed XML. */
export function validateXml(xml: string | Uint8Array, sets: RuleSetName[] = ['en16931'], limits?: ParseLimits): ValidationReport {
  return validateDocument(parseXml(xml, limits), sets);
}
