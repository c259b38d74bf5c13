import type { RuleFamily } from '../../engine.ts';

/** EN 16931 rules bound to UN/CEFACT CII D16B. */
export const CII_FAMILIES: RuleFamily[] = [];
