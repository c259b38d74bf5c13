import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { apiSession } from '../helpers/structure-members.ts';
import { webSession } from '../helpers/web-session.ts';
import { sandbox } from '../helpers/cpro.ts';
import { zipOf } from '../helpers/cpro-flows.ts';
import { ciiOf, facturxOf, sampleInvoice, ublOf } from '../helpers/einvoices.ts';
import { attachFacturx } from '../../src/formats/index.ts';
import * as invoices from '../../src/invoices/index.ts';

/**
 * Issues #3 and #6: every structured deposit (portal, native API, Chorus-compatible flows, deposer/pdf of a
 * Factur-X) checks the file against its XSD first, with the process's schemas compiled once; an XSD-invalid file is
 * refused like any other rule failure, in French naming the element and the line, libxml2's message kept beside.
 */

/** The line of the first occurrence of `needle` in `text` (1-based), as libxml2 counts it. */
const lineOf = (text: string, needle: string) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} in the document`);
  return text.slice(0, i).split('\n').length;
};
/** An element the UBL schema does not know, before the issue date. */
const unknownElement = (ubl: Buffer) => ubl.toString('utf8').replace('<cbc:IssueDate>', '<cbc:Foo>x</cbc:Foo><cbc:IssueDate>');
/** The CII document's two first children swapped: the schema wants the context first. */
const wrongOrder = (cii: Buffer) => {
  const xml = cii.toString('utf8');
  const swapped = xml.replace(/(<rsm:ExchangedDocumentContext>[\s\S]*?<\/rsm:ExchangedDocumentContext>)(\s*)(<rsm:ExchangedDocument>[\s\S]*?<\/rsm:ExchangedDocument>)/, '$3$2$1');
  assert.notEqual(swapped, xml);
  return swapped;
};
const UBL_FOO = /Element '\{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\}Foo': This element is not expected\. Expected is one of \( \{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\}CopyIndicator/;

describe('structured deposits run the XSD first', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());
  let sb: Awaited<ReturnType<typeof sandbox>> | undefined;
  const sandboxSupplier = async () => (sb ??= await sandbox(app)).as('fournisseur');

  test('the process has one XSD validator, shared by every deposit', () => {
    assert.ok(app.ctx.xsd, 'the schemas of ../shared/fixtures/einvoice/artefacts are found');
  });

  test('portal and native API: an XSD-invalid UBL (unknown element) and CII (wrong order) are refused in French, element and line named, nothing created; a valid file is deposited', async () => {
    const gp = await newUser(app);
    const buyerGp = await newUser(app);
    const supplier = await newStructure(app, gp, { name: 'Menuiserie Schéma' });
    const buyer = await newStructure(app, buyerGp, { name: 'Ville Schéma', kind: 'PUBLIQUE' });
    const inv = (number: string) => sampleInvoice({ sellerSiret: supplier.siret, buyerSiret: buyer.siret, number, issueDate: '2026-11-27', serviceCode: null, ejNumber: null });
    const web = await webSession(app, gp.email);
    const pageUrl = `/structures/${supplier.structureId}/factures-emises/deposer`;
    const upload = (name: string, bytes: Buffer) => web.upload(pageUrl, pageUrl, {}, [{ field: 'file', name, bytes, type: 'application/xml' }]);

    const ubl = unknownElement(ublOf(inv('XSD-UBL-1')));
    const badUbl = await upload('XSD-UBL-1.xml', Buffer.from(ubl));
    assert.equal(badUbl.statusCode, 400);
    assert.match(badUbl.body, new RegExp(`Élément inattendu cbc:Foo à la ligne ${lineOf(ubl, '<cbc:Foo>')} \\(attendu : cbc:CopyIndicator, cbc:UUID, cbc:IssueDate\\)`));
    assert.match(badUbl.body, /n(?:'|&#39;)est pas conforme au schéma XSD UBL 2\.1 Invoice/);
    assert.match(badUbl.body, /message du validateur : Element .*This element is not expected\./, "libxml2's own message is kept");

    const cii = wrongOrder(ciiOf(inv('XSD-CII-1')));
    const badCii = await upload('XSD-CII-1.xml', Buffer.from(cii));
    assert.equal(badCii.statusCode, 400);
    assert.match(badCii.body, new RegExp(`Élément inattendu rsm:ExchangedDocument à la ligne ${lineOf(cii, '<rsm:ExchangedDocument>')} \\(attendu : rsm:ExchangedDocumentContext\\)`));
    assert.match(badCii.body, /schéma XSD Factur-X 1\.09 EN 16931/, 'a CII announcing EN 16931 is checked against the Factur-X EN 16931 schema');

    // The use case: the stable code, one issue per schema error with its rule and line.
    const r = await invoices.depositStructuredInvoice(app.ctx, gp, supplier.structureId, { bytes: Buffer.from(ubl), filename: 'f.xml' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.code, 'XSD_INVALID');
    assert.deepEqual(r.errors.map((e) => [e.code, e.field, e.rule, e.location]), [['XSD_ERROR', 'file', 'XSD', `ligne ${lineOf(ubl, '<cbc:Foo>')}`]]);
    assert.match(r.errors[0]!.message, UBL_FOO);
    // The native API: the same code, the message under the file's field.
    const api = await apiSession(app, gp.email);
    const boundary = '----ouvrage-xsd';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="supplierStructureId"\r\n\r\n${supplier.structureId}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.xml"\r\nContent-Type: application/xml\r\n\r\n`), Buffer.from(cii), Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.http!.inject({ method: 'POST', url: '/api/v1/invoices/structured', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${api.token}` } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'XSD_INVALID');
    assert.match(res.json().fields.file, /^Élément inattendu rsm:ExchangedDocument à la ligne \d+/);
    const count = await app.ctx.db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).where('supplier_structure_id', '=', supplier.structureId).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0, 'nothing created');

    // The same invoices, schema-valid, are deposited.
    const good = await upload('XSD-UBL-2.xml', ublOf(inv('XSD-UBL-2')));
    assert.equal(good.statusCode, 303, good.body);
    const goodCii = await upload('XSD-CII-2.xml', ciiOf(inv('XSD-CII-2')));
    assert.equal(goodCii.statusCode, 303, goodCii.body);
  });

  test('a Factur-X PDF whose XML fails its profile schema is refused, by the structured deposit and by deposer/pdf; a valid one gives its header', async () => {
    const supplier = await sandboxSupplier();
    const inv = sampleInvoice({ sellerSiret: '90100001800019', buyerSiret: '12345678200051', number: 'XSD-FX-1', issueDate: '2026-11-27', serviceCode: null, ejNumber: null });
    const plain = await PDFDocument.create();
    plain.addPage().drawText('Facture XSD-FX-1', { font: await plain.embedFont(StandardFonts.Helvetica) });
    const xml = ciiOf(inv).toString('utf8').replace('<ram:SellerTradeParty>', '<ram:Foo>x</ram:Foo><ram:SellerTradeParty>');
    assert.notEqual(xml, ciiOf(inv).toString('utf8'));
    const pdf = Buffer.from(await attachFacturx(await plain.save(), xml, { now: new Date('2026-11-27T10:00:00Z'), profile: 'EN16931' }));

    const dep = await supplier.post('factures/v1/deposer/pdf', { fichierFacture: pdf.toString('base64'), formatDepot: 'PDF_NON_SIGNE', nomFichier: 'xsd-fx-1.pdf' });
    assert.equal(dep.status, 400);
    assert.equal(dep.body.codeRetour, 20100);
    assert.match(dep.body.libelle, new RegExp(`^\\[fichierFacture\\] Le Factur-X \\(factur-x\\.xml\\) n'est pas conforme au schéma XSD Factur-X 1\\.09 EN 16931 : élément inattendu ram:Foo à la ligne ${lineOf(xml, '<ram:Foo>')} \\(attendu : ram:BuyerReference`));
    assert.match(dep.body.libelle, /This element is not expected/);

    const ok = await supplier.post('factures/v1/deposer/pdf', { fichierFacture: Buffer.from(await facturxOf(inv)).toString('base64'), formatDepot: 'PDF_NON_SIGNE', nomFichier: 'xsd-fx-2.pdf' });
    assert.equal(ok.body.codeRetour, 0, JSON.stringify(ok.body));
    assert.equal(ok.body.numeroFacture, 'XSD-FX-1');

    const numero = (await supplier.post('factures/v1/deposer/flux', { fichierFlux: pdf.toString('base64'), nomFichier: 'xsd-fx-1.pdf', syntaxeFlux: 'IN_DP_E2_CII_FACTURX', avecSignature: false })).body.numeroFluxDepot;
    const cr = await waitFinal(supplier, numero);
    assert.equal(cr.etatCourantDepotFlux, 'IN_REJETE');
    assert.match(cr.listeErreurDP[0].libelleErreurDP, /^Fichier « xsd-fx-1\.pdf » : Élément inattendu ram:Foo à la ligne \d+/);
  });

  test('a flow with one XSD-invalid file among valid ones: IN_INTEGRE_PARTIEL, the per-invoice error in consulterCRDetaille, the others integrated', async () => {
    const supplier = await sandboxSupplier();
    const inv = (number: string) => sampleInvoice({ sellerSiret: '90100001800019', buyerSiret: '12345678200051', number, issueDate: '2026-11-27', serviceCode: null, ejNumber: null });
    const bad = unknownElement(ublOf(inv('XSD-FLUX-2')));
    const r = await supplier.post('factures/v1/deposer/flux', {
      fichierFlux: zipOf([
        { name: 'lot/XSD-FLUX-1.xml', bytes: ublOf(inv('XSD-FLUX-1')) },
        { name: 'lot/XSD-FLUX-2.xml', bytes: Buffer.from(bad) },
        { name: 'lot/XSD-FLUX-3.xml', bytes: ublOf(inv('XSD-FLUX-3')) },
      ]).toString('base64'),
      nomFichier: 'lot-xsd.zip', syntaxeFlux: 'IN_DP_E1_UBL_INVOICE', avecSignature: false,
    });
    assert.equal(r.body.codeRetour, 0, JSON.stringify(r.body));
    const cr = await waitFinal(supplier, r.body.numeroFluxDepot);
    assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE_PARTIEL', JSON.stringify(cr.listeErreurDP));
    assert.equal(cr.nbFacturesIntegrees, 2);
    assert.equal(cr.nbFacturesRejetees, 1);
    assert.equal(cr.listeErreurDP.length, 1);
    const e = cr.listeErreurDP[0];
    assert.equal(e.numeroDP, 'lot/XSD-FLUX-2.xml', 'refused before its number is read');
    assert.match(e.libelleErreurDP, new RegExp(`^Fichier « lot/XSD-FLUX-2\\.xml » : Élément inattendu cbc:Foo à la ligne ${lineOf(bad, '<cbc:Foo>')} \\(attendu : cbc:CopyIndicator, cbc:UUID, cbc:IssueDate\\)\\. \\(message du validateur : `));
    assert.match(e.libelleErreurDP, UBL_FOO);
    for (const n of ['XSD-FLUX-1', 'XSD-FLUX-3']) {
      const found = await supplier.post('factures/v1/rechercher/fournisseur', { numeroFacture: n });
      assert.equal(found.body.listeFactures.length, 1, n);
    }
    const none = await supplier.post('factures/v1/rechercher/fournisseur', { numeroFacture: 'XSD-FLUX-2' });
    assert.equal(none.body.listeFactures.length, 0);
  });
});

async function waitFinal(supplier: { post(op: string, body: object): Promise<{ body: any }> }, numeroFluxDepot: string) {
  for (let i = 0; i < 300; i++) {
    const r = await supplier.post('transverses/v1/consulterCRDetaille', { numeroFluxDepot });
    if (['IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE'].includes(r.body?.etatCourantDepotFlux)) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`flow ${numeroFluxDepot} never finished`);
}
