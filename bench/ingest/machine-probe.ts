import { createHash } from 'node:crypto';

/**
 * The machine's speed at a moment, by two fixed pieces of work whose time does not depend on the code under test:
 * - `hash`: SHA-256 of 8 MiB (native code, ≈ 5 ms: the processor's own speed);
 * - `memory`: 100,000 dependent reads at random in 64 MiB (≈ 20 ms: the memory's latency, caches and TLB missed;
 *   JavaScript, but one loop compiled before the first reading);
 * - `faults`: a byte written in each 4 KiB page of the first 8 MiB of 40 MiB just allocated (2,048 page faults: the
 *   kernel's and the virtualisation's cost of a fault; 40 MiB is above glibc's largest mmap threshold, so the
 *   memory is always new pages, never a freed block used again).
 * Each is timed in CPU time of this process (user + system; the calls are synchronous, nothing else of it runs
 * meanwhile). The bench takes readings before its run and after the ingestion (quiet) and during it (the cores
 * shared with the platform), to tell a run of the machine's slow speed from one of the code's.
 */
const BLOCK = Buffer.alloc(8 << 20, 0x5a);
const CELLS = 16 << 20;
let cycle: Int32Array | null = null;

/** One random cycle through every cell (Sattolo's shuffle, a fixed seed): each read depends on the one before. */
function randomCycle(): Int32Array {
  const next = new Int32Array(CELLS);
  for (let i = 0; i < CELLS; i++) next[i] = i;
  let seed = 12345;
  for (let i = CELLS - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % i;
    const t = next[i]!;
    next[i] = next[j]!;
    next[j] = t;
  }
  return next;
}

function chase(next: Int32Array, steps: number): number {
  let p = 0;
  for (let k = 0; k < steps; k++) p = next[p]!;
  return p;
}

const cpuMsOf = (work: () => unknown) => {
  const c0 = process.cpuUsage();
  work();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

export interface ProbeReading {
  hashMs: number;
  memoryMs: number;
  faultsMs: number;
}

function touchFreshPages(): number {
  const b = new Uint8Array(new ArrayBuffer(40 << 20));
  for (let i = 0; i < 8 << 20; i += 4096) b[i] = 1;
  return b[0]!;
}

export function probe(): ProbeReading {
  if (!cycle) {
    cycle = randomCycle();
    for (let i = 0; i < 20; i++) chase(cycle, 100_000);
  }
  const next = cycle;
  return { hashMs: cpuMsOf(() => createHash('sha256').update(BLOCK).digest()), memoryMs: cpuMsOf(() => chase(next, 100_000)), faultsMs: cpuMsOf(touchFreshPages) };
}

/** n readings in a row. */
export const probes = (n: number): ProbeReading[] => Array.from({ length: n }, probe);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (xs: number[]) => `${median(xs).toFixed(1)} ms (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;

/** « hash median (min–max) · memory … · faults …, n readings » for the report. */
export function describeProbes(readings: ProbeReading[]): string {
  if (!readings.length) return '—';
  const of = (k: keyof ProbeReading) => spread(readings.map((r) => r[k]));
  return `hash ${of('hashMs')} · memory ${of('memoryMs')} · faults ${of('faultsMs')}, ${readings.length} readings`;
}
