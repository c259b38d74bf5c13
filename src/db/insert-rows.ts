import { CompiledQuery, type Insertable } from 'kysely';
import type { DB } from './schema.ts';
import type { Executor } from './open-database.ts';
import { mapped } from '../shared/mapped.ts';

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
  const unnest = rows.length > 1 ? await unnestStatement(db, table, rows, end) : null;
  const { text, parameters } = unnest ?? insertStatement(table, rows, end);
  try {
    return (await db.executeQuery<R>(CompiledQuery.raw(text, parameters))).rows;
  } catch (err) {
    // The types cast to may be stale: a migration run by another process changed a column's type. Read from the
    // catalog again at the next insert, so that a retry (the job's) works without restarting the process.
    if (unnest && staleTypesMayCause(err)) forgetColumnTypes(table);
    throw err;
  }
}

/**
 * An error a cast to an old column type can give: class 42 (a type that no longer matches or exists) or 22 (a value
 * the old type cannot hold). Not a constraint's refusal (class 23: a duplicate key), which says nothing of the types.
 */
const staleTypesMayCause = (err: unknown) => /^(42|22)/.test(String((err as { code?: unknown })?.code ?? ''));

function forgetColumnTypes(table: string) {
  columnTypes.delete(table);
  const prefix = `unnest\n${table}\n`;
  for (const key of texts.keys()) if (key.startsWith(prefix)) texts.delete(key);
}

/** The columns' types of a table (`format_type`, null for an array type), read from the catalog once per process. */
const columnTypes = new Map<string, Promise<Map<string, string | null>>>();
function typesOf(db: Executor, table: string): Promise<Map<string, string | null>> {
  let types = columnTypes.get(table);
  if (!types) {
    types = db
      .executeQuery<{ name: string; type: string; is_array: boolean }>(CompiledQuery.raw(
        `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, t.typcategory = 'A' as is_array
         from pg_attribute a join pg_type t on t.oid = a.atttypid where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
        [ident(table)],
      ))
      .then((r) => new Map(r.rows.map((c) => [c.name, c.is_array ? null : c.type])));
    columnTypes.set(table, types);
    types.catch(() => columnTypes.get(table) === types && columnTypes.delete(table));
  }
  return types;
}

/**
 * The same insert with one array per column (`insert … select * from unnest($1::type[], …)`): PostgreSQL parses
 * and plans a statement of a few parameters instead of one per value (a chunk's events: 4,000), which cost it
 * ≈ 3.5 µs per value. Null (then the VALUES form) when a row leaves a column to its DEFAULT, a value is an array
 * (pg would send it as an array literal) or a column is itself an array (unnest would flatten it).
 */
export async function unnestStatement(db: Executor, table: string, rows: ReadonlyArray<object>, end = ''): Promise<{ text: string; parameters: unknown[] } | null> {
  const columns = Object.keys(rows[0]!);
  const arrays: unknown[][] = mapped(columns, () => new Array(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    let n = 0;
    for (const k in row) {
      const v = row[k];
      if (v === undefined || Array.isArray(v)) return null;
      if (columns[n] !== k) return null;
      arrays[n++]![r] = v;
    }
    if (n !== columns.length) return null;
  }
  const types = await typesOf(db, table);
  const casts = columns.map((c) => types.get(c));
  if (casts.some((t) => !t)) return null;
  const key = `unnest\n${table}\n${columns.join(',')}\n${end}`;
  let text = texts.get(key);
  if (!text) {
    text = `insert into ${ident(table)} (${columns.map(ident).join(', ')}) select * from unnest(${casts.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})${end ? ` ${end}` : ''}`;
    if (texts.size < MAX_TEXTS) texts.set(key, text);
  }
  return { text, parameters: arrays };
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
