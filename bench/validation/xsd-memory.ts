/**
 * Memory over many XSD validations: RSS and WebAssembly heap after every 1,000 checks (UBL, CII, Factur-X
 * samples in turn, invalid ones included). A leak shows as a steady rise after the first thousand.
 * node --import tsx bench/validation/xsd-memory.ts [count]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { XsdValidator, schemaFor, type XsdInput } from '../../src/validation/xsd.ts';
import { FIXTURES, loadSample } from '../../test/validation/agreement-harness.ts';

async function main() {
  const count = Number(process.argv[2] ?? 10_000);
  const oracle = JSON.parse(readFileSync(path.join(FIXTURES, 'oracle-results.json'), 'utf8')) as { results: { file: string }[] };
  const inputs: XsdInput[] = [];
  for (const r of oracle.results) {
    const xml = loadSample(r.file);
    const schema = xml ? schemaFor(parseXml(xml)) : null;
    if (xml && schema) inputs.push({ name: r.file, xml, schema });
  }
  const xsd = XsdValidator.load(path.join(FIXTURES, 'artefacts'));
  global.gc?.();
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  let invalid = 0;
  console.log(`before the first check (samples read): RSS ${mb(process.memoryUsage().rss)} MB`);
  for (let i = 1; i <= count; i++) {
    if (!(await xsd.check(inputs[i % inputs.length])).valid) invalid++;
    if (i % 1000 === 0) {
      const m = process.memoryUsage();
      console.log(`${i} checks: RSS ${mb(m.rss)} MB, JS heap ${mb(m.heapUsed)} MB, external + array buffers ${mb(m.external)} MB (${invalid} invalid)`);
    }
  }
  await xsd.dispose();
}

void main();
