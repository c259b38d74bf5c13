import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import PDFKit from 'pdfkit';
import { PDFDocument } from '@cantoo/pdf-lib';
import { DEFAULT_PDF_LIMITS, extractInvoiceFromPdf, FormatError, loadPdf, readInvoiceXml } from '../../src/formats/index.ts';
import { invoiceAttachments } from '../../src/formats/facturx/extract.ts';
import { indexPdf } from '../../src/formats/facturx/pdf-xref.ts';
import { FIXTURES, fixtureFiles } from './fixtures.ts';

const pdfs = [
  ...fixtureFiles('zugferd-corpus/XML-Rechnung/FX', /\.pdf$/),
  ...fixtureFiles('zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples', /\.pdf$/),
  ...['BASIC', 'EN16931', 'EXTENDED', 'MINIMUM'].flatMap((p) => fixtureFiles(`zugferd-corpus/ZUGFeRDv2/correct/intarsys/${p}`, /\.pdf$/)),
  ...fixtureFiles('zugferd-corpus/ZUGFeRDv2/correct/Mustangproject', /\.pdf$/),
  path.join(FIXTURES, 'akretion-factur-x/invoice_EN16931.pdf'),
];

async function refused(bytes: Uint8Array, code: string, message?: RegExp, limits?: Parameters<typeof extractInvoiceFromPdf>[1]) {
  await assert.rejects(extractInvoiceFromPdf(bytes, limits), (err: unknown) => {
    assert.ok(err instanceof FormatError, String(err));
    assert.equal(err.code, code);
    if (message) assert.match(err.userMessage, message);
    return true;
  });
}

async function pdfWithAttachments(files: { name: string; content: string | Uint8Array }[]) {
  const doc = await PDFDocument.create();
  doc.addPage();
  for (const f of files) await doc.attach(typeof f.content === 'string' ? Buffer.from(f.content) : f.content, f.name, { mimeType: 'text/xml' });
  return doc.save();
}

test(`the invoice XML is extracted from every Factur-X / ZUGFeRD 2 PDF of the corpus (${pdfs.length} files)`, async () => {
  const names = new Set<string>();
  for (const f of pdfs) {
    const found = await extractInvoiceFromPdf(readFileSync(f));
    names.add(found.filename);
    const { invoice } = readInvoiceXml(found.xml);
    assert.ok(invoice.number && invoice.totals.payableAmount, f);
  }
  assert.deepEqual([...names].sort(), ['factur-x.xml', 'xrechnung.xml', 'zugferd-invoice.xml']);
});

test('the relationship of the attachment is reported (Data for the FNFE MINIMUM sample)', async () => {
  const found = await extractInvoiceFromPdf(readFileSync(path.join(FIXTURES, 'zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf')));
  assert.deepEqual([found.filename, found.relationship], ['factur-x.xml', 'Data']);
  assert.equal(readInvoiceXml(found.xml).profile, 'MINIMUM');
});

test('a PDF carrying two invoice XMLs (ZUGFeRD 1 and 2) is refused', async () => {
  await refused(readFileSync(path.join(FIXTURES, 'zugferd-corpus/ZUGFeRDv2/fail/MustangRE-20171118_506_ZUGFeRD1and2.pdf')), 'PDF_SEVERAL_INVOICES', /plusieurs factures XML/);
  const xml = readFileSync(path.join(FIXTURES, 'akretion-factur-x/factur-x-minimum.xml'));
  await refused(await pdfWithAttachments([{ name: 'factur-x.xml', content: xml }, { name: 'zugferd-invoice.xml', content: xml.toString().replace('F20', 'G20') }]), 'PDF_SEVERAL_INVOICES');
});

test('a PDF without invoice XML says which attachments it has', async () => {
  await refused(await pdfWithAttachments([{ name: 'bon-de-commande.xml', content: '<a/>' }]), 'PDF_NO_INVOICE', /bon-de-commande\.xml/);
  await refused(await pdfWithAttachments([]), 'PDF_NO_INVOICE');
});

test('truncated, non-PDF, oversized and encrypted files are refused cleanly', async () => {
  const good = readFileSync(pdfs[0]);
  await refused(good.subarray(0, Math.floor(good.length / 2)), 'PDF_MALFORMED', /tronqué/);
  await refused(Buffer.from('%PDF-1.7\n' + 'garbage '.repeat(100) + '\n%%EOF'), 'PDF_MALFORMED');
  await refused(Buffer.from('<?xml version="1.0"?><a/>'), 'PDF_MALFORMED', /pas un PDF/);
  await refused(good, 'INPUT_TOO_LARGE', /taille maximale/, { maxPdfBytes: 1000, maxAttachmentBytes: 1000 });
  const encrypted = await new Promise<Buffer>((resolve) => {
    const doc = new PDFKit({ userPassword: 'secret', ownerPassword: 'owner' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text('Facture');
    doc.end();
  });
  await refused(encrypted, 'PDF_ENCRYPTED', /chiffré/);
});

test('a compression bomb in the attachment stops at the size limit', async () => {
  const bomb = await pdfWithAttachments([{ name: 'factur-x.xml', content: new Uint8Array(30 * 1024 * 1024) }]);
  assert.ok(bomb.byteLength < 1024 * 1024);
  await refused(bomb, 'INPUT_TOO_LARGE', /décompressée/);
});

test('reading the attachments through the cross-reference sections gives what the whole load gives, on every PDF of the fixtures', async () => {
  const all = [...new Set([...pdfs, ...fixtureFiles('akretion-factur-x', /\.pdf$/), ...fixtureFiles('zugferd-corpus/ZUGFeRDv2/correct/Mustangproject', /\.pdf$/)])];
  let indexed = 0;
  for (const file of all) {
    const bytes = readFileSync(file);
    const pdf = indexPdf(bytes);
    if (!pdf) continue;
    indexed++;
    assert.deepEqual(invoiceAttachments(pdf, DEFAULT_PDF_LIMITS), invoiceAttachments(await loadPdf(bytes), DEFAULT_PDF_LIMITS), file);
  }
  assert.ok(indexed >= all.length - 4, `${indexed} of ${all.length} read through their cross-reference sections`);
  // Irregular files are left to the whole load: an encrypted one, a broken cross-reference offset.
  const plain = readFileSync(path.join(FIXTURES, 'akretion-factur-x/invoice_EN16931.pdf'));
  assert.ok(indexPdf(plain));
  const broken = Buffer.from(plain);
  const at = broken.lastIndexOf('startxref') + 'startxref'.length + 1;
  broken.write('1', at, 'latin1');
  assert.equal(indexPdf(broken), null);
  assert.equal((await extractInvoiceFromPdf(broken)).filename, (await extractInvoiceFromPdf(plain)).filename);
});
