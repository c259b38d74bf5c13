import pg from 'pg';

/** How long a lost LISTEN connection waits before it is opened again: doubling from the first delay up to the last. */
export const LISTEN_RETRY = { firstMs: 250, maxMs: 10_000 };

/**
 * LISTEN on a PostgreSQL connection of its own. The first connection's failure is thrown (the caller logs it and
 * polls). Once listening, a lost connection (the server restarted, the backend was terminated, the network went) is
 * opened again in the background, with a growing delay while it fails; `onReconnect` is then called, since the
 * notifications sent in the meantime are lost. Resolves to the function that stops listening.
 */
export async function listenOnPostgres(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  onReconnect?: () => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let current: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let delay = LISTEN_RETRY.firstMs;

  const open = async () => {
    const client = new pg.Client({ connectionString: url });
    let listening = false;
    const lost = () => {
      if (!listening) return;
      listening = false;
      if (current === client) current = null;
      client.end().catch(() => undefined);
      if (!stopped) openLater();
    };
    // Before LISTEN succeeds an error is the caller's (thrown below); after, the connection is lost.
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (m) => m.channel === channel && onNotify(m.payload ?? ''));
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (stopped) return void (await client.end().catch(() => undefined));
    listening = true;
    current = client;
  };

  const openLater = () => {
    timer = setTimeout(async () => {
      timer = null;
      try {
        await open();
        delay = LISTEN_RETRY.firstMs;
        if (!stopped) onReconnect?.();
      } catch {
        delay = Math.min(delay * 2, LISTEN_RETRY.maxMs);
        if (!stopped) openLater();
      }
    }, delay);
    timer.unref();
  };

  await open();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const client = current;
    current = null;
    await client?.end().catch(() => undefined);
  };
}
