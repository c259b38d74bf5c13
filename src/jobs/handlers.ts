import type { Ctx } from '../context.ts';
import type { SmtpMailer } from '../mail/mailer.ts';
import type { JobHandler } from '../queue/queue.ts';
import { integrateFlow, retryLater } from '../cpro/index.ts';
import { integrateCproFlowJob, invoicePaymentClockJob, processInvoiceBatchJob, routeInvoiceJob, routeInvoicesJob, sendMailJob, validationDeadlineJob, validationReminderJob } from '../queue/jobs.ts';
import { processInvoiceBatch, remindValidator, routeInvoice, routeInvoices, runPaymentClock, runValidationDeadline } from '../invoices/index.ts';
import { notificationDigestJob, storageSweepJob, worksClocksJob } from '../queue/jobs.ts';
import { sweepUnreferencedFiles } from '../storage/sweep-files.ts';
import { sendDailyDigests } from '../notifications/index.ts';
import { routePiece, runWorksClocks } from '../works/index.ts';

/** The workers' handlers, by job name. */
export function jobHandlers(deps: { ctx: Ctx; mailer: SmtpMailer }): Record<string, JobHandler> {
  return {
    [integrateCproFlowJob.name]: async (payload) => {
      const run = await integrateFlow(deps.ctx, payload.flowId);
      if (run.outcome === 'BUSY') await retryLater(deps.ctx, payload.flowId, run.retryAt);
    },
    [sendMailJob.name]: async (payload) => {
      await deps.mailer.send(payload);
    },
    [routeInvoiceJob.name]: async (payload) => {
      // A works piece (an A10/A11 after its validation) is routed by the works module: the MOE's receipt starts its clocks.
      if ((await routePiece(deps.ctx, payload.invoiceId)) === null) await routeInvoice(deps.ctx, payload.invoiceId);
    },
    // Structured deposits (never works pieces, which have their own routing) routed together.
    [routeInvoicesJob.name]: async (payload) => {
      await routeInvoices(deps.ctx, payload.invoiceIds);
    },
    [processInvoiceBatchJob.name]: async (payload) => {
      await processInvoiceBatch(deps.ctx, payload.batchId);
    },
    [validationDeadlineJob.name]: async (payload) => {
      await runValidationDeadline(deps.ctx, payload);
    },
    [validationReminderJob.name]: async (payload) => {
      await remindValidator(deps.ctx, payload);
    },
    [invoicePaymentClockJob.name]: async (payload) => {
      // Each invoice in its own transaction; a retry runs them all again (an invoice already alerted is not alerted twice).
      for (const invoiceId of payload.invoiceIds ?? [payload.invoiceId!]) await runPaymentClock(deps.ctx, invoiceId);
    },
    [worksClocksJob.name]: async () => {
      await runWorksClocks(deps.ctx);
    },
    [notificationDigestJob.name]: async () => {
      await sendDailyDigests(deps.ctx);
    },
    [storageSweepJob.name]: async () => {
      await sweepUnreferencedFiles(deps.ctx.db, deps.ctx.blobs, deps.ctx.clock.now());
    },
  };
}
