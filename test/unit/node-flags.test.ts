import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const FLAGS = '--max-semi-space-size=64';

// The young generation docs/benchmarks.md measured (a flow's chunk outlives Node's default one): every way the
// platform is started gives it, and bench:ingest starts its processes with the ouvrage script's flags.
test("the platform's processes start with the young generation the benchmarks measured", () => {
  const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
  assert.equal(scripts.start, `node ${FLAGS} --import tsx src/main.ts serve`);
  assert.equal(scripts.ouvrage, `node ${FLAGS} --import tsx src/main.ts`);
  assert.equal(readFileSync(path.join(root, 'bin', 'ouvrage.mjs'), 'utf8').split('\n')[0], `#!/usr/bin/env -S node ${FLAGS}`);
});
