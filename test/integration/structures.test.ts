import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { loggedInClient, newStructure, newUser, randomSiret } from '../helpers/factories.ts';
import { addMember, apiSession } from '../helpers/structure-members.ts';
import { webSession } from '../helpers/web-session.ts';
import { findEngagement } from '../../src/structures/index.ts';

describe('structures, services and engagements', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  /** A public buyer with its principal manager logged in through the API. */
  async function publicBuyer(overrides: Record<string, string> = {}) {
    const gp = await newUser(app);
    const { structureId, siret } = await newStructure(app, gp, { kind: 'PUBLIQUE', name: 'Commune de Test', ...overrides });
    return { gp, structureId, siret, api: await apiSession(app, gp.email) };
  }

  describe('creating a structure checks its identifier', () => {
    test('a SIRET with a wrong Luhn key is refused with a French message', async () => {
      const api = await loggedInClient(app, (await newUser(app)).email);
      const r = await api.post('/structures', { identifierType: 'SIRET', identifier: '40483304800015', name: 'Erreur de frappe', kind: 'PRIVEE' });
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 'IDENTIFIER_INVALID');
      assert.match(r.body.fields.identifier, /clé de contrôle/);
    });

    test("La Poste's establishments are accepted although their SIRET fails Luhn (digit sum multiple of 5)", async () => {
      const api = await apiSession(app, (await newUser(app)).email);
      for (const siret of ['35600000000048', '35600000049837']) {
        const r = await api.post('/structures', { identifierType: 'SIRET', identifier: siret, name: `La Poste ${siret}`, kind: 'PUBLIQUE' });
        assert.equal(r.status, 201, siret);
      }
    });

    test('the SIREN and the French VAT number are derived from the SIRET', async () => {
      const api = await apiSession(app, (await newUser(app)).email);
      const r = await api.post('/structures', { identifierType: 'SIRET', identifier: '404 833 048 00014', name: 'Entreprise TVA', kind: 'PRIVEE' });
      assert.equal(r.status, 201);
      const s = await api.get(`/structures/${r.body.structureId}`);
      assert.equal(s.body.identifier, '40483304800014');
      assert.equal(s.body.siren, '404833048');
      assert.equal(s.body.vatNumber, 'FR83404833048');
    });

    test('a structure that already exists is refused: the person must ask to join it', async () => {
      const api = await apiSession(app, (await newUser(app)).email);
      const siret = randomSiret();
      assert.equal((await api.post('/structures', { identifierType: 'SIRET', identifier: siret, name: 'Première', kind: 'PRIVEE' })).status, 201);
      const dup = await api.post('/structures', { identifierType: 'SIRET', identifier: siret, name: 'Seconde', kind: 'PRIVEE' });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.code, 'STRUCTURE_EXISTS');
    });
  });

  describe('the principal manager edits the structure and its parameters', () => {
    test('name, address, contact and parameters change, and each change is in the history', async () => {
      const { structureId, api } = await publicBuyer();
      const r = await api.patch(`/structures/${structureId}`, {
        name: 'Commune de Villeneuve-Test',
        addressLine: "Place de l'Hôtel de ville",
        postcode: '47300',
        contactEmail: 'Factures@Villeneuve.test',
        parameters: { codeServiceDoitEtreRenseigne: true, estMOA: true, estMOAUniquement: true, doubleAuthentificationObligatoire: false },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.name, 'Commune de Villeneuve-Test');
      assert.equal(r.body.contactEmail, 'factures@villeneuve.test');
      assert.equal(r.body.parameters.codeServiceDoitEtreRenseigne, true);
      assert.equal(r.body.parameters.estMOAUniquement, true);
      assert.equal(r.body.parameters.numeroEJDoitEtreRenseigne, false, 'parameters not sent stay as they were');

      const history = await api.get(`/structures/${structureId}/history`);
      assert.equal(history.status, 200);
      const types = history.body.events.map((e: any) => e.type);
      assert.deepEqual(types.slice(0, 2).sort(), ['STRUCTURE_EDITED', 'STRUCTURE_PARAMETERS_EDITED']);
      assert.ok(types.includes('STRUCTURE_CREATED'));
      const edited = history.body.events.find((e: any) => e.type === 'STRUCTURE_EDITED');
      assert.deepEqual(edited.data.changes.name, { from: 'Commune de Test', to: 'Commune de Villeneuve-Test' });
      assert.ok(edited.actor.email);
    });

    test('incoherent parameters are refused: "MOA always" needs "MOA", invoicing parameters need a public structure', async () => {
      const { structureId, api } = await publicBuyer();
      const moa = await api.patch(`/structures/${structureId}`, { parameters: { estMOAUniquement: true } });
      assert.equal(moa.status, 400);
      assert.match(moa.body.fields['parameters.estMOAUniquement'], /maître d'ouvrage/);

      const supplier = await newUser(app);
      const { structureId: privateId } = await newStructure(app, supplier);
      const supplierApi = await apiSession(app, supplier.email);
      const r = await supplierApi.patch(`/structures/${privateId}`, { parameters: { codeServiceDoitEtreRenseigne: true } });
      assert.equal(r.status, 400);
      assert.match(r.body.fields['parameters.codeServiceDoitEtreRenseigne'], /structures publiques/);
      const totp = await supplierApi.patch(`/structures/${privateId}`, { parameters: { doubleAuthentificationObligatoire: true } });
      assert.equal(totp.status, 200, 'two-factor authentication can be required by any structure');
      assert.equal(totp.body.parameters.doubleAuthentificationObligatoire, true);
    });

    test('a bad e-mail or an empty name is refused field by field', async () => {
      const { structureId, api } = await publicBuyer();
      const r = await api.patch(`/structures/${structureId}`, { name: '  ', contactEmail: 'pas-une-adresse' });
      assert.equal(r.status, 400);
      assert.match(r.body.fields.name, /raison sociale est obligatoire/);
      assert.match(r.body.fields.contactEmail, /adresse électronique/);
    });

    test('a non-member gets 404 and a member without the right gets 403', async () => {
      const { structureId } = await publicBuyer();
      const outsider = await newUser(app);
      const member = await newUser(app);
      await addMember(app, structureId, member);
      const outsiderApi = await apiSession(app, outsider.email);
      const memberApi = await apiSession(app, member.email);
      for (const body of [{ name: 'Piratée' }, { parameters: { numeroEJDoitEtreRenseigne: true } }]) {
        assert.equal((await outsiderApi.patch(`/structures/${structureId}`, body)).status, 404);
        const r = await memberApi.patch(`/structures/${structureId}`, body);
        assert.equal(r.status, 403);
        assert.equal(r.body.code, 'FORBIDDEN');
      }
      assert.equal((await memberApi.get(`/structures/${structureId}/history`)).status, 403, 'history needs the « Activités du gestionnaire » space');
      assert.equal((await outsiderApi.get(`/structures/${structureId}/history`)).status, 404);
      await addMember(app, structureId, outsider, [{ space: 'ACTIVITES_GESTIONNAIRE', access: 'CONSULTATION_UNIQUEMENT' }]);
      assert.equal((await outsiderApi.get(`/structures/${structureId}/history`)).status, 200);
    });
  });

  describe('services of a public structure', () => {
    test('the principal manager creates and updates services; members list them', async () => {
      const { structureId, api } = await publicBuyer();
      const created = await api.post(`/structures/${structureId}/services`, { code: 'TECH', name: 'Services techniques', numeroEjDoitEtreRenseigne: true, validFrom: '2026-01-01', validTo: '2030-12-31' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const updated = await api.patch(`/structures/${structureId}/services/${created.body.serviceId}`, { name: 'Direction des services techniques', active: false });
      assert.equal(updated.status, 200);
      assert.equal(updated.body.name, 'Direction des services techniques');
      assert.equal(updated.body.active, false);
      assert.equal(updated.body.validTo, '2030-12-31');

      const member = await newUser(app);
      await addMember(app, structureId, member);
      const list = await (await apiSession(app, member.email)).get(`/structures/${structureId}/services`);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.services.map((s: any) => [s.code, s.numeroEjDoitEtreRenseigne]), [['TECH', true]]);

      const types = (await api.get(`/structures/${structureId}/history`)).body.events.map((e: any) => e.type);
      assert.ok(types.includes('SERVICE_CREATED') && types.includes('SERVICE_UPDATED'));
    });

    test('a service code is unique in its structure and has a restricted format; dates must be in order', async () => {
      const { structureId, api } = await publicBuyer();
      assert.equal((await api.post(`/structures/${structureId}/services`, { code: 'ECOLES', name: 'Affaires scolaires' })).status, 201);
      const dup = await api.post(`/structures/${structureId}/services`, { code: 'ECOLES', name: 'Doublon' });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.code, 'SERVICE_EXISTS');
      const bad = await api.post(`/structures/${structureId}/services`, { code: 'ÉCOLES 2', name: 'Accents' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.fields.code, /lettres, chiffres/);
      assert.equal((await api.post(`/structures/${structureId}/services`, { code: 'X'.repeat(101), name: 'Trop long' })).status, 400);
      const dates = await api.post(`/structures/${structureId}/services`, { code: 'VOIRIE', name: 'Voirie', validFrom: '2027-01-01', validTo: '2026-12-31' });
      assert.equal(dates.status, 400);
      assert.match(dates.body.fields.validTo, /postérieure/);
      const notADate = await api.post(`/structures/${structureId}/services`, { code: 'VOIRIE', name: 'Voirie', validFrom: '2026-02-30' });
      assert.equal(notADate.status, 400);
      assert.ok(notADate.body.fields.validFrom);
    });

    test('a private structure has no services', async () => {
      const supplier = await newUser(app);
      const { structureId } = await newStructure(app, supplier);
      const r = await (await apiSession(app, supplier.email)).post(`/structures/${structureId}/services`, { code: 'ATELIER', name: 'Atelier' });
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 'NOT_PUBLIC_STRUCTURE');
      assert.match(r.body.message, /structures publiques/);
    });

    test('only the principal manager manages services: outsiders get 404, members 403', async () => {
      const { structureId, api } = await publicBuyer();
      const { body } = await api.post(`/structures/${structureId}/services`, { code: 'RH', name: 'Ressources humaines' });
      const outsider = await apiSession(app, (await newUser(app)).email);
      const memberUser = await newUser(app);
      await addMember(app, structureId, memberUser, [{ space: 'FACTURES_RECUES', access: 'MODIFICATION' }]);
      const member = await apiSession(app, memberUser.email);
      assert.equal((await outsider.get(`/structures/${structureId}/services`)).status, 404);
      assert.equal((await outsider.post(`/structures/${structureId}/services`, { code: 'A', name: 'A' })).status, 404);
      assert.equal((await member.post(`/structures/${structureId}/services`, { code: 'A', name: 'A' })).status, 403);
      assert.equal((await member.patch(`/structures/${structureId}/services/${body.serviceId}`, { name: 'Changé' })).status, 403);
      assert.equal((await api.get(`/structures/${structureId}/services`)).body.services[0].name, 'Ressources humaines');
    });
  });

  describe('the engagements register', () => {
    test('an amount is an exact decimal: 12345678.90 comes back exactly, never through a float', async () => {
      const { structureId, api } = await publicBuyer();
      const supplier = await newUser(app);
      const { siret } = await newStructure(app, supplier, { name: 'BTP Exact' });
      await api.post(`/structures/${structureId}/services`, { code: 'TECH', name: 'Services techniques' });
      const r = await api.post(`/structures/${structureId}/engagements`, { number: '1000012345', state: 'COMMANDE', amount: '12345678.90', serviceCode: 'TECH', supplierSiret: siret, subject: 'Toiture' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const got = await api.get(`/structures/${structureId}/engagements/${r.body.engagementId}`);
      assert.equal(got.body.amount, '12345678.90');
      assert.deepEqual(got.body.service, { code: 'TECH', name: 'Services techniques' });
      assert.deepEqual(got.body.supplier, { siret, name: 'BTP Exact' });
      const big = await api.post(`/structures/${structureId}/engagements`, { number: '1000012399', amount: '9999999999999999.99' });
      assert.equal(big.status, 201);
      assert.equal((await api.get(`/structures/${structureId}/engagements/${big.body.engagementId}`)).body.amount, '9999999999999999.99', 'beyond what a double holds exactly');
      const row = await findEngagement(app.ctx.db, structureId, '1000012345');
      assert.equal(row?.amount, '12345678.90');
      assert.equal(row?.state, 'COMMANDE');
      assert.equal(await findEngagement(app.ctx.db, structureId, '0000000000'), undefined);
    });

    test('amounts that are not exact decimals with 2 places are refused, and a number is unique', async () => {
      const { structureId, api } = await publicBuyer();
      for (const amount of ['1.234', '-5', '12,3,4', 'abc', '12345678901234567']) {
        const r = await api.post(`/structures/${structureId}/engagements`, { number: `EJ-${amount.length}`, amount });
        assert.equal(r.status, 400, amount);
        assert.match(r.body.fields.amount, /2 décimales/);
      }
      const float = await api.post(`/structures/${structureId}/engagements`, { number: 'EJ-FLOAT', amount: 12.5 });
      assert.equal(float.status, 400, 'a JSON number is refused');
      const french = await api.post(`/structures/${structureId}/engagements`, { number: 'EJ-FR', amount: '48 500,5' });
      assert.equal(french.status, 201);
      assert.equal((await api.get(`/structures/${structureId}/engagements/${french.body.engagementId}`)).body.amount, '48500.50');
      const dup = await api.post(`/structures/${structureId}/engagements`, { number: 'EJ-FR' });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.code, 'ENGAGEMENT_EXISTS');
      assert.equal((await api.post(`/structures/${structureId}/engagements`, { number: 'X'.repeat(51) })).status, 400);
      const unknown = await api.post(`/structures/${structureId}/engagements`, { number: 'EJ-SUP', supplierSiret: randomSiret(), serviceCode: 'NOPE' });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.fields.supplierSiret, /Aucune structure/);
      assert.match(unknown.body.fields.serviceCode, /Aucun service/);
    });

    test('the register is searched by number prefix and state, and an engagement changes state', async () => {
      const { structureId, api } = await publicBuyer();
      for (const [number, state] of [['1000000001', 'COMMANDE'], ['1000000002', 'A_TRAITER'], ['2000000001', 'COMMANDE']])
        assert.equal((await api.post(`/structures/${structureId}/engagements`, { number, state, amount: '100.00' })).status, 201);
      const byPrefix = await api.get(`/structures/${structureId}/engagements?number=1000`);
      assert.deepEqual(byPrefix.body.engagements.map((e: any) => e.number).sort(), ['1000000001', '1000000002']);
      const commanded = await api.get(`/structures/${structureId}/engagements?state=COMMANDE`);
      assert.equal(commanded.body.total, 2);
      const id = byPrefix.body.engagements.find((e: any) => e.number === '1000000002').id;
      const closed = await api.patch(`/structures/${structureId}/engagements/${id}`, { state: 'CLOTURE', amount: '250.5' });
      assert.equal(closed.status, 200);
      assert.equal(closed.body.state, 'CLOTURE');
      assert.equal(closed.body.amount, '250.50');
      assert.equal((await api.get(`/structures/${structureId}/engagements?state=CLOTURE`)).body.total, 1);
      const paged = await api.get(`/structures/${structureId}/engagements?pageSize=2&page=2`);
      assert.equal(paged.body.total, 3);
      assert.equal(paged.body.engagements.length, 1);
    });

    test('the register needs the « Engagements » space: consultation to read, modification to write', async () => {
      const { structureId, api } = await publicBuyer();
      const { body } = await api.post(`/structures/${structureId}/engagements`, { number: 'EJ-1' });
      const noRight = await newUser(app);
      const reader = await newUser(app);
      const writer = await newUser(app);
      await addMember(app, structureId, noRight);
      await addMember(app, structureId, reader, [{ space: 'ENGAGEMENTS', access: 'CONSULTATION_UNIQUEMENT' }]);
      await addMember(app, structureId, writer, [{ space: 'ENGAGEMENTS', access: 'MODIFICATION' }]);
      const [n, r, w, outsider] = await Promise.all([noRight, reader, writer].map((u) => apiSession(app, u.email)).concat(newUser(app).then((u) => apiSession(app, u.email))));
      assert.equal((await n.get(`/structures/${structureId}/engagements`)).status, 403);
      assert.equal((await outsider.get(`/structures/${structureId}/engagements`)).status, 404);
      assert.equal((await outsider.get(`/structures/${structureId}/engagements/${body.engagementId}`)).status, 404);
      assert.equal((await r.get(`/structures/${structureId}/engagements`)).body.total, 1);
      assert.equal((await r.post(`/structures/${structureId}/engagements`, { number: 'EJ-2' })).status, 403);
      assert.equal((await r.patch(`/structures/${structureId}/engagements/${body.engagementId}`, { state: 'ANNULE' })).status, 403);
      assert.equal((await w.post(`/structures/${structureId}/engagements`, { number: 'EJ-2' })).status, 201);
      assert.equal((await w.patch(`/structures/${structureId}/engagements/${body.engagementId}`, { state: 'ANNULE' })).body.state, 'ANNULE');
    });
  });

  describe('web pages', () => {
    test('the principal manager sees and uses the forms; errors come back on the form in French', async () => {
      const { gp, structureId } = await publicBuyer();
      const web = await webSession(app, gp.email);
      const overview = await web.get(`/structures/${structureId}`);
      assert.equal(overview.statusCode, 200);
      assert.match(overview.body, /<title>Vue d&#39;ensemble — Commune de Test — Ouvrage<\/title>/);
      assert.match(overview.body, /aria-current="page"/);
      assert.match(overview.body, /Modifier la structure/);

      const bad = await web.submit(`/structures/${structureId}/services`, `/structures/${structureId}/services`, { code: 'mauvais code', name: '' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /class="error-summary"/);
      assert.match(bad.body, /Le nom du service est obligatoire/);
      const ok = await web.submit(`/structures/${structureId}/services`, `/structures/${structureId}/services`, { code: 'ECOLES', name: 'Affaires scolaires', active: 'on', numeroEjDoitEtreRenseigne: 'on' });
      assert.equal(ok.statusCode, 303);
      const list = await web.get(ok.headers.location as string);
      assert.match(list.body, /Le service est créé/);
      assert.match(list.body, /<th scope="row">ECOLES<\/th>/);

      const params = await web.submit(`/structures/${structureId}/parametres`, `/structures/${structureId}/parametres`, { numeroEJDoitEtreRenseigne: 'on' });
      assert.equal(params.statusCode, 303);
      const s = await app.ctx.db.selectFrom('structures').selectAll().where('id', '=', structureId).executeTakeFirstOrThrow();
      assert.equal(s.numero_ej_doit_etre_renseigne, true);
      assert.equal(s.code_service_doit_etre_renseigne, false, 'unchecked boxes are false');

      const ej = await web.submit(`/structures/${structureId}/engagements/nouveau`, `/structures/${structureId}/engagements/nouveau`, { number: '1000012345', state: 'COMMANDE', amount: '48 500,00', currency: 'EUR', serviceCode: 'ECOLES', supplierSiret: '', subject: 'Mobilier' });
      assert.equal(ej.statusCode, 303);
      const register = await web.get(`/structures/${structureId}/engagements`);
      assert.match(register.body, /48\u202f500,00\u00a0€/);
      const history = await web.get(`/structures/${structureId}/historique`);
      assert.match(history.body, /Enregistrement d&#39;un engagement juridique/);
      assert.match(history.body, /<th scope="col">Date<\/th>/);
    });

    test('a member without the right sees no edit form and cannot post one', async () => {
      const { structureId } = await publicBuyer();
      const member = await newUser(app);
      await addMember(app, structureId, member);
      const web = await webSession(app, member.email);
      const overview = await web.get(`/structures/${structureId}`);
      assert.equal(overview.statusCode, 200);
      assert.doesNotMatch(overview.body, /Modifier la structure/);
      assert.doesNotMatch(overview.body, /\/historique"/, 'no history tab without the right');
      const services = await web.get(`/structures/${structureId}/services`);
      assert.doesNotMatch(services.body, /Créer un service/);
      const params = await web.get(`/structures/${structureId}/parametres`);
      assert.doesNotMatch(params.body, /action="\/structures\/\d+\/parametres"/);
      assert.match(params.body, /<dt>Le code service doit être renseigné<\/dt><dd>Non<\/dd>/);
      const post = await web.submit(`/structures/${structureId}/services`, `/structures/${structureId}/services`, { code: 'X', name: 'X' });
      assert.equal(post.statusCode, 403);
      assert.equal((await web.get(`/structures/${structureId}/engagements`)).statusCode, 403);
      const outsider = await webSession(app, (await newUser(app)).email);
      assert.equal((await outsider.get(`/structures/${structureId}/services`)).statusCode, 404);
    });
  });
});
