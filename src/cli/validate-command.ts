import { InvalidArgumentError, type Command } from 'commander';
import { FormatError } from '../formats/errors.ts';
import { DEFAULT_XML_LIMITS } from '../formats/xml/safe-parse.ts';
import { validateInvoiceDocuments } from '../validation/invoice.ts';
import type { RecipientRequirements } from '../validation/model-rules.ts';
import { isRuleSetName, ruleSetNames, type RuleSetName } from '../validation/registry.ts';
import { findArtefactsDir, XsdValidator } from '../validation/xsd.ts';
import { FileUnreadableError, readBoundedFile } from './files.ts';

/**
 * `ouvrage validate FILE...`: UBL, CII or Factur-X PDF through `validateInvoiceDocuments` (rule sets, XSD with
 * each schema compiled once). Kept apart from the other formats commands so that `bin/ouvrage.mjs` can load it alone (cold start).
 */

/** Largest file read (the PDF limit of the Factur-X reader, 50 MB). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Where the XSD artefacts are looked for when `--xsd-dir` is not given. */
export const defaultArtefactsDir = (): string | undefined => findArtefactsDir();

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
      const maxBytes = Math.max(MAX_FILE_BYTES, DEFAULT_XML_LIMITS.maxBytes);
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
