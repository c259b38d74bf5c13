import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import {
  attachFacturx,
  DEFAULT_PDF_LIMITS,
  DEFAULT_XML_LIMITS,
  extractInvoiceFromPdf,
  FormatError,
  generateFacturx,
  readInvoiceXml,
  renderInvoicePdf,
  writeCii,
  writeUbl,
  type ReadResult,
} from '../formats/index.ts';

export { readBoundedFile, FileUnreadableError } from './files.ts';
export { registerValidateCommand, validateExitCode, defaultArtefactsDir, type ValidateCommandResult } from './validate-command.ts';
import { readBoundedFile } from './files.ts';
import { registerValidateCommand } from './validate-command.ts';

/**
 * CLI commands of the formats library: `facturx make|extract`, `convert`, `render`, `validate`.
 * Commands that read an invoice go through `loadInvoiceFile`, which accepts UBL, CII or a Factur-X PDF;
 * a new command (e.g. `validate`) registers itself the same way in `registerFormatsCommands`.
 */

export interface LoadedInvoice extends ReadResult {
  /** The invoice XML as found: the file itself, or the XML embedded in the PDF. */
  xml: Uint8Array;
  /** Where the XML came from. */
  container: 'xml' | 'pdf';
  /** For a PDF: the name of the attachment (factur-x.xml…). */
  attachmentName?: string;
}

const isPdf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-');

/** UBL, CII or a Factur-X / ZUGFeRD PDF → the invoice, with the XML it was read from. */
export async function loadInvoiceFile(file: string): Promise<LoadedInvoice> {
  const bytes = readBoundedFile(file, Math.max(DEFAULT_PDF_LIMITS.maxPdfBytes, DEFAULT_XML_LIMITS.maxBytes));
  if (isPdf(bytes)) {
    const embedded = await extractInvoiceFromPdf(bytes);
    return { ...readInvoiceXml(embedded.xml), xml: embedded.xml, container: 'pdf', attachmentName: embedded.filename };
  }
  return { ...readInvoiceXml(bytes), xml: bytes, container: 'xml' };
}

function syntaxOption(value: string): 'ubl' | 'cii' {
  const v = value.toLowerCase();
  if (v !== 'ubl' && v !== 'cii') throw new InvalidArgumentError('Valeurs possibles : ubl, cii.');
  return v;
}

export function registerFormatsCommands(program: Command): void {
  const facturx = program.command('facturx').description('factures Factur-X : PDF/A-3 avec la facture XML (CII) jointe');

  facturx
    .command('make')
    .description('crée une facture Factur-X (PDF/A-3b lisible en français + XML) depuis une facture UBL ou CII')
    .argument('<facture>', 'facture XML (UBL 2.1 ou CII D16B)')
    .requiredOption('-o, --output <pdf>', 'fichier PDF à écrire')
    .option('--pdf <base>', 'PDF du fournisseur auquel joindre le XML, au lieu de générer la présentation')
    .action(async (input: string, o: { output: string; pdf?: string }) => {
      const loaded = await loadInvoiceFile(input);
      // CII is embedded as received; UBL is converted (Factur-X carries CII only).
      const xml = loaded.syntax === 'CII' ? loaded.xml : writeCii(loaded.invoice);
      const now = new Date();
      const pdf = o.pdf
        ? await attachFacturx(readBoundedFile(o.pdf, DEFAULT_PDF_LIMITS.maxPdfBytes), xml, { now, profile: loaded.profile })
        : await generateFacturx(loaded.invoice, { now, xml });
      writeFileSync(o.output, pdf);
      console.error(`Factur-X écrit : ${o.output} (profil ${loaded.profile}, facture ${loaded.invoice.number})`);
    });

  facturx
    .command('extract')
    .description('affiche la facture XML contenue dans un PDF Factur-X / ZUGFeRD')
    .argument('<pdf>', 'fichier PDF')
    .option('-o, --output <xml>', 'écrire le XML dans ce fichier au lieu de la sortie standard')
    .action(async (input: string, o: { output?: string }) => {
      const embedded = await extractInvoiceFromPdf(readBoundedFile(input, DEFAULT_PDF_LIMITS.maxPdfBytes));
      if (o.output) writeFileSync(o.output, embedded.xml);
      else process.stdout.write(embedded.xml);
    });

  program
    .command('convert')
    .description('convertit une facture entre UBL 2.1 et CII D16B (aussi depuis un PDF Factur-X)')
    .argument('<fichier>', 'facture UBL, CII ou PDF Factur-X')
    .requiredOption('--to <syntaxe>', 'syntaxe cible : ubl ou cii', syntaxOption)
    .requiredOption('-o, --output <fichier>', 'fichier XML à écrire')
    .action(async (input: string, o: { to: 'ubl' | 'cii'; output: string }) => {
      const loaded = await loadInvoiceFile(input);
      const xml = o.to === 'ubl' ? writeUbl(loaded.invoice) : writeCii(loaded.invoice);
      writeFileSync(o.output, xml);
      console.error(`Converti de ${loaded.syntax} en ${o.to.toUpperCase()} : ${o.output}`);
    });

  program
    .command('render')
    .description('produit la présentation lisible en français (PDF) d’une facture UBL, CII ou Factur-X')
    .argument('<fichier>', 'facture UBL, CII ou PDF Factur-X')
    .requiredOption('-o, --output <pdf>', 'fichier PDF à écrire')
    .action(async (input: string, o: { output: string }) => {
      const loaded = await loadInvoiceFile(input);
      writeFileSync(o.output, await renderInvoicePdf(loaded.invoice, { now: new Date() }));
      console.error(`Présentation écrite : ${o.output}`);
    });

  registerValidateCommand(program);
}
