export { notify, notifyMany, listNotifications, countUnread, markAllRead } from './repository.ts';
export { CATEGORIES, CATEGORY_LABELS, MAIL_FREQUENCIES, FREQUENCY_LABELS, DIGEST_HOUR, type Category, type MailFrequency } from './model.ts';
export { getNotificationPreferences, setNotificationPreferences, notificationPreferencesInput } from './preferences.ts';
export { myNotifications, markNotificationRead, markAllNotificationsRead, NOTIFICATIONS_PAGE_SIZE } from './my-notifications.ts';
export { sendDailyDigests } from './send-daily-digests.ts';
