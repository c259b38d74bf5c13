import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser, supplierAndBuyer } from '../helpers/factories.ts';
import { addMember, apiSession } from '../helpers/structure-members.ts';
import { sampleInvoice, ublOf, ciiOf, facturxOf } from '../helpers/einvoices.ts';
import { createEngagement, createService } from '../../src/structures/index.ts';
import * as invoices from '../../src/invoices/index.ts';

const AKRETION = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'einvoice', 'samples', 'akretion-factur-x');

describe('structured deposits: Factur-X, UBL and CII files read, validated and stored', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  async function world() {
    const { supplierGp, buyerGp, supplier, buyer } = await supplierAndBuyer(app, { supplier: 'BTP Structuré', buyer: 'Commune Structurée', schools: true });
    return { supplierGp, buyerGp, supplier, buyer, supplierApi: await apiSession(app, supplierGp.email), buyerApi: await apiSession(app, buyerGp.email) };
  }
  type World = Awaited<ReturnType<typeof world>>;
  let counter = 0;
  const invoiceOf = (w: World, o: Partial<Parameters<typeof sampleInvoice>[0]> = {}) =>
    sampleInvoice({ sellerSiret: w.supplier.siret, buyerSiret: w.buyer.siret, number: `XML-2026-${String(++counter).padStart(4, '0')}`, issueDate: '2026-11-27', serviceCode: 'TECH', ejNumber: '1000012345', ...o });

  function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer; type?: string }) {
    const boundary = `----ouvrage${Date.now()}${Math.random()}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/xml'}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
    return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }
  async function deposit(token: string, fields: Record<string, string>, file: { name: string; bytes: Buffer; type?: string }) {
    const { payload, headers } = multipart(fields, file);
    const res = await app.http!.inject({ method: 'POST', url: '/api/v1/invoices/structured', payload, headers: { ...headers, authorization: `Bearer ${token}` } });
    return { status: res.statusCode, body: res.json() };
  }
  async function waitForStatus(api: { get(url: string): Promise<{ body: any }> }, id: number, status: string) {
    for (let i = 0; i < 100; i++) {
      const r = await api.get(`/invoices/${id}`);
      if (r.body?.status === status) return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`invoice ${id} never reached ${status}`);
  }

  test('a UBL file by API: the invoice is read from the XML (exact amounts, lines, VAT per rate), the file is the main document, then it is sent', async () => {
    const w = await world();
    const bytes = ublOf(invoiceOf(w));
    const r = await deposit(w.supplierApi.token, { supplierStructureId: String(w.supplier.structureId) }, { name: 'facture-ubl.xml', bytes });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'BROUILLON');
    assert.equal(r.body.syntax, 'UBL');
    assert.equal(r.body.container, 'XML');
    assert.equal(r.body.profile, 'EN16931');
    const inv = (await w.supplierApi.get(`/invoices/${r.body.invoiceId}`)).body;
    assert.equal(inv.number, r.body.number);
    assert.equal(inv.depositMode, 'UPLOAD_API');
    assert.equal(inv.invoiceDate, '2026-11-27');
    assert.equal(inv.recipient.serviceCode, 'TECH');
    assert.equal(inv.ejNumber, '1000012345');
    // The amounts are the XML's (BT-109, BT-110, BT-112, BT-115): document allowance and charge included.
    assert.deepEqual(inv.totals, { totalWithoutVat: '100.00', totalVat: '4.90', totalWithVat: '104.90', prepaidAmount: '0.00', amountDue: '104.90' });
    assert.equal(inv.lines.length, 3);
    assert.deepEqual(inv.lines.map((l: any) => l.netAmount), ['60.00', '28.00', '7.00']);
    // Categories E and K, both at 0 %, share one row of the breakdown.
    assert.deepEqual(inv.vatBreakdown, [
      { vatRate: '20.00', taxableAmount: '11.00', vatAmount: '2.20' },
      { vatRate: '10.00', taxableAmount: '27.00', vatAmount: '2.70' },
      { vatRate: '0.00', taxableAmount: '62.00', vatAmount: '0.00' },
    ]);
    const sha = createHash('sha256').update(bytes).digest('hex');
    assert.equal(inv.structuredFile.sha256, sha);
    assert.ok(inv.structuredFile.lockedFields.includes('number') && inv.structuredFile.lockedFields.includes('ejNumber'));
    assert.deepEqual(inv.documents.map((d: any) => [d.role, d.sha256, d.filename]), [['PRINCIPALE', sha, 'facture-ubl.xml']]);
    assert.equal(createHash('sha256').update(await app.ctx.blobs.get(sha)).digest('hex'), sha, 'the original file is stored durably');

    const sent = await w.supplierApi.post(`/invoices/${r.body.invoiceId}/submit`);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.deepEqual(sent.body.files.map((f: any) => f.sha256), [sha]);
    await waitForStatus(w.buyerApi, r.body.invoiceId, 'MISE_A_DISPOSITION');
  });

  test('a Factur-X PDF and a CII file deposited by a flow (submit): sent at once, mode EDI_MIXTE / EDI_XML_STRUCT; the same file again returns the same invoice', async () => {
    const w = await world();
    const pdf = await facturxOf(invoiceOf(w));
    const a = await invoices.depositStructuredInvoice(app.ctx, w.supplierGp, w.supplier.structureId, { bytes: pdf, filename: 'FACTURX_un_nom_de_fichier_bien_trop_long_pour_chorus_pro.pdf' }, { channel: 'FLUX', submit: true });
    assert.ok(a.ok, JSON.stringify(a));
    assert.equal(a.status, 'DEPOSEE');
    assert.equal(a.container, 'FACTURX');
    const inv = await waitForStatus(w.supplierApi, a.invoiceId, 'MISE_A_DISPOSITION');
    assert.equal(inv.depositMode, 'EDI_MIXTE');
    assert.ok(inv.documents[0].filename.length <= 50 && inv.documents[0].filename.endsWith('.pdf'));
    assert.ok(inv.certificateDocumentId);

    const again = await invoices.depositStructuredInvoice(app.ctx, w.supplierGp, w.supplier.structureId, { bytes: pdf, filename: 'retry.pdf' }, { channel: 'FLUX', submit: true });
    assert.ok(again.ok);
    assert.equal(again.invoiceId, a.invoiceId);
    assert.equal(again.duplicate, true);
    // Another file with the same number is refused.
    const other = await invoices.depositStructuredInvoice(app.ctx, w.supplierGp, w.supplier.structureId, { bytes: ciiOf(invoiceOf(w, { number: inv.number, issueDate: '2026-11-26' })), filename: 'autre.xml' }, { channel: 'FLUX', submit: true });
    assert.equal(other.ok, false);
    assert.equal(!other.ok && other.code, 'INVOICE_NUMBER_TAKEN');

    const cii = await invoices.depositStructuredInvoice(app.ctx, w.supplierGp, w.supplier.structureId, { bytes: ciiOf(invoiceOf(w, { framework: 'A2' })), filename: 'cii.xml' }, { channel: 'FLUX', submit: true });
    assert.ok(cii.ok, JSON.stringify(cii));
    assert.equal(cii.syntax, 'CII');
    const paid = await waitForStatus(w.supplierApi, cii.invoiceId, 'MISE_EN_PAIEMENT');
    assert.equal(paid.framework, 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE', 'BT-23 = A2 gives the already-paid framework');
    assert.equal(paid.depositMode, 'EDI_XML_STRUCT');
  });

  test('every bad file is refused with a stable code and a French message naming the field; nothing is created', async () => {
    const w = await world();
    const before = await app.ctx.db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).where('supplier_structure_id', '=', w.supplier.structureId).executeTakeFirstOrThrow();
    const dep = (bytes: Uint8Array, o: invoices.StructuredDepositOptions = {}) => invoices.depositStructuredInvoice(app.ctx, w.supplierGp, w.supplier.structureId, { bytes, filename: 'f.xml' }, o);
    const refused = async (bytes: Uint8Array, code: string, field: string, message: RegExp, o: invoices.StructuredDepositOptions = {}) => {
      const r = await dep(bytes, o);
      assert.equal(r.ok, false, code);
      if (r.ok) return;
      assert.equal(r.code, code, JSON.stringify(r));
      const e = r.errors.find((x) => x.field === field);
      assert.ok(e, `${code}: an error on ${field} in ${JSON.stringify(r.errors)}`);
      assert.match(e!.message, message);
      return r;
    };
    await refused(Buffer.alloc(0), 'FILE_EMPTY', 'file', /est vide/);
    await refused(Buffer.from('Numéro;Montant\nF1;12'), 'FILE_TYPE_UNSUPPORTED', 'file', /ni un PDF Factur-X ni un fichier XML/);
    await refused(Buffer.from('<Invoice><cbc:ID>'), 'XML_MALFORMED', 'file', /./);
    await refused(Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>'), 'XML_DOCTYPE_FORBIDDEN', 'file', /./);
    await refused(Buffer.from('<?xml version="1.0"?><Commande xmlns="urn:x"/>'), 'NOT_AN_INVOICE', 'file', /n'est pas une facture/);
    await refused(Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n'), 'PDF_MALFORMED', 'file', /PDF/);
    await refused(readFileSync(path.join(AKRETION, 'factur-x-minimum.xml')), 'PROFILE_NOT_ACCEPTED', 'file', /MINIMUM/);
    // EN 16931: a total TTC that is not HT + TVA (BR-CO-15) names the field.
    const wrongTotal = invoiceOf(w);
    wrongTotal.totals.taxInclusiveAmount = '105.90';
    wrongTotal.totals.payableAmount = '105.90';
    const invalid = await refused(ciiOf(wrongTotal), 'EN16931_INVALID', 'totalWithVat', /BT-112/);
    assert.ok(invalid!.errors.some((e) => e.rule === 'BR-CO-15'));
    assert.match(invoices.structuredDepositError(invalid!).fields!.totalWithVat, /BT-112/);
    // The seller must be the depositing structure; the buyer must be given and known; its service must exist.
    await refused(ublOf(invoiceOf(w, { sellerSiret: '73282932000074' })), 'SUPPLIER_MISMATCH', 'supplier', /SIRET/);
    const noBuyer = invoiceOf(w);
    delete noBuyer.buyer.legalRegistration;
    await refused(ublOf(noBuyer), 'RECIPIENT_MISSING', 'recipientSiret', /BT-47/);
    await refused(ublOf(invoiceOf(w, { buyerSiret: '12345678200010' })), 'RECIPIENT_UNKNOWN', 'recipientSiret', /12345678200010/);
    await refused(ublOf(invoiceOf(w, { serviceCode: 'NOPE' })), 'SERVICE_UNKNOWN', 'serviceCode', /NOPE/);
    await refused(ublOf(invoiceOf(w, { framework: 'A9' })), 'INVOICE_DATA_INVALID', 'framework', /A9/);
    // Sent at once: the checks before sending apply (the service TECH requires an EJ), and nothing is kept.
    await refused(ublOf(invoiceOf(w, { ejNumber: null })), 'INVOICE_CHECKS_FAILED', 'ejNumber', /exige un numéro d'engagement/, { submit: true });
    await refused(ublOf(invoiceOf(w, { issueDate: '2026-12-01' })), 'INVOICE_CHECKS_FAILED', 'invoiceDate', /postérieur à la date du dépôt/, { submit: true });
    const after = await app.ctx.db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).where('supplier_structure_id', '=', w.supplier.structureId).executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));

    // Through the API: the same codes, fields keyed by the invoice's fields, a file over 10 MB refused.
    const api = await deposit(w.supplierApi.token, { supplierStructureId: String(w.supplier.structureId) }, { name: 'f.xml', bytes: ciiOf(wrongTotal) });
    assert.equal(api.status, 400);
    assert.equal(api.body.code, 'EN16931_INVALID');
    assert.match(api.body.fields.totalWithVat, /BT-112/);
    const big = await deposit(w.supplierApi.token, { supplierStructureId: String(w.supplier.structureId) }, { name: 'gros.xml', bytes: Buffer.alloc(10 * 1024 * 1024 + 10, 0x20) });
    assert.equal(big.status, 413);
    assert.equal(big.body.code, 'FILE_TOO_LARGE');
  });

  test('what the XML decides is locked; the supplier completes what it does not say (service code, EJ)', async () => {
    const w = await world();
    const r = await invoices.depositStructuredInvoice(app.ctx, w.supplierGp, w.supplier.structureId, { bytes: ublOf(invoiceOf(w, { serviceCode: null, ejNumber: null })), filename: 'sans-routage.xml' }, { channel: 'PORTAIL' });
    assert.ok(r.ok, JSON.stringify(r));
    const id = r.invoiceId;
    const put = await w.supplierApi.put(`/invoices/${id}`, { supplierStructureId: w.supplier.structureId, recipientSiret: w.buyer.siret, number: 'AUTRE', invoiceDate: '2026-11-27', lines: [] });
    assert.equal(put.status, 409);
    assert.equal(put.body.code, 'LOCKED_BY_FILE');
    let sent = await w.supplierApi.post(`/invoices/${id}/submit`);
    assert.equal(sent.status, 400);
    assert.match(sent.body.fields.serviceCode, /exige un code service/);
    const unknown = await w.supplierApi.patch(`/invoices/${id}`, { serviceCode: 'NOPE' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.fields.serviceCode, /n'existe pas/);
    assert.equal((await w.supplierApi.patch(`/invoices/${id}`, { serviceCode: 'TECH', ejNumber: '1000012345' })).status, 200);
    const mainReplaced = await app.http!.inject({ method: 'POST', url: `/api/v1/invoices/${id}/attachments`, ...(() => { const m = multipart({ role: 'PRINCIPALE' }, { name: 'autre.pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n'), type: 'application/pdf' }); return { payload: m.payload, headers: { ...m.headers, authorization: `Bearer ${w.supplierApi.token}` } }; })() });
    assert.equal(mainReplaced.statusCode, 409);
    sent = await w.supplierApi.post(`/invoices/${id}/submit`);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));

    // A draft whose XML gives the EJ keeps it.
    const r2 = await invoices.depositStructuredInvoice(app.ctx, w.supplierGp, w.supplier.structureId, { bytes: ublOf(invoiceOf(w)), filename: 'x.xml' });
    assert.ok(r2.ok);
    const locked = await w.supplierApi.patch(`/invoices/${r2.invoiceId}`, { ejNumber: '999' });
    assert.equal(locked.status, 400);
    assert.match(locked.body.fields.ejNumber, /fixé par le fichier/);
  });

  test('the Chorus Pro pre-deposit rules (CPRO-*) run too: a bad file is refused with French messages naming the field; completable data only warns', async () => {
    const w = await world();
    const dep = (bytes: Uint8Array) => invoices.depositStructuredInvoice(app.ctx, w.supplierGp, w.supplier.structureId, { bytes, filename: 'f.xml' });
    // A number of 27 characters with a space and a « # »: CPRO-08 and CPRO-09, on the field « number ».
    const bad = await dep(ublOf(invoiceOf(w, { number: 'FACTURE 2026#NUMERO-TROP-LG' })));
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    assert.equal(bad.code, 'CHORUS_RULES_FAILED');
    assert.match(bad.message, /contrôles de Chorus Pro avant dépôt : 2 règles en échec/);
    assert.deepEqual(bad.errors.map((e) => [e.rule, e.field]).sort(), [['CPRO-08', 'number'], ['CPRO-09', 'number']]);
    assert.match(bad.errors.find((e) => e.rule === 'CPRO-08')!.message, /Le numéro de facture \(BT-1\) ne doit pas dépasser 20 caractères/);
    assert.match(invoices.structuredDepositError(bad).fields!.number, /BT-1/);
    // A service closed on the deposit day: CPRO-07 on « serviceCode ».
    await app.ctx.db.updateTable('services').set({ active: false }).where('structure_id', '=', w.buyer.structureId).where('code', '=', 'ECOLES').execute();
    const closed = await dep(ciiOf(invoiceOf(w, { serviceCode: 'ECOLES', ejNumber: null })));
    assert.equal(closed.ok, false);
    if (!closed.ok) assert.deepEqual(closed.errors.map((e) => [e.rule, e.field]), [['CPRO-07', 'serviceCode']]);
    // Through the API: the same code and the field's message.
    const api = await deposit(w.supplierApi.token, { supplierStructureId: String(w.supplier.structureId) }, { name: 'f.xml', bytes: ublOf(invoiceOf(w, { number: 'FACTURE 2026#NUMERO-TROP-LG' })) });
    assert.equal(api.status, 400);
    assert.equal(api.body.code, 'CHORUS_RULES_FAILED');
    assert.match(api.body.fields.number, /BT-1/);
    // A missing EJ the draft can still receive: accepted as BROUILLON with the CPRO-05 warning.
    const draft = await dep(ublOf(invoiceOf(w, { ejNumber: null })));
    assert.equal(draft.ok, true, JSON.stringify(draft));
    if (draft.ok) {
      assert.equal(draft.status, 'BROUILLON');
      assert.ok(draft.warnings.some((x) => x.rule === 'CPRO-05' && x.field === 'ejNumber' && /engagement juridique/.test(x.message)), JSON.stringify(draft.warnings));
    }
  });

  test('rights: outsiders get 404, members in consultation only get 403', async () => {
    const w = await world();
    const bytes = ublOf(invoiceOf(w));
    const outsider = await newUser(app);
    await assert.rejects(invoices.depositStructuredInvoice(app.ctx, outsider, w.supplier.structureId, { bytes, filename: 'f.xml' }), (e: any) => e.code === 'NOT_FOUND');
    const reader = await newUser(app);
    await addMember(app, w.supplier.structureId, reader, [{ space: 'FACTURES_EMISES', access: 'CONSULTATION_UNIQUEMENT' }]);
    const readerApi = await apiSession(app, reader.email);
    const r = await deposit(readerApi.token, { supplierStructureId: String(w.supplier.structureId) }, { name: 'f.xml', bytes });
    assert.equal(r.status, 403);
  });
});

describe('structured deposit on the portal', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  test('the supplier uploads a Factur-X: the draft shows what the file locks, he completes the EJ, a bad file lists the failed rules', async () => {
    const { webSession } = await import('../helpers/web-session.ts');
    const gp = await newUser(app);
    const buyerGp = await newUser(app);
    const supplier = await newStructure(app, gp, { name: 'Menuiserie Web' });
    const buyer = await newStructure(app, buyerGp, { name: 'Ville Web', kind: 'PUBLIQUE' });
    await createService(app.ctx, buyerGp, buyer.structureId, { code: 'TECH', name: 'Services techniques', numeroEjDoitEtreRenseigne: true });
    await createEngagement(app.ctx, buyerGp, buyer.structureId, { number: 'EJ-77', state: 'COMMANDE', amount: '1000.00', serviceCode: 'TECH', supplierSiret: supplier.siret });
    const web = await webSession(app, gp.email);
    const pageUrl = `/structures/${supplier.structureId}/factures-emises/deposer`;
    assert.match((await web.get(`/structures/${supplier.structureId}/factures-emises`)).body, /Déposer une facture/);
    const pdf = await facturxOf(sampleInvoice({ sellerSiret: supplier.siret, buyerSiret: buyer.siret, number: 'WEB-1', issueDate: '2026-11-27', serviceCode: 'TECH', ejNumber: null }));
    const res = await web.upload(pageUrl, pageUrl, {}, [{ field: 'file', name: 'WEB-1.pdf', bytes: pdf, type: 'application/pdf' }]);
    assert.equal(res.statusCode, 303, res.body);
    const detailUrl = res.headers.location as string;
    const detail = await web.get(detailUrl);
    assert.match(detail.body, /Factur-X \(PDF\/A-3\), syntaxe CII, profil EN16931/);
    assert.match(detail.body, /le code service aussi/);
    assert.match(detail.body, /Compléter le brouillon/);
    const completed = await web.submit(detailUrl.replace(/\?.*$/, ''), `${detailUrl.replace(/\?.*$/, '')}/completer`, { ejNumber: 'EJ-77', comment: 'Commande de novembre' });
    assert.equal(completed.statusCode, 303, completed.body);
    const id = Number(detailUrl.replace(/\?.*$/, '').split('/').pop());
    const inv = await invoices.getInvoice(app.ctx, gp, id);
    assert.equal(inv.invoice.ej_number, 'EJ-77');
    assert.equal(inv.invoice.deposit_mode, 'UPLOAD_PORTAIL');

    const wrong = sampleInvoice({ sellerSiret: supplier.siret, buyerSiret: buyer.siret, number: 'WEB-2', issueDate: '2026-11-27' });
    wrong.totals.taxInclusiveAmount = '1.00';
    const bad = await web.upload(pageUrl, pageUrl, {}, [{ field: 'file', name: 'WEB-2.xml', bytes: ublOf(wrong), type: 'application/xml' }]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Contrôles en échec/);
    assert.match(bad.body, /BR-CO-15/);
    const none = await web.upload(pageUrl, pageUrl, {}, []);
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choisissez un fichier/);
  });
});
