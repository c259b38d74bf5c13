export { notify, listNotifications, countUnread, markAllRead } from './repository.ts';
