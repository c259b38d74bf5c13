import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FIXTURES } from './fixtures.ts';

/** `ouvrage validate` as a child process: output, JSON shape and exit codes (0 valid, 1 invalid, 2 unreadable). */
const root = path.resolve(import.meta.dirname, '..', '..');
const entry = process.env.OUVRAGE_CLI_ENTRY ?? path.join(root, 'bin', 'ouvrage.mjs');
const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [entry, ...args], { cwd: root, maxBuffer: 10 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

interface JsonResult {
  file: string;
  syntax: string | null;
  profile: string | null;
  valid: boolean;
  error?: { code: string; message: string };
  findings: { rule: string; flag: string; location: string; message: string; messageFr: string }[];
}
const parse = (stdout: string) => JSON.parse(stdout) as { results: JsonResult[] };

const dir = mkdtempSync(path.join(tmpdir(), 'ouvrage-validate-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const ubl = path.join(FIXTURES, 'cen-en16931/ubl/examples/ubl-tc434-example1.xml');
const cii = path.join(FIXTURES, 'akretion-factur-x/factur-x-en16931.xml');
const pdf = path.join(FIXTURES, 'akretion-factur-x/invoice_EN16931.pdf');
// Totals broken: the invoice total with VAT no longer adds up (BR-CO-15) and no longer matches the amount due.
const broken = path.join(dir, 'totaux-faux.xml');
writeFileSync(broken, readFileSync(ubl, 'utf8').replace('<cbc:TaxInclusiveAmount currencyID="EUR">250.33<', '<cbc:TaxInclusiveAmount currencyID="EUR">999.99<'));
const notInvoice = path.join(dir, 'commande.xml');
writeFileSync(notInvoice, '<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>');
const xxe = path.join(dir, 'xxe.xml');
writeFileSync(xxe, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>');

// Child processes pay the CLI's cold start: run them side by side.
const runs = Promise.all([
  run('validate', '--json', ubl, cii, pdf),
  run('validate', '--json', '--no-xsd', broken),
  run('validate', '--json', '--no-xsd', ubl, path.join(dir, 'absent.xml'), notInvoice, xxe),
  run('validate', '--no-xsd', '--rules', 'en16931,chorus', '--exige', 'code-service', ubl),
  run('validate', '--rules', 'inconnu', ubl),
]);

test('valid UBL, CII and Factur-X PDF: exit 0, one JSON document with syntax, profile and no fatal finding', async () => {
  const [r] = await runs;
  assert.equal(r.code, 0, r.stderr);
  const { results } = parse(r.stdout);
  assert.deepEqual(
    results.map((x) => [path.basename(x.file), x.syntax, x.profile, x.valid]),
    [
      ['ubl-tc434-example1.xml', 'ubl', 'EN16931', true],
      ['factur-x-en16931.xml', 'cii', 'EN16931', true],
      ['invoice_EN16931.pdf', 'cii', 'EN16931', true],
    ],
  );
  for (const x of results) assert.equal(x.findings.filter((f) => f.flag === 'fatal').length, 0);
});

test('inconsistent totals: exit 1, BR-CO-15 with its location, official and French messages', async () => {
  const [, r] = await runs;
  assert.equal(r.code, 1, r.stderr);
  const [x] = parse(r.stdout).results;
  assert.equal(x.valid, false);
  const f = x.findings.find((g) => g.rule === 'BR-CO-15');
  assert.ok(f, JSON.stringify(x.findings));
  assert.equal(f.flag, 'fatal');
  assert.equal(f.location, '/Invoice'); // the official rule's context is the document root
  assert.match(f.message, /^\[BR-CO-15\]/);
  assert.match(f.messageFr, /TTC|TVA/);
  assert.deepEqual(Object.keys(f).sort(), ['flag', 'location', 'message', 'messageFr', 'rule']);
});

test('a file that cannot be read makes the exit code 2; the others are still reported', async () => {
  const [, , r] = await runs;
  assert.equal(r.code, 2, r.stderr);
  const { results } = parse(r.stdout);
  assert.deepEqual(
    results.map((x) => [path.basename(x.file), x.valid, x.error?.code ?? null]),
    [
      ['ubl-tc434-example1.xml', true, null],
      ['absent.xml', false, 'FILE_UNREADABLE'],
      ['commande.xml', false, 'NOT_AN_INVOICE'],
      ['xxe.xml', false, 'XML_DOCTYPE_FORBIDDEN'],
    ],
  );
  assert.match(results[2].error!.message, /n'est pas une facture/);
});

test('--rules en16931,chorus with a recipient that requires a service code: French message naming the field', async () => {
  const [, , , r] = await runs;
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /erreur CPRO-04 : Le code service du destinataire est obligatoire pour cet acheteur/);
  assert.match(r.stdout, /erreur CPRO-01 : Le SIRET du destinataire est obligatoire/);
  assert.match(r.stdout, /à \/Invoice\/cbc:BuyerReference/);
});

test('an unknown rule set is refused with the list of sets', async () => {
  const [, , , , r] = await runs;
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Jeux de règles possibles : en16931/);
});
