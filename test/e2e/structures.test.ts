import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserSession, logInThroughForm } from './browser.ts';
import { newStructure, newUser, PASSWORD } from '../helpers/factories.ts';

describe('joining a structure in the browser', () => {
  let s: Awaited<ReturnType<typeof startBrowserSession>>;
  before(async () => {
    s = await startBrowserSession();
  });
  after(async () => s?.close());

  test('a user asks to join, the GP approves, then a right the GP grants shows up for the user', async () => {
    const gp = await newUser(s.app, { firstName: 'Claire', lastName: 'Bernard' });
    const { structureId, siret } = await newStructure(s.app, gp, { name: 'Commune de Montval', kind: 'PUBLIQUE' });
    const member = await newUser(s.app, { firstName: 'Yanis', lastName: 'Fabre' });

    // The user finds the structure by the start of its SIRET and asks to join.
    const userPage: Page = await s.newPage();
    await logInThroughForm(userPage, member.email, PASSWORD);
    await userPage.getByRole('link', { name: 'Demander mon rattachement à une structure existante' }).click();
    await userPage.getByLabel('SIRET ou raison sociale exacte').fill(siret.slice(0, 2));
    await userPage.getByRole('button', { name: 'Rechercher' }).click();
    await userPage.getByText(/au moins 3/).first().waitFor();
    await userPage.getByLabel('SIRET ou raison sociale exacte').fill(siret.slice(0, 9));
    await userPage.getByRole('button', { name: 'Rechercher' }).click();
    await userPage.getByRole('heading', { name: 'Commune de Montval' }).waitFor();
    await userPage.getByLabel('Message au gestionnaire principal (facultatif)').fill('Je suis le nouveau comptable.');
    await userPage.getByRole('button', { name: 'Demander le rattachement à Commune de Montval' }).click();
    await userPage.getByRole('cell', { name: 'En cours de validation' }).waitFor();
    await s.app.mailbox!.waitFor(gp.email, /rattachement/i);

    // The GP sees the request and approves it.
    const gpPage = await s.newPage();
    await logInThroughForm(gpPage, gp.email, PASSWORD);
    await gpPage.getByRole('link', { name: /1 demande\(s\) de rattachement à traiter pour Commune de Montval/ }).click();
    await gpPage.getByText('Je suis le nouveau comptable.').waitFor();
    await gpPage.getByRole('button', { name: 'Approuver la demande de Yanis Fabre' }).click();
    await gpPage.getByRole('cell', { name: member.email }).waitFor();
    await s.app.mailbox!.waitFor(member.email, /rattachement/i);

    // The member now sees the structure, with the default spaces in consultation only, and no engagements.
    await userPage.goto(`/structures/${structureId}/espaces`);
    await userPage.getByText('Factures émises — Consultation uniquement').waitFor();
    assert.equal(await userPage.getByRole('link', { name: 'Engagements' }).count(), 0);
    assert.equal((await userPage.goto(`/structures/${structureId}/engagements`))!.status(), 403);

    // The GP grants "Engagements" in modification; the member's pages change accordingly.
    await gpPage.goto(`/structures/${structureId}/droits`);
    await gpPage.getByLabel('Engagements — Yanis Fabre').selectOption('MODIFICATION');
    await gpPage.getByRole('button', { name: 'Enregistrer les droits de Yanis Fabre' }).click();
    await gpPage.getByText('Les droits sont enregistrés.').waitFor();

    await userPage.goto(`/structures/${structureId}/espaces`);
    await userPage.getByText('Engagements — Modification').waitFor();
    await userPage.getByRole('link', { name: 'Engagements' }).click();
    await userPage.getByRole('link', { name: 'Enregistrer un engagement' }).waitFor();
    assert.deepEqual(s.pageErrors, []);
  });

  test('the GP declares an API application from its tab: the secret is shown once, then the application is revoked', async () => {
    const gp = await newUser(s.app);
    const { structureId } = await newStructure(s.app, gp, { name: 'Menuiserie Rolland', kind: 'PRIVEE' });
    const page = await s.newPage();
    await logInThroughForm(page, gp.email, PASSWORD);
    await page.goto(`/structures/${structureId}`);
    await page.getByRole('link', { name: 'Applications API' }).click();
    await page.getByText('Aucune application.').waitFor();
    await page.getByLabel("Nom de l'application").fill('ERP de la menuiserie');
    await page.getByRole('button', { name: "Déclarer l'application" }).click();
    await page.getByText('Notez ce secret maintenant : il ne sera plus affiché.').waitFor();
    const secret = (await page.getByTestId('client-secret').textContent())!;
    assert.ok(secret.length >= 20);
    await page.goto(`/structures/${structureId}/applications-api`);
    assert.equal(await page.getByText(secret).count(), 0, 'never shown again');
    await page.getByRole('button', { name: "Révoquer l'application ERP de la menuiserie" }).click();
    await page.getByText(/L'application est révoquée/).waitFor();
    await page.getByRole('cell', { name: /^Révoquée le/ }).waitFor();
    assert.deepEqual(s.pageErrors, []);
  });
});
