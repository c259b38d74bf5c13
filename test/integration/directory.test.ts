import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { apiClient, loggedInClient, newStructure, newUser } from '../helpers/factories.ts';
import { luhnValid } from '../../src/shared/identifiers.ts';
import { editStructure, createService } from '../../src/structures/index.ts';
import { seedDemo, DEMO, DEMO_PASSWORD, demoLogins } from '../../src/demo/seed.ts';

/** A valid SIRET (SIREN and SIRET keys) starting with the given digits. */
function siretWith(prefix: string): string {
  for (;;) {
    const body = prefix + String(Math.floor(Math.random() * 10 ** (8 - prefix.length))).padStart(8 - prefix.length, '0');
    const siren = [...'0123456789'].map((d) => body + d).find(luhnValid)!;
    for (let k = 10; k < 100; k++) if (luhnValid(`${siren}000${k}`)) return `${siren}000${k}`;
  }
}

describe('the public directory of recipients (annuaire)', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  const prefix = String(Math.floor(Math.random() * 900) + 100);
  let town: { siret: string; name: string };
  let hospital: { siret: string };
  before(async () => {
    app = await startTestApp({ clock });
    const gp = await newUser(app);
    // A town that requires a service code; its TECH service requires an EJ; a closed and an inactive service are hidden.
    town = { siret: siretWith(prefix), name: `Commune d'Annuaire-${prefix}` };
    const t = await newStructure(app, gp, { identifier: town.siret, name: town.name, kind: 'PUBLIQUE', addressLine: '1 place "de la Mairie"; bâtiment A', postcode: '47300', city: 'Villeneuve-sur-Lot' });
    await editStructure(app.ctx, gp, t.structureId, { parameters: { codeServiceDoitEtreRenseigne: true } });
    await createService(app.ctx, gp, t.structureId, { code: 'TECH', name: 'Services techniques', numeroEjDoitEtreRenseigne: true });
    await createService(app.ctx, gp, t.structureId, { code: 'ECOLES', name: 'Affaires scolaires' });
    await createService(app.ctx, gp, t.structureId, { code: 'ANCIEN', name: 'Service fermé', validTo: '2025-12-31' });
    await createService(app.ctx, gp, t.structureId, { code: 'DORMANT', name: 'Service inactif', active: false });
    // A hospital that requires "EJ or service code", and structures the directory must not show.
    hospital = { siret: siretWith(prefix) };
    const h = await newStructure(app, gp, { identifier: hospital.siret, name: `Centre hospitalier ${prefix}`, kind: 'PUBLIQUE', postcode: '33000', city: 'Bordeaux' });
    await editStructure(app.ctx, gp, h.structureId, { parameters: { gestionNumeroEJOuCodeService: true } });
    await newStructure(app, gp, { identifier: siretWith(prefix), name: `Entreprise privée ${prefix}`, kind: 'PRIVEE', postcode: '47300' });
    const closed = await newStructure(app, gp, { identifier: siretWith(prefix), name: `Syndicat dissous ${prefix}`, kind: 'PUBLIQUE', postcode: '47300' });
    await editStructure(app.ctx, gp, closed.structureId, { status: 'INACTIVE' });
  });
  after(async () => app?.cleanup());

  test('anyone, without logging in, finds active public structures by the start of their SIRET', async () => {
    const r = await apiClient(app).get(`/directory?siret=${prefix}`);
    assert.equal(r.status, 200);
    const names = r.body.results.map((e: any) => e.name);
    assert.ok(names.includes(town.name) && names.includes(`Centre hospitalier ${prefix}`));
    assert.ok(!names.some((n: string) => /privée|dissous/.test(n)), 'private and inactive structures are not recipients');
    assert.ok(r.body.results.every((e: any) => e.siret.startsWith(prefix)));
    const short = await apiClient(app).get('/directory?siret=12');
    assert.equal(short.status, 400);
    assert.match(short.body.fields.siret, /3 premiers chiffres/);
  });

  test('each result says what an invoice must carry, for the structure and for each usable service', async () => {
    const r = await apiClient(app).get(`/directory?siret=${town.siret}`);
    assert.equal(r.body.total, 1);
    const entry = r.body.results[0];
    assert.deepEqual(entry.requirements, { serviceCode: true, ej: false, ejOrServiceCode: false });
    assert.deepEqual(entry.services.map((s: any) => [s.code, s.requirements.ej]), [['ECOLES', false], ['TECH', true]], 'closed and inactive services are hidden');
    const h = (await apiClient(app).get(`/directory?siret=${hospital.siret}`)).body.results[0];
    assert.deepEqual(h.requirements, { serviceCode: false, ej: false, ejOrServiceCode: true });
  });

  test('the name is searched case-insensitively anywhere in it, and the postcode by its start', async () => {
    const byName = await apiClient(app).get(`/directory?name=${encodeURIComponent(`D'ANNUAIRE-${prefix}`)}`);
    assert.deepEqual(byName.body.results.map((e: any) => e.siret), [town.siret]);
    const byPostcode = await apiClient(app).get(`/directory?postcode=33&name=${prefix}`);
    assert.deepEqual(byPostcode.body.results.map((e: any) => e.siret), [hospital.siret]);
    const wildcard = await apiClient(app).get('/directory?name=%25%25');
    assert.equal(wildcard.body.total, 0, 'LIKE wildcards typed by people are taken literally');
    const paged = await apiClient(app).get(`/directory?siret=${prefix}&pageSize=1&page=2`);
    assert.equal(paged.body.total, 2);
    assert.equal(paged.body.results.length, 1);
  });

  test('the CSV export lists every recipient, one line per structure and per service, ready for a French spreadsheet', async () => {
    const res = await app.http!.inject({ method: 'GET', url: '/api/v1/directory/export.csv' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="annuaire-destinataires-2026-11-28\.csv"/);
    assert.ok(res.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 byte order mark');
    const lines = res.body.replace(/^\uFEFF/, '').split('\r\n');
    assert.equal(lines[0], "SIRET;Raison sociale;Adresse;Code postal;Ville;Code service;Nom du service;Code service obligatoire;Numéro d'engagement obligatoire;Numéro d'engagement ou code service obligatoire");
    const townLines = lines.filter((l) => l.startsWith(town.siret));
    assert.deepEqual(townLines, [
      `${town.siret};${town.name};"1 place ""de la Mairie""; bâtiment A";47300;Villeneuve-sur-Lot;;;Oui;Non;Non`,
      `${town.siret};${town.name};"1 place ""de la Mairie""; bâtiment A";47300;Villeneuve-sur-Lot;ECOLES;Affaires scolaires;Oui;Non;Non`,
      `${town.siret};${town.name};"1 place ""de la Mairie""; bâtiment A";47300;Villeneuve-sur-Lot;TECH;Services techniques;Oui;Oui;Non`,
    ]);
    assert.ok(lines.some((l) => l.startsWith(`${hospital.siret};`) && l.endsWith(';;;Non;Non;Oui')));
    assert.ok(!res.body.includes(`Entreprise privée ${prefix}`) && !res.body.includes(`Syndicat dissous ${prefix}`));
    const page = await app.http!.inject({ method: 'GET', url: '/annuaire/export.csv' });
    assert.equal(page.statusCode, 200);
    assert.equal(page.body, res.body);
  });

  test('the API documents the directory as public (no security requirement)', async () => {
    const doc = (await app.http!.inject({ method: 'GET', url: '/api/docs/json' })).json();
    assert.deepEqual(doc.paths['/api/v1/directory'].get.security, []);
    assert.deepEqual(doc.paths['/api/v1/directory/export.csv'].get.security, []);
    assert.equal(doc.paths['/api/v1/structures/{id}/engagements'].get.security, undefined, 'the register keeps the global authentication');
  });

  test('the directory page searches without login and shows the results in an accessible table', async () => {
    const page = await app.http!.inject({ method: 'GET', url: `/annuaire?siret=${town.siret}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<title>Annuaire : 1 résultat — Ouvrage<\/title>/);
    assert.match(page.body, /<th scope="col">Mentions obligatoires<\/th>/);
    assert.match(page.body, /Code service obligatoire/);
    assert.match(page.body, /<strong>TECH<\/strong> — Services techniques \(numéro d&#39;engagement obligatoire\)/);
    const bad = await app.http!.inject({ method: 'GET', url: '/annuaire?postcode=abc' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /class="error-summary"/);
    assert.match(bad.body, /href="#postcode"/);
    const empty = await app.http!.inject({ method: 'GET', url: '/annuaire' });
    assert.equal(empty.statusCode, 200);
    assert.doesNotMatch(empty.body, /id="resultats"/);
  });
});

describe('the demonstration data', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let technical: Awaited<ReturnType<typeof seedDemo>>;
  before(async () => {
    app = await startTestApp({ clock: new TestClock(new Date('2026-11-28T09:00:00Z')), workers: false });
    technical = await seedDemo(app.ctx);
  });
  after(async () => app?.cleanup());

  test('the town requires a service code, its technical services an EJ; the OPH works with a MOA', async () => {
    const town = (await apiClient(app).get(`/directory?siret=${DEMO.buyer.siret}`)).body.results[0];
    assert.equal(town.requirements.serviceCode, true);
    assert.deepEqual(town.services.map((s: any) => [s.code, s.requirements.ej]), [['ECOLES', false], ['TECH', true]]);
    const owner = await app.ctx.db.selectFrom('structures').select(['id', 'est_moa']).where('identifier', '=', DEMO.owner.siret).executeTakeFirstOrThrow();
    assert.equal(owner.est_moa, true);
    const ej = await app.ctx.db.selectFrom('engagements').select(['number', 'state']).where('structure_id', '=', owner.id).execute();
    assert.deepEqual(ej, [{ number: '1000020001', state: 'COMMANDE' }]);
  });

  test('every demonstration login works, Paul is a member of BTP Durand, and the technical account reaches the API', async () => {
    for (const login of demoLogins) assert.equal((await apiClient(app).post('/sessions', { email: login.email, password: DEMO_PASSWORD })).status, 201, login.email);
    const paul = await loggedInClient(app, demoLogins[1].email, DEMO_PASSWORD);
    assert.deepEqual((await paul.get('/structures')).body.structures.map((s: any) => [s.name, s.role]), [[DEMO.supplier.name, 'UTILISATEUR']]);
    const basic = `Basic ${Buffer.from(`${technical.login}:${technical.password}`).toString('base64')}`;
    const me = await apiClient(app).get('/me', { authorization: basic });
    assert.equal(me.status, 200);
    assert.equal(me.body.isTechnical, true);
  });
});
