import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { webSession } from '../helpers/web-session.ts';
import { attachUser, setHabilitations } from '../../src/structures/index.ts';
import { createContract } from '../../src/contracts/index.ts';
import { createWorksContract } from '../../src/works/index.ts';
import { WORKED_EXAMPLE_INDEXES_MAY, WORKED_EXAMPLE_TERMS } from '../../src/demo/works-example.ts';

/**
 * The pages of « Factures de travaux » (PGlite, or PostgreSQL with TEST_DATABASE_URL): they render for the
 * company, the MOE and the MOA; the forms post to the use cases; bad input gives French errors, never a crash.
 */
const TERMS = WORKED_EXAMPLE_TERMS;
const INDEXES = WORKED_EXAMPLE_INDEXES_MAY;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
const location = (res: { headers: Record<string, unknown> }) => String(res.headers.location ?? '');

describe('pages « Factures de travaux »', () => {
  const clock = new TestClock(new Date('2026-03-31T08:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock, workers: false });
  });
  after(async () => app?.cleanup());

  test('company → MOE → MOA through the pages; French errors for bad progress, a bad month and an amount refusal; outsiders see nothing', async () => {
    const [buyerGp, companyGp, moeGp, outsiderGp, clerk] = await Promise.all(['acheteur', 'entreprise', 'architecte', 'tiers', 'commis'].map((f) => newUser(app, { firstName: f })));
    const buyer = await newStructure(app, buyerGp, { name: 'OPH Pages', kind: 'PUBLIQUE' });
    const company = await newStructure(app, companyGp, { name: 'BTP Pages' });
    const moe = await newStructure(app, moeGp, { name: 'Archi Pages' });
    await newStructure(app, outsiderGp, { name: 'Tiers Pages' });
    await attachUser(app.ctx, companyGp, company.structureId, { email: clerk.email });
    await setHabilitations(app.ctx, companyGp, company.structureId, clerk.userId, { habilitations: [] });
    const { contractId } = await createContract(app.ctx, buyerGp, { number: 'PAGES-2026-1', subject: 'Lot gros œuvre', buyerSiret: buyer.siret, titulaireSiret: company.siret, ejNumbers: ['1000077001'] });
    await createWorksContract(app.ctx, buyerGp, { contractId, moeSiret: moe.siret, terms: TERMS, indexes: INDEXES });

    const c = await webSession(app, companyGp.email);
    const m = await webSession(app, moeGp.email);
    const b = await webSession(app, buyerGp.email);
    const cs = `/structures/${company.structureId}/travaux`;
    const ms = `/structures/${moe.structureId}/travaux`;
    const bs = `/structures/${buyer.structureId}/travaux`;

    // The space is linked from « Factures » and from the structure; the contract is listed with the structure's side.
    assert.match((await c.get('/factures')).body, new RegExp(`href="${cs}"`));
    assert.match((await c.get(`/structures/${company.structureId}`)).body, new RegExp(`href="${cs}"`));
    const space = text((await c.get(cs)).body);
    assert.match(space, /PAGES-2026-1 Lot gros œuvre Entreprise Archi Pages OPH Pages/);
    const file = await c.get(`${cs}/${contractId}`);
    assert.equal(file.statusCode, 200);
    assert.match(text(file.body), /Montant du marché HT 100 600,00 €/);
    assert.match(file.body, /deposer\?cadre=A4"/);
    assert.match(file.body, /deposer\?cadre=A7"/);
    assert.doesNotMatch(file.body, /deposer\?cadre=A15"/, 'the company does not deposit the MOE’s pieces');

    // The entry form lists the price schedule; bad input gives French errors.
    const form = `${cs}/${contractId}/deposer?cadre=A4`;
    const entry = await c.get(form);
    assert.equal(entry.statusCode, 200);
    assert.match(text(entry.body), /02 Terrassements en pleine masse Prix unitaire \(en m3\) 850 m3/);
    const action = `${cs}/${contractId}/deposer`;
    const progress = (p: Record<string, string>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [`progress.${k}`, v]));
    const bad = await c.submit(form, action, { framework: 'A4', month: '2026-03', intent: 'apercu', ...progress({ '01': 'beaucoup', '02': '600', '03': '0', '04': '0' }) });
    assert.equal(bad.statusCode, 400);
    assert.match(text(bad.body), /Prix 01 : l'avancement doit être un nombre positif ou nul/);
    const over = await c.submit(form, action, { framework: 'A4', month: '2026-03', intent: 'deposer', ...progress({ '01': '150', '02': '600', '03': '0', '04': '0' }) });
    assert.equal(over.statusCode, 400);
    assert.match(text(over.body), /Prix 01 : un prix forfaitaire s'avance au plus à 100 %/);
    const badMonth = await c.submit(form, action, { framework: 'A4', month: '2026-13', intent: 'deposer', ...progress({ '01': '50' }) });
    assert.equal(badMonth.statusCode, 400);
    assert.match(text(badMonth.body), /Le mois doit s’écrire AAAA-MM/);
    const badPenalty = await c.submit(form, action, { framework: 'A4', month: '2026-03', intent: 'apercu', 'penalties.0.label': '', 'penalties.0.amount': '12', ...progress({ '01': '50' }) });
    assert.equal(badPenalty.statusCode, 400);
    assert.match(text(badPenalty.body), /Le libellé de la pénalité est obligatoire/);

    // The projet computed, then deposited (French decimals accepted).
    const month1 = { framework: 'A4', month: '2026-03', ...progress({ '01': '50', '02': '600', '03': '0', '04': '0' }) };
    const preview = await c.submit(form, action, { ...month1, intent: 'apercu' });
    assert.equal(preview.statusCode, 200);
    assert.match(text(preview.body), /Montant dû 19 600,43 € 0,00 € 19 600,43 €/);
    const deposited = await c.submit(form, action, { ...month1, '01': '50,0', intent: 'deposer' });
    assert.equal(deposited.statusCode, 303, deposited.body.slice(0, 300));
    const a4Page = location(deposited).replace(/\?.*$/, '');
    const a4 = Number(a4Page.split('/').pop());
    const seen = text((await c.get(location(deposited))).body);
    assert.match(seen, /La pièce est déposée/);
    assert.match(seen, /Mise à disposition du maître d'œuvre \(MISE_A_DISPOSITION_MOE\)/);
    assert.match(seen, /Échéance le 07\/04\/2026 \(7 jours restants\)/);
    const pdf = await c.get(`${a4Page}/pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const twice = await c.submit(form, action, { ...month1, intent: 'deposer' });
    assert.equal(twice.statusCode, 409);
    assert.match(text(twice.body), /déjà déposée pour 2026-03/);

    // The MOE finds it in its work list; an amount is never a refusal reason; a refusal needs a reason.
    assert.match(text((await m.get(ms)).body), /Pièces à traiter .*A4-\d+-1 PAGES-2026-1/);
    const moePiece = `${ms}/${contractId}/pieces/${a4}`;
    const amount = await m.submit(moePiece, `${moePiece}/actions`, { action: 'REFUSER', reason: 'MONTANT_ERRONE' });
    assert.equal(amount.statusCode, 409);
    assert.match(text(amount.body), /n'est pas un motif de refus/);
    const noReason = await m.submit(moePiece, `${moePiece}/actions`, { action: 'REFUSER', reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(text(noReason.body), /Le motif du refus est obligatoire/);
    // The company cannot act as the MOE.
    const notMine = await c.submit(a4Page, `${a4Page}/actions`, { action: 'PRENDRE_EN_COMPTE' });
    assert.equal(notMine.statusCode, 403);

    // The MOE corrects line 02 and deposits its état d'acompte: the differences are shown line by line.
    const a15Form = `${ms}/${contractId}/deposer?cadre=A15&suit=${a4}`;
    const a15Entry = await m.get(a15Form);
    assert.match(a15Entry.body, /id="progress.02" name="progress.02" type="text" inputmode="decimal" value="600"/);
    const corrected = { framework: 'A15', previousInvoiceId: String(a4), month: '2026-03', ...progress({ '01': '50', '02': '500', '03': '0', '04': '0' }) };
    const diff = text((await m.submit(a15Form, `${ms}/${contractId}/deposer`, { ...corrected, intent: 'apercu' })).body);
    assert.match(diff, /02 Terrassements en pleine masse 600 500 11 040,00 € 9 200,00 € -1 840,00 €/);
    const a15 = await m.submit(a15Form, `${ms}/${contractId}/deposer`, { ...corrected, intent: 'deposer' });
    assert.equal(a15.statusCode, 303, a15.body.slice(0, 300));
    const a15Id = Number(location(a15).replace(/\?.*$/, '').split('/').pop());
    assert.match(text((await c.get(`${cs}/${contractId}/pieces/${a15Id}`)).body), /Écarts ligne à ligne .* 02 Terrassements en pleine masse 600 500 11 040,00 € 9 200,00 € -1 840,00 €/);

    // The MOA validates (A19): the piece goes to the payer (the buyer here), who processes it in « Factures reçues ».
    const a19Form = `${bs}/${contractId}/deposer?cadre=A19&suit=${a15Id}`;
    const a19 = await b.submit(a19Form, `${bs}/${contractId}/deposer`, { framework: 'A19', previousInvoiceId: String(a15Id), month: '2026-03', ...progress({ '01': '50', '02': '500', '03': '0', '04': '0' }), intent: 'deposer' });
    assert.equal(a19.statusCode, 303, a19.body.slice(0, 300));
    const a19Page = text((await b.get(location(a19))).body);
    assert.match(a19Page, /Mise à disposition/);
    assert.match(a19Page, /Traiter dans « Factures reçues »/);
    assert.match(a19Page, /Délai global de paiement/);
    const a19Id = Number(location(a19).replace(/\?.*$/, '').split('/').pop());
    assert.equal((await b.get(`/structures/${buyer.structureId}/factures-recues/${a19Id}`)).statusCode, 200);
    const billing = text((await c.get(`${cs}/${contractId}`)).body);
    assert.match(billing, /Mois 03\/2026/);
    assert.match(billing, /Associée à la pièce suivante \(ASSOCIEE\).*Associée à la pièce suivante \(ASSOCIEE\).*Mise à disposition \(MISE_A_DISPOSITION\)/);

    // A notification's link opens the piece through the user's structure.
    const link = await m.get(`/travaux/${contractId}/pieces/${a4}`);
    assert.equal(link.statusCode, 303);
    assert.equal(location(link), `${ms}/${contractId}/pieces/${a4}`);

    // Outsiders get 404, a member without the space 403; another structure's contract is not found.
    const o = await webSession(app, outsiderGp.email);
    assert.equal((await o.get(cs)).statusCode, 404);
    assert.equal((await o.get(`${cs}/${contractId}`)).statusCode, 404);
    const k = await webSession(app, clerk.email);
    assert.equal((await k.get(cs)).statusCode, 403);
    assert.equal((await m.get(`${ms}/${contractId}/pieces/999999`)).statusCode, 404);
    assert.equal((await c.get(`${cs}/abc`)).statusCode, 404);
  });
});
