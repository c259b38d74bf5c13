import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { mapped } from '../../src/shared/mapped.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

test('mapped gives what Array.prototype.map gives, index included', () => {
  assert.deepEqual(mapped(['a', 'b', 'c'], (s, i) => `${s}${i}`), ['a0', 'b1', 'c2']);
  assert.deepEqual(mapped([], (x: number) => x + 1), []);
  assert.deepEqual(mapped([1, 2], () => undefined), [undefined, undefined]);
});

// The readers' arrays must have one elements kind whether V8 runs their code as bytecode or optimized: optimized
// code inlining Array.prototype.map makes holey arrays, the builtin packed ones, and the rules that read the
// readers' models deoptimized at every switch (docs/benchmarks.md). V8's own functions tell the kinds apart.
test('mapped gives a packed array before and after V8 has optimized its caller, where Array.prototype.map does not', () => {
  const script = `
    const { mapped } = await import(${JSON.stringify(path.join(root, 'src/shared/mapped.ts'))});
    const f = (x) => x.v;
    const viaMapped = (a) => mapped(a, f);
    const viaMap = (a) => a.map(f);
    const list = [{ v: 'a' }, { v: undefined }];
    const kinds = (g) => {
      %PrepareFunctionForOptimization(g);
      const before = %HasHoleyElements(g(list));
      g(list);
      %OptimizeFunctionOnNextCall(g);
      g(list);
      const after = %HasHoleyElements(g(list));
      return { before, after, optimized: (%GetOptimizationStatus(g) & 16) !== 0 };
    };
    console.log(JSON.stringify({ mapped: kinds(viaMapped), map: kinds(viaMap) }));
  `;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  assert.deepEqual(r.mapped, { before: false, after: false, optimized: true });
  // What made mapped necessary: if a later V8 stops doing this, the helper is no longer needed.
  assert.deepEqual(r.map, { before: false, after: true, optimized: true });
});
