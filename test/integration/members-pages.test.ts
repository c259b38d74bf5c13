import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { webSession } from '../helpers/web-session.ts';

describe('pages: rattachement, users, rights, technical accounts, my spaces', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.cleanup());

  test('a person asks to join through the page; the manager approves it, sets the rights, and the person sees her spaces', async () => {
    const gpUser = await newUser(app, { firstName: 'Gilles', lastName: 'Chef' });
    const { structureId, siret } = await newStructure(app, gpUser, { kind: 'PUBLIQUE', name: 'Mairie de Testville' });
    const claire = await newUser(app, { firstName: 'Claire', lastName: 'Dupuis' });
    const web = await webSession(app, claire.email);
    const gp = await webSession(app, gpUser.email);

    const tooShort = await web.get('/structures/rattachement?q=12');
    assert.match(tooShort.body, /au moins 3 caractères/);
    const found = await web.get(`/structures/rattachement?q=${siret.slice(0, 6)}`);
    assert.match(found.body, /Mairie de Testville/);
    const asked = await web.submit(`/structures/rattachement?q=${siret}`, `/structures/rattachement/${structureId}`, { message: 'Service financier', q: siret });
    assert.equal(asked.statusCode, 303);
    assert.match((await web.get('/structures/rattachement?ok=demande')).body, /En cours de validation/);
    const twice = await web.submit(`/structures/nouvelle`, `/structures/rattachement/${structureId}`, { q: siret });
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /déjà une demande de rattachement en cours/);

    const usersPage = await gp.get(`/structures/${structureId}/utilisateurs`);
    assert.match(usersPage.body, /Claire Dupuis/);
    assert.match(usersPage.body, />Approuver<span class="sr-only"> la demande de Claire Dupuis/);
    const rid = usersPage.body.match(/demandes\/(\d+)\/approuver/)![1];
    const noReason = await gp.submit(`/structures/${structureId}/utilisateurs`, `/structures/${structureId}/utilisateurs/demandes/${rid}/refuser`, { reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Le motif du refus est obligatoire/);
    const approved = await gp.submit(`/structures/${structureId}/utilisateurs`, `/structures/${structureId}/utilisateurs/demandes/${rid}/approuver`, {});
    assert.equal(approved.statusCode, 303);
    assert.match((await gp.get(`/structures/${structureId}/utilisateurs?ok=approuve`)).body, /La demande est approuvée/);

    const spaces = await web.get(`/structures/${structureId}/espaces`);
    assert.match(spaces.body, /Factures émises — Consultation uniquement/);
    assert.doesNotMatch(spaces.body, /Engagements —/);
    const claireUsers = await web.get(`/structures/${structureId}/utilisateurs`);
    assert.equal(claireUsers.statusCode, 200);
    assert.doesNotMatch(claireUsers.body, /Approuver|Rattacher un utilisateur|Transférer le rôle/, 'only the manager sees the management forms');
    assert.equal((await web.get(`/structures/${structureId}/droits`)).statusCode, 403);
    assert.equal((await web.get(`/structures/${structureId}/comptes-techniques`)).statusCode, 403);

    const rights = await gp.get(`/structures/${structureId}/droits`);
    assert.match(rights.body, /<label class="sr-only" for="droit-\d+-ENGAGEMENTS">Engagements — Claire Dupuis<\/label>/);
    const saved = await gp.submit(`/structures/${structureId}/droits`, `/structures/${structureId}/droits/${claire.userId}`, { FACTURES_EMISES: 'MODIFICATION', ENGAGEMENTS: 'CONSULTATION_UNIQUEMENT', SOLLICITATIONS: '' });
    assert.equal(saved.statusCode, 303);
    const after = (await web.get(`/structures/${structureId}/espaces`)).body;
    assert.match(after, /Factures émises — Modification/);
    assert.match(after, /Engagements — Consultation uniquement/);
    assert.doesNotMatch(after, /Sollicitations —/);
  });

  test('the manager attaches by e-mail, subscribes in bulk, copies rights, and hands over his role from the pages', async () => {
    const gpUser = await newUser(app);
    const { structureId } = await newStructure(app, gpUser);
    const gp = await webSession(app, gpUser.email);
    const a = await newUser(app, { firstName: 'Alice', lastName: 'Un' });
    const b = await newUser(app, { firstName: 'Bruno', lastName: 'Deux' });
    const page = `/structures/${structureId}/utilisateurs`;
    const unknown = await gp.submit(page, `${page}/rattacher`, { email: 'inconnu@example.test' });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Aucun compte actif/);
    for (const u of [a, b]) assert.equal((await gp.submit(page, `${page}/rattacher`, { email: u.email })).statusCode, 303);

    const rights = `/structures/${structureId}/droits`;
    assert.equal((await gp.submit(rights, `${rights}/abonnement`, { userIds: [String(a.userId), String(b.userId)], space: 'DUME', access: 'MODIFICATION' })).statusCode, 303);
    assert.match((await (await webSession(app, b.email)).get(`/structures/${structureId}/espaces`)).body, /DUME — Modification/);
    assert.equal((await gp.submit(rights, `${rights}/${a.userId}`, { FACTURES_TRAVAUX: 'MODIFICATION' })).statusCode, 303);
    assert.equal((await gp.submit(rights, `${rights}/copie`, { fromUserId: String(a.userId), toUserId: String(b.userId) })).statusCode, 303);
    const bSpaces = (await (await webSession(app, b.email)).get(`/structures/${structureId}/espaces`)).body;
    assert.match(bSpaces, /Factures de travaux — Modification/);
    assert.doesNotMatch(bSpaces, /DUME —/, 'the copy replaced the rights');

    assert.equal((await gp.submit(page, `${page}/${b.userId}/detacher`, {})).statusCode, 303);
    assert.equal((await (await webSession(app, b.email)).get(`/structures/${structureId}/espaces`)).statusCode, 404);
    assert.equal((await gp.submit(page, `${page}/transfert`, { userId: String(a.userId) })).statusCode, 303);
    const roles = await app.ctx.db.selectFrom('rattachements').select(['user_id', 'role']).where('structure_id', '=', structureId).where('role', '=', 'GESTIONNAIRE_PRINCIPAL').execute();
    assert.deepEqual(roles.map((r) => r.user_id), [a.userId]);
  });

  test('the manager creates a technical account: the password is shown once; a reset shows a new one', async () => {
    const gpUser = await newUser(app);
    const { structureId } = await newStructure(app, gpUser);
    const gp = await webSession(app, gpUser.email);
    const page = `/structures/${structureId}/comptes-techniques`;
    const created = await gp.submit(page, page, { label: 'Connecteur comptable' });
    assert.equal(created.statusCode, 200);
    assert.match(created.body, /Notez ce mot de passe/);
    const password = created.body.match(/data-testid="password">([^<]+)</)![1];
    const listed = await gp.get(page);
    assert.match(listed.body, /Connecteur comptable/);
    assert.doesNotMatch(listed.body, new RegExp(password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'never shown again');
    const userId = listed.body.match(/comptes-techniques\/(\d+)\/reinitialiser/)![1];
    const reset = await gp.submit(page, `${page}/${userId}/reinitialiser`, {});
    assert.match(reset.body, /Notez ce mot de passe/);
    assert.notEqual(reset.body.match(/data-testid="password">([^<]+)</)![1], password);
    assert.equal((await gp.submit(page, `${page}/${userId}/desactiver`, {})).statusCode, 303);
    assert.match((await gp.get(`${page}?ok=desactive`)).body, /Désactivé/);
  });
});
