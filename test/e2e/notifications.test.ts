import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { sql } from 'kysely';
import { startBrowserSession, waitForText } from './browser.ts';
import { seedDemo, DEMO, demoLogins } from '../../src/demo/seed.ts';
import { parisIsoDay } from '../../src/structures/index.ts';

const MARIE = demoLogins[0].email; // BTP Durand, supplier
const CLAIRE = demoLogins[2].email; // Commune de Villeneuve, buyer

describe('notifications in the browser', () => {
  let s: Awaited<ReturnType<typeof startBrowserSession>>;
  before(async () => {
    s = await startBrowserSession();
    await seedDemo(s.app.ctx);
  });
  after(async () => s?.close());

  const login = (email: string) => s.signedIn(email);
  const unreadBadge = (p: Page, n: number) => p.getByRole('navigation').getByLabel(`${n} non lues`);
  /** The development mailbox page (the mails the in-process SMTP server received), for one address and subject. */
  async function mailsTo(p: Page, email: string, subject: RegExp) {
    await p.goto('/dev/courriels');
    const mails = await p.locator('article.mail').allInnerTexts();
    return mails.filter((m) => m.includes(`À : ${email}`) && subject.test(m));
  }

  test('the badge counts unread notifications, a notification leads to its invoice, read state is kept, and the mail preference chosen on « Mon compte » is followed', async () => {
    const supplierId = await s.structureId(DEMO.supplier.siret);
    const buyerId = await s.structureId(DEMO.buyer.siret);

    // Marie sends an invoice to the Commune.
    const marie = await login(MARIE);
    await marie.goto(`/structures/${supplierId}/factures-emises/nouvelle`);
    await marie.getByLabel('SIRET du destinataire').fill(DEMO.buyer.siret);
    await marie.getByLabel('Code service').fill('TECH');
    await marie.getByLabel("Numéro d'engagement juridique").fill('1000012345');
    await marie.getByLabel('Numéro de facture').fill('FA-NOTIF-01');
    await marie.getByLabel('Date de facture').fill(parisIsoDay(new Date()));
    await marie.getByLabel('Désignation (ligne 1)').fill('Réparation de la gouttière');
    await marie.getByLabel('Quantité (ligne 1)').fill('1');
    await marie.getByLabel('Prix unitaire HT (ligne 1)').fill('800');
    await marie.getByLabel('Taux de TVA (ligne 1)').selectOption('20');
    await marie.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await marie.getByText(/enregistrée au statut « Brouillon »/).waitFor();
    await marie.getByLabel("Je confirme l'envoi de cette facture au destinataire").check();
    await marie.getByRole('button', { name: 'Valider et envoyer' }).click();
    await marie.getByText(/validée et envoyée/).waitFor();
    const invoiceId = Number(marie.url().replace(/\?.*$/, '').split('/').pop());

    // Claire is told: the badge shows one unread notification, which leads to the invoice.
    const claire = await login(CLAIRE);
    for (let i = 0; i < 60 && (await unreadBadge(claire, 1).count()) === 0; i++) {
      await claire.waitForTimeout(250);
      await claire.reload();
    }
    await unreadBadge(claire, 1).waitFor();
    await claire.getByRole('link', { name: /^Notifications/ }).click();
    await claire.getByText('1 notification non lue.').waitFor();
    const item = claire.locator('ul.notifications li.unread');
    assert.equal(await item.count(), 1);
    await item.getByRole('link', { name: /FA-NOTIF-01.*mise à disposition/ }).click();
    await claire.waitForURL(new RegExp(`/structures/${buyerId}/factures-recues/${invoiceId}$`));

    // Claire suspends it; Marie, who gets mails at once by default, is told in the app and by mail.
    await claire.getByLabel('Motif (suspendre)').selectOption('PIECE_JUSTIFICATIVE_MANQUANTE');
    await claire.getByLabel('Commentaire (suspendre)').fill('Merci de joindre le devis signé.');
    await claire.getByRole('button', { name: 'Suspendre', exact: true }).click();
    await claire.getByText(/Suspendue \(code 208\)/).first().waitFor();

    await marie.goto('/notifications');
    await waitForText(marie, /FA-NOTIF-01.*[Ss]uspendue/);
    await marie.getByText('1 notification non lue.').waitFor();
    let suspensionMails: string[] = [];
    for (let i = 0; i < 60 && suspensionMails.length === 0; i++) {
      suspensionMails = await mailsTo(marie, MARIE, /FA-NOTIF-01 : Suspendue/);
      if (!suspensionMails.length) await marie.waitForTimeout(250);
    }
    assert.equal(suspensionMails.length, 1);
    assert.match(suspensionMails[0]!, /Merci de joindre le devis signé/);

    // Marked as read one by one, it stays read after a reload; the badge is gone.
    await marie.goto('/notifications');
    await marie.getByRole('button', { name: 'Marquer comme lue' }).click();
    await marie.getByText('Aucune notification non lue.').waitFor();
    await marie.reload();
    await marie.getByText('Aucune notification non lue.').waitFor();
    assert.equal(await marie.locator('ul.notifications li.unread').count(), 0);
    assert.equal(await marie.getByRole('navigation').locator('.badge').count(), 0);

    // Marie chooses « Pas de courriel » for invoices on « Mon compte »; the choice is kept.
    await marie.getByRole('link', { name: 'Choisir les courriels que je reçois' }).click();
    const factures = marie.getByRole('group', { name: /^Factures : changements de statut/ });
    await factures.getByLabel("Pas de courriel (dans l'application seulement)").check();
    await marie.getByRole('button', { name: 'Enregistrer mes préférences' }).click();
    await marie.getByText('Vos préférences de notification sont enregistrées.').waitFor();
    await marie.reload();
    assert.equal(await marie.getByRole('group', { name: /^Factures : changements de statut/ }).getByLabel("Pas de courriel (dans l'application seulement)").isChecked(), true);

    // Marie completes; Claire declares the service done: Marie sees it in the app, and no mail comes.
    await marie.goto(`/structures/${supplierId}/factures-emises/${invoiceId}`);
    await marie.getByLabel('Commentaire (compléter)').fill('Devis signé joint.');
    await marie.getByRole('button', { name: 'Compléter', exact: true }).click();
    await marie.getByText(/Complétée \(code 209\)/).first().waitFor();
    await claire.reload();
    await claire.getByRole('button', { name: 'Constater le service fait' }).click();
    await claire.getByText(/Service fait \(code 205\)/).first().waitFor();

    await marie.goto('/notifications');
    await waitForText(marie, /FA-NOTIF-01.*[Ss]ervice fait/);
    await marie.getByText('1 notification non lue.').waitFor();
    await marie.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await marie.getByText('Aucune notification non lue.').waitFor();
    // The notification and its mail job are written in one transaction: the notification being shown, a mail job would exist.
    const jobs = await sql<{ subject: string }>`SELECT data->>'subject' AS subject FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = ${MARIE} AND data->>'subject' LIKE '%FA-NOTIF-01%'`.execute(s.app.ctx.db);
    assert.deepEqual(jobs.rows.map((r) => r.subject.replace(/^.*FA-NOTIF-01 : /, '')), ['Suspendue'], 'only the suspension was mailed');
    assert.deepEqual(s.pageErrors, []);
  });
});
