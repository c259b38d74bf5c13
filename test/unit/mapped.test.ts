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
    const viaMap = (a) => a.map(f);
    const list = [{ v: 'a' }, { v: undefined }];
    // The kinds of fn's result before and after V8 has optimized fn itself.
    const kinds = (fn, call) => {
      %PrepareFunctionForOptimization(fn);
      const before = %HasHoleyElements(call());
      call();
      %OptimizeFunctionOnNextCall(fn);
      call();
      const after = %HasHoleyElements(call());
      return { before, after, optimized: (%GetOptimizationStatus(fn) & 16) !== 0 };
    };
    const r = { mapped: kinds(mapped, () => mapped(list, f)), map: kinds(viaMap, () => viaMap(list)) };
    console.log(JSON.stringify(r));
  `;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  assert.deepEqual(r.mapped, { before: false, after: false, optimized: true });
  // What made mapped necessary: if a later V8 stops doing this, the helper is no longer needed.
  assert.deepEqual(r.map, { before: false, after: true, optimized: true });
});
