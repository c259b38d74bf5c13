import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { importEspd } from '../../src/formats/espd/index.ts';
import { FIXTURES } from './fixtures.ts';
import { pdfText } from '../formats/pdf-inspect.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const ouvrage = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'dume', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
const fx = (rel: string) => path.join(FIXTURES, rel);

/** Runs the commands two at a time (each child starts the whole CLI). */
async function pool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

test('ouvrage dume show | convert | merge | pdf, and a clear error on a bad file', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'ouvrage-dume-'));
  try {
    const [show, json, convert, merge, bad, pdf] = await pool([
      () => ouvrage('show', fx('v2.1.1/xml/EXTENDED-ESPDResponse-2.1.1.xml')),
      () => ouvrage('show', fx('v4.1.0/xml/ESPD-Request.xml'), '--json'),
      () => ouvrage('convert', fx('v4.1.0/xml/ESPD-Response.xml'), '--to', '2.1.1', '-o', path.join(out, 'converted.xml')),
      () =>
        ouvrage(
        'merge',
        fx('v1.0.2/espd-service-samples/response/merging/request_to_merge.xml'),
        fx('v1.0.2/espd-service-samples/response/merging/response_to_merge.xml'),
        '-o',
        path.join(out, 'merged.xml'),
      ),
      () => ouvrage('show', fx('v2.1.0/xml/Lots-SelfContained-Response_V2.1.0.xml')),
      () => ouvrage('pdf', fx('v1.0.2/espd-service-samples/response/merging/response_to_merge.xml'), '-o', path.join(out, 'dume.pdf')),
    ]);

    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /DUME opérateur économique \(réponse\) — ESPD-EDM 2\.1\.1 \(Extended\)/);
    assert.match(show.stdout, /Référence de la procédure : PP\.20170419\.1024-9/);

    assert.equal(json.code, 0, json.stderr);
    const model = JSON.parse(json.stdout);
    assert.equal(model.kind, 'request');
    assert.equal(model.version, '4.1.0');
    assert.equal(model.criteria.length, 62);

    assert.equal(convert.code, 0, convert.stderr);
    assert.match(convert.stdout, /converti en 2\.1\.1/);
    assert.match(convert.stdout, /cac:ProcurementProjectLotReference/);
    const converted = importEspd(readFileSync(path.join(out, 'converted.xml')));
    assert.equal(converted.version, '2.1.1');
    assert.equal(converted.kind, 'response');

    assert.equal(merge.code, 0, merge.stderr);
    assert.match(merge.stdout, /Critères repris de l’ancienne réponse \(2\)/);
    assert.match(merge.stdout, /Critères à compléter \(2\) :\n {2}- Payment of taxes/);
    const merged = importEspd(readFileSync(path.join(out, 'merged.xml')));
    assert.equal(merged.kind, 'response');
    assert.equal(merged.procedure.fileReference, 'SMART 2015/0075');

    assert.equal(pdf.code, 0, pdf.stderr);
    assert.match(pdf.stdout, /rendu en PDF/);
    const text = (await pdfText(readFileSync(path.join(out, 'dume.pdf')))).join(' ');
    assert.match(text, /DUME opérateur économique/);

    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Erreur : Le fichier n'est pas un XML bien formé \(ligne 523\)/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
