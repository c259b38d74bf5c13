import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { validateDocument } from '../../src/validation/validate.ts';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { key, type XmlDocument, type XmlElement } from '../../src/validation/xml/tree.ts';

/**
 * The agreement measure: our EN 16931 rules against the official verdicts.
 *  - every sample of oracle-results.json that the official run checked with en16931-ubl / en16931-cii
 *    must fire exactly the same set of fatal rules and the same set of warnings;
 *  - every CEN unit-test case must fire the rule it expects (<error>, <warning>) and not fire the rule
 *    it says succeeds (<success>).
 */

export const FIXTURES = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'einvoice');

export interface CaseResult {
  /** Stable id: the sample file, or the unit file and test number. */
  id: string;
  kind: 'sample' | 'unit';
  agrees: boolean;
  /** What differs, e.g. "missing fatal BR-CO-15; extra warning UBL-CR-001". */
  detail: string;
}

interface OracleResult {
  file: string;
  syntax: string;
  rules?: Record<string, { fatal: string[]; warning: string[] }>;
}

/** The factur-x.xml (or zugferd XML) embedded in a PDF, found by inflating its streams. Test-only. */
export function xmlFromPdf(pdf: Buffer): string | undefined {
  const text = pdf.toString('latin1');
  let i = 0;
  let best: string | undefined;
  for (;;) {
    const s = text.indexOf('stream', i);
    if (s < 0) break;
    let start = s + 6;
    if (text[start] === '\r') start++;
    if (text[start] === '\n') start++;
    const e = text.indexOf('endstream', start);
    if (e < 0) break;
    i = e + 9;
    const raw = pdf.subarray(start, e);
    let data: Buffer | undefined;
    try {
      data = inflateSync(raw);
    } catch {
      data = raw;
    }
    const str = data.toString('utf8');
    if (str.includes('CrossIndustryInvoice') && str.includes('ExchangedDocument')) {
      const lt = str.indexOf('<');
      best = str.slice(lt);
      break;
    }
  }
  return best;
}

export function loadSample(file: string): string | undefined {
  const full = path.join(FIXTURES, file);
  const buf = readFileSync(full);
  if (file.toLowerCase().endsWith('.pdf')) return xmlFromPdf(buf);
  return buf.toString('utf8');
}

function compareSets(kind: string, expected: string[], actual: string[]): string[] {
  const e = new Set(expected);
  const a = new Set(actual);
  const out: string[] = [];
  for (const x of e) if (!a.has(x)) out.push(`missing ${kind} ${x}`);
  for (const x of a) if (!e.has(x)) out.push(`extra ${kind} ${x}`);
  return out;
}

/** Every invoice file of the fixtures: the oracle's samples, the CEN test files and the akretion Factur-X examples. */
export function fixtureInvoiceFiles(): Set<string> {
  const oracle = JSON.parse(readFileSync(path.join(FIXTURES, 'oracle-results.json'), 'utf8')) as { results: { file: string }[] };
  const files = new Set(oracle.results.map((r) => r.file));
  for (const dir of ['samples/cen-en16931/test/testfiles', 'samples/akretion-factur-x']) {
    for (const f of readdirSync(path.join(FIXTURES, dir))) if (/\.(xml|pdf)$/i.test(f)) files.add(`${dir}/${f}`);
  }
  return files;
}

export function sampleCases(): CaseResult[] {
  const oracle = JSON.parse(readFileSync(path.join(FIXTURES, 'oracle-results.json'), 'utf8')) as { results: OracleResult[] };
  const out: CaseResult[] = [];
  for (const res of oracle.results) {
    const setName = res.rules && Object.keys(res.rules).find((k) => k === 'en16931-ubl' || k === 'en16931-cii');
    if (!setName || !res.rules) continue;
    const expected = res.rules[setName];
    const xml = loadSample(res.file);
    if (xml === undefined) {
      out.push({ id: res.file, kind: 'sample', agrees: false, detail: 'no XML found in the file' });
      continue;
    }
    let detail: string[];
    try {
      const report = validateDocument(parseXml(xml));
      const fatal = [...new Set(report.findings.filter((f) => f.flag === 'fatal').map((f) => f.rule))];
      const warning = [...new Set(report.findings.filter((f) => f.flag === 'warning').map((f) => f.rule))];
      detail = [...compareSets('fatal', expected.fatal, fatal), ...compareSets('warning', expected.warning, warning)];
    } catch (e) {
      detail = [`error ${(e as Error).message}`];
    }
    out.push({ id: res.file, kind: 'sample', agrees: detail.length === 0, detail: detail.join('; ') });
  }
  return out;
}

/** A document made of one element of another (a unit test's invoice fragment). */
export function subDocument(el: XmlElement): XmlDocument {
  const all: XmlElement[] = [];
  const byName = new Map<string, XmlElement[]>();
  const copy = (e: XmlElement, parent: XmlElement | null): XmlElement => {
    const c: XmlElement = { ns: e.ns, local: e.local, qname: e.qname, attrs: e.attrs, children: [], text: e.text, parent, order: all.length };
    all.push(c);
    const k = key(c.ns, c.local);
    const l = byName.get(k);
    if (l) l.push(c);
    else byName.set(k, [c]);
    for (const k2 of e.children) c.children.push(copy(k2, c));
    return c;
  };
  const root = copy(el, null);
  return { root, all, byName };
}

const VEFA = 'http://difi.no/xsd/vefa/validator/1.0';

export function unitCases(): CaseResult[] {
  const base = path.join(FIXTURES, 'samples', 'cen-en16931', 'test');
  const out: CaseResult[] = [];
  for (const dir of ['Invoice-unit-UBL', 'CreditNote-unit-UBL', 'cii']) {
    for (const name of readdirSync(path.join(base, dir)).sort()) {
      if (!name.endsWith('.xml')) continue;
      const file = `${dir}/${name}`;
      const set = parseXml(readFileSync(path.join(base, dir, name), 'utf8'));
      const tests = set.root.children.filter((c) => c.ns === VEFA && c.local === 'test');
      tests.forEach((t, i) => {
        const id = `${file}#${i + 1}`;
        const assert = t.children.find((c) => c.ns === VEFA && c.local === 'assert');
        const invoice = t.children.find((c) => c.ns !== VEFA);
        if (!assert || !invoice) {
          out.push({ id, kind: 'unit', agrees: false, detail: 'malformed test' });
          return;
        }
        const fired = new Set(validateDocument(subDocument(invoice)).findings.map((f) => f.rule));
        const detail: string[] = [];
        for (const a of assert.children) {
          const rule = a.text.trim();
          if (a.local === 'error' || a.local === 'warning') {
            if (!fired.has(rule)) detail.push(`expected ${rule} to fire`);
          } else if (a.local === 'success') {
            if (fired.has(rule)) detail.push(`expected ${rule} to stay silent`);
          }
        }
        out.push({ id, kind: 'unit', agrees: detail.length === 0, detail: detail.join('; ') });
      });
    }
  }
  return out;
}

export function summary(results: CaseResult[]): string {
  const by = (k: 'sample' | 'unit') => {
    const r = results.filter((x) => x.kind === k);
    return `${r.filter((x) => x.agrees).length}/${r.length}`;
  };
  const ok = results.filter((x) => x.agrees).length;
  return `samples ${by('sample')}, unit cases ${by('unit')}, total ${ok}/${results.length}`;
}
