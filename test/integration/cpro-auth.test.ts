import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser, apiClient, loggedInClient } from '../helpers/factories.ts';
import { cproClient, cproToken, sandbox } from '../helpers/cpro.ts';

describe('Chorus-compatible API: authentication as on the State gateway', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let sb: Awaited<ReturnType<typeof sandbox>>;
  before(async () => {
    app = await startTestApp({ clock });
    sb = await sandbox(app);
  });
  after(async () => app?.cleanup());

  test('client credentials give a 3600 s bearer token, stored hashed; both headers open /cpro', async () => {
    const oauth = sb.report.oauthClients.find((c) => c.structure === 'fournisseur')!;
    const t = await cproToken(app, oauth.clientId, oauth.clientSecret);
    assert.equal(t.status, 200);
    assert.equal(t.body.token_type, 'Bearer');
    assert.equal(t.body.expires_in, 3600);
    assert.equal(t.body.scope, 'openid');
    assert.match(t.body.access_token, /^[a-z2-7]{32}$/);
    const stored = await app.ctx.db.selectFrom('cpro_access_tokens').select('token_hash').execute();
    assert.ok(stored.length >= 1);
    assert.ok(stored.every((r) => r.token_hash !== t.body.access_token && /^[0-9a-f]{64}$/.test(r.token_hash)));
    const secrets = await app.ctx.db.selectFrom('cpro_oauth_clients').select('secret_hash').execute();
    assert.ok(secrets.every((r) => r.secret_hash !== oauth.clientSecret));
    const tech = sb.report.technicalAccounts.find((x) => x.structure === 'fournisseur')!;
    const r = await cproClient(app, t.body.access_token, tech.cproAccount).post('structures/v1/rechercher/espaces', {});
    assert.equal(r.status, 200);
    assert.equal(r.body.codeRetour, 0);
    assert.equal(r.body.libelle, 'TRA_MSG_00.000');
    assert.ok(r.body.listeEspaces.some((e: any) => e.codeEspace === 'FACTURES_EMISES'));
  });

  test('token endpoint errors follow OAuth2 (RFC 6749)', async () => {
    const oauth = sb.report.oauthClients[0]!;
    const wrong = await cproToken(app, oauth.clientId, 'not-the-secret');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    const unknown = await cproToken(app, 'ouvrage-unknown', 'x');
    assert.equal(unknown.status, 401);
    const grant = await app.http!.inject({ method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=password&client_id=a&client_secret=b' });
    assert.equal(grant.statusCode, 400);
    assert.equal(grant.json().error, 'unsupported_grant_type');
    // HTTP Basic client authentication is accepted too.
    const basic = await app.http!.inject({
      method: 'POST', url: '/api/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${oauth.clientId}:${oauth.clientSecret}`).toString('base64')}` },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(basic.statusCode, 200);
  });

  test('missing or invalid bearer: 401 from the gateway; wrong technical account: 401 in the envelope; other structure: 403', async () => {
    const sup = await sb.as('fournisseur');
    const none = await cproClient(app, null, sup.cproAccount).post('transverses/v1/recuperer/devises', {});
    assert.equal(none.status, 401);
    assert.equal(none.body.httpCode, '401');
    assert.equal(none.body.httpMessage, 'Unauthorized');
    assert.match(none.body.moreInformation, /Authorization: Bearer/);
    const bad = await cproClient(app, 'not-a-token', sup.cproAccount).post('transverses/v1/recuperer/devises', {});
    assert.equal(bad.status, 401);
    assert.equal(bad.body.httpCode, '401');
    const noAccount = await cproClient(app, sup.token, null).post('transverses/v1/recuperer/devises', {});
    assert.equal(noAccount.status, 401);
    assert.equal(noAccount.body.codeRetour, 20001);
    assert.match(noAccount.body.libelle, /cpro-account/);
    const tech = sb.report.technicalAccounts.find((x) => x.structure === 'fournisseur')!;
    const wrongPassword = await cproClient(app, sup.token, Buffer.from(`${tech.login}:wrong-password`).toString('base64')).post('transverses/v1/recuperer/devises', {});
    assert.equal(wrongPassword.status, 401);
    assert.equal(wrongPassword.body.codeRetour, 20001);
    assert.match(wrongPassword.body.libelle, /Compte technique inconnu, mot de passe erroné/);
    const otherTech = sb.report.technicalAccounts.find((x) => x.structure === 'destinataire:etat')!;
    const other = await cproClient(app, sup.token, otherTech.cproAccount).post('transverses/v1/recuperer/devises', {});
    assert.equal(other.status, 403);
    assert.equal(other.body.codeRetour, 20001);
    assert.match(other.body.libelle, /n'appartient pas à la structure/);
    // A person's login in cpro-account is refused: only technical accounts call the API.
    const person = await cproClient(app, sup.token, Buffer.from('gest.fournisseur@qualif.ouvrage:Qualif-Ouvrage-2026!').toString('base64')).post('transverses/v1/recuperer/devises', {});
    assert.equal(person.status, 401);
  });

  test('a token dies after 3600 s; a revoked client loses its tokens at once', async () => {
    const sup = await sb.as('fournisseur');
    assert.equal((await sup.post('transverses/v1/recuperer/devises')).status, 200);
    clock.advanceMinutes(61);
    const expired = await sup.post('transverses/v1/recuperer/devises');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.httpCode, '401');
    const fresh = await sb.as('fournisseur');
    assert.equal((await fresh.post('transverses/v1/recuperer/devises')).status, 200);
    const gp = await loggedInClient(app, 'gest.fournisseur@qualif.ouvrage', 'Qualif-Ouvrage-2026!');
    const list = await gp.get(`/structures/${sb.structure('fournisseur').idStructureCPP}/oauth-clients`);
    assert.equal(list.status, 200);
    assert.equal(list.body.oauthClients.length, 1);
    assert.equal(list.body.oauthClients[0].clientSecret, undefined);
    const revoke = await gp.post(`/structures/${sb.structure('fournisseur').idStructureCPP}/oauth-clients/${list.body.oauthClients[0].id}/revoke`);
    assert.equal(revoke.status, 200);
    assert.equal((await fresh.post('transverses/v1/recuperer/devises')).status, 401);
    const oauth = sb.report.oauthClients.find((c) => c.structure === 'fournisseur')!;
    assert.equal((await cproToken(app, oauth.clientId, oauth.clientSecret)).status, 401);
  });

  test('a reset password, a deactivated or a locked account is refused on the very next call, though callers are kept a few seconds', async () => {
    const devises = 'transverses/v1/recuperer/devises';
    const moe = await sb.as('moe');
    assert.equal((await moe.post(devises)).status, 200);
    assert.equal((await moe.post(devises)).status, 200);
    const s = sb.structure('moe');
    const tech = sb.report.technicalAccounts.find((t) => t.structure === 'moe')!;
    const techUser = await app.ctx.db.selectFrom('users').select('id').where('email', '=', tech.login).executeTakeFirstOrThrow();
    const gp = await loggedInClient(app, s.gpLogin, sb.report.password);
    const reset = await gp.post(`/structures/${s.idStructureCPP}/technical-accounts/${techUser.id}/reset-password`);
    assert.equal(reset.status, 200);
    const old = await moe.post(devises);
    assert.equal(old.status, 401);
    assert.equal(old.body.codeRetour, 20001);
    const renewed = cproClient(app, moe.token, Buffer.from(`${tech.login}:${reset.body.password}`).toString('base64'));
    assert.equal((await renewed.post(devises)).status, 200);
    assert.equal((await renewed.post(devises)).status, 200);
    assert.equal((await gp.post(`/structures/${s.idStructureCPP}/technical-accounts/${techUser.id}/deactivate`)).status, 200);
    assert.equal((await renewed.post(devises)).status, 401);

    // Wrong passwords lock the account (LOGIN_MAX_FAILURES): the right one, verified a moment ago, is refused next.
    const moa = await sb.as('moa');
    assert.equal((await moa.post(devises)).status, 200);
    const moaTech = sb.report.technicalAccounts.find((t) => t.structure === 'moa')!;
    const wrong = cproClient(app, moa.token, Buffer.from(`${moaTech.login}:not-the-password`).toString('base64'));
    for (let i = 0; i < app.ctx.config.LOGIN_MAX_FAILURES; i++) assert.equal((await wrong.post(devises)).status, 401);
    assert.equal((await moa.post(devises)).status, 401);
  });

  test('only the principal manager declares applications (native API)', async () => {
    const gpUser = await newUser(app);
    const { structureId } = await newStructure(app, gpUser);
    const member = await newUser(app);
    const gp = await loggedInClient(app, gpUser.email);
    const created = await gp.post(`/structures/${structureId}/oauth-clients`, { label: 'Mon ERP' });
    assert.equal(created.status, 201);
    assert.match(created.body.clientId, /^ouvrage-[0-9a-f]{24}$/);
    assert.ok(created.body.clientSecret.length >= 32);
    const outsider = await loggedInClient(app, member.email);
    assert.equal((await outsider.post(`/structures/${structureId}/oauth-clients`, { label: 'x' })).status, 404);
    assert.equal((await apiClient(app).post(`/structures/${structureId}/oauth-clients`, { label: 'x' })).status, 401);
    const empty = await gp.post(`/structures/${structureId}/oauth-clients`, { label: '' });
    assert.equal(empty.status, 400);
  });

  test('unknown operation: 404 in the envelope', async () => {
    const etat = await sb.as('destinataire:etat');
    const r = await etat.post('factures/v1/inexistante', {});
    assert.equal(r.status, 404);
    assert.equal(r.body.codeRetour, 20199);
  });
});
