import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, ROLES, STATUSES, STATUS_INFO, VALIDATED_FRAMEWORKS, availableActions, nextStatus, type InvoiceFacts } from '../../src/invoices/lifecycle.ts';

/**
 * The validation circuits of subcontractors' (A9) and co-contractors' (A12) invoices, written out by hand from
 * chorus-pro.md §2.7 and issue 7, independently of the table. Every (status, action, role) is tried, for an
 * invoice with one validation level and for one with two; a row is either allowed (its target status), refused
 * by a guard (the table has the row but the invoice's facts forbid it), or not in the table at all.
 */
type Row = [from: string, action: string, role: string, to: string];
const OPEN = ['MISE_A_DISPOSITION', 'COMPLETEE'];
const STANDARD: Row[] = [
  ['BROUILLON', 'DEPOSER', 'FOURNISSEUR', 'DEPOSEE'],
  ['BROUILLON', 'SUPPRIMER', 'FOURNISSEUR', 'SUPPRIMEE'],
  ['DEPOSEE', 'ACHEMINER', 'SYSTEME', 'EN_COURS_ACHEMINEMENT'],
  ['EN_COURS_ACHEMINEMENT', 'METTRE_A_DISPOSITION', 'SYSTEME', 'MISE_A_DISPOSITION'],
  ...OPEN.map((s): Row => [s, 'SUSPENDRE', 'DESTINATAIRE', 'SUSPENDUE']),
  ['SUSPENDUE', 'COMPLETER', 'FOURNISSEUR', 'COMPLETEE'],
  ...OPEN.map((s): Row => [s, 'METTRE_A_RECYCLER', 'DESTINATAIRE', 'A_RECYCLER']),
  ['A_RECYCLER', 'RECYCLER', 'FOURNISSEUR', 'DEPOSEE'],
  ...[...OPEN, 'SERVICE_FAIT'].map((s): Row => [s, 'REJETER', 'DESTINATAIRE', 'REJETEE']),
  ['REJETEE', 'TRAITER_REJET', 'FOURNISSEUR', 'REJETEE'],
  ...OPEN.map((s): Row => [s, 'SERVICE_FAIT', 'DESTINATAIRE', 'SERVICE_FAIT']),
  ...[...OPEN, 'SERVICE_FAIT'].map((s): Row => [s, 'MANDATER', 'DESTINATAIRE', 'MANDATEE']),
  ...[...OPEN, 'SERVICE_FAIT', 'MANDATEE'].map((s): Row => [s, 'METTRE_A_DISPOSITION_COMPTABLE', 'DESTINATAIRE', 'MISE_A_DISPOSITION_COMPTABLE']),
  ...[...OPEN, 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE'].map((s): Row => [s, 'COMPTABILISER', 'DESTINATAIRE', 'COMPTABILISEE']),
  ...[...OPEN, 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE', 'COMPTABILISEE'].map((s): Row => [s, 'METTRE_EN_PAIEMENT', 'DESTINATAIRE', 'MISE_EN_PAIEMENT']),
];
const LEVEL_1: Row[] = [
  ['DEPOSEE', 'SOUMETTRE_VALIDATION', 'SYSTEME', 'A_VALIDER_1'],
  ['A_VALIDER_1', 'VALIDER', 'VALIDEUR_1', 'VALIDEE_1'],
  ['A_VALIDER_1', 'REFUSER_VALIDATION', 'VALIDEUR_1', 'REFUSEE_1'],
  ['A_VALIDER_1', 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', 'ABSENCE_VALIDATION_1_HORS_DELAI'],
  ['A_VALIDER_1', 'SIGNALER_ERREUR_VALIDEUR', 'VALIDEUR_1', 'ERREUR_FOURNISSEUR_SUR_VALIDEUR'],
  ['A_VALIDER_1', 'CORRIGER_VALIDEUR', 'FOURNISSEUR', 'A_VALIDER_1'],
  ['ERREUR_FOURNISSEUR_SUR_VALIDEUR', 'CORRIGER_VALIDEUR', 'FOURNISSEUR', 'A_VALIDER_1'],
];
const TO_SECOND_LEVEL: Row[] = [
  ['VALIDEE_1', 'SOUMETTRE_VALIDATION', 'SYSTEME', 'A_VALIDER_2'],
  ['ABSENCE_VALIDATION_1_HORS_DELAI', 'SOUMETTRE_VALIDATION', 'SYSTEME', 'A_VALIDER_2'],
];
const LEVEL_2: Row[] = [
  ['A_VALIDER_2', 'VALIDER', 'VALIDEUR_2', 'VALIDEE_2'],
  ['A_VALIDER_2', 'REFUSER_VALIDATION', 'VALIDEUR_2', 'REFUSEE_2'],
  ['A_VALIDER_2', 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', 'ABSENCE_VALIDATION_2_HORS_DELAI'],
  ['VALIDEE_2', 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE'],
  ['ABSENCE_VALIDATION_2_HORS_DELAI', 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE'],
];
const TRANSMIT_AFTER_ONE: Row[] = [
  ['VALIDEE_1', 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE'],
  ['ABSENCE_VALIDATION_1_HORS_DELAI', 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE'],
];

const due = new Date('2026-12-15T09:00:00Z');
/** Inputs that satisfy every input guard (reason, mandate number, deadline passed). */
const FULL_INPUT = { reason: 'PRESTATIONS_NON_REALISEES', mandateNumber: 'M-1', at: new Date('2026-12-16T09:00:00Z') };
const key = (r: { 0: string; 1: string; 2: string }) => `${r[0]}|${r[1]}|${r[2]}`;

function tryAll(framework: string, facts: Omit<InvoiceFacts, 'status' | 'framework'>, allowed: Row[], guarded: Row[]) {
  const want = new Map(allowed.map((r) => [key(r), r[3]]));
  const guard = new Set(guarded.map(key));
  let tried = 0;
  for (const status of STATUSES)
    for (const action of ACTIONS)
      for (const role of ROLES) {
        tried++;
        const k = `${status}|${action}|${role}`;
        const r = nextStatus({ status, framework, ...facts }, action, role, FULL_INPUT);
        if (want.has(k)) assert.equal(r.ok && r.to, want.get(k), `${k} must lead to ${want.get(k)}`);
        else {
          assert.equal(r.ok, false, `${k} must be refused`);
          assert.equal(!r.ok && r.code, guard.has(k) ? 'GUARD_FAILED' : 'TRANSITION_NOT_ALLOWED', k);
        }
      }
  assert.equal(tried, STATUSES.length * ACTIONS.length * ROLES.length);
}

describe('validation circuits (A9, A12) in the lifecycle table', () => {
  for (const framework of VALIDATED_FRAMEWORKS) {
    test(`${framework}, one level: every status × action × role`, () => {
      tryAll(framework, { validationLevels: 1, validationDone: false, validationDueAt: due }, [...STANDARD, ...LEVEL_1, ...TRANSMIT_AFTER_ONE, ...LEVEL_2], TO_SECOND_LEVEL);
    });
    test(`${framework}, two levels: every status × action × role`, () => {
      tryAll(framework, { validationLevels: 2, validationDone: false, validationDueAt: due }, [...STANDARD, ...LEVEL_1, ...TO_SECOND_LEVEL, ...LEVEL_2], TRANSMIT_AFTER_ONE);
    });
    test(`${framework}, validation done (a recycled invoice is routed again): no second submission to the validator`, () => {
      tryAll(framework, { validationLevels: 1, validationDone: true, validationDueAt: null },
        [...STANDARD, ...LEVEL_1.slice(1).filter((r) => r[1] !== 'CONSTATER_ABSENCE_VALIDATION'), ...TRANSMIT_AFTER_ONE, ...LEVEL_2.filter((r) => r[1] !== 'CONSTATER_ABSENCE_VALIDATION')],
        [LEVEL_1[0], ...TO_SECOND_LEVEL, ['A_VALIDER_1', 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', ''], ['A_VALIDER_2', 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', '']]);
    });
  }

  test('tacit validation only once the deadline instant is reached', () => {
    const facts = { status: 'A_VALIDER_1', framework: 'A9_FACTURE_SOUSTRAITANT', validationLevels: 1, validationDueAt: due };
    const before = nextStatus(facts, 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', { at: new Date(due.getTime() - 1) });
    assert.equal(before.ok, false);
    assert.match(!before.ok ? before.message : '', /délai de validation n'est pas expiré/);
    assert.equal(nextStatus(facts, 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', { at: due }).ok, true);
    assert.equal(nextStatus({ ...facts, validationDueAt: null }, 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', { at: due }).ok, false);
  });

  test('a refusal needs a reason; the validator of one level cannot act on the other', () => {
    const facts = { status: 'A_VALIDER_1', framework: 'A12_FACTURE_COTRAITANT', validationLevels: 2 };
    const r = nextStatus(facts, 'REFUSER_VALIDATION', 'VALIDEUR_1', { reason: ' ' });
    assert.equal(!r.ok && r.code, 'GUARD_FAILED');
    assert.equal(nextStatus(facts, 'VALIDER', 'VALIDEUR_2').ok, false);
    assert.equal(nextStatus({ ...facts, status: 'A_VALIDER_2' }, 'VALIDER', 'VALIDEUR_1').ok, false);
    assert.deepEqual(availableActions(facts, 'VALIDEUR_1'), ['VALIDER', 'REFUSER_VALIDATION', 'SIGNALER_ERREUR_VALIDEUR']);
    assert.deepEqual(availableActions(facts, 'FOURNISSEUR'), ['CORRIGER_VALIDEUR']);
  });

  test('actions and roles are listed once (circuits added side by side do not collide)', () => {
    assert.equal(new Set(ACTIONS).size, ACTIONS.length);
    assert.equal(new Set(ROLES).size, ROLES.length);
  });

  test('every status of the validation circuits has a French label', () => {
    for (const s of ['A_VALIDER_1', 'VALIDEE_1', 'REFUSEE_1', 'ABSENCE_VALIDATION_1_HORS_DELAI', 'A_VALIDER_2', 'VALIDEE_2', 'REFUSEE_2', 'ABSENCE_VALIDATION_2_HORS_DELAI', 'ERREUR_FOURNISSEUR_SUR_VALIDEUR'] as const)
      assert.ok(STATUS_INFO[s]?.label, s);
  });
});
