import type { Ctx } from '../context.ts';
import type { SmtpMailer } from '../mail/mailer.ts';
import type { JobHandler } from '../queue/queue.ts';
import { processInvoiceBatchJob, routeInvoiceJob, sendMailJob } from '../queue/jobs.ts';
import { processInvoiceBatch, routeInvoice } from '../invoices/index.ts';

/** The workers' handlers, by job name. */
export function jobHandlers(deps: { ctx: Ctx; mailer: SmtpMailer }): Record<string, JobHandler> {
  return {
    [sendMailJob.name]: async (payload) => {
      await deps.mailer.send(payload);
    },
    [routeInvoiceJob.name]: async (payload) => {
      await routeInvoice(deps.ctx, payload.invoiceId);
    },
    [processInvoiceBatchJob.name]: async (payload) => {
      await processInvoiceBatch(deps.ctx, payload.batchId);
    },
  };
}
