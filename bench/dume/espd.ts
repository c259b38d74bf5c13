/**
 * Import (XML → model) and export (model → XML) time of ESPD documents: the largest fixture response,
 * the 4.1.0 response and the other full examples. Target: ≤ 10 ms per 300 KB each way.
 * Run: node --import tsx bench/dume/espd.ts
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportEspd, importEspd, type EspdExportVersion } from '../../src/formats/espd/index.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/espd');
const FILES: [string, EspdExportVersion][] = [
  ['v2.1.1/xml/EXTENDED-ESPDResponse-2.1.1.xml', '2.1.1'],
  ['v4.1.0/xml/ESPD-Response.xml', '4.1.0'],
  ['v2.1.1/xml/BASIC-ESPDResponse-2.1.1.xml', '2.1.1'],
  ['v4.1.0/xml/ESPD-Request.xml', '4.1.0'],
  ['v1.0.2/espd-service-samples/response/v20161101/espd-response-20161101-full.xml', '2.1.1'],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn: () => unknown, runs: number): number {
  for (let i = 0; i < 5; i++) fn(); // warm-up (JIT)
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const rows = FILES.map(([file, target]) => {
  const xml = readFileSync(path.join(fixtures, file), 'utf8');
  const bytes = Buffer.byteLength(xml);
  const doc = importEspd(xml);
  const imp = time(() => importEspd(xml), 30);
  const exp = time(() => exportEspd(doc, target), 30);
  const per300 = (ms: number) => (ms * 300 * 1024) / bytes;
  return { file: path.basename(file), version: doc.version, kb: bytes / 1024, imp, exp, imp300: per300(imp), exp300: per300(exp), target };
});

const fmt = (n: number) => n.toFixed(1);
const lines = [
  `| document | version | size (KB) | import (ms) | export (ms) | import per 300 KB | export per 300 KB |`,
  `|---|---|---:|---:|---:|---:|---:|`,
  ...rows.map(
    (r) => `| ${r.file} | ${r.version} → ${r.target} | ${r.kb.toFixed(0)} | ${fmt(r.imp)} | ${fmt(r.exp)} | ${fmt(r.imp300)} | ${fmt(r.exp300)} |`,
  ),
];
console.log(`ESPD import/export, median of 30 runs — Node ${process.version}, ${os.cpus()[0]?.model ?? 'CPU'} × ${os.cpus().length}, load ${os.loadavg()[0].toFixed(1)}`);
console.log(lines.join('\n'));
const worst = Math.max(...rows.flatMap((r) => [r.imp300, r.exp300]));
console.log(worst <= 10 ? `\nobjectif tenu : ≤ 10 ms par 300 Ko (pire : ${fmt(worst)} ms)` : `\nobjectif NON tenu : pire ${fmt(worst)} ms par 300 Ko (cible 10)`);
