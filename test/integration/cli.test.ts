import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'ouvrage.mjs');

describe('the ouvrage command', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ouvrage-cli-'));
  const env = { ...process.env, DATABASE_URL: `pglite://${path.join(dir, 'pglite')}`, DATA_DIR: dir, LOG_LEVEL: 'silent', WORKERS: 'off' };
  after(() => rmSync(dir, { recursive: true, force: true }));

  const ouvrage = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 90_000 });
      return { code: 0, stdout, stderr };
    } catch (err: any) {
      return { code: err.code as number, stdout: err.stdout as string, stderr: err.stderr as string };
    }
  };

  test('migrate applies the migrations once, then says the database is up to date', async () => {
    const first = await ouvrage('migrate');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Migrations appliquées : 0001_foundation/);
    const second = await ouvrage('migrate');
    assert.match(second.stdout, /Base de données à jour/);
  });

  test('user create makes an active account; bad input exits 1 with a French message', async () => {
    const ok = await ouvrage('user', 'create', '--email', 'alex@example.test', '--first-name', 'Alex', '--last-name', 'Martin', '--password', 'Exploitation-2026!');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Compte créé/);
    const dup = await ouvrage('user', 'create', '--email', 'alex@example.test', '--first-name', 'Alex', '--last-name', 'Martin', '--password', 'Exploitation-2026!');
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /Un compte existe déjà/);
    const weak = await ouvrage('user', 'create', '--email', 'b@example.test', '--first-name', 'B', '--last-name', 'C', '--password', 'faible');
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /12 caractères/);
  });
});
