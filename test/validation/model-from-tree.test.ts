import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readInvoiceXml } from '../../src/formats/index.ts';
import { modelFromTree } from '../../src/validation/model-from-tree.ts';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { fixtureInvoiceFiles, loadSample } from './agreement-harness.ts';

/** The model read from the validator's tree is the model readInvoiceXml reads, on every invoice of the fixtures. */
test('modelFromTree equals readInvoiceXml on every UBL and CII fixture, PDFs included', () => {
  const files = fixtureInvoiceFiles();
  let n = 0;
  for (const file of files) {
    const xml = loadSample(file);
    if (xml === undefined) continue;
    let expected;
    try {
      expected = readInvoiceXml(xml).invoice;
    } catch {
      continue; // not an invoice the formats reader accepts (e.g. ZUGFeRD 1): nothing to compare
    }
    assert.deepEqual(modelFromTree(parseXml(xml)), expected, file);
    n++;
  }
  assert.ok(n > 150, `${n} documents compared`);
});
