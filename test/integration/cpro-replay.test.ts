import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { sandbox } from '../helpers/cpro.ts';
import { invoiceConsultation, invoiceConsultations } from '../../src/invoices/repository.ts';
import { membershipRows } from '../../src/structures/index.ts';

/**
 * Replays request bodies shaped as the public Chorus Pro clients send them (go-choruspro, Odoo's
 * l10n_fr_chorus, PHP/C# clients: field names, nesting, numbers as JSON numbers, base64 files, enumerations)
 * and checks the answers field by field, including the error cases.
 */
describe('Chorus-compatible API: replay of public clients', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let sb: Awaited<ReturnType<typeof sandbox>>;
  let supplier: Awaited<ReturnType<typeof sb.as>>;
  let libre: Awaited<ReturnType<typeof sb.as>>;
  before(async () => {
    app = await startTestApp({ clock });
    sb = await sandbox(app);
    supplier = await sb.as('fournisseur');
    libre = await sb.as('destinataire:sansParametre');
  });
  after(async () => app?.cleanup());

  let counter = 0;
  /** A soumettre body as go-choruspro's SoumettreFactureOptions marshals it. */
  const soumettreBody = (over: { destinataire?: object; references?: object; numero?: string; cadre?: object } = {}) => ({
    modeDepot: 'SAISIE_API',
    numeroFactureSaisi: over.numero ?? `REPLAY-${String(++counter).padStart(4, '0')}`,
    dateFacture: '2026-11-27',
    idUtilisateurCourant: 0,
    destinataire: over.destinataire ?? { codeDestinataire: '12345678200051' },
    fournisseur: { idFournisseur: sb.structure('fournisseur').idStructureCPP },
    cadreDeFacturation: over.cadre ?? { codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' },
    references: { deviseFacture: 'EUR', typeFacture: 'FACTURE', typeTva: 'TVA_SUR_DEBIT', modePaiement: 'VIREMENT', ...(over.references ?? {}) },
    lignePoste: [
      { lignePosteNumero: 1, lignePosteReference: 'REF-1', lignePosteDenomination: 'Maintenance', lignePosteQuantite: 3, lignePosteUnite: 'heure', lignePosteMontantUnitaireHT: 120.5, lignePosteTauxTva: 'TVA20' },
      { lignePosteNumero: 2, lignePosteDenomination: 'Fournitures', lignePosteQuantite: 2, lignePosteMontantUnitaireHT: 10, lignePosteMontantRemiseHT: 1.5, lignePosteTauxTvaManuel: 5.5 },
    ],
    ligneTva: [{ ligneTvaTaux: 'TVA20', ligneTvaMontantBaseHtParTaux: 361.5, ligneTvaMontantTvaParTaux: 72.3 }],
    montantTotal: { montantHtTotal: 380, montantTVA: 73.32, montantTtcTotal: 453.32, montantAPayer: 453.32 },
    commentaire: 'Facture déposée par le test de rejeu',
  });

  async function waitStatus(id: number, status: string, as = supplier) {
    for (let i = 0; i < 100; i++) {
      const r = await as.post('factures/v1/consulter/fournisseur', { identifiantFactureCPP: id });
      if (r.body?.statutFacture === status) return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`invoice ${id} never reached ${status}`);
  }

  test('soumettre (SAISIE_API): the answer of go-choruspro’s SoumettreFactureResponse, field by field', async () => {
    const r = await supplier.post('factures/v1/soumettre', soumettreBody({ numero: 'REPLAY-OK-1' }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.codeRetour, 0);
    assert.equal(r.body.libelle, 'TRA_MSG_00.000');
    assert.equal(typeof r.body.identifiantFactureCPP, 'number');
    assert.equal(r.body.numeroFacture, 'REPLAY-OK-1');
    assert.equal(r.body.dateDepot, '2026-11-28');
    assert.equal(r.body.statutFacture, 'DEPOSEE');
    assert.equal(r.body.identifiantStructure, '90100001800019');
    assert.match(r.body.empreinteCertificatDepot, /^[0-9a-f]{64}$/);
    const c = await waitStatus(r.body.identifiantFactureCPP, 'MISE_A_DISPOSITION');
    assert.equal(c.montantTotal.montantHtTotal, 380);
    assert.equal(c.montantTotal.montantTVA, 73.32);
    assert.equal(c.montantTotal.montantTtcTotal, 453.32);
    assert.equal(c.lignesDePoste[0].lignePosteTauxTva, 'TVA20');
    assert.equal(c.lignesDePoste[1].lignePosteMontantHtApresRemise, 18.5);
    assert.equal(c.destinataire.codeDestinataire, '12345678200051');
    assert.equal(c.cadreDeFacturation.codeCadreFacturation, 'A1_FACTURE_FOURNISSEUR');
    assert.equal(c.empreinteCertificatDepot, r.body.empreinteCertificatDepot);
  });

  test('error cases answer HTTP 400 {codeRetour, libelle} naming the Chorus field', async () => {
    const unknown = await supplier.post('factures/v1/soumettre', soumettreBody({ destinataire: { codeDestinataire: '99999999999999' } }));
    assert.equal(unknown.status, 400);
    assert.deepEqual(Object.keys(unknown.body).sort(), ['codeRetour', 'libelle']);
    assert.equal(unknown.body.codeRetour, 20101);
    assert.match(unknown.body.libelle, /\[destinataire\.codeDestinataire\] Aucune structure de SIRET 99999999999999/);

    const noService = await supplier.post('factures/v1/soumettre', soumettreBody({ destinataire: { codeDestinataire: '12345678200028' } }));
    assert.equal(noService.status, 400);
    assert.equal(noService.body.codeRetour, 20102);
    assert.match(noService.body.libelle, /\[destinataire\.codeServiceExecutant\] Code service : .* exige un code service/);

    const noEj = await supplier.post('factures/v1/soumettre', soumettreBody({ destinataire: { codeDestinataire: '12345678200036' } }));
    assert.equal(noEj.status, 400);
    assert.equal(noEj.body.codeRetour, 20103);
    assert.match(noEj.body.libelle, /\[references\.numeroBonCommande\] Numéro d'engagement : .* exige un numéro d'engagement juridique/);

    const unknownEj = await supplier.post('factures/v1/soumettre', soumettreBody({ destinataire: { codeDestinataire: '12345678200036' }, references: { numeroBonCommande: '0000000000' } }));
    assert.equal(unknownEj.body.codeRetour, 20103);
    assert.match(unknownEj.body.libelle, /n'existe pas dans le registre/);
    const goodEj = await supplier.post('factures/v1/soumettre', soumettreBody({ destinataire: { codeDestinataire: '12345678200036' }, references: { numeroBonCommande: '0000048295' } }));
    assert.equal(goodEj.body.codeRetour, 0, JSON.stringify(goodEj.body));

    const eitherOk = await supplier.post('factures/v1/soumettre', soumettreBody({ destinataire: { codeDestinataire: '12345678200044', codeServiceExecutant: 'SERVICE_DEST_EJ_OU_SERV_OBL' } }));
    assert.equal(eitherOk.body.codeRetour, 0, JSON.stringify(eitherOk.body));
    const eitherMissing = await supplier.post('factures/v1/soumettre', soumettreBody({ destinataire: { codeDestinataire: '12345678200044' } }));
    assert.equal(eitherMissing.body.codeRetour, 20103);

    const dup = await supplier.post('factures/v1/soumettre', soumettreBody({ numero: 'REPLAY-OK-1' }));
    assert.equal(dup.status, 400);
    assert.equal(dup.body.codeRetour, 20104);
    assert.match(dup.body.libelle, /\[numeroFactureSaisi\] Le numéro de facture « REPLAY-OK-1 » est déjà utilisé/);

    const badTotal = await supplier.post('factures/v1/soumettre', { ...soumettreBody({ numero: 'REPLAY-TOTAL' }), montantTotal: { montantHtTotal: 380, montantTVA: 73.32, montantTtcTotal: 999 } });
    assert.equal(badTotal.body.codeRetour, 20100);
    assert.match(badTotal.body.libelle, /\[montantTotal\.montantTtcTotal\] Montant total TTC déclaré \(999\) différent du montant calculé à partir des lignes \(453\.32\)/);
    // A refused soumettre leaves nothing behind: the same number is free again.
    const again = await supplier.post('factures/v1/soumettre', soumettreBody({ numero: 'REPLAY-TOTAL' }));
    assert.equal(again.body.codeRetour, 0);

    const badLine = await supplier.post('factures/v1/soumettre', { ...soumettreBody(), lignePoste: [{ lignePosteDenomination: 'X', lignePosteQuantite: -1, lignePosteMontantUnitaireHT: 1, lignePosteTauxTva: 'TVA20' }] });
    assert.equal(badLine.body.codeRetour, 20100);
    assert.match(badLine.body.libelle, /\[lignePoste\[0\]\.lignePosteQuantite\] Ligne 1 : la quantité/);

    const a9 = await supplier.post('factures/v1/soumettre', soumettreBody({ cadre: { codeCadreFacturation: 'A9_FACTURE_SOUSTRAITANT', codeStructureValideur: '90200002500012' } }));
    assert.equal(a9.status, 400);
    assert.equal(a9.body.codeRetour, 20100);
    assert.match(a9.body.libelle, /\[references\.numeroMarche\] Le numéro du marché est obligatoire/);
    // A works piece needs its works contract (the works operations: test/integration/cpro-works.test.ts); A21 is not public procurement.
    const works = await supplier.post('factures/v1/soumettre', soumettreBody({ cadre: { codeCadreFacturation: 'A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR' } }));
    assert.equal(works.status, 400);
    assert.equal(works.body.codeRetour, 20100);
    assert.match(works.body.libelle, /\[references\.numeroMarche\] Le numéro du marché de travaux est obligatoire/);
    const tic = await supplier.post('factures/v1/soumettre', soumettreBody({ cadre: { codeCadreFacturation: 'A21_DEMANDE_REMBOURSEMENT_TIC' } }));
    assert.equal(tic.body.codeRetour, 20199);
    assert.match(tic.body.libelle, /non disponible/);

    const mode = await supplier.post('factures/v1/soumettre', { ...soumettreBody(), modeDepot: 'SAISIE_WEB' });
    assert.equal(mode.body.codeRetour, 20100);
    assert.match(mode.body.libelle, /\[modeDepot\]/);
  });

  test('deposer/pdf then soumettre DEPOT_PDF_API; telecharger/groupe returns the PDF', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const dep = await supplier.post('factures/v1/deposer/pdf', { fichierFacture: pdf.toString('base64'), formatDepot: 'PDF_NON_SIGNE', nomFichier: 'facture-pdf-001.pdf' });
    assert.equal(dep.status, 200, JSON.stringify(dep.body));
    assert.equal(dep.body.codeRetour, 0);
    assert.equal(typeof dep.body.pieceJointeId, 'number');
    assert.equal(dep.body.numeroFacture, null, 'no OCR: a plain PDF gives no header');
    const r = await supplier.post('factures/v1/soumettre', {
      modeDepot: 'DEPOT_PDF_API', numeroFactureSaisi: 'PDF-001', dateFacture: '2026-11-20', destinataire: { codeDestinataire: '12345678200051' },
      fournisseur: { idFournisseur: sb.structure('fournisseur').idStructureCPP }, cadreDeFacturation: { codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' },
      references: { deviseFacture: 'EUR', typeFacture: 'FACTURE' }, montantTotal: { montantHtTotal: 100, montantTVA: 20, montantTtcTotal: 120, montantAPayer: 120 },
      pieceJointePrincipale: [{ pieceJointePrincipaleDesignation: 'Facture', pieceJointePrincipaleId: dep.body.pieceJointeId }],
    });
    assert.equal(r.body.codeRetour, 0, JSON.stringify(r.body));
    await waitStatus(r.body.identifiantFactureCPP, 'MISE_A_DISPOSITION');
    const g = await supplier.post('factures/v1/telecharger/groupe', { listeFacture: [{ idFacture: r.body.identifiantFactureCPP }], format: 'PDF', avecPiecesJointesComplementaires: false });
    assert.equal(g.body.codeRetour, 0);
    assert.deepEqual(Buffer.from(g.body.fichierResultat, 'base64'), pdf);
    const pivot = await supplier.post('factures/v1/telecharger/groupe', { listeFacture: [{ idFacture: r.body.identifiantFactureCPP }], format: 'PIVOT' });
    assert.equal(pivot.body.codeRetour, 20199);
    const pj = await supplier.post('transverses/v1/telecharger/pieceJointe', { objetPieceJointe: 'DEMANDE_PAIEMENT', demandePaiement: { avecPiecesJointesComplementaires: 'NON', format: 'PDF', listeFacture: [{ idFacture: r.body.identifiantFactureCPP }] } });
    assert.equal(pj.body.codeRetour, 0);
    assert.deepEqual(Buffer.from(pj.body.pieceJointe, 'base64'), pdf);
    // The recipient sees it too; an unknown pieceJointeId is named.
    const missing = await supplier.post('factures/v1/soumettre', { modeDepot: 'DEPOT_PDF_API', numeroFactureSaisi: 'PDF-002', dateFacture: '2026-11-20', destinataire: { codeDestinataire: '12345678200051' }, montantTotal: { montantHtTotal: 1, montantTVA: 0, montantTtcTotal: 1 }, pieceJointePrincipale: [{ pieceJointePrincipaleId: 999999 }] });
    assert.equal(missing.body.codeRetour, 20106);
    assert.match(missing.body.libelle, /\[pieceJointePrincipale\.pieceJointePrincipaleId\]/);
  });

  test('consultations arriving together (read together when the server is busy) answer each what it answers alone', async () => {
    const ids: number[] = [];
    for (let k = 0; k < 6; k++) {
      const r = await supplier.post('factures/v1/soumettre', soumettreBody({ numero: `REPLAY-TOGETHER-${k}` }));
      assert.equal(r.body.codeRetour, 0, JSON.stringify(r.body));
      ids.push(r.body.identifiantFactureCPP);
    }
    for (const id of ids) await waitStatus(id, 'MISE_A_DISPOSITION');
    // Each reader, each side, each invoice and one that does not exist: accepted and refused consultations.
    const calls = [...ids, 987654321].flatMap((id) => [
      () => supplier.post('factures/v1/consulter/fournisseur', { identifiantFactureCPP: id }),
      () => supplier.post('factures/v1/consulter/recipiendaire', { idFacture: id }),
      () => libre.post('factures/v1/consulter/recipiendaire', { idFacture: id }),
      () => libre.post('factures/v1/consulter/fournisseur', { identifiantFactureCPP: id }),
    ]);
    const alone: unknown[] = [];
    for (const call of calls) alone.push((await call()).body);
    assert.equal(alone.filter((b: any) => b.codeRetour === 0).length, 12);
    // Three rounds at once, shuffled: far more than the four statements that run at once, so most wait and go together.
    const order = [...calls.keys(), ...calls.keys(), ...calls.keys()].sort((a, b) => ((a * 7919 + b) % 13) - ((b * 7919 + a) % 13));
    const together = await Promise.all(order.map((k) => calls[k]!()));
    together.forEach((r, n) => assert.deepEqual(r.body, alone[order[n]!], `call ${order[n]}`));
    // The statement of several (which the embedded database, answering at once, seldom needs): the rows of the
    // statement of one, in the list's order, repeats kept, unknown ids left out.
    const db = app.ctx.db;
    const list = [ids[2]!, 987654321, ids[0]!, ids[2]!, ids[5]!];
    const several = await invoiceConsultations(db, JSON.stringify(list), membershipRows(db, 0, 0)).execute(db);
    const one = async (id: number) => invoiceConsultation(db, id, membershipRows(db, 0, 0)).executeTakeFirstOrThrow();
    assert.deepEqual(several.rows, [await one(ids[2]!), await one(ids[0]!), await one(ids[2]!), await one(ids[5]!)]);
  });

  test('searches arriving together (read together when the server is busy) answer each what it answers alone', async () => {
    const sent = (criteria: object, page: object) => () => supplier.post('factures/v1/rechercher/fournisseur', { ...criteria, rechercheFactureParFournisseur: page });
    const received = (criteria: object, page: object) => () => libre.post('factures/v1/rechercher/recipiendaire', { ...criteria, paramRecherche: page });
    const calls = [
      ...[1, 2, 3, 4].map((p) => sent({}, { pageResultatDemandee: p, nbResultatsParPage: 2 })),
      sent({ numeroFacture: 'REPLAY-TOGETHER' }, { nbResultatsParPage: 3 }),
      sent({ numeroFacture: "REPLAY-TOGETHER-1'" }, { nbResultatsParPage: 3 }),
      sent({ periodeDateFactureDu: '2026-11-27', montantTTCMin: 100.5 }, { nbResultatsParPage: 4 }),
      sent({ periodeDateFactureDu: '2026-11-28' }, { nbResultatsParPage: 4 }),
      // Every other criterion that goes in the JSON of a statement of several: each value must be cast back to its column's type.
      sent({ periodeDateFactureAu: '2026-11-30', montantTTCMax: 10000, periodeDateDepotDu: '2026-11-01', periodeDateDepotAu: '2026-11-30', typeFacture: 'FACTURE', idServiceExecutant: 1, rejetTraite: false }, { nbResultatsParPage: 4 }),
      sent({ periodeDateFactureAu: '2026-11-29', montantTTCMax: 500.5, periodeDateDepotDu: '2026-11-28', periodeDateDepotAu: '2026-11-28', typeFacture: 'FACTURE', idServiceExecutant: 2, rejetTraite: true }, { nbResultatsParPage: 4 }),
      sent({ statutCourant: ['MISE_A_DISPOSITION', 'DEPOSEE'] }, { nbResultatsParPage: 5 }),
      sent({}, { nbResultatsParPage: 3, triColonne: 'numeroFacture', triSens: 'Ascendant' }),
      ...[1, 2].map((p) => received({}, { pageResultatDemandee: p, nbResultatsParPage: 3 })),
      received({ periodeDateFactureAu: '2026-11-26' }, { nbResultatsParPage: 3 }),
      () => libre.post('factures/v1/rechercher/fournisseur', { rechercheFactureParFournisseur: { nbResultatsParPage: 3 } }),
    ];
    const alone: unknown[] = [];
    for (const call of calls) alone.push((await call()).body);
    assert.ok(alone.every((b: any) => b.codeRetour === 0), JSON.stringify(alone.find((b: any) => b.codeRetour !== 0)));
    assert.ok((alone[0] as any).listeFactures.length === 2 && (alone[4] as any).listeFactures.length >= 3);
    assert.ok((alone[7] as any).listeFactures.every((f: any) => f.dateFacture >= '2026-11-28'));
    const order = [...calls.keys(), ...calls.keys(), ...calls.keys(), ...calls.keys()].sort((a, b) => ((a * 7919 + b) % 11) - ((b * 7919 + a) % 11));
    const together = await Promise.all(order.map((k) => calls[k]!()));
    together.forEach((r, n) => assert.deepEqual(r.body, alone[order[n]!], `call ${order[n]}`));
  });

  test('ajouter/fichier: pieceJointeId, extension rules, 20003 over 10 MB', async () => {
    const ok = await supplier.post('transverses/v1/ajouter/fichier', { pieceJointeFichier: Buffer.from('bon de livraison').toString('base64'), pieceJointeNom: 'bl-42', pieceJointeTypeMime: 'text/plain', pieceJointeExtension: 'TXT' });
    assert.equal(ok.body.codeRetour, 0);
    assert.equal(typeof ok.body.pieceJointeId, 'number');
    const exe = await supplier.post('transverses/v1/ajouter/fichier', { pieceJointeFichier: 'QUJD', pieceJointeNom: 'x.exe', pieceJointeTypeMime: 'application/octet-stream', pieceJointeExtension: 'EXE' });
    assert.equal(exe.body.codeRetour, 20100);
    const big = await supplier.post('transverses/v1/ajouter/fichier', { pieceJointeFichier: Buffer.alloc(10 * 1024 * 1024 + 1, 65).toString('base64'), pieceJointeNom: 'gros.pdf', pieceJointeTypeMime: 'application/pdf', pieceJointeExtension: 'PDF' });
    assert.equal(big.body.codeRetour, 20003);
    assert.equal(big.body.libelle, '[pieceJointeFichier] Le fichier « gros.pdf » dépasse 10 Mo.');
  });

  test('the recipient: rechercher/recipiendaire, consulter, traiter/recue, then the supplier completer, recycler, traiterRejet; historique', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await supplier.post('factures/v1/soumettre', soumettreBody())).body.identifiantFactureCPP);
    for (const id of ids) await waitStatus(id, 'MISE_A_DISPOSITION');
    const list = await libre.post('factures/v1/rechercher/recipiendaire', { statutCourant: ['MISE_A_DISPOSITION'], paramRecherche: { pageResultatDemandee: 1, nbResultatsParPage: 2, triColonne: 'idFacture', triSens: 'Ascendant' } });
    assert.equal(list.body.codeRetour, 0);
    assert.equal(list.body.listeFactures.length, 2);
    assert.ok(list.body.total >= 3);
    assert.equal(list.body.parametresRetour.nbResultatsParPage, 2);
    assert.ok(list.body.listeFactures[0].idFacture < list.body.listeFactures[1].idFacture);
    assert.equal(list.body.listeFactures[0].codeFournisseur, '90100001800019');
    // Newest first by id, one status: the page is cut in SQL; sorted ascending it is cut from the rows in memory. Same invoices, same total.
    const ascending = list.body.listeFactures.map((f: any) => f.idFacture);
    const newest = await libre.post('factures/v1/rechercher/recipiendaire', { statutCourant: ['MISE_A_DISPOSITION'], paramRecherche: { pageResultatDemandee: 2, nbResultatsParPage: 1 } });
    const inMemory = await libre.post('factures/v1/rechercher/recipiendaire', { statutCourant: ['MISE_A_DISPOSITION'], paramRecherche: { nbResultatsParPage: 200, triColonne: 'idFacture', triSens: 'Ascendant' } });
    const all = inMemory.body.listeFactures.map((f: any) => f.idFacture);
    assert.ok(all.length >= 3 && ascending.every((id: number, k: number) => all[k] === id));
    assert.deepEqual(newest.body.listeFactures.map((f: any) => f.idFacture), [all.at(-2)]);
    assert.equal(newest.body.total, all.length);
    assert.equal(newest.body.parametresRetour.pages, all.length);
    const beyond = await libre.post('factures/v1/rechercher/recipiendaire', { statutCourant: ['MISE_A_DISPOSITION'], paramRecherche: { pageResultatDemandee: all.length + 1, nbResultatsParPage: 1 } });
    assert.deepEqual(beyond.body.listeFactures, []);
    const sent = await supplier.post('factures/v1/rechercher/fournisseur', { rechercheFactureParFournisseur: { pageResultatDemandee: 1, nbResultatsParPage: 2 } });
    const sentAll = await supplier.post('factures/v1/rechercher/fournisseur', { rechercheFactureParFournisseur: { nbResultatsParPage: 200, triColonne: 'identifiantFactureCPP', triSens: 'Ascendant' } });
    assert.deepEqual(sent.body.listeFactures, sentAll.body.listeFactures.slice(-2).reverse());
    assert.equal(sent.body.parametresRetour.total, sentAll.body.parametresRetour.total);
    // Each page has its own bounds (written in the statement's text within Chorus Pro's 200), never an earlier call's.
    const pageOfOne = async (page: number) => (await supplier.post('factures/v1/rechercher/fournisseur', { rechercheFactureParFournisseur: { pageResultatDemandee: page, nbResultatsParPage: 1 } })).body.listeFactures.map((f: any) => f.identifiantFactureCPP);
    const newestIds = sentAll.body.listeFactures.map((f: any) => f.identifiantFactureCPP).reverse();
    assert.deepEqual([...(await pageOfOne(1)), ...(await pageOfOne(2)), ...(await pageOfOne(3))], newestIds.slice(0, 3));
    // The supplier does not see the invoice as recipient.
    const notRecipient = await supplier.post('factures/v1/consulter/recipiendaire', { idFacture: ids[0] });
    assert.equal(notRecipient.body.codeRetour, 20000);
    const asRecipient = await libre.post('factures/v1/consulter/recipiendaire', { idFacture: ids[0] });
    assert.equal(asRecipient.body.codeRetour, 0);
    assert.equal(asRecipient.body.fournisseur.codeFournisseur, '90100001800019');

    // SUSPENDUE → completer (attachment + comment) → COMPLETEE.
    const notSuspended = await supplier.post('factures/v1/completer', { identifiantFactureCPP: ids[0], commentaire: 'x' });
    assert.equal(notSuspended.body.codeRetour, 20002);
    const susp = await libre.post('factures/v1/traiter/recue', { idFacture: ids[0], nouveauStatut: 'SUSPENDUE', motif: 'Il manque le bon de livraison' });
    assert.equal(susp.body.codeRetour, 0, JSON.stringify(susp.body));
    assert.equal(susp.body.nouveauStatut, 'SUSPENDUE');
    const noMotif = await libre.post('factures/v1/traiter/recue', { idFacture: ids[1], nouveauStatut: 'REJETEE' });
    assert.equal(noMotif.body.codeRetour, 20100);
    assert.match(noMotif.body.libelle, /motif est obligatoire/);
    const pj = await supplier.post('transverses/v1/ajouter/fichier', { pieceJointeFichier: Buffer.from('BL signé').toString('base64'), pieceJointeNom: 'bl.txt', pieceJointeTypeMime: 'text/plain', pieceJointeExtension: 'TXT' });
    const comp = await supplier.post('factures/v1/completer', { identifiantFactureCPP: ids[0], commentaire: 'Bon de livraison joint', pieceJointeComplementaire: [{ pieceJointeComplementaireDesignation: 'BL', pieceJointeComplementaireId: pj.body.pieceJointeId, pieceJointeComplementaireType: 'PJ_COMPLEMENTAIRE' }] });
    assert.equal(comp.body.codeRetour, 0, JSON.stringify(comp.body));
    assert.equal((await supplier.post('factures/v1/consulter/fournisseur', { identifiantFactureCPP: ids[0] })).body.statutFacture, 'COMPLETEE');

    // A_RECYCLER → recycler to another recipient, same number.
    const rec = await libre.post('factures/v1/traiter/recue', { idFacture: ids[1], nouveauStatut: 'A_RECYCLER', motif: 'CODE_SERVICE_ERRONE' });
    assert.equal(rec.body.codeRetour, 0, JSON.stringify(rec.body));
    const recycled = await supplier.post('factures/v1/recycler', { identifiantFactureCPP: ids[1], destinataire: { codeDestinataire: '12345678200028', codeServiceExecutant: 'SERVICE_DEST_SERV_OBL' }, reference: {}, commentaire: 'Bon service', idUtilisateurCourant: 0 });
    assert.equal(recycled.body.codeRetour, 0, JSON.stringify(recycled.body));
    const afterRecycle = await waitStatus(ids[1], 'MISE_A_DISPOSITION');
    assert.equal(afterRecycle.destinataire.codeServiceExecutant, 'SERVICE_DEST_SERV_OBL');

    // REJETEE → traiterRejet.
    const rej = await libre.post('factures/v1/traiter/recue', { idFacture: ids[2], nouveauStatut: 'REJETEE', motif: 'Montant erroné' });
    assert.equal(rej.body.codeRetour, 0);
    const handled = await supplier.post('factures/v1/traiterRejet', { listeDemandePaiement: [{ idDemandePaiement: ids[2] }], motifRejet: 'Avoir émis' });
    assert.equal(handled.body.codeRetour, 0, JSON.stringify(handled.body));
    const twice = await supplier.post('factures/v1/traiterRejet', { listeDemandePaiement: [{ idDemandePaiement: ids[2] }] });
    assert.equal(twice.body.codeRetour, 20100);
    const rejected = await supplier.post('factures/v1/rechercher/fournisseur', { statutCourant: ['REJETEE'], rejetTraite: true, rechercheFactureParFournisseur: { nbResultatsParPage: 50 } });
    assert.deepEqual(rejected.body.listeFactures.map((f: any) => f.identifiantFactureCPP), [ids[2]]);

    // Mandate, then history.
    const mand = await libre.post('factures/v1/traiter/recue', { idFacture: ids[0], nouveauStatut: 'MANDATEE', numeroDPMandat: 'M-2026-77' });
    assert.equal(mand.body.codeRetour, 0, JSON.stringify(mand.body));
    const h = await supplier.post('factures/v1/consulter/historique', { idFacture: ids[0], paramRechercheHistoStatuts: { nbResultatsParPage: 50 } });
    assert.equal(h.body.codeRetour, 0);
    assert.equal(h.body.statutCourantCode, 'MANDATEE');
    assert.deepEqual(h.body.historiquesDesStatuts.histoStatut.map((s: any) => s.histoStatutCode), ['BROUILLON', 'DEPOSEE', 'EN_COURS_ACHEMINEMENT', 'MISE_A_DISPOSITION', 'SUSPENDUE', 'COMPLETEE', 'MANDATEE']);
    assert.ok(h.body.historiquesDesEvenementsComplementaires.evenement.some((e: any) => /bl\.txt/.test(e.evenementLibelle)));
    const hr = await supplier.post('factures/v1/consulter/historique', { idFacture: ids[2] });
    assert.deepEqual(hr.body.historiquesDesActionsUtilisateurs.histoAction.map((a: any) => a.histoActionCode), ['TRAITEMENT_REJET']);
    const bad = await libre.post('factures/v1/traiter/recue', { idFacture: ids[0], nouveauStatut: 'BROUILLON' });
    assert.equal(bad.body.codeRetour, 20100);
    assert.match(bad.body.libelle, /\[nouveauStatut\]/);
  });

  test('structures, users, engagements and directory operations', async () => {
    const s = await supplier.post('structures/v1/rechercher', { structure: { identifiantStructure: '12345678200028', typeIdentifiantStructure: 'SIRET' }, restreindreStructuresPrivees: false, parametres: { nbResultatsParPage: 10, pageResultatDemandee: 1 } });
    assert.equal(s.body.codeRetour, 0);
    assert.equal(s.body.listeStructures.length, 1);
    const found = s.body.listeStructures[0];
    assert.deepEqual(Object.keys(found).sort(), ['designationStructure', 'idStructureCPP', 'identifiantStructure', 'statut', 'typeIdentifiantStructure']);
    assert.equal(found.idStructureCPP, sb.structure('destinataire:serviceObligatoire').idStructureCPP);
    const c = await supplier.post('structures/v1/consulter', { idStructureCPP: found.idStructureCPP, codeLangue: 'FR' });
    assert.equal(c.body.codeRetour, 0);
    assert.equal(c.body.informationGenerales.identifiantStructure, '12345678200028');
    assert.equal(c.body.parametres.codeServiceDoitEtreRenseigne, true);
    assert.equal(c.body.parametres.numeroEJDoitEtreRenseigne, false);
    const privateOther = await supplier.post('structures/v1/consulter', { idStructureCPP: sb.structure('valideur').idStructureCPP });
    assert.equal(privateOther.body.codeRetour, 20107);
    const services = await supplier.post('structures/v1/rechercher/services', { idStructure: found.idStructureCPP, parametresRechercherServicesStructure: { nbResultatsParPage: 10 } });
    assert.equal(services.body.listeServices[0].codeService, 'SERVICE_DEST_SERV_OBL');
    const one = await supplier.post('structures/v1/consulter/service', { idStructure: found.idStructureCPP, idService: services.body.listeServices[0].idService });
    assert.equal(one.body.codeService, 'SERVICE_DEST_SERV_OBL');
    const rat = await supplier.post('utilisateurs/v1/monCompte/recuperer/rattachements', {});
    assert.equal(rat.body.listeRattachements[0].identifiantStructure, '90100001800019');
    assert.equal(rat.body.listeRattachements[0].statutRattachement, 'VALIDEE');
    const rat2 = await supplier.post('structures/v1/lister/rattachementsutilisateur', {});
    assert.deepEqual(rat2.body.listeRattachements, rat.body.listeRattachements);
    const actives = await supplier.post('transverses/v1/recuperer/structures/actives/fournisseur', {});
    assert.deepEqual(actives.body.listeStructures, [{ idStructureCPP: sb.structure('fournisseur').idStructureCPP, identifiant: '90100001800019', designationStructure: 'Fournisseur Qualification' }]);

    const ejClient = await sb.as('destinataire:ejObligatoire');
    const ej = await ejClient.post('engagementsJuridiques/v1/rechercher', { structureReceptriceEngagementJuridique: sb.structure('destinataire:ejObligatoire').idStructureCPP, numeroEngagementJuridique: '00000482' });
    assert.equal(ej.body.codeRetour, 0, JSON.stringify(ej.body));
    assert.deepEqual(ej.body.listeEngagementJuridique.map((e: any) => e.numeroEngagementJuridique).sort(), ['0000048295', '0000048296']);
    assert.equal(ej.body.listeEngagementJuridique[0].etatCourantEngagementJuridique, 'A_TRAITER');
    const ejOther = await supplier.post('engagementsJuridiques/v1/rechercher', { structureReceptriceEngagementJuridique: sb.structure('destinataire:ejObligatoire').idStructureCPP });
    assert.equal(ejOther.body.codeRetour, 20001);

    const d = await supplier.post('transverses/v1/rechercher/destinataire', { identifiant: '123456782', parametresRecherche: { nbResultatsParPage: 10 } });
    assert.equal(d.body.codeRetour, 0);
    assert.deepEqual(d.body.listeDestinataires.map((x: any) => x.siret).sort(), ['12345678200028', '12345678200036', '12345678200044', '12345678200051']);
    assert.deepEqual(Object.keys(d.body.listeDestinataires[0]).sort(), ['adresseCodePostal', 'adresseVille', 'idStructureCPP', 'nomDestinataire', 'siret']);
    assert.equal(d.body.parametresRetour.total, 4);
    const annuaire = await supplier.post('transverses/v1/telecharger/annuaire/destinataire', {});
    const csv = Buffer.from(annuaire.body.fichierResultat, 'base64').toString('utf8');
    assert.match(csv, /11000201100044/);
    assert.match(csv, /SFACETAT/);
  });

  test('reference lists, health-check and operations not available yet', async () => {
    const hc = await app.http!.inject({ method: 'GET', url: '/cpro/transverses/v1/health-check', headers: { authorization: `Bearer ${supplier.token}`, 'cpro-account': supplier.cproAccount } });
    assert.equal(hc.statusCode, 200);
    assert.deepEqual(hc.json(), { body: 'OK', statusCode: 'OK', statusCodeValue: 200 });
    const tva = await supplier.post('transverses/v1/recuperer/tauxtva', { codeLangue: 'FR' });
    assert.deepEqual(tva.body.listeTauxTva.find((t: any) => t.codeTauxTva === 'TVA20'), { codeTauxTva: 'TVA20', libelleTauxTva: '20 %', valeurTauxTva: 20 });
    const cadres = await supplier.post('transverses/v1/recuperer/cadrefacturation', { typeDemandePaiement: 'FACTURE' });
    assert.deepEqual(cadres.body.listeCadreFacturation.map((c: any) => c.codeCadreFacturation), ['A1_FACTURE_FOURNISSEUR', 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE', 'A9_FACTURE_SOUSTRAITANT', 'A12_FACTURE_COTRAITANT']);
    const etats = await supplier.post('transverses/v1/recuperer/etats/traitement', { statutCourant: 'MISE_A_DISPOSITION' });
    const possibles = etats.body.listeStatutsPossiblesPourTraitement.map((s: any) => s.statutPossiblePourTraitement);
    for (const s of ['SUSPENDUE', 'REJETEE', 'A_RECYCLER', 'MANDATEE', 'MISE_EN_PAIEMENT']) assert.ok(possibles.includes(s), s);
    const devises = await supplier.post('transverses/v1/recuperer/devises', {});
    assert.ok(devises.body.listeDevises.some((d: any) => d.codeDevise === 'EUR' && d.libelleDevise === 'Euro'));
    for (const path of ['transverses/v1/recuperer/modedepot', 'transverses/v1/recuperer/pays', 'transverses/v1/recuperer/typedp', 'transverses/v1/recuperer/typeidentifiant/structure', 'transverses/v1/recuperer/formatflux', 'transverses/v1/recuperer/modereglements', 'transverses/v1/recuperer/motifs/exonerationtva', 'transverses/v1/recuperer/typespj', 'transverses/v1/recuperer/etat/typedp'])
      assert.equal((await supplier.post(path, {})).body.codeRetour, 0, path);
    for (const path of ['transverses/v1/recuperer/coordbanc/valides', 'factures/v1/rechercher/demandePaiement', 'transverses/v1/consulter/information/siret']) {
      const r = await supplier.post(path, { idStructure: 1, dpOuDpArchive: 'DP_ARCHIVE' });
      assert.equal(r.status, 400, path);
      assert.equal(r.body.codeRetour, 20199, path);
      assert.match(r.body.libelle, /non disponible sur cette plateforme/, path);
    }
    const invalidJson = await app.http!.inject({ method: 'POST', url: '/cpro/factures/v1/soumettre', headers: { 'content-type': 'application/json', authorization: `Bearer ${supplier.token}`, 'cpro-account': supplier.cproAccount }, payload: '{"modeDepot":' });
    assert.equal(invalidJson.statusCode, 400);
    assert.equal(invalidJson.json().codeRetour, 20100);
  });

  test('the sandbox holds one example invoice per framework, at the status its circuit gives', async () => {
    for (const inv of sb.report.invoices) {
      const expected = inv.framework === 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE' ? 'MISE_EN_PAIEMENT' : 'MISE_A_DISPOSITION';
      const c = await waitStatus(inv.identifiantFactureCPP, expected);
      assert.equal(c.numeroFacture, inv.numeroFacture);
      assert.match(inv.numeroFacture, /^QUAL_000000011106\d\d$/);
    }
    void gunzipSync;
    void unzipSync;
  });
});
