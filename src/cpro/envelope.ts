import { AppError } from '../shared/app-error.ts';

/**
 * The answer envelope of the Chorus Pro API (chorus-pro.md §4.2): every answer carries `codeRetour`
 * (0 = success) and `libelle`; functional errors answer HTTP 400 with `{codeRetour, libelle}`.
 * Pure: no I/O.
 */
export const SUCCESS_LIBELLE = 'TRA_MSG_00.000';

/**
 * Return codes. 20000–20003 are Chorus Pro's own (§4.2); the others are this platform's, documented in
 * docs/api-cpro.md (Chorus Pro's labels for its other codes are not public).
 */
export const CODE = {
  DEMANDE_PAIEMENT_INEXISTANTE: 20000,
  DROITS_INSUFFISANTS: 20001,
  STATUT_NON_SUSPENDUE: 20002,
  PIECE_JOINTE_TROP_VOLUMINEUSE: 20003,
  DONNEES_INVALIDES: 20100,
  DESTINATAIRE_INCONNU: 20101,
  CODE_SERVICE: 20102,
  ENGAGEMENT: 20103,
  NUMERO_FACTURE_EN_DOUBLE: 20104,
  TRANSITION_IMPOSSIBLE: 20105,
  PIECE_JOINTE_INCONNUE: 20106,
  STRUCTURE_INTROUVABLE: 20107,
  FLUX_INCONNU: 20108,
  FLUX_DEJA_DEPOSE: 20109,
  OPERATION_NON_DISPONIBLE: 20199,
  ERREUR_TECHNIQUE: 99999,
} as const;

/** A functional error of the Chorus-compatible API: HTTP status, return code and French label. */
export class CproError extends Error {
  readonly codeRetour: number;
  readonly libelle: string;
  readonly httpStatus: number;
  constructor(codeRetour: number, libelle: string, httpStatus = 400) {
    super(libelle);
    this.codeRetour = codeRetour;
    this.libelle = libelle;
    this.httpStatus = httpStatus;
  }
}

export const success = <T extends object>(body: T) => ({ codeRetour: 0, libelle: SUCCESS_LIBELLE, ...body });

/** The answer of an operation whose business the platform does not have yet: a clear error, never a fake success. */
export const notAvailable = (operation: string, why: string) =>
  new CproError(CODE.OPERATION_NON_DISPONIBLE, `Opération « ${operation} » non disponible sur cette plateforme : ${why}`);

/** Our field keys (use cases) → the Chorus Pro JSON path the integrator sent. */
const FIELD_NAMES: Record<string, string> = {
  supplierStructureId: 'fournisseur.idFournisseur',
  recipientSiret: 'destinataire.codeDestinataire',
  serviceCode: 'destinataire.codeServiceExecutant',
  ejNumber: 'references.numeroBonCommande',
  number: 'numeroFactureSaisi',
  invoiceDate: 'dateFacture',
  dueDate: 'references.dateEcheancePaiement',
  currency: 'references.deviseFacture',
  framework: 'cadreDeFacturation.codeCadreFacturation',
  documentType: 'references.typeFacture',
  originalInvoiceNumber: 'references.numeroFactureOrigine',
  depositMode: 'modeDepot',
  lines: 'lignePoste',
  totalWithoutVat: 'montantTotal.montantHtTotal',
  totalVat: 'montantTotal.montantTVA',
  totalWithVat: 'montantTotal.montantTtcTotal',
  amountDue: 'montantTotal.montantAPayer',
  prepaidAmount: 'montantTotal.montantAPayer',
  mainDocument: 'pieceJointePrincipale',
  comment: 'commentaire',
  reason: 'motif',
  mandateNumber: 'numeroDPMandat',
  contractNumber: 'references.numeroMarche',
  validatorSiret: 'cadreDeFacturation.codeStructureValideur',
  // Works pieces (factures de travaux): the décompte travels in decompteTravaux (docs/api-cpro.md).
  month: 'decompteTravaux.mois',
  progress: 'decompteTravaux.avancement',
  penalties: 'decompteTravaux.penalites',
  previousInvoiceId: 'piecePrecedente',
  // Searches (rechercher/fournisseur, rechercher/recipiendaire).
  dateFrom: 'periodeDateFactureDu',
  dateTo: 'periodeDateFactureAu',
  depositedFrom: 'periodeDateDepotDu',
  depositedTo: 'periodeDateDepotAu',
  amountMin: 'montantTTCMin',
  amountMax: 'montantTTCMax',
  statuses: 'statutCourant',
  serviceId: 'idServiceExecutant',
};
const LINE_FIELDS: Record<string, string> = {
  description: 'lignePosteDenomination',
  quantity: 'lignePosteQuantite',
  unit: 'lignePosteUnite',
  unitPrice: 'lignePosteMontantUnitaireHT',
  discountAmount: 'lignePosteMontantRemiseHT',
  vatRate: 'lignePosteTauxTva',
};

/** The Chorus Pro name of one of our field keys (`lines.0.quantity` → `lignePoste[0].lignePosteQuantite`). */
export function cproFieldName(key: string): string {
  const line = /^lines\.(\d+)\.(\w+)$/.exec(key);
  if (line) return `lignePoste[${line[1]}].${LINE_FIELDS[line[2]!] ?? line[2]}`;
  if (key.startsWith('vatBreakdown.')) return `ligneTva (taux ${key.slice(13)})`;
  return FIELD_NAMES[key] ?? key;
}

/** Which return code a field error deserves, by priority. */
function codeOfFields(fields: Record<string, string>): number | null {
  if (fields.recipientSiret) return CODE.DESTINATAIRE_INCONNU;
  if (fields.serviceCode) return CODE.CODE_SERVICE;
  if (fields.ejNumber) return CODE.ENGAGEMENT;
  if (fields.number && /déjà utilisé/.test(fields.number)) return CODE.NUMERO_FACTURE_EN_DOUBLE;
  return null;
}

/** The label: the French message, then each field error prefixed by the Chorus Pro field it concerns. */
export function libelleOf(message: string, fields?: Record<string, string>): string {
  const details = Object.entries(fields ?? {}).map(([k, v]) => `[${cproFieldName(k)}] ${v}`);
  return details.length ? `${message} ${details.join(' ')}` : message;
}

/**
 * Translates a platform error into the envelope. `overrides` lets an operation give its own code to an
 * error code (e.g. completer: TRANSITION_NOT_ALLOWED → 20002).
 */
export function toCproError(err: unknown, overrides: Partial<Record<string, number>> = {}): CproError {
  if (err instanceof CproError) return err;
  if (!(err instanceof AppError)) return new CproError(CODE.ERREUR_TECHNIQUE, 'Erreur technique : réessayez ; si elle persiste, contactez le support de la plateforme.', 500);
  const libelle = libelleOf(err.userMessage, err.fields);
  const override = overrides[err.code] ?? overrides[err.kind];
  if (override !== undefined) return new CproError(override, libelle);
  if (err.code === 'INVOICE_NUMBER_TAKEN') return new CproError(CODE.NUMERO_FACTURE_EN_DOUBLE, libelle);
  // A guard of the transition table refused missing data (a motif, a mandate number): a data error, not a status one.
  if (err.code === 'GUARD_FAILED') return new CproError(CODE.DONNEES_INVALIDES, libelle);
  const byField = err.fields ? codeOfFields(err.fields) : null;
  if (byField) return new CproError(byField, libelle);
  switch (err.kind) {
    case 'NOT_FOUND':
      return new CproError(CODE.DEMANDE_PAIEMENT_INEXISTANTE, libelle);
    case 'FORBIDDEN':
      return new CproError(CODE.DROITS_INSUFFISANTS, libelle);
    case 'CONFLICT':
      return new CproError(CODE.TRANSITION_IMPOSSIBLE, libelle);
    case 'TOO_LARGE':
      return new CproError(CODE.PIECE_JOINTE_TROP_VOLUMINEUSE, libelle, 413);
    case 'INTERNAL':
      return new CproError(CODE.ERREUR_TECHNIQUE, libelle, 500);
    default:
      return new CproError(CODE.DONNEES_INVALIDES, libelle);
  }
}

/** Pagination of a search (`pageResultatDemandee`, `nbResultatsParPage`, `triColonne`, `triSens`). */
export interface Pagination {
  page: number;
  perPage: number;
  sortColumn: string | null;
  descending: boolean;
}
export const MAX_RESULTS = 200;

export function readPagination(p: unknown, defaultSort: string | null = null): Pagination {
  const o = (p && typeof p === 'object' ? p : {}) as Record<string, unknown>;
  const int = (v: unknown, d: number) => {
    const n = typeof v === 'string' ? Number(v) : v;
    return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : d;
  };
  return {
    page: int(o.pageResultatDemandee, 1),
    perPage: Math.min(int(o.nbResultatsParPage, 10), MAX_RESULTS),
    sortColumn: typeof o.triColonne === 'string' && o.triColonne ? o.triColonne : defaultSort,
    descending: o.triSens !== 'Ascendant',
  };
}

/** `parametresRetour` of a page. */
export const parametresRetour = (p: Pagination, total: number) => ({
  pageCourante: p.page,
  pages: Math.max(1, Math.ceil(total / p.perPage)),
  nbResultatsParPage: p.perPage,
  total,
});

/** Sorts and cuts a list already loaded (at most MAX_RESULTS rows), as Chorus Pro caps searches. */
export function pageOf<T extends Record<string, unknown>>(rows: T[], p: Pagination): { items: T[]; parametresRetour: ReturnType<typeof parametresRetour> } {
  const sorted = p.sortColumn && rows.length && p.sortColumn in rows[0]!
    ? [...rows].sort((a, b) => {
        const x = a[p.sortColumn!] as string | number | null;
        const y = b[p.sortColumn!] as string | number | null;
        const c = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
        return p.descending ? -c : c;
      })
    : rows;
  return { items: sorted.slice((p.page - 1) * p.perPage, p.page * p.perPage), parametresRetour: parametresRetour(p, rows.length) };
}
