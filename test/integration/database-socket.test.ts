import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../src/db/open-database.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

/**
 * docs/operations.md advises reaching a server on the same machine by its Unix socket, with the `host` parameter of
 * DATABASE_URL naming the socket's directory: the statements go through it, and the LISTEN connection that wakes
 * the workers, opened from the same URL, hears what is notified.
 */
test('a DATABASE_URL whose host parameter is a directory reaches the server by its Unix socket', { skip: !serverUrl && 'PostgreSQL only (TEST_DATABASE_URL)' }, async () => {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const dirs = (await admin.query<{ unix_socket_directories: string }>('SHOW unix_socket_directories')).rows[0]!.unix_socket_directories;
  await admin.end();
  const dir = dirs.split(',')[0]!.trim();
  assert.ok(dir.startsWith('/'), `the server has a socket directory (${dirs})`);
  const u = new URL(serverUrl!);
  u.hostname = 'localhost';
  u.port = '';
  u.searchParams.set('host', dir);

  const database = await openDatabase(u.toString());
  try {
    // inet_server_addr() is null on a Unix-socket connection, the server's address over TCP.
    const { rows } = await sql<{ addr: string | null; n: number }>`select inet_server_addr() as addr, ${41}::int + 1 as n`.execute(database.db);
    assert.deepEqual(rows, [{ addr: null, n: 42 }]);
    let heard!: (payload: string) => void;
    const woken = new Promise<string>((resolve) => (heard = resolve));
    const unlisten = await database.listen('socket_probe', heard);
    try {
      await sql`select pg_notify('socket_probe', 'woken')`.execute(database.db);
      assert.equal(await woken, 'woken');
    } finally {
      await unlisten();
    }
  } finally {
    await database.close();
  }
  const tcp = await openDatabase(serverUrl!);
  try {
    const { rows } = await sql<{ addr: string | null }>`select inet_server_addr() as addr`.execute(tcp.db);
    assert.notEqual(rows[0]!.addr, null, 'over TCP the server has an address: the check above tells the two apart');
  } finally {
    await tcp.close();
  }
});
