import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { startTestApp, TestClock } from '../helpers/test-app.ts';
import { newStructure, newUser } from '../helpers/factories.ts';
import { addMember, apiSession } from '../helpers/structure-members.ts';
import { createEngagement, createService, editStructure } from '../../src/structures/index.ts';
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
    const supplierGp = await newUser(app, { firstName: 'Marie', lastName: 'Fournisseur' });
    const buyerGp = await newUser(app, { firstName: 'Claire', lastName: 'Acheteuse' });
    const supplier = await newStructure(app, supplierGp, { name: 'BTP Test' });
    const buyer = await newStructure(app, buyerGp, { name: 'Commune Test', kind: 'PUBLIQUE' });
    await editStructure(app.ctx, buyerGp, buyer.structureId, { parameters: { codeServiceDoitEtreRenseigne: true } });
    await createService(app.ctx, buyerGp, buyer.structureId, { code: 'TECH', name: 'Services techniques', numeroEjDoitEtreRenseigne: true });
    await createService(app.ctx, buyerGp, buyer.structureId, { code: 'ECOLES', name: 'Écoles' });
    await createEngagement(app.ctx, buyerGp, buyer.structureId, { number: '1000012345', state: 'COMMANDE', amount: '48500.00', serviceCode: 'TECH', supplierSiret: supplier.siret });
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

  test('smoke', async () => {
    const w = await world();
    const { invoiceId } = await invoices.createDraft(app.ctx, w.supplierGp, draftBody(w));
    const got = await invoices.getInvoice(app.ctx, w.supplierGp, invoiceId);
    assert.equal(got.invoice.total_without_vat, '3743.68');
    const sent = await invoices.submitInvoice(app.ctx, w.supplierGp, invoiceId);
    assert.equal(sent.status, 'DEPOSEE');
    for (let i = 0; i < 100; i++) {
      const g = await invoices.getInvoice(app.ctx, w.supplierGp, invoiceId);
      if (g.invoice.status === 'MISE_A_DISPOSITION') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await invoices.actOnInvoice(app.ctx, w.buyerGp, invoiceId, { action: 'SUSPENDRE', reason: 'PIECE_JUSTIFICATIVE_MANQUANTE', comment: 'PV de réception manquant' });
    assert.equal(r.status, 'SUSPENDUE');
    const g = await invoices.getInvoice(app.ctx, w.supplierGp, invoiceId);
    console.log(g.path.map((p) => `${p.seq} ${p.type} ${p.toStatus} ${p.reformCode}`), g.chain);
    void sql; void createHash; void addMember; void waitForStatus;
  });
});
