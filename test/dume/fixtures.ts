import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/** The shared ESPD fixtures, read in place (never copied). */
export const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/espd');
export const fixture = (rel: string) => readFileSync(path.join(FIXTURES, rel), 'utf8');

/** The complete official examples, by version. */
export const FULL_EXAMPLES = {
  '2.1.1': [
    'v2.1.1/xml/BASIC-ESPDRequest-2.1.1.xml',
    'v2.1.1/xml/BASIC-ESPDResponse-2.1.1.xml',
    'v2.1.1/xml/EXTENDED-ESPDRequest-2.1.1.xml',
    'v2.1.1/xml/EXTENDED-ESPDResponse-2.1.1.xml',
  ],
  '4.1.0': ['v4.1.0/xml/ESPD-Request.xml', 'v4.1.0/xml/ESPD-Response.xml'],
  '2.1.0': [
    'v2.1.0/xml/References-SelfContained-Response_V2.1.0.xml',
    'v2.1.0/xml/SC-Abilities-Education-Self-Contained-Request-2.1.0.xml',
    'v2.1.0/xml/SC-Abilities-Staff-Self-Contained-Request-2.1.0.xml',
    'v2.1.0/xml/SC-Abilities-TechnicalFacilities-Self-Contained-Request-2.1.0.xml',
    'v2.1.0/xml/SC-Suitability-Authorisation-Self-Contained-Request-2.1.0.xml',
  ],
} as const;

/** The paths where two values differ (for readable failures of deep comparisons). */
export function differences(a: unknown, b: unknown, at = '', out: string[] = []): string[] {
  if (out.length >= 20 || isDeepStrictEqual(a, b)) return out;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    out.push(`${at || '(racine)'}: ${JSON.stringify(a)?.slice(0, 120)} ≠ ${JSON.stringify(b)?.slice(0, 120)}`);
    return out;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) differences(ra[k], rb[k], `${at}.${k}`, out);
  return out;
}

/** The runtime XSDs of an export version, read once per process and kept in memory. */
const schemaCache = new Map<string, import('../../src/formats/espd/xsd.ts').SchemaFile[]>();
export function schemaSet(version: '2.1.1' | '4.1.0', kind: 'request' | 'response') {
  const dir = version === '2.1.1' ? 'v2.1.1/xsdrt' : 'v4.1.0/xsdrt';
  const ubl = version === '2.1.1' ? '2.2' : '2.3';
  let files = schemaCache.get(dir);
  if (!files) {
    files = ['common', 'maindoc'].flatMap((d) =>
      readdirSync(path.join(FIXTURES, dir, d))
        .filter((f) => f.endsWith('.xsd'))
        .map((f) => ({ fileName: `${d}/${f}`, contents: readFileSync(path.join(FIXTURES, dir, d, f), 'utf8') })),
    );
    schemaCache.set(dir, files);
  }
  const main = `maindoc/UBL-QualificationApplication${kind === 'request' ? 'Request' : 'Response'}-${ubl}.xsd`;
  return { main, files };
}
