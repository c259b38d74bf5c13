import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config/index.ts';
import type { Ctx } from './context.ts';
import { openDatabase, type OpenDatabase } from './db/open-database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { Queue } from './queue/queue.ts';
import { NOTIFICATION_DIGEST_CRON, STORAGE_SWEEP_CRON, WORKS_CLOCKS_CRON, notificationDigestJob, storageSweepJob, worksClocksJob } from './queue/jobs.ts';
import { resumeInterruptedFlows } from './cpro/index.ts';
import { FileSystemBlobStore } from './storage/blob-store.ts';
import { DevMailbox, SmtpMailer } from './mail/mailer.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { jobHandlers } from './jobs/handlers.ts';
import { buildHttpServer } from './http/server.ts';
import { findArtefactsDir, sharedXsdValidator, type XsdValidator } from './validation/xsd.ts';

export interface App {
  config: Config;
  ctx: Ctx;
  database: OpenDatabase;
  queue: Queue;
  mailbox: DevMailbox | null;
  http: FastifyInstance | null;
  close(): Promise<void>;
}

export interface StartOptions {
  config?: Config;
  clock?: Clock;
  /** Start the HTTP server (serve), the workers, or both. */
  http?: boolean;
  workers?: boolean;
  /** Listen on the configured port (false: build the server for inject() only). */
  listen?: boolean;
  loadDataDir?: Blob;
}

/**
 * The XSD validator of the structured deposits, one per process (sharedXsdValidator). Without the schemas: a start
 * error in production (an invoice must not be accepted unchecked), a warning elsewhere and deposits without XSD.
 */
function depositSchemas(config: Config): XsdValidator | null {
  const dir = findArtefactsDir(config.EINVOICE_ARTEFACTS);
  if (dir) return sharedXsdValidator(dir);
  const why = config.EINVOICE_ARTEFACTS
    ? `EINVOICE_ARTEFACTS=${config.EINVOICE_ARTEFACTS} ne contient pas les schémas (ubl-2.1-xsd…)`
    : 'schémas XSD introuvables (EINVOICE_ARTEFACTS non défini, ../shared/fixtures/einvoice/artefacts absent)';
  if (config.NODE_ENV === 'production' || config.EINVOICE_ARTEFACTS) throw new Error(`Configuration invalide : ${why}.`);
  if (config.LOG_LEVEL !== 'silent') console.warn(`Attention : ${why} ; les factures structurées déposées ne passeront pas le contrôle XSD.`);
  return null;
}

/** Composition root: config → database → migrations → queue → mail → workers → HTTP. */
export async function startApp(options: StartOptions = {}): Promise<App> {
  const config = options.config ?? loadConfig();
  const database = await openDatabase(config.DATABASE_URL, { loadDataDir: options.loadDataDir, poolSize: config.DATABASE_POOL_SIZE });
  const closers: Array<() => Promise<void> | void> = [];
  try {
    await migrateToLatest(database.db);
    const blobs = new FileSystemBlobStore(path.resolve(config.DATA_DIR, 'blobs'));
    const ctx: Ctx = { db: database.db, clock: options.clock ?? systemClock, config, blobs, xsd: depositSchemas(config) };

    let mailbox: DevMailbox | null = null;
    let smtpUrl = config.SMTP_URL;
    if (!smtpUrl) {
      mailbox = new DevMailbox(config.NODE_ENV === 'test' ? undefined : path.resolve(config.DATA_DIR, 'mails'));
      await mailbox.start(0);
      smtpUrl = mailbox.smtpUrl;
      closers.push(() => mailbox!.stop());
    }
    const mailer = new SmtpMailer(smtpUrl, config.MAIL_FROM);
    closers.push(() => mailer.close());

    const queue = new Queue(database.boss, database.listen);
    await queue.start();
    closers.push(() => queue.stop());
    if (options.workers ?? config.WORKERS === 'on') {
      await queue.work(jobHandlers({ ctx, mailer }));
      await queue.boss.schedule(worksClocksJob.name, WORKS_CLOCKS_CRON, { v: worksClocksJob.version });
      await queue.boss.schedule(notificationDigestJob.name, NOTIFICATION_DIGEST_CRON, { v: notificationDigestJob.version });
      await queue.boss.schedule(storageSweepJob.name, STORAGE_SWEEP_CRON, { v: storageSweepJob.version }, { tz: 'Europe/Paris' });
      await resumeInterruptedFlows(ctx);
    }

    let http: FastifyInstance | null = null;
    if (options.http ?? true) {
      http = await buildHttpServer({ ctx, mailbox });
      closers.push(() => http!.close());
      if (options.listen) await http.listen({ port: config.PORT, host: config.HOST });
    }

    let closed = false;
    return {
      config,
      ctx,
      database,
      queue,
      mailbox,
      http,
      async close() {
        if (closed) return;
        closed = true;
        for (const close of closers.reverse()) {
          try {
            await close();
          } catch {
            /* keep closing the rest */
          }
        }
        await database.close();
      },
    };
  } catch (err) {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => {});
    await database.close();
    throw err;
  }
}
