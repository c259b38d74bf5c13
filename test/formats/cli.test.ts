import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractInvoiceFromPdf, readInvoiceXml } from '../../src/formats/index.ts';
import { FIXTURES } from './fixtures.ts';

/** The real CLI, as a child process: `node --import tsx src/main.ts <command>`. */
const root = path.resolve(import.meta.dirname, '..', '..');
const entry = process.env.OUVRAGE_CLI_ENTRY ?? path.join(root, 'src', 'main.ts');
const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: root, maxBuffer: 10 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const dir = mkdtempSync(path.join(tmpdir(), 'ouvrage-formats-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const ubl = path.join(FIXTURES, 'cen-en16931/ubl/examples/ubl-tc434-example1.xml');
const cii = path.join(FIXTURES, 'akretion-factur-x/factur-x-en16931.xml');

const huge = path.join(dir, 'huge.xml');
writeFileSync(huge, '');
truncateSync(huge, 200 * 1024 * 1024); // sparse: no disk used, and never read
const pdf = path.join(dir, 'facture.pdf');
const base = path.join(dir, 'presentation.pdf');
const toCii = path.join(dir, 'f.cii.xml');
const corpusPdf = path.join(FIXTURES, 'zugferd-corpus/ZUGFeRDv2/correct/intarsys/EN16931/zugferd_2p0_EN16931_Einfach.pdf');

// Each child process pays the cold start of tsx: independent commands run side by side.
const first = Promise.all([
  run('facturx', 'make', ubl, '-o', pdf),
  run('render', cii, '-o', base),
  run('convert', corpusPdf, '--to', 'cii', '-o', toCii),
  run('convert', huge, '--to', 'cii', '-o', path.join(dir, 'x')),
]);

test('facturx make then facturx extract: the UBL invoice comes back as CII', async () => {
  const [made] = await first;
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stderr, /Factur-X écrit/);
  const extracted = await run('facturx', 'extract', pdf);
  assert.equal(extracted.code, 0);
  const back = readInvoiceXml(extracted.stdout);
  assert.equal(back.syntax, 'CII');
  assert.deepEqual(back.invoice, readInvoiceXml(readFileSync(ubl)).invoice);
});

test('render, then facturx make --pdf attaches our CII to that PDF unchanged', async () => {
  const [, rendered] = await first;
  assert.equal(rendered.code, 0, rendered.stderr);
  await assert.rejects(extractInvoiceFromPdf(readFileSync(base)), { code: 'PDF_NO_INVOICE' });
  const out = path.join(dir, 'fournisseur-facturx.pdf');
  const made = await run('facturx', 'make', cii, '--pdf', base, '-o', out);
  assert.equal(made.code, 0, made.stderr);
  assert.deepEqual(Buffer.from((await extractInvoiceFromPdf(readFileSync(out))).xml), readFileSync(cii));
});

test('convert: a Factur-X PDF → CII', async () => {
  const [, , b] = await first;
  assert.equal(b.code, 0, b.stderr);
  assert.equal(readInvoiceXml(readFileSync(toCii)).invoice.number, '471102');
});

test('a 200 MB file is refused without being read: French message, exit code 1', async () => {
  const [, , , big] = await first;
  assert.equal(big.code, 1);
  assert.match(big.stderr, /^Erreur : Fichier trop volumineux \(200\.0 Mo\)/);
});
