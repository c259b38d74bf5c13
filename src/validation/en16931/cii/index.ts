import type { RuleFamily } from '../../engine.ts';
import { ciiCodes } from './codes.ts';
import { ciiCore } from './core.ts';
import { ciiSyntax } from './syntax.ts';
import { ciiVat } from './vat.ts';

/** EN 16931 rules bound to UN/CEFACT CII D16B, in the official pattern order (model, codes, syntax). */
export const CII_FAMILIES: RuleFamily[] = [ciiCore, ciiVat, ciiCodes, ciiSyntax];
