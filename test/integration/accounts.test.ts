import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { apiClient, linkToken, loggedInClient, newUser, PASSWORD, uniqueEmail, newStructure } from '../helpers/factories.ts';
import { totpCode } from '../../src/accounts/index.ts';

describe('accounts', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  test('a person signs up, receives the activation mail, activates and logs in', async () => {
    const email = uniqueEmail('signup');
    const api = apiClient(app);
    const created = await api.post('/accounts', { email, firstName: 'Anne', lastName: 'Roux', password: PASSWORD });
    assert.equal(created.status, 201);
    const beforeActivation = await api.post('/sessions', { email, password: PASSWORD });
    assert.equal(beforeActivation.status, 403);
    assert.equal(beforeActivation.body.code, 'ACCOUNT_NOT_ACTIVATED');

    const mail = await app.mailbox!.waitFor(email, /Activez votre compte/);
    const token = linkToken(mail.text, '/activation/');
    assert.equal((await api.post('/accounts/activation', { token })).status, 200);
    const replay = await api.post('/accounts/activation', { token });
    assert.equal(replay.status, 410);
    assert.equal(replay.body.code, 'LINK_USED');

    const login = await api.post('/sessions', { email, password: PASSWORD });
    assert.equal(login.status, 201);
    const me = await apiClient(app, login.body.token).get('/me');
    assert.equal(me.body.email, email);
  });

  test('an activation link expires after 60 minutes', async () => {
    const email = uniqueEmail('late');
    const api = apiClient(app);
    await api.post('/accounts', { email, firstName: 'Léo', lastName: 'Blanc', password: PASSWORD });
    const token = linkToken((await app.mailbox!.waitFor(email, /Activez/)).text, '/activation/');
    clock.advanceMinutes(61);
    const r = await api.post('/accounts/activation', { token });
    assert.equal(r.status, 410);
    assert.equal(r.body.code, 'LINK_EXPIRED');
    assert.match(r.body.message, /expiré/);
  });

  test('weak passwords, bad e-mails and duplicates are refused with French field messages', async () => {
    const api = apiClient(app);
    const weak = await api.post('/accounts', { email: uniqueEmail(), firstName: 'A', lastName: 'B', password: 'short' });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.code, 'PASSWORD_TOO_WEAK');
    assert.match(weak.body.fields.password, /12 caractères/);
    const badEmail = await api.post('/accounts', { email: 'pas-une-adresse', firstName: 'A', lastName: 'B', password: PASSWORD });
    assert.equal(badEmail.status, 400);
    assert.match(badEmail.body.fields.email, /adresse électronique/);
    const user = await newUser(app);
    const dup = await api.post('/accounts', { email: user.email.toUpperCase(), firstName: 'A', lastName: 'B', password: PASSWORD });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, 'ACCOUNT_EXISTS');
  });

  test('an account is locked after repeated failures, even for the right password', async () => {
    const user = await newUser(app);
    const api = apiClient(app);
    for (let i = 0; i < 4; i++) assert.equal((await api.post('/sessions', { email: user.email, password: 'Wrong-Password-1!' })).status, 401);
    const fifth = await api.post('/sessions', { email: user.email, password: 'Wrong-Password-1!' });
    assert.equal(fifth.status, 423);
    const right = await api.post('/sessions', { email: user.email, password: PASSWORD });
    assert.equal(right.status, 423);
    assert.equal(right.body.code, 'ACCOUNT_LOCKED');
    clock.advanceMinutes(16);
    assert.equal((await api.post('/sessions', { email: user.email, password: PASSWORD })).status, 201);
  });

  test('password reset by mail sets a new password and ends existing sessions', async () => {
    const user = await newUser(app);
    const old = await loggedInClient(app, user.email);
    const api = apiClient(app);
    assert.equal((await api.post('/password-reset', { email: user.email })).status, 200);
    assert.equal((await api.post('/password-reset', { email: uniqueEmail('nobody') })).status, 200, 'unknown addresses get the same answer');
    const token = linkToken((await app.mailbox!.waitFor(user.email, /Réinitialisation/)).text, '/mot-de-passe/nouveau/');
    const newPassword = 'Another-Secret-77?';
    assert.equal((await api.post('/password-reset/confirm', { token, password: newPassword })).status, 200);
    assert.equal((await old.get('/me')).status, 401);
    assert.equal((await api.post('/sessions', { email: user.email, password: PASSWORD })).status, 401);
    assert.equal((await api.post('/sessions', { email: user.email, password: newPassword })).status, 201);
    assert.equal((await api.post('/password-reset/confirm', { token, password: 'Yet-Another-88!x' })).body.code, 'LINK_USED');
  });

  test('the login e-mail changes only after confirmation from the new address', async () => {
    const user = await newUser(app);
    const client = await loggedInClient(app, user.email);
    const newEmail = uniqueEmail('moved');
    assert.equal((await client.post('/me/login-email', { newEmail, password: 'wrong' })).status, 400);
    assert.equal((await client.post('/me/login-email', { newEmail, password: PASSWORD })).status, 200);
    assert.equal((await apiClient(app).post('/sessions', { email: user.email, password: PASSWORD })).status, 201, 'old address still works before confirmation');
    const token = linkToken((await app.mailbox!.waitFor(newEmail, /nouvelle adresse/)).text, '/adresse/confirmer/');
    assert.equal((await apiClient(app).post('/me/login-email/confirm', { token })).status, 200);
    assert.equal((await apiClient(app).post('/sessions', { email: user.email, password: PASSWORD })).status, 401);
    assert.equal((await apiClient(app).post('/sessions', { email: newEmail, password: PASSWORD })).status, 201);
    await app.mailbox!.waitFor(user.email, /adresse de connexion a changé/);
  });

  test('TOTP: enrolment, then login needs a code; wrong and replayed codes are refused', async () => {
    const user = await newUser(app);
    const client = await loggedInClient(app, user.email);
    const { body } = await client.post('/me/totp');
    assert.match(body.uri, /^otpauth:\/\/totp\//);
    assert.equal((await client.post('/me/totp/confirm', { code: '000000' === totpCode(body.secret, clock.now()) ? '111111' : '000000' })).body.code, 'TOTP_INVALID');
    assert.equal((await client.post('/me/totp/confirm', { code: totpCode(body.secret, clock.now()) })).status, 200);

    clock.advanceMinutes(1);
    const login = await apiClient(app).post('/sessions', { email: user.email, password: PASSWORD });
    assert.equal(login.body.secondFactor, 'VERIFY');
    const pending = apiClient(app, login.body.token);
    assert.equal((await pending.get('/me')).body.code, 'SECOND_FACTOR_REQUIRED');
    const code = totpCode(body.secret, clock.now());
    assert.equal((await pending.post('/sessions/second-factor', { code })).status, 200);
    assert.equal((await pending.get('/me')).status, 200);

    const again = await apiClient(app).post('/sessions', { email: user.email, password: PASSWORD });
    const replay = await apiClient(app, again.body.token).post('/sessions/second-factor', { code });
    assert.equal(replay.status, 400);
    assert.equal(replay.body.code, 'TOTP_INVALID');
  });

  test('a structure can make TOTP mandatory: its members must enrol before anything else', async () => {
    const gp = await newUser(app);
    const { structureId } = await newStructure(app, gp);
    await app.ctx.db.updateTable('structures').set({ totp_required: true }).where('id', '=', structureId).execute();
    const login = await apiClient(app).post('/sessions', { email: gp.email, password: PASSWORD });
    assert.equal(login.body.secondFactor, 'ENROL');
    const pending = apiClient(app, login.body.token);
    assert.equal((await pending.get('/structures')).status, 401);
    const { body } = await pending.post('/me/totp');
    assert.equal((await pending.post('/me/totp/confirm', { code: totpCode(body.secret, clock.now()) })).status, 200);
    assert.equal((await pending.get('/structures')).status, 200);
    clock.advanceMinutes(1);
    const disable = await pending.post('/me/totp/disable', { code: totpCode(body.secret, clock.now()) });
    assert.equal(disable.body.code, 'TOTP_REQUIRED_BY_STRUCTURE');
  });
});
