import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../context.ts';
import * as accounts from '../../accounts/index.ts';
import { apiActor, errorResponses } from './support.ts';

const tags = ['Comptes'];
const ok = z.object({ ok: z.literal(true) });

export async function accountsRoutes(app: FastifyInstance, ctx: Ctx) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const limited = { rateLimit: { max: 20, timeWindow: '1 minute' } };

  api.post('/accounts', {
    config: limited,
    schema: {
      tags,
      summary: 'Créer un compte (un lien d’activation valable 60 minutes est envoyé par courriel)',
      security: [],
      body: z.object({ email: z.string(), firstName: z.string(), lastName: z.string(), phone: z.string().optional(), password: z.string() }),
      response: { 201: z.object({ userId: z.number() }), ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await accounts.signUp(ctx, req.body)));

  api.post('/accounts/activation', {
    schema: { tags, summary: 'Activer un compte avec le jeton reçu', security: [], body: z.object({ token: z.string().max(100) }), response: { 200: z.object({ userId: z.number() }), ...errorResponses } },
  }, async (req) => accounts.activateAccount(ctx, req.body.token));

  api.post('/accounts/activation/resend', {
    config: limited,
    schema: { tags, summary: 'Renvoyer le lien d’activation', security: [], body: z.object({ email: z.string() }), response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await accounts.resendActivation(ctx, req.body);
    return { ok: true as const };
  });

  api.post('/sessions', {
    config: limited,
    schema: {
      tags,
      summary: 'Se connecter : renvoie un jeton de session à utiliser en Bearer',
      security: [],
      body: z.object({ email: z.string(), password: z.string() }),
      response: { 201: z.object({ token: z.string(), userId: z.number(), secondFactor: z.enum(['VERIFY', 'ENROL']).nullable() }), ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await accounts.logIn(ctx, req.body, { userAgent: req.headers['user-agent'], ip: req.ip });
    return reply.status(201).send({ token: r.sessionToken, userId: r.userId, secondFactor: r.secondFactor });
  });

  api.post('/sessions/second-factor', {
    config: limited,
    schema: { tags, summary: 'Compléter la connexion avec le code TOTP', body: z.object({ code: z.string() }), response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    if (!req.auth.sessionToken || req.auth.via !== 'bearer') apiActor(req);
    await accounts.verifySecondFactor(ctx, req.auth.sessionToken!, req.body);
    return { ok: true as const };
  });

  api.delete('/sessions/current', {
    schema: { tags, summary: 'Se déconnecter', response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await accounts.logOut(ctx, req.auth.sessionToken ?? undefined);
    return { ok: true as const };
  });

  api.post('/password-reset', {
    config: limited,
    schema: { tags, summary: 'Demander un lien de réinitialisation du mot de passe', security: [], body: z.object({ email: z.string() }), response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await accounts.requestPasswordReset(ctx, req.body);
    return { ok: true as const };
  });

  api.post('/password-reset/confirm', {
    config: limited,
    schema: { tags, summary: 'Choisir un nouveau mot de passe avec le jeton reçu', security: [], body: z.object({ token: z.string().max(100), password: z.string() }), response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await accounts.resetPassword(ctx, req.body.token, req.body);
    return { ok: true as const };
  });

  const me = z.object({ id: z.number(), email: z.string(), firstName: z.string(), lastName: z.string(), isTechnical: z.boolean(), totpEnabled: z.boolean() });
  api.get('/me', {
    schema: { tags, summary: 'Mon compte', response: { 200: me, ...errorResponses } },
  }, async (req) => {
    const actor = apiActor(req);
    const u = await accounts.findUserById(ctx.db, actor.userId);
    return { id: u!.id, email: u!.email, firstName: u!.first_name, lastName: u!.last_name, isTechnical: u!.is_technical, totpEnabled: !!u!.totp_enabled_at };
  });

  api.post('/me/password', {
    schema: { tags, summary: 'Changer mon mot de passe', body: z.object({ currentPassword: z.string(), password: z.string() }), response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await accounts.changePassword(ctx, apiActor(req), req.body, req.auth.session?.tokenHash);
    return { ok: true as const };
  });

  api.post('/me/login-email', {
    schema: { tags, summary: 'Changer mon adresse de connexion (confirmation envoyée à la nouvelle adresse)', body: z.object({ newEmail: z.string(), password: z.string() }), response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await accounts.requestLoginEmailChange(ctx, apiActor(req), req.body);
    return { ok: true as const };
  });

  api.post('/me/login-email/confirm', {
    schema: { tags, summary: 'Confirmer la nouvelle adresse de connexion', security: [], body: z.object({ token: z.string().max(100) }), response: { 200: z.object({ userId: z.number(), email: z.string() }), ...errorResponses } },
  }, async (req) => accounts.confirmLoginEmailChange(ctx, req.body.token));

  api.post('/me/totp', {
    schema: { tags, summary: 'Commencer l’activation de la double authentification (TOTP)', response: { 200: z.object({ secret: z.string(), uri: z.string() }), ...errorResponses } },
  }, async (req) => accounts.startTotpEnrolment(ctx, apiActorOrEnrolling(req)));

  api.post('/me/totp/confirm', {
    schema: { tags, summary: 'Confirmer la double authentification avec un premier code', body: z.object({ code: z.string() }), response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await accounts.confirmTotpEnrolment(ctx, apiActorOrEnrolling(req), req.body, req.auth.sessionToken ?? undefined);
    return { ok: true as const };
  });

  api.post('/me/totp/disable', {
    schema: { tags, summary: 'Désactiver la double authentification', body: z.object({ code: z.string() }), response: { 200: ok, ...errorResponses } },
  }, async (req) => {
    await accounts.disableTotp(ctx, apiActor(req), req.body);
    return { ok: true as const };
  });
}

/** A session waiting for TOTP enrolment (required by a structure) may enrol, and nothing else. */
function apiActorOrEnrolling(req: import('fastify').FastifyRequest) {
  const s = req.auth.session;
  if (s && s.pendingSecondFactor === 'ENROL') return { userId: s.user.id, isTechnical: false };
  return apiActor(req);
}
