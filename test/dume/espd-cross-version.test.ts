import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportEspd, importEspd, type EspdDocument, type EspdExportVersion } from '../../src/formats/espd/index.ts';
import { FULL_EXAMPLES, differences, fixture } from './fixtures.ts';

type Any = Record<string, unknown>;

/** Deletes what a loss points at (`criteria.3.lotIds.0`), with the attributes that went with it. */
function removeAt(root: unknown, modelPath: string) {
  const parts = modelPath.split('.');
  const last = parts.pop()!;
  let node = root as Any;
  let owner: Any | undefined;
  let field = '';
  for (const p of parts) {
    owner = node;
    field = p;
    node = node[p] as Any;
  }
  if (Array.isArray(node)) {
    const i = Number(last);
    node.splice(i, 1);
    const attrs = owner?.attrs as Record<string, unknown> | undefined;
    if (attrs) {
      delete attrs[`${field}.${i}`];
      for (let j = i + 1; attrs[`${field}.${j}`] !== undefined || j <= node.length; j++) {
        if (attrs[`${field}.${j}`] !== undefined) attrs[`${field}.${j - 1}`] = attrs[`${field}.${j}`];
        delete attrs[`${field}.${j}`];
      }
    }
  } else {
    delete node[last];
    if (node.attrs) delete (node.attrs as Any)[last];
  }
}

/** Sorts loss paths so that deleting one never shifts another (deepest and last first). */
const byPathDesc = (a: string, b: string) => {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    const na = Number(pa[i]);
    const nb = Number(pb[i]);
    return Number.isNaN(na) || Number.isNaN(nb) ? pb[i].localeCompare(pa[i]) : nb - na;
  }
  return pb.length - pa.length;
};

/** Translated code lists get the target's list attributes: compare their values, not their attributes. */
const TRANSLATED = new Set(['typeCode', 'role', 'size', 'procedureType']);
function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.length ? value.map((v) => normalise(v)) : undefined;
  if (value && typeof value === 'object') {
    const out: Any = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'version' && key === '') continue;
      if (k === 'attrs') {
        const attrs = Object.fromEntries(Object.entries(v as Any).filter(([f]) => !TRANSLATED.has(f)));
        if (Object.keys(attrs).length) out.attrs = attrs;
        continue;
      }
      const n = normalise(v, k);
      if (n !== undefined && !(typeof n === 'object' && n && !Array.isArray(n) && !Object.keys(n).length)) out[k] = n;
    }
    return out;
  }
  return value;
}

const cases: [string, EspdExportVersion, EspdExportVersion][] = [
  ...FULL_EXAMPLES['2.1.1'].map((f) => [f, '2.1.1', '4.1.0'] as [string, EspdExportVersion, EspdExportVersion]),
  ...FULL_EXAMPLES['4.1.0'].map((f) => [f, '4.1.0', '2.1.1'] as [string, EspdExportVersion, EspdExportVersion]),
];

for (const [file, source, target] of cases) {
  test(`${file}: ${source} → ${target} → ${source} loses exactly what the export reported`, () => {
    const original = importEspd(fixture(file));
    const there = exportEspd(original, target);
    const converted = importEspd(there.xml);
    assert.equal(converted.version, target);
    const back = exportEspd(converted, source);
    assert.deepEqual(back.losses, [], 'what the target held, the source version holds too');
    const again = importEspd(back.xml);

    const expected = structuredClone(original) as EspdDocument;
    for (const p of there.losses.map((l) => l.modelPath).sort(byPathDesc)) removeAt(expected, p);
    assert.deepEqual(differences(normalise(again), normalise(expected)), []);
    assert.deepEqual(normalise(again), normalise(expected));

    if (target === '4.1.0') assert.deepEqual(there.losses, [], '4.1.0 can express everything of 2.1.1');
    else {
      assert.ok(there.losses.length > 0);
      // 2.1.1 (UBL 2.2) has no per-criterion lots nor ExpectedURI
      assert.deepEqual([...new Set(there.losses.map((l) => l.element))].sort(), ['cac:ProcurementProjectLotReference', 'cbc:ExpectedURI']);
      for (const l of there.losses) assert.match(l.message, /n’existe pas dans la version cible/);
    }
  });
}

test('codes are translated between 2.1.1 and 4.1.0 (criterion, role, size)', () => {
  const v2 = importEspd(fixture('v2.1.1/xml/EXTENDED-ESPDResponse-2.1.1.xml'));
  const v4 = importEspd(exportEspd(v2, '4.1.0').xml);
  const crime = v4.criteria!.find((c) => c.id === '005eb9ed-1347-4ca3-bb29-9bc0db64e1ab')!;
  assert.equal(crime.typeCode, 'crime-org');
  assert.equal(v4.economicOperators![0].eoRole!.role, 'group-mem');
  assert.equal(v4.economicOperators![0].party!.size, 'sme');
});
