import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { apiClient, loggedInClient, newStructure, newUser } from '../helpers/factories.ts';
import { passwordProblems } from '../../src/accounts/index.ts';

const basic = (login: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` });

describe('technical accounts', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  test('the manager creates a technical account; it calls the API with HTTP Basic until its password expires after 424 days; a reset restores access', async () => {
    const gpUser = await newUser(app);
    const { structureId, siret } = await newStructure(app, gpUser, { kind: 'PUBLIQUE' });
    const gp = await loggedInClient(app, gpUser.email);
    const created = await gp.post(`/structures/${structureId}/technical-accounts`, { label: 'Connecteur ERP' });
    assert.equal(created.status, 201);
    const { login, password, userId } = created.body;
    assert.equal(login, `tech-${siret.slice(0, 9)}-1@ouvrage.technique`);
    assert.deepEqual(passwordProblems(password), [], 'the generated password is strong');
    const expires = new Date(created.body.passwordExpiresAt).getTime();
    assert.equal(Math.round((expires - clock.now().getTime()) / 86_400_000), 424);

    const api = apiClient(app);
    const me = await api.get('/me', basic(login, password));
    assert.equal(me.status, 200);
    assert.equal(me.body.isTechnical, true);
    assert.equal((await api.get(`/structures/${structureId}`, basic(login, password))).status, 200);
    const spaces = await api.get(`/structures/${structureId}/my-spaces`, basic(login, password));
    assert.deepEqual(spaces.body.spaces.map((s: any) => `${s.space}:${s.access}`).sort(), ['FACTURES_EMISES:MODIFICATION', 'FACTURES_RECUES:MODIFICATION', 'RACCORDEMENT_API:MODIFICATION']);
    assert.equal((await api.get('/me', basic(login, 'Wrong-Password-1!'))).status, 401);

    const second = await gp.post(`/structures/${structureId}/technical-accounts`, {});
    assert.equal(second.body.login, `tech-${siret.slice(0, 9)}-2@ouvrage.technique`);
    const list = await gp.get(`/structures/${structureId}/technical-accounts`);
    assert.deepEqual(list.body.technicalAccounts.map((a: any) => a.label), ['Connecteur ERP', 'Compte technique n° 2']);
    assert.equal(list.body.technicalAccounts[0].passwordExpiresAt, created.body.passwordExpiresAt);

    clock.advanceDays(425);
    assert.equal((await api.get('/me', basic(login, password))).status, 401, 'an expired password is refused');
    const gpAgain = await loggedInClient(app, gpUser.email);
    const reset = await gpAgain.post(`/structures/${structureId}/technical-accounts/${userId}/reset-password`);
    assert.equal(reset.status, 200);
    assert.notEqual(reset.body.password, password);
    assert.equal((await api.get('/me', basic(login, password))).status, 401, 'the old password no longer works');
    assert.equal((await api.get('/me', basic(login, reset.body.password))).status, 200);
    assert.equal(Math.round((new Date(reset.body.passwordExpiresAt).getTime() - clock.now().getTime()) / 86_400_000), 424, 'the expiry restarts');

    assert.equal((await gpAgain.post(`/structures/${structureId}/technical-accounts/${userId}/deactivate`)).status, 200);
    assert.equal((await api.get('/me', basic(login, reset.body.password))).status, 401, 'a deactivated account is refused');
    const after = await gpAgain.get(`/structures/${structureId}/technical-accounts`);
    assert.equal(after.body.technicalAccounts[0].status, 'DESACTIVE');
  });

  test('only the manager manages technical accounts, and a technical account never acts on rattachements', async () => {
    const gpUser = await newUser(app);
    const { structureId } = await newStructure(app, gpUser);
    const gp = await loggedInClient(app, gpUser.email);
    const memberUser = await newUser(app);
    await gp.post(`/structures/${structureId}/members`, { email: memberUser.email });
    const member = await loggedInClient(app, memberUser.email);
    const { body: tech } = await gp.post(`/structures/${structureId}/technical-accounts`, {});
    const asTech = basic(tech.login, tech.password);
    const api = apiClient(app);

    assert.equal((await member.post(`/structures/${structureId}/technical-accounts`, {})).status, 403);
    assert.equal((await member.get(`/structures/${structureId}/technical-accounts`)).status, 403);
    assert.equal((await member.post(`/structures/${structureId}/technical-accounts/${tech.userId}/reset-password`)).status, 403);
    assert.equal((await api.post(`/structures/${structureId}/technical-accounts/${tech.userId}/reset-password`, {}, asTech)).status, 403, 'not even itself');

    const other = await newStructure(app, await newUser(app));
    const ask = await api.post(`/structures/${other.structureId}/rattachements`, {}, asTech);
    assert.equal(ask.status, 403);
    assert.equal(ask.body.code, 'TECHNICAL_ACCOUNT_FORBIDDEN');
    assert.equal((await api.get(`/structures/search-to-join?q=${other.siret}`, asTech)).status, 403);
    assert.equal((await api.get(`/structures/${structureId}/rattachements`, asTech)).status, 403);
    assert.equal((await api.post(`/structures/${structureId}/members`, { email: memberUser.email }, asTech)).status, 403);
  });
});
