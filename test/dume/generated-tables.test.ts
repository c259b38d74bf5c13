import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateCriteria, generateSequences } from './generate-tables.ts';

const generated = path.resolve(import.meta.dirname, '../../src/formats/espd/generated');

test('the schema-order and criterion-code tables match the fixtures they were generated from', () => {
  assert.equal(readFileSync(path.join(generated, 'ubl-order.ts'), 'utf8'), generateSequences());
  assert.equal(readFileSync(path.join(generated, 'criterion-codes.ts'), 'utf8'), generateCriteria());
});

test('the criteria taxonomy a new request is built from matches the fixtures and the French labels of the notes', async () => {
  const { generateTaxonomy } = await import('./generate-taxonomy.ts');
  assert.equal(readFileSync(path.join(generated, 'taxonomy.ts'), 'utf8'), generateTaxonomy());
});
