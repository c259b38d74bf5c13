import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestApp } from '../helpers/test-app.ts';
import { seedSandbox } from '../../src/demo/sandbox.ts';

const run = promisify(execFile);
const DOC = path.resolve(import.meta.dirname, '..', '..', 'docs', 'sandbox.md');

/** The shell block of « Essayer avec curl », as an integrator copies it. */
function curlBlock(): string {
  const md = readFileSync(DOC, 'utf8');
  const section = md.slice(md.indexOf('## Essayer avec curl'));
  const m = /```sh\n([\s\S]*?)\n```/.exec(section);
  assert.ok(m, 'docs/sandbox.md has its curl block');
  return m[1];
}

/**
 * docs/sandbox.md promises curl examples that work as written: its block runs unchanged in bash (only BASE points
 * at this server) from a folder holding the sandbox.json that `seed --sandbox --json` prints.
 */
describe('docs/sandbox.md: the curl examples, run as written', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let dir: string;
  let base: string;
  before(async () => {
    app = await startTestApp();
    await app.http!.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.http!.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(path.join(os.tmpdir(), 'ouvrage-sandbox-doc-'));
    // What `npm run --silent ouvrage -- seed --sandbox --json > sandbox.json` writes.
    writeFileSync(path.join(dir, 'sandbox.json'), `${JSON.stringify(await seedSandbox(app.ctx), null, 2)}\n`);
  });
  after(async () => {
    await app?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('every step answers as the comments say', async () => {
    const block = curlBlock();
    assert.match(block, /^BASE=http:\/\/127\.0\.0\.1:8080$/m);
    // One answer per line on stdout, and each HTTP status on stderr: the block itself is not changed.
    const script = `set -eu\ncurl() { command curl -w '%{stderr}%{http_code}\\n' "$@"; echo; }\n${block.replace(/^BASE=.*$/m, `BASE=${base}`)}\n`;
    const { stdout, stderr } = await run('bash', ['-c', script], { cwd: dir, env: { ...process.env }, maxBuffer: 10 * 1024 * 1024, timeout: 120_000 });
    const answers = stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    const statuses = stderr.split('\n').filter((l) => /^\d{3}$/.test(l));
    assert.deepEqual(statuses.filter((s) => s !== '200'), ['400'], `only step 4 is refused: ${stderr}`);
    assert.equal(answers.length, 8, stdout);
    const [annuaire, soumise, refusee, emises, recues, serviceFait, flux, cr] = answers;

    assert.equal(annuaire.codeRetour, 0);
    assert.deepEqual(annuaire.listeDestinataires.map((d: any) => d.siret), ['12345678200028', '12345678200036', '12345678200044', '12345678200051']);
    assert.equal(soumise.codeRetour, 0);
    assert.equal(soumise.numeroFacture, 'ESSAI-0001');
    assert.equal(soumise.statutFacture, 'DEPOSEE');
    assert.equal(refusee.codeRetour, 20102);
    assert.match(refusee.libelle, /\[destinataire\.codeServiceExecutant\] Code service : .* exige un code service sur ses factures\./);
    assert.equal(emises.listeFactures[0].numeroFacture, 'ESSAI-0001');
    assert.equal(recues.listeFactures[0].statut, 'MISE_A_DISPOSITION');
    assert.equal(recues.listeFactures[0].idFacture, soumise.identifiantFactureCPP);
    assert.equal(serviceFait.codeRetour, 0);
    assert.equal(serviceFait.nouveauStatut, 'SERVICE_FAIT');
    assert.match(flux.numeroFluxDepot, /^CPP\d{22}$/);
    assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE', JSON.stringify(cr));
    assert.deepEqual(cr.listeErreurDP, []);
  });
});
