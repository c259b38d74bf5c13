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
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { cachedInvoices } from './cached-invoices.ts';
import { readStructuredFile } from '../../src/invoices/read-structured-file.ts';
import { containerOf } from '../../src/invoices/structured-file.ts';
import { findArtefactsDir, sharedXsdValidator } from '../../src/validation/index.ts';
const xsd = sharedXsdValidator(findArtefactsDir()!);
const files = (['ubl', 'cii', 'facturx'] as const).flatMap((kind) => cachedInvoices(kind, 1000).map((f) => f.bytes));
/** `n` chunks of 100 files, each chunk's read files kept until the chunk is done. */
async function chunks(n: number) {
  for (let c = 0; c < n; c++) {
    const kept = [];
    for (let i = 0; i < 100; i++) {
      const f = files[(c * 100 + i) % files.length]!;
      kept.push(await readStructuredFile(f, containerOf(f)!, { xsd }));
    }
  }
}
await chunks(20); // warm-up
const gc = { minor: 0, major: 0, minorMs: 0, majorMs: 0 };
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) (gc.minor++, (gc.minorMs += e.duration));
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) (gc.major++, (gc.majorMs += e.duration));
  }
});
obs.observe({ entryTypes: ['gc'] });
const c0 = process.cpuUsage();
await chunks(30);
const c = process.cpuUsage(c0);
await new Promise((r) => setTimeout(r, 100));
console.log(`${process.execArgv.filter((a) => a.startsWith('--max')).join(' ') || 'default'}: 3000 files in chunks of 100: CPU ${((c.user + c.system) / 3000 / 1000).toFixed(2)} ms/file; scavenges ${gc.minor} (${gc.minorMs.toFixed(0)} ms), mark-compacts ${gc.major} (${gc.majorMs.toFixed(0)} ms)`);
