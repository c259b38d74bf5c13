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

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Only the content fields are hashed (whatever else the row carries, such as the actor's name). */
export function eventHash(prevHash: string, e: ChainedContent): string {
  const content = {
    invoiceId: e.invoiceId, seq: e.seq, type: e.type, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, actorUserId: e.actorUserId,
    actorRole: e.actorRole, reason: e.reason, comment: e.comment, data: e.data, createdAt: e.createdAt.toISOString(),
  };
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
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
