import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FACTURX_TEXTS } from '../../src/validation/facturx/rules.ts';
import { validateDocument } from '../../src/validation/validate.ts';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { FIXTURES, loadSample, type CaseResult } from './agreement-harness.ts';

/**
 * Agreement of the `facturx` rule set with the official Factur-X 1.09 Schematron runs of oracle-results.json
 * (sets facturx-MINIMUM, -BASICWL, -BASIC, -EN16931, -EXTENDED): the same set of fired fatal rules and of
 * warnings per sample. The EXTENDED Schematron gives its own checks no id: the official run reports them by
 * their message, so our FX-SCH-A-* findings are compared by message there.
 */

interface OracleResult {
  file: string;
  rules?: Record<string, { fatal: string[]; warning: string[] }>;
}

const diff = (kind: string, expected: string[], actual: string[]) => [
  ...[...new Set(expected)].filter((x) => !actual.includes(x)).map((x) => `missing ${kind} ${x}`),
  ...[...new Set(actual)].filter((x) => !expected.includes(x)).map((x) => `extra ${kind} ${x}`),
];

export function facturxCases(): (CaseResult & { profile: string })[] {
  const oracle = JSON.parse(readFileSync(path.join(FIXTURES, 'oracle-results.json'), 'utf8')) as { results: OracleResult[] };
  const out: (CaseResult & { profile: string })[] = [];
  for (const res of oracle.results) {
    const setName = res.rules && Object.keys(res.rules).find((k) => k.startsWith('facturx-'));
    if (!setName || !res.rules) continue;
    const profile = setName.slice('facturx-'.length);
    const expected = res.rules[setName];
    const xml = loadSample(res.file);
    if (xml === undefined) {
      out.push({ id: res.file, kind: 'sample', profile, agrees: false, detail: 'no XML found in the file' });
      continue;
    }
    const findings = validateDocument(parseXml(xml), ['facturx']).findings;
    const name = (rule: string) => (profile === 'EXTENDED' && (rule.startsWith('FX-SCH-A-') || rule.startsWith('FX-SCH-EXT:')) ? FACTURX_TEXTS[rule].message : rule);
    // The oracle records failed assertions only: the Schematron's "not used" reports (successful-report) are not in it.
    const asserted = findings.filter((f) => !f.rule.startsWith('FX-SCH-NOT-USED:'));
    const fatal = [...new Set(asserted.filter((f) => f.flag === 'fatal').map((f) => name(f.rule)))];
    const warning = [...new Set(asserted.filter((f) => f.flag === 'warning').map((f) => name(f.rule)))];
    const detail = [...diff('fatal', expected.fatal, fatal), ...diff('warning', expected.warning, warning)];
    out.push({ id: res.file, kind: 'sample', profile, agrees: detail.length === 0, detail: detail.join('; ') });
  }
  return out;
}
