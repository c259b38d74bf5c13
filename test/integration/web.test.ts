import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/test-app.ts';
import { newUser, PASSWORD } from '../helpers/factories.ts';

/** Cookies of a response as a Cookie header. */
const cookiesOf = (res: { cookies: Array<{ name: string; value: string }> }, previous = '') => {
  const jar = new Map(previous.split('; ').filter(Boolean).map((c) => c.split('=') as [string, string]));
  for (const c of res.cookies) jar.set(c.name, c.value);
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
};

describe('web security', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.cleanup());

  test('a form post without its CSRF token is refused with a French page', async () => {
    const res = await app.http!.inject({ method: 'POST', url: '/connexion', payload: 'email=a%40b.fr&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Le formulaire a expiré/);
    assert.doesNotMatch(res.body, /at .*\.ts:\d+/);
  });

  test('login through the form sets an HttpOnly session cookie and opens the dashboard', async () => {
    const user = await newUser(app, { firstName: 'Rose' });
    const form = await app.http!.inject({ method: 'GET', url: '/connexion' });
    const csrf = form.body.match(/name="_csrf" value="([^"]+)"/)![1];
    let cookie = cookiesOf(form);
    const login = await app.http!.inject({
      method: 'POST',
      url: '/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams({ _csrf: csrf, email: user.email, password: PASSWORD }).toString(),
    });
    assert.equal(login.statusCode, 303);
    const session = login.cookies.find((c) => c.name === 'ouvrage_session')!;
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    cookie = cookiesOf(login, cookie);
    const home = await app.http!.inject({ method: 'GET', url: '/', headers: { cookie } });
    assert.match(home.body, /Bonjour Rose/);
    assert.match(home.body, /<title>Tableau de bord — Ouvrage<\/title>/);
  });

  test('pages that need a session redirect to the login page, keeping where to go back', async () => {
    const res = await app.http!.inject({ method: 'GET', url: '/compte' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/connexion?retour=%2Fcompte');
  });

  test('unknown pages and API routes answer 404 in French, JSON for the API', async () => {
    const page = await app.http!.inject({ method: 'GET', url: '/nulle-part' });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /n&#39;existe pas/);
    const api = await app.http!.inject({ method: 'GET', url: '/api/v1/nulle-part' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().code, 'NOT_FOUND');
  });

  test('malformed JSON gets a clear error, not a crash', async () => {
    const res = await app.http!.inject({ method: 'POST', url: '/api/v1/sessions', payload: '{"email":', headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 400);
    assert.equal(typeof res.json().message, 'string');
  });
});
