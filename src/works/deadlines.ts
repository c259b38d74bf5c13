/**
 * The deadlines of the works circuits, as configuration: defaults from the CCAG Travaux 2021 and the code
 * de la commande publique (docs/works.md §3), which a contract's CCAP may change (stored per works
 * contract). Due dates are computed in calendar days in Europe/Paris; a deadline ending on a Saturday, a
 * Sunday or a public holiday moves to the next working day (CCAG Travaux 2021, art. 3.2). Pure.
 */
export const DEADLINE_KINDS = [
  'MOE_ETAT_ACOMPTE', 'MOA_VALIDATION', 'TITULAIRE_CONTESTATION', 'PAIEMENT',
  'TITULAIRE_PROJET_DECOMPTE_FINAL', 'MOA_DECOMPTE_GENERAL', 'TITULAIRE_SIGNATURE_DG', 'MOA_DG_APRES_PROCEDURE_TACITE',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export type WorksDeadlines = Record<DeadlineKind, number>;

export const DEFAULT_DEADLINES: WorksDeadlines = {
  MOE_ETAT_ACOMPTE: 7,
  MOA_VALIDATION: 15,
  TITULAIRE_CONTESTATION: 30,
  PAIEMENT: 30,
  TITULAIRE_PROJET_DECOMPTE_FINAL: 30,
  MOA_DECOMPTE_GENERAL: 30,
  TITULAIRE_SIGNATURE_DG: 30,
  MOA_DG_APRES_PROCEDURE_TACITE: 10,
};

/** What each deadline is, who it binds, when it starts, and its basis (shown in the UI and docs/works.md). */
export const DEADLINE_INFO: Record<DeadlineKind, { label: string; party: 'MOE' | 'MOA' | 'FOURNISSEUR' | 'PAYEUR'; from: string; basis: string }> = {
  MOE_ETAT_ACOMPTE: { label: "Le maître d'œuvre accepte ou rectifie le projet de décompte mensuel et transmet l'état d'acompte", party: 'MOE', from: "réception du projet de décompte mensuel par le maître d'œuvre", basis: 'CCAG Travaux 2021, art. 12 (acomptes mensuels) ; note DAJ / AIFE sur les factures de travaux' },
  MOA_VALIDATION: { label: "Le maître de l'ouvrage valide l'état d'acompte (alerte interne)", party: 'MOA', from: "réception de l'état d'acompte par le maître de l'ouvrage", basis: "Aucun délai réglementaire propre : le délai de paiement court déjà ; délai d'alerte fixé par le marché" },
  TITULAIRE_CONTESTATION: { label: "Le titulaire conteste les montants de l'état d'acompte", party: 'FOURNISSEUR', from: "mise à disposition de l'état d'acompte au titulaire", basis: 'CCAG Travaux 2021 (contestation des montants retenus par le maître d\'œuvre) ; bonne pratique Chorus Pro (chorus-pro.md §2.7)' },
  PAIEMENT: { label: 'Délai global de paiement', party: 'PAYEUR', from: "réception de la demande de paiement par le maître d'œuvre (horodatage de la plateforme)", basis: 'Code de la commande publique, art. R. 2192-10 (30 jours ; 50 jours pour les établissements publics de santé, art. R. 2192-11) et art. R. 2192-12 et suivants (point de départ)' },
  TITULAIRE_PROJET_DECOMPTE_FINAL: { label: 'Le titulaire transmet son projet de décompte final', party: 'FOURNISSEUR', from: 'notification de la décision de réception des travaux', basis: 'CCAG Travaux 2021, art. 12.3' },
  MOA_DECOMPTE_GENERAL: { label: "Le maître de l'ouvrage notifie le décompte général", party: 'MOA', from: "réception du projet de décompte final par le maître d'œuvre", basis: 'CCAG Travaux 2021, art. 12.4' },
  TITULAIRE_SIGNATURE_DG: { label: 'Le titulaire renvoie le décompte général signé, ou un mémoire en réclamation', party: 'FOURNISSEUR', from: 'notification du décompte général', basis: 'CCAG Travaux 2021, art. 12.4 (faute de quoi le décompte général devient définitif)' },
  MOA_DG_APRES_PROCEDURE_TACITE: { label: "Le maître de l'ouvrage notifie un décompte général en réponse au projet de décompte général du titulaire", party: 'MOA', from: 'réception du projet de décompte général du titulaire (procédure tacite)', basis: 'CCAG Travaux 2021, art. 12.4 (faute de quoi le projet du titulaire devient le décompte général et définitif)' },
};

/** The contract's deadlines: the defaults, changed by the contract where it says so; French errors for bad values. */
export function contractDeadlines(overrides: Partial<Record<string, unknown>> | null | undefined): { deadlines: WorksDeadlines; errors: Record<string, string> } {
  const deadlines = { ...DEFAULT_DEADLINES };
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (!(DEADLINE_KINDS as readonly string[]).includes(k)) {
      errors[`deadlines.${k}`] = `Délai inconnu : ${k}.`;
      continue;
    }
    const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 365) errors[`deadlines.${k}`] = `Le délai « ${DEADLINE_INFO[k as DeadlineKind].label} » doit être un nombre entier de jours entre 1 et 365.`;
    else deadlines[k as DeadlineKind] = n;
  }
  return { deadlines, errors };
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const dayNumber = (isoDay: string) => Date.UTC(+isoDay.slice(0, 4), +isoDay.slice(5, 7) - 1, +isoDay.slice(8, 10)) / 86_400_000;
const fromDayNumber = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** Easter Sunday (Gregorian computus). */
function easter(y: number): string {
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4, f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30, i = Math.floor(c / 4), k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(y, month, day);
}
/** French public holidays (code du travail, art. L. 3133-1) of a year, as 'YYYY-MM-DD'. */
export function frenchHolidays(y: number): string[] {
  const e = dayNumber(easter(y));
  return [iso(y, 1, 1), fromDayNumber(e + 1), iso(y, 5, 1), iso(y, 5, 8), fromDayNumber(e + 39), fromDayNumber(e + 50), iso(y, 7, 14), iso(y, 8, 15), iso(y, 11, 1), iso(y, 11, 11), iso(y, 12, 25)].sort();
}
export const isWorkingDay = (isoDay: string) => {
  const dow = new Date(dayNumber(isoDay) * 86_400_000).getUTCDay();
  return dow !== 0 && dow !== 6 && !frenchHolidays(+isoDay.slice(0, 4)).includes(isoDay);
};

/** The Paris calendar day of an instant. */
export const parisDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/**
 * The last day of a deadline of `days` calendar days starting the day after `start` (Paris day), moved to
 * the next working day when it ends on a Saturday, a Sunday or a public holiday.
 */
export function dueDay(start: Date | string, days: number): string {
  let n = dayNumber(typeof start === 'string' ? start : parisDay(start)) + days;
  while (!isWorkingDay(fromDayNumber(n))) n++;
  return fromDayNumber(n);
}

/** Past the deadline: the Paris day of `now` is after the due day. Days left (negative when late). */
export function deadlineState(start: Date, days: number, now: Date): { dueDay: string; daysLeft: number; late: boolean } {
  const due = dueDay(start, days);
  const left = dayNumber(due) - dayNumber(parisDay(now));
  return { dueDay: due, daysLeft: left, late: left < 0 };
}
