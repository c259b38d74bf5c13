import { EspdError } from './errors.ts';

/**
 * A small strict XML reader and writer for ESPD documents.
 *
 * Why not a general parser: ESPD files come from outside, so the reader refuses DOCTYPE and entity
 * declarations outright (no entity expansion, no external fetch), bounds size and depth, and checks
 * well-formedness itself, so an import is all or nothing. Element names are rewritten to canonical
 * prefixes resolved from the namespaces (`cac:`, `cbc:`, `ccv:`…), whatever prefixes the file used;
 * elements of the root's own namespace get no prefix.
 */
export interface XNode {
  /** canonical qualified name, e.g. `cbc:ID`; `{uri}local` for an unknown namespace */
  name: string;
  /** attributes without namespace declarations and `xsi:` hints, in document order */
  attrs?: Record<string, string>;
  /** text of a leaf element, exact (entities decoded) */
  text?: string;
  children?: XNode[];
}

export interface ParsedXml {
  root: XNode;
  /** namespace URI of the root element */
  rootNamespace: string;
}

export interface XmlLimits {
  maxBytes: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_LIMITS: XmlLimits = { maxBytes: 20 * 1024 * 1024, maxDepth: 64, maxElements: 1_000_000 };

/** Canonical prefixes of the namespaces ESPD documents use (all versions). */
export const NAMESPACES: Record<string, string> = {
  'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2': 'cac',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2': 'cbc',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2': 'ext',
  'urn:isa:names:specification:ubl:schema:xsd:CCV-CommonAggregateComponents-1': 'ccv',
  'urn:isa:names:specification:ubl:schema:xsd:CCV-CommonBasicComponents-1': 'ccv-cbc',
  'urn:isa:names:specification:ubl:schema:xsd:CEV-CommonAggregateComponents-1': 'cev',
  'urn:isa:names:specification:ubl:schema:xsd:CEV-CommonBasicComponents-1': 'cev-cbc',
  'urn:grow:names:specification:ubl:schema:xsd:ESPD-CommonAggregateComponents-1': 'espd-cac',
  'urn:grow:names:specification:ubl:schema:xsd:ESPD-CommonBasicComponents-1': 'espd-cbc',
  'urn:grow:names:specification:ubl:schema:xsd:ESPDRequest-1': 'espd-req',
  'urn:grow:names:specification:ubl:schema:xsd:ESPDResponse-1': 'espd',
  // ESPD-EDM 2.0.x drafts used UBL 2.2 pre-award namespaces for the common components too
  'urn:X-test:UBL:Pre-award:CommonAggregate': 'cac',
  'urn:X-test:UBL:Pre-award:CommonBasic': 'cbc',
};
const PREFIX_URI: Record<string, string> = Object.fromEntries(
  Object.entries(NAMESPACES)
    .filter(([u]) => !u.startsWith('urn:X-test:'))
    .map(([u, p]) => [p, u]),
);

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

const malformed = (pos: number, src: string, what: string) => {
  const line = src.slice(0, pos).split('\n').length;
  return new EspdError('ESPD_XML_MALFORMED', `Le fichier n'est pas un XML bien formé (ligne ${line}) : ${what}.`);
};

const NON_SPACE = /\S/;
const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
const WS_RUN = /\s*/y;
const NAME_START = /[A-Za-z_\u00C0-\uFFFF]/;
const NAME_RE = /[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*(?::[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?/y;
const ATTR_RE = /\s*([A-Za-z_\u00C0-\uFFFF][\w.\-:\u00B7\u00C0-\uFFFF]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;

function decodeEntities(s: string, pos: number, src: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&([^;&\s]*);?/g, (m, ent: string) => {
    if (!m.endsWith(';')) throw malformed(pos, src, 'référence d’entité incomplète');
    switch (ent) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ent);
    if (num) {
      const cp = num[1] ? parseInt(num[1], 16) : parseInt(num[2], 10);
      if (cp === 0 || cp > 0x10ffff) throw malformed(pos, src, 'caractère invalide');
      return String.fromCodePoint(cp);
    }
    throw new EspdError('ESPD_XML_ENTITY_FORBIDDEN', `Le fichier utilise une entité XML non autorisée (« &${ent}; »).`);
  });
}

interface OpenElement {
  rawName: string;
  node: XNode;
  ns: Map<string, string> | null;
  text: string;
  hasChildren: boolean;
}

/** Parses an XML document strictly; throws an `EspdError` and never returns a partial tree. */
export function parseXml(input: string | Uint8Array, limits: XmlLimits = DEFAULT_LIMITS): ParsedXml {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > limits.maxBytes) {
    throw new EspdError('ESPD_TOO_LARGE', `Le fichier dépasse la taille maximale acceptée (${Math.round(limits.maxBytes / 1024 / 1024)} Mo).`, 'TOO_LARGE');
  }
  let src = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  if (src.charCodeAt(0) === 0xfeff) src = src.slice(1);
  const stack: OpenElement[] = [];
  const nsStack: Map<string, string>[] = [new Map([['xml', XML_NS]])];
  let root: XNode | null = null;
  let rootNamespace = '';
  let elements = 0;
  const nameCache = new Map<string, string>();
  let i = 0;
  const n = src.length;

  const resolve = (raw: string, isAttr: boolean, pos: number): { uri: string; local: string } => {
    const c = raw.indexOf(':');
    const prefix = c < 0 ? '' : raw.slice(0, c);
    const local = c < 0 ? raw : raw.slice(c + 1);
    if (isAttr && !prefix) return { uri: '', local };
    for (let k = nsStack.length - 1; k >= 0; k--) {
      const uri = nsStack[k].get(prefix);
      if (uri !== undefined) return { uri, local };
    }
    if (!prefix) return { uri: '', local };
    throw malformed(pos, src, `préfixe d’espace de noms non déclaré « ${prefix} »`);
  };
  const canonical = (uri: string, local: string) => {
    if (uri === rootNamespace) return local;
    const p = NAMESPACES[uri];
    if (p) return `${p}:${local}`;
    return uri ? `{${uri}}${local}` : local;
  };

  while (i < n) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const parent = stack.length ? stack[stack.length - 1] : undefined;
      // whitespace between elements is layout, not data: skip it without building strings
      if (!parent || parent.hasChildren) {
        WS_RUN.lastIndex = i;
        WS_RUN.exec(src);
        if (WS_RUN.lastIndex < textEnd) {
          const raw = src.slice(i, textEnd);
          if (!parent) throw malformed(i, src, 'texte hors de l’élément racine');
          if (raw.indexOf(']]>') >= 0) throw malformed(i, src, '« ]]> » hors d’une section CDATA');
          parent.text += decodeEntities(raw, i, src);
        }
      } else {
        const raw = src.slice(i, textEnd);
        if (raw.indexOf(']]>') >= 0) throw malformed(i, src, '« ]]> » hors d’une section CDATA');
        parent.text += decodeEntities(raw, i, src);
      }
    }
    if (lt < 0) break;
    i = lt;
    const c1 = src.charCodeAt(i + 1);
    if (c1 === 63 /* ? */) {
      const end = src.indexOf('?>', i + 2);
      if (end < 0) throw malformed(i, src, 'instruction de traitement non fermée');
      if (/^<\?xml\s/.test(src.slice(i, i + 6)) && i !== 0) throw malformed(i, src, 'déclaration XML mal placée');
      i = end + 2;
      continue;
    }
    if (c1 === 33 /* ! */) {
      if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i + 4);
        if (end < 0) throw malformed(i, src, 'commentaire non fermé');
        const dashes = src.indexOf('--', i + 4);
        if (dashes >= 0 && dashes < end) throw malformed(i, src, '« -- » dans un commentaire');
        i = end + 3;
        continue;
      }
      if (src.startsWith('<![CDATA[', i)) {
        const end = src.indexOf(']]>', i + 9);
        if (end < 0) throw malformed(i, src, 'section CDATA non fermée');
        if (!stack.length) throw malformed(i, src, 'CDATA hors de l’élément racine');
        stack[stack.length - 1].text += src.slice(i + 9, end);
        i = end + 3;
        continue;
      }
      // DOCTYPE, ENTITY…: refused outright, so no entity is ever expanded nor fetched
      throw new EspdError('ESPD_XML_DOCTYPE_FORBIDDEN', 'Le fichier contient une déclaration DOCTYPE ou ENTITY, refusée par sécurité.');
    }
    if (c1 === 47 /* / */) {
      NAME_RE.lastIndex = i + 2;
      const m = NAME_RE.exec(src);
      if (!m) throw malformed(i, src, 'balise fermante invalide');
      const open = stack.pop();
      if (!open || open.rawName !== m[0]) throw malformed(i, src, `balise fermante « ${m[0]} » inattendue`);
      let j = i + 2 + m[0].length;
      while (j < n && /\s/.test(src[j])) j++;
      if (src[j] !== '>') throw malformed(i, src, 'balise fermante invalide');
      i = j + 1;
      closeElement(open);
      if (open.ns) nsStack.pop();
      continue;
    }
    // start tag
    if (!NAME_START.test(src[i + 1] ?? '')) throw malformed(i, src, 'nom de balise invalide');
    NAME_RE.lastIndex = i + 1;
    const m = NAME_RE.exec(src);
    if (!m) throw malformed(i, src, 'nom de balise invalide');
    const rawName = m[0];
    let j = i + 1 + rawName.length;
    const rawAttrs: [string, string][] = [];
    for (;;) {
      ATTR_RE.lastIndex = j;
      const a = ATTR_RE.exec(src);
      if (!a) break;
      if (!isSpace(src.charCodeAt(j))) throw malformed(j, src, 'espace manquant entre les attributs');
      rawAttrs.push([a[1], decodeEntities(a[2] ?? a[3], j, src)]);
      j = ATTR_RE.lastIndex;
    }
    while (j < n && isSpace(src.charCodeAt(j))) j++;
    let selfClosing = false;
    if (src[j] === '/' && src[j + 1] === '>') { selfClosing = true; j += 2; }
    else if (src[j] === '>') j += 1;
    else throw malformed(j, src, `balise « ${rawName} » mal formée`);
    if (!stack.length && root) throw malformed(i, src, 'plusieurs éléments racine');

    let ns: Map<string, string> | null = null;
    for (let a = 0; a < rawAttrs.length; a++) {
      const [name, value] = rawAttrs[a];
      for (let b = 0; b < a; b++) if (rawAttrs[b][0] === name) throw malformed(i, src, `attribut « ${name} » répété`);
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        ns ??= new Map();
        ns.set(name === 'xmlns' ? '' : name.slice(6), value);
      }
    }
    if (ns) nsStack.push(ns);
    // names resolve the same way as long as only the root declared namespaces: cache them
    const cacheable = nsStack.length <= 2 && root !== null;
    let qname = cacheable ? nameCache.get(rawName) : undefined;
    if (qname === undefined) {
      const { uri, local } = resolve(rawName, false, i);
      if (!root) rootNamespace = uri;
      qname = canonical(uri, local);
      if (cacheable) nameCache.set(rawName, qname);
    }
    let attrs: Record<string, string> | undefined;
    for (const [name, value] of rawAttrs) {
      if (name.indexOf(':') < 0) {
        if (name !== 'xmlns') (attrs ??= {})[name] = value;
        continue;
      }
      if (name.startsWith('xmlns:')) continue;
      const r = resolve(name, true, i);
      if (r.uri === XSI_NS) continue;
      attrs ??= {};
      attrs[r.uri ? `{${r.uri}}${r.local}` : r.local] = value;
    }
    const node: XNode = { name: qname };
    if (attrs) node.attrs = attrs;
    if (++elements > limits.maxElements) {
      throw new EspdError('ESPD_TOO_LARGE', 'Le fichier contient trop d’éléments.', 'TOO_LARGE');
    }
    if (stack.length) {
      const parent = stack[stack.length - 1];
      (parent.node.children ??= []).push(node);
      if (!parent.hasChildren) {
        parent.hasChildren = true;
        if (!NON_SPACE.test(parent.text)) parent.text = '';
      }
    } else root = node;
    if (stack.length + 1 > limits.maxDepth) {
      throw new EspdError('ESPD_TOO_DEEP', `Le fichier est trop profondément imbriqué (plus de ${limits.maxDepth} niveaux).`);
    }
    const open: OpenElement = { rawName, node, ns, text: '', hasChildren: false };
    if (selfClosing) {
      closeElement(open);
      if (ns) nsStack.pop();
    } else stack.push(open);
    i = j;
  }
  if (stack.length) throw malformed(n, src, `élément « ${stack[stack.length - 1].rawName} » non fermé`);
  if (!root) throw new EspdError('ESPD_XML_MALFORMED', 'Le fichier ne contient aucun élément XML.');
  return { root, rootNamespace };

  function closeElement(open: OpenElement) {
    if (!open.hasChildren) open.node.text = open.text;
    else if (open.text.trim()) open.node.text = open.text.trim();
  }
}

const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIAL_G = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<"\n\r\t]/;
const ATTR_SPECIAL_G = /[&<"\n\r\t]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };
const escape = (c: string) => ESCAPES[c];
const escText = (s: string) => (TEXT_SPECIAL.test(s) ? s.replace(TEXT_SPECIAL_G, escape) : s);
const escAttr = (s: string) => (ATTR_SPECIAL.test(s) ? s.replace(ATTR_SPECIAL_G, escape) : s);

/**
 * Writes a tree back to XML text. `rootNamespace` is the default namespace; the canonical prefixes
 * of `NAMESPACES` are declared on the root when used.
 */
export function serializeXml(root: XNode, rootNamespace: string, extraNamespaces: Record<string, string> = {}): string {
  const used = new Set<string>();
  const unknown = new Map<string, string>();
  const collect = (x: XNode) => {
    const c = x.name.indexOf(':');
    if (x.name.startsWith('{')) {
      const uri = x.name.slice(1, x.name.indexOf('}'));
      if (!unknown.has(uri)) unknown.set(uri, `ns${unknown.size + 1}`);
    } else if (c > 0) used.add(x.name.slice(0, c));
    if (x.attrs) for (const k of Object.keys(x.attrs)) if (k.startsWith('{')) {
      const uri = k.slice(1, k.indexOf('}'));
      if (uri !== XML_NS && !unknown.has(uri)) unknown.set(uri, `ns${unknown.size + 1}`);
    }
    x.children?.forEach(collect);
  };
  collect(root);
  const qname = (name: string) => {
    if (!name.startsWith('{')) return name;
    const end = name.indexOf('}');
    const uri = name.slice(1, end);
    return uri === XML_NS ? `xml:${name.slice(end + 1)}` : `${unknown.get(uri)}:${name.slice(end + 1)}`;
  };
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  const write = (x: XNode, indent: string, isRoot: boolean) => {
    const q = x.name.charCodeAt(0) === 123 /* { */ ? qname(x.name) : x.name;
    out += `${indent}<${q}`;
    if (isRoot) {
      out += ` xmlns="${escAttr(rootNamespace)}"`;
      for (const p of [...used].sort()) out += ` xmlns:${p}="${escAttr(PREFIX_URI[p] ?? extraNamespaces[p] ?? '')}"`;
      for (const [uri, p] of unknown) out += ` xmlns:${p}="${escAttr(uri)}"`;
    }
    if (x.attrs) for (const k in x.attrs) out += ` ${k.charCodeAt(0) === 123 ? qname(k) : k}="${escAttr(x.attrs[k])}"`;
    const kids = x.children;
    if (kids && kids.length) {
      out += '>\n';
      const inner = indent + '  ';
      for (let i = 0; i < kids.length; i++) write(kids[i], inner, false);
      out += `${indent}</${q}>\n`;
    } else if (x.text) out += `>${escText(x.text)}</${q}>\n`;
    else out += '/>\n';
  };
  write(root, '', true);
  return out;
}
