import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../../context.ts';
import { authenticateCaller, CODE, CproError, FILE_FIELDS, issueAccessToken, success, toCproError, ACCESS_TOKEN_SECONDS, type CproCaller } from '../../cpro/index.ts';
import { parseJsonWithFiles } from '../../http/json-with-files.ts';
import { LARGE_BODIES, OPERATIONS } from './operations.ts';

declare module 'fastify' {
  interface FastifyRequest {
    cproCaller: CproCaller | null;
  }
}

/** The gateway's answer when the bearer token is missing or invalid (HTTP 401, not in the Chorus envelope). */
const gatewayRefusal = (reply: FastifyReply, message: string) =>
  reply.status(401).header('www-authenticate', 'Bearer realm="ouvrage", error="invalid_token"').send({ httpCode: '401', httpMessage: 'Unauthorized', moreInformation: message });

/**
 * An answer as the UTF-8 bytes of its JSON, with Fastify's JSON content type: the bytes Fastify would send for the
 * object, without the copies of its text (measured UTF-8 length, then the headers prepended and the whole flattened
 * at the write: ≈ 30 KB of garbage per page of 10 invoices, whose text is UTF-16 once a name has a « — »).
 */
const jsonBytes = (reply: FastifyReply, answer: unknown) => reply.type('application/json; charset=utf-8').send(Buffer.from(JSON.stringify(answer)));

const sendError = (reply: FastifyReply, e: CproError) => reply.status(e.httpStatus).send({ codeRetour: e.codeRetour, libelle: e.libelle });

/**
 * The Chorus-Pro-compatible API: `POST /api/oauth/token` (OAuth2 client credentials, as on PISTE) and every
 * `POST /cpro/<api>/v1/<operation>` with the `Authorization: Bearer` and `cpro-account` headers.
 */
export async function registerCproApi(app: FastifyInstance, ctx: Ctx) {
  app.post('/api/oauth/token', async (req, reply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    let clientId = typeof body.client_id === 'string' ? body.client_id : '';
    let clientSecret = typeof body.client_secret === 'string' ? body.client_secret : '';
    const basic = req.headers.authorization?.match(/^Basic\s+(.+)$/i);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) [clientId, clientSecret] = [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
    }
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (body.grant_type !== 'client_credentials')
      return reply.status(400).send({ error: body.grant_type ? 'unsupported_grant_type' : 'invalid_request', error_description: 'grant_type doit valoir client_credentials.' });
    if (!clientId || !clientSecret) return reply.status(400).send({ error: 'invalid_request', error_description: 'client_id et client_secret sont obligatoires.' });
    const token = await issueAccessToken(ctx, clientId, clientSecret);
    if (!token) return reply.status(401).send({ error: 'invalid_client', error_description: 'Application inconnue, révoquée ou secret erroné.' });
    return reply.status(200).send({ access_token: token.accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS, scope: typeof body.scope === 'string' && body.scope ? body.scope : 'openid' });
  });

  await app.register(
    async (cpro) => {
      cpro.decorateRequest('cproCaller', null);
      parseJsonWithFiles(cpro, FILE_FIELDS);
      cpro.setErrorHandler((err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
        const fe = err as FastifyError;
        if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && !(err instanceof CproError)))
          return sendError(reply, new CproError(CODE.DONNEES_INVALIDES, 'Corps de requête JSON invalide.'));
        if (fe.statusCode === 415) return sendError(reply, new CproError(CODE.DONNEES_INVALIDES, 'Type de contenu non pris en charge : envoyez application/json.', 415));
        if (fe.statusCode === 413) return sendError(reply, new CproError(CODE.PIECE_JOINTE_TROP_VOLUMINEUSE, 'Requête trop volumineuse.', 413));
        const e = toCproError(err);
        if (e.httpStatus >= 500) req.log.error({ err }, 'unexpected error');
        return sendError(reply, e);
      });
      cpro.setNotFoundHandler((req, reply) =>
        sendError(reply, new CproError(CODE.OPERATION_NON_DISPONIBLE, `Opération inconnue : ${req.method} ${req.url.split('?')[0]}. Les opérations sont listées dans docs/api-cpro.md.`, 404)),
      );
      cpro.addHook('preHandler', async (req, reply) => {
        const r = await authenticateCaller(ctx, req.headers.authorization, req.headers['cpro-account'] as string | undefined);
        if (r.ok) {
          req.cproCaller = r.caller;
          return;
        }
        if (r.reason === 'TOKEN_MISSING' || r.reason === 'TOKEN_INVALID') return gatewayRefusal(reply, r.message);
        return sendError(reply, new CproError(CODE.DROITS_INSUFFISANTS, r.message, r.reason === 'ACCOUNT_OTHER_STRUCTURE' ? 403 : 401));
      });

      cpro.get('/transverses/v1/health-check', async () => ({ body: 'OK', statusCode: 'OK', statusCodeValue: 200 }));
      cpro.post('/transverses/v1/health-check', async () => success({ body: 'OK', statusCode: 'OK', statusCodeValue: 200 }));
      for (const [path, op] of Object.entries(OPERATIONS)) {
        cpro.post(`/${path}`, LARGE_BODIES[path] ? { bodyLimit: LARGE_BODIES[path] } : {}, async (req, reply) => {
          const body = (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {}) as Record<string, unknown>;
          return jsonBytes(reply, await op(ctx, req.cproCaller!, body));
        });
      }
    },
    { prefix: '/cpro' },
  );
}
