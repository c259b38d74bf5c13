import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { apiClient, loggedInClient, newStructure, newUser } from '../helpers/factories.ts';

describe('rattachements', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  /** A structure with its principal manager, logged in. */
  async function structureWithManager(name?: string) {
    const gpUser = await newUser(app, { firstName: 'Gérard', lastName: 'Principal' });
    const { structureId, siret } = await newStructure(app, gpUser, name ? { name } : {});
    return { gpUser, gp: await loggedInClient(app, gpUser.email), structureId, siret };
  }

  test('a user finds a structure by its SIRET, asks to join, the manager approves: both are told by mail', async () => {
    const { gpUser, gp, structureId, siret } = await structureWithManager();
    const anneUser = await newUser(app, { firstName: 'Anne', lastName: 'Roux' });
    const anne = await loggedInClient(app, anneUser.email);

    const found = await anne.get(`/structures/search-to-join?q=${siret.slice(0, 9)}`);
    assert.equal(found.status, 200);
    const hit = found.body.structures.find((s: any) => s.id === structureId);
    assert.ok(hit, 'found by the beginning of its SIRET');
    assert.equal(hit.myStatus, null);

    const asked = await anne.post(`/structures/${structureId}/rattachements`, { message: 'Je suis la comptable.' });
    assert.equal(asked.status, 201);
    const mail = await app.mailbox!.waitFor(gpUser.email, /Nouvelle demande de rattachement/);
    assert.match(mail.text, /Anne Roux/);
    assert.match(mail.text, /Je suis la comptable/);

    const again = await anne.post(`/structures/${structureId}/rattachements`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'ALREADY_PENDING');
    assert.equal((await anne.get(`/structures/${structureId}`)).status, 404, 'not a member while pending');

    const mine = await anne.get('/me/rattachements');
    assert.equal(mine.body.rattachements[0].status, 'EN_COURS_DE_VALIDATION');

    const pending = await gp.get(`/structures/${structureId}/rattachements?status=EN_COURS_DE_VALIDATION`);
    assert.equal(pending.body.rattachements.length, 1);
    assert.equal(pending.body.rattachements[0].email, anneUser.email);
    assert.equal((await gp.post(`/structures/${structureId}/rattachements/${asked.body.rattachementId}/approve`)).status, 200);

    await app.mailbox!.waitFor(anneUser.email, /Rattachement validé/);
    assert.equal((await anne.get(`/structures/${structureId}`)).status, 200);
    const spaces = await anne.get(`/structures/${structureId}/my-spaces`);
    assert.deepEqual(
      spaces.body.spaces.map((s: any) => `${s.space}:${s.access}`).sort(),
      ['FACTURES_EMISES:CONSULTATION_UNIQUEMENT', 'SOLLICITATIONS:CONSULTATION_UNIQUEMENT'],
      'a new member of a private structure gets the default spaces in consultation',
    );
    const already = await anne.post(`/structures/${structureId}/rattachements`, {});
    assert.equal(already.body.code, 'ALREADY_MEMBER');
    const notifications = await app.ctx.db.selectFrom('notifications').select('kind').where('user_id', '=', anneUser.userId).execute();
    assert.ok(notifications.some((n) => n.kind === 'RATTACHEMENT_VALIDE'));
    const history = await app.ctx.db.selectFrom('events').select('type').where('stream', '=', `structure:${structureId}`).execute();
    assert.deepEqual(history.map((e) => e.type).filter((t) => t.startsWith('RATTACHEMENT')), ['RATTACHEMENT_REQUESTED', 'RATTACHEMENT_APPROVED']);
  });

  test('the manager refuses with a reason; the requester reads it and may ask again', async () => {
    const { gp, structureId } = await structureWithManager();
    const paulUser = await newUser(app, { firstName: 'Paul', lastName: 'Durand' });
    const paul = await loggedInClient(app, paulUser.email);
    const { body } = await paul.post(`/structures/${structureId}/rattachements`, {});
    const noReason = await gp.post(`/structures/${structureId}/rattachements/${body.rattachementId}/refuse`, { reason: '  ' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body.fields.reason, /motif du refus est obligatoire/);
    assert.equal((await gp.post(`/structures/${structureId}/rattachements/${body.rattachementId}/refuse`, { reason: 'Personne inconnue du service.' })).status, 200);
    const mail = await app.mailbox!.waitFor(paulUser.email, /Rattachement refusé/);
    assert.match(mail.text, /Personne inconnue du service/);
    const mine = (await paul.get('/me/rattachements')).body.rattachements[0];
    assert.equal(mine.status, 'REFUSEE');
    assert.equal(mine.refusalReason, 'Personne inconnue du service.');
    const twice = await gp.post(`/structures/${structureId}/rattachements/${body.rattachementId}/approve`);
    assert.equal(twice.body.code, 'RATTACHEMENT_NOT_PENDING');
    const retry = await paul.post(`/structures/${structureId}/rattachements`, { message: 'Nouvelle demande' });
    assert.equal(retry.status, 201);
    assert.equal(retry.body.rattachementId, body.rattachementId, 'the same rattachement is asked again');
    assert.equal((await paul.get('/me/rattachements')).body.rattachements[0].status, 'EN_COURS_DE_VALIDATION');
  });

  test('search needs at least 3 characters, and finds a name only when it is exact (any case)', async () => {
    const name = `Menuiserie Exacte ${Date.now()}`;
    const { structureId } = await structureWithManager(name);
    const user = await loggedInClient(app, (await newUser(app)).email);
    const short = await user.get('/structures/search-to-join?q=12');
    assert.equal(short.status, 400);
    assert.match(short.body.fields.q, /au moins 3 caractères/);
    const partial = await user.get(`/structures/search-to-join?q=${encodeURIComponent(name.slice(0, 12))}`);
    assert.equal(partial.body.structures.some((s: any) => s.id === structureId), false, 'part of a name finds nothing');
    const exact = await user.get(`/structures/search-to-join?q=${encodeURIComponent(name.toUpperCase())}`);
    assert.deepEqual(exact.body.structures.map((s: any) => s.id), [structureId]);
  });

  test('a request may name some services of the structure, and only those', async () => {
    const { gp, structureId } = await structureWithManager();
    const service = await app.ctx.db.insertInto('services').values({ structure_id: structureId, code: 'COMPTA', name: 'Comptabilité' }).returning('id').executeTakeFirstOrThrow();
    const user = await loggedInClient(app, (await newUser(app)).email);
    const bad = await user.post(`/structures/${structureId}/rattachements`, { serviceIds: [999999] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'SERVICE_UNKNOWN');
    assert.equal((await user.post(`/structures/${structureId}/rattachements`, { serviceIds: [service.id] })).status, 201);
    const pending = await gp.get(`/structures/${structureId}/rattachements?status=EN_COURS_DE_VALIDATION`);
    assert.deepEqual(pending.body.rattachements[0].services, [{ id: service.id, code: 'COMPTA', name: 'Comptabilité' }]);
  });

  test('the manager attaches a user directly by e-mail, then detaches him: he no longer sees the structure', async () => {
    const { gp, gpUser, structureId } = await structureWithManager();
    const louUser = await newUser(app, { firstName: 'Lou', lastName: 'Martin' });
    const lou = await loggedInClient(app, louUser.email);
    const unknown = await gp.post(`/structures/${structureId}/members`, { email: 'personne@example.test' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.fields.email, /Aucun compte actif/);
    const attached = await gp.post(`/structures/${structureId}/members`, { email: louUser.email.toUpperCase() });
    assert.equal(attached.status, 201);
    await app.mailbox!.waitFor(louUser.email, /Vous êtes rattaché/);
    assert.equal((await lou.get(`/structures/${structureId}`)).status, 200);
    const members = await gp.get(`/structures/${structureId}/members`);
    assert.deepEqual(members.body.members.map((m: any) => m.email).sort(), [gpUser.email, louUser.email].sort());

    const self = await gp.delete(`/structures/${structureId}/members/${gpUser.userId}`);
    assert.equal(self.status, 409);
    assert.equal(self.body.code, 'PRINCIPAL_MANAGER_CANNOT_LEAVE');
    assert.equal((await gp.delete(`/structures/${structureId}/members/${louUser.userId}`)).status, 200);
    await app.mailbox!.waitFor(louUser.email, /Fin de votre rattachement/);
    assert.equal((await lou.get(`/structures/${structureId}`)).status, 404);
    const rights = await app.ctx.db.selectFrom('habilitations').select('id').where('user_id', '=', louUser.userId).where('structure_id', '=', structureId).execute();
    assert.equal(rights.length, 0, 'detaching removes the rights');
    assert.equal((await lou.get('/me/rattachements')).body.rattachements[0].status, 'DESACTIVEE');
    assert.equal((await lou.post(`/structures/${structureId}/rattachements`, {})).status, 201, 'a detached user may ask again');
  });

  test('a deleted rattachement is marked SUPPRIMEE', async () => {
    const { gp, structureId } = await structureWithManager();
    const user = await loggedInClient(app, (await newUser(app)).email);
    const { body } = await user.post(`/structures/${structureId}/rattachements`, {});
    assert.equal((await gp.delete(`/structures/${structureId}/rattachements/${body.rattachementId}`)).status, 200);
    assert.equal((await user.get('/me/rattachements')).body.rattachements[0].status, 'SUPPRIMEE');
    assert.equal((await gp.delete(`/structures/${structureId}/rattachements/${body.rattachementId}`)).status, 404);
  });

  test('the manager hands over his role: the former manager stays a user with every right', async () => {
    const { gp, gpUser, structureId } = await structureWithManager();
    const heir = await newUser(app, { firstName: 'Hélène', lastName: 'Suite' });
    await gp.post(`/structures/${structureId}/members`, { email: heir.email });
    const outsider = await newUser(app);
    const wrong = await gp.post(`/structures/${structureId}/principal-manager`, { userId: outsider.userId });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.fields.userId, /rattaché à la structure/);

    assert.equal((await gp.post(`/structures/${structureId}/principal-manager`, { userId: heir.userId })).status, 200);
    await app.mailbox!.waitFor(heir.email, /Vous êtes gestionnaire principal/);
    const roles = await app.ctx.db.selectFrom('rattachements').select(['user_id', 'role']).where('structure_id', '=', structureId).where('status', '=', 'VALIDEE').execute();
    assert.deepEqual(roles.find((r) => r.user_id === heir.userId)?.role, 'GESTIONNAIRE_PRINCIPAL');
    assert.deepEqual(roles.find((r) => r.user_id === gpUser.userId)?.role, 'UTILISATEUR');
    const former = await gp.get(`/structures/${structureId}/my-spaces`);
    assert.equal(former.body.role, 'UTILISATEUR');
    assert.ok(former.body.spaces.length >= 5 && former.body.spaces.every((s: any) => s.access === 'MODIFICATION'));
    const newGp = await loggedInClient(app, heir.email);
    assert.equal((await gp.get(`/structures/${structureId}/rattachements`)).status, 403, 'the former manager can no longer manage');
    assert.equal((await newGp.get(`/structures/${structureId}/rattachements`)).status, 200);
    assert.equal((await newGp.post(`/structures/${structureId}/principal-manager`, { userId: gpUser.userId })).status, 200, 'and back again');
  });

  test('a member who is not the manager can do none of it, and an outsider learns nothing', async () => {
    const { gp, structureId } = await structureWithManager();
    const memberUser = await newUser(app);
    await gp.post(`/structures/${structureId}/members`, { email: memberUser.email });
    const member = await loggedInClient(app, memberUser.email);
    const requester = await loggedInClient(app, (await newUser(app)).email);
    const { body } = await requester.post(`/structures/${structureId}/rattachements`, {});
    const other = await newUser(app);
    const attempts = [
      await member.get(`/structures/${structureId}/rattachements`),
      await member.post(`/structures/${structureId}/rattachements/${body.rattachementId}/approve`),
      await member.post(`/structures/${structureId}/rattachements/${body.rattachementId}/refuse`, { reason: 'Non' }),
      await member.post(`/structures/${structureId}/members`, { email: other.email }),
      await member.delete(`/structures/${structureId}/members/${memberUser.userId}`),
      await member.post(`/structures/${structureId}/principal-manager`, { userId: memberUser.userId }),
    ];
    assert.deepEqual(attempts.map((a) => a.status), [403, 403, 403, 403, 403, 403]);
    assert.equal((await requester.post(`/structures/${structureId}/rattachements/${body.rattachementId}/approve`)).status, 404);
    assert.equal((await apiClient(app).post(`/structures/${structureId}/rattachements/${body.rattachementId}/approve`)).status, 401);
  });
});
