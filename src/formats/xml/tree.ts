import type { XNode } from './safe-parse.ts';

/*
 * Small path helpers over a parsed tree: `at(node, 'A', 'B')` is the first A/B, `all(node, 'A', 'B')` every one.
 * They run for every field of every invoice read: plain loops, no intermediate arrays.
 */

function child(node: XNode, name: string): XNode | undefined {
  const children = node.children;
  for (let k = 0; k < children.length; k++) if (children[k]!.local === name) return children[k];
  return undefined;
}

export function at(node: XNode | undefined, ...path: string[]): XNode | undefined {
  let cur = node;
  for (let p = 0; p < path.length && cur; p++) cur = child(cur, path[p]!);
  return cur;
}

export function all(node: XNode | undefined, ...path: string[]): XNode[] {
  if (!node) return NONE;
  let level: readonly XNode[] = [node];
  for (let p = 0; p < path.length; p++) {
    const name = path[p]!;
    const next: XNode[] = [];
    for (let q = 0; q < level.length; q++) {
      const children = level[q]!.children;
      for (let k = 0; k < children.length; k++) if (children[k]!.local === name) next.push(children[k]!);
    }
    level = next;
  }
  return level.length ? (level as XNode[]) : NONE;
}

/** The empty result, shared (never mutated), with the array map of a filled one (see validation's NO_ELEMENTS). */
const NONE: XNode[] = ([null] as unknown as XNode[]).slice(1);

/**
 * The text of an element as the readers take it: trimmed, line ends normalised (CR LF and CR become LF, as an
 * XML processor's input gets them), unless it is to be read verbatim. The text itself when there is nothing to
 * change, which is most often the case.
 */
export function textOf(node: XNode): string {
  const text = node.text;
  const trimmed = text.trim();
  if ((trimmed.length === text.length && text.indexOf('\r') < 0) || node.verbatim) return text;
  return trimmed.indexOf('\r') < 0 ? trimmed : trimmed.replace(LINE_END, '\n');
}
const LINE_END = /\r\n?/g;

/** Text of the first matching element, undefined when absent or empty. */
export function txt(node: XNode | undefined, ...path: string[]): string | undefined {
  let cur = node;
  for (let p = 0; p < path.length && cur; p++) cur = child(cur, path[p]!);
  if (!cur) return undefined;
  const text = textOf(cur);
  return text !== '' ? text : undefined;
}

/** The attribute's value, undefined when absent or empty (of two attributes with that local name, the last). */
export function attr(node: XNode | undefined, name: string): string | undefined {
  if (!node) return undefined;
  const attrs = node.attrs;
  for (let k = attrs.length - 1; k >= 0; k--) {
    const a = attrs[k]!;
    if (a.local === name) return a.value === '' ? undefined : a.value;
  }
  return undefined;
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
