/**
 * Formats benchmark: parse throughput (UBL and CII, bytes → model, warm, one process), write throughput, and
 * Factur-X generation time per invoice (PDF/A-3b with the French rendering), over the fixture corpus.
 * Prints a table; the figures are copied into docs/formats.md by hand.
 * Run: node --import tsx bench/formats/formats.bench.ts [--seconds 3]
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateFacturx, readInvoiceXml, writeCii, writeUbl, type Invoice } from '../../src/formats/index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'einvoice', 'samples');
const files = (dir: string) => readdirSync(path.join(FIXTURES, dir)).filter((f) => /\.xml$/i.test(f)).map((f) => readFileSync(path.join(FIXTURES, dir, f)));
const ubl = [...files('cen-en16931/ubl/examples'), ...files('zugferd-corpus/XML-Rechnung/UBL')];
const cii = [...files('cen-en16931/cii/examples'), ...files('zugferd-corpus/XML-Rechnung/CII')];
const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;

const rows: Row[] = [];
interface Row {
  what: string;
  n: number;
  perItemMs: number;
  perSecond: number;
  cpuPerItemMs: number;
}

async function measure(what: string, items: unknown[], fn: (item: unknown) => unknown, coldRow?: string): Promise<Row> {
  const cold0 = process.cpuUsage();
  const coldT0 = performance.now();
  for (const item of items) await fn(item); // warm-up: JIT, font parsing, word-shaping cache
  if (coldRow) {
    const ms = performance.now() - coldT0;
    const cpu = process.cpuUsage(cold0);
    rows.push({ what: coldRow, n: items.length, perItemMs: ms / items.length, perSecond: (items.length / ms) * 1000, cpuPerItemMs: (cpu.user + cpu.system) / 1000 / items.length });
  }
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (const item of items) await fn(item);
    n += items.length;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { what, n, perItemMs: ms / n, perSecond: (n / ms) * 1000, cpuPerItemMs: (cpu.user + cpu.system) / 1000 / n };
}

const ublModels = ubl.map((b) => readInvoiceXml(b).invoice);
const ciiModels = cii.map((b) => readInvoiceXml(b).invoice);
const now = new Date('2026-01-01T00:00:00Z');
const avgKb = (list: Buffer[]) => (list.reduce((s, b) => s + b.length, 0) / list.length / 1024).toFixed(1);

rows.push(await measure(`parse UBL (${ubl.length} files, avg ${avgKb(ubl)} kB)`, ubl, (b) => readInvoiceXml(b as Buffer)));
rows.push(await measure(`parse CII (${cii.length} files, avg ${avgKb(cii)} kB)`, cii, (b) => readInvoiceXml(b as Buffer)));
rows.push(await measure('write CII from model', ublModels, (m) => writeCii(m as Invoice)));
rows.push(await measure('write UBL from model', ciiModels, (m) => writeUbl(m as Invoice)));
rows.push(await measure('convert UBL → CII (parse + write)', ubl, (b) => writeCii(readInvoiceXml(b as Buffer).invoice)));
rows.push(
  await measure(`Factur-X generation (PDF/A-3b, ${ciiModels.length} invoices), warm`, ciiModels, (m) => generateFacturx(m as Invoice, { now }), `Factur-X generation, first pass (cold: font parsing, empty shaping cache)`),
);

const cpu = os.cpus()[0];
console.log(`\nFormats benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} × ${cpu?.model ?? 'CPU'}, load average ${os.loadavg()[0].toFixed(1)}`);
console.log('| measure | runs | ms per invoice (wall) | invoices/s (wall) | CPU ms per invoice |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.what} | ${r.n} | ${r.perItemMs.toFixed(3)} | ${Math.round(r.perSecond)} | ${r.cpuPerItemMs.toFixed(3)} |`);
const facturx = rows[rows.length - 1];
console.log(`\nFactur-X target ≤ 20 ms per invoice: ${facturx.cpuPerItemMs <= 20 ? 'met' : 'NOT met'} (${facturx.cpuPerItemMs.toFixed(1)} ms CPU per invoice).`);
