import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { loggedInClient, newStructure, newUser } from '../helpers/factories.ts';

describe('rights (habilitations)', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  /** A structure, its logged-in manager, and members attached directly (default rights). */
  async function team(kind: 'PRIVEE' | 'PUBLIQUE', memberCount: number) {
    const gpUser = await newUser(app, { firstName: 'Gisèle', lastName: 'Principale' });
    const { structureId } = await newStructure(app, gpUser, { kind });
    const gp = await loggedInClient(app, gpUser.email);
    const members = [];
    for (let i = 0; i < memberCount; i++) {
      const u = await newUser(app, { firstName: `Membre${i}`, lastName: 'Test' });
      assert.equal((await gp.post(`/structures/${structureId}/members`, { email: u.email })).status, 201);
      members.push({ ...u, api: await loggedInClient(app, u.email) });
    }
    return { structureId, gp, gpUser, members };
  }
  const summary = (hs: any[]) => hs.map((h) => `${h.space}:${h.access}${h.serviceId ? `@${h.serviceId}` : ''}`).sort();

  test('a right change takes effect at once: no consultation of engagements, then consultation, then nothing again', async () => {
    const { structureId, gp, members: [marc] } = await team('PUBLIQUE', 1);
    const engagementsRoute = (await gp.get(`/structures/${structureId}/engagements`)).status !== 404;
    assert.equal((await marc.api.get(`/structures/${structureId}/my-spaces/ENGAGEMENTS`)).status, 403);
    if (engagementsRoute) assert.equal((await marc.api.get(`/structures/${structureId}/engagements`)).status, 403);

    const set = await gp.put(`/structures/${structureId}/members/${marc.userId}/habilitations`, {
      habilitations: [{ space: 'ENGAGEMENTS', access: 'CONSULTATION_UNIQUEMENT' }, { space: 'FACTURES_RECUES', access: 'MODIFICATION' }],
    });
    assert.equal(set.status, 200);
    assert.deepEqual(summary(set.body.habilitations), ['ENGAGEMENTS:CONSULTATION_UNIQUEMENT', 'FACTURES_RECUES:MODIFICATION']);
    const opened = await marc.api.get(`/structures/${structureId}/my-spaces/ENGAGEMENTS`);
    assert.equal(opened.status, 200);
    assert.equal(opened.body.access, 'CONSULTATION_UNIQUEMENT');
    if (engagementsRoute) assert.equal((await marc.api.get(`/structures/${structureId}/engagements`)).status, 200);
    assert.equal((await marc.api.get(`/structures/${structureId}/my-spaces/FACTURES_EMISES`)).status, 403, 'the full set was replaced');

    await gp.put(`/structures/${structureId}/members/${marc.userId}/habilitations`, { habilitations: [] });
    assert.equal((await marc.api.get(`/structures/${structureId}/my-spaces/ENGAGEMENTS`)).status, 403);
    assert.deepEqual((await marc.api.get(`/structures/${structureId}/my-spaces`)).body.spaces, []);
    const history = await app.ctx.db.selectFrom('events').select('type').where('stream', '=', `structure:${structureId}`).where('type', '=', 'RIGHTS_SET').execute();
    assert.equal(history.length, 2);
  });

  test('rights are checked: spaces of the structure kind, its own services, no space twice; the manager keeps every right', async () => {
    const { structureId, gp, gpUser, members: [m] } = await team('PRIVEE', 1);
    const url = `/structures/${structureId}/members/${m.userId}/habilitations`;
    const publicOnly = await gp.put(url, { habilitations: [{ space: 'FACTURES_RECUES', access: 'MODIFICATION' }] });
    assert.equal(publicOnly.status, 400);
    assert.match(publicOnly.body.message, /Factures reçues.*n'existe pas pour une structure privée/);
    const twice = await gp.put(url, { habilitations: [{ space: 'DUME', access: 'MODIFICATION' }, { space: 'DUME', access: 'CONSULTATION_UNIQUEMENT' }] });
    assert.equal(twice.body.code, 'DUPLICATE_RIGHT');
    const foreign = await gp.put(url, { habilitations: [{ space: 'DUME', access: 'MODIFICATION', serviceId: 999999 }] });
    assert.equal(foreign.body.code, 'SERVICE_UNKNOWN');
    const unknownLevel = await gp.put(url, { habilitations: [{ space: 'DUME', access: 'TOUT' }] });
    assert.equal(unknownLevel.status, 400);
    const own = await gp.put(`/structures/${structureId}/members/${gpUser.userId}/habilitations`, { habilitations: [] });
    assert.equal(own.status, 409);
    assert.equal(own.body.code, 'PRINCIPAL_MANAGER_HAS_ALL_RIGHTS');
    const gpSpaces = await gp.get(`/structures/${structureId}/my-spaces`);
    assert.ok(gpSpaces.body.spaces.every((s: any) => s.access === 'MODIFICATION'));
    assert.equal(gpSpaces.body.spaces.some((s: any) => s.space === 'FACTURES_RECUES'), false, 'a private structure has no received invoices');
  });

  test('the manager copies one member’s rights to another', async () => {
    const { structureId, gp, members: [model, copy] } = await team('PRIVEE', 2);
    await gp.put(`/structures/${structureId}/members/${model.userId}/habilitations`, {
      habilitations: [{ space: 'FACTURES_TRAVAUX', access: 'MODIFICATION' }, { space: 'DUME', access: 'CONSULTATION_UNIQUEMENT' }],
    });
    const same = await gp.post(`/structures/${structureId}/habilitations/copy`, { fromUserId: model.userId, toUserId: model.userId });
    assert.equal(same.status, 400);
    const copied = await gp.post(`/structures/${structureId}/habilitations/copy`, { fromUserId: model.userId, toUserId: copy.userId });
    assert.equal(copied.status, 200);
    const after = await gp.get(`/structures/${structureId}/members/${copy.userId}/habilitations`);
    assert.deepEqual(summary(after.body.habilitations), ['DUME:CONSULTATION_UNIQUEMENT', 'FACTURES_TRAVAUX:MODIFICATION']);
    assert.equal((await copy.api.get(`/structures/${structureId}/my-spaces/FACTURES_TRAVAUX`)).body.access, 'MODIFICATION');
  });

  test('the manager subscribes several members to a space at once', async () => {
    const { structureId, gp, gpUser, members } = await team('PRIVEE', 3);
    const [a, b, c] = members;
    const bulk = await gp.post(`/structures/${structureId}/habilitations/bulk`, { userIds: [a.userId, b.userId, gpUser.userId], space: 'DUME', access: 'MODIFICATION' });
    assert.equal(bulk.status, 200);
    assert.equal(bulk.body.subscribed, 2, 'the manager needs no subscription');
    for (const m of [a, b]) assert.equal((await m.api.get(`/structures/${structureId}/my-spaces/DUME`)).body.access, 'MODIFICATION');
    assert.equal((await c.api.get(`/structures/${structureId}/my-spaces/DUME`)).status, 403);
    const kept = await gp.get(`/structures/${structureId}/members/${a.userId}/habilitations`);
    assert.deepEqual(summary(kept.body.habilitations), ['DUME:MODIFICATION', 'FACTURES_EMISES:CONSULTATION_UNIQUEMENT', 'SOLLICITATIONS:CONSULTATION_UNIQUEMENT'], 'other rights are kept');
    const outsider = await newUser(app);
    const notMember = await gp.post(`/structures/${structureId}/habilitations/bulk`, { userIds: [outsider.userId], space: 'DUME', access: 'MODIFICATION' });
    assert.equal(notMember.status, 404);
    assert.equal(notMember.body.code, 'MEMBER_NOT_FOUND');
    const none = await gp.post(`/structures/${structureId}/habilitations/bulk`, { userIds: [], space: 'DUME', access: 'MODIFICATION' });
    assert.match(none.body.fields.userIds, /au moins un utilisateur/);
  });

  test('the rights matrix lists members × spaces, for the manager only', async () => {
    const { structureId, gp, members: [m] } = await team('PUBLIQUE', 1);
    const matrix = await gp.get(`/structures/${structureId}/habilitations`);
    assert.equal(matrix.status, 200);
    assert.ok(matrix.body.spaces.includes('ENGAGEMENTS'));
    assert.equal(matrix.body.members.length, 2);
    assert.equal((await m.api.get(`/structures/${structureId}/habilitations`)).status, 403);
    assert.equal((await m.api.put(`/structures/${structureId}/members/${m.userId}/habilitations`, { habilitations: [] })).status, 403);
    assert.equal((await m.api.post(`/structures/${structureId}/habilitations/bulk`, { userIds: [m.userId], space: 'DUME', access: 'MODIFICATION' })).status, 403);
    assert.equal((await m.api.post(`/structures/${structureId}/habilitations/copy`, { fromUserId: m.userId, toUserId: m.userId })).status, 403);
  });
});
