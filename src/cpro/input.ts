import { BASE64_TEXT as BASE64, DecodedFile } from '../shared/decoded-file.ts';
import { CODE, CproError } from './envelope.ts';

/**
 * Reading Chorus Pro request bodies as integrators send them: numbers as JSON numbers or strings, dates as
 * `AAAA-MM-JJ`, ISO date-times or epoch milliseconds, optional containers. Pure.
 */
export type Body = Record<string, unknown>;

export const obj = (v: unknown): Body => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]);
export function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}
export function int(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d{1,15}$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}
/** A decimal amount as exact text: JSON numbers keep their shortest decimal writing (1200.5 → "1200.5"). */
export function amountText(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v).includes('e') ? v.toFixed(6) : String(v);
  if (typeof v === 'string' && v.trim()) return v.trim().replace(',', '.');
  return null;
}
const parisDayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
const parisDays = new Map<number, string>();
const SINCE_1980 = 315_532_800_000;
/**
 * The Paris day of an instant, AAAA-MM-JJ. Paris is a whole number of hours from UTC (since 1911), so the day
 * changes on a UTC hour: formatted once per hour of instants (Intl's formatting was ≈ 3 % of a consultation).
 */
export const parisDay = (d: Date) => {
  const t = d.getTime();
  if (!(t >= SINCE_1980)) return parisDayFmt.format(d);
  const hour = Math.floor(t / 3_600_000);
  let s = parisDays.get(hour);
  if (s === undefined) {
    if (parisDays.size >= 10_000) parisDays.clear();
    parisDays.set(hour, (s = parisDayFmt.format(d)));
  }
  return s;
};
/** A day as sent by clients: "2026-03-15", "2026-03-15T00:00:00.000+01:00" or epoch milliseconds. */
export function day(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return parisDay(new Date(v));
  const s = str(v);
  if (!s) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(s);
  if (!m) return s;
  if (m[2] && /[+-]\d{2}:?\d{2}$|Z$/.test(m[2])) {
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return parisDay(new Date(t));
  }
  return m[1]!;
}
export const bool = (v: unknown) => v === true || v === 'true' || v === 'OUI';

/** A mandatory identifier of the request: HTTP 400 naming the field when absent. */
export function requiredId(body: Body, ...names: string[]): number {
  for (const n of names) {
    const id = int(body[n]);
    if (id) return id;
  }
  throw new CproError(CODE.DONNEES_INVALIDES, `[${names[0]}] Ce champ est obligatoire et doit être un identifiant numérique.`);
}

/** The fields whose value is a file in base64 (read by base64File): the HTTP adapter may hand them over decoded. */
export const FILE_FIELDS: ReadonlySet<string> = new Set(['fichierFlux', 'fichierFacture', 'pieceJointeFichier']);

/**
 * Decodes a base64 file of the request; names the field when it is not base64. Blanks (line breaks of MIME
 * encoders) are allowed: a text without any passes the check as it is, and only the others are stripped then
 * checked again (a flow's base64 takes up to 200 MB: one scan rather than two).
 */
export function base64File(v: unknown, field: string): Buffer {
  if (v instanceof DecodedFile) return v.bytes;
  let s = typeof v === 'string' ? v : '';
  const plain = BASE64.test(s);
  if (!plain) s = s.replace(/\s+/g, '');
  if (!s) throw new CproError(CODE.DONNEES_INVALIDES, `[${field}] Le fichier (encodé en base64) est obligatoire.`);
  if (!plain && !BASE64.test(s)) throw new CproError(CODE.DONNEES_INVALIDES, `[${field}] Le fichier doit être encodé en base64.`);
  return Buffer.from(s, 'base64');
}
