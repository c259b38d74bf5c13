import { Decimal } from 'decimal.js';

/**
 * Legal payment delays of public buyers and late-payment compensation (Code de la commande publique,
 * L.2192-10 s. and R.2192-10 s.; décret 2013-269): the clock starts at the deposit, a suspension stops it (the
 * days suspended push the due date back), and a late payment owes interest at the ECB rate + 8 points (rate of
 * the half-year in which interest starts to run) plus a fixed indemnity of 40 €. Pure: days are Europe/Paris
 * calendar dates ('YYYY-MM-DD'), amounts exact decimals (decimal.js), time comes in as arguments.
 */
export const PAYER_CATEGORIES = ['ETAT', 'COLLECTIVITE_TERRITORIALE', 'ETABLISSEMENT_PUBLIC_SANTE', 'AUTRE'] as const;
export type PayerCategory = (typeof PAYER_CATEGORIES)[number];
export const PAYER_CATEGORY_LABELS: Record<PayerCategory, string> = {
  ETAT: 'État et ses établissements publics (30 jours)',
  COLLECTIVITE_TERRITORIALE: 'Collectivité territoriale ou établissement public local (30 jours)',
  ETABLISSEMENT_PUBLIC_SANTE: 'Établissement public de santé (50 jours)',
  AUTRE: 'Autre acheteur public (30 jours)',
};
export const LEGAL_DELAY_DAYS: Record<PayerCategory, number> = { ETAT: 30, COLLECTIVITE_TERRITORIALE: 30, ETABLISSEMENT_PUBLIC_SANTE: 50, AUTRE: 30 };
/** Structures that set nothing are treated as the State and local authorities. */
export const DEFAULT_PAYER_CATEGORY: PayerCategory = 'COLLECTIVITE_TERRITORIALE';
export const FIXED_INDEMNITY = '40.00';
export const INTEREST_MARGIN_POINTS = '8';

/** The delay a payer applies: its own shorter delay, or the legal one. */
export const delayDaysOf = (terms: { payer_category: PayerCategory; delay_days: number | null } | null | undefined): number => {
  const legal = LEGAL_DELAY_DAYS[terms?.payer_category ?? DEFAULT_PAYER_CATEGORY];
  return terms?.delay_days ? Math.min(terms.delay_days, legal) : legal;
};

const paris = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The Europe/Paris calendar day of an instant. */
export const parisDay = (d: Date) => paris.format(d);
const toUtc = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
export const addDays = (day: string, n: number) => new Date(toUtc(day) + n * 86_400_000).toISOString().slice(0, 10);
/** Whole days from `a` to `b` (b − a). */
export const daysBetween = (a: string, b: string) => Math.round((toUtc(b) - toUtc(a)) / 86_400_000);

/** The instant a Paris calendar day starts (00:00 Europe/Paris), to schedule a job. */
export function startOfParisDay(day: string): Date {
  const guess = new Date(toUtc(day));
  // Paris is UTC+1 or UTC+2: try both offsets and keep the one whose Paris day is `day` at midnight.
  for (const h of [1, 2]) {
    const t = new Date(guess.getTime() - h * 3_600_000);
    if (parisDay(t) === day && parisDay(new Date(t.getTime() - 1)) !== day) return t;
  }
  return new Date(guess.getTime() - 3_600_000);
}

/** The suspensions of an invoice, from its path: each SUSPENDUE and the transition that left it. */
export function suspensionsOf(events: Array<{ type: string; fromStatus: string | null; toStatus: string | null; createdAt: Date }>): Array<{ from: string; to: string | null }> {
  const out: Array<{ from: string; to: string | null }> = [];
  for (const e of events) {
    if (e.type !== 'TRANSITION') continue;
    if (e.toStatus === 'SUSPENDUE' && e.fromStatus !== 'SUSPENDUE') out.push({ from: parisDay(e.createdAt), to: null });
    else if (e.fromStatus === 'SUSPENDUE' && e.toStatus !== 'SUSPENDUE' && out.length && out[out.length - 1].to === null) out[out.length - 1].to = parisDay(e.createdAt);
  }
  return out;
}

export type ClockState = 'EN_COURS' | 'SUSPENDU' | 'DEPASSE' | 'PAYE' | 'PAYE_EN_RETARD' | 'ARRETE';
export interface Clock {
  startedOn: string;
  delayDays: number;
  suspendedDays: number;
  /** The last day to pay (deposit + delay + days suspended so far). */
  dueOn: string;
  state: ClockState;
  /** Days left until the due date included (0 on the due date), while it runs. */
  daysLeft: number | null;
  /** Days past the due date (today while unpaid, the payment day once paid). */
  daysLate: number;
}

/**
 * Where the clock stands on `today`: the days suspended (a suspension still running counts up to today) push
 * the due date back; a paid invoice stops the clock on its payment day; a rejected one is stopped.
 */
export function clockOf(c: { startedOn: string; delayDays: number; suspensions: Array<{ from: string; to: string | null }>; today: string; paidOn?: string | null; stoppedOn?: string | null }): Clock {
  const end = c.paidOn ?? c.stoppedOn ?? c.today;
  const suspendedDays = c.suspensions.reduce((s, x) => s + Math.max(0, daysBetween(x.from, x.to ?? end)), 0);
  const dueOn = addDays(c.startedOn, c.delayDays + suspendedDays);
  const late = Math.max(0, daysBetween(dueOn, end));
  const suspended = c.suspensions.some((x) => x.to === null);
  let state: ClockState;
  if (c.paidOn) state = late > 0 ? 'PAYE_EN_RETARD' : 'PAYE';
  else if (c.stoppedOn) state = 'ARRETE';
  else if (suspended) state = 'SUSPENDU';
  else state = late > 0 ? 'DEPASSE' : 'EN_COURS';
  return { startedOn: c.startedOn, delayDays: c.delayDays, suspendedDays, dueOn, state, daysLeft: state === 'EN_COURS' || state === 'SUSPENDU' ? Math.max(0, daysBetween(end, dueOn)) : null, daysLate: late };
}

/** The ECB rate of the half-year containing `day` (the rate in force on its first day). */
export function ecbRateFor(day: string, rates: Array<{ validFrom: string; rate: string }>): string | null {
  const halfYear = `${day.slice(0, 4)}-${Number(day.slice(5, 7)) <= 6 ? '01' : '07'}-01`;
  const r = [...rates].sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1)).find((x) => x.validFrom <= halfYear);
  return r ? new Decimal(r.rate).toFixed(3) : null;
}

export interface LateCompensation {
  daysLate: number;
  ecbRate: string;
  interestRate: string;
  interest: string;
  indemnity: string;
  total: string;
}
/**
 * Interest for a payment `daysLate` days after the due date on `amount`: amount × (ECB + 8) % × days / 365,
 * rounded to the cent (half-up), plus the fixed indemnity of 40 €. Null when paid in time.
 */
export function lateCompensation(amount: string, dueOn: string, paidOn: string, rates: Array<{ validFrom: string; rate: string }>): LateCompensation | null {
  const daysLate = daysBetween(dueOn, paidOn);
  if (daysLate <= 0) return null;
  const ecb = ecbRateFor(addDays(dueOn, 1), rates) ?? '0.000';
  const rate = new Decimal(ecb).plus(INTEREST_MARGIN_POINTS);
  const interest = new Decimal(amount).mul(rate).div(100).mul(daysLate).div(365).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return {
    daysLate,
    ecbRate: ecb,
    interestRate: rate.toFixed(3),
    interest: interest.toFixed(2),
    indemnity: FIXED_INDEMNITY,
    total: interest.plus(FIXED_INDEMNITY).toFixed(2),
  };
}
