/** A service code as Chorus Pro knows it: letters, digits, dash and underscore, up to 100 characters. */
export const SERVICE_CODE = /^[A-Za-z0-9_-]{1,100}$/;

/** A service is usable on invoices when active and within its validity dates (ISO dates compare as strings). */
export function serviceIsValidOn(s: { active: boolean; valid_from: string | null; valid_to: string | null }, isoDay: string): boolean {
  return s.active && (!s.valid_from || s.valid_from <= isoDay) && (!s.valid_to || s.valid_to >= isoDay);
}

/** Today's date (YYYY-MM-DD) in Europe/Paris, the calendar of the portal. */
export function parisIsoDay(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
