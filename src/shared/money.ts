/**
 * Money as exact decimal strings ('48500.00'), never JS numbers: amounts go to numeric columns as text
 * and come back as text. Pure functions.
 */

/** Up to 16 integer digits and 2 decimals, as stored in numeric(18, 2). */
export const DECIMAL_AMOUNT = /^\d{1,16}(\.\d{1,2})?$/;

/** Accepts what people type ("48 500,5") and returns the canonical form ("48500.5"), or null when not an amount. */
export function normalizeAmountInput(raw: string): string | null {
  const s = raw.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return DECIMAL_AMOUNT.test(s) ? s : null;
}

/** Two decimals, from a canonical amount: '48500.5' → '48500.50'. */
export function toTwoDecimals(amount: string): string {
  const [int, dec = ''] = amount.split('.');
  return `${int.replace(/^0+(?=\d)/, '')}.${(dec + '00').slice(0, 2)}`;
}

/** French display: '48500.00' → '48 500,00 €' (narrow no-break spaces as thousands separators). */
export function formatAmountFr(amount: string, currency = 'EUR'): string {
  const [int, dec] = toTwoDecimals(amount).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${grouped},${dec}\u00a0${currency === 'EUR' ? '€' : currency}`;
}
