import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { apiSession } from '../helpers/structure-members.ts';
import { pdfText } from '../formats/pdf-inspect.ts';
import { createContract } from '../../src/contracts/index.ts';
import { getInvoice, getInvoiceDocument } from '../../src/invoices/index.ts';
import { createWorksContract, depositPiece, getPiece, getPiecePdf, recordIndexes } from '../../src/works/index.ts';
import { AppError } from '../../src/shared/app-error.ts';
import { WORKED_EXAMPLE_INDEXES_MAY, WORKED_EXAMPLE_TERMS } from '../../src/demo/works-example.ts';

/**
 * The French PDF of a works piece, produced at deposit and kept in the blob store: the amounts of the worked
 * example of docs/works.md §1.3 are read back from the PDF's text (month 1, the MOE's corrected month 3 with
 * its differences, the final statement); it downloads through /api/v1 for the parties, and the payer finds it
 * as the main document of what it pays.
 */
const TERMS = WORKED_EXAMPLE_TERMS;

/** The PDF's text on one line, every kind of space made a plain space. */
const textOf = async (bytes: Uint8Array) => (await pdfText(bytes)).join('\n').replace(/[\s\u00a0\u202f]+/g, ' ');
const has = (text: string, ...needles: string[]) => {
  for (const s of needles) assert.ok(text.includes(s), `« ${s} » absent du PDF : ${text.slice(0, 3000)}`);
};

describe('works pieces: the French PDF', () => {
  const clock = new TestClock(new Date('2026-03-31T08:00:00Z'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  before(async () => {
    app = await startTestApp({ clock, workers: false });
  });
  after(async () => app?.cleanup());

  test('each piece carries its PDF with the worked example’s amounts; parties download it, outsiders do not', async () => {
    const [buyerGp, companyGp, moeGp, outsiderGp] = await Promise.all(['acheteur', 'entreprise', 'architecte', 'tiers'].map((f) => newUser(app, { firstName: f })));
    const buyer = await newStructure(app, buyerGp, { name: 'OPH Habitat', kind: 'PUBLIQUE' });
    const company = await newStructure(app, companyGp, { name: 'BTP Durand' });
    const moe = await newStructure(app, moeGp, { name: 'Atelier Archi' });
    await newStructure(app, outsiderGp, { name: 'Tiers' });
    const { contractId } = await createContract(app.ctx, buyerGp, { number: 'PDF-2026-1', subject: 'Lot gros œuvre', buyerSiret: buyer.siret, titulaireSiret: company.siret, ejNumbers: ['1000077001'] });
    await createWorksContract(app.ctx, buyerGp, { contractId, moeSiret: moe.siret, terms: TERMS, indexes: WORKED_EXAMPLE_INDEXES_MAY });

    // Month 1: the company's projet de décompte mensuel.
    const m1 = await depositPiece(app.ctx, companyGp, contractId, { framework: 'A4', month: '2026-03', progress: { '01': '50', '02': '600' } });
    const m1Piece = await getPiece(app.ctx, moeGp, m1.invoiceId);
    assert.ok(m1Piece.documentId);
    const m1Text = await textOf((await getPiecePdf(app.ctx, moeGp, m1.invoiceId)).bytes);
    has(m1Text, 'Projet de décompte mensuel — mars 2026', 'PDF-2026-1', 'BTP Durand', 'Atelier Archi', 'Installation de chantier', '100 600,00',
      '6 000,00', '11 040,00', '17 040,00', '1,009', '153,36', '17 193,36', '3 438,67', '20 632,03', '1 031,60', '19 600,43', 'Montant à payer : 19 600,43 €');
    const e1 = await depositPiece(app.ctx, moeGp, contractId, { framework: 'A15', previousInvoiceId: m1.invoiceId });
    await depositPiece(app.ctx, buyerGp, contractId, { framework: 'A19', previousInvoiceId: e1.invoiceId });

    clock.advanceDays(30);
    const m2 = await depositPiece(app.ctx, companyGp, contractId, { framework: 'A4', month: '2026-04', progress: { '01': '100', '02': '850', '03': '80', '04': '20' } });
    const e2 = await depositPiece(app.ctx, moeGp, contractId, { framework: 'A15', previousInvoiceId: m2.invoiceId });
    await depositPiece(app.ctx, buyerGp, contractId, { framework: 'A19', previousInvoiceId: e2.invoiceId });

    // Month 3: the MOE's état d'acompte corrects the façade and applies a penalty; its PDF shows the differences.
    clock.advanceDays(31);
    const m3 = await depositPiece(app.ctx, companyGp, contractId, { framework: 'A4', month: '2026-05', progress: { '01': '100', '02': '850', '03': '120', '04': '40' } });
    has(await textOf((await getPiecePdf(app.ctx, companyGp, m3.invoiceId)).bytes), '74 500,00', '900,34', '90 480,41', '3 644,00', '4 524,02', '17 743,27', '1,013 (provisoire)');
    const e3 = await depositPiece(app.ctx, moeGp, contractId, {
      framework: 'A15', previousInvoiceId: m3.invoiceId, progress: { '01': '100', '02': '850', '03': '120', '04': '30' }, penalties: [{ label: 'Retard de remise des plans', amount: '200.00' }],
    });
    const e3Text = await textOf((await getPiecePdf(app.ctx, companyGp, e3.invoiceId)).bytes);
    has(e3Text, "État d'acompte — mai 2026", '70 150,00', '184,21', '843,79', '70 993,79', '14 198,76', '85 192,55', '1 904,00', '4 259,63', '200,00', '78 828,92', '14 259,80',
      'Écarts avec la pièce précédente', 'Maçonnerie de façade', '17 400,00', '13 050,00', '-4 350,00', '-3 483,47', "jamais un motif de refus");
    const v3 = await depositPiece(app.ctx, buyerGp, contractId, { framework: 'A19', previousInvoiceId: e3.invoiceId });

    // Final statement.
    clock.advanceDays(40);
    await recordIndexes(app.ctx, moeGp, contractId, { indexes: { BT01: { '2026-05': '132.9', '2026-06': '133.4' } } });
    const a7 = await depositPiece(app.ctx, companyGp, contractId, {
      framework: 'A7', month: '2026-06', progress: { '01': '100', '02': '870', '03': '118', '04': '100' }, penalties: [{ label: 'Retard de 3 jours', amount: '100.60' }],
    });
    const a7Text = await textOf((await getPiecePdf(app.ctx, moeGp, a7.invoiceId)).bytes);
    has(a7Text, 'Projet de décompte final', 'Récapitulatif du décompte final', '100 477,00', '16 008,00', 'quantité du marché dépassée', '1,018', '255,06', '1,021', '636,87', '1 551,51',
      '102 028,51', '20 405,70', '122 434,21', '6 036,00', '6 121,71', '300,60', '109 975,90', '31 146,98');

    // Through /api/v1: the parties download it; an outsider gets 404.
    const [c, o] = await Promise.all([companyGp, outsiderGp].map((u) => apiSession(app, u.email)));
    const res = await c.get(`/works-pieces/${e3.invoiceId}/pdf`);
    assert.equal(res.status, 200);
    assert.equal(res.raw.headers['content-type'], 'application/pdf');
    assert.match(String(res.raw.headers['content-disposition']), /A15-\d+-\d+\.pdf/);
    has(await textOf(res.raw.rawPayload), '14 259,80');
    assert.equal((await o.get(`/works-pieces/${e3.invoiceId}/pdf`)).status, 404);
    assert.equal((await c.get('/works-pieces/999999999/pdf')).status, 404);
    await assert.rejects(getPiecePdf(app.ctx, outsiderGp, e3.invoiceId), (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND');

    // The payer finds it as the main document of the validated état d'acompte it pays.
    const paid = await getInvoice(app.ctx, buyerGp, v3.invoiceId);
    const main = paid.documents.find((d: { role: string }) => d.role === 'PRINCIPALE')!;
    assert.ok(main, 'the validated état d’acompte carries its PDF');
    has(await textOf((await getInvoiceDocument(app.ctx, buyerGp, v3.invoiceId, main.document_id)).bytes), "État d'acompte validé — mai 2026", '14 259,80');
  });
});
