import type { App } from '../../src/app.ts';
import { seedSandbox, type SandboxReport } from '../../src/demo/sandbox.ts';

/** A Chorus Pro client as public connectors are written: form-encoded token request, then JSON POSTs with both headers. */
export async function cproToken(app: App, clientId: string, clientSecret: string) {
  const res = await app.http!.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'openid' }).toString(),
  });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

export function cproClient(app: App, token: string | null, cproAccount: string | null) {
  return {
    async post(path: string, body: unknown = {}, extraHeaders: Record<string, string> = {}) {
      const res = await app.http!.inject({
        method: 'POST',
        url: `/cpro/${path}`,
        headers: {
          'content-type': 'application/json;charset=utf-8',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(cproAccount ? { 'cpro-account': cproAccount } : {}),
          ...extraHeaders,
        },
        payload: JSON.stringify(body),
      });
      let json: any = null;
      try {
        json = res.json();
      } catch {
        /* not JSON */
      }
      return { status: res.statusCode, body: json, headers: res.headers };
    },
  };
}

/** The sandbox data set and a client per role ('fournisseur', 'destinataire:sansParametre', …). */
export async function sandbox(app: App) {
  const report: SandboxReport = await seedSandbox(app.ctx);
  const as = async (role: string) => {
    const oauth = report.oauthClients.find((c) => c.structure === role)!;
    const tech = report.technicalAccounts.find((t) => t.structure === role)!;
    const t = await cproToken(app, oauth.clientId, oauth.clientSecret);
    if (t.status !== 200) throw new Error(`token: ${t.status} ${JSON.stringify(t.body)}`);
    return Object.assign(cproClient(app, t.body.access_token, tech.cproAccount), { token: t.body.access_token as string, cproAccount: tech.cproAccount });
  };
  const structure = (role: string) => report.structures.find((s) => s.role === role)!;
  return { report, as, structure };
}
