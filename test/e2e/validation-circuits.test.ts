import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserSession, waitForText } from './browser.ts';
import { TestClock } from '../helpers/test-app.ts';
import { seedDemo, DEMO, DEMO_CONTRACT, demoLogins } from '../../src/demo/seed.ts';
import { createContract } from '../../src/contracts/index.ts';
import { runDueValidationDeadlines } from '../../src/invoices/index.ts';
import { parisIsoDay } from '../../src/structures/index.ts';

const KARIM = demoLogins[5].email; // Électricité Petit, subcontractor
const MARIE = demoLogins[0].email; // BTP Durand, titulaire (mandataire)
const CLAIRE = demoLogins[2].email; // Commune de Villeneuve, buyer
const LEA = demoLogins[6].email; // Plomberie Moreau, co-traitant

describe('subcontractors’ invoices in the browser (A9)', () => {
  const clock = new TestClock();
  let s: Awaited<ReturnType<typeof startBrowserSession>>;
  before(async () => {
    s = await startBrowserSession({ clock });
    await seedDemo(s.app.ctx);
  });
  after(async () => s?.close());

  const login = (email: string) => s.signedIn(email);
  /** The subcontractor enters an A9 invoice by form, names the contract and its validator, validates and sends it. */
  async function deposit(page: Page, supplierId: number, number: string, amount: string, contract: string, validatorSiret: string) {
    await page.goto(`/structures/${supplierId}/factures-emises/nouvelle`);
    await page.getByLabel('SIRET du destinataire').fill(DEMO.buyer.siret);
    await page.getByLabel('Code service').fill('TECH');
    await page.getByLabel("Numéro d'engagement juridique").fill('1000012345');
    await page.getByLabel('Cadre de facturation').selectOption('A9_FACTURE_SOUSTRAITANT');
    await page.getByLabel('Numéro de facture').fill(number);
    await page.getByLabel('Date de facture').fill(parisIsoDay(clock.now()));
    await page.getByLabel('Désignation (ligne 1)').fill('Câblage des salles de classe');
    await page.getByLabel('Quantité (ligne 1)').fill('1');
    await page.getByLabel('Prix unitaire HT (ligne 1)').fill(amount);
    await page.getByLabel('Taux de TVA (ligne 1)').selectOption('20');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByText(/enregistrée au statut « Brouillon »/).waitFor();
    await page.getByLabel('Numéro du marché').fill(contract);
    await page.getByLabel('SIRET du valideur').fill(validatorSiret);
    await page.getByRole('button', { name: 'Enregistrer le marché' }).click();
    await page.getByText('Le marché et le valideur sont enregistrés.').waitFor();
    await page.getByLabel("Je confirme l'envoi de cette facture au destinataire").check();
    await page.getByRole('button', { name: 'Valider et envoyer' }).click();
    await page.getByText(/validée et envoyée/).waitFor();
    const id = Number(page.url().replace(/\?.*$/, '').split('/').pop());
    await waitForText(page, 'À valider (niveau 1)');
    return id;
  }

  test('the titulaire refuses with a reason; the subcontractor deposits a corrected invoice; 15 days of silence: tacit validation; the buyer processes it', async () => {
    const subId = await s.structureId(DEMO.subcontractor.siret);
    const titulaireId = await s.structureId(DEMO.supplier.siret);
    const buyerId = await s.structureId(DEMO.buyer.siret);
    let karim = await login(KARIM);
    const first = await deposit(karim, subId, 'EP-2026-001', '6000,00', DEMO_CONTRACT.number, DEMO.supplier.siret);

    // Marie (titulaire) finds it in « Factures à valider » with 15 days left, opens it, refuses with a reason.
    let marie = await login(MARIE);
    await marie.goto('/factures');
    await marie.getByRole('link', { name: 'Factures à valider' }).first().click();
    const row = marie.getByRole('row', { name: /EP-2026-001/ });
    await row.getByText(/^15 jours/).waitFor();
    await marie.getByRole('link', { name: 'EP-2026-001' }).click();
    await marie.getByText('Câblage des salles de classe').waitFor();
    await marie.getByRole('link', { name: 'Certificat de dépôt' }).waitFor();
    await marie.getByRole('button', { name: 'Refuser', exact: true }).click();
    await marie.getByText('Le motif est obligatoire pour cette action.').first().waitFor();
    await marie.getByLabel('Motif du refus').selectOption('PRESTATIONS_NON_REALISEES');
    await marie.getByLabel('Commentaire du refus').fill('Le bâtiment B n’est pas encore câblé.');
    await marie.getByRole('button', { name: 'Refuser', exact: true }).click();
    await marie.getByText('Votre décision est enregistrée.').waitFor();
    await marie.getByText('Refusée par le valideur (niveau 1)').first().waitFor();

    // Karim sees why, and deposits a corrected invoice.
    await karim.goto(`/structures/${subId}/factures-emises/${first}`);
    const refusal = karim.getByRole('row', { name: /Refusée/ }).first();
    await refusal.getByText(/Prestations non réalisées ou non conformes — Le bâtiment B n’est pas encore câblé\./).waitFor();
    assert.match(await refusal.innerText(), /Marie Durand/);
    const second = await deposit(karim, subId, 'EP-2026-002', '4500,00', DEMO_CONTRACT.number, DEMO.supplier.siret);

    // Marie does nothing for 15 days: at the deadline the platform records a tacit validation.
    clock.advanceDays(14);
    assert.equal(await runDueValidationDeadlines(s.app.ctx), 0);
    clock.advanceDays(1);
    assert.equal(await runDueValidationDeadlines(s.app.ctx), 1);

    // The buyer receives it and processes it.
    const claire = await login(CLAIRE);
    await claire.goto(`/structures/${buyerId}/factures-recues`);
    await waitForText(claire, 'EP-2026-002');
    await claire.getByRole('link', { name: 'EP-2026-002' }).click();
    await claire.getByText(/Validée tacitement \(délai expiré\)/).waitFor();
    await claire.getByRole('button', { name: 'Constater le service fait' }).click();
    await claire.getByText(/Service fait \(code 205\)/).first().waitFor();

    // The path on the subcontractor's side: every step, the tacit validation by the platform.
    karim = await login(KARIM);
    await karim.goto(`/structures/${subId}/factures-emises/${second}`);
    const steps = (await karim.getByRole('table', { name: 'Parcours de la facture' }).locator('tbody tr').allInnerTexts()).map((r) => r.split('\t')[1]);
    assert.deepEqual(steps.filter((x) => !/Brouillon/.test(x)), ['Déposée', 'À valider (niveau 1)', 'Validée tacitement (niveau 1, délai expiré)', 'Déposée', "En cours d'acheminement", 'Mise à disposition', 'Service fait']);
    marie = await login(MARIE);
    await marie.goto(`/structures/${titulaireId}/factures-a-valider?status=`);
    await marie.getByRole('row', { name: /EP-2026-002/ }).getByText('Service fait').waitFor();
    assert.deepEqual(s.pageErrors, []);
  });

  test('a subcontractor of a co-traitant: the co-traitant validates (level 1), then the mandataire (level 2); the parcours shows both', async () => {
    const subId = await s.structureId(DEMO.subcontractor.siret);
    const buyerId = await s.structureId(DEMO.buyer.siret);
    const claireUser = (await s.app.ctx.db.selectFrom('users').select('id').where('email', '=', CLAIRE).executeTakeFirstOrThrow()).id;
    await createContract(s.app.ctx, { userId: claireUser, isTechnical: false }, {
      number: 'MAPA-2026-015', subject: 'Sanitaires du gymnase', buyerSiret: DEMO.buyer.siret, groupementKind: 'SOLIDAIRE', titulaireSiret: DEMO.supplier.siret,
      coContractors: [{ siret: DEMO.coContractor.siret }],
      subcontractors: [{ siret: DEMO.subcontractor.siret, directPayment: true, acceptedAmount: '9000.00', subcontractedBySiret: DEMO.coContractor.siret }],
    });
    const karim = await login(KARIM);
    const id = await deposit(karim, subId, 'EP-2026-010', '2000', 'MAPA-2026-015', DEMO.coContractor.siret);

    const lea = await login(LEA);
    const leaStructure = await s.structureId(DEMO.coContractor.siret);
    await lea.goto(`/structures/${leaStructure}/factures-a-valider`);
    await lea.getByRole('link', { name: 'EP-2026-010' }).click();
    await lea.getByRole('button', { name: 'Valider', exact: true }).click();
    await lea.getByText('Votre décision est enregistrée.').waitFor();

    const marie = await login(MARIE);
    const titulaireId = await s.structureId(DEMO.supplier.siret);
    await marie.goto(`/structures/${titulaireId}/factures-a-valider`);
    await waitForText(marie, 'EP-2026-010');
    await marie.getByRole('link', { name: 'EP-2026-010' }).click();
    await marie.getByText('À valider (niveau 2)').first().waitFor();
    await marie.getByRole('button', { name: 'Valider', exact: true }).click();
    await marie.getByText('Votre décision est enregistrée.').waitFor();

    const claire = await login(CLAIRE);
    await claire.goto(`/structures/${buyerId}/factures-recues/${id}`);
    await waitForText(claire, /Mise à disposition \(code 203\)/);
    const levels = await claire.getByRole('table', { name: 'Niveaux de validation' }).locator('tbody tr').allInnerTexts();
    assert.equal(levels.length, 2);
    assert.match(levels[0], /Niveau 1\tPlomberie Moreau .*\tValidée\tLéa Moreau/);
    assert.match(levels[1], /Niveau 2\tBTP Durand .*\tValidée\tMarie Durand/);
    assert.deepEqual(s.pageErrors, []);
  });
});
