import type { RuleFamily, Syntax } from './engine.ts';
import { ublCodes } from './en16931/ubl/codes.ts';
import { ublCore } from './en16931/ubl/core.ts';
import { ublSyntax } from './en16931/ubl/syntax.ts';
import { ublVat } from './en16931/ubl/vat.ts';
import { CII_FAMILIES } from './en16931/cii/index.ts';

/**
 * Rule sets selectable by name. `en16931` is the CEN/TC 434 validation (1.3.16) for the syntax of the
 * document; later sets (facturx, br-fr, b2g) register their families here the same way.
 */
export type RuleSetName = 'en16931';

const SETS: Record<RuleSetName, Record<Syntax, RuleFamily[]>> = {
  en16931: {
    ubl: [ublCore, ublVat, ublCodes, ublSyntax],
    cii: CII_FAMILIES,
  },
};

export function ruleSetNames(): RuleSetName[] {
  return Object.keys(SETS) as RuleSetName[];
}

export function familiesFor(set: RuleSetName, syntax: Syntax): RuleFamily[] {
  const s = SETS[set];
  if (!s) throw new Error(`unknown rule set ${set}`);
  return s[syntax];
}
