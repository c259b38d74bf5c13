import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { supplierAndBuyer } from '../helpers/factories.ts';
import { apiSession } from '../helpers/structure-members.ts';
import { webSession } from '../helpers/web-session.ts';

/** The portal's PDF deposit: metadata and files checked together, French messages naming each file, the draft and its pieces. */
describe('invoices: the web deposit of a PDF with its metadata', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  async function world() {
    const { supplierGp, buyerGp, supplier, buyer } = await supplierAndBuyer(app, { supplier: 'BTP Web', buyer: 'Commune Web' });
    return { supplierGp, buyerGp, supplier, buyer, web: await webSession(app, supplierGp.email), api: await apiSession(app, supplierGp.email) };
  }
  const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
  const metadata = (w: Awaited<ReturnType<typeof world>>, overrides: Record<string, string> = {}) => ({
    recipientSiret: w.buyer.siret, serviceCode: 'TECH', ejNumber: '1000012345', framework: 'A1_FACTURE_FOURNISSEUR', documentType: 'FACTURE',
    number: 'PDF-2026-001', invoiceDate: '2026-11-27', currency: 'EUR',
    'vatBreakdown.0.vatRate': '20', 'vatBreakdown.0.taxableAmount': '1000,00', 'vatBreakdown.0.vatAmount': '200,00',
    'vatBreakdown.1.vatRate': '5.5', 'vatBreakdown.1.taxableAmount': '100.00', 'vatBreakdown.1.vatAmount': '5.50',
    ...overrides,
  });
  const page = (w: Awaited<ReturnType<typeof world>>) => `/structures/${w.supplier.structureId}/factures-emises/deposer-pdf`;

  test('the form states the limits; files breaking them are named in French, with the metadata errors, and nothing is written', async () => {
    const w = await world();
    const form = await w.web.get(page(w));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /10 Mo au plus par fichier, 120 Mo au plus pour la facture et toutes ses pièces/);
    assert.match(form.body, /nom de 50 caractères au plus \(extension comprise\), extensions autorisées : bmp, gif/);
    assert.match(form.body, /hx-get="\/factures\/exigences"/);

    const longName = `${'p'.repeat(47)}.pdf`;
    const res = await w.web.upload(page(w), page(w), metadata(w, { number: 'FAUX NUMÉRO', documentType: 'AVOIR', invoiceDate: '2026-13-01' }), [
      { field: 'mainDocument', name: 'facture.docx', bytes: pdf('x') },
      { field: 'attachments', name: longName, bytes: pdf('long') },
      { field: 'attachments', name: 'outil.exe', bytes: Buffer.from('MZ') },
      { field: 'attachments', name: 'gros.pdf', bytes: Buffer.alloc(10 * 1024 * 1024 + 1, 1) },
    ]);
    assert.equal(res.statusCode, 400);
    const body = res.body.replace(/&#39;/g, "'").replace(/&quot;/g, '"');
    assert.match(body, /La pièce principale « facture\.docx » doit être un fichier PDF/);
    assert.match(body, new RegExp(`Le nom du fichier « ${longName} » dépasse 50 caractères`));
    assert.match(body, /L'extension « \.exe » du fichier « outil\.exe » n'est pas autorisée/);
    assert.match(body, /Le fichier « gros\.pdf » dépasse 10 Mo/);
    assert.match(body, /date de facture n'est pas une date valide/i);
    const none = await app.ctx.db.selectFrom('invoices').select('id').where('supplier_structure_id', '=', w.supplier.structureId).execute();
    assert.deepEqual(none, []);

    const missing = await w.web.upload(page(w), page(w), metadata(w, { 'vatBreakdown.0.taxableAmount': 'mille' }), []);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Pièce principale : joignez la facture au format PDF/);
    assert.match(missing.body, /taux 20 % : la base HT doit être un montant positif/);
  });

  test('a PDF with its metadata and a complementary piece becomes a draft; sent, its certificate lists the fingerprints of the stored files', async () => {
    const w = await world();
    const res = await w.web.upload(page(w), page(w), metadata(w), [
      { field: 'mainDocument', name: 'facture-PDF-2026-001.pdf', bytes: pdf('facture'), type: 'application/pdf' },
      { field: 'attachments', name: 'bon-livraison.pdf', bytes: pdf('bl'), type: 'application/pdf' },
      { field: 'attachments', name: 'photos.zip', bytes: Buffer.from('PK photos'), type: 'application/zip' },
    ]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const id = Number(res.headers.location!.match(/factures-emises\/(\d+)/)![1]);
    const inv = (await w.api.get(`/invoices/${id}`)).body;
    assert.equal(inv.status, 'BROUILLON');
    assert.equal(inv.depositMode, 'DEPOT_PDF_PORTAIL');
    assert.deepEqual(inv.totals, { totalWithoutVat: '1100.00', totalVat: '205.50', totalWithVat: '1305.50', prepaidAmount: '0.00', amountDue: '1305.50' });
    assert.deepEqual(inv.vatBreakdown, [{ vatRate: '20.00', taxableAmount: '1000.00', vatAmount: '200.00' }, { vatRate: '5.50', taxableAmount: '100.00', vatAmount: '5.50' }]);
    assert.deepEqual(inv.documents.map((d: any) => [d.filename, d.role]).sort((a: string[], b: string[]) => a[0].localeCompare(b[0])), [['bon-livraison.pdf', 'COMPLEMENTAIRE'], ['facture-PDF-2026-001.pdf', 'PRINCIPALE'], ['photos.zip', 'COMPLEMENTAIRE']]);

    // One more piece from the draft's page; a bad one is named.
    const detail = `/structures/${w.supplier.structureId}/factures-emises/${id}`;
    const bad = await w.web.upload(detail, `${detail}/pieces`, { role: 'COMPLEMENTAIRE' }, [{ field: 'files', name: 'macro.xlsm', bytes: Buffer.from('x') }]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body.replace(/&#39;/g, "'"), /L'extension « \.xlsm » du fichier « macro\.xlsm » n'est pas autorisée/);
    const ok = await w.web.upload(detail, `${detail}/pieces`, { role: 'COMPLEMENTAIRE' }, [{ field: 'files', name: 'pv-reception.pdf', bytes: pdf('pv') }]);
    assert.equal(ok.statusCode, 303);

    const sent = await w.api.post(`/invoices/${id}/submit`);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.files.length, 4);
    const cert = await w.api.get(`/invoices/${id}/documents/${sent.body.certificate.documentId}`);
    const certBytes: Buffer = cert.raw.rawPayload;
    assert.equal(createHash('sha256').update(certBytes).digest('hex'), sent.body.certificate.sha256);
    for (const f of sent.body.files) {
      const stored = await app.ctx.blobs.get(f.sha256);
      assert.equal(createHash('sha256').update(stored).digest('hex'), f.sha256);
      assert.ok(certBytes.toString('latin1').includes(`sha256:${f.sha256}`), `the certificate lists ${f.filename}`);
    }
  });

  test('inconsistent declared amounts are refused at sending, naming the field', async () => {
    const w = await world();
    const res = await w.web.upload(page(w), page(w), metadata(w, { number: 'PDF-2026-002', 'vatBreakdown.0.vatAmount': '210.00', totalWithVat: '1400.00' }), [
      { field: 'mainDocument', name: 'facture.pdf', bytes: pdf('f2') },
    ]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const id = Number(res.headers.location!.match(/factures-emises\/(\d+)/)![1]);
    const sent = await w.api.post(`/invoices/${id}/submit`);
    assert.equal(sent.status, 400);
    assert.match(sent.body.fields['vatBreakdown.20.00'], /TVA à 20 % doit être 200\.00/);
    assert.match(sent.body.fields.totalWithVat, /total TTC \(1400\.00\)/);
  });

  test("the buyer's principal manager sets the payment delay in the parameters; the supplier sees the days left, the buyer what is due", async () => {
    const w = await world();
    const buyerWeb = await webSession(app, w.buyerGp.email);
    const params = `/structures/${w.buyer.structureId}/parametres`;
    const shown = await buyerWeb.get(params);
    assert.match(shown.body, /à payer dans un délai de <strong>30 jours<\/strong>/);
    const tooLong = await buyerWeb.submit(params, `${params}/delai-paiement`, { payerCategory: 'ETABLISSEMENT_PUBLIC_SANTE', delayDays: '55' });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /ne peut pas dépasser le délai légal de 50 jours/);
    const set = await buyerWeb.submit(params, `${params}/delai-paiement`, { payerCategory: 'ETABLISSEMENT_PUBLIC_SANTE', delayDays: '45' });
    assert.equal(set.statusCode, 303);
    assert.match((await buyerWeb.get(params)).body, /délai de <strong>45 jours<\/strong>.*Établissement public de santé \(50 jours\), délai propre de 45 jours/s);
    // The supplier's principal manager is no member of the buyer: 404, and nothing changes.
    const outsider = await w.web.submit(`/structures/${w.supplier.structureId}/parametres`, `${params}/delai-paiement`, { payerCategory: 'ETAT', delayDays: '' });
    assert.equal(outsider.statusCode, 404);

    const res = await w.web.upload(page(w), page(w), metadata(w, { number: 'PDF-2026-003' }), [{ field: 'mainDocument', name: 'facture.pdf', bytes: pdf('f3') }]);
    const id = Number(res.headers.location!.match(/factures-emises\/(\d+)/)![1]);
    assert.equal((await w.api.post(`/invoices/${id}/submit`)).status, 200);
    const supplierView = (await w.web.get(`/structures/${w.supplier.structureId}/factures-emises/${id}`)).body;
    assert.match(supplierView, /Délai de 45 jours à compter du dépôt le 28\/11\/2026/);
    assert.match(supplierView, /Il reste 45 jours au destinataire pour payer/);
    for (let i = 0; i < 50 && (await w.api.get(`/invoices/${id}`)).body.status !== 'MISE_A_DISPOSITION'; i++) await new Promise((r) => setTimeout(r, 100));
    const buyerView = (await buyerWeb.get(`/structures/${w.buyer.structureId}/factures-recues/${id}`)).body;
    assert.match(buyerView, /À payer : 1\s305,50\s€ d&#39;ici 45 jours \(le 12\/01\/2027 au plus tard\)/);
  });
});
