/**
 * CSV for spreadsheets used in France: semicolon separator, CRLF line ends, UTF-8 with a byte order mark
 * (so Excel reads the accents). Pure functions.
 */

/** Quotes a field when needed, and defuses spreadsheet formulas (a cell starting with = + - @). */
export function csvField(value: string | null | undefined): string {
  let s = value ?? '';
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvDocument(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null | undefined>>): string {
  const lines = [header, ...rows].map((r) => r.map(csvField).join(';'));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
