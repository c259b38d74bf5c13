import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEADLINES, contractDeadlines, deadlineState, dueDay, frenchHolidays, isWorkingDay } from '../../src/works/index.ts';

test('French public holidays of 2026 (Easter on 5 April)', () => {
  assert.deepEqual(frenchHolidays(2026), ['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25']);
  assert.ok(frenchHolidays(2027).includes('2027-03-29')); // Easter Monday 2027
  assert.equal(isWorkingDay('2026-11-30'), true);
  assert.equal(isWorkingDay('2026-11-29'), false); // Sunday
  assert.equal(isWorkingDay('2026-11-11'), false);
});

test('a deadline counts calendar days from the day after, and moves off weekends and holidays', () => {
  assert.equal(dueDay('2026-03-02', 7), '2026-03-09'); // Monday + 7 = Monday
  assert.equal(dueDay('2026-03-06', 7), '2026-03-13'); // Friday + 7 = Friday
  assert.equal(dueDay('2026-03-07', 7), '2026-03-16'); // Saturday + 7 = Saturday → Monday
  assert.equal(dueDay('2026-04-29', 7), '2026-05-06'); // Wednesday + 7 = Wednesday
  assert.equal(dueDay('2026-05-01', 7), '2026-05-11'); // → Friday 8 May (holiday) → Monday 11
  assert.equal(dueDay('2026-12-20', 30), '2027-01-19');
  // The start is the Paris day of the instant: 23:30 UTC on 1 March is already 2 March in Paris.
  assert.equal(dueDay(new Date('2026-03-01T23:30:00Z'), 7), '2026-03-09');
});

test('the state of a deadline: days left, late the day after the due day', () => {
  const start = new Date('2026-03-02T09:00:00+01:00');
  assert.deepEqual(deadlineState(start, 7, new Date('2026-03-05T12:00:00+01:00')), { dueDay: '2026-03-09', daysLeft: 4, late: false });
  assert.deepEqual(deadlineState(start, 7, new Date('2026-03-09T23:59:00+01:00')), { dueDay: '2026-03-09', daysLeft: 0, late: false });
  assert.deepEqual(deadlineState(start, 7, new Date('2026-03-10T00:01:00+01:00')), { dueDay: '2026-03-09', daysLeft: -1, late: true });
});

test('deadlines are configuration: CCAG defaults, changed per contract, bad values refused in French', () => {
  assert.equal(DEFAULT_DEADLINES.MOE_ETAT_ACOMPTE, 7);
  assert.equal(DEFAULT_DEADLINES.PAIEMENT, 30);
  assert.equal(DEFAULT_DEADLINES.MOA_DG_APRES_PROCEDURE_TACITE, 10);
  const { deadlines, errors } = contractDeadlines({ PAIEMENT: 50, MOE_ETAT_ACOMPTE: '10' });
  assert.deepEqual(errors, {});
  assert.equal(deadlines.PAIEMENT, 50);
  assert.equal(deadlines.MOE_ETAT_ACOMPTE, 10);
  assert.equal(deadlines.TITULAIRE_SIGNATURE_DG, 30);
  const bad = contractDeadlines({ PAIEMENT: 0, FOO: 3, MOA_VALIDATION: 2.5 });
  assert.match(bad.errors['deadlines.PAIEMENT'], /entre 1 et 365/);
  assert.match(bad.errors['deadlines.FOO'], /inconnu/);
  assert.ok(bad.errors['deadlines.MOA_VALIDATION']);
});
