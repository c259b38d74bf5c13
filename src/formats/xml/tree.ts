import type { XNode } from './safe-parse.ts';

/** Small path helpers over a parsed tree: `at(node, 'A', 'B')` is the first A/B, `all(node, 'A', 'B')` every one. */
export function at(node: XNode | undefined, ...path: string[]): XNode | undefined {
  let cur = node;
  for (const name of path) {
    if (!cur) return undefined;
    cur = cur.children.find((c) => c.name === name);
  }
  return cur;
}

export function all(node: XNode | undefined, ...path: string[]): XNode[] {
  if (!node) return [];
  let level: XNode[] = [node];
  for (const name of path) level = level.flatMap((n) => n.children.filter((c) => c.name === name));
  return level;
}

/** Text of the first matching element, undefined when absent or empty. */
export function txt(node: XNode | undefined, ...path: string[]): string | undefined {
  const n = at(node, ...path);
  return n && n.text !== '' ? n.text : undefined;
}

export function attr(node: XNode | undefined, name: string): string | undefined {
  const v = node?.attrs[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Drops undefined properties and empty objects so that models compare structurally. */
export function compact<T extends object>(o: T): T | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[k] = v;
    any = true;
  }
  return any ? (out as T) : undefined;
}

/** Removes undefined properties in place (so that models read from both syntaxes compare with deepEqual). */
export function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
