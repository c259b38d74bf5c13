import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserSession } from './browser.ts';
import { TestClock } from '../helpers/test-app.ts';
import { seedDemo, DEMO, demoLogins } from '../../src/demo/seed.ts';
import { createContract } from '../../src/contracts/index.ts';
import { createWorksContract, runWorksClocks } from '../../src/works/index.ts';
import { WORKED_EXAMPLE_INDEXES_MAY, WORKED_EXAMPLE_TERMS } from '../../src/demo/works-example.ts';

const MARIE = demoLogins[0].email; // BTP Durand, the company (titulaire)
const HUGO = demoLogins[3].email; // Atelier Martin, the MOE
const SOPHIE = demoLogins[4].email; // OPH de Villeneuve, MOA and payer

/** « 19 600,43 » with the narrow no-break space the pages print. */
const amount = (s: string) => new RegExp(s.replace(/ /g, '\\s'));

describe('works invoices in the browser (« Factures de travaux »)', () => {
  // Tuesday 31 March 2026, 10:00 in Paris: the demo's indexes are known up to April.
  const clock = new TestClock(new Date('2026-03-31T08:00:00Z'));
  let s: Awaited<ReturnType<typeof startBrowserSession>>;
  before(async () => {
    s = await startBrowserSession({ clock });
    await seedDemo(s.app.ctx);
  });
  after(async () => s?.close());

  const login = (email: string) => s.signedIn(email);
  /** A fresh works contract of the OPH with BTP Durand and the architect, on the price schedule of docs/works.md. */
  let n = 0;
  async function worksContract() {
    const sophie = (await s.app.ctx.db.selectFrom('users').select('id').where('email', '=', SOPHIE).executeTakeFirstOrThrow()).id;
    const actor = { userId: sophie, isTechnical: false };
    const number = `OPH-2026-E2E-${++n}`;
    const { contractId } = await createContract(s.app.ctx, actor, { number, subject: 'Réhabilitation — lot gros œuvre', buyerSiret: DEMO.owner.siret, serviceCode: 'MOA-TRAVAUX', ejNumbers: ['1000020001'], titulaireSiret: DEMO.supplier.siret });
    await createWorksContract(s.app.ctx, actor, {
      contractId, moeSiret: DEMO.architect.siret,
      terms: WORKED_EXAMPLE_TERMS,
      indexes: WORKED_EXAMPLE_INDEXES_MAY,
    });
    return { contractId, number };
  }
  async function fillProgress(page: Page, progress: Record<string, string>) {
    for (const [code, v] of Object.entries(progress)) await page.getByLabel(`Avancement cumulé du prix ${code}`).fill(v);
  }
  /** The company opens its space from « Factures », then the contract's billing file. */
  async function openContract(page: Page, structureName: string, number: string) {
    await page.getByRole('link', { name: 'Factures', exact: true }).click();
    await page.locator('li', { hasText: structureName }).getByRole('link', { name: 'Factures de travaux' }).click();
    await page.getByRole('heading', { name: /^Factures de travaux —/ }).waitFor();
    await page.getByRole('link', { name: number }).click();
    await page.getByRole('heading', { name: `Marché ${number} — dossier de facturation` }).waitFor();
  }
  /** Opens a piece from the work list « Pièces à traiter » of a structure. */
  async function openTodo(page: Page, structure: number, pieceNumber: RegExp) {
    await page.goto(`/structures/${structure}/travaux`);
    await page.getByRole('table', { name: 'Pièces à traiter' }).getByRole('link', { name: pieceNumber }).click();
    await page.getByRole('heading', { name: /^Pièce / }).waitFor();
  }
  const status = (page: Page, code: string) => page.getByText(new RegExp(`Statut : .*\\(${code}\\)`)).waitFor();

  test('one month: the company enters its progress and deposits (A4) → the MOE corrects an amount and deposits the état d’acompte (A15) → the MOA validates (A19) → the payer pays', async () => {
    const { contractId, number } = await worksContract();
    const archi = await s.structureId(DEMO.architect.siret);
    const oph = await s.structureId(DEMO.owner.siret);

    const marie = await login(MARIE);
    await openContract(marie, DEMO.supplier.name, number);
    await marie.getByRole('link', { name: /^A4 – / }).click();
    assert.equal(await marie.getByLabel('Mois du décompte (AAAA-MM)').inputValue(), '2026-03');
    await fillProgress(marie, { '01': '50', '02': '600', '03': '0', '04': '0' });
    await marie.getByRole('button', { name: 'Calculer le décompte' }).click();
    const recap = marie.getByRole('table', { name: 'Récapitulatif du décompte' });
    await recap.getByRole('row', { name: /Montant dû/ }).getByText(amount('19 600,43')).first().waitFor();
    await recap.getByRole('row', { name: /Retenue de garantie/ }).getByText(amount('1 031,60')).first().waitFor();
    await marie.getByRole('button', { name: 'Déposer la pièce' }).click();
    await marie.getByText('La pièce est déposée et transmise à son destinataire.').waitFor();
    await status(marie, 'MISE_A_DISPOSITION_MOE');
    // The company may not stand in for the MOE while its 7 days run.
    await marie.getByText(/A5 – .*pas encore possible/).waitFor();

    // Hugo (MOE) finds it in his work list with its 7 days, takes it into account, corrects the earthworks.
    const hugo = await login(HUGO);
    await hugo.goto(`/structures/${archi}/travaux`);
    await hugo.getByRole('table', { name: 'Pièces à traiter' }).getByText(/7 jours restants/).waitFor();
    await openTodo(hugo, archi, /^A4-/);
    await hugo.getByRole('button', { name: 'Prendre en compte' }).click();
    await hugo.getByText('Votre décision est enregistrée.').waitFor();
    await status(hugo, 'PRISE_EN_COMPTE_MOE');
    // An amount disagreement is no reason to refuse.
    await hugo.getByLabel('Motif du refus').selectOption('MONTANT_ERRONE');
    await hugo.getByRole('button', { name: 'Refuser la pièce' }).click();
    await hugo.getByText(/n'est pas un motif de refus/).first().waitFor();
    await hugo.getByRole('link', { name: /^A15 – / }).click();
    assert.equal(await hugo.getByLabel('Avancement cumulé du prix 02').inputValue(), '600');
    await fillProgress(hugo, { '02': '500' });
    await hugo.getByRole('button', { name: 'Calculer le décompte' }).click();
    const diff = hugo.getByRole('table', { name: 'Écarts ligne à ligne' }).getByRole('row', { name: /Terrassements/ });
    assert.match((await diff.innerText()).replace(/[\u00a0\u202f]/g, ' '), /600\t500\t11 040,00 €\t9 200,00 €\t-1 840,00 €/);
    await hugo.getByRole('button', { name: 'Déposer la pièce' }).click();
    await hugo.getByText('La pièce est déposée et transmise à son destinataire.').waitFor();
    await status(hugo, 'MISE_A_DISPOSITION_MOA');

    // The company sees the corrected amount.
    await marie.goto(`/structures/${await s.structureId(DEMO.supplier.siret)}/travaux/${contractId}`);
    await marie.getByRole('table', { name: 'Mois 03/2026' }).getByText(/Associée à la pièce suivante/).first().waitFor();

    // Sophie (MOA) validates: A19 reaches « Factures reçues » of the OPH, the payer.
    const sophie = await login(SOPHIE);
    await openTodo(sophie, oph, /^A15-/);
    await sophie.getByRole('link', { name: /^A19 – / }).click();
    await sophie.getByRole('button', { name: 'Déposer la pièce' }).click();
    await status(sophie, 'MISE_A_DISPOSITION');
    await sophie.getByText(/Délai global de paiement/).first().waitFor();
    await sophie.getByRole('link', { name: 'Traiter dans « Factures reçues »' }).click();
    await sophie.getByRole('heading', { name: /^Facture A19-/ }).waitFor();
    await sophie.getByRole('button', { name: 'Constater le service fait' }).click();
    await sophie.getByText(/Service fait \(code 205\)/).first().waitFor();
    await sophie.getByRole('button', { name: 'Mettre en paiement' }).click();
    await sophie.getByText(/Mise en paiement/).first().waitFor();
    await sophie.goto(`/structures/${oph}/travaux/${contractId}`);
    await sophie.getByRole('table', { name: 'Mois 03/2026' }).getByText(/\(MISE_EN_PAIEMENT\)/).waitFor();
    assert.deepEqual(s.pageErrors, []);
  });

  test('end of contract through the DGD: projet de décompte final (A7) → MOE projet de décompte général (A17) → MOA décompte général (A20) → the company signs the DGD (A8)', async () => {
    const { number } = await worksContract();
    const archi = await s.structureId(DEMO.architect.siret);
    const oph = await s.structureId(DEMO.owner.siret);
    const durand = await s.structureId(DEMO.supplier.siret);

    const marie = await login(MARIE);
    await openContract(marie, DEMO.supplier.name, number);
    await marie.getByRole('link', { name: /^A7 – / }).click();
    await fillProgress(marie, { '01': '100', '02': '850', '03': '120', '04': '100' });
    await marie.getByLabel('Libellé de la pénalité 1').fill('Retard de 3 jours');
    await marie.getByLabel('Montant de la pénalité 1').fill('100,60');
    await marie.getByRole('button', { name: 'Calculer le décompte' }).click();
    await marie.getByText(/décompte final : l’avance est remboursée en totalité/).waitFor();
    await marie.getByRole('button', { name: 'Déposer la pièce' }).click();
    await status(marie, 'MISE_A_DISPOSITION_MOE');

    const hugo = await login(HUGO);
    await openTodo(hugo, archi, /^A7-/);
    await hugo.getByRole('link', { name: /^A17 – / }).click();
    await hugo.getByRole('button', { name: 'Déposer la pièce' }).click();
    await status(hugo, 'MISE_A_DISPOSITION_MOA');

    const sophie = await login(SOPHIE);
    await openTodo(sophie, oph, /^A17-/);
    await sophie.getByRole('link', { name: /^A20 – / }).click();
    await sophie.getByRole('button', { name: 'Déposer la pièce' }).click();
    await status(sophie, 'A_ASSOCIER_FOURNISSEUR');

    // The company finds the décompte général to sign, with its 30 days, and deposits the DGD.
    await marie.goto(`/structures/${durand}/travaux`);
    await marie.getByRole('table', { name: 'Pièces à traiter' }).getByText(/Le titulaire renvoie le décompte général signé/).waitFor();
    await openTodo(marie, durand, /^A20-/);
    await marie.getByRole('link', { name: /^A8 – / }).click();
    await marie.getByRole('button', { name: 'Déposer la pièce' }).click();
    await status(marie, 'MISE_A_DISPOSITION');
    await marie.getByRole('link', { name: 'Dossier de facturation du marché ' + number }).click();
    const end = marie.getByRole('table', { name: 'Fin de marché' });
    const rows = (await end.locator('tbody tr').allInnerTexts()).map((r) => r.split('\t')[1].slice(0, 3).trim());
    assert.deepEqual(rows, ['A7', 'A17', 'A20', 'A8']);
    await end.getByRole('row', { name: /^A8-/ }).getByText(/\(MISE_A_DISPOSITION\)/).waitFor();
    assert.deepEqual(s.pageErrors, []);
  });

  test('the MOE misses its 7 days: the clock marks the piece ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE and the company deposits its état d’acompte (A5) to the MOA', async () => {
    const { contractId, number } = await worksContract();
    const archi = await s.structureId(DEMO.architect.siret);
    const oph = await s.structureId(DEMO.owner.siret);

    let marie = await login(MARIE);
    await openContract(marie, DEMO.supplier.name, number);
    await marie.getByRole('link', { name: /^A4 – / }).click();
    await fillProgress(marie, { '01': '50', '02': '600', '03': '0', '04': '0' });
    await marie.getByRole('button', { name: 'Déposer la pièce' }).click();
    await status(marie, 'MISE_A_DISPOSITION_MOE');
    const piece = marie.url().replace(/\?.*$/, '');
    const due = await marie.getByText(/^Échéance le \d\d\/\d\d\/\d{4}/).innerText();

    // The MOE does nothing; the day after the due day, the clocks job records its absence.
    clock.advanceDays(6);
    await runWorksClocks(s.app.ctx);
    marie = await login(MARIE);
    await marie.goto(piece);
    await status(marie, 'MISE_A_DISPOSITION_MOE');
    await marie.getByText(/^Échéance le .*\(1 jour restant\)/).waitFor();
    clock.advanceDays(3);
    assert.ok((await runWorksClocks(s.app.ctx)).moeLapsed >= 1);
    marie = await login(MARIE);
    await marie.goto(piece);
    await status(marie, 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE');
    await marie.getByText(/Absence de validation du maître d'œuvre dans le délai réglementaire/).first().waitFor();
    // The company was told, with the due day.
    const dueDay = due.match(/\d\d\/\d\d\/\d{4}/)![0];
    await marie.goto('/notifications');
    await marie.getByText(new RegExp(`échéance ${dueDay}.*\\(A5\\)`)).first().waitFor();

    // The MOE no longer has it to handle; the company deposits the état d'acompte itself, to the MOA.
    const hugo = await login(HUGO);
    await hugo.goto(`/structures/${archi}/travaux`);
    assert.equal(await hugo.getByRole('table', { name: 'Pièces à traiter' }).getByRole('link', { name: /^A4-/ }).count(), 0);
    await marie.goto(piece);
    await marie.getByRole('link', { name: /^A5 – / }).click();
    await marie.getByRole('button', { name: 'Déposer la pièce' }).click();
    await status(marie, 'MISE_A_DISPOSITION_MOA');
    const sophie = await login(SOPHIE);
    await sophie.goto(`/structures/${oph}/travaux/${contractId}`);
    await sophie.getByRole('table', { name: /^Mois / }).getByText(/\(ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE\)|\(ASSOCIEE\)/).first().waitFor();
    await openTodo(sophie, oph, /^A5-/);
    await sophie.getByRole('link', { name: /^A19 – / }).waitFor();
    assert.deepEqual(s.pageErrors, []);
  });
});
