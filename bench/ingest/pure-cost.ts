/**
 * bench/ingest/pure-cost: the CPU cost of the pure part of one structured deposit (readStructuredFile — XSD with the
 * schemas compiled once, model, EN 16931 rules — then the Chorus Pro rules on its model), per kind of
 * file: UBL, CII, Factur-X. `--no-xsd` leaves the XSD out, to see its share. The files are those bench:ingest
 * generates (.cache/bench-ingest/*.zip, or a directory of ubl/, cii/, facturx/ files given with --dir).
 *
 *   node --import tsx bench/ingest/pure-cost.ts [-- --dir DIR --seconds 3 --count 40 --no-xsd --once 600]
 *
 * Prints µs of process CPU time (user + system) per file: the mean of each file's best round (the machine is shared).
 * A best round is one without garbage collection: with --once N, N other files are also read once each, one after
 * the other as a flow does, and their mean CPU time printed, garbage collection included (the cost a flow pays).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cachedInvoices } from './cached-invoices.ts';
import { readStructuredFile } from '../../src/invoices/read-structured-file.ts';
import { containerOf } from '../../src/invoices/structured-file.ts';
import { chorusFindings, findArtefactsDir, sharedXsdValidator } from '../../src/validation/index.ts';

const { values: opts } = parseArgs({
  options: { dir: { type: 'string' }, seconds: { type: 'string', default: '3' }, count: { type: 'string', default: '40' }, only: { type: 'string' }, 'no-xsd': { type: 'boolean', default: false }, once: { type: 'string', default: '0' } },
});
const COUNT = Number(opts.count);
const artefacts = findArtefactsDir();
if (!opts['no-xsd'] && !artefacts) throw new Error('XSD schemas not found: set OUVRAGE_EINVOICE_ARTEFACTS or use --no-xsd');
const xsd = opts['no-xsd'] ? null : sharedXsdValidator(artefacts!);

function load(kind: 'ubl' | 'cii' | 'facturx', count = COUNT): Uint8Array[] {
  if (opts.dir) return readdirSync(path.join(opts.dir, kind)).sort().slice(0, count).map((f) => readFileSync(path.join(opts.dir!, kind, f)));
  return cachedInvoices(kind, count).map((f) => f.bytes);
}

const requirements = { serviceCode: false, ej: false, ejOrServiceCode: false, services: [] };

async function pure(bytes: Uint8Array) {
  const file = await readStructuredFile(bytes, containerOf(bytes)!, { xsd });
  if (!file.ok) throw new Error(`${file.code}: ${file.message}`);
  chorusFindings(file.read.invoice, file.document, requirements);
}

const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

for (const kind of ['ubl', 'cii', 'facturx'] as const) {
  if (opts.only && opts.only !== kind) continue;
  const files = load(kind);
  for (const f of files) await pure(f); // warm-up
  // Each file's least CPU time over the rounds: on a shared machine, the round it ran undisturbed.
  const best = files.map(() => Infinity);
  const t0 = performance.now();
  let rounds = 0;
  while (performance.now() - t0 < Number(opts.seconds) * 1000 || rounds < 3) {
    for (let i = 0; i < files.length; i++) {
      const c0 = cpu();
      await pure(files[i]!);
      best[i] = Math.min(best[i]!, cpu() - c0);
    }
    rounds++;
  }
  const kb = files.reduce((s, f) => s + f.byteLength, 0) / files.length / 1024;
  const perFile = best.reduce((a, b) => a + b, 0) / files.length;
  console.log(`${kind.padEnd(8)} ${xsd ? 'with XSD   ' : 'without XSD'} ${files.length} files of ${kb.toFixed(1)} KB: ${Math.round(perFile)} µs CPU per file (each file's best of ${rounds} rounds)`);
  const once = load(kind, COUNT + Number(opts.once)).slice(COUNT);
  if (!once.length) continue;
  const c0 = cpu();
  for (const f of once) await pure(f);
  console.log(`${kind.padEnd(8)} ${once.length} other files, each once: ${Math.round((cpu() - c0) / once.length)} µs CPU per file (garbage collection included)`);
}
