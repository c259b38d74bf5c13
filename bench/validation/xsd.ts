/**
 * CPU cost of XSD validation per invoice, per schema: each sample validated on its own, warm (schemas
 * already compiled), best of several rounds. node --import tsx bench/validation/xsd.ts [rounds]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseXml } from '../../src/validation/xml/parse.ts';
import { XsdValidator, schemaFor, type SchemaKey, type XsdInput } from '../../src/validation/xsd.ts';
import { FIXTURES, loadSample } from '../../test/validation/agreement-harness.ts';

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

async function main() {
  const rounds = Number(process.argv[2] ?? 5);
  const oracle = JSON.parse(readFileSync(path.join(FIXTURES, 'oracle-results.json'), 'utf8')) as { results: { file: string }[] };
  const validator = XsdValidator.load(path.join(FIXTURES, 'artefacts'));
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
  console.log('| schema | documents | avg KB | first call, schema compiled (CPU ms) | warm, one call per document (CPU ms/document, best of ' + rounds + ') |');
  console.log('|---|---|---|---|---|');
  for (const [schema, docs] of bySchema) {
    const c0 = process.cpuUsage();
    await validator.validate(docs.slice(0, 1));
    const firstMs = cpuMs(c0);
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const c = process.cpuUsage();
      for (const d of docs) await validator.validate([d]);
      best = Math.min(best, cpuMs(c) / docs.length);
    }
    const kb = docs.reduce((s, d) => s + d.xml.length, 0) / docs.length / 1024;
    console.log(`| ${schema} | ${docs.length} | ${kb.toFixed(0)} | ${firstMs.toFixed(1)} | ${best.toFixed(3)} |`);
  }
}

void main();
