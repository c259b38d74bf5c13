import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import {
  EXPORT_VERSIONS,
  allCriteria,
  exportEspd,
  importEspd,
  renderEspdPdf,
  propertiesOf,
  type EspdDocument,
  type EspdExportVersion,
  type EspdLoss,
} from '../formats/espd/index.ts';
import { checkCompleteness, mergeRequestWithResponse } from '../dume/index.ts';

const readDocument = (file: string) => importEspd(readFileSync(file));

const exportVersion = (value: string): EspdExportVersion => {
  if (!EXPORT_VERSIONS.includes(value as EspdExportVersion)) {
    throw new InvalidArgumentError(`version d’export inconnue « ${value} » (choix : ${EXPORT_VERSIONS.join(', ')})`);
  }
  return value as EspdExportVersion;
};

/** The export version closest to the document's own. */
const naturalTarget = (doc: EspdDocument): EspdExportVersion => (/^[34]\./.test(doc.version) ? '4.1.0' : '2.1.1');

function summary(doc: EspdDocument): string[] {
  const criteria = [...allCriteria(doc.criteria)];
  const questions = criteria.flatMap((c) => [...propertiesOf(c.groups)]);
  const answered = questions.filter((p) => p.answers?.length).length;
  const party = doc.economicOperators?.[0]?.party;
  const lines = [
    `${doc.kind === 'request' ? 'DUME acheteur (demande)' : 'DUME opérateur économique (réponse)'} — ESPD-EDM ${doc.version}${doc.profile ? ` (${doc.profile})` : ''}`,
    `Référence de la procédure : ${doc.procedure.fileReference ?? '—'}`,
  ];
  if (doc.procedure.project?.title) lines.push(`Objet : ${doc.procedure.project.title}`);
  if (doc.procedure.procedureType) lines.push(`Type de procédure : ${doc.procedure.procedureType}`);
  const buyer = doc.buyers?.[0]?.party?.names?.[0];
  if (buyer) lines.push(`Acheteur : ${buyer}`);
  if (doc.lots?.length) lines.push(`Lots : ${doc.lots.map((l) => l.id).join(', ')}`);
  if (party) {
    lines.push(`Opérateur économique : ${party.names?.[0] ?? '—'}${party.identifiers?.length ? ` (${party.identifiers.join(', ')})` : ''}`);
  }
  if (doc.groupName) lines.push(`Groupement : ${doc.groupName}`);
  lines.push(`Critères : ${criteria.length}${doc.kind === 'response' ? ` — questions répondues : ${answered}/${questions.length}` : ''}`);
  if (doc.evidences?.length) lines.push(`Preuves : ${doc.evidences.length}`);
  return lines;
}

const printLosses = (losses: EspdLoss[]) => {
  if (!losses.length) return;
  console.log(`Éléments que la version cible ne peut pas contenir (${losses.length}), non exportés :`);
  for (const l of losses) console.log(`  - ${l.path} : ${l.message}`);
};

/** CLI commands of the dume library. */
export function registerDumeCommands(program: Command): void {
  const dume = program.command('dume').description('DUME (ESPD) : lecture, conversion et fusion de fichiers XML');

  dume
    .command('show')
    .description('affiche un DUME (toutes versions ESPD-EDM lues : 1.0.2 à 4.1.0)')
    .argument('<fichier>', 'fichier XML ESPD (demande ou réponse)')
    .option('--json', 'affiche le modèle complet en JSON')
    .action((file: string, o: { json?: boolean }) => {
      const doc = readDocument(file);
      if (o.json) console.log(JSON.stringify(doc, null, 2));
      else console.log(summary(doc).join('\n'));
    });

  dume
    .command('convert')
    .description('convertit un DUME vers ESPD-EDM 2.1.1 ou 4.1.0 et liste ce qui ne peut pas être converti')
    .argument('<fichier>', 'fichier XML ESPD')
    .requiredOption('--to <version>', `version cible (${EXPORT_VERSIONS.join(' | ')})`, exportVersion)
    .requiredOption('-o, --output <fichier>', 'fichier XML à écrire')
    .action((file: string, o: { to: EspdExportVersion; output: string }) => {
      const doc = readDocument(file);
      const { xml, losses } = exportEspd(doc, o.to);
      writeFileSync(o.output, xml);
      console.log(`DUME ${doc.version} converti en ${o.to} : ${o.output}`);
      printLosses(losses);
    });

  dume
    .command('merge')
    .description('fusionne une nouvelle demande et une ancienne réponse en une réponse à compléter')
    .argument('<demande>', 'DUME acheteur (demande) de la nouvelle procédure')
    .argument('<réponse>', 'ancien DUME opérateur économique (réponse)')
    .requiredOption('-o, --output <fichier>', 'fichier XML de la réponse fusionnée')
    .option('--to <version>', `version du fichier écrit (${EXPORT_VERSIONS.join(' | ')}) ; par défaut celle de la demande`, exportVersion)
    .action((requestFile: string, responseFile: string, o: { output: string; to?: EspdExportVersion }) => {
      const request = readDocument(requestFile);
      const earlier = readDocument(responseFile);
      const now = new Date();
      const { response, carriedOver, toAnswer, dropped } = mergeRequestWithResponse(request, earlier, {
        uuid: randomUUID(),
        issueDate: now.toISOString().slice(0, 10),
      });
      const target = o.to ?? naturalTarget(request);
      const { xml, losses } = exportEspd(response, target);
      writeFileSync(o.output, xml);
      const name = (c: { name?: string; typeCode?: string; id: string }) => c.name ?? c.typeCode ?? c.id;
      console.log(`Réponse fusionnée (ESPD-EDM ${target}) : ${o.output}`);
      console.log(`Critères repris de l’ancienne réponse (${carriedOver.length}) :`);
      for (const c of carriedOver) console.log(`  - ${name(c)} (${c.answered}/${c.questions} questions)`);
      console.log(`Critères à compléter (${toAnswer.length}) :`);
      for (const c of toAnswer) console.log(`  - ${name(c)}`);
      if (dropped.length) {
        console.log(`Critères de l’ancienne réponse non demandés, abandonnés (${dropped.length}) :`);
        for (const c of dropped) console.log(`  - ${name(c)}`);
      }
      const missing = checkCompleteness(response, request);
      console.log(`Réponses manquantes : ${missing.length}`);
      printLosses(losses);
    });

  dume
    .command('pdf')
    .description('rend un DUME (demande ou réponse, toute version) en PDF français, avec toutes les données du XML')
    .argument('<fichier>', 'fichier XML ESPD')
    .requiredOption('-o, --output <fichier>', 'fichier PDF à écrire')
    .action(async (file: string, o: { output: string }) => {
      const doc = readDocument(file);
      writeFileSync(o.output, await renderEspdPdf(doc));
      console.log(`DUME ${doc.version} rendu en PDF : ${o.output}`);
    });
}
