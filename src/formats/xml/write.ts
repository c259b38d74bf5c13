/**
 * A tiny XML writer: elements are built as data (`el(name, attrs, ...children)`), empty elements and
 * undefined values vanish, so writers can map every optional business term without `if`s.
 */
export interface XEl {
  name: string;
  attrs: Record<string, string | undefined>;
  children: (XEl | string)[];
}

type Child = XEl | string | undefined | null | false | Child[];

export function el(name: string, attrs: Record<string, string | undefined> | null, ...children: Child[]): XEl | undefined {
  const flat: (XEl | string)[] = [];
  const push = (c: Child) => {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach(push);
    else if (typeof c === 'string') {
      if (c !== '') flat.push(c);
    } else flat.push(c);
  };
  children.forEach(push);
  if (flat.length === 0) return undefined;
  return { name, attrs: attrs ?? {}, children: flat };
}

/** A leaf: `<name attrs>value</name>`, or nothing when value is undefined. */
export function leaf(name: string, value: string | undefined, attrs?: Record<string, string | undefined>): XEl | undefined {
  if (value === undefined || value === '') return undefined;
  return { name, attrs: attrs ?? {}, children: [value] };
}

const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => escText(s).replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

export function serialize(root: XEl, namespaces: Record<string, string>): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const write = (e: XEl, indent: string, isRoot: boolean) => {
    out.push(indent, '<', e.name);
    if (isRoot) for (const [p, uri] of Object.entries(namespaces)) out.push(p ? ` xmlns:${p}="${escAttr(uri)}"` : ` xmlns="${escAttr(uri)}"`);
    for (const [k, v] of Object.entries(e.attrs)) if (v !== undefined) out.push(' ', k, '="', escAttr(v), '"');
    out.push('>');
    if (e.children.length === 1 && typeof e.children[0] === 'string') {
      out.push(escText(e.children[0]), '</', e.name, '>\n');
      return;
    }
    out.push('\n');
    for (const c of e.children) {
      if (typeof c === 'string') out.push(indent, '  ', escText(c), '\n');
      else write(c, indent + '  ', false);
    }
    out.push(indent, '</', e.name, '>\n');
  };
  write(root, '', true);
  return out.join('');
}
