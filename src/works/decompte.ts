import { Decimal as BaseDecimal } from 'decimal.js';

/**
 * The décompte engine of works contracts (CCAG Travaux 2021, art. 12): from the price schedule and the
 * cumulative progress per line, the monthly statement (projet de décompte mensuel / état d'acompte) and the
 * final statement. Pure: no database, no clock. Every amount is exact (decimal.js) and rounded to the cent,
 * half away from zero, at the level where it is stated; the statement is computed in CUMULATIVE form (as
 * the CCAG asks: « montant cumulé depuis le début du marché ») and this month's figures are the difference
 * with the previous statement, so rounding never drifts from month to month. Worked examples: docs/works.md.
 */
const D = BaseDecimal.clone({ precision: 40, rounding: BaseDecimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof D>;
const ZERO = new D(0);
const r2 = (d: Dec) => d.toDecimalPlaces(2, D.ROUND_HALF_UP);
const money = (d: Dec) => r2(d).toFixed(2);

/** Prix global forfaitaire (progress in percent) or prix unitaire (progress as the executed quantity). */
export const PRICE_KINDS = ['FORFAIT', 'UNITAIRE'] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];
export const PRICE_KIND_LABELS: Record<PriceKind, string> = { FORFAIT: 'Prix forfaitaire', UNITAIRE: 'Prix unitaire' };

export interface PriceLine {
  code: string;
  label: string;
  kind: PriceKind;
  unit?: string | null;
  /** Contract quantity (1 for a lump sum, usually). */
  quantity: string;
  /** Unit price HT. */
  unitPrice: string;
}

/** P = P0 × (fixedPart + Σ weight × I / I0), the coefficient rounded as the contract says. */
export interface RevisionFormula {
  fixedPart: string;
  terms: Array<{ index: string; weight: string; baseValue: string }>;
  /** Decimals of the coefficient (3 = « au millième »). */
  decimals: number;
  /** UP = « arrondi au millième supérieur » (the usual CCAP clause), HALF_UP = to the nearest. */
  rounding: 'UP' | 'HALF_UP';
}

export interface WorksTerms {
  priceSchedule: PriceLine[];
  /** VAT rate in percent ('20', '10', '5.5', '0' under reverse charge). */
  vatRate: string;
  /** The advance paid at the start (TTC), and the thresholds of its repayment in percent of the contract amount HT. */
  advance?: { amount: string; repaymentStartPercent?: string; repaymentEndPercent?: string } | null;
  /** Retention (retenue de garantie) rate in percent of each payment TTC; none when replaced by a bank guarantee. */
  retention?: { ratePercent: string; replacedByGuarantee?: boolean } | null;
  revision?: RevisionFormula | null;
}

/** Index values per index name and month ('YYYY-MM'). */
export type IndexSeries = Record<string, Record<string, string>>;

/** What is known at the end of a month: the cumulative progress per line and the penalties applied that month. */
export interface MonthEntry {
  month: string;
  /** Line code → cumulative percent (FORFAIT) or cumulative executed quantity (UNITAIRE). */
  progress: Record<string, string>;
  penalties?: Array<{ label: string; amount: string }>;
}

/** Cumulative totals of a statement (strings with two decimals). */
export interface StatementTotals {
  works: string;
  revision: string;
  totalWithoutVat: string;
  vat: string;
  totalWithVat: string;
  advanceRepayment: string;
  retention: string;
  penalties: string;
  amountDue: string;
}
export const TOTAL_KEYS = ['works', 'revision', 'totalWithoutVat', 'vat', 'totalWithVat', 'advanceRepayment', 'retention', 'penalties', 'amountDue'] as const;

export interface StatementLine {
  code: string;
  label: string;
  kind: PriceKind;
  unit: string | null;
  contractQuantity: string;
  unitPrice: string;
  contractAmount: string;
  previousProgress: string;
  progress: string;
  previousAmount: string;
  amount: string;
  monthAmount: string;
  /** Executed quantity above the contract quantity (unit prices): to be justified. */
  overrun: boolean;
}

export interface RevisionMonth {
  month: string;
  /** Works of the month, HT, before revision. */
  base: string;
  coefficient: string;
  /** The index of the month is not published yet: the last known one is used (to be corrected). */
  provisional: boolean;
  indexMonths: Record<string, string>;
  amount: string;
}

export interface Statement {
  month: string;
  final: boolean;
  contractAmount: string;
  lines: StatementLine[];
  revisionMonths: RevisionMonth[];
  cumulative: StatementTotals;
  previous: StatementTotals;
  thisMonth: StatementTotals;
  advance: { amount: string; repaid: string; remaining: string };
  warnings: string[];
}

export type StatementResult = { ok: true; statement: Statement } | { ok: false; errors: Record<string, string> };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const NUMBER = /^-?\d{1,15}(\.\d{1,6})?$/;
const dec = (raw: string | null | undefined): Dec | null => {
  if (raw === null || raw === undefined) return null;
  const s = String(raw).replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return NUMBER.test(s) ? new D(s) : null;
};

/** French messages for a contract's terms that cannot be computed. */
export function termsProblems(terms: WorksTerms): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!terms.priceSchedule.length) errors.priceSchedule = 'Le bordereau des prix doit contenir au moins une ligne.';
  const codes = new Set<string>();
  terms.priceSchedule.forEach((l, i) => {
    const at = `priceSchedule.${i}`;
    if (!l.code?.trim()) errors[`${at}.code`] = `Ligne ${i + 1} : le numéro de prix est obligatoire.`;
    else if (codes.has(l.code)) errors[`${at}.code`] = `Ligne ${i + 1} : le numéro de prix « ${l.code} » est en double.`;
    codes.add(l.code);
    if (!l.label?.trim()) errors[`${at}.label`] = `Ligne ${i + 1} : la désignation est obligatoire.`;
    if (!(PRICE_KINDS as readonly string[]).includes(l.kind)) errors[`${at}.kind`] = `Ligne ${i + 1} : le type de prix doit être forfaitaire ou unitaire.`;
    const q = dec(l.quantity);
    if (!q || q.lte(0)) errors[`${at}.quantity`] = `Ligne ${i + 1} : la quantité du marché doit être un nombre positif.`;
    const p = dec(l.unitPrice);
    if (!p || p.lt(0)) errors[`${at}.unitPrice`] = `Ligne ${i + 1} : le prix unitaire HT doit être un montant positif ou nul.`;
  });
  const vat = dec(terms.vatRate);
  if (!vat || vat.lt(0) || vat.gt(100)) errors.vatRate = 'Le taux de TVA doit être un pourcentage entre 0 et 100.';
  if (terms.advance) {
    const a = dec(terms.advance.amount);
    if (!a || a.lt(0)) errors['advance.amount'] = "Le montant de l'avance doit être un montant positif.";
    const start = dec(terms.advance.repaymentStartPercent ?? '65');
    const end = dec(terms.advance.repaymentEndPercent ?? '80');
    if (!start || !end || start.lt(0) || end.gt(100) || !start.lt(end)) errors['advance.repayment'] = "Les seuils de remboursement de l'avance doivent vérifier 0 ≤ début < fin ≤ 100 %.";
  }
  if (terms.retention) {
    const r = dec(terms.retention.ratePercent);
    if (!r || r.lt(0) || r.gt(5)) errors['retention.ratePercent'] = 'La retenue de garantie ne peut dépasser 5 % (code de la commande publique, art. R. 2191-32).';
  }
  if (terms.revision) {
    const f = terms.revision;
    const fixed = dec(f.fixedPart);
    if (!fixed || fixed.lt(0)) errors['revision.fixedPart'] = 'La partie fixe de la formule doit être un nombre positif ou nul.';
    if (!f.terms.length) errors['revision.terms'] = "La formule de révision doit comporter au moins un index.";
    let sum = fixed ?? ZERO;
    f.terms.forEach((t, i) => {
      const w = dec(t.weight);
      const b = dec(t.baseValue);
      if (!t.index?.trim()) errors[`revision.terms.${i}.index`] = `Terme ${i + 1} : le nom de l'index est obligatoire.`;
      if (!w || w.lte(0)) errors[`revision.terms.${i}.weight`] = `Terme ${i + 1} : le coefficient doit être positif.`;
      if (!b || b.lte(0)) errors[`revision.terms.${i}.baseValue`] = `Terme ${i + 1} : la valeur initiale de l'index (mois zéro) doit être positive.`;
      if (w) sum = sum.plus(w);
    });
    if (fixed && !sum.eq(1)) errors['revision.fixedPart'] = `La partie fixe et les coefficients doivent totaliser 1 (total actuel : ${sum.toString()}).`;
    if (!Number.isInteger(f.decimals) || f.decimals < 2 || f.decimals > 6) errors['revision.decimals'] = "Le coefficient s'arrondit entre 2 et 6 décimales.";
    if (f.rounding !== 'UP' && f.rounding !== 'HALF_UP') errors['revision.rounding'] = "L'arrondi du coefficient doit être « supérieur » ou « au plus proche ».";
  }
  return errors;
}

const lineAmount = (l: PriceLine) => r2(new D(l.unitPrice).mul(l.quantity));
export const contractAmount = (terms: WorksTerms) => money(terms.priceSchedule.reduce((s, l) => s.plus(lineAmount(l)), ZERO));

/** Cumulative amount HT of a line for a given progress (percent of the lump sum, or executed quantity). */
function progressAmount(l: PriceLine, progress: Dec): Dec {
  return l.kind === 'FORFAIT' ? r2(lineAmount(l).mul(progress).div(100)) : r2(progress.mul(l.unitPrice));
}

/** The revision coefficient C = fixed + Σ weight × I / I0 for a month, with the last known index when the month's is missing. */
export function revisionCoefficient(f: RevisionFormula, indexes: IndexSeries, month: string): { coefficient: string; provisional: boolean; indexMonths: Record<string, string> } | { error: string } {
  let c = new D(f.fixedPart);
  let provisional = false;
  const indexMonths: Record<string, string> = {};
  for (const t of f.terms) {
    const series = indexes[t.index] ?? {};
    const known = Object.keys(series).filter((m) => m <= month && dec(series[m])).sort();
    const used = known[known.length - 1];
    if (!used) return { error: `L'index ${t.index} n'a aucune valeur connue au mois ${month} ou avant.` };
    if (used !== month) provisional = true;
    indexMonths[t.index] = used;
    c = c.plus(new D(t.weight).mul(new D(series[used])).div(t.baseValue));
  }
  const rounded = c.toDecimalPlaces(f.decimals, f.rounding === 'UP' ? D.ROUND_UP : D.ROUND_HALF_UP);
  return { coefficient: rounded.toFixed(f.decimals), provisional, indexMonths };
}

/**
 * Cumulative repayment of the advance when the works executed reach `works` (HT): nothing up to the start
 * threshold (65 % of the contract amount), all of it from the end threshold (80 %), linear in between
 * (code de la commande publique, art. R. 2191-11). At the final statement the advance is repaid in full.
 */
export function advanceRepayment(terms: WorksTerms, works: string, final = false): string {
  if (!terms.advance) return '0.00';
  const a = new D(terms.advance.amount);
  if (final) return money(a);
  const m = new D(contractAmount(terms));
  const start = m.mul(terms.advance.repaymentStartPercent ?? '65').div(100);
  const end = m.mul(terms.advance.repaymentEndPercent ?? '80').div(100);
  const w = new D(works);
  if (w.lte(start)) return '0.00';
  if (w.gte(end)) return money(a);
  return money(a.mul(w.minus(start)).div(end.minus(start)));
}

/**
 * The advance due at the start (art. R. 2191-7): rate × the initial amount TTC when the contract lasts 12
 * months or less, rate × 12 × amount / duration in months otherwise.
 */
export function advanceAmount(initialAmountWithVat: string, ratePercent: string, durationMonths: number): string {
  const base = new D(initialAmountWithVat).mul(ratePercent).div(100);
  return money(durationMonths <= 12 ? base : base.mul(12).div(durationMonths));
}

/** A delay penalty: days × the contract amount HT / denominator (CCAG Travaux 2021: 1/3000 per calendar day). */
export function delayPenalty(amountWithoutVat: string, days: number, denominator = 3000): string {
  return money(new D(amountWithoutVat).mul(Math.max(0, Math.trunc(days))).div(denominator));
}

function progressProblems(terms: WorksTerms, months: MonthEntry[]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!months.length) errors.months = 'Indiquez au moins un mois d’avancement.';
  const byCode = new Map(terms.priceSchedule.map((l) => [l.code, l]));
  months.forEach((m, i) => {
    if (!MONTH.test(m.month)) errors[`months.${i}.month`] = `Le mois « ${m.month} » doit s'écrire AAAA-MM.`;
    if (i > 0 && m.month <= months[i - 1].month) errors[`months.${i}.month`] = `Les mois doivent se suivre dans l'ordre (${months[i - 1].month} puis ${m.month}).`;
    for (const [code, raw] of Object.entries(m.progress)) {
      const l = byCode.get(code);
      if (!l) {
        errors[`progress.${code}`] = `Le prix « ${code} » n'existe pas au bordereau du marché.`;
        continue;
      }
      const v = dec(raw);
      if (!v || v.lt(0)) errors[`progress.${code}`] = `Prix ${code} : l'avancement doit être un nombre positif ou nul.`;
      else if (l.kind === 'FORFAIT' && v.gt(100)) errors[`progress.${code}`] = `Prix ${code} : un prix forfaitaire s'avance au plus à 100 %.`;
    }
    (m.penalties ?? []).forEach((p, j) => {
      const a = dec(p.amount);
      if (!p.label?.trim()) errors[`months.${i}.penalties.${j}.label`] = 'Le libellé de la pénalité est obligatoire.';
      if (!a || a.lt(0)) errors[`months.${i}.penalties.${j}.amount`] = 'Le montant de la pénalité doit être un montant positif.';
    });
  });
  return errors;
}

function worksOf(terms: WorksTerms, m: MonthEntry | undefined): { total: Dec; perLine: Map<string, Dec> } {
  const perLine = new Map<string, Dec>();
  let total = ZERO;
  for (const l of terms.priceSchedule) {
    const a = m ? progressAmount(l, new D(m.progress[l.code] ?? '0')) : ZERO;
    perLine.set(l.code, a);
    total = total.plus(a);
  }
  return { total, perLine };
}

/** The cumulative totals after the given months (the last is the statement's month). */
function cumulativeTotals(terms: WorksTerms, months: MonthEntry[], indexes: IndexSeries, final: boolean): { totals: StatementTotals; revisionMonths: RevisionMonth[]; error?: string } {
  const revisionMonths: RevisionMonth[] = [];
  let previousWorks = ZERO;
  let revision = ZERO;
  let penalties = ZERO;
  for (const m of months) {
    const w = worksOf(terms, m).total;
    const base = w.minus(previousWorks);
    if (terms.revision) {
      const c = revisionCoefficient(terms.revision, indexes, m.month);
      if ('error' in c) return { totals: emptyTotals(), revisionMonths, error: c.error };
      const amount = r2(base.mul(new D(c.coefficient).minus(1)));
      revision = revision.plus(amount);
      revisionMonths.push({ month: m.month, base: money(base), coefficient: c.coefficient, provisional: c.provisional, indexMonths: c.indexMonths, amount: money(amount) });
    }
    for (const p of m.penalties ?? []) penalties = penalties.plus(r2(new D(p.amount)));
    previousWorks = w;
  }
  const works = previousWorks;
  const ht = works.plus(revision);
  const vat = r2(ht.mul(terms.vatRate).div(100));
  const ttc = ht.plus(vat);
  const repayment = new D(advanceRepayment(terms, money(works), final));
  const retention = terms.retention && !terms.retention.replacedByGuarantee ? r2(ttc.mul(terms.retention.ratePercent).div(100)) : ZERO;
  const due = ttc.minus(repayment).minus(retention).minus(penalties);
  return {
    totals: {
      works: money(works), revision: money(revision), totalWithoutVat: money(ht), vat: money(vat), totalWithVat: money(ttc),
      advanceRepayment: money(repayment), retention: money(retention), penalties: money(penalties), amountDue: money(due),
    },
    revisionMonths,
  };
}
const emptyTotals = (): StatementTotals => Object.fromEntries(TOTAL_KEYS.map((k) => [k, '0.00'])) as unknown as StatementTotals;
const minus = (a: StatementTotals, b: StatementTotals): StatementTotals =>
  Object.fromEntries(TOTAL_KEYS.map((k) => [k, money(new D(a[k]).minus(b[k]))])) as unknown as StatementTotals;

/**
 * The statement of the last month of `months`: each line's cumulative amount, the previous one and this
 * month's; the revision month by month (the index of each month, or the last known one, provisionally, to be
 * corrected when published); VAT; the advance repaid; the retention; the penalties; the amount due.
 * `previous` is the previous ACCEPTED statement's cumulative totals as recorded (what was paid on): when a
 * provisional revision is corrected, the correction falls in this month. Without it, the previous months are
 * recomputed. `final` = the final statement: the advance is repaid in full.
 */
export function computeStatement(input: { terms: WorksTerms; months: MonthEntry[]; indexes?: IndexSeries; previous?: StatementTotals | null; final?: boolean }): StatementResult {
  const { terms, months } = input;
  const indexes = input.indexes ?? {};
  const final = !!input.final;
  const errors = { ...termsProblems(terms), ...progressProblems(terms, months) };
  if (Object.keys(errors).length) return { ok: false, errors };
  const current = months[months.length - 1];
  const before = months[months.length - 2];
  const cum = cumulativeTotals(terms, months, indexes, final);
  if (cum.error) return { ok: false, errors: { indexes: cum.error } };
  let previous = input.previous ?? null;
  if (!previous) {
    const p = before ? cumulativeTotals(terms, months.slice(0, -1), indexes, false) : { totals: emptyTotals() };
    if ('error' in p && p.error) return { ok: false, errors: { indexes: p.error } };
    previous = p.totals;
  }
  const now = worksOf(terms, current);
  const then = worksOf(terms, before);
  const warnings: string[] = [];
  const lines: StatementLine[] = terms.priceSchedule.map((l) => {
    const progress = new D(current.progress[l.code] ?? '0');
    const previousProgress = new D(before?.progress[l.code] ?? '0');
    const amount = now.perLine.get(l.code)!;
    const previousAmount = then.perLine.get(l.code)!;
    const overrun = l.kind === 'UNITAIRE' && progress.gt(l.quantity);
    if (overrun) warnings.push(`Prix ${l.code} : la quantité exécutée (${progress.toString()}) dépasse la quantité du marché (${new D(l.quantity).toString()}).`);
    if (progress.lt(previousProgress)) warnings.push(`Prix ${l.code} : l'avancement cumulé baisse (${previousProgress.toString()} → ${progress.toString()}).`);
    return {
      code: l.code, label: l.label, kind: l.kind, unit: l.unit?.trim() || null, contractQuantity: new D(l.quantity).toString(), unitPrice: new D(l.unitPrice).toString(),
      contractAmount: money(lineAmount(l)), previousProgress: previousProgress.toString(), progress: progress.toString(),
      previousAmount: money(previousAmount), amount: money(amount), monthAmount: money(amount.minus(previousAmount)), overrun,
    };
  });
  const provisional = cum.revisionMonths.filter((r) => r.provisional).map((r) => r.month);
  if (provisional.length) warnings.push(`Révision provisoire (index non publié) pour : ${provisional.join(', ')}.`);
  const thisMonth = minus(cum.totals, previous);
  if (new D(thisMonth.amountDue).lt(0)) warnings.push('Le montant de ce décompte est négatif : il est dû par le titulaire.');
  const advance = terms.advance ? new D(terms.advance.amount) : ZERO;
  return {
    ok: true,
    statement: {
      month: current.month, final, contractAmount: contractAmount(terms), lines, revisionMonths: cum.revisionMonths,
      cumulative: cum.totals, previous, thisMonth,
      advance: { amount: money(advance), repaid: cum.totals.advanceRepayment, remaining: money(advance.minus(cum.totals.advanceRepayment)) },
      warnings,
    },
  };
}

/** One line's difference between the company's statement and the MOE's (quantities and amounts). */
export interface LineDifference {
  code: string;
  label: string;
  companyProgress: string;
  moeProgress: string;
  companyAmount: string;
  moeAmount: string;
  difference: string;
}

/**
 * The MOE's corrections of a projet de décompte, line by line and on every total: only the lines that
 * changed, and the difference (MOE − company) of this month's totals. An amount disagreement is corrected,
 * never a reason to refuse (CCAG Travaux 2021, art. 12).
 */
export function compareStatements(company: Statement, moe: Statement): { lines: LineDifference[]; totals: StatementTotals } {
  const moeLines = new Map(moe.lines.map((l) => [l.code, l]));
  const lines: LineDifference[] = [];
  for (const c of company.lines) {
    const m = moeLines.get(c.code);
    if (!m) continue;
    if (c.progress === m.progress && c.amount === m.amount) continue;
    lines.push({ code: c.code, label: c.label, companyProgress: c.progress, moeProgress: m.progress, companyAmount: c.amount, moeAmount: m.amount, difference: money(new D(m.amount).minus(c.amount)) });
  }
  return { lines, totals: minus(moe.thisMonth, company.thisMonth) };
}

/**
 * The balance of the final statement: what the contract owes in total (TTC less penalties) equals the
 * advance paid + the instalments paid + the balance (solde) + the retention held until the guarantee period
 * ends (art. R. 2191-35). `instalmentsPaid` = Σ of the monthly statements paid (their cumulative amount due).
 */
export function finalBalance(statement: Statement, instalmentsPaid: string) {
  const c = statement.cumulative;
  const owed = new D(c.totalWithVat).minus(c.penalties);
  const balance = new D(c.amountDue).minus(instalmentsPaid);
  const advancePaid = new D(statement.advance.amount);
  const check = advancePaid.plus(instalmentsPaid).plus(balance).plus(c.retention);
  return {
    owed: money(owed),
    advancePaid: money(advancePaid),
    instalmentsPaid: money(new D(instalmentsPaid)),
    balance: money(balance),
    retentionHeld: c.retention,
    balanced: check.eq(owed),
  };
}
