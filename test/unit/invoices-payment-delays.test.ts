import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, clockOf, delayDaysOf, ecbRateFor, lateCompensation, startOfParisDay, suspensionsOf } from '../../src/invoices/payment-delays.ts';

const RATES = [
  { validFrom: '2025-01-01', rate: '3.150' },
  { validFrom: '2025-07-01', rate: '2.150' },
  { validFrom: '2026-01-01', rate: '2.400' },
];

describe('payment delays and late-payment compensation', () => {
  test('the legal delay: 30 days for the State and local authorities, 50 for public hospitals, a shorter own delay wins', () => {
    assert.equal(delayDaysOf(null), 30);
    assert.equal(delayDaysOf({ payer_category: 'ETAT', delay_days: null }), 30);
    assert.equal(delayDaysOf({ payer_category: 'ETABLISSEMENT_PUBLIC_SANTE', delay_days: null }), 50);
    assert.equal(delayDaysOf({ payer_category: 'COLLECTIVITE_TERRITORIALE', delay_days: 20 }), 20);
    assert.equal(delayDaysOf({ payer_category: 'COLLECTIVITE_TERRITORIALE', delay_days: 45 }), 30, 'never longer than the law');
  });

  test('the clock runs from the deposit; a suspension stops it and pushes the due date back', () => {
    const base = { startedOn: '2026-11-28', delayDays: 30 };
    assert.deepEqual(clockOf({ ...base, suspensions: [], today: '2026-12-10' }), { startedOn: '2026-11-28', delayDays: 30, suspendedDays: 0, dueOn: '2026-12-28', state: 'EN_COURS', daysLeft: 18, daysLate: 0 });
    const suspended = clockOf({ ...base, suspensions: [{ from: '2026-12-01', to: null }], today: '2026-12-04' });
    assert.equal(suspended.state, 'SUSPENDU');
    assert.equal(suspended.suspendedDays, 3);
    assert.equal(suspended.daysLeft, 27, 'days stop while suspended');
    const resumed = clockOf({ ...base, suspensions: [{ from: '2026-12-01', to: '2026-12-06' }], today: '2026-12-10' });
    assert.equal(resumed.dueOn, '2027-01-02');
    assert.equal(resumed.daysLeft, 23);
    const late = clockOf({ ...base, suspensions: [], today: '2026-12-30' });
    assert.deepEqual([late.state, late.daysLate, late.daysLeft], ['DEPASSE', 2, null]);
    assert.deepEqual([clockOf({ ...base, suspensions: [], today: '2027-02-01', paidOn: '2026-12-28' }).state], ['PAYE']);
    const paidLate = clockOf({ ...base, suspensions: [], today: '2027-02-01', paidOn: '2027-01-10' });
    assert.deepEqual([paidLate.state, paidLate.daysLate], ['PAYE_EN_RETARD', 13]);
    assert.equal(clockOf({ ...base, suspensions: [], today: '2027-02-01', stoppedOn: '2026-12-05' }).state, 'ARRETE');
  });

  test('suspensions are read from the path (Europe/Paris days)', () => {
    const t = (toStatus: string, fromStatus: string, iso: string) => ({ type: 'TRANSITION', toStatus, fromStatus, createdAt: new Date(iso) });
    assert.deepEqual(suspensionsOf([
      t('MISE_A_DISPOSITION', 'EN_COURS_ACHEMINEMENT', '2026-11-28T09:00:00Z'),
      t('SUSPENDUE', 'MISE_A_DISPOSITION', '2026-11-30T23:30:00Z'),
      { type: 'PIECE_JOINTE', toStatus: 'SUSPENDUE', fromStatus: 'SUSPENDUE', createdAt: new Date('2026-12-02T10:00:00Z') },
      t('COMPLETEE', 'SUSPENDUE', '2026-12-05T10:00:00Z'),
      t('SUSPENDUE', 'COMPLETEE', '2026-12-10T10:00:00Z'),
    ]), [{ from: '2026-12-01', to: '2026-12-05' }, { from: '2026-12-10', to: null }]);
  });

  test('interest = amount × (ECB rate of the half-year interest starts in + 8 points) × days / 365, to the cent, plus 40 €', () => {
    // 12 000 € paid 30 days late; interest runs from 2026-12-29: rate of 2026-07-01 → 2.400 (the 2026-01-01 row).
    const c = lateCompensation('12000.00', '2026-12-28', '2027-01-27', RATES)!;
    assert.deepEqual(c, { daysLate: 30, ecbRate: '2.400', interestRate: '10.400', interest: '102.58', indemnity: '40.00', total: '142.58' });
    // 12000 × 0.104 × 30 / 365 = 102.5753… → 102.58 (half-up, exact decimals)
    assert.equal(lateCompensation('12000.00', '2026-12-28', '2026-12-28', RATES), null, 'paid on the due date: nothing owed');
    assert.equal(lateCompensation('0.05', '2026-12-28', '2026-12-29', RATES)!.interest, '0.00');
    assert.equal(ecbRateFor('2025-06-30', RATES), '3.150');
    assert.equal(ecbRateFor('2025-07-01', RATES), '2.150');
    assert.equal(ecbRateFor('2024-12-31', RATES), null);
  });

  test('days are calendar days in Europe/Paris; the job is armed at local midnight', () => {
    assert.equal(addDays('2026-02-27', 2), '2026-03-01');
    assert.equal(startOfParisDay('2026-12-29').toISOString(), '2026-12-28T23:00:00.000Z');
    assert.equal(startOfParisDay('2026-07-01').toISOString(), '2026-06-30T22:00:00.000Z');
    assert.equal(startOfParisDay('2026-03-29').toISOString(), '2026-03-28T23:00:00.000Z', 'the day summer time starts');
  });
});
