import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { canonicalJson, eventHash, verifyChain, GENESIS_HASH, type ChainedContent } from '../../src/invoices/chain.ts';

/** The first writing of the canonical form: the chains recorded so far were hashed with it, so it must not drift. */
function referenceJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(referenceJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceJson(v)}`).join(',')}}`;
}
function referenceHash(prevHash: string, e: ChainedContent): string {
  const content = {
    invoiceId: e.invoiceId, seq: e.seq, type: e.type, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, actorUserId: e.actorUserId,
    actorRole: e.actorRole, reason: e.reason, comment: e.comment, data: e.data, createdAt: e.createdAt.toISOString(),
  };
  return createHash('sha256').update(prevHash).update('\n').update(referenceJson(content)).digest('hex');
}

/** A deterministic pseudo-random generator (the same values at every run). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const KEYS = ['a', 'b', 'B', 'é', 'Z', '10', '2', '_x', 'key with space', 'quote"', 'émoji😀', 'data', '', 'aa', 'a\u0000'];
const STRINGS = ['', 'x', 'Facture n° 12 « été »', 'line\nbreak', 'tab\t', '"quoted"', '\\', '😀', '\u2028', '\ud800'];
function valueOf(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.45) {
    const pick = Math.floor(next() * 12);
    return [null, undefined, true, false, 0, -0, 1.5, 1e21, NaN, -12345678901234, new Date(Date.UTC(2026, 10, 30, 13, 45, 7, 89)), STRINGS[Math.floor(next() * STRINGS.length)]][pick];
  }
  if (r < 0.7) {
    const arr: unknown[] = [];
    for (let i = Math.floor(next() * 5); i > 0; i--) arr.push(valueOf(next, depth + 1));
    if (next() < 0.1) arr[arr.length + 1] = 'after a hole';
    return arr;
  }
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 6); i > 0; i--) obj[KEYS[Math.floor(next() * KEYS.length)]!] = valueOf(next, depth + 1);
  return obj;
}

test('canonicalJson writes exactly what the first writing did, for every kind of JSON content', () => {
  const next = random(20261130);
  for (let i = 0; i < 5000; i++) {
    const v = valueOf(next, 0);
    assert.equal(canonicalJson(v), referenceJson(v), JSON.stringify(v));
  }
  assert.equal(canonicalJson({ b: 1, a: [undefined, { d: undefined, c: new Date(0) }], é: 'x' }), '{"a":[null,{"c":"1970-01-01T00:00:00.000Z"}],"b":1,"é":"x"}');
});

test('eventHash is the hash the first writing gave: recorded chains still verify', () => {
  const next = random(7);
  let prev = GENESIS_HASH;
  const events: Array<ChainedContent & { prevHash: string; hash: string }> = [];
  for (let seq = 1; seq <= 300; seq++) {
    const e: ChainedContent = {
      invoiceId: 42, seq, type: seq % 3 ? 'TRANSITION' : 'PIECE_JOINTE', action: next() < 0.3 ? null : 'DEPOSER', fromStatus: next() < 0.2 ? null : 'BROUILLON', toStatus: 'DEPOSEE',
      actorUserId: next() < 0.5 ? null : 7, actorRole: next() < 0.5 ? null : 'FOURNISSEUR', reason: next() < 0.8 ? null : 'Motif', comment: next() < 0.8 ? null : 'Un « commentaire »',
      data: valueOf(next, 1) as Record<string, unknown>, createdAt: new Date(Date.UTC(2026, 10, 30, 12, 0, seq)),
    };
    if (next() < 0.05) (e as unknown as Record<string, unknown>).reason = undefined;
    const hash = eventHash(prev, e);
    assert.equal(hash, referenceHash(prev, e));
    events.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  assert.deepEqual(verifyChain(events), { ok: true, events: 300 });
  // One recorded value, written out: a change of the canonical form would break every stored chain.
  const first: ChainedContent = { invoiceId: 1, seq: 1, type: 'CREATION', action: null, fromStatus: null, toStatus: 'BROUILLON', actorUserId: 3, actorRole: 'FOURNISSEUR', reason: null, comment: null, data: { number: 'F-1', totalWithVat: '120.00' }, createdAt: new Date('2026-11-30T12:00:00.000Z') };
  assert.equal(eventHash(GENESIS_HASH, first), createHash('sha256').update(`${GENESIS_HASH}\n{"action":null,"actorRole":"FOURNISSEUR","actorUserId":3,"comment":null,"createdAt":"2026-11-30T12:00:00.000Z","data":{"number":"F-1","totalWithVat":"120.00"},"fromStatus":null,"invoiceId":1,"reason":null,"seq":1,"toStatus":"BROUILLON","type":"CREATION"}`).digest('hex'));
});
