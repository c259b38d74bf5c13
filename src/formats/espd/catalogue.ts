import { CRITERION_LABELS_FR, TAXONOMY_2_1_1 } from './generated/taxonomy.ts';
import type { Criterion, CriterionProperty } from './model.ts';

/**
 * The criteria a buyer may ask, taken from the ESPD-EDM 2.1.1 criteria taxonomy (Extended, with the
 * requirement groups where the buyer states minimum values and lots), with their French labels.
 */
export type CriterionFamily = 'EXCLUSION' | 'SELECTION' | 'OTHER';

export interface CatalogueEntry {
  /** taxonomy UUID (stable from v1 to v4) */
  id: string;
  /** 2.1.1 criterion type code */
  code: string;
  family: CriterionFamily;
  /** French section heading (Convictions, Impôts et cotisations sociales…) */
  section: string;
  label: string;
  /** exclusion grounds of the directive, preselected in a new request */
  euExclusion: boolean;
}

const SECTIONS: [prefix: string, label: string][] = [
  ['CRITERION.EXCLUSION.CONVICTIONS', 'Motifs liés à des condamnations pénales'],
  ['CRITERION.EXCLUSION.CONTRIBUTIONS', 'Paiement des impôts et des cotisations sociales'],
  ['CRITERION.EXCLUSION.SOCIAL', 'Droit environnemental, social et du travail'],
  ['CRITERION.EXCLUSION.BUSINESS', 'Insolvabilité et situation de l’entreprise'],
  ['CRITERION.EXCLUSION.MISCONDUCT', 'Faute professionnelle'],
  ['CRITERION.EXCLUSION.CONFLICT_OF_INTEREST', 'Conflits d’intérêts et autres motifs'],
  ['CRITERION.EXCLUSION.NATIONAL', 'Motifs d’exclusion purement nationaux'],
  ['CRITERION.SELECTION.SUITABILITY', 'A. Aptitude'],
  ['CRITERION.SELECTION.ECONOMIC_FINANCIAL_STANDING', 'B. Capacité économique et financière'],
  ['CRITERION.SELECTION.TECHNICAL_PROFESSIONAL_ABILITY.CERTIFICATES', 'D. Assurance de la qualité et gestion environnementale'],
  ['CRITERION.SELECTION.TECHNICAL_PROFESSIONAL_ABILITY', 'C. Capacités techniques et professionnelles'],
  ['CRITERION.SELECTION.ALL', 'α. Indication globale'],
  ['CRITERION.OTHER', 'Informations sur l’opérateur économique'],
  ['CRITERION', 'Autres'],
];

export const ALPHA_CRITERION = 'f4dc58dd-af45-4602-a4c8-3dca30fac082';
export const NATIONAL_EXCLUSION = '63adb07d-db1b-4ef0-a14e-a99785cf8cf6';
/** EO-data criteria every request built here carries (Part II of the form). */
export const EO_DATA = {
  together: 'ee51100f-8e3e-40c9-8f8b-57d5a15be1f2',
  relies: '0d62c6ed-f074-4fcf-8e9f-f691351d52ad',
  subcontracts: '72c0c4b1-ca50-4667-9487-461f3eed4ed7',
  lotsTendered: '8b9700b7-b13c-41e6-a220-6bbf8d5fab31',
} as const;
/** The two criteria of the "DUME simplifié": turnover and headcount. */
export const SIMPLIFIED_CRITERIA = ['499efc97-2ac1-4af2-9e84-323c2ca67747', '1f49b3f0-d50f-43f6-8b30-4bafab108b9b'] as const;

const familyOf = (code: string): CriterionFamily => (code.startsWith('CRITERION.EXCLUSION') ? 'EXCLUSION' : code.startsWith('CRITERION.SELECTION') ? 'SELECTION' : 'OTHER');

export const CATALOGUE: readonly CatalogueEntry[] = TAXONOMY_2_1_1.map((c) => {
  const code = c.typeCode ?? '';
  return {
    id: c.id!,
    code,
    family: familyOf(code),
    section: SECTIONS.find(([p]) => code.startsWith(p))![1],
    label: CRITERION_LABELS_FR[c.id!] ?? c.name ?? code,
    euExclusion: familyOf(code) === 'EXCLUSION' && c.id !== NATIONAL_EXCLUSION,
  };
});
const byId = new Map(TAXONOMY_2_1_1.map((c) => [c.id!, c]));

export const catalogueEntry = (id: string | undefined) => CATALOGUE.find((e) => e.id === id);

/** A fresh copy of a criterion of the taxonomy, to be put in a request. */
export function criterionTemplate(id: string): Criterion | undefined {
  const c = byId.get(id);
  return c ? structuredClone(c) : undefined;
}

/** The French label of a criterion: the catalogue's, else the document's own name. */
export const criterionLabelFr = (c: Pick<Criterion, 'id' | 'name' | 'typeCode'>) => (c.id && CRITERION_LABELS_FR[c.id]) || c.name || c.typeCode || c.id || 'Critère';

const QUESTIONS_FR: Record<string, string> = {
  'Your answer': 'Votre réponse',
  'Your answer?': 'Votre réponse',
  'Your Answer': 'Votre réponse',
  'Evidence Supplied': 'Preuve fournie (adresse internet)',
  'Evidence supplied': 'Preuve fournie (adresse internet)',
  'Is this information available electronically?': 'Ces informations sont-elles disponibles en ligne ?',
  'Is this information available online?': 'Ces informations sont-elles disponibles en ligne ?',
  'Please describe them': 'Décrivez-les',
  'Requirement': 'Exigence',
  'Have you taken measures to demonstrate your reliability (Self-Cleaning)?': 'Avez-vous pris des mesures pour démontrer votre fiabilité (mesures d’autocorrection) ?',
  'Have you taken measures to demonstrate your reliability': 'Avez-vous pris des mesures pour démontrer votre fiabilité ?',
  'Lot ID': 'Lot',
  'Lot Ids': 'Lots',
  'This criterion will be weighted': 'Ce critère sera pondéré',
  'Date of conviction': 'Date de la condamnation',
  'Reason': 'Motif',
  'Who has been convicted': 'Personne condamnée',
  'Length of the period of exclusion': 'Durée de la période d’exclusion',
  'Indicate reasons for being nevertheless to perform the contract': 'Raisons pour lesquelles vous êtes néanmoins en mesure d’exécuter le marché',
  'Amount': 'Montant',
  'Register name': 'Nom du registre',
  'URL': 'Adresse internet',
  'Registration number': 'Numéro d’inscription',
  'Reasons why your are not registered': 'Raisons de la non-inscription',
  'Minimum requirement': 'Exigence minimale',
  'Other information': 'Autres informations',
  'Start date; End date': 'Période (date de début ; date de fin)',
  'Start Date and End Date': 'Période (date de début ; date de fin)',
  'Number of fiscal years': 'Nombre d’exercices',
  'Minimum number of references': 'Nombre minimal de références',
  'Lots these references apply to': 'Lots auxquels ces références s’appliquent',
  'Reference description': 'Description de la référence',
  'Total amount': 'Montant total',
  'Activity of the economic operator': 'Activité de l’opérateur économique',
  'Specific amount': 'Montant spécifique',
  'Period (Start and End dates)': 'Période (dates de début et de fin)',
  'Confidential': 'Confidentiel',
  'Recipient name': 'Destinataire',
  'Contact person name': 'Personne à contacter',
  'Contact email': 'Adresse électronique de contact',
  'Contact telephone': 'Téléphone de contact',
  'First name': 'Prénom',
  'Last name': 'Nom',
  'If not, please explain why and state which other means of proof can be provided:': 'Sinon, expliquez pourquoi et indiquez les autres moyens de preuve :',
  'Threshold': 'Seuil',
  'Additional Information': 'Informations complémentaires',
  'Additional information': 'Informations complémentaires',
  'Country or member state concerned': 'Pays ou État membre concerné',
  'Amount concerned': 'Montant concerné',
  'Please describe which means were used': 'Décrivez les moyens utilisés',
  'Please indicate the date of conviction or decision': 'Date de la condamnation ou de la décision',
  'Business domain description': 'Domaine d’activité',
  'CPVs:': 'Codes CPV :',
  'CPV Code': 'Code CPV',
  'Lots the requirement applies to': 'Lots auxquels l’exigence s’applique',
  'Minimum amount': 'Montant minimal',
  'Profession': 'Profession',
  'Experience': 'Expérience',
  'Name': 'Nom',
  'Minum number of years': 'Nombre minimal d’années',
  'Year': 'Année',
  'Number': 'Nombre',
  'Name of the entity': 'Nom de l’entité',
  'ID of the entity': 'Identifiant de l’entité',
  'ID of the subcontractor': 'Identifiant du sous-traitant',
  'Average for the required period': 'Moyenne sur la période demandée',
  'Please specify': 'Précisez',
  'Ratio Type': 'Type de ratio',
  'Definition': 'Définition',
  'Please provide your ratio': 'Votre ratio',
  'Type of insurance': 'Type d’assurance',
  'Do you allow checks?': 'Autorisez-vous les vérifications ?',
  'Number of employees': 'Effectif',
  'Turnover': 'Chiffre d’affaires',
  'Please identify the other economic operators participating in the procurement procedure together': 'Identifiez les autres opérateurs économiques participant avec vous à la procédure',
  'Where applicable, name of the participating group:': 'Le cas échéant, nom du groupement :',
  'Please indicate the role of the economic operator in the group (leader, responsible for specific tasks...)': 'Rôle de l’opérateur économique dans le groupement (mandataire, tâches particulières…)',
  'Tenders may be submitted for': 'Les offres peuvent porter sur',
  'Maximum number of lots': 'Nombre maximal de lots',
  'Maximum number of lots that may be awarded to one tenderer': 'Nombre maximal de lots attribuables à un soumissionnaire',
};

/** The French wording of a question or requirement (the document's own wording when not translated). */
export function propertyLabelFr(p: Pick<CriterionProperty, 'descriptions' | 'name' | 'id'>): string {
  const text = p.descriptions?.find((d) => d) ?? p.name ?? '';
  return QUESTIONS_FR[text] ?? (text || p.id || 'Question');
}
