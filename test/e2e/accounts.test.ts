import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession, logInThroughForm } from './browser.ts';
import { newUser, PASSWORD, uniqueEmail } from '../helpers/factories.ts';
import { totpCode } from '../../src/accounts/index.ts';

describe('accounts in the browser', () => {
  let s: Awaited<ReturnType<typeof startBrowserSession>>;
  before(async () => {
    s = await startBrowserSession();
  });
  after(async () => s?.close());

  test('a person signs up, opens the activation link from the mail, and logs in', async () => {
    const page = await s.newPage();
    const email = uniqueEmail('e2e');
    await page.goto('/inscription');
    assert.equal(await page.title(), 'Créer un compte — Ouvrage');
    await page.getByLabel('Adresse électronique de connexion').fill(email);
    await page.getByLabel('Prénom').fill('Camille');
    await page.getByLabel(/^Nom\b/).fill('Garnier');
    await page.getByLabel('Mot de passe').fill('court');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByRole('alert').getByText('au moins 12 caractères').first().waitFor();

    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();

    const mail = await s.app.mailbox!.waitFor(email, /Activez votre compte/);
    const link = mail.text.match(/https?:\/\/\S+\/activation\/\S+/)![0];
    await page.goto(link);
    await page.getByRole('button', { name: 'Activer mon compte' }).click();
    await page.getByRole('heading', { name: 'Compte activé' }).waitFor();

    await logInThroughForm(page, email, PASSWORD);
    await page.getByRole('heading', { name: 'Bonjour Camille' }).waitFor();
    await page.getByRole('link', { name: 'Créer ma structure' }).waitFor();
  });

  test('a user enables TOTP, then login asks for the code', async () => {
    const user = await newUser(s.app, { firstName: 'Noé' });
    const page = await s.newPage();
    await logInThroughForm(page, user.email, PASSWORD);
    await page.getByRole('heading', { name: 'Bonjour Noé' }).waitFor();
    await page.goto('/compte/double-authentification');
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    await page.getByLabel('Code à 6 chiffres').fill(totpCode(secret, new Date()));
    await page.getByRole('button', { name: 'Activer la double authentification' }).click();
    await page.getByText('La double authentification est activée.').waitFor();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();

    await logInThroughForm(page, user.email, PASSWORD);
    await page.getByRole('heading', { name: 'Code de vérification' }).waitFor();
    await page.getByLabel('Code à 6 chiffres').fill('000000' === totpCode(secret, new Date()) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('alert').getByText(/Code incorrect/).first().waitFor();
    // A code of the next time step is accepted (the enrolment code's step cannot be replayed).
    await page.getByLabel('Code à 6 chiffres').fill(totpCode(secret, new Date(Date.now() + 30_000)));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('heading', { name: 'Bonjour Noé' }).waitFor();
  });

  test('a signed-in user creates a structure and becomes its principal manager', async () => {
    const user = await newUser(s.app, { firstName: 'Inès' });
    const page = await s.newPage();
    await logInThroughForm(page, user.email, PASSWORD);
    await page.getByRole('link', { name: 'Créer ma structure' }).click();
    await page.getByLabel(/^Identifiant/).fill('12345678900000');
    await page.getByLabel('Raison sociale').fill('Menuiserie Inès');
    await page.getByRole('button', { name: 'Créer la structure' }).click();
    await page.getByRole('alert').getByText(/clé de contrôle/).first().waitFor();
    await page.getByLabel(/^Identifiant/).fill('73282932000074');
    await page.getByRole('button', { name: 'Créer la structure' }).click();
    await page.getByRole('heading', { name: 'Menuiserie Inès' }).waitFor();
    await page.getByText('Gestionnaire principal').first().waitFor();
    await page.getByText('FR44732829320').waitFor();
    assert.deepEqual(s.pageErrors, []);
  });
});
