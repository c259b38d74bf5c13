import { detectSyntax } from '../formats/detect.ts';
import type { Invoice } from '../formats/model.ts';
import { readCii } from '../formats/cii/read.ts';
import { readUbl } from '../formats/ubl/read.ts';
import type { ParsedXml, XNode } from '../formats/xml/safe-parse.ts';
import type { XmlDocument, XmlElement } from './xml/tree.ts';

/**
 * The EN 16931 model read from the validator's tree, so that a document is parsed once for rules and model.
 * The tree is turned into the shape the formats readers take (names without prefix, trimmed text, attributes by
 * local name, namespace declarations left out, line ends normalised: what fast-xml-parser gives them), then read by the same readers;
 * test/validation/model-from-tree.test.ts checks that the model equals `readInvoiceXml`'s on every fixture.
 */
export function modelFromTree(doc: XmlDocument): Invoice {
  const parsed = parsedOfTree(doc);
  const { syntax } = detectSyntax(parsed);
  return syntax === 'UBL' ? readUbl(parsed.root) : readCii(parsed.root);
}

/** The tree in the shape of the formats readers' input. */
export function parsedOfTree(doc: XmlDocument): ParsedXml {
  return { root: toXNode(doc.root), rootNamespace: doc.root.ns || undefined };
}

function toXNode(el: XmlElement): XNode {
  let attrs = NO_ATTRS;
  for (const a of el.attrs) {
    if (a.qname === 'xmlns' || a.qname.startsWith('xmlns:')) continue;
    if (attrs === NO_ATTRS) attrs = {};
    attrs[a.local] = a.value;
  }
  const n = el.children.length;
  let children = NO_CHILDREN;
  if (n > 0) {
    children = new Array<XNode>(n);
    for (let i = 0; i < n; i++) children[i] = toXNode(el.children[i]!);
  }
  let text = el.text.trim();
  // XML end-of-line handling (what fast-xml-parser's input gets from the decoder): CR LF and CR become LF.
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  return { name: el.local, attrs, children, text };
}

/** Shared by the nodes without attributes or children (the readers never change a node). */
const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_CHILDREN: XNode[] = [];
