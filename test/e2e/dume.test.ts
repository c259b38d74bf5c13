import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startBrowserSession, logInThroughForm } from './browser.ts';
import { seedDemo, DEMO, DEMO_PASSWORD, demoLogins } from '../../src/demo/seed.ts';
import { importEspd } from '../../src/formats/espd/index.ts';
import { pdfText } from '../formats/pdf-inspect.ts';

describe('the DUME space in the browser', () => {
  let s: Awaited<ReturnType<typeof startBrowserSession>>;
  before(async () => {
    s = await startBrowserSession();
    await seedDemo(s.app.ctx);
  });
  after(async () => s?.close());

  /** The buyer goes through the wizard and publishes; returns the DUME number. */
  async function publishRequest(claire: Page, title: string, reference: string, lots: string[], criteria: string[], minimumTurnover?: string) {
    await claire.goto('/dume');
    await claire.getByRole('button', { name: 'Créer un DUME acheteur' }).click();
    await claire.getByLabel('Objet de la consultation').fill(title);
    await claire.getByLabel('Référence du dossier').fill(reference);
    await claire.getByLabel('Type de procédure').selectOption('OPEN');
    for (const [i, lot] of lots.entries()) await claire.getByLabel(`Intitulé du lot ${i + 1}`).fill(lot);
    await claire.getByRole('button', { name: 'Enregistrer et continuer' }).click();
    // exclusion grounds: those of the directive are preselected
    await claire.getByRole('group', { name: 'Motifs liés à des condamnations pénales' }).waitFor();
    assert.equal(await claire.getByLabel('Participation à une organisation criminelle').isChecked(), true);
    assert.equal(await claire.getByLabel(/Motifs d’exclusion purement nationaux/).isChecked(), false);
    await claire.getByRole('button', { name: 'Enregistrer et continuer' }).click();
    for (const c of criteria) await claire.getByLabel(c, { exact: true }).check();
    if (minimumTurnover) await claire.getByLabel('Exigence minimale (Chiffre d’affaires annuel général)').fill(minimumTurnover);
    await claire.getByRole('button', { name: 'Enregistrer et continuer' }).click();
    await claire.getByRole('heading', { name: 'Critères demandés' }).waitFor();
    await claire.getByRole('button', { name: 'Publier le DUME' }).click();
    await claire.getByText('Le DUME est publié').waitFor();
    const number = (await claire.locator('dt:has-text("Numéro de DUME") + dd').innerText()).trim();
    assert.match(number, /^[a-z0-9]{8}$/);
    return number;
  }

  test('a buyer creates a request with 2 lots and 3 selection criteria and publishes it; a company answers it from the link, exports XML and PDF, imports the XML into a new procedure by merge', async () => {
    const claire = await s.newPage();
    await logInThroughForm(claire, demoLogins[2].email, DEMO_PASSWORD);
    await claire.getByRole('heading', { name: /^Bonjour/ }).waitFor();
    await claire.getByRole('link', { name: 'DUME', exact: true }).click();
    await claire.getByRole('link', { name: 'Entretien des espaces verts communaux 2027' }).waitFor(); // the demonstration DUME
    const number = await publishRequest(claire, 'Réfection de la toiture de l’école Jules-Ferry', 'MAPA-2026-014', ['Couverture', 'Zinguerie'],
      ['Chiffre d’affaires annuel général', 'Effectif moyen annuel', 'Assurance contre les risques professionnels'], '250000');
    await claire.getByText(/Chiffre d’affaires annuel général — Exigence minimale : 250000 EUR/).waitFor();
    const link = await claire.getByRole('link', { name: new RegExp(`/dume/${number}$`) }).getAttribute('href');
    assert.equal(link, `/dume/${number}`);

    // Marie (BTP Durand) opens the link and answers
    const marie = await s.newPage();
    await logInThroughForm(marie, demoLogins[0].email, DEMO_PASSWORD);
    await marie.getByRole('heading', { name: /^Bonjour/ }).waitFor();
    await marie.goto(link!);
    await marie.getByRole('heading', { name: `DUME acheteur n° ${number}` }).waitFor();
    await marie.getByText('Lot 1 : Couverture ; Lot 2 : Zinguerie').waitFor();
    await marie.getByRole('button', { name: 'Répondre' }).click();
    await marie.getByText('Votre réponse est créée').waitFor();
    await marie.getByText(`${DEMO.supplier.name} (${DEMO.supplier.siret})`).waitFor();
    // completeness, in French, pointing at the missing answer
    const missing = marie.getByRole('region', { name: /Réponses manquantes/ });
    await missing.getByRole('link', { name: /Critère « Chiffre d’affaires annuel général » : la question « Montant » n’a pas de réponse\./ }).waitFor();

    for (const no of await marie.getByRole('radio', { name: 'Non' }).all()) await no.check();
    const turnover = marie.getByRole('group', { name: 'Chiffre d’affaires annuel général' });
    await turnover.getByLabel('Montant').fill('1250000,50');
    await turnover.getByLabel('Période (date de début ; date de fin)').fill('2025-01-01/2025-12-31');
    const manpower = marie.getByRole('group', { name: 'Effectif moyen annuel' });
    await manpower.getByLabel('Année').fill('2025');
    await manpower.getByLabel('Nombre').fill('23');
    await marie.getByRole('group', { name: 'Assurance contre les risques professionnels' }).getByLabel('Montant').fill('2000000');
    const lots = marie.getByRole('group', { name: 'Lots pour lesquels vous soumissionnez' });
    await lots.getByLabel('Lot 1').check();
    await lots.getByLabel('Lot 2').check();
    await marie.getByRole('button', { name: 'Enregistrer les réponses' }).click();
    await marie.getByText('Le DUME est complet au regard de la demande de l’acheteur.').waitFor();
    await marie.getByRole('button', { name: 'Enregistrer et finaliser' }).click();
    await marie.getByText('Le DUME est finalisé').waitFor();

    const [xmlDownload] = await Promise.all([marie.waitForEvent('download'), marie.getByRole('link', { name: 'Télécharger le XML (ESPD-EDM 2.1.1)' }).click()]);
    const xmlPath = await xmlDownload.path();
    const exported = importEspd(readFileSync(xmlPath));
    assert.equal(exported.kind, 'response');
    assert.equal(exported.economicOperators?.[0].party?.identifiers?.[0], DEMO.supplier.siret);
    assert.equal(exported.procedure.fileReference, 'MAPA-2026-014');
    const [pdfDownload] = await Promise.all([marie.waitForEvent('download'), marie.getByRole('link', { name: 'Télécharger le PDF' }).click()]);
    const text = (await pdfText(readFileSync(await pdfDownload.path()))).join(' ').replace(/\s+/g, '');
    for (const v of ['1250000.50EUR', '2000000EUR', DEMO.supplier.siret, 'MAPA-2026-014', '250000EUR']) assert.ok(text.includes(v), `PDF shows ${v}`);

    // a new procedure: the company imports its exported XML by merge
    const second = await publishRequest(claire, 'Entretien de la voirie communale', 'MAPA-2026-021', [], ['Chiffre d’affaires annuel général', 'Inscription sur un registre du commerce']);
    await marie.goto(`/dume/${second}`);
    await marie.getByLabel('Ou importer un DUME précédent (fichier XML, toute version)').setInputFiles(xmlPath);
    await marie.getByRole('button', { name: 'Répondre' }).click();
    await marie.getByRole('heading', { name: 'Reprise du DUME précédent' }).waitFor();
    const summary = await marie.getByText(/critère\(s\) repris/).innerText();
    const [repris, aCompleter] = summary.match(/\d+/g)!.map(Number);
    assert.ok(repris >= 20, summary);
    assert.ok(aCompleter >= 1, summary);
    await marie.getByText(/Critères à compléter/).click();
    await marie.getByRole('listitem').filter({ hasText: 'Inscription sur un registre du commerce' }).first().waitFor();
    await marie.getByText('Origine').waitFor();
    await marie.getByText('Fusion avec un DUME précédent').waitFor();
    // what was answered before is there, what is new is left to answer
    assert.equal(await marie.getByRole('group', { name: 'Chiffre d’affaires annuel général' }).getByLabel('Montant').inputValue(), '1250000.50');
    await marie.getByRole('region', { name: /Réponses manquantes/ }).getByText(/Inscription sur un registre du commerce/).first().waitFor();

    // the list, with search
    await marie.goto('/dume?q=voirie');
    await marie.getByRole('link', { name: 'Entretien de la voirie communale' }).waitFor();
    assert.equal(await marie.getByRole('link', { name: 'Réfection de la toiture de l’école Jules-Ferry' }).count(), 0);
    assert.deepEqual(s.pageErrors, []);
  });
});
