import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { cproClient, cproToken } from '../helpers/cpro.ts';
import { pdfText } from '../formats/pdf-inspect.ts';
import { createTechnicalAccount, setHabilitations } from '../../src/structures/index.ts';
import { createOAuthClient } from '../../src/cpro/index.ts';
import { createContract } from '../../src/contracts/index.ts';
import { createWorksContract } from '../../src/works/index.ts';
import { WORKED_EXAMPLE_INDEXES_MAY, WORKED_EXAMPLE_TERMS } from '../../src/demo/works-example.ts';

/**
 * The works operations of the Chorus-Pro-compatible API, replayed as an ERP sends them: the company's ERP
 * deposits its projet de décompte mensuel (soumettre A4), the MOE's ERP finds it (rechercher/demandePaiement,
 * roleUtilisateur MOE), consults it, takes it into account (traiter/recue) and deposits its état d'acompte as
 * the next piece (soumettre A15 + piecePrecedente), correcting an amount; the MOA's ERP validates (A19) and, as
 * the payer, downloads the piece's PDF. Error cases: declared amount, missing contract, month, duplicate,
 * refusal over an amount, a status out of reach, an outsider's technical account, the archive base.
 */
const TERMS = WORKED_EXAMPLE_TERMS;

describe('Chorus-compatible API: works invoices (A4, A15, A19)', () => {
  const clock = new TestClock(new Date('2026-03-31T08:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock, workers: false });
  });
  after(async () => app?.cleanup());

  /** An application and a technical account of the structure with the given spaces, as an ERP connects. */
  async function erp(gp: { userId: number }, structureId: number, spaces: string[]) {
    const actor = { userId: gp.userId, isTechnical: false };
    const tech = await createTechnicalAccount(app.ctx, actor, structureId, { label: 'ERP' });
    await setHabilitations(app.ctx, actor, structureId, tech.userId, { habilitations: [...spaces, 'RACCORDEMENT_API'].map((space) => ({ space, access: 'MODIFICATION' as const })) });
    const client = await createOAuthClient(app.ctx, actor, structureId, { label: 'ERP' });
    const t = await cproToken(app, client.clientId, client.clientSecret);
    assert.equal(t.status, 200, JSON.stringify(t.body));
    return cproClient(app, t.body.access_token, Buffer.from(`${tech.login}:${tech.password}`).toString('base64'));
  }
  const error = (r: { status: number; body: any }, codeRetour: number, libelle?: RegExp) => {
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.codeRetour, codeRetour, r.body.libelle);
    assert.deepEqual(Object.keys(r.body).sort(), ['codeRetour', 'libelle']);
    if (libelle) assert.match(r.body.libelle, libelle);
  };

  test('a month through the works operations, and their errors', async () => {
    const [buyerGp, companyGp, moeGp, outsiderGp] = await Promise.all(['Claire', 'Bruno', 'Agnès', 'Otto'].map((f) => newUser(app, { firstName: f })));
    const buyer = await newStructure(app, buyerGp, { name: 'OPH Villeneuve', kind: 'PUBLIQUE' });
    const company = await newStructure(app, companyGp, { name: 'BTP Durand' });
    const moe = await newStructure(app, moeGp, { name: 'Atelier Martin' });
    const outsider = await newStructure(app, outsiderGp, { name: 'Tiers' });
    const numeroMarche = `OPH-${buyer.structureId}`;
    const { contractId } = await createContract(app.ctx, buyerGp, { number: numeroMarche, subject: 'Lot gros œuvre', buyerSiret: buyer.siret, titulaireSiret: company.siret, ejNumbers: ['1000077001'] });
    await createWorksContract(app.ctx, buyerGp, { contractId, moeSiret: moe.siret, terms: TERMS, indexes: WORKED_EXAMPLE_INDEXES_MAY });
    let entreprise = await erp(companyGp, company.structureId, ['FACTURES_EMISES', 'FACTURES_TRAVAUX']);
    let moeErp = await erp(moeGp, moe.structureId, ['FACTURES_TRAVAUX']);
    let moa = await erp(buyerGp, buyer.structureId, ['FACTURES_TRAVAUX', 'FACTURES_RECUES']);
    const stranger = await erp(outsiderGp, outsider.structureId, ['FACTURES_EMISES', 'FACTURES_TRAVAUX']);

    // Reference lists.
    const types = await entreprise.post('transverses/v1/recuperer/typefacturetravaux', {});
    assert.equal(types.status, 200, JSON.stringify(types.body));
    assert.ok(types.body.listeTypeFactureTravaux.some((t: any) => t.typeFactureTravaux === 'PROJET_DECOMPTE_MENSUEL' && t.libelleTypeFactureTravaux === 'Projet de décompte mensuel'));
    assert.ok(types.body.listeTypeFactureTravaux.some((t: any) => t.typeFactureTravaux === 'ETAT_ACOMPTE_VALIDE'));
    const actives = await entreprise.post('transverses/v1/recuperer/structures/actives/facturetravaux', {});
    assert.deepEqual(actives.body.listeStructures.map((s: any) => s.idStructureCPP), [company.structureId]);

    // The company's projet de décompte mensuel (A4), as its ERP would send it.
    const a4Body = {
      modeDepot: 'SAISIE_API', dateFacture: '2026-03-31',
      fournisseur: { idFournisseur: company.structureId },
      cadreDeFacturation: { codeCadreFacturation: 'A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR' },
      references: { deviseFacture: 'EUR', typeFacture: 'FACTURE', numeroMarche },
      decompteTravaux: { mois: '2026-03', avancement: [{ numeroPrix: '01', avancementCumule: 50 }, { numeroPrix: '02', avancementCumule: '600' }] },
      montantTotal: { montantAPayer: 19600.43 },
    };
    error(await entreprise.post('factures/v1/soumettre', { ...a4Body, montantTotal: { montantAPayer: 19600.44 } }), 20100, /\[montantTotal\.montantAPayer\].*19600\.43/);
    error(await entreprise.post('factures/v1/soumettre', { ...a4Body, references: {} }), 20100, /\[references\.numeroMarche\]/);
    error(await entreprise.post('factures/v1/soumettre', { ...a4Body, references: { numeroMarche: 'INCONNU' } }), 20100, /Aucun marché de travaux « INCONNU »/);
    error(await entreprise.post('factures/v1/soumettre', { ...a4Body, decompteTravaux: { avancement: a4Body.decompteTravaux.avancement }, montantTotal: undefined }), 20100, /\[decompteTravaux\.mois\]/);
    error(await entreprise.post('factures/v1/soumettre', { ...a4Body, decompteTravaux: { mois: '2026-03', avancement: [{ numeroPrix: '01' }] } }), 20100, /\[decompteTravaux\.avancement\[0\]\]/);
    error(await moeErp.post('factures/v1/soumettre', { ...a4Body, fournisseur: {} }), 20001);
    error(await stranger.post('factures/v1/soumettre', a4Body), 20100, /Aucun marché de travaux/);
    const a4 = await entreprise.post('factures/v1/soumettre', a4Body);
    assert.equal(a4.status, 200, JSON.stringify(a4.body));
    assert.equal(a4.body.codeRetour, 0);
    assert.equal(a4.body.statutFacture, 'MISE_A_DISPOSITION_MOE');
    assert.deepEqual(a4.body.montantTotal, { montantHtTotal: 17193.36, montantTVA: 3438.67, montantTtcTotal: 20632.03, montantAPayer: 19600.43 });
    const a4Id = a4.body.identifiantFactureCPP;
    error(await entreprise.post('factures/v1/soumettre', a4Body), 20105, /déjà déposée pour 2026-03/);

    // The MOE's ERP finds it, consults it, cannot refuse it over an amount, takes it into account.
    error(await moeErp.post('factures/v1/rechercher/demandePaiement', { roleUtilisateur: 'MOE', dpOuDpArchive: 'DP_ARCHIVE' }), 20199, /DP_ARCHIVE/);
    error(await moeErp.post('factures/v1/rechercher/demandePaiement', { roleUtilisateur: 'ARCHITECTE' }), 20100, /\[roleUtilisateur\]/);
    const found = await moeErp.post('factures/v1/rechercher/demandePaiement', { roleUtilisateur: 'MOE', dpOuDpArchive: 'DEMANDE_PAIEMENT', statutCourant: ['MISE_A_DISPOSITION_MOE'], parametres: { nbResultatsParPage: 10 } });
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.equal(found.body.parametresRetour.total, 1);
    const item = found.body.listeFactures[0];
    assert.equal(item.idFacture, a4Id);
    assert.equal(item.cadreFacturation, 'A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR');
    assert.equal(item.typeFactureTravaux, 'PROJET_DECOMPTE_MENSUEL');
    assert.equal(item.numeroMarche, numeroMarche);
    assert.equal(item.montantAPayer, 19600.43);
    assert.equal(item.aTraiter, true);
    assert.equal(item.dateLimiteTraitement, '2026-04-07');
    assert.equal((await stranger.post('factures/v1/rechercher/demandePaiement', { roleUtilisateur: 'MOE' })).body.listeFactures.length, 0);
    assert.equal((await moa.post('factures/v1/rechercher/demandePaiement', { roleUtilisateur: 'MOA', statutCourant: ['MISE_A_DISPOSITION_MOE'] })).body.listeFactures.length, 1);

    const seen = await moeErp.post('factures/v1/consulter/recipiendaire', { idFacture: a4Id });
    assert.equal(seen.status, 200, JSON.stringify(seen.body));
    assert.equal(seen.body.statutFacture, 'MISE_A_DISPOSITION_MOE');
    assert.equal(seen.body.references.typeFactureTravaux, 'PROJET_DECOMPTE_MENSUEL');
    assert.equal(seen.body.decompteTravaux.mois, '2026-03');
    assert.equal(seen.body.decompteTravaux.ceMois.montantRevision, 153.36);
    assert.equal(seen.body.decompteTravaux.ceMois.retenueGarantie, 1031.6);
    assert.deepEqual(seen.body.decompteTravaux.avancement.map((l: any) => [l.numeroPrix, l.avancementCumule, l.montantCumuleHT]), [['01', 50, 6000], ['02', 600, 11040], ['03', 0, 0], ['04', 0, 0]]);
    assert.equal(seen.body.piecePrecedente, null);
    assert.equal(seen.body.pieceJointePrincipale.length, 1);
    error(await stranger.post('factures/v1/consulter/recipiendaire', { idFacture: a4Id }), 20000);

    error(await moeErp.post('factures/v1/traiter/recue', { idFacture: a4Id, nouveauStatut: 'REFUSEE_MOE', motif: 'MONTANT_ERRONE' }), 20100, /n'est pas un motif de refus/);
    error(await moeErp.post('factures/v1/traiter/recue', { idFacture: a4Id, nouveauStatut: 'REFUSEE_MOE' }), 20100, /\[motif\]/);
    error(await moeErp.post('factures/v1/traiter/recue', { idFacture: a4Id, nouveauStatut: 'PRISE_EN_COMPTE_MOA' }), 20105, /PRISE_EN_COMPTE_MOE/);
    error(await entreprise.post('factures/v1/traiter/recue', { idFacture: a4Id, nouveauStatut: 'PRISE_EN_COMPTE_MOE' }), 20105);
    error(await stranger.post('factures/v1/traiter/recue', { idFacture: a4Id, nouveauStatut: 'PRISE_EN_COMPTE_MOE' }), 20000);
    const taken = await moeErp.post('factures/v1/traiter/recue', { idFacture: a4Id, nouveauStatut: 'PRISE_EN_COMPTE_MOE' });
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.equal(taken.body.nouveauStatut, 'PRISE_EN_COMPTE_MOE');

    // « Déposer la pièce suivante »: the MOE's état d'acompte (A15) follows the projet as is.
    const next = (framework: string, previous: number, extra: object = {}) => ({ modeDepot: 'SAISIE_API', dateFacture: '2026-04-02', cadreDeFacturation: { codeCadreFacturation: framework }, piecePrecedente: { idFacture: previous }, ...extra });
    error(await stranger.post('factures/v1/soumettre', next('A15_ETAT_ACOMPTE_MOE', a4Id)), 20000);
    error(await moeErp.post('factures/v1/soumettre', next('A19_ETAT_ACOMPTE_VALIDE_MOA', a4Id)), 20001);
    const a15 = await moeErp.post('factures/v1/soumettre', next('A15_ETAT_ACOMPTE_MOE', a4Id, { montantTotal: { montantAPayer: '19600.43' } }));
    assert.equal(a15.status, 200, JSON.stringify(a15.body));
    assert.equal(a15.body.statutFacture, 'MISE_A_DISPOSITION_MOA');
    assert.deepEqual(a15.body.piecePrecedente, { idFacture: a4Id });
    error(await moeErp.post('factures/v1/soumettre', next('A15_ETAT_ACOMPTE_MOE', a4Id)), 20105, /ne peut plus être suivie/);
    const chained = await entreprise.post('factures/v1/consulter/fournisseur', { identifiantFactureCPP: a4Id });
    assert.equal(chained.status, 200, JSON.stringify(chained.body));
    assert.equal(chained.body.statutFacture, 'ASSOCIEE');
    assert.deepEqual(chained.body.pieceSuivante, { idFacture: a15.body.identifiantFactureCPP });
    assert.equal(chained.body.references.typeFactureTravaux, 'PROJET_DECOMPTE_MENSUEL');
    assert.equal(chained.body.references.numeroMarche, numeroMarche);

    // The MOA takes it into account and validates it (A19): the payer receives it with its PDF.
    const a15Id = a15.body.identifiantFactureCPP;
    assert.equal((await moa.post('factures/v1/traiter/recue', { idFacture: a15Id, nouveauStatut: 'PRISE_EN_COMPTE_MOA' })).body.nouveauStatut, 'PRISE_EN_COMPTE_MOA');
    const a19 = await moa.post('factures/v1/soumettre', next('A19_ETAT_ACOMPTE_VALIDE_MOA', a15Id));
    assert.equal(a19.status, 200, JSON.stringify(a19.body));
    assert.equal(a19.body.statutFacture, 'MISE_A_DISPOSITION');
    const a19Id = a19.body.identifiantFactureCPP;
    const received = await moa.post('factures/v1/rechercher/demandePaiement', { roleUtilisateur: 'DESTINATAIRE' });
    assert.deepEqual(received.body.listeFactures.map((f: any) => f.idFacture), [a19Id]);
    const asPayer = await moa.post('factures/v1/consulter/recipiendaire', { idFacture: a19Id });
    assert.equal(asPayer.status, 200, JSON.stringify(asPayer.body));
    assert.equal(asPayer.body.montantTotal.montantAPayer, 19600.43);
    assert.deepEqual(asPayer.body.piecePrecedente, { idFacture: a15Id });
    assert.equal(asPayer.body.references.typeFactureTravaux, 'ETAT_ACOMPTE_VALIDE');
    const pdf = await moa.post('factures/v1/telecharger/groupe', { listeFacture: [{ idFacture: a19Id }], format: 'PDF' });
    assert.equal(pdf.status, 200, JSON.stringify(pdf.body));
    const text = (await pdfText(Buffer.from(pdf.body.fichierResultat, 'base64'))).join(' ').replace(/[\s\u00a0\u202f]+/g, ' ');
    assert.match(text, /État d'acompte validé — mars 2026/);
    assert.match(text, /Montant à payer : 19 600,43 €/);
    // The payer processes it as any invoice (traiter/recue, standard statuses).
    assert.equal((await moa.post('factures/v1/traiter/recue', { idFacture: a19Id, nouveauStatut: 'SERVICE_FAIT' })).body.codeRetour, 0);

    // Month 2: the MOE corrects the façade and applies a penalty; the differences come back line by line.
    clock.advanceDays(30);
    // A month later the tokens have expired: the ERPs connect again.
    entreprise = await erp(companyGp, company.structureId, ['FACTURES_EMISES', 'FACTURES_TRAVAUX']);
    moeErp = await erp(moeGp, moe.structureId, ['FACTURES_TRAVAUX']);
    moa = await erp(buyerGp, buyer.structureId, ['FACTURES_TRAVAUX', 'FACTURES_RECUES']);
    const m2 = await entreprise.post('factures/v1/soumettre', {
      ...a4Body, dateFacture: '2026-04-30', montantTotal: { montantAPayer: 44968.69 },
      decompteTravaux: { mois: '2026-04', avancement: { '01': 100, '02': 850, '03': 80, '04': 20 } },
    });
    assert.equal(m2.status, 200, JSON.stringify(m2.body));
    const m2e = await moeErp.post('factures/v1/soumettre', next('A15_ETAT_ACOMPTE_MOE', m2.body.identifiantFactureCPP, {
      decompteTravaux: { avancement: { '01': 100, '02': 850, '03': 80, '04': 10 }, penalites: [{ libelle: 'Retard de remise des plans', montant: 200 }] },
    }));
    assert.equal(m2e.status, 200, JSON.stringify(m2e.body));
    const corrected = await moa.post('factures/v1/consulter/recipiendaire', { idFacture: m2e.body.identifiantFactureCPP });
    assert.deepEqual(corrected.body.decompteTravaux.ecarts.map((l: any) => [l.numeroPrix, l.montantPrecedentHT, l.montantRetenuHT, l.ecartHT]), [['04', 8700, 4350, -4350]]);
    assert.deepEqual(corrected.body.decompteTravaux.penalites, [{ libelle: 'Retard de remise des plans', montant: 200 }]);
    assert.equal(corrected.body.decompteTravaux.ceMois.penalites, 200);
  });
});
