import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { sandbox } from '../helpers/cpro.ts';
import { ciiOf, facturxOf, sampleInvoice, ublOf } from '../helpers/einvoices.ts';
import { tarGzOf, zipOf } from '../helpers/cpro-flows.ts';
import { createHash } from 'node:crypto';
import * as invoices from '../../src/invoices/index.ts';
import { renderCertificate } from '../../src/invoices/certificate.ts';
import { verifyAllChains } from '../../src/invoices/export-invoices.ts';
import { sql } from 'kysely';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { invoicePaymentClockJob } from '../../src/queue/jobs.ts';

const SUPPLIER = '90100001800019';
const LIBRE = '12345678200051';

describe('Chorus-compatible flows: deposer/flux, integration on the queue, consulterCR(Detaille)', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let sb: Awaited<ReturnType<typeof sandbox>>;
  let supplier: Awaited<ReturnType<typeof sb.as>>;
  before(async () => {
    app = await startTestApp({ clock });
    sb = await sandbox(app);
    supplier = await sb.as('fournisseur');
  });
  after(async () => app?.cleanup());

  const inv = (number: string, buyer = LIBRE, o: { serviceCode?: string | null; ejNumber?: string | null } = {}) =>
    sampleInvoice({ sellerSiret: SUPPLIER, buyerSiret: buyer, number, issueDate: '2026-11-27', serviceCode: o.serviceCode ?? null, ejNumber: o.ejNumber ?? null });

  async function deposit(file: Buffer, syntaxeFlux: string, nomFichier: string) {
    return supplier.post('factures/v1/deposer/flux', { fichierFlux: file.toString('base64'), nomFichier, syntaxeFlux, avecSignature: false, idUtilisateurCourant: 0 });
  }
  async function waitFinal(numeroFluxDepot: string) {
    for (let i = 0; i < 300; i++) {
      const r = await supplier.post('transverses/v1/consulterCRDetaille', { numeroFluxDepot, syntaxeFlux: 'IN_DP_E1_CII_16B' });
      if (['IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE'].includes(r.body?.etatCourantDepotFlux)) return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`flow ${numeroFluxDepot} never finished`);
  }

  test('a single UBL file (IN_DP_E1_UBL_INVOICE): numeroFluxDepot at once, then IN_INTEGRE, the invoice sent', async () => {
    const r = await deposit(ublOf(inv('FLUX-UBL-1')), 'IN_DP_E1_UBL_INVOICE', 'facture-ubl-1.xml');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.codeRetour, 0);
    assert.match(r.body.numeroFluxDepot, /^CPP\d{22}$/);
    assert.equal(r.body.dateDepot, '2026-11-28');
    assert.equal(r.body.syntaxeFlux, 'IN_DP_E1_UBL_INVOICE');
    const cr = await waitFinal(r.body.numeroFluxDepot);
    assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE');
    assert.equal(cr.nomFichier, 'facture-ubl-1.xml');
    assert.deepEqual(cr.listeErreurDP, []);
    assert.deepEqual(cr.listeErreurTechnique, []);
    const found = await supplier.post('factures/v1/rechercher/fournisseur', { numeroFluxDepot: r.body.numeroFluxDepot });
    assert.equal(found.body.listeFactures.length, 1);
    assert.equal(found.body.listeFactures[0].numeroFacture, 'FLUX-UBL-1');
    assert.equal(found.body.listeFactures[0].numeroFluxDepot, r.body.numeroFluxDepot);
    assert.equal(found.body.listeFactures[0].modeDepot, 'EDI_XML_STRUCT');
  });

  test("a flow's deposit certificate is deferred: rendered from the DEPOSER event on first request, stored once, served by every path", async () => {
    const r = await deposit(ublOf(inv('FLUX-CERT-1')), 'IN_DP_E1_UBL_INVOICE', 'facture-cert-1.xml');
    assert.equal((await waitFinal(r.body.numeroFluxDepot)).etatCourantDepotFlux, 'IN_INTEGRE');
    const found = await supplier.post('factures/v1/rechercher/fournisseur', { numeroFluxDepot: r.body.numeroFluxDepot });
    const id: number = found.body.listeFactures[0].identifiantFactureCPP;
    const row = await app.ctx.db.selectFrom('invoices').select(['certificate_document_id', 'created_by']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.certificate_document_id, null, 'no certificate rendered at integration');
    const before = await supplier.post('factures/v1/consulter/fournisseur', { identifiantFactureCPP: id });
    assert.equal(before.body.empreinteCertificatDepot, null);

    const actor = { userId: row.created_by!, isTechnical: true };
    const g = await invoices.getInvoice(app.ctx, actor, id);
    const certId = g.invoice.certificate_document_id;
    assert.ok(certId, 'rendered on the first consultation');
    const cert = await invoices.getInvoiceDocument(app.ctx, actor, id, certId!);
    assert.equal(cert.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const deposer = g.path.find((e) => e.action === 'DEPOSER')!;
    const text = Buffer.from(cert.bytes).toString('latin1');
    for (const f of deposer.data.files as Array<{ sha256: string }>) assert.ok(text.includes(`sha256:${f.sha256}`), 'lists the file fingerprints the chain recorded');
    assert.ok(text.includes(`donnees-sha256:${deposer.data.dataSha256}`), 'and the data fingerprint');
    assert.equal(g.chain.ok, true);
    // Once: a second request serves the same document; consulter shows its fingerprint.
    assert.equal((await invoices.getInvoice(app.ctx, actor, id)).invoice.certificate_document_id, certId);
    const after = await supplier.post('factures/v1/consulter/fournisseur', { identifiantFactureCPP: id });
    assert.equal(after.body.empreinteCertificatDepot, cert.sha256);
    // Deterministic: rendered again from the same event, the same bytes.
    const again = await renderCertificate({ ...(deposer.data.certificateData as any), depositedAt: deposer.createdAt });
    assert.equal(createHash('sha256').update(again).digest('hex'), cert.sha256);
  });

  test("a flow's A1 invoices are routed in the integration's own transaction, as the routing job routes an invoice sent otherwise", async () => {
    const r = await deposit(zipOf([{ name: 'a.xml', bytes: ciiOf(inv('FLUX-ROUTE-1')) }, { name: 'b.xml', bytes: ciiOf(inv('FLUX-ROUTE-2')) }]), 'IN_DP_E1_CII_16B', 'route.zip');
    assert.equal((await waitFinal(r.body.numeroFluxDepot)).etatCourantDepotFlux, 'IN_INTEGRE');
    const flowed = await app.ctx.db.selectFrom('invoices').select(['id', 'status', 'created_by', 'supplier_structure_id', sql<string>`xmin::text`.as('xmin')]).where('number', 'in', ['FLUX-ROUTE-1', 'FLUX-ROUTE-2']).orderBy('id').execute();
    assert.equal(flowed.length, 2);
    // The reference: the same kind of file sent through the structured deposit with its certificate now, routed by the job.
    const sent = await invoices.depositStructuredInvoice(app.ctx, { userId: flowed[0]!.created_by!, isTechnical: true }, flowed[0]!.supplier_structure_id, { bytes: ciiOf(inv('REF-ROUTE-1')), filename: 'ref.xml' }, { submit: true, channel: 'API' });
    assert.ok(sent.ok && sent.status === 'DEPOSEE', JSON.stringify(sent));
    for (let i = 0; (await app.ctx.db.selectFrom('invoices').select('status').where('id', '=', sent.invoiceId).executeTakeFirstOrThrow()).status !== 'MISE_A_DISPOSITION'; i++) {
      assert.ok(i < 100, 'the reference is routed by its job');
      await new Promise((res) => setTimeout(res, 100));
    }
    const reference = await app.ctx.db.selectFrom('invoices').select(['id', 'status', sql<string>`xmin::text`.as('xmin')]).where('id', '=', sent.invoiceId).executeTakeFirstOrThrow();
    const history = async (id: number) => (await app.ctx.db.selectFrom('invoice_events').select(['type', 'action', 'from_status', 'to_status', 'actor_role', sql<string>`xmin::text`.as('xmin')]).where('invoice_id', '=', id).orderBy('seq').execute());
    const steps = (h: Awaited<ReturnType<typeof history>>) => h.map(({ xmin, ...e }) => e);
    const notified = async (id: number) => Number((await app.ctx.db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('link', 'like', `%/factures-recues/${id}`).executeTakeFirstOrThrow()).n);
    const clock = async (id: number) => app.ctx.db.selectFrom('invoice_payment_clocks').select(['delay_days', 'started_on']).where('invoice_id', '=', id).executeTakeFirst();
    const expected = steps(await history(reference.id));
    assert.deepEqual(expected.slice(-3).map((e) => e.action), ['DEPOSER', 'ACHEMINER', 'METTRE_A_DISPOSITION']);
    const refHistory = await history(reference.id);
    assert.notEqual(reference.xmin, refHistory[0]!.xmin, "the reference's row was written again, by its routing job");
    for (const f of flowed) {
      assert.equal(f.status, 'MISE_A_DISPOSITION', 'routed when the flow is final');
      const h = await history(f.id);
      assert.deepEqual(steps(h), expected, 'the same steps, roles and statuses as the routing job');
      // Inserted as routed, never written again: the row's version is the one the integration's transaction made, with every event.
      for (const e of h) assert.equal(e.xmin, f.xmin, `${e.action ?? e.type} written with the row`);
      assert.equal(await notified(f.id), await notified(reference.id), 'the recipient is told as for the reference');
      assert.ok(await notified(f.id) > 0);
      assert.deepEqual(await clock(f.id), await clock(reference.id), 'the payment clock starts as for the reference');
      assert.equal((await verifyAllChains(app.ctx.db, f.id)).broken.length, 0);
    }
  });

  test('a zip of CII files (IN_DP_E1_CII_16B): IN_INTEGRE_PARTIEL, per-invoice errors in plain French naming the field', async () => {
    const zip = zipOf([
      { name: 'lot/a.xml', bytes: ciiOf(inv('FLUX-CII-1')) },
      { name: 'lot/b.xml', bytes: ciiOf(inv('FLUX-CII-2')) },
      { name: 'lot/c.xml', bytes: ciiOf(inv('FLUX-CII-3')) },
      { name: 'lot/ubl.xml', bytes: ublOf(inv('FLUX-CII-4')) },
      { name: 'lot/inconnu.xml', bytes: ciiOf(inv('FLUX-CII-5', '99999999999999')) },
      { name: 'lot/sans-service.xml', bytes: ciiOf(inv('FLUX-CII-6', '12345678200028')) },
    ]);
    const r = await deposit(zip, 'IN_DP_E1_CII_16B', 'lot-cii.zip');
    assert.equal(r.body.codeRetour, 0);
    const cr = await waitFinal(r.body.numeroFluxDepot);
    assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE_PARTIEL');
    assert.equal(cr.nbFactures, 6);
    assert.equal(cr.nbFacturesIntegrees, 3);
    assert.equal(cr.listeErreurDP.length, 3);
    // The three were written together (one chunk, one transaction): each chain verifies, and each is routed.
    const made = await app.ctx.db.selectFrom('invoices').select(['id', 'number']).where('number', 'in', ['FLUX-CII-1', 'FLUX-CII-2', 'FLUX-CII-3']).execute();
    assert.equal(made.length, 3);
    for (let i = 0; i < 100; i++) {
      const statuses = await app.ctx.db.selectFrom('invoices').select('status').where('id', 'in', made.map((m) => m.id)).execute();
      if (statuses.every((x) => x.status === 'MISE_A_DISPOSITION')) break;
      assert.ok(i < 99, `routed: ${JSON.stringify(statuses)}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    // Verified once routed (the routing job runs after the flow is final): creation, document, deposit, routing.
    for (const m of made) {
      const v = await verifyAllChains(app.ctx.db, m.id);
      assert.equal(v.broken.length, 0, JSON.stringify(v.broken));
      assert.ok(v.events >= 4, `${m.number}: creation, document, deposit and more`);
    }
    const byFile = (name: string) => cr.listeErreurDP.find((e: any) => e.libelleErreurDP.includes(name));
    assert.match(byFile('lot/ubl.xml').libelleErreurDP, /Syntaxe : le fichier « ubl\.xml » est un fichier UBL alors que le flux est déclaré IN_DP_E1_CII_16B/);
    assert.match(byFile('lot/inconnu.xml').libelleErreurDP, /Destinataire \(BT-47\) : aucune structure de SIRET 99999999999999/);
    assert.equal(byFile('lot/inconnu.xml').identifiantFournisseur, SUPPLIER);
    assert.match(byFile('lot/sans-service.xml').libelleErreurDP, /Code service : .* exige un code service/);
    const pdf = await supplier.post('transverses/v1/consulterCR', { numeroFluxDepot: r.body.numeroFluxDepot, syntaxeFlux: 'IN_DP_E1_CII_16B' });
    assert.equal(pdf.body.codeRetour, 0);
    assert.equal(pdf.body.etatCourantFlux, 'IN_INTEGRE_PARTIEL');
    assert.equal(Buffer.from(pdf.body.fichierCR, 'base64').subarray(0, 5).toString('latin1'), '%PDF-');
    // Re-sending the same flow is detected.
    const again = await deposit(zip, 'IN_DP_E1_CII_16B', 'lot-cii-bis.zip');
    assert.equal(again.status, 400);
    assert.equal(again.body.codeRetour, 20109);
    assert.match(again.body.libelle, new RegExp(`déjà été déposé .* ${r.body.numeroFluxDepot}`));
  });

  test('two files of one chunk with the same invoice number: the first integrated, the second refused naming the number', async () => {
    const zip = zipOf([
      { name: 'dup/a.xml', bytes: ublOf(inv('FLUX-DUP-1')) },
      { name: 'dup/b.xml', bytes: ublOf({ ...inv('FLUX-DUP-1'), issueDate: '2026-11-26' }) },
      { name: 'dup/c.xml', bytes: ublOf(inv('FLUX-DUP-2')) },
    ]);
    const r = await deposit(zip, 'IN_DP_E1_UBL_INVOICE', 'lot-dup.zip');
    const cr = await waitFinal(r.body.numeroFluxDepot);
    assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE_PARTIEL');
    assert.equal(cr.nbFacturesIntegrees, 2);
    assert.equal(cr.listeErreurDP.length, 1);
    assert.match(cr.listeErreurDP[0].libelleErreurDP, /^Fichier « dup\/b\.xml » : Numéro de facture \(BT-1\) : « FLUX-DUP-1 » est déjà utilisé/);
    const made = await app.ctx.db.selectFrom('invoices').select('id').where('number', '=', 'FLUX-DUP-1').execute();
    assert.equal(made.length, 1);
  });

  test('a tar.gz of Factur-X PDFs (IN_DP_E2_CII_FACTURX): IN_INTEGRE; a file already deposited by another flow is rejected, not duplicated', async () => {
    const files = [];
    for (let i = 1; i <= 3; i++) files.push({ name: `fx-${i}.pdf`, bytes: await facturxOf(inv(`FLUX-FX-${i}`)) });
    const r = await deposit(await tarGzOf(files), 'IN_DP_E2_CII_FACTURX', 'lot-fx.tar.gz');
    const cr = await waitFinal(r.body.numeroFluxDepot);
    assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE', JSON.stringify(cr.listeErreurDP));
    const overlap = await deposit(zipOf([files[0]!, { name: 'fx-4.pdf', bytes: await facturxOf(inv('FLUX-FX-4')) }]), 'IN_DP_E2_CII_FACTURX', 'lot-fx-2.zip');
    const cr2 = await waitFinal(overlap.body.numeroFluxDepot);
    assert.equal(cr2.etatCourantDepotFlux, 'IN_INTEGRE_PARTIEL');
    assert.match(cr2.listeErreurDP[0].libelleErreurDP, /Numéro de facture : « FLUX-FX-1 » a déjà été déposé/);
    const all = await supplier.post('factures/v1/rechercher/fournisseur', { numeroFacture: 'FLUX-FX-1' });
    assert.equal(all.body.listeFactures.length, 1);
  });

  test('a zip is judged on what its entries declare before any is inflated: a bomb refuses the flow, a lying file only itself', async () => {
    // 9 MB of zeros in a few KB: beyond the expansion allowed, refused whole, nothing integrated.
    const bomb = zipOf([{ name: 'lot/a.xml', bytes: ublOf(inv('FLUX-BOMB-1')) }, { name: 'lot/bombe.xml', bytes: new Uint8Array(9 * 1024 * 1024) }]);
    const b = await waitFinal((await deposit(bomb, 'IN_DP_E1_UBL_INVOICE', 'bombe.zip')).body.numeroFluxDepot);
    assert.equal(b.etatCourantDepotFlux, 'IN_REJETE');
    assert.equal(b.nbFacturesIntegrees, 0);
    assert.equal(b.listeErreurTechnique[0].codeErreur, 'ARCHIVE_TOO_EXPANDED');
    assert.match(b.listeErreurTechnique[0].libelleErreur, /se décompresse de façon anormale/);
    assert.equal((await app.ctx.db.selectFrom('invoices').select('id').where('number', '=', 'FLUX-BOMB-1').execute()).length, 0);
    // The first file's local header declares 10 bytes less than it holds: that file is refused, naming it; the other is integrated.
    const lying = zipOf([{ name: 'lot/menteur.xml', bytes: ublOf(inv('FLUX-LIE-1')) }, { name: 'lot/honnete.xml', bytes: ublOf(inv('FLUX-LIE-2')) }]);
    const view = new DataView(lying.buffer, lying.byteOffset);
    view.setUint32(22, view.getUint32(22, true) - 10, true);
    const l = await waitFinal((await deposit(lying, 'IN_DP_E1_UBL_INVOICE', 'menteur.zip')).body.numeroFluxDepot);
    assert.equal(l.etatCourantDepotFlux, 'IN_INTEGRE_PARTIEL', JSON.stringify(l));
    assert.equal(l.nbFacturesIntegrees, 1);
    assert.equal(l.listeErreurDP.length, 1);
    assert.match(l.listeErreurDP[0].libelleErreurDP, /^Fichier « lot\/menteur\.xml » : Archive zip abîmée : le fichier « lot\/menteur\.xml » ne correspond pas à la taille qu'il déclare\.$/);
    assert.deepEqual((await app.ctx.db.selectFrom('invoices').select('number').where('number', 'like', 'FLUX-LIE-%').execute()).map((i) => i.number), ['FLUX-LIE-2']);
  });

  test('rejections: a corrupt archive (technical error), every file refused, unknown or unsupported syntaxes', async () => {
    const corrupt = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    const r = await deposit(corrupt, 'IN_DP_E1_CII_16B', 'casse.zip');
    const cr = await waitFinal(r.body.numeroFluxDepot);
    assert.equal(cr.etatCourantDepotFlux, 'IN_REJETE');
    assert.equal(cr.listeErreurTechnique.length, 1);
    assert.equal(cr.listeErreurTechnique[0].natureErreur, 'ARCHIVE');
    const none = await deposit(zipOf([{ name: 'x.xml', bytes: Buffer.from('<x/>') }]), 'IN_DP_E1_UBL_INVOICE', 'rien.zip');
    const cr2 = await waitFinal(none.body.numeroFluxDepot);
    assert.equal(cr2.etatCourantDepotFlux, 'IN_REJETE');
    assert.match(cr2.listeErreurDP[0].libelleErreurDP, /n'est ni un PDF Factur-X ni un fichier UBL ou CII/);
    const unknown = await deposit(ublOf(inv('X-1')), 'IN_DP_E9_N_IMPORTE_QUOI', 'x.xml');
    assert.equal(unknown.body.codeRetour, 20100);
    assert.match(unknown.body.libelle, /\[syntaxeFlux\]/);
    const e3 = await deposit(ublOf(inv('X-2')), 'IN_DP_E3_UBL_INVOICE', 'x.xml');
    assert.equal(e3.body.codeRetour, 20199);
    const other = await sb.as('destinataire:etat');
    const notMine = await other.post('transverses/v1/consulterCRDetaille', { numeroFluxDepot: r.body.numeroFluxDepot });
    assert.equal(notMine.body.codeRetour, 20108);
  });

  // Last: it moves the clock two months on.
  test("a chunk's invoices due the same day have one payment-clock job, which alerts each of them once at the due date", async () => {
    const zip = zipOf([1, 2, 3].map((i) => ({ name: `horloge/${i}.xml`, bytes: ublOf(inv(`FLUX-CLOCK-${i}`)) })));
    const cr = await waitFinal((await deposit(zip, 'IN_DP_E1_UBL_INVOICE', 'horloge.zip')).body.numeroFluxDepot);
    assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE', JSON.stringify(cr.listeErreurDP));
    const ids = (await app.ctx.db.selectFrom('invoices').select('id').where('number', 'like', 'FLUX-CLOCK-%').orderBy('id').execute()).map((r) => r.id);
    assert.equal(ids.length, 3);
    const jobs = (await sql<{ data: { invoiceId?: number; invoiceIds?: number[] } }>`SELECT data FROM pgboss.job WHERE name = 'invoice.payment-clock'`.execute(app.ctx.db)).rows
      .filter((j) => [j.data.invoiceId, ...(j.data.invoiceIds ?? [])].some((id) => ids.includes(id!)));
    assert.deepEqual(jobs.map((j) => j.data.invoiceIds), [ids], 'one job for the three');
    const run = jobHandlers({ ctx: app.ctx, mailer: null as never })[invoicePaymentClockJob.name]!;
    const alerted = async () => (await app.ctx.db.selectFrom('invoice_payment_clocks').select('overdue_alerted_at').where('invoice_id', 'in', ids).execute()).map((c) => c.overdue_alerted_at);
    const overdueNotices = async () => Number((await app.ctx.db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'INVOICE_PAYMENT_OVERDUE').executeTakeFirstOrThrow()).n);
    await run({ invoiceIds: ids });
    assert.deepEqual(await alerted(), [null, null, null], 'not due yet');
    clock.advanceDays(65);
    const before = await overdueNotices();
    await run({ invoiceIds: ids });
    const first = await alerted();
    assert.ok(first.every((a) => a !== null), JSON.stringify(first));
    const notices = (await overdueNotices()) - before;
    assert.ok(notices >= 3, `overdue notices: ${notices}`);
    await run({ invoiceIds: ids });
    assert.deepEqual(await alerted(), first, 'alerted once');
    assert.equal((await overdueNotices()) - before, notices);
  });
});
