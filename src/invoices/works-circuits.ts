import type { ActionInput, ActorRole, Circuit, InvoiceAction, InvoiceFacts, InvoiceStatus, Transition } from './lifecycle.ts';

/**
 * The works circuits (factures de travaux, frameworks A4–A25) as DATA of the single lifecycle engine:
 * two roles (MOE, MOA), the actions of the pieces' circuit, the rows of the transition table, and one
 * circuit per framework. lifecycle.ts reads them; nothing here runs. Only type imports from lifecycle.ts,
 * so there is no import cycle at run time. The reading of each framework and its sources: docs/works.md §2.
 */
export const WORKS_ROLES = ['MOE', 'MOA'] as const;
export const WORKS_ROLE_LABELS = { MOE: "Maître d'œuvre", MOA: "Maître de l'ouvrage" } as const;

export const WORKS_ACTIONS = [
  'TRANSMETTRE_MOE', 'METTRE_A_DISPOSITION_MOE', 'TRANSMETTRE_MOA', 'METTRE_A_DISPOSITION_MOA', 'TRANSMETTRE_FOURNISSEUR',
  'PRENDRE_EN_COMPTE', 'REFUSER', 'ASSOCIER', 'CONSTATER_ABSENCE_VALIDATION_MOE', 'REMPLACER_PAR_A22', 'DUPLIQUER',
] as const;
export type WorksAction = (typeof WORKS_ACTIONS)[number];
export const WORKS_ACTION_LABELS: Record<WorksAction, string> = {
  TRANSMETTRE_MOE: "Transmettre au maître d'œuvre",
  METTRE_A_DISPOSITION_MOE: "Mettre à disposition du maître d'œuvre",
  TRANSMETTRE_MOA: "Transmettre au maître de l'ouvrage",
  METTRE_A_DISPOSITION_MOA: "Mettre à disposition du maître de l'ouvrage",
  TRANSMETTRE_FOURNISSEUR: 'Mettre à disposition du titulaire',
  PRENDRE_EN_COMPTE: 'Prendre en compte',
  REFUSER: 'Refuser',
  ASSOCIER: 'Associer à la pièce suivante',
  CONSTATER_ABSENCE_VALIDATION_MOE: "Constater l'absence de validation du maître d'œuvre dans le délai",
  REMPLACER_PAR_A22: 'Remplacer par le projet de décompte général (procédure tacite)',
  DUPLIQUER: 'Dupliquer la pièce refusée',
};

/** The works billing frameworks (codeCadreFacturation) with a deposit path. A9/A12 are not works pieces; A21 is not public procurement. */
export const WORKS_FRAMEWORKS = [
  'A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR', 'A5_ETAT_ACOMPTE_FOURNISSEUR', 'A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR',
  'A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR', 'A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR', 'A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT',
  'A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT', 'A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT', 'A14_PROJET_DECOMPTE_FINAL_COTRAITANT',
  'A15_ETAT_ACOMPTE_MOE', 'A16_ETAT_ACOMPTE_VALIDE_MOE', 'A17_PROJET_DECOMPTE_GENERAL_MOE', 'A18_DECOMPTE_GENERAL_MOE',
  'A19_ETAT_ACOMPTE_VALIDE_MOA', 'A20_DECOMPTE_GENERAL_MOA', 'A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE',
  'A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR', 'A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE', 'A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE',
] as const;
export type WorksFramework = (typeof WORKS_FRAMEWORKS)[number];

/** Where a deposited piece goes. */
export type WorksDestination = 'MOE' | 'MOA' | 'FOURNISSEUR' | 'PAYEUR';
/** Who the company depositing is, for the company's pieces. */
export type WorksParty = 'TITULAIRE' | 'SOUS_TRAITANT' | 'COTRAITANT';

export interface WorksFrameworkInfo {
  code: string;
  label: string;
  /** typeFactureTravaux of Chorus Pro (chorus-pro.md §2.6). */
  pieceType: string;
  phase: 'MENSUEL' | 'FIN';
  depositor: 'FOURNISSEUR' | 'MOE' | 'MOA';
  party?: WorksParty;
  destination: WorksDestination;
  /** Frameworks of the piece this one follows (« déposer la pièce suivante »). */
  previous: WorksFramework[];
  /** May be deposited without a previous piece (dépôt initial, when a previous party is absent). */
  initialDeposit: boolean;
  tacit?: boolean;
}

const MONTHLY_DRAFTS: WorksFramework[] = ['A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR', 'A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT', 'A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT'];
const FINAL_DRAFTS: WorksFramework[] = ['A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR', 'A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT', 'A14_PROJET_DECOMPTE_FINAL_COTRAITANT'];

export const WORKS_FRAMEWORK_INFO: Record<WorksFramework, WorksFrameworkInfo> = {
  A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR: { code: 'A4', label: "A4 – Dépôt par un fournisseur d'un projet de décompte mensuel", pieceType: 'PROJET_DECOMPTE_MENSUEL', phase: 'MENSUEL', depositor: 'FOURNISSEUR', party: 'TITULAIRE', destination: 'MOE', previous: [], initialDeposit: true },
  A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT: { code: 'A10', label: "A10 – Dépôt par un sous-traitant d'un projet de décompte mensuel", pieceType: 'PROJET_DECOMPTE_MENSUEL', phase: 'MENSUEL', depositor: 'FOURNISSEUR', party: 'SOUS_TRAITANT', destination: 'MOE', previous: [], initialDeposit: true },
  A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT: { code: 'A13', label: "A13 – Dépôt par un cotraitant d'un projet de décompte mensuel", pieceType: 'PROJET_DECOMPTE_MENSUEL', phase: 'MENSUEL', depositor: 'FOURNISSEUR', party: 'COTRAITANT', destination: 'MOE', previous: [], initialDeposit: true },
  A5_ETAT_ACOMPTE_FOURNISSEUR: { code: 'A5', label: "A5 – Dépôt par un fournisseur d'un état d'acompte", pieceType: 'ETAT_ACOMPTE', phase: 'MENSUEL', depositor: 'FOURNISSEUR', party: 'TITULAIRE', destination: 'MOA', previous: MONTHLY_DRAFTS, initialDeposit: true },
  A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR: { code: 'A6', label: "A6 – Dépôt par un fournisseur d'un état d'acompte validé", pieceType: 'ETAT_ACOMPTE_VALIDE', phase: 'MENSUEL', depositor: 'FOURNISSEUR', party: 'TITULAIRE', destination: 'PAYEUR', previous: [...MONTHLY_DRAFTS, 'A5_ETAT_ACOMPTE_FOURNISSEUR'], initialDeposit: true },
  A15_ETAT_ACOMPTE_MOE: { code: 'A15', label: "A15 – Dépôt par une maîtrise d'œuvre d'un état d'acompte", pieceType: 'ETAT_ACOMPTE', phase: 'MENSUEL', depositor: 'MOE', destination: 'MOA', previous: MONTHLY_DRAFTS, initialDeposit: true },
  A16_ETAT_ACOMPTE_VALIDE_MOE: { code: 'A16', label: "A16 – Dépôt par une maîtrise d'œuvre d'un état d'acompte validé", pieceType: 'ETAT_ACOMPTE_VALIDE', phase: 'MENSUEL', depositor: 'MOE', destination: 'PAYEUR', previous: MONTHLY_DRAFTS, initialDeposit: true },
  A19_ETAT_ACOMPTE_VALIDE_MOA: { code: 'A19', label: "A19 – Dépôt par une maîtrise d'ouvrage d'un état d'acompte validé", pieceType: 'ETAT_ACOMPTE_VALIDE', phase: 'MENSUEL', depositor: 'MOA', destination: 'PAYEUR', previous: ['A15_ETAT_ACOMPTE_MOE', 'A5_ETAT_ACOMPTE_FOURNISSEUR'], initialDeposit: true },
  A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR: { code: 'A7', label: "A7 – Dépôt par un fournisseur d'un projet de décompte final", pieceType: 'PROJET_DECOMPTE_FINAL', phase: 'FIN', depositor: 'FOURNISSEUR', party: 'TITULAIRE', destination: 'MOE', previous: [], initialDeposit: true },
  A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT: { code: 'A11', label: "A11 – Dépôt par un sous-traitant d'un projet de décompte final", pieceType: 'PROJET_DECOMPTE_FINAL', phase: 'FIN', depositor: 'FOURNISSEUR', party: 'SOUS_TRAITANT', destination: 'MOE', previous: [], initialDeposit: true },
  A14_PROJET_DECOMPTE_FINAL_COTRAITANT: { code: 'A14', label: "A14 – Dépôt par un cotraitant d'un projet de décompte final", pieceType: 'PROJET_DECOMPTE_FINAL', phase: 'FIN', depositor: 'FOURNISSEUR', party: 'COTRAITANT', destination: 'MOE', previous: [], initialDeposit: true },
  A17_PROJET_DECOMPTE_GENERAL_MOE: { code: 'A17', label: "A17 – Dépôt par une maîtrise d'œuvre d'un projet de décompte général", pieceType: 'PROJET_DECOMPTE_GENERAL', phase: 'FIN', depositor: 'MOE', destination: 'MOA', previous: FINAL_DRAFTS, initialDeposit: true },
  A18_DECOMPTE_GENERAL_MOE: { code: 'A18', label: "A18 – Dépôt par une maîtrise d'œuvre d'un décompte général", pieceType: 'DECOMPTE_GENERAL', phase: 'FIN', depositor: 'MOE', destination: 'FOURNISSEUR', previous: [...FINAL_DRAFTS, 'A17_PROJET_DECOMPTE_GENERAL_MOE'], initialDeposit: true },
  A20_DECOMPTE_GENERAL_MOA: { code: 'A20', label: "A20 – Dépôt par une maîtrise d'ouvrage d'un décompte général", pieceType: 'DECOMPTE_GENERAL', phase: 'FIN', depositor: 'MOA', destination: 'FOURNISSEUR', previous: ['A17_PROJET_DECOMPTE_GENERAL_MOE', 'A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE'], initialDeposit: true },
  A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR: { code: 'A8', label: "A8 – Dépôt par un fournisseur d'un décompte général et définitif signé", pieceType: 'DECOMPTE_GENERAL_SIGNE', phase: 'FIN', depositor: 'FOURNISSEUR', party: 'TITULAIRE', destination: 'PAYEUR', previous: ['A20_DECOMPTE_GENERAL_MOA', 'A18_DECOMPTE_GENERAL_MOE'], initialDeposit: false },
  A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE: { code: 'A22', label: "A22 – Dépôt par un fournisseur d'un projet de décompte général (procédure tacite)", pieceType: 'PROJET_DECOMPTE_GENERAL_PROCEDURE_TACITE', phase: 'FIN', depositor: 'FOURNISSEUR', party: 'TITULAIRE', destination: 'MOA', previous: [...FINAL_DRAFTS, 'A17_PROJET_DECOMPTE_GENERAL_MOE'], initialDeposit: false, tacit: true },
  A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR: { code: 'A23', label: "A23 – Dépôt par un fournisseur d'un décompte général et définitif tacite", pieceType: 'DECOMPTE_GENERAL_DEFINITIF_TACITE', phase: 'FIN', depositor: 'FOURNISSEUR', party: 'TITULAIRE', destination: 'PAYEUR', previous: ['A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE'], initialDeposit: false, tacit: true },
  A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE: { code: 'A24', label: "A24 – Dépôt par une maîtrise d'œuvre d'un décompte général et définitif tacite", pieceType: 'DECOMPTE_GENERAL_DEFINITIF_TACITE', phase: 'FIN', depositor: 'MOE', destination: 'PAYEUR', previous: ['A18_DECOMPTE_GENERAL_MOE', 'A20_DECOMPTE_GENERAL_MOA'], initialDeposit: false, tacit: true },
  A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE: { code: 'A25', label: "A25 – Dépôt par une maîtrise d'œuvre d'un décompte général et définitif (procédure tacite)", pieceType: 'DECOMPTE_GENERAL_DEFINITIF_PROCEDURE_TACITE', phase: 'FIN', depositor: 'MOE', destination: 'PAYEUR', previous: ['A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE'], initialDeposit: false, tacit: true },
};
/**
 * A subcontractor's projets (A10 monthly, A11 final) first go through the titulaire's validation (15 days,
 * tacit), as its invoices (A9; chorus-pro.md §2.7), then to the MOE.
 */
export const VALIDATED_WORKS_FRAMEWORKS: WorksFramework[] = ['A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT', 'A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT'];
export const isWorksFramework = (f: string): f is WorksFramework => (WORKS_FRAMEWORKS as readonly string[]).includes(f);
export const worksFrameworkByCode = (code: string): WorksFramework | undefined => WORKS_FRAMEWORKS.find((f) => WORKS_FRAMEWORK_INFO[f].code === code.toUpperCase());

/** Frameworks by destination and depositor. */
const where = (p: (i: WorksFrameworkInfo) => boolean) => WORKS_FRAMEWORKS.filter((f) => p(WORKS_FRAMEWORK_INFO[f]));
const TO_MOE = where((i) => i.destination === 'MOE');
const TO_MOA = where((i) => i.destination === 'MOA');
const TO_MOA_REFUSABLE = where((i) => i.destination === 'MOA' && !i.tacit);
const TO_SUPPLIER = where((i) => i.destination === 'FOURNISSEUR');
export const WORKS_TO_PAYER = where((i) => i.destination === 'PAYEUR');
const REPLACEABLE_BY_A22: WorksFramework[] = [...FINAL_DRAFTS, 'A17_PROJET_DECOMPTE_GENERAL_MOE'];
const DEPOSITED_BY = (r: WorksFrameworkInfo['depositor']) => where((i) => i.depositor === r);

/** Refusal reasons of the MOE, the MOA and the titulaire (a general statement). */
export const WORKS_REASONS = {
  REFUSER: [
    { code: 'PIECE_NON_CONFORME', label: 'Pièce non conforme (mentions obligatoires, signature, période)' },
    { code: 'PIECES_JUSTIFICATIVES_ABSENTES', label: 'Pièces justificatives prévues au marché absentes' },
    { code: 'MARCHE_ERRONE', label: "Marché, maître d'œuvre ou maître de l'ouvrage erroné" },
    { code: 'DOUBLON', label: 'Pièce déjà déposée pour cette période' },
    { code: 'MONTANT_ERRONE', label: 'Erreur de montant' },
    { code: 'RECLAMATION', label: 'Désaccord du titulaire sur le décompte général (mémoire en réclamation)' },
    { code: 'AUTRE', label: 'Autre motif (préciser en commentaire)' },
  ],
} as const;

/** An amount disagreement is never a reason for the MOE or the MOA to refuse: they correct the amount in their own piece. */
export const WORKS_GUARDS = {
  refusalNotAboutAmount: (_i: InvoiceFacts, input: ActionInput) =>
    input.reason === 'MONTANT_ERRONE'
      ? "Un désaccord sur les montants n'est pas un motif de refus : rectifiez les montants dans votre propre pièce (état d'acompte ou décompte), le titulaire dispose de 30 jours pour les contester."
      : null,
  refusalByTitulaireIsAClaim: (_i: InvoiceFacts, input: ActionInput) =>
    input.reason && !['RECLAMATION', 'PIECE_NON_CONFORME', 'MARCHE_ERRONE', 'AUTRE'].includes(input.reason)
      ? 'Le titulaire refuse un décompte général par un mémoire en réclamation : choisissez « Désaccord du titulaire sur le décompte général ».'
      : null,
};
export type WorksGuardName = keyof typeof WORKS_GUARDS;

type Row = Omit<Transition, 'guards' | 'frameworks'> & { guards?: string[]; frameworks: readonly string[] };
const rows = (from: InvoiceStatus[], action: InvoiceAction, role: ActorRole, to: InvoiceStatus, frameworks: readonly string[], guards?: string[]): Row[] =>
  from.map((f) => ({ from: f, action, role, to, frameworks, ...(guards ? { guards } : {}) }));

const MOE_OPEN: InvoiceStatus[] = ['MISE_A_DISPOSITION_MOE', 'PRISE_EN_COMPTE_MOE'];
const MOA_OPEN: InvoiceStatus[] = ['MISE_A_DISPOSITION_MOA', 'PRISE_EN_COMPTE_MOA'];

/** The works rows of the transition table. Every row names its frameworks: a works row never applies to another circuit. */
export const WORKS_TRANSITIONS: readonly Row[] = [
  // Drafts: deposited or deleted by whoever deposits this framework.
  ...(['FOURNISSEUR', 'MOE', 'MOA'] as const).flatMap((r) => [
    ...rows(['BROUILLON'], 'DEPOSER', r, 'DEPOSEE', DEPOSITED_BY(r)),
    ...rows(['BROUILLON'], 'SUPPRIMER', r, 'SUPPRIMEE', DEPOSITED_BY(r)),
  ]),
  // To the MOE (projets de décompte mensuel and final): routed, then available once the MOE is known on the platform.
  ...rows(['DEPOSEE'], 'TRANSMETTRE_MOE', 'SYSTEME', 'A_ASSOCIER_MOE', TO_MOE),
  ...rows(['A_ASSOCIER_MOE'], 'METTRE_A_DISPOSITION_MOE', 'SYSTEME', 'MISE_A_DISPOSITION_MOE', TO_MOE),
  ...rows(['MISE_A_DISPOSITION_MOE'], 'PRENDRE_EN_COMPTE', 'MOE', 'PRISE_EN_COMPTE_MOE', TO_MOE),
  ...rows(MOE_OPEN, 'REFUSER', 'MOE', 'REFUSEE_MOE', TO_MOE, ['reasonGiven', 'refusalNotAboutAmount']),
  ...rows(MOE_OPEN, 'CONSTATER_ABSENCE_VALIDATION_MOE', 'SYSTEME', 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE', TO_MOE),
  ...rows(['A_ASSOCIER_MOE', ...MOE_OPEN, 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE'], 'ASSOCIER', 'SYSTEME', 'ASSOCIEE', TO_MOE),
  ...rows(['REFUSEE_MOE'], 'DUPLIQUER', 'FOURNISSEUR', 'DUPLIQUE_APRES_REFUS', TO_MOE),
  // To the MOA (états d'acompte, projet de décompte général, the titulaire's tacit projet).
  ...rows(['DEPOSEE'], 'TRANSMETTRE_MOA', 'SYSTEME', 'A_ASSOCIER_MOA', TO_MOA),
  ...rows(['A_ASSOCIER_MOA'], 'METTRE_A_DISPOSITION_MOA', 'SYSTEME', 'MISE_A_DISPOSITION_MOA', TO_MOA),
  ...rows(['MISE_A_DISPOSITION_MOA'], 'PRENDRE_EN_COMPTE', 'MOA', 'PRISE_EN_COMPTE_MOA', TO_MOA),
  ...rows(MOA_OPEN, 'REFUSER', 'MOA', 'REFUSEE_MOA', TO_MOA_REFUSABLE, ['reasonGiven', 'refusalNotAboutAmount']),
  ...rows(['A_ASSOCIER_MOA', ...MOA_OPEN], 'ASSOCIER', 'SYSTEME', 'ASSOCIEE', TO_MOA),
  ...rows(['REFUSEE_MOA'], 'DUPLIQUER', 'FOURNISSEUR', 'DUPLIQUE_APRES_REFUS', TO_MOA_REFUSABLE.filter((f) => WORKS_FRAMEWORK_INFO[f].depositor === 'FOURNISSEUR')),
  ...rows(['REFUSEE_MOA'], 'DUPLIQUER', 'MOE', 'DUPLIQUE_APRES_REFUS', TO_MOA_REFUSABLE.filter((f) => WORKS_FRAMEWORK_INFO[f].depositor === 'MOE')),
  // The tacit procedure replaces the pending final pieces.
  ...rows(['A_ASSOCIER_MOE', ...MOE_OPEN, 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE'], 'REMPLACER_PAR_A22', 'SYSTEME', 'REMPLACEE_PAR_A22', FINAL_DRAFTS),
  ...rows(['A_ASSOCIER_MOA', ...MOA_OPEN], 'REMPLACER_PAR_A22', 'SYSTEME', 'REMPLACEE_PAR_A22', ['A17_PROJET_DECOMPTE_GENERAL_MOE']),
  // To the titulaire (décompte général): it signs (A8, « déposer la pièce suivante ») or refuses with a claim.
  ...rows(['DEPOSEE'], 'TRANSMETTRE_FOURNISSEUR', 'SYSTEME', 'A_ASSOCIER_FOURNISSEUR', TO_SUPPLIER),
  ...rows(['A_ASSOCIER_FOURNISSEUR'], 'REFUSER', 'FOURNISSEUR', 'REFUSEE_FOURNISSEUR', TO_SUPPLIER, ['reasonGiven', 'refusalByTitulaireIsAClaim']),
  ...rows(['A_ASSOCIER_FOURNISSEUR'], 'ASSOCIER', 'SYSTEME', 'ASSOCIEE', TO_SUPPLIER),
  // A10 / A11: the validation levels of an A9 (the titulaire; a co-contractor's subcontractor: the co-contractor, then the mandataire) before the MOE.
  ...rows(['DEPOSEE'], 'SOUMETTRE_VALIDATION', 'SYSTEME', 'A_VALIDER_1', VALIDATED_WORKS_FRAMEWORKS, ['validationPending']),
  ...rows(['A_VALIDER_1'], 'VALIDER', 'VALIDEUR_1', 'VALIDEE_1', VALIDATED_WORKS_FRAMEWORKS),
  ...rows(['A_VALIDER_1'], 'REFUSER_VALIDATION', 'VALIDEUR_1', 'REFUSEE_1', VALIDATED_WORKS_FRAMEWORKS, ['reasonGiven']),
  ...rows(['A_VALIDER_1'], 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', 'ABSENCE_VALIDATION_1_HORS_DELAI', VALIDATED_WORKS_FRAMEWORKS, ['validationDeadlinePassed']),
  ...rows(['A_VALIDER_1'], 'SIGNALER_ERREUR_VALIDEUR', 'VALIDEUR_1', 'ERREUR_FOURNISSEUR_SUR_VALIDEUR', VALIDATED_WORKS_FRAMEWORKS),
  ...rows(['A_VALIDER_1', 'ERREUR_FOURNISSEUR_SUR_VALIDEUR'], 'CORRIGER_VALIDEUR', 'FOURNISSEUR', 'A_VALIDER_1', VALIDATED_WORKS_FRAMEWORKS),
  ...rows(['VALIDEE_1', 'ABSENCE_VALIDATION_1_HORS_DELAI'], 'SOUMETTRE_VALIDATION', 'SYSTEME', 'A_VALIDER_2', VALIDATED_WORKS_FRAMEWORKS, ['secondLevel']),
  ...rows(['A_VALIDER_2'], 'VALIDER', 'VALIDEUR_2', 'VALIDEE_2', VALIDATED_WORKS_FRAMEWORKS),
  ...rows(['A_VALIDER_2'], 'REFUSER_VALIDATION', 'VALIDEUR_2', 'REFUSEE_2', VALIDATED_WORKS_FRAMEWORKS, ['reasonGiven']),
  ...rows(['A_VALIDER_2'], 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', 'ABSENCE_VALIDATION_2_HORS_DELAI', VALIDATED_WORKS_FRAMEWORKS, ['validationDeadlinePassed']),
  ...rows(['VALIDEE_1', 'ABSENCE_VALIDATION_1_HORS_DELAI'], 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE', VALIDATED_WORKS_FRAMEWORKS, ['singleLevel']),
  ...rows(['VALIDEE_2', 'ABSENCE_VALIDATION_2_HORS_DELAI'], 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE', VALIDATED_WORKS_FRAMEWORKS),
];
const PIECE_VALIDATION_ACTIONS: InvoiceAction[] = ['SOUMETTRE_VALIDATION', 'VALIDER', 'REFUSER_VALIDATION', 'CONSTATER_ABSENCE_VALIDATION', 'SIGNALER_ERREUR_VALIDEUR', 'CORRIGER_VALIDEUR', 'TRANSMETTRE'];

const DRAFT_ACTIONS: InvoiceAction[] = ['DEPOSER', 'SUPPRIMER'];
/**
 * The circuits: `explicitRows` = only rows naming the framework apply (the standard rows of a plain
 * invoice do not). Pieces going to the payer get the standard processing rows of « Factures reçues » (they
 * are made explicit for these frameworks by `payerRows` in lifecycle.ts).
 */
export const WORKS_CIRCUITS: Record<WorksFramework, Omit<Circuit, 'framework'> & { framework: WorksFramework }> = Object.fromEntries(
  WORKS_FRAMEWORKS.map((f) => {
    const i = WORKS_FRAMEWORK_INFO[f];
    const replaceable = (REPLACEABLE_BY_A22 as string[]).includes(f) ? (['REMPLACER_PAR_A22'] as InvoiceAction[]) : [];
    const validated = VALIDATED_WORKS_FRAMEWORKS.includes(f);
    const circuit =
      i.destination === 'MOE' && validated
        ? { routing: ['SOUMETTRE_VALIDATION', 'TRANSMETTRE', 'TRANSMETTRE_MOE', 'METTRE_A_DISPOSITION_MOE'], actions: [...DRAFT_ACTIONS, ...PIECE_VALIDATION_ACTIONS, 'TRANSMETTRE_MOE', 'METTRE_A_DISPOSITION_MOE', 'PRENDRE_EN_COMPTE', 'REFUSER', 'CONSTATER_ABSENCE_VALIDATION_MOE', 'ASSOCIER', 'DUPLIQUER', ...replaceable] }
      : i.destination === 'MOE'
        ? { routing: ['TRANSMETTRE_MOE', 'METTRE_A_DISPOSITION_MOE'], actions: [...DRAFT_ACTIONS, 'TRANSMETTRE_MOE', 'METTRE_A_DISPOSITION_MOE', 'PRENDRE_EN_COMPTE', 'REFUSER', 'CONSTATER_ABSENCE_VALIDATION_MOE', 'ASSOCIER', 'DUPLIQUER', ...replaceable] }
        : i.destination === 'MOA'
          ? { routing: ['TRANSMETTRE_MOA', 'METTRE_A_DISPOSITION_MOA'], actions: [...DRAFT_ACTIONS, 'TRANSMETTRE_MOA', 'METTRE_A_DISPOSITION_MOA', 'PRENDRE_EN_COMPTE', ...(i.tacit ? [] : ['REFUSER', 'DUPLIQUER']), 'ASSOCIER', ...replaceable] }
          : i.destination === 'FOURNISSEUR'
            ? { routing: ['TRANSMETTRE_FOURNISSEUR'], actions: [...DRAFT_ACTIONS, 'TRANSMETTRE_FOURNISSEUR', 'REFUSER', 'ASSOCIER'] }
            : { routing: ['ACHEMINER', 'METTRE_A_DISPOSITION'], actions: [...DRAFT_ACTIONS, 'ACHEMINER', 'METTRE_A_DISPOSITION', 'SUSPENDRE', 'COMPLETER', 'METTRE_A_RECYCLER', 'RECYCLER', 'REJETER', 'TRAITER_REJET', 'SERVICE_FAIT', 'MANDATER', 'METTRE_A_DISPOSITION_COMPTABLE', 'COMPTABILISER', 'METTRE_EN_PAIEMENT'] };
    return [f, { framework: f, explicitRows: true, ...circuit } as Omit<Circuit, 'framework'> & { framework: WorksFramework }];
  }),
) as never;

/**
 * The standard processing rows (everything after the draft, not tied to a framework) made explicit for the
 * pieces that reach the payer: the payer processes them as a standard invoice in « Factures reçues ».
 */
export function payerRows(standard: readonly Transition[]): Row[] {
  return standard.filter((t) => !t.frameworks && t.from !== 'BROUILLON').map((t) => ({ ...t, frameworks: WORKS_TO_PAYER }));
}

/** French labels of the works statuses, and their 2026-reform code where one fits (landscape.md §4.5). */
export const WORKS_STATUS_INFO: Partial<Record<InvoiceStatus, { label: string; reformCode: number | null; reformLabel?: string }>> = {
  A_ASSOCIER_MOE: { label: "À associer par le maître d'œuvre", reformCode: 202, reformLabel: 'Reçue' },
  MISE_A_DISPOSITION_MOE: { label: "Mise à disposition du maître d'œuvre", reformCode: 203, reformLabel: 'Mise à disposition' },
  PRISE_EN_COMPTE_MOE: { label: "Prise en compte par le maître d'œuvre", reformCode: 204, reformLabel: 'Prise en charge' },
  REFUSEE_MOE: { label: "Refusée par le maître d'œuvre", reformCode: 210, reformLabel: 'Refusée' },
  ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE: { label: "Absence de validation du maître d'œuvre dans le délai réglementaire", reformCode: null },
  A_ASSOCIER_MOA: { label: "À associer par le maître de l'ouvrage", reformCode: 202, reformLabel: 'Reçue' },
  MISE_A_DISPOSITION_MOA: { label: "Mise à disposition du maître de l'ouvrage", reformCode: 203, reformLabel: 'Mise à disposition' },
  PRISE_EN_COMPTE_MOA: { label: "Prise en compte par le maître de l'ouvrage", reformCode: 204, reformLabel: 'Prise en charge' },
  REFUSEE_MOA: { label: "Refusée par le maître de l'ouvrage", reformCode: 210, reformLabel: 'Refusée' },
  A_ASSOCIER_FOURNISSEUR: { label: 'À signer par le titulaire', reformCode: 203, reformLabel: 'Mise à disposition' },
  REFUSEE_FOURNISSEUR: { label: 'Contestée par le titulaire', reformCode: 207, reformLabel: 'En litige' },
  ASSOCIEE: { label: 'Associée à la pièce suivante', reformCode: 205, reformLabel: 'Approuvée' },
  REMPLACEE_PAR_A22: { label: 'Remplacée par le projet de décompte général (procédure tacite)', reformCode: null },
  DUPLIQUE_APRES_REFUS: { label: 'Dupliquée après refus', reformCode: null },
};
