import type { Ctx } from '../context.ts';
import { enqueue } from '../queue/queue.ts';
import { sendMailJob } from '../queue/jobs.ts';
import { DIGEST_CATCH_UP_HOURS, digestMail, digestTimeOfDay } from './model.ts';
import { claimDigest, contactOf, takePendingDigest, usersWithPendingDigest } from './repository.ts';

/**
 * The daily digest, run by a scheduled job every quarter of an hour on the application clock: from 07:00
 * Europe/Paris (and until the catch-up window closes), each user with notifications waiting gets one mail
 * with all of them. Per user, one transaction claims the day's digest, marks the notifications digested and
 * enqueues the mail: a second run, concurrent or later, finds the day claimed and nothing waiting.
 */
export async function sendDailyDigests(ctx: Ctx): Promise<{ mails: number; notifications: number }> {
  const now = ctx.clock.now();
  const dueAt = digestTimeOfDay(now);
  if (now < dueAt || now.getTime() >= dueAt.getTime() + DIGEST_CATCH_UP_HOURS * 3_600_000) return { mails: 0, notifications: 0 };
  let mails = 0;
  let notifications = 0;
  for (const userId of await usersWithPendingDigest(ctx.db)) {
    await ctx.db.transaction().execute(async (trx) => {
      if (!(await claimDigest(trx, userId, dueAt, now))) return;
      const items = await takePendingDigest(trx, userId, now);
      const user = await contactOf(trx, userId);
      if (!items.length || !user || user.is_technical) return;
      const mail = digestMail(items.map((i) => ({ category: i.category, message: i.message, link: i.link, createdAt: new Date(i.created_at) })), ctx.config.publicUrl);
      await enqueue(trx, sendMailJob, { to: user.contact_email, ...mail });
      mails++;
      notifications += items.length;
    });
  }
  return { mails, notifications };
}
