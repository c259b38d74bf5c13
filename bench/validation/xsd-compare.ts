/**
 * The XSD check of this tree against an earlier one (src/formats/xml/xsd-schema.ts at a git revision): the same
 * verdicts and the same messages, character for character, on the fixtures' samples, bench:ingest's files and
 * mutations of them that break the schema (element order, unknown element, bad date, bad decimal, missing
 * element, bad attribute) or change only markup and whitespace (comments, CDATA, processing instructions,
 * carriage returns, blanks around values, xml:space, xsi:nil, byte order mark, character references).
 * Documents are checked as text and as bytes, old and new in turn, the list shuffled on each pass.
 *
 *   node --import tsx bench/validation/xsd-compare.ts [--before main] [--passes 3] [--files 60] [--mutations 8]
 *
 * Exits 1 on any difference (printed).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import { CompiledSchema } from '../../src/formats/xml/xsd-schema.ts';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { findArtefactsDir, schemaFor, schemaSet, type SchemaKey } from '../../src/validation/xsd.ts';
import { FIXTURES, loadSample, xmlFromPdf } from '../../test/validation/agreement-harness.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const { values: opts } = parseArgs({
  options: { before: { type: 'string', default: 'main' }, passes: { type: 'string', default: '3' }, files: { type: 'string', default: '60' }, mutations: { type: 'string', default: '8' } },
});

type Checker = { check(xml: string | Uint8Array): { valid: boolean; errors: string[] } };

async function before(): Promise<{ compile(files: ReturnType<typeof schemaSet>['files'], main: string): Promise<Checker> }> {
  const file = path.join(import.meta.dirname, '.xsd-schema-before.ts');
  writeFileSync(file, execFileSync('git', ['-C', root, 'show', `${opts.before}:src/formats/xml/xsd-schema.ts`]));
  try {
    return (await import(file)).CompiledSchema;
  } finally {
    rmSync(file);
  }
}

/** A small deterministic generator: the same mutations on every run. */
let seed = 20261130;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(a: readonly T[]): T | undefined => a[Math.floor(random() * a.length)];

const LEAF = /<((?:[\w-]+:)?[\w-]+)((?:\s[^<>]*)?)>([^<]*)<\/\1>/g;
const START = /<((?:[\w-]+:)?[\w-]+)((?:\s[^<>]*?)?)(\/?)>/g;

function matches(xml: string, re: RegExp): RegExpExecArray[] {
  return [...xml.matchAll(new RegExp(re.source, 'g'))];
}

function replaceAt(xml: string, at: number, length: number, by: string): string {
  return xml.slice(0, at) + by + xml.slice(at + length);
}

/** One mutation of a document, or undefined when it has nothing to mutate. */
const MUTATIONS: Record<string, (xml: string) => string | undefined> = {
  order(xml) {
    const leaves = matches(xml, LEAF);
    const pairs = leaves.slice(1).map((m, i) => [leaves[i]!, m] as const).filter(([a, b]) => /^\s*$/.test(xml.slice(a.index + a[0].length, b.index)) && a[1] !== b[1]);
    const p = pick(pairs);
    if (!p) return undefined;
    const [a, b] = p;
    return xml.slice(0, a.index) + b[0] + xml.slice(a.index + a[0].length, b.index) + a[0] + xml.slice(b.index + b[0].length);
  },
  unknown(xml) {
    const s = pick(matches(xml, START).slice(1));
    if (!s) return undefined;
    const prefix = s[1]!.includes(':') ? s[1]!.split(':')[0] + ':' : '';
    return replaceAt(xml, s.index, 0, pick([`<${prefix}Unknown>1</${prefix}Unknown>`, `<${prefix}Unknown/>`, '<Unknown>x</Unknown>'])!);
  },
  date(xml) {
    const m = pick(matches(xml, LEAF).filter((l) => /^\s*(\d{4}-\d{2}-\d{2}|\d{8})\s*$/.test(l[3]!)));
    if (!m) return undefined;
    const bad = pick(/-/.test(m[3]!) ? ['2026-02-30', '2026-13-01', '27/11/2026', '2026-1-5', '', '2026-11-27T10:00:00'] : ['20261345', '2026-11-27', '2026112', 'x'])!;
    return replaceAt(xml, m.index, m[0].length, `<${m[1]}${m[2]}>${bad}</${m[1]}>`);
  },
  decimal(xml) {
    const m = pick(matches(xml, LEAF).filter((l) => /^\s*-?\d+\.\d+\s*$/.test(l[3]!)));
    if (!m) return undefined;
    const bad = pick(['12,50', '1e3', 'abc', '', '12.345.6', '--1', 'NaN', '1 000.00'])!;
    return replaceAt(xml, m.index, m[0].length, `<${m[1]}${m[2]}>${bad}</${m[1]}>`);
  },
  missing(xml) {
    const m = pick(matches(xml, LEAF));
    return m && replaceAt(xml, m.index, m[0].length, '');
  },
  attribute(xml) {
    const withAttr = matches(xml, LEAF).filter((l) => /\w+="/.test(l[2]!));
    const m = random() < 0.5 ? pick(withAttr) : undefined;
    if (m) {
      const attrs = m[2]!.replace(/\s[\w:]+="[^"]*"/, pick(['', ' currencyID="EURO"', ' schemeID=""', ' unitCode="€"', ' format="999"'])!);
      return replaceAt(xml, m.index, m[0].length, `<${m[1]}${attrs}>${m[3]}</${m[1]}>`);
    }
    const s = pick(matches(xml, START).slice(1));
    return s && replaceAt(xml, s.index + 1 + s[1]!.length, 0, pick([' bogus="x"', ' xml:lang="fr"', ' cbc:x="1"', ' a="1" a="2"'])!);
  },
  comment(xml) {
    const s = pick(matches(xml, START).slice(1));
    const l = pick(matches(xml, LEAF));
    if (!s || !l) return undefined;
    return random() < 0.5 ? replaceAt(xml, s.index, 0, '<!-- c -->') : replaceAt(xml, l.index + l[0].length - l[1]!.length - 3, 0, pick(['<!-- c -->', '  <!-- c -->  ', '<!---->'])!);
  },
  cdata(xml) {
    const l = pick(matches(xml, LEAF).filter((m) => m[3]));
    return l && replaceAt(xml, l.index, l[0].length, `<${l[1]}${l[2]}>${pick([`<![CDATA[${l[3]}]]>`, `<![CDATA[${l[3]}]]>  `, `  <![CDATA[${l[3]}]]>`])}</${l[1]}>`);
  },
  pi(xml) {
    const s = pick(matches(xml, START).slice(1));
    return s && replaceAt(xml, s.index, 0, pick(['<?pi x?>', '  <?pi?>\n  '])!);
  },
  crlf: (xml) => xml.replace(/\n/g, pick(['\r\n', '\r'])!),
  blanks(xml) {
    const l = pick(matches(xml, LEAF));
    return l && replaceAt(xml, l.index, l[0].length, `<${l[1]}${l[2]}>${pick([` ${l[3]} `, `\n  ${l[3]}\n`, '   ', `\t${l[3]}`])}</${l[1]}>`);
  },
  childInLeaf(xml) {
    const l = pick(matches(xml, LEAF));
    return l && replaceAt(xml, l.index, l[0].length, `<${l[1]}${l[2]}>${pick([`  <${l[1]}>1</${l[1]}>  ${l[3]}`, `\n  <x/>\n`, `<x/>  `, `  <x/>`])}</${l[1]}>`);
  },
  preserve(xml) {
    const s = pick(matches(xml, START));
    return s && replaceAt(xml, s.index + 1 + s[1]!.length, 0, ' xml:space="preserve"');
  },
  nil(xml) {
    const s = pick(matches(xml, START).slice(1));
    return s && replaceAt(xml, s.index + 1 + s[1]!.length, 0, ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"');
  },
  bom: (xml) => '\ufeff' + xml,
  charRef(xml) {
    const s = pick(matches(xml, START).slice(1));
    return s && replaceAt(xml, s.index, 0, pick(['&#32;', '&#10;  ', '&#x20;', '&amp;', '&#13;'])!);
  },
  compact: (xml) => xml.replace(/>\s+</g, '><'),
  malformed(xml) {
    const l = pick(matches(xml, LEAF));
    return l && replaceAt(xml, l.index, l[0].length, pick([`<${l[1]}>${l[3]}</${l[1]}x>`, `<${l[1]}>${l[3]}`, `<${l[1]}>a & b</${l[1]}>`])!);
  },
};

function mutants(xml: string, count: number): string[] {
  const kinds = Object.keys(MUTATIONS);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let m: string | undefined = xml;
    for (let n = 1 + Math.floor(random() * (i % 3 === 2 ? 3 : 1)); n > 0 && m; n--) m = MUTATIONS[pick(kinds)!]!(m);
    if (m && m !== xml) out.push(m);
  }
  return out;
}

const HOSTILE = [
  '', 'not xml', '<a>', '<?xml version="1.0"?>', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', '<a>&undefined;</a>',
  '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>', '\ufeff<?xml version="1.0"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">\n</Invoice>',
  '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">\r\n  <x/>\r\n</Invoice>', '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>é</a>',
];

async function main() {
  const artefacts = findArtefactsDir();
  if (!artefacts) throw new Error('XSD schemas not found');
  const Old = await before();
  const schemas = new Map<SchemaKey, { old: Checker; new: Checker }>();
  const schema = async (key: SchemaKey) => {
    let s = schemas.get(key);
    if (!s) {
      const { files, main } = schemaSet(artefacts, key);
      schemas.set(key, (s = { old: await Old.compile(files, main), new: await CompiledSchema.compile(files, main) }));
    }
    return s;
  };

  const originals: { name: string; xml: string; schema: SchemaKey }[] = [];
  const oracle = JSON.parse(readFileSync(path.join(FIXTURES, 'oracle-results.json'), 'utf8')) as { results: { file: string }[] };
  for (const r of oracle.results) {
    const xml = loadSample(r.file);
    const key = xml ? schemaFor(parseXml(xml)) : null;
    if (xml && key) originals.push({ name: r.file, xml, schema: key });
  }
  const cache = path.join(root, '.cache', 'bench-ingest');
  for (const zip of readdirSync(cache).filter((f) => /^(UBL|CII|FACTURX)-.*\.zip$/.test(f))) {
    const files = unzipSync(readFileSync(path.join(cache, zip)));
    for (const k of Object.keys(files).sort().slice(0, Number(opts.files))) {
      const bytes = Buffer.from(files[k]!);
      const xml = bytes.subarray(0, 4).toString() === '%PDF' ? xmlFromPdf(bytes) : bytes.toString('utf8');
      if (!xml) throw new Error(`${zip}/${k}: no XML`);
      originals.push({ name: `${zip}/${k}`, xml, schema: schemaFor(parseXml(xml))! });
    }
  }
  const docs = [...originals];
  for (const o of originals) for (const [i, m] of mutants(o.xml, Number(opts.mutations)).entries()) docs.push({ name: `${o.name}#${i}`, xml: m, schema: o.schema });
  for (const key of ['ubl-invoice', 'cii-d16b'] as const) for (const [i, xml] of HOSTILE.entries()) docs.push({ name: `hostile ${i} ${key}`, xml, schema: key });

  let checks = 0;
  let invalid = 0;
  const differences: string[] = [];
  for (let pass = 0; pass < Number(opts.passes); pass++) {
    const order = docs.map((d) => [random(), d] as const).sort((a, b) => a[0] - b[0]).map(([, d]) => d);
    for (const d of order) {
      const s = await schema(d.schema);
      for (const input of [d.xml, Buffer.from(d.xml, 'utf8')]) {
        const [a, b] = pass % 2 ? [s.new.check(input), s.old.check(input)].reverse() : [s.old.check(input), s.new.check(input)];
        checks++;
        if (!a.valid) invalid++;
        if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${d.name} (${typeof input === 'string' ? 'text' : 'bytes'}):\n  before ${JSON.stringify(a).slice(0, 400)}\n  now    ${JSON.stringify(b).slice(0, 400)}`);
      }
    }
  }
  console.log(`${checks} checks (${docs.length} documents: ${originals.length} originals, ${docs.length - originals.length} mutated or hostile; ${invalid} invalid), ${differences.length} differences`);
  for (const d of differences.slice(0, 20)) console.log(d);
  process.exitCode = differences.length ? 1 : 0;
}

await main();
