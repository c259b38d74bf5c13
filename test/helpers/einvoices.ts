import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateFacturx, readInvoiceXml, writeCii, writeUbl, type Invoice } from '../../src/formats/index.ts';

/** The shared e-invoice fixtures, read in place. */
const SAMPLE = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'einvoice', 'samples', 'akretion-factur-x', 'factur-x-en16931.xml');

/**
 * A valid EN 16931 invoice (akretion's Factur-X EN 16931 example: three lines, document allowance and charge,
 * four VAT categories of which two at 0 %) addressed from `sellerSiret` to `buyerSiret`.
 */
export function sampleInvoice(o: { sellerSiret: string; buyerSiret: string; number: string; issueDate: string; serviceCode?: string | null; ejNumber?: string | null; framework?: string }): Invoice {
  const inv = structuredClone(readInvoiceXml(readFileSync(SAMPLE)).invoice);
  inv.number = o.number;
  inv.issueDate = o.issueDate;
  inv.dueDate = undefined;
  inv.seller.identifiers = [{ id: o.sellerSiret, schemeId: '0009' }];
  inv.seller.legalRegistration = { id: o.sellerSiret.slice(0, 9), schemeId: '0002' };
  inv.buyer.identifiers = [];
  inv.buyer.legalRegistration = { id: o.buyerSiret, schemeId: '0009' };
  if (o.serviceCode === null) delete inv.buyerReference;
  else inv.buyerReference = o.serviceCode ?? inv.buyerReference;
  if (o.ejNumber === null) delete inv.purchaseOrderReference;
  else inv.purchaseOrderReference = o.ejNumber ?? inv.purchaseOrderReference;
  if (o.framework) inv.businessProcessType = o.framework;
  return inv;
}

export const ublOf = (inv: Invoice) => Buffer.from(writeUbl(inv), 'utf8');
export const ciiOf = (inv: Invoice) => Buffer.from(writeCii(inv), 'utf8');
export const facturxOf = (inv: Invoice, now = new Date('2026-11-27T10:00:00Z')) => generateFacturx(inv, { now });
