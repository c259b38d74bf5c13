import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { sandbox } from '../helpers/cpro.ts';
import { ciiOf, facturxOf, sampleInvoice, ublOf } from '../helpers/einvoices.ts';
import { tarGzOf, zipOf } from '../helpers/cpro-flows.ts';
import type { Invoice } from '../../src/formats/index.ts';

const SUPPLIER = '90100001800019';
const LIBRE = '12345678200051';

/**
 * E2 minimal syntaxes (IN_DP_E2_UBL_INVOICE_MIN, IN_DP_E2_CII_MIN_16B): a mixed flow — the invoice's header and
 * totals in XML, without lines, and the invoice itself as a PDF inside the XML (chorus-pro.md §2.4).
 */
describe('Chorus-compatible flows: E2 minimal syntaxes, invoices without lines', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let supplier: Awaited<ReturnType<Awaited<ReturnType<typeof sandbox>>['as']>>;
  let pdf: Buffer;
  before(async () => {
    app = await startTestApp({ clock });
    supplier = await (await sandbox(app)).as('fournisseur');
    pdf = Buffer.from(await facturxOf(full('IMAGE')));
  });
  after(async () => app?.cleanup());

  const full = (number: string) => sampleInvoice({ sellerSiret: SUPPLIER, buyerSiret: LIBRE, number, issueDate: '2026-11-27', serviceCode: null, ejNumber: null });
  /**
   * UBL 2.1's schema wants a line, so the writer refuses a line-less document: written with its lines, then
   * stripped of them, as a minimal E2 file is.
   */
  const minimalUbl = (inv: Invoice) => {
    const xml = ublOf({ ...inv, lines: full(inv.number).lines }).toString('utf8').replace(/<cac:InvoiceLine>[\s\S]*?<\/cac:InvoiceLine>/g, '');
    assert.doesNotMatch(xml, /InvoiceLine/);
    return Buffer.from(xml, 'utf8');
  };
  /** The header and totals only, and the invoice as a PDF (BG-24) unless `withPdf` is false. */
  function minimal(number: string, o: { withPdf?: boolean; profile?: string } = {}): Invoice {
    const inv = full(number);
    inv.lines = [];
    inv.supportingDocuments = o.withPdf === false ? [] : [{ reference: `PDF-${number}`, description: 'Facture', attachment: { content: pdf.toString('base64'), mimeCode: 'application/pdf', filename: `${number}.pdf` } }];
    if (o.profile) inv.specificationIdentifier = o.profile;
    return inv;
  }

  /** TTC and the amount due raised by 10: only TTC = HT + TVA (BR-CO-15) is broken. */
  function wrongTotal(inv: Invoice): Invoice {
    inv.totals.taxInclusiveAmount = new Decimal(inv.totals.taxInclusiveAmount).plus(10).toFixed(2);
    inv.totals.payableAmount = new Decimal(inv.totals.payableAmount).plus(10).toFixed(2);
    return inv;
  }
  async function deposit(file: Buffer, syntaxeFlux: string, nomFichier: string) {
    const r = await supplier.post('factures/v1/deposer/flux', { fichierFlux: file.toString('base64'), nomFichier, syntaxeFlux, avecSignature: false });
    assert.equal(r.body?.codeRetour, 0, JSON.stringify(r.body));
    return r.body.numeroFluxDepot as string;
  }
  async function waitFinal(numeroFluxDepot: string) {
    for (let i = 0; i < 300; i++) {
      const r = await supplier.post('transverses/v1/consulterCRDetaille', { numeroFluxDepot });
      if (['IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE'].includes(r.body?.etatCourantDepotFlux)) return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`flow ${numeroFluxDepot} never finished`);
  }
  async function invoiceNumbered(numeroFacture: string) {
    const found = await supplier.post('factures/v1/rechercher/fournisseur', { numeroFacture });
    assert.equal(found.body.listeFactures.length, 1, `${numeroFacture}: ${JSON.stringify(found.body)}`);
    return (await supplier.post('factures/v1/consulter/fournisseur', { identifiantFactureCPP: found.body.listeFactures[0].identifiantFactureCPP })).body;
  }

  test('IN_DP_E2_UBL_INVOICE_MIN: line-less UBL files integrate with the totals of the document; inconsistent totals and a missing PDF are rejected in French', async () => {
    const wrong = wrongTotal(minimal('MIN-UBL-2'));
    const numero = await deposit(zipOf([
      { name: 'min/ok.xml', bytes: minimalUbl(minimal('MIN-UBL-1')) },
      { name: 'min/ttc-faux.xml', bytes: minimalUbl(wrong) },
      { name: 'min/sans-pdf.xml', bytes: minimalUbl(minimal('MIN-UBL-3', { withPdf: false })) },
    ]), 'IN_DP_E2_UBL_INVOICE_MIN', 'lot-min-ubl.zip');
    const cr = await waitFinal(numero);
    assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE_PARTIEL', JSON.stringify(cr.listeErreurDP));
    assert.equal(cr.codeInterfaceDepotFlux, 'FSO1110A');
    assert.equal(cr.nbFacturesIntegrees, 1);
    const byFile = (name: string) => cr.listeErreurDP.find((e: any) => e.libelleErreurDP.includes(name));
    assert.equal(byFile('min/ttc-faux.xml').numeroDP, 'min/ttc-faux.xml');
    assert.equal(byFile('min/ttc-faux.xml').libelleErreurDP, 'Fichier « min/ttc-faux.xml » : Le montant total TTC (BT-112) doit être égal au total hors TVA (BT-109) plus le total de la TVA (BT-110).', 'only the header rule fires, not the line rules');
    assert.match(byFile('min/sans-pdf.xml').libelleErreurDP, /Facture PDF \(BG-24, BT-125\) : un flux mixte \(E2\) joint la facture en PDF/);

    const expected = full('MIN-UBL-1').totals;
    const inv = await invoiceNumbered('MIN-UBL-1');
    assert.equal(inv.modeDepot, 'EDI_MIXTE');
    assert.deepEqual(inv.lignesDePoste, [], 'no lines');
    assert.equal(inv.montantTotal.montantHtTotal, Number(expected.taxExclusiveAmount));
    assert.equal(inv.montantTotal.montantTtcTotal, Number(expected.taxInclusiveAmount));
    assert.equal(inv.montantTotal.montantAPayer, Number(expected.payableAmount));
    assert.equal(new Decimal(inv.montantTotal.montantTVA).toFixed(2), new Decimal(expected.vatTotal!).toFixed(2));
    assert.ok(inv.recapitulatifDeTva.length > 0, 'the VAT breakdown of the document');
    const image = inv.listeDesPiecesJointes.find((p: any) => p.pieceJointeType === 'COMPLEMENTAIRE');
    assert.equal(image?.pieceJointeDesignation, 'MIN-UBL-1.pdf', 'the PDF of the mixed flow is kept beside the XML');
    assert.match(inv.pieceJointePrincipale[0].pieceJointePrincipaleDesignation, /\.xml$/, 'the structured file stays the main document');
  });

  test('IN_DP_E2_CII_MIN_16B: line-less CII files (Factur-X MINIMUM and plain EN 16931 header) integrate; the same file as an E1 flow is refused (its schema, Factur-X EN 16931, needs lines)', async () => {
    const numero = await deposit(await tarGzOf([
      { name: 'min-fx.xml', bytes: ciiOf(minimal('MIN-CII-1', { profile: 'urn:factur-x.eu:1p0:minimum' })) },
      { name: 'min-en.xml', bytes: ciiOf(minimal('MIN-CII-2')) },
      { name: 'min-fx-ttc-faux.xml', bytes: ciiOf(wrongTotal(minimal('MIN-CII-4', { profile: 'urn:factur-x.eu:1p0:minimum' }))) },
    ]), 'IN_DP_E2_CII_MIN_16B', 'lot-min-cii.tar.gz');
    const cr = await waitFinal(numero);
    assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE_PARTIEL', JSON.stringify(cr.listeErreurDP));
    assert.equal(cr.nbFacturesIntegrees, 2);
    // The MINIMUM Schematron checks no sums, Chorus Pro checks the header synthesis: TTC = HT + TVA.
    assert.equal(cr.listeErreurDP.length, 1);
    assert.equal(cr.listeErreurDP[0].libelleErreurDP, 'Fichier « min-fx-ttc-faux.xml » : Le montant total TTC (BT-112) doit être égal au total hors TVA (BT-109) plus le total de la TVA (BT-110).');
    for (const n of ['MIN-CII-1', 'MIN-CII-2']) {
      const inv = await invoiceNumbered(n);
      assert.equal(inv.statutFacture === 'DEPOSEE' || inv.statutFacture === 'MISE_A_DISPOSITION' || inv.statutFacture === 'EN_COURS_ACHEMINEMENT', true, inv.statutFacture);
      assert.deepEqual(inv.lignesDePoste, []);
      assert.equal(inv.montantTotal.montantTtcTotal, Number(full(n).totals.taxInclusiveAmount));
    }

    const e1 = await deposit(ciiOf(minimal('MIN-CII-3')), 'IN_DP_E1_CII_16B', 'min-e1.xml');
    const cr1 = await waitFinal(e1);
    assert.equal(cr1.etatCourantDepotFlux, 'IN_REJETE');
    // The XSD runs first, as in the official validation: the Factur-X EN 16931 schema wants a line.
    assert.match(cr1.listeErreurDP[0].libelleErreurDP, /^Fichier « min-e1\.xml » : Élément inattendu ram:ApplicableHeaderTradeAgreement à la ligne \d+ \(attendu : ram:IncludedSupplyChainTradeLineItem\)\. \(message du validateur : Element '\{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\}ApplicableHeaderTradeAgreement': This element is not expected\./);
  });

  test('a minimal file still meets the platform checks: a recipient that requires a service code rejects it, named in French', async () => {
    const inv = minimal('MIN-UBL-9');
    inv.buyer.legalRegistration = { id: '12345678200028', schemeId: '0009' };
    const cr = await waitFinal(await deposit(minimalUbl(inv), 'IN_DP_E2_UBL_INVOICE_MIN', 'min-service.xml'));
    assert.equal(cr.etatCourantDepotFlux, 'IN_REJETE');
    assert.equal(cr.listeErreurDP[0].identifiantDestinataire, null);
    assert.match(cr.listeErreurDP[0].libelleErreurDP, /^Fichier « min-service\.xml » : Code service : .* exige un code service/);
  });
});
