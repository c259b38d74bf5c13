import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserSession, logInThroughForm, waitForText } from './browser.ts';
import { seedDemo, DEMO, DEMO_PASSWORD, demoLogins } from '../../src/demo/seed.ts';
import { parisIsoDay } from '../../src/structures/index.ts';

describe('a standard invoice in the browser', () => {
  let s: Awaited<ReturnType<typeof startBrowserSession>>;
  before(async () => {
    s = await startBrowserSession();
    await seedDemo(s.app.ctx);
  });
  after(async () => s?.close());


  test('the supplier deposits by form, validates and sends; the buyer suspends; the supplier completes; service fait, then payment; the path shows each step with its reform code', async () => {
    const supplierId = await s.structureId(DEMO.supplier.siret);
    const buyerId = await s.structureId(DEMO.buyer.siret);

    // Marie (BTP Durand) enters an invoice; the buyer's requirements appear as soon as its SIRET is typed.
    const marie = await s.newPage();
    await logInThroughForm(marie, demoLogins[0].email, DEMO_PASSWORD);
    await marie.getByRole('heading', { name: /^Bonjour/ }).waitFor();
    await marie.getByRole('link', { name: 'Factures', exact: true }).click();
    await marie.getByRole('link', { name: 'Factures émises' }).first().click();
    await marie.getByRole('link', { name: 'Saisir une facture' }).click();
    await marie.getByLabel('SIRET du destinataire').fill(DEMO.buyer.siret);
    await marie.getByText('Code service obligatoire.').waitFor();
    await marie.getByText(/TECH \(Services techniques, engagement obligatoire\)/).waitFor();
    await marie.getByLabel('Code service').fill('TECH');
    await marie.getByLabel("Numéro d'engagement juridique").fill('1000012345');
    await marie.getByLabel('Numéro de facture').fill('FA-2026-0101');
    await marie.getByLabel('Date de facture').fill(parisIsoDay(new Date()));
    await marie.getByLabel('Désignation (ligne 1)').fill('Réfection de la toiture — situation 1');
    await marie.getByLabel('Quantité (ligne 1)').fill('1');
    await marie.getByLabel('Prix unitaire HT (ligne 1)').fill('12500,00');
    await marie.getByLabel('Remise HT (ligne 1)').fill('500');
    await marie.getByLabel('Taux de TVA (ligne 1)').selectOption('20');
    await marie.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await marie.getByText(/enregistrée au statut « Brouillon »/).waitFor();
    await marie.getByText('14 400,00').first().waitFor();
    await marie.getByLabel("Je confirme l'envoi de cette facture au destinataire").check();
    await marie.getByRole('button', { name: 'Valider et envoyer' }).click();
    await marie.getByText(/validée et envoyée/).waitFor();
    await marie.getByRole('link', { name: 'Certificat de dépôt' }).waitFor();
    const invoiceUrl = marie.url().replace(/\?.*$/, '');
    const invoiceId = Number(invoiceUrl.split('/').pop());
    await waitForText(marie, /Mise à disposition \(code 203\)/);

    // Claire (Commune de Villeneuve) suspends it with a reason.
    const claire = await s.newPage();
    await logInThroughForm(claire, demoLogins[2].email, DEMO_PASSWORD);
    await claire.getByRole('heading', { name: /^Bonjour/ }).waitFor();
    await claire.goto(`/structures/${buyerId}/factures-recues`);
    await claire.getByRole('link', { name: 'FA-2026-0101' }).click();
    await claire.getByLabel('Motif (suspendre)').selectOption('PIECE_JUSTIFICATIVE_MANQUANTE');
    await claire.getByLabel('Commentaire (suspendre)').fill('Merci de joindre le procès-verbal de réception.');
    await claire.getByRole('button', { name: 'Suspendre', exact: true }).click();
    await claire.getByText(/Suspendue \(code 208\)/).first().waitFor();

    // Marie completes it.
    await marie.goto(`/structures/${supplierId}/factures-emises/${invoiceId}`);
    await marie.getByText(/Suspendue \(code 208\)/).first().waitFor();
    await marie.getByLabel('Commentaire (compléter)').fill('PV de réception transmis par courrier le 2 décembre.');
    await marie.getByRole('button', { name: 'Compléter', exact: true }).click();
    await marie.getByText(/Complétée \(code 209\)/).first().waitFor();

    // Claire sets service fait, then mise en paiement.
    await claire.reload();
    await claire.getByRole('button', { name: 'Constater le service fait' }).click();
    await claire.getByText(/Service fait \(code 205\)/).first().waitFor();
    await claire.getByRole('button', { name: 'Mettre en paiement' }).click();
    await claire.getByText(/Mise en paiement \(code 211\)/).first().waitFor();

    // The path, as the supplier sees it: every step with its reform code, who and why.
    await marie.goto(`/structures/${supplierId}/factures-emises/${invoiceId}`);
    const rows = await marie.getByRole('table', { name: 'Parcours de la facture' }).locator('tbody tr').allInnerTexts();
    const steps = rows.map((r) => r.split('\t').slice(1, 3).join(' ').trim());
    assert.deepEqual(steps, [
      'Brouillon créé —', 'Déposée 200', "En cours d'acheminement 201", 'Mise à disposition 203', 'Suspendue 208', 'Complétée 209', 'Service fait 205', 'Mise en paiement 211',
    ]);
    assert.ok(rows[4].includes('Pièce justificative manquante') && rows[4].includes('Claire Bernard'));
    await marie.getByText(/Historique intègre : 8 événements/).waitFor();
    await s.app.mailbox!.waitFor('marie.durand@btp-durand.demo', /Mise en paiement/);
    assert.deepEqual(s.pageErrors, []);
  });
});
