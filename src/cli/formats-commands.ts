import { closeSync, existsSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
import { isRuleSetName, ruleSetNames, validateInvoiceDocuments, XsdValidator, type RecipientRequirements, type RuleSetName } from '../validation/index.ts';

/**
 * CLI commands of the formats library: `facturx make|extract`, `convert`, `render`, `validate`.
 * Commands that read an invoice go through `loadInvoiceFile`, which accepts UBL, CII or a Factur-X PDF;
 * a new command (e.g. `validate`) registers itself the same way in `registerFormatsCommands`.
 */

/** Reads a file after checking its size on disk, so an oversized file is refused without being loaded. */
export function readBoundedFile(file: string, maxBytes: number): Buffer {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new FormatError('NOT_AN_INVOICE', `« ${file} » n'est pas un fichier.`);
    size = stat.size;
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new FileUnreadableError(`Fichier introuvable ou illisible : ${file}`);
  }
  if (size > maxBytes) {
    throw new FormatError('INPUT_TOO_LARGE', `Fichier trop volumineux (${(size / 1024 / 1024).toFixed(1)} Mo) : la taille maximale est de ${(maxBytes / 1024 / 1024).toFixed(1)} Mo.`);
  }
  const buffer = Buffer.alloc(size);
  const fd = openSync(file, 'r');
  try {
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** A file that cannot be opened at all (the `validate` command exits 2 on it). */
export class FileUnreadableError extends Error {}

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

// ---------------------------------------------------------------------------------------------------
// ouvrage validate FILE...

/** Where the XSD artefacts are looked for when `--xsd-dir` is not given. */
export function defaultArtefactsDir(): string | undefined {
  const candidates = [
    process.env.OUVRAGE_EINVOICE_ARTEFACTS,
    path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'einvoice', 'artefacts'),
  ];
  return candidates.find((d): d is string => !!d && existsSync(path.join(d, 'ubl-2.1-xsd')));
}

function ruleSetsOption(value: string): RuleSetName[] {
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = names.filter((n) => !isRuleSetName(n));
  if (bad.length || names.length === 0) throw new InvalidArgumentError(`Jeux de règles possibles : ${ruleSetNames().join(', ')}.`);
  return [...new Set(names)] as RuleSetName[];
}

const REQUIREMENTS: Record<string, keyof RecipientRequirements> = {
  'code-service': 'serviceCode',
  engagement: 'ej',
  'engagement-ou-code-service': 'ejOrServiceCode',
};

function requirementsOption(value: string): RecipientRequirements {
  const out: RecipientRequirements = {};
  for (const v of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const k = REQUIREMENTS[v];
    if (!k || k === 'services') throw new InvalidArgumentError(`Valeurs possibles : ${Object.keys(REQUIREMENTS).join(', ')}.`);
    (out as Record<string, boolean>)[k] = true;
  }
  return out;
}

export interface ValidateCommandResult {
  file: string;
  syntax: 'ubl' | 'cii' | null;
  profile: string | null;
  valid: boolean;
  error?: { code: string; message: string };
  findings: { rule: string; flag: 'fatal' | 'warning'; location: string; message: string; messageFr: string }[];
}

/** Exit code of `validate`: 2 when a file cannot be read, else 1 when one is invalid, else 0. */
export function validateExitCode(results: readonly ValidateCommandResult[]): 0 | 1 | 2 {
  if (results.some((r) => r.error)) return 2;
  return results.every((r) => r.valid) ? 0 : 1;
}

function printHuman(results: readonly ValidateCommandResult[]): void {
  const out: string[] = [];
  for (const r of results) {
    if (r.error) {
      out.push(`✗ ${r.file} : illisible — ${r.error.message}`);
      continue;
    }
    const fatal = r.findings.filter((f) => f.flag === 'fatal').length;
    const warn = r.findings.length - fatal;
    const what = `${r.syntax?.toUpperCase()}, profil ${r.profile}`;
    out.push(
      r.valid
        ? `✓ ${r.file} (${what}) : valide${warn ? `, ${warn} avertissement${warn > 1 ? 's' : ''}` : ''}`
        : `✗ ${r.file} (${what}) : ${fatal} erreur${fatal > 1 ? 's' : ''}${warn ? `, ${warn} avertissement${warn > 1 ? 's' : ''}` : ''}`,
    );
    for (const f of r.findings) out.push(`  ${f.flag === 'fatal' ? 'erreur' : 'avertissement'} ${f.rule} : ${f.messageFr}\n    à ${f.location}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('valide des factures UBL, CII ou PDF Factur-X (XSD, EN 16931, Factur-X, BR-FR, Chorus Pro)')
    .argument('<fichiers...>', 'factures UBL, CII ou PDF Factur-X')
    .option('--rules <jeux>', `jeux de règles séparés par des virgules (${ruleSetNames().join(', ')})`, ruleSetsOption)
    .option('--json', 'résultat en JSON : {results:[{file, syntax, profile, valid, findings}]}')
    .option('--no-xsd', 'ne pas valider contre les schémas XSD')
    .option('--xsd-dir <dossier>', 'dossier des schémas (artefacts des fixtures e-invoice)')
    .option('--exige <exigences>', `exigences du destinataire pour le jeu chorus (${Object.keys(REQUIREMENTS).join(', ')})`, requirementsOption)
    .action(async (files: string[], o: { rules?: RuleSetName[]; json?: boolean; xsd: boolean; xsdDir?: string; exige?: RecipientRequirements }) => {
      const artefacts = o.xsd ? (o.xsdDir ?? defaultArtefactsDir()) : undefined;
      if (o.xsd && !artefacts && !o.json) console.error('Schémas XSD introuvables (option --xsd-dir) : validation XSD non faite.');
      const xsd = artefacts ? XsdValidator.load(artefacts) : undefined;
      const maxBytes = Math.max(DEFAULT_PDF_LIMITS.maxPdfBytes, DEFAULT_XML_LIMITS.maxBytes);
      const read: (Uint8Array | { code: string; message: string })[] = files.map((f) => {
        try {
          return readBoundedFile(f, maxBytes);
        } catch (err) {
          if (err instanceof FormatError) return { code: err.code, message: err.userMessage };
          if (err instanceof FileUnreadableError) return { code: 'FILE_UNREADABLE', message: err.message };
          throw err;
        }
      });
      const readable = read.filter((r): r is Uint8Array => r instanceof Uint8Array);
      const checked = await validateInvoiceDocuments(readable, { ruleSets: o.rules, recipientRequirements: o.exige, xsd });
      let k = 0;
      const results: ValidateCommandResult[] = read.map((r, i) => {
        if (!(r instanceof Uint8Array)) return { file: files[i], syntax: null, profile: null, valid: false, error: r, findings: [] };
        const c = checked[k++];
        return {
          file: files[i],
          syntax: c.syntax,
          profile: c.profile,
          valid: c.valid,
          ...(c.error ? { error: c.error } : {}),
          findings: c.findings.map((f) => ({ rule: f.rule, flag: f.flag, location: f.location, message: f.message, messageFr: f.messageFr })),
        };
      });
      if (o.json) process.stdout.write(JSON.stringify({ results }, null, 2) + '\n');
      else printHuman(results);
      process.exitCode = validateExitCode(results);
    });
}
