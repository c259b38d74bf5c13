import { Decimal } from 'decimal.js';

/**
 * French formatting for the human-readable invoice. Deterministic (no locale data): the same invoice always
 * renders the same bytes. Thousands are separated by a narrow no-break space, decimals by a comma.
 */
const NNBSP = '\u202f';
const NBSP = '\u00a0';

function group(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP);
}

function formatDecimal(d: Decimal, minDecimals: number, maxDecimals: number): string {
  let s = d.toDecimalPlaces(maxDecimals, Decimal.ROUND_HALF_UP).toFixed();
  const negative = s.startsWith('-');
  if (negative) s = s.slice(1);
  let [int, dec = ''] = s.split('.');
  dec = dec.replace(/0+$/, '');
  while (dec.length < minDecimals) dec += '0';
  return `${negative ? '-' : ''}${group(int)}${dec ? `,${dec}` : ''}`;
}

function toDecimal(value: string | undefined): Decimal | null {
  if (value === undefined || value.trim() === '') return null;
  try {
    return new Decimal(value.trim());
  } catch {
    return null;
  }
}

const CURRENCY_SYMBOL: Record<string, string> = { EUR: '€', USD: '$', GBP: '£', CHF: 'CHF' };

/** '1234.5' → '1 234,50 €' (an amount: rounded half-up to two decimals). */
export function money(value: string | undefined, currency = 'EUR'): string {
  const d = toDecimal(value);
  if (!d) return value ?? '';
  return `${formatDecimal(d, 2, 2)}${NBSP}${CURRENCY_SYMBOL[currency] ?? currency}`;
}

/** A unit price keeps up to four decimals, at least two: '9.9000' → '9,90 €', '0.6667' → '0,6667 €'. */
export function price(value: string | undefined, currency = 'EUR'): string {
  const d = toDecimal(value);
  if (!d) return value ?? '';
  return `${formatDecimal(d, 2, 4)}${NBSP}${CURRENCY_SYMBOL[currency] ?? currency}`;
}

/** A quantity or a percentage without useless zeros: '20.0000' → '20', '19.6' → '19,6'. */
export function number(value: string | undefined): string {
  const d = toDecimal(value);
  return d ? formatDecimal(d, 0, 6) : (value ?? '');
}

export function percent(value: string | undefined): string {
  return value === undefined ? '' : `${number(value)}${NBSP}%`;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** '2026-03-01' → '1er mars 2026'. */
export function dateFr(iso: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  if (!m) return iso ?? '';
  const day = Number(m[3]);
  return `${day === 1 ? '1er' : day}${NBSP}${MONTHS[Number(m[2]) - 1]}${NBSP}${m[1]}`;
}

/** UNTDID 1001 document types as a French reader knows them. */
export function documentTitle(typeCode: string): string {
  switch (typeCode) {
    case '381':
    case '261':
    case '262':
    case '396':
    case '532':
      return 'Avoir';
    case '384':
      return 'Facture rectificative';
    case '386':
      return "Facture d'acompte";
    case '389':
      return 'Autofacture';
    case '751':
      return 'Facture (information comptable)';
    default:
      return 'Facture';
  }
}

/** UNCL 5305 VAT categories. */
export const VAT_CATEGORY_FR: Record<string, string> = {
  S: 'Taux normal',
  Z: 'Taux zéro',
  E: 'Exonération',
  AE: 'Autoliquidation',
  K: 'Livraison intracommunautaire',
  G: 'Exportation hors UE',
  O: 'Hors champ de la TVA',
  L: 'IGIC (Canaries)',
  M: 'IPSI (Ceuta et Melilla)',
};

/** UNTDID 4461 payment means most used in France. */
export const PAYMENT_MEANS_FR: Record<string, string> = {
  '1': 'Non défini',
  '10': 'Espèces',
  '20': 'Chèque',
  '30': 'Virement',
  '31': 'Virement',
  '42': 'Virement sur compte bancaire',
  '48': 'Carte bancaire',
  '49': 'Prélèvement',
  '57': 'Accord de paiement permanent',
  '58': 'Virement SEPA',
  '59': 'Prélèvement SEPA',
  '97': 'Compensation',
  ZZZ: 'Autre',
};
