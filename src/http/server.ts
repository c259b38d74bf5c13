import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ctx } from '../context.ts';
import type { DevMailbox } from '../mail/mailer.ts';
import { AppError, httpStatusOf } from '../shared/app-error.ts';
import { registerApiV1 } from '../api/v1/index.ts';
import { registerWeb } from '../web/index.ts';
import { registerCproApi } from '../api/cpro/index.ts';
import { resolveAuth, type RequestAuth } from './auth.ts';
import { securityHeaders } from './security-headers.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
  }
}

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export async function buildHttpServer(deps: { ctx: Ctx; mailbox: DevMailbox | null }): Promise<FastifyInstance> {
  const { ctx } = deps;
  const app = Fastify({
    logger: ctx.config.LOG_LEVEL === 'silent' ? false : { level: ctx.config.LOG_LEVEL },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // First hook: every answer carries them, refusals and errors included.
  const headers = securityHeaders({ hsts: ctx.config.secureCookies });
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(csrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, signed: false },
    getToken: (req: FastifyRequest) => ((req.body as any)?._csrf as string) ?? (req.headers['x-csrf-token'] as string),
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Ouvrage — API native', version: '1.0.0', description: 'API JSON de la plateforme Ouvrage (comptes, structures, droits, annuaire).' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Jeton de session obtenu par POST /api/v1/sessions' },
          basic: { type: 'http', scheme: 'basic', description: 'Compte technique (identifiant:mot de passe)' },
        },
      },
      security: [{ bearer: [] }, { basic: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(fastifyStatic, {
    root: path.join(here, '..', 'web', 'assets'),
    prefix: '/assets/',
    decorateReply: false,
  });
  await app.register(fastifyStatic, {
    root: path.dirname(require.resolve('htmx.org/dist/htmx.min.js')),
    prefix: '/vendor/htmx/',
    decorateReply: false,
  });

  app.decorateRequest('auth', null as unknown as RequestAuth);
  app.addHook('onRequest', async (req) => {
    req.auth = await resolveAuth(ctx, req);
  });

  app.setErrorHandler((err: FastifyError | AppError | Error, req: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(err);
    if (appError.kind === 'INTERNAL') req.log.error({ err }, 'unexpected error');
    const isApi = req.url.startsWith('/api/');
    reply.status(httpStatusOf[appError.kind]);
    if (isApi || (req.headers.accept ?? '').includes('application/json')) {
      return reply.send({ code: appError.code, message: appError.userMessage, ...(appError.fields ? { fields: appError.fields } : {}) });
    }
    return reply.type('text/html; charset=utf-8').send(renderErrorPage(appError));
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new AppError('NOT_FOUND', 'NOT_FOUND', "La page demandée n'existe pas.");
    reply.status(404);
    if (req.url.startsWith('/api/')) return reply.send({ code: e.code, message: e.userMessage });
    return reply.type('text/html; charset=utf-8').send(renderErrorPage(e));
  });

  await app.register(async (api) => registerApiV1(api, ctx), { prefix: '/api/v1' });
  await app.register(async (cpro) => registerCproApi(cpro, ctx));
  await app.register(async (web) => registerWeb(web, { ctx, mailbox: deps.mailbox }));
  return app;
}

function toAppError(err: any): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields: Record<string, string> = {};
    for (const v of err.validation) {
      const key = (v.instancePath || '/').slice(1).replace(/\//g, '.') || '_';
      fields[key] ??= v.message && !/^(Invalid|Too|Expected|Required)/.test(v.message) ? v.message : 'Valeur invalide.';
    }
    return new AppError('VALIDATION', 'INVALID_INPUT', 'Certains champs sont invalides.', fields);
  }
  if (err?.code === 'FST_CSRF_MISSING_SECRET' || err?.code === 'FST_CSRF_INVALID_TOKEN')
    return new AppError('FORBIDDEN', 'CSRF_INVALID', 'Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.');
  if (err?.statusCode === 429) return new AppError('RATE_LIMITED', 'RATE_LIMITED', 'Trop de requêtes : patientez un instant.');
  if (err?.statusCode === 413 || err?.code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('TOO_LARGE', 'PAYLOAD_TOO_LARGE', 'Le fichier ou la requête est trop volumineux.');
  if (err?.statusCode === 415) return new AppError('VALIDATION', 'UNSUPPORTED_MEDIA_TYPE', "Type de contenu non pris en charge.");
  if (err?.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return new AppError('VALIDATION', 'BAD_REQUEST', 'Requête invalide.');
  return new AppError('INTERNAL', 'INTERNAL', 'Une erreur inattendue est survenue. Réessayez ; si elle persiste, contactez votre administrateur.');
}

// Imported late to keep server.ts free of JSX.
import { renderErrorPage } from '../web/error-page.tsx';
