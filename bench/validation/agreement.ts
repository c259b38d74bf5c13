/**
 * Prints the agreement of our EN 16931 rules with the official verdicts, case by case for the
 * disagreements: node --import tsx bench/validation/agreement.ts [filter]
 */
import { sampleCases, summary, unitCases } from '../../test/validation/agreement-harness.ts';

const filter = process.argv[2];
const results = [...sampleCases(), ...unitCases()];
for (const r of results) if (!r.agrees && (!filter || r.id.includes(filter) || r.detail.includes(filter))) console.log(`${r.id}: ${r.detail}`);
console.log(summary(results));
