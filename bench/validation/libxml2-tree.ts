/**
 * bench/validation/libxml2-tree: the CPU cost of parsing a structured deposit's XML for its XSD check and its
 * validator's tree, the two ways, alternated in one process on the same files: twice (parseInvoiceTree's parseXml,
 * then the XSD check's libxml2 parse) or once (xsdCheckedTree: libxml2's document read into the tree). Both read
 * the model from the tree after (readInvoiceTree) and run the EN 16931 rules on the tree, as a structured deposit
 * does. The files are those bench:ingest generates (.cache/bench-ingest).
 *
 *   node --import tsx bench/validation/libxml2-tree.ts [--count 40 --rounds 15]
 *
 * Prints, per kind of file, µs of process CPU time per file: the median over the rounds and the spread (min–max), and
 * the median of once / twice over the rounds (each round runs both, one right after the other, in turns first).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import { extractInvoiceFromPdf } from '../../src/formats/index.ts';
import { xsdRefusal } from '../../src/invoices/read-structured-file.ts';
import { findArtefactsDir, parseInvoiceTree, readInvoiceTree, schemaFor, sharedXsdValidator, validateDocument, xsdCheckedTree, type XmlDocument } from '../../src/validation/index.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const { values: opts } = parseArgs({ allowPositionals: true, options: { count: { type: 'string', default: '40' }, rounds: { type: 'string', default: '15' } } });
const xsd = sharedXsdValidator(findArtefactsDir()!);

async function load(kind: string): Promise<Uint8Array[]> {
  const cache = path.join(root, '.cache', 'bench-ingest');
  const zip = readdirSync(cache).find((f) => f.toLowerCase().startsWith(kind) && f.endsWith('.zip'))!;
  const files = unzipSync(readFileSync(path.join(cache, zip)));
  const out: Uint8Array[] = [];
  for (const k of Object.keys(files).sort().slice(0, Number(opts.count))) out.push(kind === 'facturx' ? (await extractInvoiceFromPdf(files[k]!)).xml : files[k]!);
  return out;
}

async function twice(xml: Uint8Array) {
  const parsed = parseInvoiceTree(xml);
  if (await xsdRefusal(xsd, parsed.utf8 ?? parsed.text, parsed.tree)) throw new Error('XSD refused');
  return rules(parsed.tree);
}

async function once(xml: Uint8Array) {
  const tree = await xsdCheckedTree(xsd, xml, schemaFor);
  if (!tree) throw new Error('not read from libxml2');
  return rules(tree);
}

function rules(tree: XmlDocument) {
  readInvoiceTree(tree);
  return validateDocument(tree, ['en16931']).findings.length;
}

const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const kind of ['ubl', 'cii', 'facturx']) {
  const files = await load(kind);
  const ways = { twice, once };
  const times: Record<string, number[]> = { twice: [], once: [] };
  for (const f of files) for (const way of Object.values(ways)) await way(f); // warm-up
  for (let r = 0; r < Number(opts.rounds); r++) {
    for (const [name, way] of r % 2 ? Object.entries(ways).reverse() : Object.entries(ways)) {
      const t = cpu();
      for (const f of files) await way(f);
      times[name]!.push((cpu() - t) / files.length);
    }
  }
  const line = (name: string) => `${name} ${median(times[name]!).toFixed(0)} µs (${Math.min(...times[name]!).toFixed(0)}–${Math.max(...times[name]!).toFixed(0)})`;
  const ratio = median(times.once!.map((t, r) => t / times.twice![r]!));
  console.log(`${kind} (${files.length} files, ${opts.rounds} rounds): ${line('twice')}, ${line('once')}; once / twice ${ratio.toFixed(3)}`);
}
await xsd.dispose();
