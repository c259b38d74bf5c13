import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as notifications from '../../notifications/index.ts';
import { apiActor, errorResponses, idParam } from './support.ts';

const tags = ['Notifications'];
const ok = z.object({ ok: z.literal(true) });
const frequency = z.enum(notifications.MAIL_FREQUENCIES).describe('IMMEDIAT : un courriel par notification ; QUOTIDIEN : un résumé à 7 h (Europe/Paris) ; AUCUN : dans l’application seulement');
const preferences = z.object(Object.fromEntries(notifications.CATEGORIES.map((c) => [c, frequency])) as Record<notifications.Category, typeof frequency>)
  .describe('Fréquence des courriels par sujet : FACTURES (changements de statut), VALIDATION (factures à valider), TRAVAUX, COMPTE (rattachements, droits)');
const notification = z.object({
  id: z.number(), structureId: z.number().nullable(), kind: z.string(), category: z.string(), message: z.string(), link: z.string().nullable(),
  createdAt: z.string(), readAt: z.string().nullable(),
});

export async function notificationsRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/notifications', {
    schema: {
      tags, summary: 'Mes notifications, les plus récentes d’abord, avec le nombre de non lues',
      querystring: z.object({ page: z.coerce.number().int().positive().max(100000).optional() }),
      response: { 200: z.object({ total: z.number(), unread: z.number(), page: z.number(), pageSize: z.number(), notifications: z.array(notification) }), ...errorResponses },
    },
  }, async (req) => {
    const r = await notifications.myNotifications(ctx, apiActor(req), req.query.page ?? 1);
    return {
      total: r.total, unread: r.unread, page: r.page, pageSize: r.pageSize,
      notifications: r.items.map((n) => ({ id: n.id, structureId: n.structure_id, kind: n.kind, category: n.category, message: n.message, link: n.link, createdAt: new Date(n.created_at).toISOString(), readAt: n.read_at ? new Date(n.read_at).toISOString() : null })),
    };
  });

  api.post('/notifications/:id/read', {
    schema: { tags, summary: 'Marquer une de mes notifications comme lue', params: idParam, response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await notifications.markNotificationRead(ctx, apiActor(req), req.params.id);
    return { ok: true as const };
  });

  api.post('/notifications/read-all', {
    schema: { tags, summary: 'Marquer toutes mes notifications comme lues', response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await notifications.markAllNotificationsRead(ctx, apiActor(req));
    return { ok: true as const };
  });

  api.get('/account/notification-preferences', {
    schema: { tags, summary: 'Mes préférences de courriel par sujet (la notification dans l’application existe toujours)', response: { 200: preferences, ...errorResponses } },
  }, async (req) => notifications.getNotificationPreferences(ctx, apiActor(req)));

  api.put('/account/notification-preferences', {
    schema: { tags, summary: 'Changer mes préférences de courriel (les sujets absents gardent leur valeur)', body: preferences.partial().strict(), response: { 200: preferences, ...errorResponses } },
  }, async (req) => notifications.setNotificationPreferences(ctx, apiActor(req), req.body));
}
