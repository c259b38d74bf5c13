import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { webSession } from '../helpers/web-session.ts';
import { cproToken } from '../helpers/cpro.ts';
import { attachUser, setHabilitations, spacesOfKind } from '../../src/structures/index.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('pages: applications of the Chorus-Pro-compatible API (OAuth clients)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.cleanup());

  test('the principal manager declares an application (secret shown once, working at the token endpoint), then revokes it', async () => {
    const gpUser = await newUser(app);
    const { structureId } = await newStructure(app, gpUser, { kind: 'PRIVEE' });
    const gp = await webSession(app, gpUser.email);
    const page = `/structures/${structureId}/applications-api`;

    const empty = await gp.get(page);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /Aucune application\./);
    assert.match(empty.body, /href="\/structures\/\d+\/applications-api" aria-current="page">Applications API</, 'a tab of the structure');

    const noName = await gp.submit(page, page, { label: '  ' });
    assert.equal(noName.statusCode, 400);
    assert.match(noName.body, /Le nom de l’application est obligatoire/);

    const created = await gp.submit(page, page, { label: 'ERP comptable' });
    assert.equal(created.statusCode, 200);
    assert.equal(created.headers['cache-control'], 'no-store');
    assert.match(created.body, /Notez ce secret maintenant : il ne sera plus affiché/);
    const clientId = created.body.match(/data-testid="client-id">([^<]+)</)![1];
    const clientSecret = created.body.match(/data-testid="client-secret">([^<]+)</)![1];
    assert.match(clientId, /^ouvrage-[0-9a-f]{24}$/);

    const listed = await gp.get(page);
    assert.match(listed.body, /ERP comptable/);
    assert.match(listed.body, new RegExp(escape(clientId)));
    assert.doesNotMatch(listed.body, new RegExp(escape(clientSecret)), 'the secret is never shown again');
    assert.match(listed.body, />Active</);

    const token = await cproToken(app, clientId, clientSecret);
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal(token.body.expires_in, 3600);

    const rowId = listed.body.match(/applications-api\/(\d+)\/revoquer/)![1];
    const revoked = await gp.submit(page, `${page}/${rowId}/revoquer`, {});
    assert.equal(revoked.statusCode, 303);
    assert.equal(revoked.headers.location, `${page}?ok=revoquee`);
    const after = await gp.get(`${page}?ok=revoquee`);
    assert.match(after.body, /L&#39;application est révoquée/);
    assert.match(after.body, /Révoquée le \d+ \S+ \d{4}/);
    assert.doesNotMatch(after.body, /\/revoquer"/, 'nothing left to revoke');
    assert.equal((await cproToken(app, clientId, clientSecret)).status, 401, 'a revoked application gets no token');
    const unknown = await gp.submit(page, `${page}/999999/revoquer`, {});
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /Application introuvable/);
  });

  test('other users cannot: a member with every right gets 403 and no tab, an outsider 404', async () => {
    const gpUser = await newUser(app);
    const { structureId } = await newStructure(app, gpUser, { kind: 'PUBLIQUE' });
    const member = await newUser(app);
    await attachUser(app.ctx, gpUser, structureId, { email: member.email });
    await setHabilitations(app.ctx, gpUser, structureId, member.userId, { habilitations: spacesOfKind('PUBLIQUE').map((space) => ({ space, access: 'MODIFICATION' })) });
    const page = `/structures/${structureId}/applications-api`;
    const web = await webSession(app, member.email);
    assert.equal((await web.get(page)).statusCode, 403);
    assert.equal((await web.submit(`/structures/${structureId}`, page, { label: 'Pirate' })).statusCode, 403);
    assert.doesNotMatch((await web.get(`/structures/${structureId}`)).body, /Applications API/);
    const rows = await app.ctx.db.selectFrom('cpro_oauth_clients').select('id').where('structure_id', '=', structureId).execute();
    assert.equal(rows.length, 0);
    const outsider = await webSession(app, (await newUser(app)).email);
    assert.equal((await outsider.get(page)).statusCode, 404);
    const anonymous = await app.http!.inject({ method: 'GET', url: page });
    assert.equal(anonymous.statusCode, 303);
  });
});
