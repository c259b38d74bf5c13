import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  advanceAmount, advanceRepayment, compareStatements, computeStatement, contractAmount, delayPenalty, finalBalance, revisionCoefficient,
  type IndexSeries, type MonthEntry, type Statement, type WorksTerms,
} from '../../src/works/index.ts';
import { WORKED_EXAMPLE_INDEXES_MAY, WORKED_EXAMPLE_TERMS } from '../../src/demo/works-example.ts';

/**
 * The worked example of docs/works.md § « Exemple chiffré », reproduced figure by figure. The expected
 * figures were computed by hand (and cross-checked by an independent script), not taken from the engine.
 */
const TERMS: WorksTerms = WORKED_EXAMPLE_TERMS;
const KNOWN_IN_MAY: IndexSeries = WORKED_EXAMPLE_INDEXES_MAY;
const KNOWN_IN_JULY: IndexSeries = { BT01: { ...KNOWN_IN_MAY.BT01, '2026-05': '132.9', '2026-06': '133.4' } };
const M1: MonthEntry = { month: '2026-03', progress: { '01': '50', '02': '600' } };
const M2: MonthEntry = { month: '2026-04', progress: { '01': '100', '02': '850', '03': '80', '04': '20' } };
const M3_COMPANY: MonthEntry = { month: '2026-05', progress: { '01': '100', '02': '850', '03': '120', '04': '40' } };
const M3_MOE: MonthEntry = { month: '2026-05', progress: { '01': '100', '02': '850', '03': '120', '04': '30' }, penalties: [{ label: 'Retard de remise des plans d’exécution', amount: '200.00' }] };
const M4: MonthEntry = { month: '2026-06', progress: { '01': '100', '02': '870', '03': '118', '04': '100' }, penalties: [{ label: 'Retard de 3 jours sur le délai d’exécution', amount: '100.60' }] };

const ok = (r: ReturnType<typeof computeStatement>): Statement => {
  if (!r.ok) assert.fail(JSON.stringify(r.errors));
  return r.statement;
};

describe('the décompte engine on the worked example', () => {
  test('the contract: 100 600,00 € HT, advance 5 % of 120 720,00 € TTC over 10 months = 6 036,00 €', () => {
    assert.equal(contractAmount(TERMS), '100600.00');
    assert.equal(advanceAmount('120720.00', '5', 10), '6036.00');
    assert.equal(advanceAmount('120720.00', '5', 24), '3018.00');
  });

  test('month 1 (March 2026): 17 040,00 of works, C = 1,009, acompte 19 600,43', () => {
    const s = ok(computeStatement({ terms: TERMS, months: [M1], indexes: KNOWN_IN_MAY }));
    assert.deepEqual(s.lines.map((l) => l.amount), ['6000.00', '11040.00', '0.00', '0.00']);
    assert.deepEqual(s.revisionMonths, [{ month: '2026-03', base: '17040.00', coefficient: '1.009', provisional: false, indexMonths: { BT01: '2026-03' }, amount: '153.36' }]);
    assert.deepEqual(s.cumulative, {
      works: '17040.00', revision: '153.36', totalWithoutVat: '17193.36', vat: '3438.67', totalWithVat: '20632.03',
      advanceRepayment: '0.00', retention: '1031.60', penalties: '0.00', amountDue: '19600.43',
    });
    assert.equal(s.thisMonth.amountDue, '19600.43');
  });

  test('month 2 (April 2026): 55 980,00 cumulated, C = 1,013, still under 65 %: no repayment, acompte 44 968,69', () => {
    const s = ok(computeStatement({ terms: TERMS, months: [M1, M2], indexes: KNOWN_IN_MAY }));
    assert.deepEqual(s.lines.map((l) => [l.previousAmount, l.amount, l.monthAmount]), [
      ['6000.00', '12000.00', '6000.00'], ['11040.00', '15640.00', '4600.00'], ['0.00', '19640.00', '19640.00'], ['0.00', '8700.00', '8700.00'],
    ]);
    assert.equal(s.revisionMonths[1].coefficient, '1.013');
    assert.equal(s.revisionMonths[1].amount, '506.22');
    assert.deepEqual(s.cumulative, {
      works: '55980.00', revision: '659.58', totalWithoutVat: '56639.58', vat: '11327.92', totalWithVat: '67967.50',
      advanceRepayment: '0.00', retention: '3398.38', penalties: '0.00', amountDue: '64569.12',
    });
    assert.equal(s.previous.amountDue, '19600.43');
    assert.equal(s.thisMonth.amountDue, '44968.69');
    assert.equal(s.thisMonth.works, '38940.00');
  });

  test('month 3, the company’s projet: May index not published (provisional), 74 % executed: advance repaid linearly (3 644,00), acompte 17 743,27', () => {
    const s = ok(computeStatement({ terms: TERMS, months: [M1, M2, M3_COMPANY], indexes: KNOWN_IN_MAY }));
    const may = s.revisionMonths[2];
    assert.deepEqual([may.coefficient, may.provisional, may.indexMonths.BT01, may.amount], ['1.013', true, '2026-04', '240.76']);
    assert.equal(s.cumulative.advanceRepayment, '3644.00');
    assert.equal(s.cumulative.totalWithVat, '90480.41');
    assert.equal(s.cumulative.retention, '4524.02');
    assert.equal(s.cumulative.amountDue, '82312.39');
    assert.equal(s.thisMonth.amountDue, '17743.27');
    assert.deepEqual(s.advance, { amount: '6036.00', repaid: '3644.00', remaining: '2392.00' });
    assert.ok(s.warnings.some((w) => /provisoire/.test(w) && /2026-05/.test(w)));
  });

  test('month 3, the MOE’s état d’acompte: façade at 30 % instead of 40 % and a 200,00 penalty; differences line by line', () => {
    const company = ok(computeStatement({ terms: TERMS, months: [M1, M2, M3_COMPANY], indexes: KNOWN_IN_MAY }));
    const moe = ok(computeStatement({ terms: TERMS, months: [M1, M2, M3_MOE], indexes: KNOWN_IN_MAY }));
    assert.deepEqual(moe.cumulative, {
      works: '70150.00', revision: '843.79', totalWithoutVat: '70993.79', vat: '14198.76', totalWithVat: '85192.55',
      advanceRepayment: '1904.00', retention: '4259.63', penalties: '200.00', amountDue: '78828.92',
    });
    assert.equal(moe.thisMonth.amountDue, '14259.80');
    const diff = compareStatements(company, moe);
    assert.deepEqual(diff.lines, [{ code: '04', label: 'Maçonnerie de façade', companyProgress: '40', moeProgress: '30', companyAmount: '17400.00', moeAmount: '13050.00', difference: '-4350.00' }]);
    assert.equal(diff.totals.works, '-4350.00');
    assert.equal(diff.totals.penalties, '200.00');
    assert.equal(diff.totals.amountDue, '-3483.47');
  });

  test('final statement (June 2026): definitive May index corrects the provisional revision, advance repaid in full, and everything balances', () => {
    const accepted = ok(computeStatement({ terms: TERMS, months: [M1, M2, M3_MOE], indexes: KNOWN_IN_MAY })).cumulative;
    const s = ok(computeStatement({ terms: TERMS, months: [M1, M2, M3_MOE, M4], indexes: KNOWN_IN_JULY, previous: accepted, final: true }));
    assert.deepEqual(s.lines.map((l) => l.amount), ['12000.00', '16008.00', '28969.00', '43500.00']);
    assert.deepEqual(s.revisionMonths.map((r) => [r.month, r.coefficient, r.provisional, r.amount]), [
      ['2026-03', '1.009', false, '153.36'], ['2026-04', '1.013', false, '506.22'], ['2026-05', '1.018', false, '255.06'], ['2026-06', '1.021', false, '636.87'],
    ]);
    assert.deepEqual(s.cumulative, {
      works: '100477.00', revision: '1551.51', totalWithoutVat: '102028.51', vat: '20405.70', totalWithVat: '122434.21',
      advanceRepayment: '6036.00', retention: '6121.71', penalties: '300.60', amountDue: '109975.90',
    });
    // The May correction (255,06 − 184,21 = 70,85) is in this statement's revision.
    assert.equal(s.thisMonth.revision, '707.72');
    assert.ok(s.lines.find((l) => l.code === '02')!.overrun);
    const b = finalBalance(s, '78828.92');
    assert.deepEqual(b, { owed: '122133.61', advancePaid: '6036.00', instalmentsPaid: '78828.92', balance: '31146.98', retentionHeld: '6121.71', balanced: true });
  });
});

describe('the engine’s rules one by one', () => {
  test('the coefficient: rounded up to the thousandth (or to the nearest), with the last known index when missing', () => {
    const f = { fixedPart: '0.15', terms: [{ index: 'BT01', weight: '0.85', baseValue: '130.2' }], decimals: 3, rounding: 'UP' as const };
    assert.deepEqual(revisionCoefficient(f, KNOWN_IN_MAY, '2026-03'), { coefficient: '1.009', provisional: false, indexMonths: { BT01: '2026-03' } });
    assert.equal((revisionCoefficient({ ...f, rounding: 'HALF_UP' }, KNOWN_IN_MAY, '2026-03') as { coefficient: string }).coefficient, '1.008');
    assert.deepEqual(revisionCoefficient(f, KNOWN_IN_MAY, '2026-07'), { coefficient: '1.013', provisional: true, indexMonths: { BT01: '2026-04' } });
    assert.match((revisionCoefficient(f, KNOWN_IN_MAY, '2025-12') as { error: string }).error, /BT01 n'a aucune valeur/);
    // Two indexes: 0.125 + 0.5 × 110/100 + 0.375 × 90/100 = 1.0125 → 1.013 (up) / 1.013 (half up).
    const two = { fixedPart: '0.125', terms: [{ index: 'A', weight: '0.5', baseValue: '100' }, { index: 'B', weight: '0.375', baseValue: '100' }], decimals: 3, rounding: 'HALF_UP' as const };
    assert.equal((revisionCoefficient(two, { A: { '2026-01': '110' }, B: { '2026-01': '90' } }, '2026-01') as { coefficient: string }).coefficient, '1.013');
  });

  test('the advance: nothing until 65 %, linear to 80 %, all of it after (R. 2191-11), all of it at the final statement', () => {
    assert.equal(advanceRepayment(TERMS, '65390.00'), '0.00');
    assert.equal(advanceRepayment(TERMS, '65390.01'), '0.00');
    assert.equal(advanceRepayment(TERMS, '72935.00'), '3018.00');
    assert.equal(advanceRepayment(TERMS, '80480.00'), '6036.00');
    assert.equal(advanceRepayment(TERMS, '90000.00'), '6036.00');
    assert.equal(advanceRepayment(TERMS, '10.00', true), '6036.00');
    assert.equal(advanceRepayment({ ...TERMS, advance: null }, '90000.00'), '0.00');
  });

  test('a bank guarantee replaces the retention; no advance; VAT at 10 %', () => {
    const s = ok(computeStatement({ terms: { ...TERMS, advance: null, revision: null, vatRate: '10', retention: { ratePercent: '5', replacedByGuarantee: true } }, months: [M1] }));
    assert.deepEqual(s.cumulative, {
      works: '17040.00', revision: '0.00', totalWithoutVat: '17040.00', vat: '1704.00', totalWithVat: '18744.00',
      advanceRepayment: '0.00', retention: '0.00', penalties: '0.00', amountDue: '18744.00',
    });
  });

  test('delay penalties: 1/3000 of the amount HT per day', () => {
    assert.equal(delayPenalty('100600.00', 3), '100.60');
    assert.equal(delayPenalty('100600.00', 1), '33.53');
    assert.equal(delayPenalty('100600.00', 0), '0.00');
    assert.equal(delayPenalty('90000', 10, 1000), '900.00');
  });

  test('a negative statement is flagged; a falling progress is flagged', () => {
    const s = ok(computeStatement({ terms: { ...TERMS, revision: null }, months: [M2, { month: '2026-05', progress: { '01': '100', '02': '850', '03': '80', '04': '10' } }] }));
    assert.equal(s.thisMonth.works, '-4350.00');
    assert.ok(s.thisMonth.amountDue.startsWith("-"));
    assert.ok(s.warnings.some((w) => /négatif/.test(w)));
    assert.ok(s.warnings.some((w) => /Prix 04 : l'avancement cumulé baisse/.test(w)));
  });

  test('bad terms and bad progress give French messages, never an exception', () => {
    const r = computeStatement({
      terms: { ...TERMS, vatRate: 'abc', retention: { ratePercent: '7' }, revision: { ...TERMS.revision!, fixedPart: '0.2' }, priceSchedule: [...TERMS.priceSchedule, { code: '01', label: '', kind: 'FORFAIT', quantity: '0', unitPrice: '-1' }] },
      months: [{ month: '2026-13', progress: { '01': '120', '99': '1', '02': '-3' } }],
    });
    assert.equal(r.ok, false);
    const e = !r.ok ? r.errors : {};
    assert.match(e.vatRate, /taux de TVA/);
    assert.match(e['retention.ratePercent'], /5 %/);
    assert.match(e['revision.fixedPart'], /totaliser 1/);
    assert.match(e['priceSchedule.4.code'], /en double/);
    assert.match(e['priceSchedule.4.quantity'], /positif/);
    assert.match(e['months.0.month'], /AAAA-MM/);
    assert.match(e['progress.01'], /100 %/);
    assert.match(e['progress.99'], /n'existe pas/);
    assert.match(e['progress.02'], /positif/);
    const missing = computeStatement({ terms: TERMS, months: [M1], indexes: {} });
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.errors.indexes : '', /BT01/);
  });
});
