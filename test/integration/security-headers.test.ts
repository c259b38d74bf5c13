import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/test-app.ts';

/** The security headers every answer carries (helmet's defaults and the platform's content security policy). */
const EXPECTED = {
  'content-security-policy': "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const ANSWERS = [
  { method: 'GET', url: '/connexion', status: 200 },
  { method: 'GET', url: '/assets/app.css', status: 200 },
  { method: 'GET', url: '/api/v1/nothing', status: 404 },
  { method: 'POST', url: '/cpro/factures/v1/consulter/fournisseur', status: 401 },
  { method: 'POST', url: '/api/oauth/token', status: 400 },
] as const;

describe('security headers', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let https: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ workers: false });
    https = await startTestApp({ workers: false, env: { PUBLIC_URL: 'https://ouvrage.example.fr' } });
  });
  after(async () => {
    await app?.cleanup();
    await https?.cleanup();
  });

  test('pages, files, API answers and refusals all carry them; no HSTS over plain HTTP', async () => {
    for (const a of ANSWERS) {
      const r = await app.http!.inject({ method: a.method, url: a.url, headers: { 'content-type': 'application/json' }, payload: a.method === 'POST' ? '{}' : undefined });
      assert.equal(r.statusCode, a.status, a.url);
      for (const [name, value] of Object.entries(EXPECTED)) assert.equal(r.headers[name], value, `${a.url} ${name}`);
      assert.equal(r.headers['strict-transport-security'], undefined, a.url);
      assert.equal(r.headers['x-powered-by'], undefined, a.url);
    }
  });

  test('behind HTTPS, Strict-Transport-Security for a year, subdomains included', async () => {
    for (const a of ANSWERS) {
      const r = await https.http!.inject({ method: a.method, url: a.url, headers: { 'content-type': 'application/json' }, payload: a.method === 'POST' ? '{}' : undefined });
      assert.equal(r.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', a.url);
      assert.equal(r.headers['content-security-policy'], EXPECTED['content-security-policy'], a.url);
    }
  });
});
