import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { apiSession } from '../helpers/structure-members.ts';
import { cproClient, cproToken } from '../helpers/cpro.ts';
import { createTechnicalAccount, setHabilitations } from '../../src/structures/index.ts';
import { createOAuthClient } from '../../src/cpro/index.ts';

/**
 * The validator operations of the Chorus-Pro-compatible API over the A9 circuit: the titulaire's ERP searches,
 * consults, refuses with a reason of the reference list and accepts; the subcontractor's ERP sees the refusal and
 * corrects the validator; an outsider's technical account gets an error.
 */
describe('Chorus-compatible API: validator of subcontractors’ invoices (A9)', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  /** An application and a technical account of the structure, as an ERP connects (with « Factures à valider » if asked). */
  async function erp(gp: { userId: number }, structureId: number, validates = false) {
    const actor = { userId: gp.userId, isTechnical: false };
    const tech = await createTechnicalAccount(app.ctx, actor, structureId, { label: 'ERP' });
    if (validates)
      await setHabilitations(app.ctx, actor, structureId, tech.userId, {
        habilitations: [{ space: 'FACTURES_EMISES', access: 'MODIFICATION' }, { space: 'FACTURES_A_VALIDER', access: 'MODIFICATION' }, { space: 'RACCORDEMENT_API', access: 'MODIFICATION' }],
      });
    const client = await createOAuthClient(app.ctx, actor, structureId, { label: 'ERP' });
    const t = await cproToken(app, client.clientId, client.clientSecret);
    assert.equal(t.status, 200, JSON.stringify(t.body));
    return cproClient(app, t.body.access_token, Buffer.from(`${tech.login}:${tech.password}`).toString('base64'));
  }

  test('search, consult, refuse with a reason, accept, correct the validator; an outsider is refused', async () => {
    const [buyerGp, mandGp, subGp, outsiderGp] = await Promise.all(['Claire', 'Marie', 'Karim', 'Otto'].map((n) => newUser(app, { firstName: n })));
    const buyer = await newStructure(app, buyerGp, { name: 'Commune', kind: 'PUBLIQUE' });
    const mand = await newStructure(app, mandGp, { name: 'BTP Titulaire' });
    const sub = await newStructure(app, subGp, { name: 'Électricité Sous-traitante' });
    const outsider = await newStructure(app, outsiderGp, { name: 'Tiers' });
    const api = { buyer: await apiSession(app, buyerGp.email), sub: await apiSession(app, subGp.email) };
    const contractNumber = `MARCHE-${buyer.structureId}`;
    const contract = await api.buyer.post('/contracts', {
      number: contractNumber, subject: 'Groupe scolaire', buyerSiret: buyer.siret, titulaireSiret: mand.siret,
      subcontractors: [{ siret: sub.siret, directPayment: true, acceptedAmount: '5000.00', subcontractedBySiret: mand.siret }],
    });
    assert.equal(contract.status, 201, JSON.stringify(contract.body));
    const validator = await erp(mandGp, mand.structureId, true);
    const supplier = await erp(subGp, sub.structureId);
    const stranger = await erp(outsiderGp, outsider.structureId, true);

    // Three A9 invoices deposited by the subcontractor's ERP, naming the titulaire as validator.
    const ids: number[] = [];
    for (const [i, amount] of [100, 200, 300].entries()) {
      const r = await supplier.post('factures/v1/soumettre', {
        modeDepot: 'SAISIE_API', numeroFactureSaisi: `VAL-${i + 1}`, dateFacture: '2026-11-27',
        destinataire: { codeDestinataire: buyer.siret }, fournisseur: { idFournisseur: sub.structureId },
        cadreDeFacturation: { codeCadreFacturation: 'A9_FACTURE_SOUSTRAITANT', codeStructureValideur: mand.siret },
        references: { deviseFacture: 'EUR', typeFacture: 'FACTURE', numeroMarche: contractNumber },
        lignePoste: [{ lignePosteDenomination: 'Travaux', lignePosteQuantite: 1, lignePosteMontantUnitaireHT: amount, lignePosteTauxTva: 'TVA20' }],
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      ids.push(r.body.identifiantFactureCPP);
    }
    const [refused, accepted, corrected] = ids as [number, number, number];
    const statusOf = async (id: number) => (await supplier.post('factures/v1/consulter/fournisseur', { identifiantFactureCPP: id })).body.statutFacture;
    for (const id of ids) {
      for (let i = 0; i < 100 && (await statusOf(id)) !== 'A_VALIDER_1'; i++) await new Promise((res) => setTimeout(res, 100));
      assert.equal(await statusOf(id), 'A_VALIDER_1');
    }

    // The reference lists.
    const motifs = await validator.post('transverses/v1/recuperer/motifs/refus/Facture/AValider', { codeCadreFacturationAValider: 'A9_FACTURE_SOUSTRAITANT' });
    assert.equal(motifs.status, 200, JSON.stringify(motifs.body));
    assert.deepEqual(motifs.body.listeMotifRefusFactureAValider[0], { idMotif: 1, codeMotif: 'PRESTATIONS_NON_REALISEES', libelleMotif: 'Prestations non réalisées ou non conformes' });
    assert.equal((await validator.post('transverses/v1/recuperer/motifs/refus/Facture/AValider', { codeCadreFacturationAValider: 'A1_FACTURE_FOURNISSEUR' })).status, 400);
    const visibles = await validator.post('factures/v1/recuperer/statutsFactureVisibles/valideur', {});
    assert.equal(visibles.status, 200);
    const visible = visibles.body.listeStatutsFactureVisibles.map((s: any) => s.statutFacture);
    assert.ok(visible.includes('A_VALIDER_1') && visible.includes('REFUSEE_1') && !visible.includes('BROUILLON'));

    // Search: the three invoices wait for the titulaire, 15 days left.
    const list = await validator.post('factures/v1/rechercher/valideur', { statutCourant: ['A_VALIDER_1'] });
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.equal(list.body.codeRetour, 0);
    assert.deepEqual(list.body.listeFactures.map((f: any) => f.idFacture).sort(), [...ids].sort());
    const row = list.body.listeFactures.find((f: any) => f.idFacture === refused);
    assert.equal(row.numeroFacture, 'VAL-1');
    assert.equal(row.cadreFacturation, 'A9_FACTURE_SOUSTRAITANT');
    assert.equal(row.codeFournisseur, sub.siret);
    assert.equal(row.montantHT, 100);
    assert.equal(row.montantTTC, 120);
    assert.equal(row.numeroMarche, contractNumber);
    assert.equal(row.niveauValidation, 1);
    assert.equal(row.nbJoursRestants, 15);
    assert.equal(row.aTraiter, true);

    // Consult.
    const c = await validator.post('factures/v1/consulter/valideur', { idFacture: refused });
    assert.equal(c.status, 200, JSON.stringify(c.body));
    assert.equal(c.body.statutFacture, 'A_VALIDER_1');
    assert.equal(c.body.cadreDeFacturation.codeValideur1, mand.siret);
    assert.equal(c.body.references.numeroMarche, contractNumber);
    assert.equal(c.body.montantTotal.montantTtcTotal, 120);
    assert.deepEqual(c.body.validation.actionsPossibles, ['VALIDATION', 'REFUS', 'ERREUR_VALIDEUR']);

    // Refuse: an unknown reason is refused, a reason of the list (by its idMotif) is taken.
    const bad = await validator.post('factures/v1/traiter/factureAValider', { idFacture: refused, action: 'REFUS', motifRefus: 'N_IMPORTE_QUOI' });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    const badAction = await validator.post('factures/v1/traiter/factureAValider', { idFacture: refused, action: 'MISE_EN_PAIEMENT' });
    assert.equal(badAction.status, 400);
    assert.match(badAction.body.libelle, /\[action\]/);
    const refusal = await validator.post('factures/v1/traiter/factureAValider', { idFacture: refused, action: 'REFUS', motifRefus: 1, commentaire: 'Lot 3 non terminé' });
    assert.equal(refusal.status, 200, JSON.stringify(refusal.body));
    assert.equal(refusal.body.nouveauStatut, 'REFUSEE_1');
    assert.equal(refusal.body.numeroFacture, 'VAL-1');
    // The supplier sees the refusal and its reason.
    assert.equal(await statusOf(refused), 'REFUSEE_1');
    const h = await supplier.post('factures/v1/consulter/historique', { idFacture: refused });
    assert.equal(h.status, 200);
    const last = h.body.historiquesDesStatuts.histoStatut.find((s: any) => s.histoStatutCode === 'REFUSEE_1');
    assert.match(last.histoStatutCommentaire, /Prestations non réalisées ou non conformes — Lot 3 non terminé/);
    const after = await validator.post('factures/v1/consulter/valideur', { idFacture: refused });
    assert.deepEqual(after.body.validation.decisions.map((d: any) => [d.decision, d.motifRefus]), [['REFUSEE', 'PRESTATIONS_NON_REALISEES']]);

    // Accept: the invoice goes on to the buyer.
    const ok = await validator.post('factures/v1/traiter/factureAValider', { idFacture: accepted, action: 'VALIDATION' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.nouveauStatut, 'VALIDEE_1');
    let reached = '';
    for (let i = 0; i < 100 && reached !== 'MISE_A_DISPOSITION'; i++) {
      reached = (await api.buyer.get(`/invoices/${accepted}`)).body?.status;
      if (reached !== 'MISE_A_DISPOSITION') await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(reached, 'MISE_A_DISPOSITION');
    assert.equal((await validator.post('factures/v1/traiter/factureAValider', { idFacture: accepted, action: 'VALIDATION' })).status, 400, 'already decided');

    // The supplier corrects the validator: a structure the contract does not designate is refused, naming the field; the titulaire is taken.
    const wrong = await supplier.post('factures/v1/corriger/valideur/facture', { idFacture: corrected, cadreDeFacturation: { codeStructureValideur: outsider.siret } });
    assert.equal(wrong.status, 400, JSON.stringify(wrong.body));
    assert.match(wrong.body.libelle, /cadreDeFacturation\.codeStructureValideur/);
    const fix = await supplier.post('factures/v1/corriger/valideur/facture', { idFacture: corrected, cadreDeFacturation: { codeStructureValideur: mand.siret }, commentaire: 'Valideur confirmé' });
    assert.equal(fix.status, 200, JSON.stringify(fix.body));
    assert.equal(fix.body.statutFacture, 'A_VALIDER_1');
    const hc = await supplier.post('factures/v1/consulter/historique', { idFacture: corrected });
    assert.equal(hc.body.derniereAction.derniereActionCode, 'CORRIGER_VALIDEUR');
    // Only the supplier corrects: the validator cannot.
    assert.notEqual((await validator.post('factures/v1/corriger/valideur/facture', { idFacture: corrected, cadreDeFacturation: { codeStructureValideur: mand.siret } })).status, 200);

    // An outsider's technical account: nothing to validate, no access to the invoice, no decision.
    const strangerList = await stranger.post('factures/v1/rechercher/valideur', {});
    assert.equal(strangerList.status, 200);
    assert.deepEqual(strangerList.body.listeFactures, []);
    const sc = await stranger.post('factures/v1/consulter/valideur', { idFacture: corrected });
    assert.notEqual(sc.status, 200);
    assert.notEqual(sc.body.codeRetour, 0);
    const sd = await stranger.post('factures/v1/traiter/factureAValider', { idFacture: corrected, action: 'VALIDATION' });
    assert.notEqual(sd.status, 200);
    assert.notEqual(sd.body.codeRetour, 0);
    assert.equal(await statusOf(corrected), 'A_VALIDER_1');
    // The supplier's own ERP (no « Factures à valider » of its own for this invoice) cannot decide either.
    assert.notEqual((await supplier.post('factures/v1/traiter/factureAValider', { idFacture: corrected, action: 'VALIDATION' })).status, 200);
  });
});
