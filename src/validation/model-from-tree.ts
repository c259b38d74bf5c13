import { detectSyntax } from '../formats/detect.ts';
import type { Invoice } from '../formats/model.ts';
import { readCii } from '../formats/cii/read.ts';
import { readUbl } from '../formats/ubl/read.ts';
import type { ParsedXml } from '../formats/xml/safe-parse.ts';
import type { XmlDocument } from './xml/tree.ts';

/**
 * The EN 16931 model read from the validator's tree, so that a document is parsed once for rules and model. The
 * formats readers read the tree as is (its elements have the shape they take: local names, attributes, children,
 * text that they trim); test/validation/model-from-tree.test.ts checks that the model equals `readInvoiceXml`'s on
 * every fixture.
 */
export function modelFromTree(doc: XmlDocument): Invoice {
  const parsed = parsedOfTree(doc);
  const { syntax } = detectSyntax(parsed);
  return syntax === 'UBL' ? readUbl(parsed.root) : readCii(parsed.root);
}

/** The tree as the formats readers' input. */
export function parsedOfTree(doc: XmlDocument): ParsedXml {
  return { root: doc.root, rootNamespace: doc.root.ns || undefined };
}
