import { z } from 'zod';

/**
 * Typed job definitions: a name, a version and a zod payload. Handlers live in the outer ring
 * (src/jobs/), so domain modules only know how to enqueue.
 */
export interface JobDefinition<S extends z.ZodType> {
  name: string;
  version: number;
  payload: S;
  retryLimit?: number;
  /** Jobs a worker fetches at once (handled one after the other); 1 for long jobs, so that each worker process takes its own. */
  batchSize?: number;
  /**
   * After a batch that found jobs, fetch again at once instead of waiting out the rest of the polling interval (pg-boss
   * pauses after every batch). For the flow's jobs: a helper job that finds its flow finished takes milliseconds, and
   * its worker process would then idle ≈ 0.5 s while other jobs of the flow wait. Not for jobs that re-enqueue
   * themselves (an already due job would be fetched in a tight loop).
   */
  fetchAgainAtOnce?: boolean;
  /**
   * How often an idle worker asks for this kind of job (0.5 s if unset). Every ask is a statement PostgreSQL plans
   * anew (≈ 1 ms of its CPU each, measured with two idle workers): jobs due at an instant of the calendar, where
   * seconds do not matter, ask less often.
   */
  pollingIntervalSeconds?: number;
  /**
   * Enqueued to run now, it wakes the idle workers of every process at its commit (NOTIFY), rather than waiting for
   * their next ask (up to the polling interval): for the jobs a user waits on, a flow or a batch just deposited.
   */
  wakeWorkers?: boolean;
}

/** For jobs due at a date (a deadline, a clock, a cron): late by at most this, which nobody can notice. */
const CALENDAR_POLLING_SECONDS = 10;

export const sendMailJob = {
  name: 'mail.send',
  version: 1,
  retryLimit: 5,
  payload: z.object({
    to: z.string(),
    subject: z.string(),
    text: z.string(),
  }),
} satisfies JobDefinition<z.ZodType>;

/** Routes a deposited invoice through its circuit's system steps (DEPOSEE → … → MISE_A_DISPOSITION). */
export const routeInvoiceJob = {
  name: 'invoice.route',
  version: 1,
  retryLimit: 5,
  payload: z.object({ invoiceId: z.number().int().positive() }),
} satisfies JobDefinition<z.ZodType>;

/** Routes the invoices a batch deposited together (a chunk of a flow), in one transaction. */
export const routeInvoicesJob = {
  name: 'invoice.route.many',
  version: 1,
  retryLimit: 5,
  payload: z.object({ invoiceIds: z.array(z.number().int().positive()).min(1).max(10_000) }),
} satisfies JobDefinition<z.ZodType>;

/** Deposits every invoice of a batch (zip or tar.gz) and records a result per file. */
export const processInvoiceBatchJob = {
  name: 'invoice.batch',
  version: 1,
  retryLimit: 3,
  wakeWorkers: true,
  payload: z.object({ batchId: z.number().int().positive() }),
} satisfies JobDefinition<z.ZodType>;

/** Integrates a Chorus-Pro-compatible flow (deposer/flux): each file through the structured deposit, exactly once. */
export const integrateCproFlowJob = {
  name: 'cpro.flow.integrate',
  version: 1,
  retryLimit: 5,
  batchSize: 1,
  fetchAgainAtOnce: true,
  wakeWorkers: true,
  payload: z.object({ flowId: z.number().int().positive() }),
} satisfies JobDefinition<z.ZodType>;

/** At the exact deadline of a validation level: tacit validation if the validator said nothing (A9, A12). */
export const validationDeadlineJob = {
  name: 'invoice.validation-deadline',
  version: 1,
  retryLimit: 5,
  pollingIntervalSeconds: CALENDAR_POLLING_SECONDS,
  payload: z.object({ invoiceId: z.number().int().positive(), level: z.number().int().min(1).max(2), dueAt: z.string() }),
} satisfies JobDefinition<z.ZodType>;

/** Some days before a validation deadline: reminds the validator. */
export const validationReminderJob = {
  name: 'invoice.validation-reminder',
  version: 1,
  retryLimit: 3,
  pollingIntervalSeconds: CALENDAR_POLLING_SECONDS,
  payload: z.object({ invoiceId: z.number().int().positive(), level: z.number().int().min(1).max(2), dueAt: z.string() }),
} satisfies JobDefinition<z.ZodType>;

/** An invoice's payment clock: fires at the start of the first late day (scheduled with startAfter). */
export const invoicePaymentClockJob = {
  name: 'invoice.payment-clock',
  version: 1,
  retryLimit: 5,
  pollingIntervalSeconds: CALENDAR_POLLING_SECONDS,
  // invoiceIds: the invoices a batch deposited together that fall due the same day, one job for them all.
  payload: z
    .object({ invoiceId: z.number().int().positive().optional(), invoiceIds: z.array(z.number().int().positive()).min(1).max(10_000).optional() })
    .refine((p) => (p.invoiceId === undefined) !== (p.invoiceIds === undefined), 'invoiceId or invoiceIds'),
} satisfies JobDefinition<z.ZodType>;

/** The clocks of the works circuits (MOE's 7 days, MOA, payment delay, end of contract), every 30 minutes. */
export const worksClocksJob = {
  name: 'works.clocks',
  version: 1,
  retryLimit: 1,
  pollingIntervalSeconds: CALENDAR_POLLING_SECONDS,
  payload: z.object({}),
} satisfies JobDefinition<z.ZodType>;
export const WORKS_CLOCKS_CRON = '*/30 * * * *';

/** The daily digest of notifications (07:00 Europe/Paris, on the application clock): checked every quarter of an hour. */
export const notificationDigestJob = {
  name: 'notifications.digest',
  version: 1,
  retryLimit: 1,
  pollingIntervalSeconds: CALENDAR_POLLING_SECONDS,
  payload: z.object({}),
} satisfies JobDefinition<z.ZodType>;
export const NOTIFICATION_DIGEST_CRON = '*/15 * * * *';

/** The sweep of stored files that no row names (a deposit or a flow's chunk that did not commit), every night. */
export const storageSweepJob = {
  name: 'storage.sweep',
  version: 1,
  retryLimit: 1,
  pollingIntervalSeconds: CALENDAR_POLLING_SECONDS,
  payload: z.object({}),
} satisfies JobDefinition<z.ZodType>;
export const STORAGE_SWEEP_CRON = '40 3 * * *';

export const allJobs = [integrateCproFlowJob, sendMailJob, routeInvoiceJob, routeInvoicesJob, processInvoiceBatchJob, validationDeadlineJob, validationReminderJob, invoicePaymentClockJob, worksClocksJob, notificationDigestJob, storageSweepJob] as const;
