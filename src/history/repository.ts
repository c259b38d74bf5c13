import type { Executor } from '../db/open-database.ts';

/** Appends a history event in the caller's transaction. */
export async function recordEvent(
  trx: Executor,
  event: { stream: string; type: string; actorUserId: number | null; data?: Record<string, unknown> },
): Promise<void> {
  await trx
    .insertInto('events')
    .values({ stream: event.stream, type: event.type, actor_user_id: event.actorUserId, data: JSON.stringify(event.data ?? {}) })
    .execute();
}

export async function listEvents(db: Executor, stream: string, limit = 100) {
  return db
    .selectFrom('events')
    .leftJoin('users', 'users.id', 'events.actor_user_id')
    .select(['events.id', 'events.type', 'events.data', 'events.created_at', 'users.first_name', 'users.last_name', 'users.email'])
    .where('events.stream', '=', stream)
    .orderBy('events.id', 'desc')
    .limit(limit)
    .execute();
}
