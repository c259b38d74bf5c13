import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import * as notifications from '../notifications/index.ts';
import { AppError } from '../shared/app-error.ts';
import { Csrf, Layout, Pager } from './components.tsx';
import { requirePage } from './guards.ts';
import { formValues, redirect, sendPage } from './render.ts';

const time = (d: Date) => new Date(d).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' });

/** The section of « Mon compte » where each category gets its mail frequency (radio buttons per category). */
export const NotificationPreferencesSection = ({ csrf, prefs, errors = {} }: { csrf: string; prefs: Record<notifications.Category, notifications.MailFrequency>; errors?: Record<string, string> }) => (
  <section aria-labelledby="notifications">
    <h2 id="notifications">Mes notifications par courriel</h2>
    <p class="hint">Chaque notification s'affiche toujours dans l'application. Choisissez, pour chaque sujet, si vous recevez aussi un courriel immédiatement, un résumé quotidien à {notifications.DIGEST_HOUR} h (heure de Paris) ou aucun courriel.</p>
    <form method="post" action="/compte/notifications" novalidate>
      <Csrf token={csrf} />
      {notifications.CATEGORIES.map((c) => (
        <fieldset class={errors[c] ? 'field has-error' : 'field'}>
          <legend>{notifications.CATEGORY_LABELS[c]}</legend>
          {errors[c] ? <p class="error">{errors[c]}</p> : null}
          {notifications.MAIL_FREQUENCIES.map((f) => (
            <div class="radio">
              <input type="radio" id={`pref-${c}-${f}`} name={c} value={f} checked={prefs[c] === f} />
              <label for={`pref-${c}-${f}`}>{notifications.FREQUENCY_LABELS[f]}</label>
            </div>
          ))}
        </fieldset>
      ))}
      <button type="submit">Enregistrer mes préférences</button>
    </form>
  </section>
);

/** « Notifications »: the list with the unread ones marked, mark one or all as read; the preferences form of « Mon compte ». */
export async function notificationsPages(app: FastifyInstance, ctx: Ctx) {
  const csrf = { preHandler: app.csrfProtection };

  app.get('/notifications', async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const r = await notifications.myNotifications(ctx, page.actor, Number((req.query as Record<string, string>)?.page ?? 1));
    const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
    return sendPage(reply, (
      <Layout title="Notifications" user={page.user} unread={r.unread}>
        <h1>Notifications</h1>
        <p role="status">{r.unread === 0 ? 'Aucune notification non lue.' : `${r.unread} notification${r.unread > 1 ? 's' : ''} non lue${r.unread > 1 ? 's' : ''}.`} <a href="/compte#notifications">Choisir les courriels que je reçois</a></p>
        {r.unread > 0 ? (
          <form method="post" action="/notifications/lues"><Csrf token={page.csrf} /><button type="submit" class="secondary">Tout marquer comme lu</button></form>
        ) : null}
        {r.items.length === 0 ? <p>Aucune notification.</p> : (
          <ul class="notifications">
            {r.items.map((n) => (
              <li class={n.read_at ? '' : 'unread'}>
                {n.read_at ? null : <span class="sr-only">Non lue : </span>}
                {n.link ? <a href={n.link}>{n.message}</a> : n.message}{' '}
                <time datetime={new Date(n.created_at).toISOString()}>{time(n.created_at)}</time>
                {n.read_at ? null : (
                  <form method="post" action={`/notifications/${n.id}/lue`} class="inline"><Csrf token={page.csrf} /><button type="submit" class="link">Marquer comme lue</button></form>
                )}
              </li>
            ))}
          </ul>
        )}
        <Pager page={r.page} pages={pages} link={(p) => `/notifications?page=${p}`} />
      </Layout>
    ));
  });

  app.post('/notifications/lues', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    await notifications.markAllNotificationsRead(ctx, page.actor);
    return redirect(reply, '/notifications');
  });

  app.post('/notifications/:id/lue', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const id = Number((req.params as { id: string }).id);
    if (!Number.isInteger(id) || id <= 0) throw new AppError('NOT_FOUND', 'NOT_FOUND', 'Notification introuvable.');
    await notifications.markNotificationRead(ctx, page.actor, id);
    return redirect(reply, '/notifications');
  });

  app.post('/compte/notifications', csrf, async (req, reply) => {
    const page = await requirePage(ctx, req, reply);
    if (!page) return;
    const values = formValues(req);
    try {
      await notifications.setNotificationPreferences(ctx, page.actor, Object.fromEntries(notifications.CATEGORIES.filter((c) => values[c]).map((c) => [c, values[c]])));
    } catch (err) {
      if (!(err instanceof AppError) || err.kind !== 'VALIDATION') throw err;
      const prefs = await notifications.getNotificationPreferences(ctx, page.actor);
      return sendPage(reply, (
        <Layout title="Mes notifications" user={page.user} unread={page.unread}>
          <h1>Mes notifications</h1>
          <div class="error-summary" role="alert" tabindex={-1} id="erreurs"><p><strong>{err.userMessage}</strong></p></div>
          <NotificationPreferencesSection csrf={page.csrf} prefs={prefs} errors={err.fields ?? {}} />
        </Layout>
      ), 400);
    }
    return redirect(reply, '/compte?notifications=enregistrees#notifications');
  });
}
