/**
 * The ONE lifecycle engine of payment requests. Statuses and transitions are data:
 * a table of (from status, action, actor role, guard) → to status, and per-framework circuits
 * saying which system steps follow a deposit and which rows apply. Pure: no database, no clock.
 *
 * Later circuits are added as data: A9/A12 add rows for the roles VALIDEUR_1 / VALIDEUR_2
 * (A_VALIDER_1 → VALIDEE_1 …) and a routing that starts with SOUMETTRE_VALIDEUR_1; works
 * circuits (A4–A25) add MOE / MOA rows (works-circuits.ts). nextStatus() does not change.
 */
import {
  WORKS_ACTIONS, WORKS_ACTION_LABELS, WORKS_CIRCUITS, WORKS_GUARDS, WORKS_REASONS, WORKS_ROLES, WORKS_ROLE_LABELS, WORKS_STATUS_INFO, WORKS_TRANSITIONS,
  payerRows, type WorksFramework,
} from './works-circuits.ts';

/** Every status of Chorus Pro (chorus-pro.md §3.1), in the order of the reference enumeration. */
export const STATUSES = [
  'BROUILLON', 'A_VALIDER_1', 'ERREUR_FOURNISSEUR_SUR_VALIDEUR', 'REFUSEE_1', 'VALIDEE_1',
  'ABSENCE_VALIDATION_1_HORS_DELAI', 'A_VALIDER_2', 'ERREUR_COTRAITANT_SUR_VALIDEUR', 'REFUSEE_2', 'VALIDEE_2',
  'ABSENCE_VALIDATION_2_HORS_DELAI', 'DEPOSEE', 'ERREUR_FOURNISSEUR_SUR_MOE', 'EN_COURS_ACHEMINEMENT',
  'MISE_A_DISPOSITION', 'A_RECYCLER', 'SUSPENDUE', 'REJETEE', 'MANDATEE', 'MISE_EN_PAIEMENT', 'COMPTABILISEE',
  'MISE_A_DISPOSITION_COMPTABLE', 'ABANDONNEE', 'SUPPRIMEE', 'ASSOCIEE', 'EN_COURS_TRAITEMENT_PIVOT_S', 'A_VALIDER_MOE',
  'REFUSEE_MOE', 'EN_ATTENTE_RECYCLAGE_FOURNISSEUR', 'ERREUR_MOE_SUR_FOURNISSEUR', 'ERREUR_MOA_SUR_FOURNISSEUR',
  'INTERPRETEE_OCR', 'COMPLETEE', 'ERREUR_FOURNISSEUR_SUR_MOA', 'ERREUR_MOE_SUR_MOA', 'ERREUR_DESTINATAIRE_PD',
  'ERREUR_DESTINATAIRE_EA', 'SERVICE_FAIT', 'NON_CONFORME', 'A_ASSOCIER_MOE', 'ERREUR_DE_MOE', 'MISE_A_DISPOSITION_MOE',
  'PRISE_EN_COMPTE_MOE', 'A_ASSOCIER_MOA', 'ERREUR_DE_MOA', 'REFUSEE_MOA', 'A_ASSOCIER_FOURNISSEUR',
  'REFUSEE_FOURNISSEUR', 'A_COMPLETER', 'TRANSMISE_MOA', 'PRISE_EN_COMPTE_DESTINATAIRE', 'REMPLACEE_PAR_A22',
  'DUPLIQUE_APRES_REFUS', 'MISE_A_DISPOSITION_MOA', 'PRISE_EN_COMPTE_MOA', 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE',
  'TECHNIQUE_INCONNU',
] as const;
export type InvoiceStatus = (typeof STATUSES)[number];

/**
 * French label and 2026-reform lifecycle code (CDAR 200–213, landscape.md §4.5) of the statuses the
 * standard circuits use. The mapping follows landscape.md's inferred table; null = no reform equivalent.
 */
export const STATUS_INFO: Partial<Record<InvoiceStatus, { label: string; reformCode: number | null; reformLabel?: string }>> = {
  BROUILLON: { label: 'Brouillon', reformCode: null },
  DEPOSEE: { label: 'Déposée', reformCode: 200, reformLabel: 'Déposée' },
  EN_COURS_ACHEMINEMENT: { label: "En cours d'acheminement", reformCode: 201, reformLabel: 'Émise par la plateforme' },
  MISE_A_DISPOSITION: { label: 'Mise à disposition', reformCode: 203, reformLabel: 'Mise à disposition' },
  A_RECYCLER: { label: 'À recycler', reformCode: null },
  SUSPENDUE: { label: 'Suspendue', reformCode: 208, reformLabel: 'Suspendue' },
  COMPLETEE: { label: 'Complétée', reformCode: 209, reformLabel: 'Complétée' },
  REJETEE: { label: 'Rejetée', reformCode: 210, reformLabel: 'Refusée' },
  SERVICE_FAIT: { label: 'Service fait', reformCode: 205, reformLabel: 'Approuvée' },
  MANDATEE: { label: 'Mandatée', reformCode: 211, reformLabel: 'Paiement transmis' },
  MISE_A_DISPOSITION_COMPTABLE: { label: 'Mise à disposition du comptable', reformCode: 204, reformLabel: 'Prise en charge' },
  COMPTABILISEE: { label: 'Comptabilisée', reformCode: 204, reformLabel: 'Prise en charge' },
  MISE_EN_PAIEMENT: { label: 'Mise en paiement', reformCode: 211, reformLabel: 'Paiement transmis' },
  SUPPRIMEE: { label: 'Supprimée', reformCode: null },
  A_VALIDER_1: { label: 'À valider (niveau 1)', reformCode: null },
  A_VALIDER_2: { label: 'À valider (niveau 2)', reformCode: null },
  ...WORKS_STATUS_INFO,
  // Validation circuits (A9, A12): before the invoice reaches the buyer, so no reform code.
  VALIDEE_1: { label: 'Validée (niveau 1)', reformCode: null },
  REFUSEE_1: { label: 'Refusée par le valideur (niveau 1)', reformCode: null },
  ABSENCE_VALIDATION_1_HORS_DELAI: { label: 'Validée tacitement (niveau 1, délai expiré)', reformCode: null },
  VALIDEE_2: { label: 'Validée (niveau 2)', reformCode: null },
  REFUSEE_2: { label: 'Refusée par le valideur (niveau 2)', reformCode: null },
  ABSENCE_VALIDATION_2_HORS_DELAI: { label: 'Validée tacitement (niveau 2, délai expiré)', reformCode: null },
  ERREUR_FOURNISSEUR_SUR_VALIDEUR: { label: 'Erreur du fournisseur sur le valideur', reformCode: null },
};
export const statusLabel = (s: string) =>
  STATUS_INFO[s as InvoiceStatus]?.label ?? s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, ' ');
export const reformCodeOf = (s: string): number | null => STATUS_INFO[s as InvoiceStatus]?.reformCode ?? null;

/** Who acts on an invoice. SYSTEME is the platform itself (routing, clocks). */
export const ROLES = ['FOURNISSEUR', 'DESTINATAIRE', 'SYSTEME', ...WORKS_ROLES, 'VALIDEUR_1', 'VALIDEUR_2'] as const;
export type ActorRole = (typeof ROLES)[number];
export const ROLE_LABELS: Record<ActorRole, string> = {
  FOURNISSEUR: 'Fournisseur', DESTINATAIRE: 'Destinataire', SYSTEME: 'Plateforme', ...WORKS_ROLE_LABELS,
  VALIDEUR_1: 'Valideur de niveau 1', VALIDEUR_2: 'Valideur de niveau 2',
};

export const ACTIONS = [
  'DEPOSER', 'SUPPRIMER', 'ACHEMINER', 'METTRE_A_DISPOSITION', 'CONSTATER_DEJA_PAYEE',
  'SUSPENDRE', 'COMPLETER', 'METTRE_A_RECYCLER', 'RECYCLER', 'REJETER', 'TRAITER_REJET',
  'SERVICE_FAIT', 'MANDATER', 'METTRE_A_DISPOSITION_COMPTABLE', 'COMPTABILISER', 'METTRE_EN_PAIEMENT',
  ...WORKS_ACTIONS,
  // Validation circuits (A9, A12).
  'SOUMETTRE_VALIDATION', 'VALIDER', 'REFUSER_VALIDATION', 'CONSTATER_ABSENCE_VALIDATION', 'SIGNALER_ERREUR_VALIDEUR', 'CORRIGER_VALIDEUR', 'TRANSMETTRE',
] as const;
export type InvoiceAction = (typeof ACTIONS)[number];

export const ACTION_LABELS: Record<InvoiceAction, string> = {
  DEPOSER: 'Valider et envoyer',
  SUPPRIMER: 'Supprimer le brouillon',
  ACHEMINER: 'Acheminer',
  METTRE_A_DISPOSITION: 'Mettre à disposition du destinataire',
  CONSTATER_DEJA_PAYEE: 'Constater le paiement déjà effectué',
  SUSPENDRE: 'Suspendre',
  COMPLETER: 'Compléter',
  METTRE_A_RECYCLER: 'Mettre à recycler',
  RECYCLER: 'Recycler (corriger le destinataire)',
  REJETER: 'Rejeter',
  TRAITER_REJET: 'Traiter le rejet',
  SERVICE_FAIT: 'Constater le service fait',
  MANDATER: 'Mandater',
  METTRE_A_DISPOSITION_COMPTABLE: 'Mettre à disposition du comptable',
  COMPTABILISER: 'Comptabiliser',
  METTRE_EN_PAIEMENT: 'Mettre en paiement',
  ...WORKS_ACTION_LABELS,
  SOUMETTRE_VALIDATION: 'Soumettre au valideur',
  VALIDER: 'Valider',
  REFUSER_VALIDATION: 'Refuser',
  CONSTATER_ABSENCE_VALIDATION: 'Constater l’absence de validation dans le délai (validation tacite)',
  SIGNALER_ERREUR_VALIDEUR: 'Signaler une erreur de valideur',
  CORRIGER_VALIDEUR: 'Corriger le valideur',
  TRANSMETTRE: 'Transmettre au destinataire',
};

/** Billing frameworks (codeCadreFacturation) handled by the standard circuits. */
export const FRAMEWORKS = ['A1_FACTURE_FOURNISSEUR', 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE', 'A9_FACTURE_SOUSTRAITANT', 'A12_FACTURE_COTRAITANT'] as const;
export type Framework = (typeof FRAMEWORKS)[number];
export const FRAMEWORK_LABELS: Record<Framework, string> = {
  A1_FACTURE_FOURNISSEUR: 'A1 – Dépôt par un fournisseur d’une facture',
  A2_FACTURE_FOURNISSEUR_DEJA_PAYEE: 'A2 – Dépôt par un fournisseur d’une facture déjà payée',
  A9_FACTURE_SOUSTRAITANT: 'A9 – Dépôt par un sous-traitant d’une facture (validation par le titulaire)',
  A12_FACTURE_COTRAITANT: 'A12 – Dépôt par un cotraitant d’une facture (validation par le mandataire)',
};
/** Frameworks whose invoices are validated by other parties of the contract before reaching the buyer. */
export const VALIDATED_FRAMEWORKS: Framework[] = ['A9_FACTURE_SOUSTRAITANT', 'A12_FACTURE_COTRAITANT'];

/** What an invoice offers to the guards. */
export interface InvoiceFacts {
  status: string;
  framework: string;
  rejectHandled?: boolean;
  /** Validation circuits: how many validator levels the contract gives this invoice (1 or 2), whether they are done, the current deadline. */
  validationLevels?: number;
  validationDone?: boolean;
  validationDueAt?: Date | null;
}
/** What the actor provides with an action (checked by the guards). */
export interface ActionInput {
  reason?: string | null;
  mandateNumber?: string | null;
  /** The instant of the action (clock-driven guards: validation deadlines). */
  at?: Date;
}

/** Named guards: a French refusal message, or null when the transition may happen. */
export const GUARDS = {
  reasonGiven: (_i: InvoiceFacts, input: ActionInput) => (input.reason?.trim() ? null : 'Le motif est obligatoire pour cette action.'),
  mandateNumberGiven: (_i: InvoiceFacts, input: ActionInput) => (input.mandateNumber?.trim() ? null : 'Le numéro de mandat est obligatoire pour mandater une facture.'),
  rejectNotHandled: (i: InvoiceFacts) => (i.rejectHandled ? 'Ce rejet a déjà été traité.' : null),
  ...WORKS_GUARDS,
  validationPending: (i: InvoiceFacts) => (i.validationDone ? 'Cette facture a déjà été validée.' : null),
  secondLevel: (i: InvoiceFacts) => ((i.validationLevels ?? 1) >= 2 ? null : "Cette facture n'a qu'un niveau de validation."),
  singleLevel: (i: InvoiceFacts) => ((i.validationLevels ?? 1) === 1 ? null : 'Cette facture attend encore un second niveau de validation.'),
  validationDeadlinePassed: (i: InvoiceFacts, input: ActionInput) =>
    i.validationDueAt && input.at && input.at.getTime() >= i.validationDueAt.getTime() ? null : "Le délai de validation n'est pas expiré.",
} satisfies Record<string, (i: InvoiceFacts, input: ActionInput) => string | null>;
export type GuardName = keyof typeof GUARDS;

export interface Transition {
  from: InvoiceStatus;
  action: InvoiceAction;
  role: ActorRole;
  to: InvoiceStatus;
  guards?: GuardName[];
  /** Limits a row to some frameworks; absent = every framework whose circuit uses this row's action. */
  frameworks?: readonly (Framework | WorksFramework)[];
}

/** States where the recipient processes the invoice (chorus-pro.md §3.3). */
const RECIPIENT_OPEN: InvoiceStatus[] = ['MISE_A_DISPOSITION', 'COMPLETEE'];
const rows = (from: InvoiceStatus[], action: InvoiceAction, role: ActorRole, to: InvoiceStatus, extra: Partial<Transition> = {}): Transition[] =>
  from.map((f) => ({ from: f, action, role, to, ...extra }));

/** THE transition table. Anything not listed is refused. */
const BASE_TRANSITIONS: Transition[] = [
  // The supplier's draft.
  ...rows(['BROUILLON'], 'DEPOSER', 'FOURNISSEUR', 'DEPOSEE'),
  ...rows(['BROUILLON'], 'SUPPRIMER', 'FOURNISSEUR', 'SUPPRIMEE'),
  // Routing by the platform (the circuit says which steps follow the deposit).
  ...rows(['DEPOSEE'], 'ACHEMINER', 'SYSTEME', 'EN_COURS_ACHEMINEMENT'),
  ...rows(['EN_COURS_ACHEMINEMENT'], 'METTRE_A_DISPOSITION', 'SYSTEME', 'MISE_A_DISPOSITION'),
  ...rows(['MISE_A_DISPOSITION'], 'CONSTATER_DEJA_PAYEE', 'SYSTEME', 'MISE_EN_PAIEMENT', { frameworks: ['A2_FACTURE_FOURNISSEUR_DEJA_PAYEE'] }),
  // The recipient's returns.
  ...rows(RECIPIENT_OPEN, 'SUSPENDRE', 'DESTINATAIRE', 'SUSPENDUE', { guards: ['reasonGiven'] }),
  ...rows(['SUSPENDUE'], 'COMPLETER', 'FOURNISSEUR', 'COMPLETEE'),
  ...rows(RECIPIENT_OPEN, 'METTRE_A_RECYCLER', 'DESTINATAIRE', 'A_RECYCLER', { guards: ['reasonGiven'] }),
  ...rows(['A_RECYCLER'], 'RECYCLER', 'FOURNISSEUR', 'DEPOSEE'),
  ...rows([...RECIPIENT_OPEN, 'SERVICE_FAIT'], 'REJETER', 'DESTINATAIRE', 'REJETEE', { guards: ['reasonGiven'] }),
  ...rows(['REJETEE'], 'TRAITER_REJET', 'FOURNISSEUR', 'REJETEE', { guards: ['rejectNotHandled'] }),
  // The recipient's processing, each step optional, up to the payment.
  ...rows(RECIPIENT_OPEN, 'SERVICE_FAIT', 'DESTINATAIRE', 'SERVICE_FAIT'),
  ...rows([...RECIPIENT_OPEN, 'SERVICE_FAIT'], 'MANDATER', 'DESTINATAIRE', 'MANDATEE', { guards: ['mandateNumberGiven'] }),
  ...rows([...RECIPIENT_OPEN, 'SERVICE_FAIT', 'MANDATEE'], 'METTRE_A_DISPOSITION_COMPTABLE', 'DESTINATAIRE', 'MISE_A_DISPOSITION_COMPTABLE'),
  ...rows([...RECIPIENT_OPEN, 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE'], 'COMPTABILISER', 'DESTINATAIRE', 'COMPTABILISEE'),
  ...rows([...RECIPIENT_OPEN, 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE', 'COMPTABILISEE'], 'METTRE_EN_PAIEMENT', 'DESTINATAIRE', 'MISE_EN_PAIEMENT'),
  // Validation circuits (A9 subcontractor, A12 co-contractor; chorus-pro.md §2.7): after the deposit the
  // platform submits the invoice to the validator the contract designates; each level validates, refuses with
  // a reason, or stays silent until the deadline (tacit validation); after the last level the invoice is
  // deposited at the buyer and follows the standard processing above.
  ...rows(['DEPOSEE'], 'SOUMETTRE_VALIDATION', 'SYSTEME', 'A_VALIDER_1', { guards: ['validationPending'], frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['A_VALIDER_1'], 'VALIDER', 'VALIDEUR_1', 'VALIDEE_1', { frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['A_VALIDER_1'], 'REFUSER_VALIDATION', 'VALIDEUR_1', 'REFUSEE_1', { guards: ['reasonGiven'], frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['A_VALIDER_1'], 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', 'ABSENCE_VALIDATION_1_HORS_DELAI', { guards: ['validationDeadlinePassed'], frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['A_VALIDER_1'], 'SIGNALER_ERREUR_VALIDEUR', 'VALIDEUR_1', 'ERREUR_FOURNISSEUR_SUR_VALIDEUR', { frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['A_VALIDER_1', 'ERREUR_FOURNISSEUR_SUR_VALIDEUR'], 'CORRIGER_VALIDEUR', 'FOURNISSEUR', 'A_VALIDER_1', { frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['VALIDEE_1', 'ABSENCE_VALIDATION_1_HORS_DELAI'], 'SOUMETTRE_VALIDATION', 'SYSTEME', 'A_VALIDER_2', { guards: ['secondLevel'], frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['A_VALIDER_2'], 'VALIDER', 'VALIDEUR_2', 'VALIDEE_2', { frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['A_VALIDER_2'], 'REFUSER_VALIDATION', 'VALIDEUR_2', 'REFUSEE_2', { guards: ['reasonGiven'], frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['A_VALIDER_2'], 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', 'ABSENCE_VALIDATION_2_HORS_DELAI', { guards: ['validationDeadlinePassed'], frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['VALIDEE_1', 'ABSENCE_VALIDATION_1_HORS_DELAI'], 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE', { guards: ['singleLevel'], frameworks: VALIDATED_FRAMEWORKS }),
  ...rows(['VALIDEE_2', 'ABSENCE_VALIDATION_2_HORS_DELAI'], 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE', { frameworks: VALIDATED_FRAMEWORKS }),
];
export const TRANSITIONS: readonly Transition[] = [...BASE_TRANSITIONS, ...(WORKS_TRANSITIONS as readonly Transition[]), ...(payerRows(BASE_TRANSITIONS) as Transition[])];

/** Per-framework circuits: the system steps run after a deposit, in order, and the actions the circuit allows. */
export interface Circuit {
  framework: Framework | WorksFramework;
  /** Only the rows naming this framework apply (the rows without frameworks do not). */
  explicitRows?: boolean;
  /** System actions chained by the routing job after DEPOSEE. */
  routing: InvoiceAction[];
  actions: readonly InvoiceAction[];
}
const STANDARD_ACTIONS: InvoiceAction[] = [
  'DEPOSER', 'SUPPRIMER', 'ACHEMINER', 'METTRE_A_DISPOSITION', 'SUSPENDRE', 'COMPLETER', 'METTRE_A_RECYCLER', 'RECYCLER',
  'REJETER', 'TRAITER_REJET', 'SERVICE_FAIT', 'MANDATER', 'METTRE_A_DISPOSITION_COMPTABLE', 'COMPTABILISER', 'METTRE_EN_PAIEMENT',
];
// A9 / A12: the validation levels first, then the standard routing and processing.
export const VALIDATION_ACTIONS: InvoiceAction[] = ['SOUMETTRE_VALIDATION', 'VALIDER', 'REFUSER_VALIDATION', 'CONSTATER_ABSENCE_VALIDATION', 'SIGNALER_ERREUR_VALIDEUR', 'CORRIGER_VALIDEUR', 'TRANSMETTRE'];
const validationCircuit = <F extends Framework>(framework: F): Circuit => ({
  framework, routing: ['SOUMETTRE_VALIDATION', 'TRANSMETTRE', 'ACHEMINER', 'METTRE_A_DISPOSITION'], actions: [...STANDARD_ACTIONS, ...VALIDATION_ACTIONS],
});
export const CIRCUITS: Record<Framework, Circuit> = {
  // A1: the recipient only.
  A1_FACTURE_FOURNISSEUR: { framework: 'A1_FACTURE_FOURNISSEUR', routing: ['ACHEMINER', 'METTRE_A_DISPOSITION'], actions: STANDARD_ACTIONS },
  // A2: already paid — made available, then recorded as paid by the platform; the recipient cannot send it back.
  A2_FACTURE_FOURNISSEUR_DEJA_PAYEE: {
    framework: 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE',
    routing: ['ACHEMINER', 'METTRE_A_DISPOSITION', 'CONSTATER_DEJA_PAYEE'],
    actions: ['DEPOSER', 'SUPPRIMER', 'ACHEMINER', 'METTRE_A_DISPOSITION', 'CONSTATER_DEJA_PAYEE'],
  },
  A9_FACTURE_SOUSTRAITANT: validationCircuit('A9_FACTURE_SOUSTRAITANT'),
  A12_FACTURE_COTRAITANT: validationCircuit('A12_FACTURE_COTRAITANT'),
};
export const circuitOf = (framework: string): Circuit | undefined => CIRCUITS[framework as Framework] ?? WORKS_CIRCUITS[framework as WorksFramework];
const rowApplies = (t: Transition, circuit: Circuit) => (t.frameworks ? t.frameworks.includes(circuit.framework) : !circuit.explicitRows);

export type NextStatus =
  | { ok: true; to: InvoiceStatus; transition: Transition }
  | { ok: false; code: 'TRANSITION_NOT_ALLOWED' | 'GUARD_FAILED'; message: string };

/** What happens when `role` does `action` on the invoice: the new status, or a French refusal. */
export function nextStatus(invoice: InvoiceFacts, action: InvoiceAction, role: ActorRole, input: ActionInput = {}): NextStatus {
  const circuit = circuitOf(invoice.framework);
  const row = circuit?.actions.includes(action)
    ? TRANSITIONS.find((t) => t.from === invoice.status && t.action === action && t.role === role && rowApplies(t, circuit))
    : undefined;
  if (!row)
    return {
      ok: false,
      code: 'TRANSITION_NOT_ALLOWED',
      message: `L'action « ${ACTION_LABELS[action] ?? action} » n'est pas possible pour le ${ROLE_LABELS[role]?.toLowerCase() ?? role} sur une facture au statut « ${statusLabel(invoice.status)} ».`,
    };
  for (const g of row.guards ?? []) {
    const refusal = GUARDS[g](invoice, input);
    if (refusal) return { ok: false, code: 'GUARD_FAILED', message: refusal };
  }
  return { ok: true, to: row.to, transition: row };
}

/** The actions a role may try from the invoice's status (to show buttons). Guards are not evaluated. */
export function availableActions(invoice: InvoiceFacts, role: ActorRole): InvoiceAction[] {
  const circuit = circuitOf(invoice.framework);
  if (!circuit) return [];
  return TRANSITIONS.filter(
    (t) => t.from === invoice.status && t.role === role && circuit.actions.includes(t.action) && rowApplies(t, circuit),
  ).map((t) => t.action);
}

/** Statuses the recipient sees in its work list, and statuses the supplier still has to act on. */
export const RECIPIENT_WORK_LIST: InvoiceStatus[] = ['MISE_A_DISPOSITION', 'COMPLETEE'];
/** Statuses a recipient may see (the invoice reached it). */
export const VISIBLE_TO_RECIPIENT: InvoiceStatus[] = [
  'MISE_A_DISPOSITION', 'SUSPENDUE', 'COMPLETEE', 'A_RECYCLER', 'REJETEE', 'SERVICE_FAIT', 'MANDATEE',
  'MISE_A_DISPOSITION_COMPTABLE', 'COMPTABILISEE', 'MISE_EN_PAIEMENT',
];

/** Reason lists (reference data) for suspension, recycling and rejection. */
export const REASONS = {
  SUSPENDRE: [
    { code: 'PIECE_JUSTIFICATIVE_MANQUANTE', label: 'Pièce justificative manquante' },
    { code: 'BON_DE_COMMANDE_MANQUANT', label: 'Bon de commande ou de livraison manquant' },
    { code: 'ATTESTATION_MANQUANTE', label: 'Attestation manquante (sous-traitance, assurance…)' },
    { code: 'AUTRE', label: 'Autre motif (préciser en commentaire)' },
  ],
  METTRE_A_RECYCLER: [
    { code: 'DESTINATAIRE_ERRONE', label: 'Destinataire erroné' },
    { code: 'CODE_SERVICE_ERRONE', label: 'Code service erroné' },
    { code: 'ENGAGEMENT_ERRONE', label: "Numéro d'engagement erroné" },
  ],
  REJETER: [
    { code: 'MONTANT_ERRONE', label: 'Montant erroné' },
    { code: 'PRESTATION_NON_CONFORME', label: 'Prestation non conforme ou non réalisée' },
    { code: 'DOUBLON', label: 'Facture en double' },
    { code: 'MENTIONS_OBLIGATOIRES', label: 'Mentions obligatoires absentes' },
    { code: 'AUTRE', label: 'Autre motif (préciser en commentaire)' },
  ],
  ...WORKS_REASONS,
  // Refusal by a validator (titulaire, co-traitant, mandataire) of a subcontractor's or co-contractor's invoice.
  REFUSER_VALIDATION: [
    { code: 'PRESTATIONS_NON_REALISEES', label: 'Prestations non réalisées ou non conformes' },
    { code: 'MONTANT_SUPERIEUR_ACTE_SPECIAL', label: "Montant supérieur à celui accepté par l'acte spécial" },
    { code: 'HORS_PERIMETRE_SOUS_TRAITANCE', label: 'Prestations hors du périmètre sous-traité ou de la part du cotraitant' },
    { code: 'PIECES_JUSTIFICATIVES_MANQUANTES', label: 'Pièces justificatives manquantes' },
    { code: 'DOUBLON', label: 'Facture en double' },
    { code: 'AUTRE', label: 'Autre motif (préciser en commentaire)' },
  ],
} as const satisfies Partial<Record<InvoiceAction, ReadonlyArray<{ code: string; label: string }>>>;
export const reasonLabel = (action: string, code: string | null | undefined) =>
  code ? ((REASONS as Record<string, ReadonlyArray<{ code: string; label: string }>>)[action]?.find((r) => r.code === code)?.label ?? code) : null;
