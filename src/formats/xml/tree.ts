import type { XNode } from './safe-parse.ts';

/*
 * Small path helpers over a parsed tree: `at(node, 'A', 'B')` is the first A/B, `all(node, 'A', 'B')` every one.
 * They run for every field of every invoice read: plain loops, no intermediate arrays.
 */

function child(node: XNode, name: string): XNode | undefined {
  const children = node.children;
  for (let k = 0; k < children.length; k++) if (children[k]!.name === name) return children[k];
  return undefined;
}

export function at(node: XNode | undefined, ...path: string[]): XNode | undefined {
  let cur = node;
  for (let p = 0; p < path.length && cur; p++) cur = child(cur, path[p]!);
  return cur;
}

export function all(node: XNode | undefined, ...path: string[]): XNode[] {
  if (!node) return [];
  let level: XNode[] = [node];
  for (let p = 0; p < path.length; p++) {
    const name = path[p]!;
    const next: XNode[] = [];
    for (let q = 0; q < level.length; q++) {
      const children = level[q]!.children;
      for (let k = 0; k < children.length; k++) if (children[k]!.name === name) next.push(children[k]!);
    }
    level = next;
  }
  return level;
}

/** Text of the first matching element, undefined when absent or empty. */
export function txt(node: XNode | undefined, ...path: string[]): string | undefined {
  let cur = node;
  for (let p = 0; p < path.length && cur; p++) cur = child(cur, path[p]!);
  return cur && cur.text !== '' ? cur.text : undefined;
}

export function attr(node: XNode | undefined, name: string): string | undefined {
  const v = node?.attrs[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Drops undefined properties and empty objects so that models compare structurally. */
export function compact<T extends object>(o: T): T | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const k in o) {
    const v = o[k];
    if (v === undefined) continue;
    out[k] = v;
    any = true;
  }
  return any ? (out as T) : undefined;
}

/**
 * The object without its undefined properties (so that models read from both syntaxes compare with deepEqual):
 * itself when it has none, else a copy (deleting properties would turn it into a slow dictionary object).
 */
export function strip<T extends object>(o: T): T {
  let undef = false;
  for (const k in o) {
    if (o[k] === undefined) {
      undef = true;
      break;
    }
  }
  if (!undef) return o;
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}
