import { CompiledQuery, type Insertable } from 'kysely';
import type { DB } from './schema.ts';
import type { Executor } from './open-database.ts';

/** Statement texts kept (one per table, columns, row count and ending; a flow's chunks reuse a handful). */
const MAX_TEXTS = 2000;
const texts = new Map<string, string>();
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * A multi-row insert written straight to SQL, as Kysely's `insertInto(table).values(rows)` writes it (the columns
 * are those any row defines; a row without one gets DEFAULT), without building a query tree per value: a flow's
 * chunk inserts thousands of values (its events, lines, documents), where the tree cost more than the statement.
 * `end`: a fixed ending (`returning …`, `on conflict …`), never built from values.
 */
export async function insertRows<T extends keyof DB & string, R = unknown>(db: Executor, table: T, rows: ReadonlyArray<Insertable<DB[T]>>, end = ''): Promise<R[]> {
  if (!rows.length) return [];
  const { text, parameters } = insertStatement(table, rows, end);
  return (await db.executeQuery<R>(CompiledQuery.raw(text, parameters))).rows;
}

/** The text and parameters of insertRows (the same as Kysely compiles). */
export function insertStatement(table: string, rows: ReadonlyArray<object>, end = ''): { text: string; parameters: unknown[] } {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const k in row)
      if (!seen.has(k) && (row as Record<string, unknown>)[k] !== undefined) {
        seen.add(k);
        columns.push(k);
      }
  const parameters: unknown[] = [];
  // Which values are DEFAULT (undefined) is part of the text's key, as it is of the text.
  let holes = '';
  for (const row of rows)
    for (const c of columns) {
      const v = (row as Record<string, unknown>)[c];
      if (v === undefined) holes += `${parameters.length},`;
      else parameters.push(v);
    }
  const key = `${table}\n${columns.join(',')}\n${rows.length}\n${holes}\n${end}`;
  let text = texts.get(key);
  if (!text) {
    let n = 0;
    const tuples: string[] = [];
    for (const row of rows) tuples.push(`(${columns.map((c) => ((row as Record<string, unknown>)[c] === undefined ? 'default' : `$${++n}`)).join(', ')})`);
    text = `insert into ${ident(table)} (${columns.map(ident).join(', ')}) values ${tuples.join(', ')}${end ? ` ${end}` : ''}`;
    if (texts.size < MAX_TEXTS) texts.set(key, text);
  }
  return { text, parameters };
}
