import type { Profile } from '../formats/model.ts';
import type { RuleFamily, Syntax } from './engine.ts';
import { ublCodes } from './en16931/ubl/codes.ts';
import { ublCore } from './en16931/ubl/core.ts';
import { ublSyntax } from './en16931/ubl/syntax.ts';
import { ublVat } from './en16931/ubl/vat.ts';
import { CII_FAMILIES } from './en16931/cii/index.ts';
import { brFrRules } from './br-fr/rules.ts';
import { chorusRules } from './chorus/rules.ts';
import { facturxBusinessRules, facturxProfileRules } from './facturx/rules.ts';
import type { ModelRuleSet } from './model-rules.ts';

/**
 * Rule sets selectable by name.
 *  - `en16931`: the CEN/TC 434 validation (1.3.16) bound to the syntax of the document (tree rules);
 *  - `facturx`: the Factur-X 1.09 profile rules (CII with a Factur-X BT-24: MINIMUM, BASIC WL, BASIC, EN 16931,
 *    EXTENDED), facturx/rules.ts;
 *  - `br-fr`: the French rules of the reform (FNFE XP Z12-012 1.4.0), model rules, br-fr/rules.ts;
 *  - `chorus`: the checks Chorus Pro applies before a deposit (model rules, chorus/rules.ts).
 * Tree sets are families of rules on the parsed XML (`familiesFor`); model sets run on the EN 16931 model
 * (`modelRuleSet`) and only through `validateInvoiceDocument`, which reads the model.
 */
export type RuleSetName = 'en16931' | 'facturx' | 'br-fr' | 'chorus';

const TREE_SETS: Partial<Record<RuleSetName, Record<Syntax, RuleFamily[]>>> = {
  en16931: {
    ubl: [ublCore, ublVat, ublCodes, ublSyntax],
    cii: CII_FAMILIES,
  },
  facturx: {
    ubl: [],
    cii: [facturxBusinessRules, facturxProfileRules],
  },
};

const MODEL_SETS: Partial<Record<RuleSetName, ModelRuleSet>> = {
  'br-fr': brFrRules,
  chorus: chorusRules,
};

const ALL: RuleSetName[] = ['en16931', 'facturx', 'br-fr', 'chorus'];

export function ruleSetNames(): RuleSetName[] {
  return ALL.slice();
}

export function isRuleSetName(name: string): name is RuleSetName {
  return (ALL as string[]).includes(name);
}

/** The families of a tree rule set for a syntax (empty for a model rule set). */
export function familiesFor(set: RuleSetName, syntax: Syntax): RuleFamily[] {
  if (!isRuleSetName(set)) throw new Error(`unknown rule set ${set}`);
  return TREE_SETS[set]?.[syntax] ?? [];
}

/** The model rule set of that name, or undefined for a tree rule set. */
export function modelRuleSet(set: RuleSetName): ModelRuleSet | undefined {
  return MODEL_SETS[set];
}

/**
 * The rule ids a set can report on a syntax: the declared ids of its tree families, or the ids of its model set
 * (written once for both syntaxes). `test/validation/catalogue-coverage.test.ts` compares them with rules-catalogue.json.
 */
export function ruleIdsOf(set: RuleSetName, syntax: Syntax): string[] {
  const model = modelRuleSet(set);
  if (model) return Object.keys(model.texts);
  return [...new Set(familiesFor(set, syntax).flatMap((f) => f.ids))];
}

/**
 * Whether a set applies to a document. EN 16931 is not applied to the Factur-X profiles that are not EN 16931
 * invoices (CII MINIMUM, BASIC WL carry no lines) nor to CII EXTENDED (conformant, not compliant: it carries
 * elements the core forbids); the official run does the same (a UBL EXTENDED-CTC-FR invoice gets EN 16931).
 */
const FACTURX_PROFILES = new Set<Profile>(['MINIMUM', 'BASIC WL', 'BASIC', 'EN16931', 'EXTENDED', 'EXTENDED-CTC-FR']);
const FACTURX_BEYOND_CORE = new Set<Profile>(['MINIMUM', 'BASIC WL', 'EXTENDED', 'EXTENDED-CTC-FR']);

export function appliesTo(set: RuleSetName, syntax: Syntax, profile: Profile): boolean {
  switch (set) {
    case 'en16931':
      return syntax === 'ubl' || !FACTURX_BEYOND_CORE.has(profile);
    case 'facturx':
      return syntax === 'cii' && FACTURX_PROFILES.has(profile);
    default:
      return true;
  }
}
