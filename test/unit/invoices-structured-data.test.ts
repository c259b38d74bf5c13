import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readInvoiceXml } from '../../src/formats/index.ts';
import { invoiceDataOf } from '../../src/invoices/structured-file.ts';

const SAMPLE = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'einvoice', 'samples', 'cen-en16931', 'cii', 'examples', 'CII_example4.xml');

test("invoiceDataOf names the line field of each value it cannot take, in the order of the line's fields", () => {
  const inv = structuredClone(readInvoiceXml(readFileSync(SAMPLE)).invoice);
  assert.ok(inv.lines.length >= 2);
  inv.lines[0]!.quantity = 'abc';
  inv.lines[0]!.price.netPrice = '1e400';
  inv.lines[0]!.vat.rate = '12345';
  inv.lines[1]!.price.baseQuantity = 'x';
  inv.lines[1]!.allowances = [{ amount: 'zz' }, { amount: '3.5' }];
  inv.lines[1]!.netAmount = '123456789012345678901';
  inv.totals.payableAmount = 'nope';
  const { issues } = invoiceDataOf(inv);
  assert.deepEqual(
    issues.map((i) => [i.code, i.field]),
    [
      ['VALUE_OUT_OF_RANGE', 'lines.0.unitPrice'],
      ['VALUE_OUT_OF_RANGE', 'lines.0.vatRate'],
      ['VALUE_INVALID', 'lines.0.quantity'],
      ['VALUE_INVALID', 'lines.1.unitPrice'],
      ['VALUE_INVALID', 'lines.1.discountAmount'],
      ['VALUE_OUT_OF_RANGE', 'lines.1.netAmount'],
      ['VALUE_INVALID', 'amountDue'],
    ],
  );
  assert.equal(issues[2]!.message, "La valeur « abc » n'est pas un nombre.");
});
