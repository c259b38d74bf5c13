import { ACTIONS, CURRENCIES, FRAMEWORKS, STATUSES, TRANSITIONS, VALIDATED_FRAMEWORKS, VAT_RATES } from '../invoices/index.ts';
import { ATTACHMENT_RULES } from '../invoices/index.ts';

/**
 * Reference lists of transverses/v1/recuperer/…, derived from the platform's own rules (the invoices'
 * frameworks, statuses, transitions, currencies and VAT rates), never a second copy of them. Pure.
 */

/** Chorus Pro codes of the VAT rates the platform accepts (`lignePosteTauxTva`, `recuperer/tauxtva`). */
export const TAUX_TVA = VAT_RATES.map((rate) => ({ codeTauxTva: `TVA${rate.replace('.', '_')}`, libelleTauxTva: `${rate.replace('.', ',')} %`, valeurTauxTva: Number(rate) }));

/** A VAT rate sent by a client: a code (TVA20, TVA5_5), a number (20, 5.5) or text ("20.00"). */
export function vatRateOf(code: unknown, manual: unknown): string | null {
  if (typeof manual === 'number' && Number.isFinite(manual)) return String(manual);
  if (typeof manual === 'string' && manual.trim()) return manual.trim().replace(',', '.');
  if (typeof code === 'number' && Number.isFinite(code)) return String(code);
  if (typeof code !== 'string' || !code.trim()) return null;
  const known = TAUX_TVA.find((t) => t.codeTauxTva === code.trim().toUpperCase());
  if (known) return String(known.valeurTauxTva);
  return code.trim().replace(/^TVA/i, '').replace(/_/g, '.').replace(',', '.');
}

const LABELS: Record<string, string> = { EUR: 'Euro', USD: 'Dollar des États-Unis', GBP: 'Livre sterling', CHF: 'Franc suisse', JPY: 'Yen', CAD: 'Dollar canadien', AUD: 'Dollar australien', SEK: 'Couronne suédoise', DKK: 'Couronne danoise', NOK: 'Couronne norvégienne', PLN: 'Zloty', CZK: 'Couronne tchèque', HUF: 'Forint', RON: 'Leu roumain', BGN: 'Lev bulgare', XPF: 'Franc CFP', XOF: 'Franc CFA (UEMOA)', XAF: 'Franc CFA (CEMAC)', MAD: 'Dirham marocain', TND: 'Dinar tunisien', CNY: 'Yuan' };
export const DEVISES = CURRENCIES.map((c) => ({ codeDevise: c, libelleDevise: LABELS[c] ?? c }));

/** Deposit modes of soumettre (the others are portal or EDI modes). */
export const MODES_DEPOT_API = ['SAISIE_API', 'DEPOT_PDF_API', 'DEPOT_PDF_SIGNE_API'] as const;
export const MODES_DEPOT = ['SAISIE_API', 'DEPOT_PDF_API', 'DEPOT_PDF_SIGNE_API', 'SAISIE_WEB', 'DEPOT_PDF_PORTAIL', 'EDI'] as const;

/** Flow syntaxes accepted by deposer/flux (issue 6) and their family. */
export const SYNTAXES_FLUX = {
  IN_DP_E1_UBL_INVOICE: { family: 'E1', format: 'IN_DP_E1_STRUCT', syntax: 'UBL' },
  IN_DP_E1_CII_16B: { family: 'E1', format: 'IN_DP_E1_STRUCT', syntax: 'CII' },
  IN_DP_E2_UBL_INVOICE_MIN: { family: 'E2', format: 'IN_DP_E2_MIXTE', syntax: 'UBL' },
  IN_DP_E2_CII_MIN_16B: { family: 'E2', format: 'IN_DP_E2_MIXTE', syntax: 'CII' },
  IN_DP_E2_CII_FACTURX: { family: 'E2', format: 'IN_DP_E2_FACTURX', syntax: 'FACTURX' },
} as const;
export type SyntaxeFlux = keyof typeof SYNTAXES_FLUX;
export const FORMATS_FLUX = ['IN_DP_E1_STRUCT', 'IN_DP_E2_MIXTE', 'IN_DP_E2_FACTURX'];

/** Every billing framework of Chorus Pro (§2.6); the platform's circuits say which ones are accepted today. */
export const ALL_FRAMEWORKS = [
  'A1_FACTURE_FOURNISSEUR', 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE', 'A3_MEMOIRE_JUSTICE', 'A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR',
  'A5_ETAT_ACOMPTE_FOURNISSEUR', 'A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR', 'A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR', 'A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR',
  'A9_FACTURE_SOUSTRAITANT', 'A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT', 'A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT', 'A12_FACTURE_COTRAITANT',
  'A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT', 'A14_PROJET_DECOMPTE_FINAL_COTRAITANT', 'A15_ETAT_ACOMPTE_MOE', 'A16_ETAT_ACOMPTE_VALIDE_MOE',
  'A17_PROJET_DECOMPTE_GENERAL_MOE', 'A18_DECOMPTE_GENERAL_MOE', 'A19_ETAT_ACOMPTE_VALIDE_MOA', 'A20_DECOMPTE_GENERAL_MOA',
  'A21_DEMANDE_REMBOURSEMENT_TIC', 'A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE', 'A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR',
  'A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE', 'A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE',
] as const;
/**
 * Frameworks soumettre accepts: every invoice framework of the platform. For A9 / A12, soumettre maps
 * references.numeroMarche and cadreDeFacturation.codeStructureValideur to the invoice's contract and validator
 * (setInvoiceContract, as the native API's PUT /invoices/{id}/contract).
 */
export const CPRO_FRAMEWORKS: readonly (typeof FRAMEWORKS)[number][] = FRAMEWORKS;
export const isValidatedFramework = (code: string) => (VALIDATED_FRAMEWORKS as readonly string[]).includes(code);
export const frameworkAccepted = (code: string) => (CPRO_FRAMEWORKS as readonly string[]).includes(code);

/** Recipient actions of traiter/recue: the new status asked → the action of the transition table. */
export const STATUT_TO_ACTION: Record<string, (typeof ACTIONS)[number]> = Object.fromEntries(
  TRANSITIONS.filter((t) => t.role === 'DESTINATAIRE').map((t) => [t.to, t.action]),
);

/** `recuperer/etats/traitement`: the statuses a recipient may set from a given status (the transition table). */
export function statutsPossiblesPourTraitement(statutCourant: string): string[] {
  return [...new Set(TRANSITIONS.filter((t) => t.role === 'DESTINATAIRE' && t.from === statutCourant).map((t) => t.to))];
}

/** `recuperer/etat/typedp`: the statuses the platform's circuits use for invoices. */
export function etatsDemandePaiement(): string[] {
  const used = new Set<string>();
  for (const t of TRANSITIONS) used.add(t.from).add(t.to);
  return STATUSES.filter((s) => used.has(s));
}

export const TYPES_IDENTIFIANT = ['SIRET', 'UE_HORS_FRANCE', 'HORS_UE', 'RIDET', 'TAHITI', 'AUTRE', 'PARTICULIER'];
export const MODES_PAIEMENT = ['CHEQUE', 'PRELEVEMENT', 'VIREMENT', 'ESPECE', 'AUTRE', 'REPORT'];
export const PAYS = [
  { codePays: 'FR', libellePays: 'France' }, { codePays: 'BE', libellePays: 'Belgique' }, { codePays: 'DE', libellePays: 'Allemagne' },
  { codePays: 'ES', libellePays: 'Espagne' }, { codePays: 'IT', libellePays: 'Italie' }, { codePays: 'LU', libellePays: 'Luxembourg' },
  { codePays: 'CH', libellePays: 'Suisse' }, { codePays: 'GB', libellePays: 'Royaume-Uni' }, { codePays: 'NL', libellePays: 'Pays-Bas' },
  { codePays: 'PT', libellePays: 'Portugal' }, { codePays: 'MC', libellePays: 'Monaco' }, { codePays: 'US', libellePays: 'États-Unis' },
];
/** VAT exemption reasons (VATEX codes used by the formats library). */
export const MOTIFS_EXONERATION_TVA = [
  { codeMotifExonerationTva: 'VATEX-EU-132', libelleMotifExonerationTva: "Exonération (article 132 de la directive 2006/112/CE)" },
  { codeMotifExonerationTva: 'VATEX-EU-143', libelleMotifExonerationTva: "Exonération à l'importation (article 143)" },
  { codeMotifExonerationTva: 'VATEX-EU-IC', libelleMotifExonerationTva: 'Livraison intracommunautaire' },
  { codeMotifExonerationTva: 'VATEX-EU-AE', libelleMotifExonerationTva: 'Autoliquidation' },
  { codeMotifExonerationTva: 'VATEX-EU-G', libelleMotifExonerationTva: 'Exportation hors Union européenne' },
  { codeMotifExonerationTva: 'VATEX-EU-O', libelleMotifExonerationTva: 'Hors champ de la TVA' },
  { codeMotifExonerationTva: 'VATEX-FR-FRANCHISE', libelleMotifExonerationTva: 'TVA non applicable, article 293 B du CGI (franchise en base)' },
];
/** Attachment types: the platform's attachment kinds on an invoice. */
export const TYPES_PJ = [
  { idTypePieceJointe: 1, codeTypePieceJointe: 'FACTURE', libelleTypePieceJointe: 'Facture (pièce principale)', typeObjet: 'FACTURE' },
  { idTypePieceJointe: 2, codeTypePieceJointe: 'PJ_COMPLEMENTAIRE', libelleTypePieceJointe: 'Pièce jointe complémentaire', typeObjet: 'FACTURE' },
];
export const PJ_EXTENSIONS = ATTACHMENT_RULES.extensions;
