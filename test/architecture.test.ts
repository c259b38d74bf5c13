import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The dependency rule of docs/architecture.md, checked on every import of src/:
 * arrows point inward; nothing imports the transports; pure libraries import only pure libraries.
 */
const src = path.resolve(import.meta.dirname, '..', 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** The top-level area of a file: `accounts`, `web`, `api`, or the file name for root files. */
const areaOf = (file: string) => path.relative(src, file).split(path.sep)[0].replace(/\.tsx?$/, '');

const OUTER = ['web', 'api', 'cli', 'jobs', 'http', 'main', 'app', 'demo'];
const PURE = ['shared', 'formats', 'validation', 'documents'];
const INFRA = ['config', 'db', 'queue', 'storage', 'mail', 'context'];
const DOMAIN = ['accounts', 'structures', 'directory', 'history', 'notifications', 'contracts', 'invoices', 'works', 'dume', 'cpro'];

/** Who may import whom. */
function allowed(from: string, to: string): boolean {
  if (from === to) return true;
  // Pure libraries use each other (validation reads the formats' model) but never I/O or the domain.
  if (PURE.includes(from)) return PURE.includes(to);
  if (INFRA.includes(from)) return PURE.includes(to) || INFRA.includes(to);
  if (DOMAIN.includes(from)) return PURE.includes(to) || INFRA.includes(to) || DOMAIN.includes(to);
  if (from === 'demo') return !['web', 'api', 'cli', 'http', 'main', 'jobs'].includes(to);
  if (OUTER.includes(from)) return to !== 'main' && (to !== 'demo' || from === 'main' || from === 'cli');
  return false;
}

test('every import in src/ follows the dependency rule', () => {
  const violations: string[] = [];
  for (const file of filesUnder(src)) {
    const from = areaOf(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
      const target = path.resolve(path.dirname(file), m[1]);
      if (!target.startsWith(src)) continue;
      const to = areaOf(target);
      if (!allowed(from, to)) violations.push(`${path.relative(src, file)} → ${m[1]} (${from} → ${to})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('a domain module is entered only through its index.ts from other modules', () => {
  const violations: string[] = [];
  for (const file of filesUnder(src)) {
    const from = areaOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)) {
      const target = path.resolve(path.dirname(file), m[1]);
      const to = areaOf(target);
      if (to === from || !DOMAIN.includes(to)) continue;
      if (path.basename(target) !== 'index.ts') violations.push(`${path.relative(src, file)} → ${m[1]}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the rule itself refuses the forbidden edges', () => {
  assert.equal(allowed('shared', 'db'), false);
  assert.equal(allowed('accounts', 'web'), false);
  assert.equal(allowed('structures', 'api'), false);
  assert.equal(allowed('db', 'accounts'), false);
  assert.equal(allowed('web', 'structures'), true);
});
