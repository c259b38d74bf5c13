import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { executorOf, type Executor, type OpenDatabase, type SqlExecutor } from '../db/open-database.ts';
import { LISTEN_RETRY } from '../db/pg-listener.ts';
import { allJobs, type JobDefinition } from './jobs.ts';

/** The channel on which an enqueued job of a `wakeWorkers` kind wakes the idle workers (payload: the job's name). */
const JOBS_CHANNEL = 'ouvrage_jobs';
const wake = (trx: Executor, job: JobDefinition<z.ZodType>) =>
  job.wakeWorkers ? executorOf(trx).executeSql('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, job.name]) : null;

/** Enqueues a job through the given transaction: the job exists only if the transaction commits. */
export async function enqueue<S extends z.ZodType>(
  trx: Executor,
  job: JobDefinition<S>,
  payload: z.infer<S>,
  options: { startAfter?: Date } = {},
): Promise<void> {
  const data = job.payload.parse(payload) as object;
  const boss = currentBoss;
  if (!boss) throw new Error('queue not started');
  await boss.send(job.name, { v: job.version, ...data }, {
    db: executorOf(trx) as any,
    retryLimit: job.retryLimit ?? 3,
    retryBackoff: true,
    startAfter: options.startAfter,
  });
  if (!options.startAfter) await wake(trx, job);
}

/** Enqueues many jobs of one kind in one statement, through the given transaction. */
export async function enqueueMany<S extends z.ZodType>(
  trx: Executor,
  job: JobDefinition<S>,
  items: Array<{ payload: z.infer<S>; startAfter?: Date }>,
): Promise<void> {
  if (!items.length) return;
  const boss = currentBoss;
  if (!boss) throw new Error('queue not started');
  await boss.insert(
    items.map((i) => ({ name: job.name, data: { v: job.version, ...(job.payload.parse(i.payload) as object) }, retryLimit: job.retryLimit ?? 3, retryBackoff: true, startAfter: i.startAfter })),
    { db: executorOf(trx) as any },
  );
  if (items.some((i) => !i.startAfter)) await wake(trx, job);
}

// One queue per process: enqueue() needs it without threading it through every use case.
let currentBoss: PgBoss | null = null;

export type JobHandler = (payload: any) => Promise<void>;

export class Queue {
  readonly boss: PgBoss;
  private unlisten: (() => Promise<void>) | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  /** `listen`: the database's (OpenDatabase.listen), so that enqueued jobs of `wakeWorkers` kinds wake this process's idle workers. */
  constructor(
    executor: SqlExecutor,
    private readonly listen?: OpenDatabase['listen'],
  ) {
    this.boss = new PgBoss({ db: executor as any, schema: 'pgboss', supervise: true, schedule: true });
    this.boss.on('error', (err: Error) => {
      if (!/database closed/.test(err.message)) console.error('[queue]', err.message);
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.boss.start();
    for (const job of allJobs) await this.boss.createQueue(job.name);
    currentBoss = this.boss;
  }

  async work(handlers: Record<string, JobHandler>, options: { pollingIntervalSeconds?: number } = {}): Promise<void> {
    const workers = new Map<string, string>();
    for (const job of allJobs as readonly JobDefinition<z.ZodType>[]) {
      const handler = handlers[job.name];
      if (!handler) continue;
      let worker: string | undefined;
      worker = await this.boss.work(job.name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? job.pollingIntervalSeconds ?? 0.5, batchSize: job.batchSize ?? 5 }, async (jobs) => {
        for (const j of jobs) {
          const { v: _version, ...payload } = j.data as Record<string, unknown>;
          await handler(job.payload.parse(payload));
        }
        if (job.fetchAgainAtOnce && worker) this.boss.notifyWorker(worker);
      });
      if (job.wakeWorkers) workers.set(job.name, worker);
    }
    if (workers.size) await this.listenForWakes(workers);
  }

  /**
   * Listens for the wakes of the workers' kinds of job. When no connection can be had (max_connections reached…),
   * the workers still ask every polling interval, and listening is tried again later, at growing intervals; the
   * first failure only is logged. Once listening after a failure, or again after a lost connection, every worker
   * asks at once: what was enqueued in between woke nobody.
   */
  private async listenForWakes(workers: Map<string, string>, delayMs = LISTEN_RETRY.firstMs): Promise<void> {
    if (this.stopped || !this.listen || this.unlisten) return;
    const askAll = () => {
      for (const worker of workers.values()) this.boss.notifyWorker(worker);
    };
    try {
      this.unlisten = await this.listen(
        JOBS_CHANNEL,
        (name) => {
          const worker = workers.get(name);
          if (worker) this.boss.notifyWorker(worker);
        },
        askAll,
      );
      if (this.stopped) await this.unlisten();
      else if (delayMs !== LISTEN_RETRY.firstMs) askAll();
    } catch (err) {
      if (delayMs === LISTEN_RETRY.firstMs) console.error('[queue] jobs are not woken at once:', (err as Error).message, '(listening is tried again in the background)');
      this.retry = setTimeout(() => void this.listenForWakes(workers, Math.min(delayMs * 2, LISTEN_RETRY.maxMs)), delayMs);
      this.retry.unref();
    }
  }

  /**
   * Waits for the jobs in hand (a flow chunk can take a while on a busy machine): pg-boss stops waiting after
   * `timeout`, and a handler still running then would find the database closed under it.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.unlisten?.();
    this.unlisten = null;
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    if (currentBoss === this.boss) currentBoss = null;
  }
}
