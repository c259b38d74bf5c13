/**
 * Cost of XSD validation with xmllint-wasm: a run per schema (start-up + schema compilation) and the
 * marginal cost of each further document in the same run. node --import tsx bench/validation/xsd.ts
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { XsdValidator, schemaFor, type SchemaKey, type XsdInput } from '../../src/validation/xsd.ts';
import { FIXTURES, loadSample } from '../../test/validation/agreement-harness.ts';

async function main() {
  const oracle = JSON.parse(readFileSync(path.join(FIXTURES, 'oracle-results.json'), 'utf8')) as { results: { file: string }[] };
  const t0 = performance.now();
  const validator = XsdValidator.load(path.join(FIXTURES, 'artefacts'));
  const loadMs = performance.now() - t0;
  const bySchema = new Map<SchemaKey, XsdInput[]>();
  for (const r of oracle.results) {
    const xml = loadSample(r.file);
    if (!xml) continue;
    const schema = schemaFor(parseXml(xml));
    if (!schema) continue;
    const list = bySchema.get(schema) ?? [];
    list.push({ name: r.file, xml, schema });
    bySchema.set(schema, list);
  }
  console.log(`machine: ${os.cpus()[0]?.model} ×${os.cpus().length}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`);
  console.log(`schema files read once: ${loadMs.toFixed(0)} ms`);
  console.log('| schema | documents | avg KB | run with 1 document (ms) | run with 8× the documents (ms) | marginal ms/document |');
  console.log('|---|---|---|---|---|---|');
  for (const [schema, docs] of bySchema) {
    const one = performance.now();
    await validator.validate(docs.slice(0, 1));
    const oneMs = performance.now() - one;
    const batch = Array.from({ length: 8 }, () => docs).flat();
    const b0 = performance.now();
    await validator.validate(batch);
    const batchMs = performance.now() - b0;
    const kb = docs.reduce((s, d) => s + d.xml.length, 0) / docs.length / 1024;
    const marginal = (batchMs - oneMs) / (batch.length - 1);
    console.log(`| ${schema} | ${docs.length} | ${kb.toFixed(0)} | ${oneMs.toFixed(0)} | ${batchMs.toFixed(0)} (${batch.length} docs) | ${marginal.toFixed(2)} |`);
  }
}

void main();
