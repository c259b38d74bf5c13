import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
/**
 * No allocation-site pretenuring: V8 had learnt (on a process's first requests) to allocate the `pg` driver's rows in
 * the old generation, and every row's strings then outlived the scavenges (docs/operations.md).
 */
const NO_PRETENURING = '--no-allocation-site-pretenuring';
const FLAGS = `--max-semi-space-size=64 ${NO_PRETENURING}`;
/** A worker holds a chunk of 100 invoices at once: a larger young generation (docs/operations.md). */
const WORKER_FLAGS = `--max-semi-space-size=128 ${NO_PRETENURING}`;
const TUNABLES = 'GLIBC_TUNABLES=glibc.malloc.hugetlb=1';

// The young generation and the huge pages docs/benchmarks.md measured: every way the platform is started gives
// them, and bench:ingest starts its processes with the ouvrage and worker scripts' flags and environment.
test("the platform's processes start with the young generation, the GC setting and the huge pages the benchmarks measured", () => {
  const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
  assert.equal(scripts.start, `${TUNABLES} node ${FLAGS} --import tsx src/main.ts serve`);
  assert.equal(scripts.ouvrage, `${TUNABLES} node ${FLAGS} --import tsx src/main.ts`);
  assert.equal(scripts.worker, `${TUNABLES} node ${WORKER_FLAGS} --import tsx src/main.ts worker`);
  assert.equal(readFileSync(path.join(root, 'bin', 'ouvrage.mjs'), 'utf8').split('\n')[0], `#!/usr/bin/env -S ${TUNABLES} node ${FLAGS}`);
});

/** The kB of anonymous memory on transparent huge pages of a Node process that filled a 64 MB Buffer, started with `env`. */
function hugePagesOfLargeBuffer(env: Record<string, string>): Promise<number> {
  const script = `const b = Buffer.allocUnsafe(64 * 2 ** 20); b.fill(1);
    const kb = /AnonHugePages:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/smaps_rollup', 'utf8'));
    console.log(kb ? kb[1] : -1, b[12345]);`;
  const { GLIBC_TUNABLES: _, ...inherited } = process.env;
  const child = spawn(process.execPath, ['-e', script], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c));
  return new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(Number(out.split(' ')[0])) : reject(new Error(`exit ${code}`)))));
}

const thp = '/sys/kernel/mm/transparent_hugepage/enabled';
const madviseOnly = existsSync(thp) && readFileSync(thp, 'utf8').includes('[madvise]') && existsSync('/proc/self/smaps_rollup');

// Where the kernel gives huge pages only to memory that asks for them (Debian's default), a large buffer gets them
// with the script's environment and not without: a flow of 100 MB is then 50 page faults instead of 25,000.
test('a large buffer lies on huge pages with the environment of the ouvrage script', { skip: !madviseOnly && `${thp} is not in madvise mode here` }, async () => {
  const withTunables = await hugePagesOfLargeBuffer({ GLIBC_TUNABLES: TUNABLES.slice('GLIBC_TUNABLES='.length) });
  const without = await hugePagesOfLargeBuffer({});
  assert.ok(withTunables >= 2048, `${withTunables} kB on huge pages with ${TUNABLES}`);
  assert.equal(without, 0);
});

// On Node 20, --test-force-exit ended a file's process before the reports of its last tests were written: the run
// stayed green with fewer tests (test/validation/br-fr-rules.test.ts reported 82, 84 or 91 of its 99).
test('the test command lets each test file report all its tests (no --test-force-exit)', () => {
  const command = readFileSync(path.join(root, 'scripts', 'test.sh'), 'utf8').split('\n').filter((l) => !l.trim().startsWith('#'));
  const runs = command.filter((l) => /node\b.*--test\b/.test(l));
  assert.ok(runs.length > 0, 'scripts/test.sh runs node --test');
  for (const line of runs) assert.ok(!line.includes('--test-force-exit'), line);
});
