import { mkdtempSync, readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.ts';
import { startApp, type App } from '../../src/app.ts';
import type { Clock } from '../../src/shared/clock.ts';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  private t: number;
  constructor(start = new Date()) {
    this.t = start.getTime();
  }
  now() {
    return new Date(this.t);
  }
  advanceMinutes(m: number) {
    this.t += m * 60_000;
  }
  advanceDays(d: number) {
    this.t += d * 86_400_000;
  }
}

const root = path.resolve(import.meta.dirname, '..', '..');
const migrationsDir = path.join(root, 'src', 'db', 'migrations');
const templateDir = path.join(root, '.cache');

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsDir).sort()) h.update(f).update(readFileSync(path.join(migrationsDir, f)));
  return h.digest('hex').slice(0, 16);
}

/** The migrated PGlite data directory cached by startTestApp (undefined before its first run with these migrations). */
export function migratedPgliteTemplate(): Blob | undefined {
  const file = path.join(templateDir, `pglite-template-${migrationsHash()}.tar`);
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

/**
 * Starts the whole application for a test: PGlite in memory by default (from a migrated template
 * cached under .cache/), or a fresh database on the server named by TEST_DATABASE_URL.
 */
export async function startTestApp(options: { clock?: Clock; workers?: boolean; env?: Record<string, string> } = {}): Promise<App & { cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ouvrage-test-'));
  const serverUrl = process.env.TEST_DATABASE_URL;
  let databaseUrl = 'pglite://memory';
  let dropDatabase: (() => Promise<void>) | null = null;
  let loadDataDir: Blob | undefined;
  const templateFile = path.join(templateDir, `pglite-template-${migrationsHash()}.tar`);

  if (serverUrl) {
    const name = `ouvrage_t_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else if (existsSync(templateFile)) {
    loadDataDir = new Blob([readFileSync(templateFile)]);
  }

  const config = loadConfig({}, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PORT: 0,
    PUBLIC_URL: 'http://localhost:8080',
    ...options.env,
  });
  const app = await startApp({ config, clock: options.clock, workers: options.workers ?? true, loadDataDir });
  if (!serverUrl && !loadDataDir && app.database.dump) {
    const blob = await app.database.dump();
    mkdirSync(templateDir, { recursive: true });
    const tmp = `${templateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    renameSync(tmp, templateFile);
  }
  return Object.assign(app, {
    async cleanup() {
      await app.close();
      if (dropDatabase) await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
