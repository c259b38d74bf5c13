import { randomInt } from 'node:crypto';
import type { CompanyData } from './build-request.ts';

export const REQUEST_STATUS_LABELS: Record<string, string> = { BROUILLON: 'Brouillon', PUBLIEE: 'Publiée' };
export const RESPONSE_STATUS_LABELS: Record<string, string> = { BROUILLON: 'Brouillon', FINALISEE: 'Finalisée' };
export const ORIGIN_LABELS: Record<string, string> = {
  VIERGE: 'Réponse pré-remplie avec les données de l’entreprise',
  FUSION: 'Fusion avec un DUME précédent',
  REUTILISATION: 'Réutilisation d’un DUME précédent',
  IMPORT: 'Import d’un fichier XML',
};

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** A DUME number: 8 random alphanumeric characters, as the Service DUME gives them. */
export const newDumeNumber = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
export const DUME_NUMBER = /^[a-z0-9]{8}$/;

/** The shareable link of a published request. */
export const requestLink = (publicUrl: string, number: string) => `${publicUrl.replace(/\/$/, '')}/dume/${number}`;

/** A structure row as the company (or buyer) data a DUME is pre-filled with. */
export const companyOf = (s: {
  name: string; identifier_type: string; identifier: string; vat_number: string | null; address_line: string | null; postcode: string | null; city: string | null; country_code: string; contact_email: string | null;
}): CompanyData => ({
  name: s.name, identifierType: s.identifier_type, identifier: s.identifier, vatNumber: s.vat_number, addressLine: s.address_line, postcode: s.postcode, city: s.city, countryCode: s.country_code, email: s.contact_email,
});

/** Today in Europe/Paris, and the time, as ESPD header values. */
export function issueStamp(now: Date) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { issueDate: `${get('year')}-${get('month')}-${get('day')}`, issueTime: `${get('hour')}:${get('minute')}:${get('second')}` };
}
