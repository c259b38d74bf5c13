import { PGlite, types } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, CompiledQuery, type Transaction } from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DB } from './schema.ts';
import { listenOnPostgres } from './pg-listener.ts';
import { PreparingClient } from './prepared.ts';

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;
export type Executor = Database | Tx;

/** What pg-boss needs to talk to the database. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

export interface OpenDatabase {
  kind: 'pglite' | 'postgres';
  db: Database;
  /** Executor for pg-boss outside a transaction (shares PGlite's single session through the same mutex). */
  boss: SqlExecutor;
  /**
   * Calls `onNotify` with the payload of each NOTIFY on `channel` (delivered when the notifying transaction commits),
   * until the returned function is called. PostgreSQL: on a connection of its own, opened again when it is lost, after
   * which `onReconnect` is called (what was notified in between is lost).
   */
  listen(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (tests start from a migrated template). */
  dump?: () => Promise<Blob>;
}

/** Bigint counts and ids come back as numbers and dates as 'YYYY-MM-DD' on both engines. */
const INT8 = 20;
const DATE = 1082;
pg.types.setTypeParser(INT8, (s: string) => Number(s));
pg.types.setTypeParser(DATE, (s: string) => s);

/**
 * What pg-boss gets once the database is closed. A worker whose fetch was in flight when the queue stopped (pg-boss
 * waits only for workers holding jobs) runs its jobs after the close, then marks them complete or failed without
 * awaiting it (pg-boss 10, manager.js): a rejection there would be unhandled and end the process. No rows at all:
 * pg-boss reads a fetch's missing rows as no job and a completion's as none affected, whereas an empty list made it
 * read the count of a first row that is not there. Nothing is written; the jobs stay active and are retried after
 * their expiry, as after a crash.
 */
export const AFTER_CLOSE = Object.freeze({ rows: undefined as unknown as any[] });

/**
 * One entry point for both engines: `pglite://memory`, `pglite://<dir>` or `postgres://…`.
 * PGlite has one session, so Kysely and pg-boss share one mutex over it.
 */
export async function openDatabase(url: string, options: { loadDataDir?: Blob; poolSize?: number } = {}): Promise<OpenDatabase> {
  if (url.startsWith('pglite://')) return openPglite(url.slice('pglite://'.length), options.loadDataDir);
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, Client: PreparingClient });
  pool.on('error', () => {
    /* an idle client lost its connection; the pool replaces it */
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    kind: 'postgres',
    db,
    boss: { executeSql: async (text, values) => (closed ? AFTER_CLOSE : pool.query(text, values as unknown[])) },
    listen: (channel, onNotify, onReconnect) => listenOnPostgres(url, channel, onNotify, onReconnect),
    close: async () => {
      closed = true;
      await db.destroy();
    },
  };
}

async function openPglite(location: string, loadDataDir?: Blob): Promise<OpenDatabase> {
  let dataDir: string | undefined;
  if (location && location !== 'memory') {
    dataDir = path.resolve(location);
    mkdirSync(path.dirname(dataDir), { recursive: true });
  }
  const lite = await PGlite.create({
    dataDir,
    loadDataDir,
    parsers: { [types.INT8]: (s: string) => Number(s), [types.DATE]: (s: string) => s },
  });
  let tail: Promise<void> = Promise.resolve();
  const acquire = async () => {
    let release!: () => void;
    const previous = tail;
    tail = new Promise<void>((r) => (release = r));
    await previous;
    return release;
  };
  const run = async (text: string, values?: unknown[]) => {
    if (values && values.length) {
      const r = await lite.query<any>(text, values as any[]);
      return { rows: r.rows, affectedRows: r.affectedRows };
    }
    const results = await lite.exec(text);
    const last = results[results.length - 1];
    return { rows: results.flatMap((r) => r.rows), affectedRows: last?.affectedRows };
  };
  let closed = false;
  const pool = {
    async connect() {
      const release = await acquire();
      return {
        async query(text: string, values: unknown[]) {
          const r = await run(text, values);
          const command = text.trimStart().split(/\s+/, 1)[0].toUpperCase();
          return { command, rowCount: r.affectedRows ?? r.rows.length, rows: r.rows };
        },
        release,
      };
    },
    async end() {},
  };
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as any }) });
  return {
    kind: 'pglite',
    db,
    boss: {
      async executeSql(text, values) {
        if (closed) return AFTER_CLOSE;
        const release = await acquire();
        try {
          return await run(text, values);
        } finally {
          release();
        }
      },
    },
    async listen(channel, onNotify) {
      // PGlite's single session, between two transactions (the mutex), like every other statement.
      const release = await acquire();
      let unlisten: () => Promise<void>;
      try {
        unlisten = await lite.listen(channel, onNotify);
      } finally {
        release();
      }
      return async () => {
        if (closed) return;
        const again = await acquire();
        try {
          await unlisten();
        } finally {
          again();
        }
      };
    },
    async dump() {
      const release = await acquire();
      try {
        return (await lite.dumpDataDir('none')) as Blob;
      } finally {
        release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      const release = await acquire();
      try {
        await lite.close();
      } finally {
        release();
      }
    },
  };
}

/** pg-boss executor bound to a Kysely transaction, so a job is committed or rolled back with the state change. */
export function executorOf(trx: Executor): SqlExecutor {
  return {
    async executeSql(text, values) {
      const r = await trx.executeQuery(CompiledQuery.raw(text, (values ?? []) as unknown[]));
      return { rows: r.rows as any[] };
    },
  };
}

/** Dumps a PGlite database (used by tests to start from a migrated template). */
export type { PGlite };
