import type { Executor } from '../db/open-database.ts';
import { insertRows } from '../db/insert-rows.ts';
import { anyOf, compiledOnce } from '../db/prepared.ts';
import { enqueue, enqueueMany } from '../queue/queue.ts';
import { sendMailJob } from '../queue/jobs.ts';
import { CATEGORIES, CATEGORY_LABELS, DEFAULT_FREQUENCY, categoryOfKind, type Category, type MailFrequency } from './model.ts';

type Notification = { userId: number; structureId?: number | null; kind: string; category?: Category; message: string; link?: string; mail?: { subject: string; text: string } };

/**
 * Notifies a user in the app and, when a mail is given, by e-mail to their contact address as their
 * preference for the category says: a mail job now, a line of tomorrow's digest, or nothing.
 * Everything happens in the caller's transaction (the mail is a job committed with it).
 */
export async function notify(trx: Executor, n: Notification): Promise<void> {
  await notifyMany(trx, [n]);
}

/** Many notifications at once (a batch of invoices routed together): users and preferences read once, one insert. */
export async function notifyMany(trx: Executor, list: Notification[]): Promise<void> {
  if (!list.length) return;
  const mailed = [...new Set(list.filter((n) => n.mail).map((n) => n.userId))];
  const users = new Map<number, { contact_email: string; is_technical: boolean }>();
  const chosen = new Map<string, MailFrequency>();
  if (mailed.length) {
    for (const u of (await mailedUsers(trx, mailed)).rows) users.set(u.id, u);
    for (const p of (await mailPreferencesOf(trx, mailed)).rows) chosen.set(`${p.user_id}/${p.category}`, p.mail as MailFrequency);
  }
  const rows = list.map((n) => {
    const category = n.category ?? categoryOfKind(n.kind);
    const user = n.mail ? users.get(n.userId) : undefined;
    const frequency: MailFrequency = user && !user.is_technical ? (chosen.get(`${n.userId}/${category}`) ?? DEFAULT_FREQUENCY) : 'AUCUN';
    return { n, user, category, frequency };
  });
  for (let i = 0; i < rows.length; i += 1000)
    await insertRows(trx, 'notifications', rows.slice(i, i + 1000).map(({ n, category, frequency }) => ({ user_id: n.userId, structure_id: n.structureId ?? null, kind: n.kind, category, message: n.message, link: n.link ?? null, digest_pending: frequency === 'QUOTIDIEN' })));
  const mails = groupedMails(rows.filter((r) => r.frequency === 'IMMEDIAT').map((r) => ({ to: r.user!.contact_email, category: r.category, message: r.n.message, mail: r.n.mail! })));
  if (mails.length === 1) await enqueue(trx, sendMailJob, mails[0]!);
  else await enqueueMany(trx, sendMailJob, mails.map((payload) => ({ payload })));
}

const mailedUsers = compiledOnce((db, ids: number[]) => db.selectFrom('users').select(['id', 'contact_email', 'is_technical']).where(anyOf('id', ids)));
const mailPreferencesOf = compiledOnce((db, ids: number[]) => db.selectFrom('notification_preferences').select(['user_id', 'category', 'mail']).where(anyOf('user_id', ids)));

/**
 * One immediate mail per person and category for what happens together: a flow of 100 invoices made available
 * to a buyer sends each of its users one mail listing them, not 100 (each stays a notification in the app).
 */
function groupedMails(list: Array<{ to: string; category: Category; message: string; mail: { subject: string; text: string } }>) {
  const groups = new Map<string, typeof list>();
  for (const m of list) {
    const key = `${m.to}\n${m.category}`;
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()].map((g) => (g.length === 1 ? { to: g[0]!.to, ...g[0]!.mail } : { to: g[0]!.to, ...groupMail(g) }));
}

const LISTED = 100;
function groupMail(g: Array<{ category: Category; message: string; mail: { text: string } }>): { subject: string; text: string } {
  const lines = ['Bonjour,', '', `${g.length} notifications : ${CATEGORY_LABELS[g[0]!.category].split(' : ')[0]!.toLowerCase()}.`, ''];
  for (const m of g.slice(0, LISTED)) {
    const url = /https?:\/\/\S+/.exec(m.mail.text)?.[0];
    lines.push(`- ${m.message}${url ? `\n  ${url}` : ''}`);
  }
  if (g.length > LISTED) lines.push(`… et ${g.length - LISTED} autres, dans vos notifications.`);
  lines.push('', 'Un résumé quotidien plutôt qu\'un courriel par événement : vos préférences de notification, rubrique « Mon compte ».', '');
  return { subject: `Ouvrage : ${g.length} notifications — ${CATEGORY_LABELS[g[0]!.category].split(' : ')[0]}`, text: lines.join('\n') };
}

/** Every category with the user's choice (the default where they chose nothing). */
export async function preferencesOf(db: Executor, userId: number): Promise<Record<Category, MailFrequency>> {
  const rows = await db.selectFrom('notification_preferences').select(['category', 'mail']).where('user_id', '=', userId).execute();
  const chosen = new Map(rows.map((r) => [r.category, r.mail as MailFrequency]));
  return Object.fromEntries(CATEGORIES.map((c) => [c, chosen.get(c) ?? DEFAULT_FREQUENCY])) as Record<Category, MailFrequency>;
}

export async function savePreferences(trx: Executor, userId: number, prefs: Partial<Record<Category, MailFrequency>>, at: Date) {
  for (const [category, mail] of Object.entries(prefs)) {
    if (!mail) continue;
    await trx
      .insertInto('notification_preferences')
      .values({ user_id: userId, category, mail, updated_at: at })
      .onConflict((oc) => oc.columns(['user_id', 'category']).doUpdateSet({ mail, updated_at: at }))
      .execute();
  }
}

export async function listNotifications(db: Executor, userId: number, page: { limit: number; offset: number } = { limit: 50, offset: 0 }) {
  return db
    .selectFrom('notifications')
    .select(['id', 'structure_id', 'kind', 'category', 'message', 'link', 'created_at', 'read_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countNotifications(db: Executor, userId: number): Promise<number> {
  const r = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(r.n);
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

/** Marks one of the user's own notifications read; false when it is not theirs. */
export async function markRead(db: Executor, userId: number, id: number, at: Date): Promise<boolean> {
  const mine = await db.selectFrom('notifications').select(['id', 'read_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!mine) return false;
  if (!mine.read_at) await db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).execute();
  return true;
}

/** Users with notifications waiting for a digest. */
export async function usersWithPendingDigest(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('notifications').select('user_id').distinct().where('digest_pending', '=', true).where('digested_at', 'is', null).execute();
  return rows.map((r) => r.user_id);
}

/**
 * Claims the user's digest of the day: true once per digest time, whoever runs it concurrently (the
 * conditional upsert waits for the other transaction and then finds the day already claimed).
 */
export async function claimDigest(trx: Executor, userId: number, dueAt: Date, now: Date): Promise<boolean> {
  const r = await trx
    .insertInto('notification_digests')
    .values({ user_id: userId, last_sent_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_sent_at: now }).where('notification_digests.last_sent_at', '<', dueAt))
    .returning('user_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Takes every notification waiting for the user's digest (marked digested in the caller's transaction). */
export async function takePendingDigest(trx: Executor, userId: number, at: Date) {
  const rows = await trx
    .updateTable('notifications')
    .set({ digested_at: at })
    .where('user_id', '=', userId)
    .where('digest_pending', '=', true)
    .where('digested_at', 'is', null)
    .returning(['id', 'category', 'message', 'link', 'created_at'])
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

export const contactOf = (db: Executor, userId: number) =>
  db.selectFrom('users').select(['contact_email', 'is_technical', 'status']).where('id', '=', userId).executeTakeFirst();
