import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';

/**
 * Hot reads (every API call makes them) run as named prepared statements on PostgreSQL: each connection parses
 * the statement once and, after a few executions, reuses a generic plan. Planning the invoice consultation took
 * about three times as long as running it (EXPLAIN ANALYZE, docs/benchmarks.md). A query opts in with
 * `prepared(query)`, which ends its text with a comment the connection recognises; PGlite ignores the comment.
 */
const MARK = '/* prepared */';
const MARK_SQL = sql.raw(MARK);

export const prepared = <Q extends { modifyEnd(modifier: typeof MARK_SQL): Q }>(query: Q): Q => query.modifyEnd(MARK_SQL);

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
      return super.query({ name, text, values });
    }
    return (super.query as (...a: any[]) => any)(...args);
  }
}
