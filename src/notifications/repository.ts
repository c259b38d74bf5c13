import type { Executor } from '../db/open-database.ts';
import { enqueue } from '../queue/queue.ts';
import { sendMailJob } from '../queue/jobs.ts';

/**
 * Notifies a user in the app and, when a mail is given, by e-mail to their contact address.
 * Both happen in the caller's transaction (the mail is a job committed with it).
 */
export async function notify(
  trx: Executor,
  n: { userId: number; structureId?: number | null; kind: string; message: string; link?: string; mail?: { subject: string; text: string } },
): Promise<void> {
  await trx
    .insertInto('notifications')
    .values({ user_id: n.userId, structure_id: n.structureId ?? null, kind: n.kind, message: n.message, link: n.link ?? null })
    .execute();
  if (n.mail) {
    const user = await trx.selectFrom('users').select(['contact_email', 'is_technical']).where('id', '=', n.userId).executeTakeFirst();
    if (user && !user.is_technical) await enqueue(trx, sendMailJob, { to: user.contact_email, ...n.mail });
  }
}

export async function listNotifications(db: Executor, userId: number, limit = 50) {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function countUnread(db: Executor, userId: number): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function markAllRead(db: Executor, userId: number, at: Date) {
  await db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}
