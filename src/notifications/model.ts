/**
 * What people can tune about their notifications: per category, the mail comes immediately, in one daily
 * digest, or not at all. The in-app notification always exists.
 */
export const CATEGORIES = ['FACTURES', 'VALIDATION', 'TRAVAUX', 'COMPTE'] as const;
export type Category = (typeof CATEGORIES)[number];
export const MAIL_FREQUENCIES = ['IMMEDIAT', 'QUOTIDIEN', 'AUCUN'] as const;
export type MailFrequency = (typeof MAIL_FREQUENCIES)[number];
export const DEFAULT_FREQUENCY: MailFrequency = 'IMMEDIAT';

export const CATEGORY_LABELS: Record<Category, string> = {
  FACTURES: 'Factures : changements de statut, lots, retards de paiement',
  VALIDATION: 'Factures à valider : demandes et rappels',
  TRAVAUX: 'Factures de travaux : pièces, délais, alertes',
  COMPTE: 'Structures : rattachements et droits',
};
export const FREQUENCY_LABELS: Record<MailFrequency, string> = {
  IMMEDIAT: 'Un courriel immédiatement',
  QUOTIDIEN: 'Un résumé quotidien (7 h)',
  AUCUN: "Pas de courriel (dans l'application seulement)",
};

/** The category of a notification kind, when its sender does not give one. */
export function categoryOfKind(kind: string): Category {
  if (kind.startsWith('WORKS_')) return 'TRAVAUX';
  if (kind.startsWith('INVOICE_VALIDATION')) return 'VALIDATION';
  if (kind.startsWith('INVOICE_')) return 'FACTURES';
  return 'COMPTE';
}

/** The daily digest leaves at 07:00 Europe/Paris; a worker down at 07:00 catches up until 11:00, never later (the next day's digest takes the items then). */
export const DIGEST_HOUR = 7;
export const DIGEST_CATCH_UP_HOURS = 4;

const parisParts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
const partsOf = (d: Date) => Object.fromEntries(parisParts.formatToParts(d).map((p) => [p.type, p.value]));

/** The instant of this Paris day's digest (07:00 Europe/Paris, summer or winter time). */
export function digestTimeOfDay(now: Date): Date {
  const p = partsOf(now);
  const utc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), DIGEST_HOUR);
  for (const offsetHours of [1, 2]) {
    const t = new Date(utc - offsetHours * 3_600_000);
    const q = partsOf(t);
    if (q.day === p.day && Number(q.hour) === DIGEST_HOUR) return t;
  }
  return new Date(utc - 3_600_000);
}

export interface DigestItem {
  category: string;
  message: string;
  link: string | null;
  createdAt: Date;
}

const time = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });

/** The one mail of a digest: the notifications since the last one, by category, oldest first. */
export function digestMail(items: DigestItem[], publicUrl: string): { subject: string; text: string } {
  const n = items.length;
  const lines: string[] = ['Bonjour,', '', `Voici ${n > 1 ? `les ${n} notifications` : 'la notification'} reçue${n > 1 ? 's' : ''} depuis votre dernier résumé.`];
  for (const c of CATEGORIES) {
    const of = items.filter((i) => i.category === c);
    if (!of.length) continue;
    lines.push('', `${CATEGORY_LABELS[c]}`);
    for (const i of of) lines.push(`- ${time.format(i.createdAt)} — ${i.message}${i.link ? `\n  ${publicUrl}${i.link}` : ''}`);
  }
  lines.push('', `Vos préférences de notification : ${publicUrl}/compte#notifications`, '');
  return { subject: `Ouvrage — résumé quotidien : ${n} notification${n > 1 ? 's' : ''}`, text: lines.join('\n') };
}
