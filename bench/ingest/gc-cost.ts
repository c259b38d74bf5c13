/**
 * bench/ingest/gc-cost: the garbage collector's work while a worker reads a flow's files by chunks of 100 (each
 * chunk's read files kept until the chunk is done, as integrateFlow does), with Node's flags as given: e.g.
 *
 *   node --import tsx bench/ingest/gc-cost.ts
 *   node --max-semi-space-size=64 --import tsx bench/ingest/gc-cost.ts
 *
 * Prints the CPU per file and the scavenges and mark-compacts of the main thread (count and time) over 30 chunks,
 * after 20 chunks of warm-up. The files are those bench:ingest generates (.cache/bench-ingest/*.zip).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { unzipSync } from 'fflate';
import { readStructuredFile } from '../../src/invoices/read-structured-file.ts';
import { containerOf } from '../../src/invoices/structured-file.ts';
import { findArtefactsDir, sharedXsdValidator } from '../../src/validation/index.ts';
const xsd = sharedXsdValidator(findArtefactsDir()!);
const cache = path.resolve(import.meta.dirname, '..', '..', '.cache', 'bench-ingest');
const files: Uint8Array[] = [];
for (const kind of ['ubl', 'cii', 'facturx']) {
  const zip = readdirSync(cache).find((f) => f.toLowerCase().startsWith(kind) && f.endsWith('.zip'))!;
  const all = unzipSync(readFileSync(path.join(cache, zip)));
  files.push(...Object.keys(all).sort().slice(0, 1000).map((k) => all[k]!));
}
async function chunks(n: number) { for (let c = 0; c < n; c++) { const kept = []; for (let i = 0; i < 100; i++) { const f = files[(c * 100 + i) % files.length]!; kept.push(await readStructuredFile(f, containerOf(f)!, { xsd })); } } }
await chunks(20); // warm-up
const gc = { minor: 0, major: 0, minorMs: 0, majorMs: 0 };
const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) { const k = (e as any).detail?.kind ?? (e as any).kind; if (k === constants.NODE_PERFORMANCE_GC_MINOR) { gc.minor++; gc.minorMs += e.duration; } else if (k === constants.NODE_PERFORMANCE_GC_MAJOR) { gc.major++; gc.majorMs += e.duration; } } });
obs.observe({ entryTypes: ['gc'] });
const c0 = process.cpuUsage();
await chunks(30);
const c = process.cpuUsage(c0);
await new Promise((r) => setTimeout(r, 100));
console.log(`${process.execArgv.filter((a) => a.startsWith('--max')).join(' ') || 'default'}: 3000 files in chunks of 100: CPU ${((c.user + c.system) / 3000 / 1000).toFixed(2)} ms/file; scavenges ${gc.minor} (${gc.minorMs.toFixed(0)} ms), mark-compacts ${gc.major} (${gc.majorMs.toFixed(0)} ms)`);
