import { createHash } from 'node:crypto';

/**
 * The hash chain of an invoice's path: each event's hash is the SHA-256 of the previous event's hash
 * and of its own content in a canonical form (sorted keys, ISO dates). Pure.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedContent {
  invoiceId: number;
  seq: number;
  type: string;
  action: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  actorUserId: number | null;
  actorRole: string | null;
  reason: string | null;
  comment: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * JSON with object keys sorted at every level: the same content always gives the same text. (Written with loops and
 * string appends, keys quoted once per process: it runs for every event of every invoice, several hundred per flow chunk.)
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // As JSON.stringify writes it: -0 as 0, NaN and the infinities as null.
      return Number.isFinite(value) ? `${value}` : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return JSON.stringify(value ?? null);
  }
  if (value === null) return 'null';
  if (value instanceof Date) return `"${value.toISOString()}"`;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i) out += ',';
      if (i in value) out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  // Own enumerable string keys in code-unit order (as Object.entries sorted with < and >), undefined values left out.
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++)
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += quotedKey(k) + canonicalJson(v);
  }
  return `${out}}`;
}

/** `"key":` for a key (the keys are the code's own field names: a few hundred, kept). */
const quotedKeys = new Map<string, string>();
function quotedKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = `${JSON.stringify(k)}:`;
    if (quotedKeys.size < 4096) quotedKeys.set(k, q);
  }
  return q;
}

/** `"key":value,` in canonical form, or nothing for an undefined value (as canonicalJson leaves it out). */
const member = (key: string, v: unknown) => (v === undefined ? '' : `"${key}":${canonicalJson(v)},`);

/**
 * Only the content fields are hashed (whatever else the row carries, such as the actor's name): the canonical JSON
 * of { invoiceId, seq, type, action, fromStatus, toStatus, actorUserId, actorRole, reason, comment, data, createdAt },
 * written here with its keys already in order.
 */
export function eventHash(prevHash: string, e: ChainedContent): string {
  const members = member('action', e.action) + member('actorRole', e.actorRole) + member('actorUserId', e.actorUserId) + member('comment', e.comment)
    + member('createdAt', e.createdAt.toISOString()) + member('data', e.data) + member('fromStatus', e.fromStatus) + member('invoiceId', e.invoiceId)
    + member('reason', e.reason) + member('seq', e.seq) + member('toStatus', e.toStatus) + member('type', e.type);
  return createHash('sha256').update(`${prevHash}\n{${members.slice(0, -1)}}`).digest('hex');
}

export type ChainVerdict = { ok: true; events: number } | { ok: false; events: number; brokenAtSeq: number; problem: string };

/** Checks a whole path, in order: sequence, link to the previous hash, and each event's own hash. */
export function verifyChain(events: Array<ChainedContent & { prevHash: string; hash: string }>): ChainVerdict {
  let prev = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.seq !== i + 1) return { ok: false, events: events.length, brokenAtSeq: e.seq, problem: `événement manquant avant le n° ${e.seq}` };
    if (e.prevHash !== prev) return { ok: false, events: events.length, brokenAtSeq: e.seq, problem: `le lien vers l'événement précédent ne correspond pas (n° ${e.seq})` };
    if (eventHash(prev, e) !== e.hash) return { ok: false, events: events.length, brokenAtSeq: e.seq, problem: `le contenu de l'événement n° ${e.seq} a été modifié` };
    prev = e.hash;
  }
  return { ok: true, events: events.length };
}
