/**
 * `list.map(f)` as an array whose elements kind does not depend on V8's tier. Array.prototype.map gives a packed
 * array when it runs as a builtin but a holey one once TurboFan has inlined it into an optimized caller, so the
 * same reader hands its consumers arrays of two maps: each optimization of a reader made the rules that read its
 * model deoptimize ("wrong map"), and each deoptimization made them deoptimize again, a cycle that kept the
 * workers' compiler threads busy (docs/benchmarks.md). Pushed elements make a packed array in every tier.
 */
export function mapped<T, U>(list: readonly T[], f: (item: T, index: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < list.length; i++) out.push(f(list[i]!, i));
  return out;
}
