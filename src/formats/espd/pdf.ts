import PDFDocument from 'pdfkit';
import { pdfBytes } from '../../shared/pdf-output.ts';
import { dejaVuFonts } from '../facturx/render.ts';
import { criterionLabelFr, propertyLabelFr } from './catalogue.ts';
import type { Address, Criterion, CriterionProperty, CriterionResponse, EspdDocument, Evidence, Party, PropertyGroup, ResponseValue } from './model.ts';

/**
 * The French rendering of a DUME (request or response) with exactly the data of the model, hence of
 * the XML: Part I (procedure, buyer, lots), Part II (operators, group, representatives), the criteria
 * with the buyer's requirements and the operator's answers, and the evidence. Pure: no clock, no I/O
 * besides the embedded DejaVu fonts.
 */
type Doc = InstanceType<typeof PDFDocument>;

const ROLES_FR: Record<string, string> = {
  SC: 'Soumissionnaire seul', 'sole-tenderer': 'Soumissionnaire seul', LE: 'Mandataire du groupement', 'group-lead': 'Mandataire du groupement',
  GM: 'Membre du groupement', 'group-mem': 'Membre du groupement', OERON: 'Entité dont les capacités sont utilisées', oeron: 'Entité dont les capacités sont utilisées',
  OENRON: 'Sous-traitant', subcont: 'Sous-traitant', SCLE: 'Soumissionnaire seul ou mandataire',
};
const SIZES_FR: Record<string, string> = { MICRO: 'Microentreprise', micro: 'Microentreprise', SMALL: 'Petite entreprise', small: 'Petite entreprise', MEDIUM: 'Moyenne entreprise', medium: 'Moyenne entreprise', SME: 'PME', sme: 'PME', LARGE: 'Grande entreprise', large: 'Grande entreprise' };

/** Every answered value of a response as text (what the PDF must show). */
export function valueTexts(v: ResponseValue): string[] {
  const out: string[] = [];
  if (v.indicator !== undefined) out.push(v.indicator ? 'Oui' : 'Non');
  if (v.amount?.value) out.push(`${v.amount.value}${v.amount.currency ? ` ${v.amount.currency}` : ''}`);
  for (const m of [v.measure, v.quantity]) if (m?.value) out.push(`${m.value}${m.unit ? ` ${m.unit}` : ''}`);
  for (const s of [v.code, v.date, v.identifier, v.numeric, v.time, v.uri, v.id]) if (s) out.push(s);
  for (const d of v.descriptions ?? []) if (d) out.push(d);
  return out;
}

function answerTexts(a: CriterionResponse, evidences: Map<string, Evidence>): string[] {
  const out = (a.values ?? []).flatMap(valueTexts);
  for (const p of a.periods ?? []) {
    if (p.startDate || p.endDate) out.push(`du ${p.startDate ?? '…'} au ${p.endDate ?? '…'}`);
    for (const d of p.descriptions ?? []) if (d) out.push(d);
  }
  for (const id of a.evidenceIds ?? []) {
    const e = evidences.get(id);
    const uris = e?.documentReferences?.map((r) => r.attachment?.externalReference?.uri).filter(Boolean) ?? [];
    out.push(`preuve ${id}${uris.length ? ` : ${uris.join(', ')}` : ''}`);
  }
  if (a.lotIds?.length) out.push(`lots ${a.lotIds.join(', ')}`);
  if (a.confidentialityLevelCode) out.push(`confidentialité ${a.confidentialityLevelCode}`);
  return out;
}

function requirementTexts(p: CriterionProperty): string[] {
  const out: string[] = [];
  for (const a of [p.expectedAmount, p.minimumAmount, p.maximumAmount]) if (a?.value) out.push(`${a.value}${a.currency ? ` ${a.currency}` : ''}`);
  for (const s of [p.expectedId, p.expectedCode, p.expectedValueNumeric, p.minimumValueNumeric, p.maximumValueNumeric, p.expectedDescription, p.expectedUri, p.translationTypeCode, p.copyQualityTypeCode]) if (s) out.push(s);
  for (const s of p.certificationLevelDescriptions ?? []) out.push(s);
  for (const per of p.applicablePeriods ?? []) if (per.startDate || per.endDate) out.push(`du ${per.startDate ?? '…'} au ${per.endDate ?? '…'}`);
  return out;
}

const addressText = (a: Address | undefined) => (a ? [a.streetName, a.additionalStreetName, [a.postalZone, a.cityName].filter(Boolean).join(' '), a.countrySubentity, a.country].filter(Boolean).join(', ') : '');

export interface PdfOptions {
  /** the DUME number, printed in the header */
  number?: string;
}

export function renderEspdPdf(model: EspdDocument, options: PdfOptions = {}): Promise<Buffer> {
  const doc: Doc = new PDFDocument({ size: 'A4', margin: 48, bufferPages: false, info: { Title: `DUME ${options.number ?? model.id ?? ''}`.trim(), Author: 'Ouvrage', Creator: 'Ouvrage', Producer: 'Ouvrage' } });
  const done = pdfBytes(doc);
  const { regular, bold } = dejaVuFonts();
  doc.registerFont('Regular', regular);
  doc.registerFont('Bold', bold);
  const h1 = (t: string) => doc.moveDown(0.6).font('Bold').fontSize(14).fillColor('black').text(t);
  const h2 = (t: string) => doc.moveDown(0.4).font('Bold').fontSize(11).fillColor('black').text(t);
  const row = (label: string, value: string | undefined | null, indent = 0) => {
    if (!value) return;
    doc.font('Bold').fontSize(9).fillColor('black').text(`${label} : `, doc.page.margins.left + indent, undefined, { continued: true }).font('Regular').text(value);
  };
  const note = (t: string, indent = 0) => doc.font('Regular').fontSize(8).fillColor('#444444').text(t, doc.page.margins.left + indent);

  const isRequest = model.kind === 'request';
  doc.font('Bold').fontSize(18).text(isRequest ? 'DUME acheteur' : 'DUME opérateur économique');
  doc.font('Regular').fontSize(9).text(isRequest ? 'Document unique de marché européen — demande de l’acheteur (ESPD Request)' : 'Document unique de marché européen — réponse de l’opérateur économique (ESPD Response)');
  row('Numéro de DUME', options.number);
  row('Identifiant', model.id);
  row('UUID', model.uuid);
  row('Version ESPD-EDM', `${model.version}${model.profile ? ` (${model.profile})` : ''}`);
  row('Date', [model.issueDate, model.issueTime].filter(Boolean).join(' '));
  row('Version du contenu', model.versionId);
  for (const n of model.notes ?? []) row('Note', n);

  h1('Partie I — Procédure et acheteur');
  const p = model.procedure;
  row('Référence du dossier', p.fileReference);
  row('Objet', p.project?.title);
  for (const n of p.contractNames ?? []) row('Intitulé', n);
  for (const d of p.project?.descriptions ?? []) row('Description', d);
  row('Type de procédure', p.procedureType);
  row('Type de marché', p.project?.procurementType);
  for (const c of [...(p.project?.mainClassification ?? []), ...(p.project?.additionalClassification ?? [])]) row('Code CPV', c.code);
  for (const d of p.documents ?? []) row('Publication', [d.id, d.documentTypeCode, d.documentType, ...(d.descriptions ?? []), d.attachment?.externalReference?.uri].filter(Boolean).join(' — '));
  for (const b of model.buyers ?? []) {
    h2('Acheteur');
    partyRows(b.party);
    row('Profil d’acheteur', b.buyerProfileUri);
  }
  if (model.lots?.length) {
    h2('Lots');
    for (const l of model.lots) {
      const title = l.extra?.find((x) => x.name === 'cac:ProcurementProject')?.children?.find((x) => x.name === 'cbc:Name')?.text;
      row(`Lot ${l.id}`, title ?? '—');
    }
  }

  if (!isRequest || model.economicOperators?.length) {
    h1('Partie II — Opérateur économique');
    row('Nom du groupement', model.groupName);
    for (const eo of model.economicOperators ?? []) {
      row('Rôle', eo.eoRole?.role ? `${ROLES_FR[eo.eoRole.role] ?? eo.eoRole.role} (${eo.eoRole.role})` : undefined);
      for (const d of eo.eoRole?.roleDescriptions ?? []) row('Précision sur le rôle', d);
      partyRows(eo.party);
    }
  }

  const families: [string, (c: Criterion) => boolean][] = [
    ['Partie III — Motifs d’exclusion', (c) => /EXCLUSION|_EG_/.test(`${c.typeCode} ${c.id}`)],
    ['Partie IV — Critères de sélection', (c) => /SELECTION|_SC_/.test(`${c.typeCode} ${c.id}`)],
    ['Autres informations', () => true],
  ];
  const evidences = new Map((model.evidences ?? []).filter((e) => e.id).map((e) => [e.id!, e]));
  const seen = new Set<Criterion>();
  for (const [title, test] of families) {
    const list = (model.criteria ?? []).filter((c) => !seen.has(c) && test(c));
    if (!list.length) continue;
    h1(title);
    for (const c of list) {
      seen.add(c);
      criterionBlock(c, 0);
    }
  }
  for (const r of model.unattachedResponses ?? []) {
    h2('Réponse sans question correspondante');
    row(`Question ${r.propertyId ?? ''}`, answerTexts(r, evidences).join(' ; '));
  }
  if (model.evidences?.length) {
    h1('Preuves');
    for (const e of model.evidences) {
      h2(`Preuve ${e.id ?? ''}`);
      row('Type', e.typeCode);
      for (const n of e.names ?? []) row('Nom', n);
      for (const d of e.descriptions ?? []) row('Description', d);
      for (const s of e.candidateStatements ?? []) row('Déclaration', s);
      row('Confidentialité', e.confidentialityLevelCode);
      if (e.issuingParty) partyRows(e.issuingParty, 'Émetteur');
      for (const r of e.documentReferences ?? []) {
        row('Document', [r.id, r.documentTypeCode, r.documentType, r.issueDate, ...(r.descriptions ?? [])].filter(Boolean).join(' — '));
        row('Adresse', r.attachment?.externalReference?.uri);
        row('Fichier', r.attachment?.externalReference?.fileName);
        for (const d of r.attachment?.externalReference?.descriptions ?? []) row('Description', d);
        if (r.issuer) partyRows(r.issuer, 'Émetteur du document');
      }
    }
  }
  if (!isRequest) {
    h1('Partie VI — Déclarations finales');
    doc.font('Regular').fontSize(9).fillColor('black').text(
      'L’opérateur économique déclare formellement que les informations communiquées dans ce DUME sont exactes et sincères et ont été établies en connaissance des conséquences d’une grave fausse déclaration. Il déclare pouvoir, sur demande et sans tarder, fournir les certificats et autres pièces justificatives, sauf si l’acheteur peut les obtenir directement en accédant à une base de données nationale gratuite.',
      doc.page.margins.left,
    );
  }
  doc.end();
  return done;

  function partyRows(party: Party | undefined, prefix?: string) {
    if (!party) return;
    const label = (l: string) => (prefix ? `${prefix} — ${l.toLowerCase()}` : l);
    for (const n of party.names ?? []) row(label('Nom'), n);
    (party.identifiers ?? []).forEach((id, i) => {
      const scheme = party.attrs?.[`identifiers.${i}`]?.schemeID;
      row(label('Identifiant'), `${id}${scheme ? ` (${scheme})` : ''}`);
    });
    for (const t of party.taxIds ?? []) row(label('Numéro de TVA'), t.id);
    row(label('Adresse'), addressText(party.address));
    row(label('Site internet'), party.websiteUri);
    row(label('Point de terminaison'), party.endpointId);
    row(label('Taille'), party.size ? `${SIZES_FR[party.size] ?? party.size} (${party.size})` : undefined);
    const c = party.contact;
    if (c) row(label('Contact'), [c.name, c.email, c.telephone, c.telefax].filter(Boolean).join(' — '));
    for (const person of party.persons ?? []) row(label('Personne'), [person.firstName, person.familyName, person.jobTitle, person.birthDate, person.birthplaceName].filter(Boolean).join(' '));
    for (const r of party.representatives ?? []) {
      for (const person of r.agent?.persons ?? []) {
        row(label('Représentant'), [person.firstName, person.familyName].filter(Boolean).join(' '));
        row('Né(e) le', [person.birthDate, person.birthplaceName].filter(Boolean).join(' à '), 12);
        row('Fonction', person.jobTitle, 12);
        row('Adresse', addressText(person.residenceAddress), 12);
        if (person.contact) row('Contact', [person.contact.name, person.contact.email, person.contact.telephone, person.contact.telefax].filter(Boolean).join(' — '), 12);
      }
      for (const d of r.descriptions ?? []) row('Pouvoir de représentation', d, 12);
      for (const n of r.agent?.names ?? []) row('Mandataire', n, 12);
    }
  }

  function criterionBlock(c: Criterion, indent: number) {
    doc.moveDown(0.3).font('Bold').fontSize(10).fillColor('black').text(criterionLabelFr(c), doc.page.margins.left + indent);
    note([c.typeCode, c.id].filter(Boolean).join(' — '), indent);
    if (c.name && c.name !== criterionLabelFr(c)) note(c.name, indent);
    for (const d of c.descriptions ?? []) note(d, indent);
    if (c.lotIds?.length) row('Lots', c.lotIds.join(', '), indent);
    row('Pondération', c.weightNumeric, indent);
    row('Méthode d’évaluation', c.evaluationMethodTypeCode, indent);
    for (const d of c.weightingConsiderationDescriptions ?? []) row('Pondération', d, indent);
    groupsBlock(c.groups, indent + 8);
    for (const s of c.subCriteria ?? []) criterionBlock(s, indent + 8);
  }

  function groupsBlock(groups: PropertyGroup[] | undefined, indent: number) {
    for (const g of groups ?? []) {
      for (const n of g.names ?? []) note(n, indent);
      for (const prop of g.properties ?? []) {
        const type = (prop.typeCode ?? 'QUESTION').toUpperCase();
        if (type === 'CAPTION') {
          const t = prop.descriptions?.find((d) => d) ?? prop.name;
          if (t) note(t, indent);
          continue;
        }
        if (type === 'REQUIREMENT') {
          const values = requirementTexts(prop);
          row(`Exigence — ${propertyLabelFr(prop)}`, values.length ? values.join(' ; ') : '—', indent);
          continue;
        }
        const answers = (prop.answers ?? []).flatMap((a) => answerTexts(a, evidences));
        if (isRequest && !answers.length) row(propertyLabelFr(prop), 'à renseigner par l’opérateur', indent);
        else row(propertyLabelFr(prop), answers.length ? answers.join(' ; ') : '—', indent);
      }
      groupsBlock(g.subGroups, indent + 8);
    }
  }
}
