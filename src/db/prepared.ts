import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { CompiledQuery, sql, type Compilable, type QueryResult, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import pg from 'pg';
import type { Executor } from './open-database.ts';

/**
 * Hot reads (every API call makes them) run as named prepared statements on PostgreSQL: each connection parses
 * the statement once and, after a few executions, reuses a generic plan. Planning the invoice consultation took
 * about three times as long as running it (EXPLAIN ANALYZE, docs/benchmarks.md). A query opts in with
 * `prepared(query)`, which ends its text with a comment the connection recognises; PGlite ignores the comment.
 */
const MARK = '/* prepared */';
const MARK_SQL = sql.raw(MARK);

export const prepared = <Q extends { modifyEnd(modifier: typeof MARK_SQL): Q }>(query: Q): Q => query.modifyEnd(MARK_SQL);
/** `prepared` for a statement written as SQL. */
export const preparedSql = <R>(query: RawBuilder<R>): RawBuilder<R> => sql<R>`${query} ${MARK_SQL}`;

/** At most this many named statements per connection (a query with a list of values has one text per length). */
const MAX_PER_CONNECTION = 500;

/** A pg client that runs the statements marked by `prepared` under a name derived from their text. */
export class PreparingClient extends pg.Client {
  #names = new Map<string, string>();

  override query(...args: any[]): any {
    const [text, values, callback] = args;
    if (typeof text === 'string' && text.endsWith(MARK) && typeof callback !== 'function' && (this.#names.has(text) || this.#names.size < MAX_PER_CONNECTION)) {
      let name = this.#names.get(text);
      if (!name) this.#names.set(text, (name = `p${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
      const query = new PreparedQuery({ name, text, values });
      const result = new Promise((resolve, reject) => {
        query.callback = (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res));
      }).catch((err: Error) => {
        // As pg does: a stack that leads back to the caller rather than to the socket's read.
        Error.captureStackTrace(err);
        throw err;
      });
      super.query(query);
      return result;
    }
    return (super.query as (...a: any[]) => any)(...args);
  }
}

type Field = { name: string; dataTypeID: number; format: string };
type Parser = (text: string) => unknown;
/** The rows of one shape of result: its fields, and the function that makes a row of their parsed values. */
interface RowShape {
  fields: Field[];
  parsers: Parser[];
  row: (values: Array<string | null>, parsers: Parser[]) => Record<string, unknown>;
}

/**
 * Shapes by connection (its type parsers) and statement name; the fields are compared at each result, so a
 * statement whose columns change gets a new shape.
 */
const shapesByTypes = new WeakMap<object, Map<string, RowShape>>();

/**
 * A prepared statement's query whose rows are made by a function written once per shape of result (an object
 * literal of its columns, in their order), the same objects as pg's: pg copies a null-prototype template and sets
 * each column by name at every row, which leaves objects that are slow to build and to read (about 5 % of an API
 * read's CPU). Text columns only, as pg's defaults; a shape it cannot write (binary, `__proto__`) stays pg's.
 */
/** What PreparedQuery uses of pg's Query (lib/query.js), which @types/pg does not declare. */
interface PgQuery extends pg.Query {
  callback?: unknown;
  name?: string;
  values?: unknown[];
  portal: string;
  rows?: number;
  binary?: boolean;
  _result: { _types?: Types; fields: Field[]; addRow(row: unknown): void };
  _canceledDueToError: unknown;
  _accumulateRows: boolean;
  _checkForMultirow(): void;
  _getRows(connection: PgConnection, rows: number | undefined): void;
  hasBeenParsed(connection: PgConnection): boolean;
  prepare(connection: PgConnection): void;
  handleError(err: unknown, connection: PgConnection): void;
  handleRowDescription(msg: { fields: Field[] }): void;
  handleDataRow(msg: { fields: Array<string | null> }): void;
}
type Types = { getTypeParser(oid: number, format: string): Parser };
/** What prepare uses of pg's Connection (lib/connection.js). */
interface PgConnection {
  bind(msg: { portal: string; statement?: string; values?: unknown[]; binary?: boolean; valueMapper: unknown }): void;
  close(msg: { type: 'S'; name?: string }): void;
  sync(): void;
}

export class PreparedQuery extends (pg.Query as unknown as new (config: pg.QueryConfig | string) => PgQuery) {
  #shape: RowShape | null = null;

  constructor(config: { name: string; text: string; values?: unknown[] }) {
    // Given an object, pg's Query copies it through its property descriptors at every call (utils.cloneQueryConfig).
    super(config.text);
    this.name = config.name;
    this.values = config.values;
  }

  /**
   * pg's, without the Describe of the portal once this connection knows the statement's shape of rows: the
   * RowDescription it brings back (its fields parsed, then compared with the shape's) is the same at every call.
   * PostgreSQL refuses to run a prepared statement whose columns changed (« cached plan must not change result type »).
   */
  override prepare(connection: PgConnection) {
    const known = this.hasBeenParsed(connection) ? knownShape(this.name!, this._result._types) : undefined;
    if (!known) return super.prepare(connection);
    try {
      connection.bind({ portal: this.portal, statement: this.name, values: this.values, binary: this.binary, valueMapper: prepareValue });
    } catch (err) {
      connection.close({ type: 'S', name: this.name });
      connection.sync();
      this.handleError(err, connection);
      return;
    }
    this.#shape = known;
    this._result.fields = known.fields;
    this._accumulateRows = !!this.callback || !this.listeners('row').length;
    this._getRows(connection, this.rows);
  }

  override handleRowDescription(msg: { fields: Field[] }) {
    this.#shape = shapeOf(this.name!, msg.fields, this._result._types);
    if (!this.#shape) return super.handleRowDescription(msg);
    // pg's, without its row template and parsers (Result.addFields), which the shape replaces.
    this._checkForMultirow();
    this._result.fields = msg.fields;
    this._accumulateRows = !!this.callback || !this.listeners('row').length;
  }

  override handleDataRow(msg: { fields: Array<string | null> }) {
    const shape = this.#shape;
    if (!shape) return super.handleDataRow(msg);
    if (this._canceledDueToError) return;
    let row;
    try {
      row = shape.row(msg.fields, shape.parsers);
    } catch (err) {
      this._canceledDueToError = err;
      return;
    }
    this.emit('row', row, this._result);
    if (this._accumulateRows) this._result.addRow(row);
  }
}

/** The shape this connection (its type parsers) last had for the statement, if any. */
const knownShape = (name: string, types: Types | undefined) => (types ? shapesByTypes.get(types)?.get(name) : undefined);

function shapeOf(name: string, fields: Field[], types: Types | undefined): RowShape | null {
  if (!types) return null;
  let shapes = shapesByTypes.get(types);
  if (!shapes) shapesByTypes.set(types, (shapes = new Map()));
  const known = shapes.get(name);
  if (known && known.fields.length === fields.length && known.fields.every((f, i) => f.name === fields[i]!.name && f.dataTypeID === fields[i]!.dataTypeID && f.format === fields[i]!.format)) return known;
  if (fields.some((f) => f.format !== 'text' || f.name === '__proto__')) return null;
  const parsers = fields.map((f) => types.getTypeParser(f.dataTypeID, 'text'));
  const properties = fields.map((f, i) => `${JSON.stringify(f.name)}: v[${i}] === null ? null : p[${i}](v[${i}])`);
  const row = new Function('v', 'p', `return { ${properties.join(', ')} };`) as RowShape['row'];
  const shape = { fields: fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID, format: f.format })), parsers, row };
  if (shapes.size < MAX_SHAPES_OF_ROWS) shapes.set(name, shape);
  return shape;
}
const MAX_SHAPES_OF_ROWS = 5000;
/** pg's own conversion of the values it binds (pg's Query.prepare uses it; the package does not export it). */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: unknown };

/** Stands for the i-th argument of a query compiled once (compiledOnce). */
class Argument {
  constructor(readonly index: number) {}
}

/**
 * A query built and compiled once, on its first call, with its arguments as parameters; later calls only bind
 * them. Building and compiling a query with a few sub-selects costs more than running it (docs/benchmarks.md).
 * The arguments are parameters: a list goes as one array (`anyOf`), never as `in`, which needs one per element.
 */
export function compiledOnce<A extends unknown[], R>(build: (db: Executor, ...args: A) => Compilable<R>): (db: Executor, ...args: A) => Promise<QueryResult<R>> {
  let compiled: CompiledQuery<R> | undefined;
  return (db, ...args) => {
    compiled ??= build(db, ...(args.map((_, i) => new Argument(i)) as A)).compile();
    const parameters = compiled.parameters.map((p) => (p instanceof Argument ? args[p.index] : p));
    return db.executeQuery<R>({ ...compiled, parameters });
  };
}

/** `column = ANY(ids)`: a list of ids as one parameter, so that the statement's text does not depend on its length. */
export const anyOf = (column: string, ids: number[]) => sql<boolean>`${sql.ref(column)} = ANY(${ids}::int[])`;

/**
 * The rows `inner(db, id)` selects for each id of a list, by id in the list's order (duplicates dropped) then by
 * `orderBy` (columns of `inner`'s rows, qualified `v.`), compiled once: `inner` is a lateral subquery the planner
 * cannot merge into a join (OFFSET 0), so each id is one index lookup, whatever the statistics say.
 * `invoice_id = ANY(ids)` leaves the plan to them, and while a flow fills tables whose statistics are stale or missing
 * (a fresh sandbox, a table grown since its last ANALYZE; autovacuum runs at most once a minute, and not at all on
 * some servers) the planner guessed that 100 ids match much of the table and scanned it whole at each chunk, a cost
 * growing with the table (auto_explain, issue #6: the chain ends of 100 invoices, 8.7 ms at 4,000 invoices; this way
 * 0.3 ms). An index lookup per id costs the same at any size, is what fresh statistics choose too, and needs no
 * ANALYZE at the right moment.
 */
export function compiledPerId<R>(inner: (db: Executor, id: RawBuilder<number>) => SelectQueryBuilder<any, any, R>, orderBy?: RawBuilder<unknown>): (db: Executor, ids: readonly number[]) => Promise<R[]> {
  const query = compiledOnce((db, ids: number[]) => ({
    compile: () => sql<R>`select v.* from unnest(${ids}::int[]) with ordinality as u(id, n) cross join lateral (${inner(db, sql<number>`u.id`).offset(sql.lit(0))}) as v order by u.n${orderBy ? sql`, ${orderBy}` : sql``}`.compile(db),
  }));
  return async (db, ids) => {
    const distinct = [...new Set(ids)];
    return distinct.length ? (await query(db, distinct)).rows : [];
  };
}

/** Shapes kept per query (a search has a few dozen in practice; beyond, a query is compiled at each call). */
const MAX_SHAPES = 1000;

/** Stands for a value computed from each call's input (compiledByShape). */
class Computed<I> {
  constructor(readonly of: (input: I) => unknown) {}
}

/**
 * A query whose text depends on which criteria its input has (a search): built and compiled once per shape (the
 * string `shapeOf` gives), later calls with the same shape only bind their values. `build` may read the input
 * only for what `shapeOf` covers (which criteria are present); every value goes in through `arg(input => value)`,
 * a parameter computed at each call (a plain value: no string concatenation with it; a list as one array
 * parameter, `= ANY(…)`).
 */
function compiledByShape<I, R>(shapeOf: (input: I) => string, build: (db: Executor, input: I, arg: <V>(value: (input: I) => V) => V) => Compilable<R>) {
  const shapes = new Map<string, CompiledQuery<R>>();
  const arg = <V>(value: (input: I) => V) => new Computed(value) as unknown as V;
  return (db: Executor, input: I) => {
    const shape = shapeOf(input);
    let compiled = shapes.get(shape);
    if (!compiled) {
      compiled = build(db, input, arg).compile();
      if (shapes.size < MAX_SHAPES) shapes.set(shape, compiled);
    }
    return { shape, compiled };
  };
}

/** The SQL type a value goes as in compiledByShapeTogether's JSON, or null when it cannot go there (a list, a date…). */
function kindOf(value: unknown): string | null {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'bigint' : Number.isFinite(value) ? 'numeric' : null;
  if (typeof value === 'boolean') return 'boolean';
  return null;
}

/**
 * A query compiled once per shape (above; `one` runs it for an input), and the same statement for several inputs of
 * one shape at once (`several`): one statement whose rows are
 * those of each input's statement, marked `batch_index` (the input's index), so that one run of one plan serves
 * them all (with readsTogether). The inputs' values go as one JSON document of text fields, each cast back where the
 * statement had its parameter (as `bigint`, `numeric`, `text` or `boolean`, after the value's kind): PostgreSQL sees
 * neither how many inputs there are nor their values when it plans, and keeps one generic plan. `groupOf` tells
 * which inputs may go together (same shape, same kinds), or null when one cannot (a list or a null among its values,
 * or a statement whose text has a `$` of its own): it then goes alone. Each input's rows keep its statement's order
 * only if the caller sorts them again (SQL does not keep a subquery's order). An input's shape, values and group
 * are worked out once, on its first use: an input is not changed once given.
 */
export function compiledByShapeTogether<I extends object, R>(shapeOf: (input: I) => string, build: (db: Executor, input: I, arg: <V>(value: (input: I) => V) => V) => Compilable<R>) {
  const compiledOf = compiledByShape(shapeOf, build);
  const texts = new Map<string, string | null>();
  // An input is read for its group, then run (alone or with others): its shape, values and group are worked out once.
  const known = new WeakMap<I, { compiled: CompiledQuery<R>; group: string; text: string | null; values: unknown[] }>();
  const textOf = (db: Executor, input: I) => {
    const seen = known.get(input);
    if (seen) return seen;
    const { shape, compiled } = compiledOf(db, input);
    const values = compiled.parameters.map((p) => (p instanceof Computed ? p.of(input) : p));
    const kinds = values.map(kindOf);
    const group = `${shape}\n${kinds.join(',')}`;
    let text = texts.get(group);
    if (text === undefined) {
      const body = compiled.sql.endsWith(MARK) ? compiled.sql.slice(0, -MARK.length) : compiled.sql;
      // Every `$` of the text must be a placeholder: none in a quoted string or name, no dollar quoting.
      const unquoted = body.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, '');
      const dollars = (t: string) => t.split('$').length - 1;
      const placeholders = unquoted.match(/\$\d+/g) ?? [];
      text = kinds.includes(null) || dollars(body) !== dollars(unquoted) || placeholders.length !== dollars(unquoted) ? null
        : `select u.batch_index, s.* from jsonb_to_recordset($1::jsonb) as u(batch_index int${kinds.map((_, i) => `, p${i + 1} text`).join('')})
           cross join lateral (${body.replace(/\$(\d+)/g, (_, n: string) => `(u.p${n})::${kinds[Number(n) - 1]}`)}) as s order by u.batch_index ${MARK}`;
      if (texts.size < MAX_SHAPES) texts.set(group, text);
    }
    const prepared = { compiled, group, text, values };
    known.set(input, prepared);
    return prepared;
  };
  return {
    one: (db: Executor, input: I) => {
      const { compiled, values } = textOf(db, input);
      return db.executeQuery<R>({ ...compiled, parameters: values });
    },
    groupOf: (db: Executor, input: I) => {
      const t = textOf(db, input);
      return t.text === null ? null : t.group;
    },
    /** The rows of each input's statement (inputs of one group), in the inputs' order. */
    several: async (db: Executor, inputs: I[]): Promise<R[][]> => {
      const statements = inputs.map((input) => textOf(db, input));
      const text = statements[0]!.text!;
      const json = JSON.stringify(statements.map((s, k) => Object.fromEntries([['batch_index', k], ...s.values.map((v, i) => [`p${i + 1}`, v])])));
      const { rows } = await db.executeQuery<R & { batch_index: number }>(CompiledQuery.raw(text, [json]));
      const out: R[][] = inputs.map(() => []);
      for (const r of rows) out[r.batch_index]!.push(r);
      return out;
    },
  };
}
