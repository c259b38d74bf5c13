import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Reporter, type Syntax } from '../../src/validation/engine.ts';
import { familiesFor, ruleIdsOf, type RuleSetName } from '../../src/validation/registry.ts';
import { FACTURX_TEXTS } from '../../src/validation/facturx/rules.ts';
import { EVERY_PROFILE_VALUE_IDS, structureIdsOf } from '../../src/validation/facturx/structure.ts';
import { detectSyntax } from '../../src/validation/validate.ts';
import { parseXml } from '../../src/validation/xml/parse.ts';
import type { XmlDocument, XmlElement } from '../../src/validation/xml/tree.ts';
import { FIXTURES, loadSample, subDocument } from './agreement-harness.ts';

/**
 * rules-catalogue.json against our registry: every rule id of the official sets en16931-ubl, en16931-cii,
 * facturx-en16931, br-fr-ubl and br-fr-cii is one that our rule set can report on that syntax, except the
 * exclusions below, each with its reason (and each really missing, so that the list cannot go stale).
 *
 * An id counts as covered when the set declares it (`ruleIdsOf`: table-driven families, model sets) or when one
 * of the set's families is seen checking it on the fixtures (every sample of oracle-results.json and every CEN
 * unit-test fragment): most EN 16931 rules are plain `r.check(id, test, node)` calls, evaluated on every
 * document that has their context.
 */

interface CatalogueEntry {
  set: string;
  id: string;
  flag: string | null;
  message: string;
}
const catalogue = JSON.parse(readFileSync(path.join(FIXTURES, 'rules-catalogue.json'), 'utf8')) as CatalogueEntry[];

/** Ids our code deliberately does not report, per official set, and why (docs/validation.md). */
const EXCLUDED: Record<string, Record<string, string>> = {
  'en16931-ubl': {},
  'en16931-cii': {
    'CII-DT-010': 'context /rsm:…/ram:ExchangedDocument/ram:TypeCode is first matched by the general //ram:TypeCode context: never evaluated upstream',
    'CII-DT-011': 'same first-matching-context shadowing as CII-DT-010',
    'CII-DT-012': 'same first-matching-context shadowing as CII-DT-010',
  },
  'facturx-en16931': {
    'CII-SR-464': 'Factur-X 1.09 test is `A or B or (not A and not B)`: always true, it cannot fire',
    'CII-SR-465': 'same test as the CEN 1.3.16 CII-SR-465, which the en16931 set reports (as a warning) on every Factur-X EN 16931 document; one id cannot carry two flags',
    'CII-SR-466': 'same as CII-SR-465 (buyer contact)',
  },
  'br-fr-ubl': {},
  'br-fr-cii': {},
};

const FACTURX_PROFILES = ['MINIMUM', 'BASIC WL', 'BASIC', 'EN16931', 'EXTENDED'] as const;

/** A reporter that notes every rule id a family checks, passing or failing. */
class Recorder extends Reporter {
  readonly seen = new Set<string>();
  constructor() {
    super(() => ({ flag: 'fatal', message: '', messageFr: '' }));
  }
  override check(id: string, ok: boolean, node: XmlElement): void {
    this.seen.add(id);
    super.check(id, ok, node);
  }
  override fail(id: string, node: XmlElement, attribute?: string): void {
    this.seen.add(id);
    super.fail(id, node, attribute);
  }
}

function* fixtureDocuments(): Generator<XmlDocument> {
  const oracle = JSON.parse(readFileSync(path.join(FIXTURES, 'oracle-results.json'), 'utf8')) as { results: { file: string }[] };
  for (const { file } of oracle.results) {
    const xml = loadSample(file);
    if (xml !== undefined) yield parseXml(xml);
  }
  const base = path.join(FIXTURES, 'samples', 'cen-en16931', 'test');
  for (const dir of ['Invoice-unit-UBL', 'CreditNote-unit-UBL', 'cii']) {
    for (const name of readdirSync(path.join(base, dir)).filter((n) => n.endsWith('.xml'))) {
      const set = parseXml(readFileSync(path.join(base, dir, name), 'utf8'));
      for (const t of set.root.children.filter((c) => c.local === 'test')) {
        const invoice = t.children.find((c) => c.local === 'Invoice' || c.local === 'CreditNote' || c.local === 'CrossIndustryInvoice');
        if (invoice) yield subDocument(invoice);
      }
    }
  }
}

/** The ids each tree set's families check on the fixtures, per syntax. */
const checked = (() => {
  const out = new Map<string, Set<string>>();
  for (const doc of fixtureDocuments()) {
    const syntax = detectSyntax(doc);
    if (!syntax) continue;
    for (const set of ['en16931', 'facturx'] as const) {
      const r = new Recorder();
      for (const f of familiesFor(set, syntax)) {
        f.run(doc, r);
        if (f.visit) for (const el of doc.all) f.visit(el, doc, r);
      }
      const k = `${set} ${syntax}`;
      const s = out.get(k) ?? new Set<string>();
      for (const id of r.seen) s.add(id);
      out.set(k, s);
    }
  }
  return out;
})();

/** BR-FR: our ids are the rule numbers; the official ones split a rule per field (BR-FR-05_BT-22_PMT…). */
const RELABELLED: Record<string, string> = {
  // UBL binding ids whose assertion is another rule (its message names it).
  'BR-FR-08_BT-151-2': 'BR-FR-15',
  'BR-FR-30_BT-21': 'BR-FR-31',
  'BR-FR-MV-BD_BT-3': 'BR-FR-BD-13',
};
const brFrRule = (id: string) => RELABELLED[id] ?? id.match(/^BR-FR-(?:(?:CO|DEC|MV|BD)-)?\d+/)?.[0] ?? id;

const OFFICIAL: [official: string, set: RuleSetName, syntax: Syntax, ours: (id: string) => string][] = [
  ['en16931-ubl', 'en16931', 'ubl', (id) => id],
  ['en16931-cii', 'en16931', 'cii', (id) => id],
  ['facturx-en16931', 'facturx', 'cii', (id) => id],
  ['br-fr-ubl', 'br-fr', 'ubl', brFrRule],
  ['br-fr-cii', 'br-fr', 'cii', brFrRule],
];

for (const [official, set, syntax, ours] of OFFICIAL) {
  test(`every rule id of ${official} in rules-catalogue.json is reported by our ${set} set on ${syntax.toUpperCase()}, but the documented exclusions`, () => {
    const covered = new Set([...ruleIdsOf(set, syntax), ...(checked.get(`${set} ${syntax}`) ?? [])]);
    const ids = [...new Set(catalogue.filter((e) => e.set === official && e.id).map((e) => e.id))];
    assert.ok(ids.length > 100, `${official}: ${ids.length} ids`);
    const missing = ids.filter((id) => !covered.has(ours(id))).sort();
    assert.deepEqual(missing, Object.keys(EXCLUDED[official]).sort());
  });
}

test('every Factur-X EN 16931 structural check the catalogue lists by message only is produced by our facturx set', () => {
  // What our set reports on an EN 16931 profile document: the checks every profile shares (some of which the
  // EXTENDED table makes with its own lists), and the EN 16931 table.
  // The catalogue writes single spaces where the Schematron's variant messages have two ("and  not(").
  const text = (m: string) => m.replace(/\s+/g, ' ').trim();
  const tabled = new Set(FACTURX_PROFILES.flatMap(structureIdsOf).filter((id) => !EVERY_PROFILE_VALUE_IDS.has(id)));
  const en16931 = new Set(structureIdsOf('EN16931'));
  const ours = new Set(Object.entries(FACTURX_TEXTS).filter(([id]) => !tabled.has(id) || en16931.has(id)).map(([, t]) => text(t.message)));
  const messages = [...new Set(catalogue.filter((e) => e.set === 'facturx-en16931' && !e.id).map((e) => text(e.message)))];
  assert.ok(messages.length > 100);
  assert.deepEqual(messages.filter((m) => !ours.has(m)).sort(), []);
});

test('our br-fr set reports no rule number the official BR-FR files do not have', () => {
  for (const syntax of ['ubl', 'cii'] as const) {
    const official = new Set(catalogue.filter((e) => e.set === `br-fr-${syntax}`).map((e) => brFrRule(e.id)));
    assert.deepEqual(ruleIdsOf('br-fr', syntax).filter((id) => !official.has(id)), [], syntax);
  }
});

test('the ids our tree sets declare are official ones (no rule reported under an id the catalogue lacks)', () => {
  for (const [official, set, syntax] of OFFICIAL.filter(([, s]) => s !== 'br-fr')) {
    const ids = new Set(catalogue.filter((e) => e.set === official).map((e) => e.id));
    const extra = ruleIdsOf(set, syntax).filter((id) => !ids.has(id) && !(set === 'facturx' && (id.startsWith('FX-SCH-') || FACTURX_TEXTS[id])));
    assert.deepEqual(extra, [], official);
  }
});
