import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { startBrowserSession, logInThroughForm, waitForText } from './browser.ts';
import { seedDemo, DEMO, DEMO_PASSWORD, demoLogins } from '../../src/demo/seed.ts';
import { parisIsoDay } from '../../src/structures/index.ts';

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

describe('the story of issue 4 in the browser: a PDF invoice with its metadata', () => {
  let s: Awaited<ReturnType<typeof startBrowserSession>>;
  before(async () => {
    s = await startBrowserSession();
    await seedDemo(s.app.ctx);
  });
  after(async () => s?.close());


  test('the supplier deposits a PDF with its metadata, validates and sends; the buyer suspends with a reason; the supplier joins a document and completes; service fait, then payment; the path shows every step with its reform code', async () => {
    const supplierId = await s.structureId(DEMO.supplier.siret);
    const buyerId = await s.structureId(DEMO.buyer.siret);

    // Marie (BTP Durand) deposits the PDF of her invoice; the buyer's requirements appear as soon as its SIRET is typed.
    const marie = await s.newPage();
    await logInThroughForm(marie, demoLogins[0].email, DEMO_PASSWORD);
    await marie.getByRole('heading', { name: /^Bonjour/ }).waitFor();
    await marie.goto(`/structures/${supplierId}/factures-emises`);
    await marie.getByRole('link', { name: 'Déposer une facture PDF' }).click();
    await marie.getByText(/10 Mo au plus par fichier, 120 Mo au plus pour la facture et toutes ses pièces/).waitFor();
    await marie.getByLabel('SIRET du destinataire').fill(DEMO.buyer.siret);
    await marie.getByText('Code service obligatoire.').waitFor();
    await marie.getByText(/TECH \(Services techniques, engagement obligatoire\)/).waitFor();
    // A file breaking the limits is named in French; nothing is saved.
    await marie.getByLabel('Facture au format PDF (pièce principale)').setInputFiles({ name: 'facture-situation-1.pdf', mimeType: 'application/pdf', buffer: pdf('facture') });
    await marie.getByLabel('Pièces complémentaires (facultatives)').setInputFiles([{ name: 'programme.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') }]);
    await marie.getByLabel('Code service').fill('TECH');
    await marie.getByLabel("Numéro d'engagement juridique").fill('1000012345');
    await marie.getByLabel('Numéro de facture').fill('FP-2026-0201');
    await marie.getByLabel('Date de facture').fill(parisIsoDay(new Date()));
    await marie.getByLabel('Base HT (taux 1)').fill('12000,00');
    await marie.getByLabel('Montant de TVA (taux 1)').fill('2400,00');
    await marie.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await marie.getByText(/L'extension « \.exe » du fichier « programme\.exe » n'est pas autorisée/).first().waitFor();
    // Files are chosen again; the metadata was kept.
    assert.equal(await marie.getByLabel('Numéro de facture').inputValue(), 'FP-2026-0201');
    await marie.getByLabel('Facture au format PDF (pièce principale)').setInputFiles({ name: 'facture-situation-1.pdf', mimeType: 'application/pdf', buffer: pdf('facture') });
    await marie.getByLabel('Pièces complémentaires (facultatives)').setInputFiles([{ name: 'bon-de-livraison.pdf', mimeType: 'application/pdf', buffer: pdf('bl') }]);
    await marie.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await marie.getByText(/enregistrée au statut « Brouillon »/).waitFor();
    await marie.getByText('14 400,00').first().waitFor();
    await marie.getByText(/facture-situation-1\.pdf \(pièce principale\)/).waitFor();
    await marie.getByText(/bon-de-livraison\.pdf \(pièce complémentaire\)/).waitFor();
    await marie.getByLabel("Je confirme l'envoi de cette facture au destinataire").check();
    await marie.getByRole('button', { name: 'Valider et envoyer' }).click();
    await marie.getByText(/validée et envoyée/).waitFor();
    const invoiceId = Number(marie.url().replace(/\?.*$/, '').split('/').pop());

    // The deposit certificate lists the SHA-256 of each stored file.
    const certHref = await marie.getByRole('link', { name: 'Certificat de dépôt' }).getAttribute('href');
    const cert = await marie.request.get(certHref!);
    assert.equal(cert.status(), 200);
    const certText = (await cert.body()).toString('latin1');
    const docs = await s.app.ctx.db.selectFrom('invoice_documents').innerJoin('documents', 'documents.id', 'invoice_documents.document_id').select(['documents.blob_sha256 as sha256']).where('invoice_documents.invoice_id', '=', invoiceId).execute();
    assert.equal(docs.length, 2);
    for (const d of docs) {
      assert.equal(createHash('sha256').update(await s.app.ctx.blobs.get(d.sha256)).digest('hex'), d.sha256);
      assert.ok(certText.includes(`sha256:${d.sha256}`));
    }
    await waitForText(marie, /Mise à disposition \(code 203\)/);
    await marie.getByText(/Il reste \d+ jours au destinataire pour payer/).waitFor();

    // Claire (Commune de Villeneuve) sees what is due, and suspends it with a reason of the list.
    const claire = await s.newPage();
    await logInThroughForm(claire, demoLogins[2].email, DEMO_PASSWORD);
    await claire.getByRole('heading', { name: /^Bonjour/ }).waitFor();
    await claire.goto(`/structures/${buyerId}/factures-recues`);
    await claire.getByRole('link', { name: 'FP-2026-0201' }).click();
    await claire.getByText(/À payer : 14\s400,00\s€ d'ici \d+ jours/).waitFor();
    await claire.getByLabel('Motif (suspendre)').selectOption('PIECE_JUSTIFICATIVE_MANQUANTE');
    await claire.getByLabel('Commentaire (suspendre)').fill('Merci de joindre le procès-verbal de réception.');
    await claire.getByRole('button', { name: 'Suspendre', exact: true }).click();
    await claire.getByText(/Suspendue \(code 208\)/).first().waitFor();

    // Marie joins the document asked for, then completes: COMPLETEE.
    await marie.goto(`/structures/${supplierId}/factures-emises/${invoiceId}`);
    await marie.getByText(/Suspendue \(code 208\)/).first().waitFor();
    await marie.getByRole('heading', { name: 'Joindre les pièces demandées' }).waitFor();
    await marie.getByLabel('Fichiers à joindre').setInputFiles([{ name: 'pv-reception.pdf', mimeType: 'application/pdf', buffer: pdf('pv') }]);
    await marie.getByRole('button', { name: 'Joindre', exact: true }).click();
    await marie.getByText('Les pièces sont jointes à la facture.').waitFor();
    await marie.getByText(/pv-reception\.pdf \(pièce complémentaire\)/).waitFor();
    await marie.getByRole('button', { name: 'Compléter', exact: true }).click();
    await marie.getByText(/Complétée \(code 209\)/).first().waitFor();

    // Claire sets service fait, then mise en paiement.
    await claire.reload();
    await claire.getByRole('button', { name: 'Constater le service fait' }).click();
    await claire.getByText(/Service fait \(code 205\)/).first().waitFor();
    await claire.getByRole('button', { name: 'Mettre en paiement' }).click();
    await claire.getByText(/Mise en paiement \(code 211\)/).first().waitFor();

    // The path, as the supplier sees it: every step with its reform code, who and why, and the joined document.
    await marie.goto(`/structures/${supplierId}/factures-emises/${invoiceId}`);
    const rows = await marie.getByRole('table', { name: 'Parcours de la facture' }).locator('tbody tr').allInnerTexts();
    const steps = rows.map((r) => r.split('\t').slice(1, 3).join(' ').trim());
    assert.deepEqual(steps, [
      'Brouillon créé —', 'Pièce jointe : facture-situation-1.pdf —', 'Pièce jointe : bon-de-livraison.pdf —',
      'Déposée 200', "En cours d'acheminement 201", 'Mise à disposition 203', 'Suspendue 208', 'Pièce jointe : pv-reception.pdf —',
      'Complétée 209', 'Service fait 205', 'Mise en paiement 211',
    ]);
    assert.ok(rows[6].includes('Pièce justificative manquante') && rows[6].includes('Claire Bernard'));
    await marie.getByText(/Historique intègre : 11 événements/).waitFor();
    await marie.getByText(/Payée dans le délai/).waitFor();
    assert.deepEqual(s.pageErrors, []);
  });
});
