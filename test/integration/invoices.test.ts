import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser, supplierAndBuyer } from '../helpers/factories.ts';
import { addMember, apiSession } from '../helpers/structure-members.ts';
import { editStructure } from '../../src/structures/index.ts';
import * as invoices from '../../src/invoices/index.ts';

describe('standard invoices: deposit, checks, path and processing', () => {
  const clock = new TestClock(new Date('2026-11-28T09:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  /** A supplier and a public buyer requiring a service code, whose service TECH requires an EJ registered for the supplier. */
  async function world() {
    const { supplierGp, buyerGp, supplier, buyer } = await supplierAndBuyer(app, { supplier: 'BTP Test', buyer: 'Commune Test', schools: true });
    return {
      supplierGp, buyerGp, supplier, buyer,
      supplierApi: await apiSession(app, supplierGp.email),
      buyerApi: await apiSession(app, buyerGp.email),
    };
  }
  let counter = 0;
  const draftBody = (w: Awaited<ReturnType<typeof world>>, overrides: Record<string, unknown> = {}) => ({
    supplierStructureId: w.supplier.structureId,
    recipientSiret: w.buyer.siret,
    serviceCode: 'TECH',
    ejNumber: '1000012345',
    number: `F-2026-${String(++counter).padStart(4, '0')}`,
    invoiceDate: '2026-11-27',
    lines: [
      { description: 'Dépose de la toiture', quantity: '3', unitPrice: '1234.565', discountAmount: '10.00', vatRate: '20' },
      { description: 'Fournitures', quantity: '2.5', unitPrice: '19.99', vatRate: '5.5' },
    ],
    ...overrides,
  });
  async function waitForStatus(api: { get(url: string): Promise<{ status: number; body: any }> }, id: number, status: string) {
    for (let i = 0; i < 100; i++) {
      const r = await api.get(`/invoices/${id}`);
      if (r.body?.status === status) return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`invoice ${id} never reached ${status}`);
  }

  /** A multipart body as a browser would send it. */
  function multipartBody(fields: Record<string, string>, files: Array<{ name: string; bytes: Buffer; type?: string }>) {
    const boundary = `----ouvrage${Date.now()}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    for (const f of files) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/pdf'}\r\n\r\n`));
      parts.push(f.bytes, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }
  async function upload(token: string, id: number, role: string, files: Array<{ name: string; bytes: Buffer; type?: string }>) {
    const { payload, headers } = multipartBody({ role }, files);
    const res = await app.http!.inject({ method: 'POST', url: `/api/v1/invoices/${id}/attachments`, payload, headers: { ...headers, authorization: `Bearer ${token}` } });
    return { status: res.statusCode, body: res.json() };
  }
  const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);

  test('a form deposit computes exact totals: line discounts, VAT per rate (half-up), HT + TVA = TTC, amount due', async () => {
    const w = await world();
    const r = await w.supplierApi.post('/invoices', draftBody(w, { prepaidAmount: '100.00' }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const inv = (await w.supplierApi.get(`/invoices/${r.body.invoiceId}`)).body;
    assert.equal(inv.status, 'BROUILLON');
    // 3 × 1234.565 = 3703.695 → 3703.70, minus 10.00 = 3693.70; 2.5 × 19.99 = 49.975 → 49.98.
    assert.deepEqual(inv.lines.map((l: any) => l.netAmount), ['3693.70', '49.98']);
    assert.deepEqual(inv.vatBreakdown, [
      { vatRate: '20.00', taxableAmount: '3693.70', vatAmount: '738.74' },
      { vatRate: '5.50', taxableAmount: '49.98', vatAmount: '2.75' },
    ]);
    assert.deepEqual(inv.totals, { totalWithoutVat: '3743.68', totalVat: '741.49', totalWithVat: '4485.17', prepaidAmount: '100.00', amountDue: '4385.17' });
    const bad = await w.supplierApi.post('/invoices', draftBody(w, { lines: [{ description: '', quantity: 'trois', unitPrice: '10', vatRate: '19.6' }] }));
    assert.equal(bad.status, 400);
    assert.match(bad.body.fields['lines.0.description'], /désignation est obligatoire/);
    assert.match(bad.body.fields['lines.0.quantity'], /quantité/);
    assert.match(bad.body.fields['lines.0.vatRate'], /taux de TVA/);
  });

  test('valider et envoyer: DEPOSEE with a certificate whose fingerprints match the stored files, then routed to MISE_A_DISPOSITION and the buyer notified', async () => {
    const w = await world();
    const { body } = await w.supplierApi.post('/invoices', draftBody(w, { mode: 'PDF', lines: undefined, totals: { totalWithoutVat: '1000.00', totalVat: '200.00', totalWithVat: '1200.00' } }));
    const id = body.invoiceId;
    assert.equal((await upload(w.supplierApi.token, id, 'PRINCIPALE', [{ name: 'facture-F1.pdf', bytes: pdf('facture') }])).status, 201);
    const extra = await upload(w.supplierApi.token, id, 'COMPLEMENTAIRE', [{ name: 'pv-reception.pdf', bytes: pdf('pv') }, { name: 'photos.zip', bytes: Buffer.from('PK zip'), type: 'application/zip' }]);
    assert.equal(extra.status, 201, JSON.stringify(extra.body));
    const sent = await w.supplierApi.post(`/invoices/${id}/submit`);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.status, 'DEPOSEE');
    assert.equal(sent.body.files.length, 3);

    // The certificate is stored durably; its own SHA-256 and the fingerprints it lists match the stored bytes.
    const cert = await w.supplierApi.get(`/invoices/${id}/documents/${sent.body.certificate.documentId}`);
    assert.equal(cert.status, 200);
    const certBytes = cert.raw.rawPayload;
    assert.equal(createHash('sha256').update(certBytes).digest('hex'), sent.body.certificate.sha256);
    assert.ok(certBytes.subarray(0, 5).toString() === '%PDF-');
    const keywords = certBytes.toString('latin1');
    for (const f of sent.body.files) {
      const stored = await app.ctx.blobs.get(f.sha256);
      assert.equal(createHash('sha256').update(stored).digest('hex'), f.sha256, `stored ${f.filename}`);
      assert.ok(keywords.includes(`sha256:${f.sha256}`), `certificate lists ${f.filename}`);
    }

    const inv = await waitForStatus(w.supplierApi, id, 'MISE_A_DISPOSITION');
    assert.deepEqual(inv.path.filter((e: any) => e.type === 'TRANSITION').map((e: any) => [e.toStatus, e.reformCode]), [['DEPOSEE', 200], ['EN_COURS_ACHEMINEMENT', 201], ['MISE_A_DISPOSITION', 203]]);
    assert.equal(inv.chainValid, true);
    await app.mailbox!.waitFor(w.buyerGp.email, /Facture F-2026/);
    const list = await w.buyerApi.get(`/invoices?structureId=${w.buyer.structureId}&side=RECUES`);
    assert.ok(list.body.invoices.some((i: any) => i.id === id));
  });

  test('every check before sending refuses bad data with a French message naming the field', async () => {
    const w = await world();
    const send = async (overrides: Record<string, unknown>) => {
      const d = await w.supplierApi.post('/invoices', draftBody(w, overrides));
      assert.equal(d.status, 201, JSON.stringify(d.body));
      const r = await w.supplierApi.post(`/invoices/${d.body.invoiceId}/submit`);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.code, 'INVOICE_CHECKS_FAILED');
      return r.body.fields as Record<string, string>;
    };
    // Unknown recipient: not even a draft.
    const unknown = await w.supplierApi.post('/invoices', draftBody(w, { recipientSiret: '12345678200010' }));
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.fields.recipientSiret, /SIRET 12345678200010/);
    // A private recipient, an inactive one.
    assert.match((await send({ recipientSiret: w.supplier.siret, serviceCode: null, ejNumber: null })).recipientSiret, /n'est pas une structure publique/);
    const other = await newStructure(app, w.buyerGp, { kind: 'PUBLIQUE', name: 'Syndicat dissous' });
    await app.ctx.db.updateTable('structures').set({ status: 'INACTIVE' }).where('id', '=', other.structureId).execute();
    assert.match((await send({ recipientSiret: other.siret, serviceCode: null, ejNumber: null })).recipientSiret, /n'est plus active/);
    // Service code required by the recipient; EJ required by the service TECH; EJ must exist in the register.
    assert.match((await send({ serviceCode: null, ejNumber: null })).serviceCode, /exige un code service/);
    assert.match((await send({ ejNumber: null })).ejNumber, /service « TECH » .* exige un numéro d'engagement/);
    assert.match((await send({ ejNumber: '9999999999' })).ejNumber, /n'existe pas dans le registre des engagements/);
    const unknownService = await w.supplierApi.post('/invoices', draftBody(w, { serviceCode: 'NOPE' }));
    assert.match(unknownService.body.fields.serviceCode, /n'existe pas chez Commune Test/);
    // Invoice number: format, then uniqueness per supplier.
    assert.match((await send({ number: 'FACTURE N°2026 ÉTÉ TROP LONGUE' })).number, /20 caractères au plus/);
    const first = draftBody(w);
    assert.equal((await w.supplierApi.post('/invoices', first)).status, 201);
    const dup = await w.supplierApi.post('/invoices', { ...draftBody(w), number: first.number });
    assert.equal(dup.status, 409);
    assert.match(dup.body.fields.number, /déjà utilisé/);
    // Dates, currency, credit note without its original invoice.
    assert.match((await send({ invoiceDate: '2026-11-29' })).invoiceDate, /postérieur à la date du dépôt/);
    const badDate = await w.supplierApi.post('/invoices', draftBody(w, { invoiceDate: '2026-02-30' }));
    assert.match(badDate.body.fields.invoiceDate, /n'est pas une date valide/);
    assert.match((await send({ currency: 'EURO' })).currency, /ISO 4217/);
    assert.match((await send({ documentType: 'AVOIR' })).originalInvoiceNumber, /avoir doit indiquer/);
    // Form without lines; PDF without its main document; declared totals that do not add up.
    assert.match((await send({ lines: [] })).lines, /au moins une ligne/);
    const pdfFields = await send({ mode: 'PDF', lines: undefined, totals: { totalWithoutVat: '1000.00', totalVat: '200.00', totalWithVat: '1250.00' } });
    assert.match(pdfFields.mainDocument, /joignez la facture au format PDF/);
    assert.match(pdfFields.totalWithVat, /total TTC \(1250.00\) doit être égal au total HT \(1000.00\) plus la TVA \(200.00\)/);
    const due = await send({ mode: 'PDF', lines: undefined, totals: { totalWithoutVat: '1000.00', totalVat: '200.00', totalWithVat: '1200.00', amountDue: '1300.00' } });
    assert.match(due.amountDue, /net à payer/);
    // A recipient asking for "EJ or service code": either one suffices, none is refused.
    const either = await newStructure(app, w.buyerGp, { kind: 'PUBLIQUE', name: 'Département Test' });
    await editStructure(app.ctx, w.buyerGp, either.structureId, { parameters: { gestionNumeroEJOuCodeService: true } });
    assert.match((await send({ recipientSiret: either.siret, serviceCode: null, ejNumber: null })).ejNumber, /exige l'un des deux/);
  });

  test('attachments: 10 MB per file, 120 MB per invoice, names of at most 50 characters with an allowed extension', async () => {
    const w = await world();
    const { body } = await w.supplierApi.post('/invoices', draftBody(w));
    const id = body.invoiceId;
    const longName = `${'x'.repeat(47)}.pdf`;
    let r = await upload(w.supplierApi.token, id, 'COMPLEMENTAIRE', [{ name: longName, bytes: pdf('a') }]);
    assert.equal(r.status, 400);
    assert.match(r.body.fields['files.0'], /dépasse 50 caractères/);
    r = await upload(w.supplierApi.token, id, 'COMPLEMENTAIRE', [{ name: 'script.exe', bytes: pdf('a') }]);
    assert.match(r.body.fields['files.0'], /extension « \.exe »/);
    r = await upload(w.supplierApi.token, id, 'COMPLEMENTAIRE', [{ name: 'sans-extension', bytes: pdf('a') }]);
    assert.match(r.body.fields['files.0'], /doit avoir une extension/);
    r = await upload(w.supplierApi.token, id, 'COMPLEMENTAIRE', [{ name: 'vide.txt', bytes: Buffer.alloc(0), type: 'text/plain' }]);
    assert.match(r.body.fields['files.0'], /est vide/);
    r = await upload(w.supplierApi.token, id, 'COMPLEMENTAIRE', [{ name: 'gros.pdf', bytes: Buffer.alloc(10 * 1024 * 1024 + 1, 1) }]);
    assert.equal(r.status, 400);
    assert.match(r.body.fields['files.0'], /dépasse 10 Mo/);
    const tenMegabytes = Buffer.alloc(10 * 1024 * 1024, 7);
    await assert.rejects(
      invoices.addAttachments(app.ctx, w.supplierGp, id, Array.from({ length: 13 }, (_, i) => ({ filename: `plan-${i}.pdf`, mediaType: 'application/pdf', bytes: tenMegabytes })), 'COMPLEMENTAIRE'),
      (e: any) => e.code === 'ATTACHMENTS_TOO_LARGE' && /120 Mo/.test(e.userMessage),
    );
    assert.equal((await w.supplierApi.get(`/invoices/${id}`)).body.documents.length, 0);
  });

  test("the buyer's processing: suspend with a reason, the supplier completes, service fait, mandate, payment; transitions outside the table are refused", async () => {
    const w = await world();
    const { body } = await w.supplierApi.post('/invoices', draftBody(w));
    const id = body.invoiceId;
    // Not yet sent: the buyer does not see it, and cannot act on it.
    assert.equal((await w.buyerApi.get(`/invoices/${id}`)).status, 404);
    assert.equal((await w.supplierApi.post(`/invoices/${id}/submit`)).status, 200);
    await waitForStatus(w.buyerApi, id, 'MISE_A_DISPOSITION');

    const noReason = await w.buyerApi.post(`/invoices/${id}/actions`, { action: 'SUSPENDRE' });
    assert.equal(noReason.status, 409);
    assert.match(noReason.body.message, /motif est obligatoire/);
    const notAllowed = await w.supplierApi.post(`/invoices/${id}/actions`, { action: 'COMPLETER', comment: 'trop tôt' });
    assert.equal(notAllowed.status, 409);
    assert.equal(notAllowed.body.message, "L'action « Compléter » n'est pas possible pour le fournisseur sur une facture au statut « Mise à disposition ».");
    const supplierActsAsBuyer = await w.supplierApi.post(`/invoices/${id}/actions`, { action: 'SERVICE_FAIT' });
    assert.equal(supplierActsAsBuyer.status, 404, 'the supplier is not the recipient');

    let r = await w.buyerApi.post(`/invoices/${id}/actions`, { action: 'SUSPENDRE', reason: 'PIECE_JUSTIFICATIVE_MANQUANTE', comment: 'Joindre le PV de réception' });
    assert.deepEqual(r.body, { invoiceId: id, status: 'SUSPENDUE' });
    await app.mailbox!.waitFor(w.supplierGp.email, /Suspendue/);
    const empty = await w.supplierApi.post(`/invoices/${id}/actions`, { action: 'COMPLETER' });
    assert.equal(empty.status, 400);
    assert.match(empty.body.fields.comment, /au moins une pièce/);
    assert.equal((await upload(w.supplierApi.token, id, 'COMPLEMENTAIRE', [{ name: 'pv.pdf', bytes: pdf('pv') }])).status, 201);
    r = await w.supplierApi.post(`/invoices/${id}/actions`, { action: 'COMPLETER', comment: 'PV joint' });
    assert.equal(r.body.status, 'COMPLETEE');
    const work = await w.buyerApi.get(`/invoices?structureId=${w.buyer.structureId}&side=RECUES&status=COMPLETEE`);
    assert.deepEqual(work.body.invoices.map((i: any) => i.id), [id]);

    assert.equal((await w.buyerApi.post(`/invoices/${id}/actions`, { action: 'SERVICE_FAIT' })).body.status, 'SERVICE_FAIT');
    const noMandate = await w.buyerApi.post(`/invoices/${id}/actions`, { action: 'MANDATER' });
    assert.match(noMandate.body.message, /numéro de mandat/);
    assert.equal((await w.buyerApi.post(`/invoices/${id}/actions`, { action: 'MANDATER', mandateNumber: 'M-2026-42' })).body.status, 'MANDATEE');
    assert.equal((await w.buyerApi.post(`/invoices/${id}/actions`, { action: 'METTRE_EN_PAIEMENT' })).body.status, 'MISE_EN_PAIEMENT');
    const back = await w.buyerApi.post(`/invoices/${id}/actions`, { action: 'SUSPENDRE', reason: 'AUTRE', comment: 'x' });
    assert.equal(back.status, 409);

    const inv = (await w.supplierApi.get(`/invoices/${id}`)).body;
    assert.equal(inv.mandateNumber, 'M-2026-42');
    assert.deepEqual(
      inv.path.filter((e: any) => e.type === 'TRANSITION').map((e: any) => `${e.toStatus}:${e.reformCode}`),
      ['DEPOSEE:200', 'EN_COURS_ACHEMINEMENT:201', 'MISE_A_DISPOSITION:203', 'SUSPENDUE:208', 'COMPLETEE:209', 'SERVICE_FAIT:205', 'MANDATEE:211', 'MISE_EN_PAIEMENT:211'],
    );
    const suspended = inv.path.find((e: any) => e.toStatus === 'SUSPENDUE');
    assert.equal(suspended.reason, 'PIECE_JUSTIFICATIVE_MANQUANTE');
    assert.equal(suspended.comment, 'Joindre le PV de réception');
    assert.equal(suspended.actorRole, 'DESTINATAIRE');
    assert.deepEqual((await w.supplierApi.get(`/invoices/${id}/history/verify`)).body, { ok: true, events: inv.path.length });
    assert.equal(inv.chainValid, true);
  });

  test('rights: consultation cannot act, a per-service right sees only its service, outsiders see nothing', async () => {
    const w = await world();
    const ids: number[] = [];
    for (const serviceCode of ['TECH', 'ECOLES']) {
      const { body } = await w.supplierApi.post('/invoices', draftBody(w, { serviceCode, ejNumber: serviceCode === 'TECH' ? '1000012345' : null }));
      assert.equal((await w.supplierApi.post(`/invoices/${body.invoiceId}/submit`)).status, 200);
      await waitForStatus(w.supplierApi, body.invoiceId, 'MISE_A_DISPOSITION');
      ids.push(body.invoiceId);
    }
    const reader = await newUser(app);
    await addMember(app, w.buyer.structureId, reader, [{ space: 'FACTURES_RECUES', access: 'CONSULTATION_UNIQUEMENT' }]);
    const readerApi = await apiSession(app, reader.email);
    assert.equal((await readerApi.get(`/invoices/${ids[0]}`)).status, 200);
    assert.equal((await readerApi.post(`/invoices/${ids[0]}/actions`, { action: 'SERVICE_FAIT' })).status, 403);

    const schools = await newUser(app);
    await addMember(app, w.buyer.structureId, schools);
    const ecoles = await app.ctx.db.selectFrom('services').select('id').where('structure_id', '=', w.buyer.structureId).where('code', '=', 'ECOLES').executeTakeFirstOrThrow();
    await app.ctx.db.insertInto('habilitations').values({ user_id: schools.userId, structure_id: w.buyer.structureId, space: 'FACTURES_RECUES', access: 'MODIFICATION', service_id: ecoles.id }).execute();
    const schoolsApi = await apiSession(app, schools.email);
    const list = await schoolsApi.get(`/invoices?structureId=${w.buyer.structureId}&side=RECUES`);
    assert.deepEqual(list.body.invoices.map((i: any) => i.id), [ids[1]]);
    assert.equal((await schoolsApi.get(`/invoices/${ids[0]}`)).status, 404);
    assert.equal((await schoolsApi.post(`/invoices/${ids[1]}/actions`, { action: 'SERVICE_FAIT' })).body.status, 'SERVICE_FAIT');

    const outsider = await apiSession(app, (await newUser(app)).email);
    assert.equal((await outsider.get(`/invoices/${ids[0]}`)).status, 404);
    assert.equal((await outsider.get(`/invoices?structureId=${w.supplier.structureId}&side=EMISES`)).status, 404);
  });

  test('rejection is final: the supplier handles it once; recycling keeps the number and routes again; A2 lands at MISE_EN_PAIEMENT', async () => {
    const w = await world();
    const a = (await w.supplierApi.post('/invoices', draftBody(w))).body.invoiceId;
    await w.supplierApi.post(`/invoices/${a}/submit`);
    await waitForStatus(w.buyerApi, a, 'MISE_A_DISPOSITION');
    assert.equal((await w.buyerApi.post(`/invoices/${a}/actions`, { action: 'REJETER', reason: 'MONTANT_ERRONE', comment: 'Le taux de TVA est faux' })).body.status, 'REJETEE');
    assert.equal((await w.supplierApi.post(`/invoices/${a}/actions`, { action: 'TRAITER_REJET' })).body.status, 'REJETEE');
    assert.match((await w.supplierApi.post(`/invoices/${a}/actions`, { action: 'TRAITER_REJET' })).body.message, /déjà été traité/);

    const b = (await w.supplierApi.post('/invoices', draftBody(w))).body.invoiceId;
    const number = (await w.supplierApi.get(`/invoices/${b}`)).body.number;
    await w.supplierApi.post(`/invoices/${b}/submit`);
    await waitForStatus(w.buyerApi, b, 'MISE_A_DISPOSITION');
    assert.equal((await w.buyerApi.post(`/invoices/${b}/actions`, { action: 'METTRE_A_RECYCLER', reason: 'CODE_SERVICE_ERRONE' })).body.status, 'A_RECYCLER');
    const wrong = await w.supplierApi.post(`/invoices/${b}/actions`, { action: 'RECYCLER', serviceCode: 'TECH', ejNumber: null });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.fields.ejNumber, /exige un numéro d'engagement/);
    assert.equal((await w.supplierApi.post(`/invoices/${b}/actions`, { action: 'RECYCLER', serviceCode: 'ECOLES', ejNumber: null })).body.status, 'DEPOSEE');
    const recycled = await waitForStatus(w.buyerApi, b, 'MISE_A_DISPOSITION');
    assert.equal(recycled.number, number);
    assert.equal(recycled.recipient.serviceCode, 'ECOLES');

    const c = (await w.supplierApi.post('/invoices', draftBody(w, { framework: 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE' }))).body.invoiceId;
    await w.supplierApi.post(`/invoices/${c}/submit`);
    const paid = await waitForStatus(w.supplierApi, c, 'MISE_EN_PAIEMENT');
    assert.deepEqual(paid.availableActions, { FOURNISSEUR: [] });
    assert.equal((await w.buyerApi.post(`/invoices/${c}/actions`, { action: 'SUSPENDRE', reason: 'AUTRE', comment: 'x' })).status, 409);
  });

  test('the path is append-only and hash-chained: tampering with an event is detected', async () => {
    const w = await world();
    const id = (await w.supplierApi.post('/invoices', draftBody(w))).body.invoiceId;
    await w.supplierApi.post(`/invoices/${id}/submit`);
    await waitForStatus(w.supplierApi, id, 'MISE_A_DISPOSITION');
    assert.deepEqual((await w.supplierApi.get(`/invoices/${id}/history/verify`)).body, { ok: true, events: 4 });
    // The database refuses changes to the history.
    await assert.rejects(app.ctx.db.updateTable('invoice_events').set({ comment: 'effacé' }).where('invoice_id', '=', id).execute(), /append-only/);
    await assert.rejects(app.ctx.db.deleteFrom('invoice_events').where('invoice_id', '=', id).execute(), /append-only/);
    // Someone with the power to bypass it changes the deposit event: the chain shows where.
    await app.ctx.db.transaction().execute(async (trx) => {
      await sql`ALTER TABLE invoice_events DISABLE TRIGGER invoice_events_no_change`.execute(trx);
      await sql`UPDATE invoice_events SET actor_role = 'DESTINATAIRE' WHERE invoice_id = ${id} AND seq = 2`.execute(trx);
      await sql`ALTER TABLE invoice_events ENABLE TRIGGER invoice_events_no_change`.execute(trx);
    });
    const verdict = (await w.supplierApi.get(`/invoices/${id}/history/verify`)).body;
    assert.equal(verdict.ok, false);
    assert.equal(verdict.brokenAtSeq, 2);
    assert.match(verdict.problem, /a été modifié/);
    assert.equal((await w.supplierApi.get(`/invoices/${id}`)).body.chainValid, false);
  });
});
