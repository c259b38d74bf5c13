import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { addMember, apiSession } from '../helpers/structure-members.ts';
import { webSession } from '../helpers/web-session.ts';
import { notifyMany, sendDailyDigests } from '../../src/notifications/index.ts';

describe('notifications: preferences (immediate, daily digest, none), invoice status changes, list and read state', () => {
  // 06:00 in Paris (UTC+1 in winter): the day's digest is due at 06:00Z.
  const clock = new TestClock(new Date('2026-11-30T05:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app?.cleanup());

  async function world() {
    const supplierGp = await newUser(app, { firstName: 'Marie', lastName: 'Fournisseur' });
    const buyerGp = await newUser(app, { firstName: 'Claire', lastName: 'Acheteuse' });
    const buyerClerk = await newUser(app, { firstName: 'Paul', lastName: 'Comptable' });
    const buyerOther = await newUser(app, { firstName: 'Léa', lastName: 'Marchés' });
    const supplier = await newStructure(app, supplierGp, { name: 'BTP Notif' });
    const buyer = await newStructure(app, buyerGp, { name: 'Commune Notif', kind: 'PUBLIQUE' });
    await addMember(app, buyer.structureId, buyerClerk, [{ space: 'FACTURES_RECUES', access: 'MODIFICATION' }]);
    await addMember(app, buyer.structureId, buyerOther, [{ space: 'ENGAGEMENTS', access: 'MODIFICATION' }]);
    return {
      supplierGp, buyerGp, buyerClerk, buyerOther, supplier, buyer,
      supplierApi: await apiSession(app, supplierGp.email),
      buyerApi: await apiSession(app, buyerGp.email),
      clerkApi: await apiSession(app, buyerClerk.email),
    };
  }
  let counter = 0;
  async function sentInvoice(w: Awaited<ReturnType<typeof world>>) {
    const number = `N-2026-${String(++counter).padStart(4, '0')}`;
    const r = await w.supplierApi.post('/invoices', {
      supplierStructureId: w.supplier.structureId, recipientSiret: w.buyer.siret, number, invoiceDate: '2026-11-27',
      lines: [{ description: 'Entretien des espaces verts', quantity: '1', unitPrice: '1000.00', vatRate: '20' }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal((await w.supplierApi.post(`/invoices/${r.body.invoiceId}/submit`)).status, 200);
    for (let i = 0; i < 100; i++) {
      if ((await w.buyerApi.get(`/invoices/${r.body.invoiceId}`)).body?.status === 'MISE_A_DISPOSITION') return { id: r.body.invoiceId as number, number };
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`invoice ${number} never reached MISE_A_DISPOSITION`);
  }
  /** The mail jobs committed for an address (the queue is the proof: a mail job exists or not). */
  async function mailJobs(to: string, subject?: RegExp) {
    const rows = await sql<{ data: { subject: string; text: string } }>`SELECT data FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = ${to} ORDER BY created_on`.execute(app.ctx.db);
    return rows.rows.map((r) => r.data).filter((d) => !subject || subject.test(d.subject));
  }
  const notes = (userId: number) => app.ctx.db.selectFrom('notifications').select(['kind', 'category', 'message', 'digest_pending', 'digested_at', 'read_at']).where('user_id', '=', userId).orderBy('id').execute();

  test('preferences: immediate by default, changed per category through the API and the account page, bad values refused in French', async () => {
    const w = await world();
    assert.deepEqual((await w.supplierApi.get('/account/notification-preferences')).body, { FACTURES: 'IMMEDIAT', VALIDATION: 'IMMEDIAT', TRAVAUX: 'IMMEDIAT', COMPTE: 'IMMEDIAT' });
    const put = await w.supplierApi.put('/account/notification-preferences', { FACTURES: 'QUOTIDIEN', TRAVAUX: 'AUCUN' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(put.body, { FACTURES: 'QUOTIDIEN', VALIDATION: 'IMMEDIAT', TRAVAUX: 'AUCUN', COMPTE: 'IMMEDIAT' });
    const bad = await w.supplierApi.put('/account/notification-preferences', { FACTURES: 'HEBDOMADAIRE' });
    assert.equal(bad.status, 400);
    assert.equal((await w.supplierApi.get('/account/notification-preferences')).body.FACTURES, 'QUOTIDIEN');
    assert.equal((await apiSession(app, w.buyerGp.email).then((c) => c.get('/account/notification-preferences'))).body.FACTURES, 'IMMEDIAT', 'per user');

    const web = await webSession(app, w.buyerGp.email);
    const page = await web.get('/compte');
    assert.match(page.body, /Mes notifications par courriel/);
    assert.match(page.body, /id="pref-FACTURES-IMMEDIAT"[^>]*checked/);
    const saved = await web.submit('/compte', '/compte/notifications', { FACTURES: 'AUCUN', VALIDATION: 'QUOTIDIEN', TRAVAUX: 'IMMEDIAT', COMPTE: 'IMMEDIAT' });
    assert.equal(saved.statusCode, 303);
    const after = await web.get(saved.headers.location as string);
    assert.match(after.body, /préférences de notification sont enregistrées/);
    assert.match(after.body, /id="pref-FACTURES-AUCUN"[^>]*checked/);
    assert.match(after.body, /id="pref-VALIDATION-QUOTIDIEN"[^>]*checked/);
    const wrong = await web.submit('/compte', '/compte/notifications', { FACTURES: 'JAMAIS' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Choisissez immédiatement, résumé quotidien ou pas de courriel/);
  });

  test("status changes notify the users concerned: the recipient's users with the space when it is made available, the supplier's when the buyer acts; immediate means one mail job each", async () => {
    const w = await world();
    const inv = await sentInvoice(w);
    for (const u of [w.buyerGp, w.buyerClerk]) {
      const n = await notes(u.userId);
      assert.equal(n.length, 1, `${u.email} is told once`);
      assert.equal(n[0].kind, 'INVOICE_MISE_A_DISPOSITION');
      assert.equal(n[0].category, 'FACTURES');
      assert.match(n[0].message, new RegExp(`Facture ${inv.number} de BTP Notif \\(1.200,00.€\\) : mise à disposition`));
      assert.equal((await mailJobs(u.email, new RegExp(inv.number))).length, 1);
    }
    assert.equal((await notes(w.buyerOther.userId)).length, 0, 'a member without « Factures reçues » hears nothing');
    assert.equal((await notes(w.supplierGp.userId)).length, 0, 'the supplier is not told about its own deposit');

    assert.equal((await w.clerkApi.post(`/invoices/${inv.id}/actions`, { action: 'SUSPENDRE', reason: 'PIECE_JUSTIFICATIVE_MANQUANTE', comment: 'Joindre le PV' })).status, 200);
    const s = await notes(w.supplierGp.userId);
    assert.deepEqual(s.map((x) => x.kind), ['INVOICE_SUSPENDUE']);
    const mail = await app.mailbox!.waitFor(w.supplierGp.email, new RegExp(`${inv.number} : Suspendue`));
    assert.match(mail.text, /Motif : /);
    assert.match(mail.text, /Commentaire : Joindre le PV/);
    assert.equal((await notes(w.buyerClerk.userId)).length, 1, 'the buyer is not told about its own action');
  });

  test('what happens together is one immediate mail per person and category, listing each event; the app keeps one notification each', async () => {
    const w = await world();
    const at = (n: number) => ({ userId: w.buyerClerk.userId, structureId: w.buyer.structureId, kind: 'INVOICE_MISE_A_DISPOSITION', message: `Facture G-${n} : mise à disposition`, link: `/x/${n}`, mail: { subject: `Facture G-${n}`, text: `Bonjour,\n\nhttp://ouvrage.test/x/${n}\n` } });
    await app.ctx.db.transaction().execute((trx) =>
      notifyMany(trx, [at(1), at(2), at(3), { ...at(4), kind: 'WORKS_PIECE', message: 'Pièce de travaux', mail: { subject: 'Pièce de travaux', text: 'Bonjour' } }]));
    assert.equal((await notes(w.buyerClerk.userId)).length, 4);
    const mails = (await mailJobs(w.buyerClerk.email)).sort((a, b) => a.subject.localeCompare(b.subject));
    assert.deepEqual(mails.map((m) => m.subject), ['Ouvrage : 3 notifications — Factures', 'Pièce de travaux']);
    for (const n of [1, 2, 3]) assert.match(mails[0]!.text, new RegExp(`- Facture G-${n} : mise à disposition\\n  http://ouvrage.test/x/${n}`));
  });

  test('daily digest: no mail at the change, one mail at 07:00 Paris with every waiting notification, exactly once even when two runs race; the next ones wait for the next day; « aucun » stays in the app', async () => {
    const w = await world();
    assert.equal((await w.buyerApi.put('/account/notification-preferences', { FACTURES: 'QUOTIDIEN' })).status, 200);
    assert.equal((await w.clerkApi.put('/account/notification-preferences', { FACTURES: 'AUCUN' })).status, 200);
    const a = await sentInvoice(w);
    const b = await sentInvoice(w);
    assert.equal((await mailJobs(w.buyerGp.email)).length, 0, 'digest: no mail at the change');
    assert.equal((await mailJobs(w.buyerClerk.email)).length, 0, 'none: no mail at all');
    assert.deepEqual((await notes(w.buyerClerk.userId)).map((n) => [n.kind, n.digest_pending]), [['INVOICE_MISE_A_DISPOSITION', false], ['INVOICE_MISE_A_DISPOSITION', false]]);
    assert.deepEqual((await notes(w.buyerGp.userId)).map((n) => n.digest_pending), [true, true]);

    // 06:50 in Paris: too early.
    clock.advanceMinutes((Date.parse('2026-11-30T05:50:00Z') - clock.now().getTime()) / 60_000);
    await sendDailyDigests(app.ctx);
    assert.equal((await mailJobs(w.buyerGp.email)).length, 0);

    // 07:05: one mail with both; two runs racing send it once.
    clock.advanceMinutes(15);
    await Promise.all([sendDailyDigests(app.ctx), sendDailyDigests(app.ctx)]);
    await sendDailyDigests(app.ctx);
    const digests = await mailJobs(w.buyerGp.email, /résumé quotidien/);
    assert.equal(digests.length, 1);
    assert.equal(digests[0].subject, 'Ouvrage — résumé quotidien : 2 notifications');
    for (const inv of [a, b]) assert.match(digests[0].text, new RegExp(`Facture ${inv.number} de BTP Notif`));
    assert.match(digests[0].text, /http:\/\/localhost:8080\/structures\/\d+\/factures-recues\/\d+/);
    const received = await app.mailbox!.waitFor(w.buyerGp.email, /résumé quotidien/);
    assert.match(received.text, new RegExp(b.number));
    assert.ok((await notes(w.buyerGp.userId)).every((n) => n.digested_at !== null));
    assert.equal((await mailJobs(w.buyerClerk.email)).length, 0, '« aucun » never gets a digest');

    // A change after today's digest waits for tomorrow's, alone; none is lost.
    clock.advanceMinutes(60);
    const c = await sentInvoice(w);
    await sendDailyDigests(app.ctx);
    assert.equal((await mailJobs(w.buyerGp.email, /résumé quotidien/)).length, 1, 'one digest a day');
    clock.advanceDays(1);
    await sendDailyDigests(app.ctx);
    const all = await mailJobs(w.buyerGp.email, /résumé quotidien/);
    assert.equal(all.length, 2);
    assert.equal(all[1].subject, 'Ouvrage — résumé quotidien : 1 notification');
    assert.match(all[1].text, new RegExp(c.number));
    assert.doesNotMatch(all[1].text, new RegExp(a.number));
    // Back to immediate (a new session: a day went by): the next change is mailed at once.
    w.supplierApi = await apiSession(app, w.supplierGp.email);
    w.buyerApi = await apiSession(app, w.buyerGp.email);
    assert.equal((await w.buyerApi.put('/account/notification-preferences', { FACTURES: 'IMMEDIAT' })).status, 200);
    const d = await sentInvoice(w);
    assert.equal((await mailJobs(w.buyerGp.email, new RegExp(`Facture ${d.number}`))).length, 1);
  });

  test('the digest is due at 07:00 Paris in summer too, and a worker down at 07:00 catches up in the morning only', async () => {
    const { digestTimeOfDay, DIGEST_CATCH_UP_HOURS } = await import('../../src/notifications/model.ts');
    assert.equal(digestTimeOfDay(new Date('2026-07-01T12:00:00Z')).toISOString(), '2026-07-01T05:00:00.000Z');
    assert.equal(digestTimeOfDay(new Date('2026-03-29T12:00:00Z')).toISOString(), '2026-03-29T05:00:00.000Z', 'the day summer time starts');
    assert.equal(digestTimeOfDay(new Date('2026-11-30T23:30:00Z')).toISOString(), '2026-12-01T06:00:00.000Z', 'after midnight in Paris is the next day');
    assert.equal(DIGEST_CATCH_UP_HOURS, 4);
    const schedules = await sql<{ name: string; cron: string }>`SELECT name, cron FROM pgboss.schedule WHERE name = 'notifications.digest'`.execute(app.ctx.db);
    assert.deepEqual(schedules.rows, [{ name: 'notifications.digest', cron: '*/15 * * * *' }]);
  });

  test('the list: unread count in the menu and the page, mark one read, mark all read, only one’s own (API and web)', async () => {
    const w = await world();
    await sentInvoice(w);
    await sentInvoice(w);
    const list = await w.clerkApi.get('/notifications');
    assert.equal(list.status, 200);
    assert.equal(list.body.total, 2);
    assert.equal(list.body.unread, 2);
    const [newest, oldest] = list.body.notifications;
    assert.ok(newest.id > oldest.id);
    assert.equal((await w.clerkApi.post(`/notifications/${oldest.id}/read`)).status, 200);
    assert.equal((await w.clerkApi.get('/notifications')).body.unread, 1);
    assert.equal((await w.buyerApi.post(`/notifications/${newest.id}/read`)).status, 404, "someone else's notification");
    assert.equal((await w.clerkApi.get('/notifications')).body.unread, 1);

    const web = await webSession(app, w.buyerClerk.email);
    const page = await web.get('/notifications');
    assert.match(page.body, /1 notification non lue\./);
    assert.match(page.body, /aria-label="1 non lues"/);
    assert.equal((page.body.match(/Marquer comme lue/g) ?? []).length, 1);
    const all = await web.submit('/notifications', '/notifications/lues', {});
    assert.equal(all.statusCode, 303);
    assert.match((await web.get('/notifications')).body, /Aucune notification non lue/);
    assert.equal((await w.clerkApi.get('/notifications')).body.unread, 0);
  });
});
