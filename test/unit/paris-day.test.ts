import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parisDay } from '../../src/cpro/input.ts';

const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

test('parisDay gives the Paris day of every instant, around midnight and the clock changes', () => {
  // Every 7 minutes over the days of both 2026 clock changes and a new year, twice (the second pass reads the kept days).
  const spans = [['2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'], ['2026-10-23T00:00:00Z', '2026-10-27T00:00:00Z'], ['2026-12-30T00:00:00Z', '2027-01-02T00:00:00Z']];
  for (let pass = 0; pass < 2; pass++)
    for (const [from, to] of spans)
      for (let t = Date.parse(from!); t < Date.parse(to!); t += 7 * 60_000) assert.equal(parisDay(new Date(t)), intl.format(new Date(t)), new Date(t).toISOString());
  assert.equal(parisDay(new Date('2026-03-28T22:59:59.999Z')), '2026-03-28');
  assert.equal(parisDay(new Date('2026-03-28T23:00:00Z')), '2026-03-29');
  assert.equal(parisDay(new Date('2026-10-24T21:59:59.999Z')), '2026-10-24');
  assert.equal(parisDay(new Date('2026-10-24T22:00:00Z')), '2026-10-25');
  assert.equal(parisDay(new Date('1970-01-01T23:30:00Z')), '1970-01-02');
  assert.throws(() => parisDay(new Date(Number.NaN)), RangeError);
});
