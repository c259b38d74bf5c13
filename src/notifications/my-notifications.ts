import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../shared/app-error.ts';
import { countNotifications, countUnread, listNotifications, markAllRead, markRead } from './repository.ts';

export const NOTIFICATIONS_PAGE_SIZE = 50;

/** The actor's notifications, newest first, a page at a time, with the unread count. */
export async function myNotifications(ctx: Ctx, actor: Actor, page = 1, pageSize = NOTIFICATIONS_PAGE_SIZE) {
  const p = Number.isInteger(page) && page > 0 ? page : 1;
  const [items, total, unread] = await Promise.all([
    listNotifications(ctx.db, actor.userId, { limit: pageSize, offset: (p - 1) * pageSize }),
    countNotifications(ctx.db, actor.userId),
    countUnread(ctx.db, actor.userId),
  ]);
  return { items, total, unread, page: p, pageSize };
}

export async function markNotificationRead(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!(await markRead(ctx.db, actor.userId, id, ctx.clock.now()))) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Notification introuvable.');
}

export async function markAllNotificationsRead(ctx: Ctx, actor: Actor): Promise<void> {
  await markAllRead(ctx.db, actor.userId, ctx.clock.now());
}
