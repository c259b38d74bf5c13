/** The spaces (espaces) of the portal. A right is given per user, structure and space (optionally per service). */
export const SPACES = [
  { code: 'FACTURES_EMISES', label: 'Factures émises', forKind: 'ALL' },
  { code: 'FACTURES_RECUES', label: 'Factures reçues', forKind: 'PUBLIQUE' },
  { code: 'FACTURES_TRAVAUX', label: 'Factures de travaux', forKind: 'ALL' },
  { code: 'FACTURES_A_VALIDER', label: 'Factures à valider', forKind: 'ALL' },
  { code: 'ENGAGEMENTS', label: 'Engagements', forKind: 'PUBLIQUE' },
  { code: 'SOLLICITATIONS', label: 'Sollicitations', forKind: 'ALL' },
  { code: 'ACTIVITES_GESTIONNAIRE', label: 'Activités du gestionnaire', forKind: 'ALL' },
  { code: 'RACCORDEMENT_API', label: 'Raccordement API', forKind: 'ALL' },
  { code: 'DUME', label: 'DUME', forKind: 'ALL' },
] as const;
export type SpaceCode = (typeof SPACES)[number]['code'];
export const SPACE_CODES = SPACES.map((s) => s.code) as unknown as readonly [SpaceCode, ...SpaceCode[]];
export const spaceLabel = (code: string) => SPACES.find((s) => s.code === code)?.label ?? code;

export const ACCESS_LEVELS = ['CONSULTATION_UNIQUEMENT', 'MODIFICATION'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export const accessLabel = (a: string) => (a === 'MODIFICATION' ? 'Modification' : 'Consultation uniquement');

/** Spaces a new member gets by default (consultation), following Chorus Pro's defaults. */
export function defaultSpaces(kind: 'PRIVEE' | 'PUBLIQUE'): SpaceCode[] {
  return kind === 'PUBLIQUE' ? ['SOLLICITATIONS', 'FACTURES_EMISES', 'FACTURES_RECUES'] : ['SOLLICITATIONS', 'FACTURES_EMISES'];
}

export const RATTACHEMENT_STATUS_LABELS: Record<string, string> = {
  EN_COURS_DE_VALIDATION: 'En cours de validation',
  VALIDEE: 'Validée',
  REFUSEE: 'Refusée',
  DESACTIVEE: 'Désactivée',
  SUPPRIMEE: 'Supprimée',
};

/** The structure parameters of Chorus Pro (§1.4), with the French labels shown to users. */
export const STRUCTURE_PARAMETERS = [
  { key: 'code_service_doit_etre_renseigne', api: 'codeServiceDoitEtreRenseigne', label: 'Le code service doit être renseigné' },
  { key: 'numero_ej_doit_etre_renseigne', api: 'numeroEJDoitEtreRenseigne', label: "Le numéro d'engagement doit être renseigné" },
  { key: 'gestion_numero_ej_ou_code_service', api: 'gestionNumeroEJOuCodeService', label: "Le numéro d'engagement ou le code service doit être renseigné" },
  { key: 'est_moa', api: 'estMOA', label: "Un maître d'ouvrage peut intervenir (factures de travaux)" },
  { key: 'est_moa_uniquement', api: 'estMOAUniquement', label: "Un maître d'ouvrage intervient toujours (factures de travaux)" },
  { key: 'statut_mise_en_paiement_ne_remonte_pas', api: 'statutMiseEnPaiementNestPasRemonte', label: "Le statut de mise en paiement n'est pas remonté" },
] as const;

/** What a supplier must put on an invoice to this recipient (and service), as the directory shows it. */
export function invoicingRequirements(
  s: { code_service_doit_etre_renseigne: boolean; numero_ej_doit_etre_renseigne: boolean; gestion_numero_ej_ou_code_service: boolean },
  service?: { numero_ej_doit_etre_renseigne: boolean },
): { serviceCode: boolean; ej: boolean; ejOrServiceCode: boolean } {
  return {
    serviceCode: s.code_service_doit_etre_renseigne,
    ej: s.numero_ej_doit_etre_renseigne || !!service?.numero_ej_doit_etre_renseigne,
    ejOrServiceCode: s.gestion_numero_ej_ou_code_service,
  };
}
