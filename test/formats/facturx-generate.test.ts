import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFStream, StandardFonts } from '@cantoo/pdf-lib';
import {
  attachFacturx,
  dateFr,
  extractInvoiceFromPdf,
  generateFacturx,
  money,
  price,
  readInvoiceXml,
  renderInvoicePdf,
  writeCii,
} from '../../src/formats/index.ts';
import { FIXTURES } from './fixtures.ts';
import { pdfText, pdfXmp } from './pdf-inspect.ts';

const now = new Date('2026-11-28T10:00:00Z');
const fixture = (rel: string) => readFileSync(path.join(FIXTURES, rel));
const NNBSP = '\u202f';
const NBSP = '\u00a0';

test('French formatting: amounts, prices, dates', () => {
  assert.equal(money('1234.5'), `1${NNBSP}234,50${NBSP}€`);
  assert.equal(money('-1234567.005'), `-1${NNBSP}234${NNBSP}567,01${NBSP}€`);
  assert.equal(money('12', 'USD'), `12,00${NBSP}$`);
  assert.equal(price('0.6667'), `0,6667${NBSP}€`);
  assert.equal(price('9.9000'), `9,90${NBSP}€`);
  assert.equal(dateFr('2026-03-01'), `1er${NBSP}mars${NBSP}2026`);
  assert.equal(dateFr('2026-08-15'), `15${NBSP}août${NBSP}2026`);
});

test('a Factur-X EN 16931 PDF/A-3b carries the XML, the XMP, an output intent, embedded fonts and a French rendering', async () => {
  const xml = fixture('akretion-factur-x/factur-x-en16931.xml');
  const { invoice } = readInvoiceXml(xml);
  const pdf = await generateFacturx(invoice, { now, xml });

  const embedded = await extractInvoiceFromPdf(pdf);
  assert.equal(embedded.filename, 'factur-x.xml');
  assert.equal(embedded.relationship, 'Alternative');
  assert.deepEqual(Buffer.from(embedded.xml), xml);

  const xmp = await pdfXmp(pdf);
  assert.match(xmp, /<pdfaid:part>3<\/pdfaid:part>/);
  assert.match(xmp, /<pdfaid:conformance>B<\/pdfaid:conformance>/);
  assert.match(xmp, /xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"/);
  assert.match(xmp, /<fx:ConformanceLevel>EN 16931<\/fx:ConformanceLevel>/);
  assert.match(xmp, /<fx:DocumentFileName>factur-x.xml<\/fx:DocumentFileName>/);
  assert.match(xmp, /<fx:DocumentType>INVOICE<\/fx:DocumentType>/);
  assert.match(xmp, /<pdfaSchema:prefix>fx<\/pdfaSchema:prefix>/);
  assert.equal((xmp.match(/<pdfaProperty:name>/g) ?? []).length, 4);

  const doc = await PDFDocument.load(pdf);
  const intents = doc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray);
  const intent = intents.lookup(0, PDFDict);
  assert.equal(intent.lookup(PDFName.of('S'))?.toString(), '/GTS_PDFA1');
  assert.ok(intent.lookup(PDFName.of('DestOutputProfile')) instanceof PDFStream);
  const af = doc.catalog.lookup(PDFName.of('AF'), PDFArray);
  assert.equal(af.size(), 1);
  // Every font is an embedded TrueType (FontFile2), none of the standard 14.
  const fonts = doc.context.enumerateIndirectObjects().map(([, o]) => o).filter((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('Type'))?.toString() === '/FontDescriptor');
  assert.ok(fonts.length >= 2);
  for (const f of fonts) assert.ok(f.get(PDFName.of('FontFile2')), 'font embedded');
  assert.equal(doc.getTitle(), 'Facture F20260023');

  const text = (await pdfText(pdf)).join('\n');
  for (const expected of [
    'Facture',
    'N° F20260023',
    `Date d'émission : 31${NBSP}janvier${NBSP}2026`,
    `Date d'échéance : 2${NBSP}mars${NBSP}2026`,
    'LE FOURNISSEUR',
    'SIRET : 12345678200077',
    'N° TVA : FR11123456782',
    'LE CLIENT',
    'Code service : SERVEXEC',
    'PRESTATION SUPPORT',
    `60,00${NBSP}€`,
    'Détail de la TVA',
    `Taux normal 20${NBSP}% — base 11,00${NBSP}€ — TVA 2,20${NBSP}€`,
    'Total TTC',
    `104,90${NBSP}€`,
    'Net à payer',
    'IBAN : FR20 1254 2547 2569 8542 5874 698',
    'le fichier factur-x.xml joint à ce PDF fait foi',
  ]) {
    assert.ok(text.includes(expected), `missing text: ${expected}`);
  }
});

test('MINIMUM and BASIC WL are attached as Data, with their conformance level', async () => {
  for (const [file, level] of [
    ['factur-x-minimum.xml', 'MINIMUM'],
    ['factur-x-basicwl.xml', 'BASIC WL'],
  ]) {
    const xml = fixture(`akretion-factur-x/${file}`);
    const pdf = await generateFacturx(readInvoiceXml(xml).invoice, { now, xml });
    assert.equal((await extractInvoiceFromPdf(pdf)).relationship, 'Data');
    assert.match(await pdfXmp(pdf), new RegExp(`<fx:ConformanceLevel>${level}</fx:ConformanceLevel>`));
    assert.match((await pdfText(pdf)).join('\n'), /Pas de lignes de détail/);
  }
});

test('from a UBL invoice, the PDF embeds the CII conversion', async () => {
  const { invoice } = readInvoiceXml(fixture('cen-en16931/ubl/examples/ubl-tc434-example1.xml'));
  const pdf = await generateFacturx(invoice, { now });
  const back = readInvoiceXml((await extractInvoiceFromPdf(pdf)).xml);
  assert.equal(back.syntax, 'CII');
  assert.deepEqual(back.invoice, invoice);
  const text = (await pdfText(pdf)).join('\n');
  assert.ok(text.includes(`250,33${NBSP}€`));
  assert.ok(text.includes(`9${NBSP}janvier${NBSP}2015`));
});

test('generation is deterministic: same invoice and instant, same bytes', async () => {
  const { invoice } = readInvoiceXml(fixture('akretion-factur-x/factur-x-basic.xml'));
  const a = await generateFacturx(invoice, { now });
  const b = await generateFacturx(invoice, { now });
  assert.deepEqual(a, b);
});

test('ouvrage render: the French rendering alone carries no attachment', async () => {
  const { invoice } = readInvoiceXml(fixture('cen-en16931/cii/examples/CII_example4.xml'));
  const pdf = await renderInvoicePdf(invoice, { now });
  await assert.rejects(extractInvoiceFromPdf(pdf), { code: 'PDF_NO_INVOICE' });
  assert.match((await pdfText(pdf)).join('\n'), /Net à payer/);
});

test("our XML is attached to a supplier's own PDF, with the Factur-X XMP and an output intent", async () => {
  const supplier = await PDFDocument.create();
  supplier.setTitle('Facture du fournisseur');
  const page = supplier.addPage();
  page.drawText('Facture 42', { font: await supplier.embedFont(StandardFonts.Helvetica) });
  const original = await supplier.save();
  const { invoice, profile } = readInvoiceXml(fixture('cen-en16931/cii/examples/CII_example1.xml'));
  const xml = writeCii(invoice);

  const pdf = await attachFacturx(original, xml, { now, profile });
  const embedded = await extractInvoiceFromPdf(pdf);
  assert.equal(embedded.filename, 'factur-x.xml');
  assert.equal(embedded.relationship, 'Alternative');
  assert.equal(Buffer.from(embedded.xml).toString(), xml);
  const xmp = await pdfXmp(pdf);
  assert.match(xmp, /<pdfaid:part>3<\/pdfaid:part>/);
  assert.match(xmp, /<fx:ConformanceLevel>EN 16931<\/fx:ConformanceLevel>/);
  assert.match(xmp, /Facture du fournisseur/);
  const doc = await PDFDocument.load(pdf);
  assert.ok(doc.catalog.lookup(PDFName.of('OutputIntents')) instanceof PDFArray);
  assert.equal(doc.getPageCount(), 1);

  await assert.rejects(attachFacturx(pdf, xml, { now, profile }), { code: 'PDF_SEVERAL_INVOICES', message: /déjà une facture XML/ });
});
