import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACTIONS, FRAMEWORKS, ROLES, STATUSES, STATUS_INFO, TRANSITIONS, VALIDATED_FRAMEWORKS, availableActions, nextStatus,
  type ActorRole, type Framework, type InvoiceAction, type InvoiceStatus,
} from '../../src/invoices/lifecycle.ts';

/**
 * The expected circuit of a standard invoice, written out by hand from chorus-pro.md §3.2–§3.3
 * (independently of the table): every (status, action, role) not listed here must be refused.
 */
const OPEN = ['MISE_A_DISPOSITION', 'COMPLETEE'];
const A1_EXPECTED: Array<[string, string, string, string]> = [
  ['BROUILLON', 'DEPOSER', 'FOURNISSEUR', 'DEPOSEE'],
  ['BROUILLON', 'SUPPRIMER', 'FOURNISSEUR', 'SUPPRIMEE'],
  ['DEPOSEE', 'ACHEMINER', 'SYSTEME', 'EN_COURS_ACHEMINEMENT'],
  ['EN_COURS_ACHEMINEMENT', 'METTRE_A_DISPOSITION', 'SYSTEME', 'MISE_A_DISPOSITION'],
  ...OPEN.map((s) => [s, 'SUSPENDRE', 'DESTINATAIRE', 'SUSPENDUE'] as [string, string, string, string]),
  ['SUSPENDUE', 'COMPLETER', 'FOURNISSEUR', 'COMPLETEE'],
  ...OPEN.map((s) => [s, 'METTRE_A_RECYCLER', 'DESTINATAIRE', 'A_RECYCLER'] as [string, string, string, string]),
  ['A_RECYCLER', 'RECYCLER', 'FOURNISSEUR', 'DEPOSEE'],
  ...[...OPEN, 'SERVICE_FAIT'].map((s) => [s, 'REJETER', 'DESTINATAIRE', 'REJETEE'] as [string, string, string, string]),
  ['REJETEE', 'TRAITER_REJET', 'FOURNISSEUR', 'REJETEE'],
  ...OPEN.map((s) => [s, 'SERVICE_FAIT', 'DESTINATAIRE', 'SERVICE_FAIT'] as [string, string, string, string]),
  ...[...OPEN, 'SERVICE_FAIT'].map((s) => [s, 'MANDATER', 'DESTINATAIRE', 'MANDATEE'] as [string, string, string, string]),
  ...[...OPEN, 'SERVICE_FAIT', 'MANDATEE'].map((s) => [s, 'METTRE_A_DISPOSITION_COMPTABLE', 'DESTINATAIRE', 'MISE_A_DISPOSITION_COMPTABLE'] as [string, string, string, string]),
  ...[...OPEN, 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE'].map((s) => [s, 'COMPTABILISER', 'DESTINATAIRE', 'COMPTABILISEE'] as [string, string, string, string]),
  ...[...OPEN, 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE', 'COMPTABILISEE'].map((s) => [s, 'METTRE_EN_PAIEMENT', 'DESTINATAIRE', 'MISE_EN_PAIEMENT'] as [string, string, string, string]),
];
const A2_EXPECTED: Array<[string, string, string, string]> = [
  ['BROUILLON', 'DEPOSER', 'FOURNISSEUR', 'DEPOSEE'],
  ['BROUILLON', 'SUPPRIMER', 'FOURNISSEUR', 'SUPPRIMEE'],
  ['DEPOSEE', 'ACHEMINER', 'SYSTEME', 'EN_COURS_ACHEMINEMENT'],
  ['EN_COURS_ACHEMINEMENT', 'METTRE_A_DISPOSITION', 'SYSTEME', 'MISE_A_DISPOSITION'],
  ['MISE_A_DISPOSITION', 'CONSTATER_DEJA_PAYEE', 'SYSTEME', 'MISE_EN_PAIEMENT'],
];
/** The standard circuits; A9 / A12 are tried in invoices-validation-circuits.test.ts. */
const EXPECTED: Partial<Record<Framework, Array<[string, string, string, string]>>> = {
  A1_FACTURE_FOURNISSEUR: A1_EXPECTED,
  A2_FACTURE_FOURNISSEUR_DEJA_PAYEE: A2_EXPECTED,
};
/** Inputs that satisfy every guard, so only the table decides. */
const FULL_INPUT = { reason: 'PIECE_JUSTIFICATIVE_MANQUANTE', mandateNumber: 'M-2026-0042' };

describe('the lifecycle table', () => {
  for (const framework of FRAMEWORKS.filter((f) => EXPECTED[f])) {
    test(`${framework}: every status × action × role is allowed exactly as the circuit says`, () => {
      const expected = new Map(EXPECTED[framework]!.map(([f, a, r, to]) => [`${f}|${a}|${r}`, to]));
      let tried = 0;
      for (const status of STATUSES)
        for (const action of ACTIONS)
          for (const role of ROLES) {
            tried++;
            const r = nextStatus({ status, framework }, action, role, FULL_INPUT);
            const want = expected.get(`${status}|${action}|${role}`);
            if (want) assert.deepEqual(r.ok && r.to, want, `${status} ${action} ${role}`);
            else {
              assert.equal(r.ok, false, `${status} ${action} ${role} must be refused`);
              if (!r.ok) {
                assert.equal(r.code, 'TRANSITION_NOT_ALLOWED');
                assert.match(r.message, /n'est pas possible/);
              }
            }
          }
      assert.equal(tried, STATUSES.length * ACTIONS.length * ROLES.length);
    });
  }

  test('an unknown framework allows nothing', () => {
    assert.equal(nextStatus({ status: 'BROUILLON', framework: 'A99_INCONNU' }, 'DEPOSER', 'FOURNISSEUR').ok, false);
  });

  test('the refusal names the action, the role and the status in French', () => {
    const r = nextStatus({ status: 'BROUILLON', framework: 'A1_FACTURE_FOURNISSEUR' }, 'SUSPENDRE', 'DESTINATAIRE', FULL_INPUT);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.message, "L'action « Suspendre » n'est pas possible pour le destinataire sur une facture au statut « Brouillon ».");
  });

  test('guards: suspending, recycling and rejecting need a reason; mandating needs a mandate number; a rejection is handled once', () => {
    const at = (status: InvoiceStatus) => ({ status, framework: 'A1_FACTURE_FOURNISSEUR' });
    for (const action of ['SUSPENDRE', 'METTRE_A_RECYCLER', 'REJETER'] as InvoiceAction[]) {
      const r = nextStatus(at('MISE_A_DISPOSITION'), action, 'DESTINATAIRE', { reason: '  ' });
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.code, 'GUARD_FAILED');
      assert.match(!r.ok ? r.message : '', /motif est obligatoire/);
    }
    const m = nextStatus(at('SERVICE_FAIT'), 'MANDATER', 'DESTINATAIRE', {});
    assert.match(!m.ok ? m.message : '', /numéro de mandat/);
    assert.equal(nextStatus({ ...at('REJETEE'), rejectHandled: true }, 'TRAITER_REJET', 'FOURNISSEUR').ok, false);
    assert.equal(nextStatus({ ...at('REJETEE'), rejectHandled: false }, 'TRAITER_REJET', 'FOURNISSEUR').ok, true);
  });

  test('every status of a standard circuit carries a label and, except draft/recycling/deleted, its 2026 reform code', () => {
    const standard = TRANSITIONS.filter((t) => !t.frameworks || t.frameworks.some((f) => (FRAMEWORKS as readonly string[]).includes(f) && !(VALIDATED_FRAMEWORKS as readonly string[]).includes(f)));
    const used = new Set(standard.flatMap((t) => [t.from, t.to]));
    for (const s of used) {
      assert.ok(STATUS_INFO[s], `label of ${s}`);
      if (!['BROUILLON', 'A_RECYCLER', 'SUPPRIMEE'].includes(s)) {
        const code = STATUS_INFO[s]!.reformCode;
        assert.ok(code !== null && code >= 200 && code <= 213, `reform code of ${s}`);
      }
    }
    assert.equal(STATUS_INFO.DEPOSEE!.reformCode, 200);
    assert.equal(STATUS_INFO.MISE_A_DISPOSITION!.reformCode, 203);
    assert.equal(STATUS_INFO.SUSPENDUE!.reformCode, 208);
    assert.equal(STATUS_INFO.COMPLETEE!.reformCode, 209);
    assert.equal(STATUS_INFO.REJETEE!.reformCode, 210);
  });

  test('the buttons offered follow the table', () => {
    assert.deepEqual(availableActions({ status: 'SUSPENDUE', framework: 'A1_FACTURE_FOURNISSEUR' }, 'FOURNISSEUR'), ['COMPLETER']);
    assert.deepEqual(availableActions({ status: 'MISE_A_DISPOSITION', framework: 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE' }, 'DESTINATAIRE' as ActorRole), []);
    assert.ok(availableActions({ status: 'MISE_A_DISPOSITION', framework: 'A1_FACTURE_FOURNISSEUR' }, 'DESTINATAIRE').includes('SERVICE_FAIT'));
  });

  test('the Chorus Pro enumeration of chorus-pro.md §3.1 is complete (57 statuses, no duplicate)', () => {
    assert.equal(new Set(STATUSES).size, STATUSES.length);
    assert.equal(STATUSES.length, 57);
  });
});

describe('plainRouting: the routing a deposit may take in its own transaction', async () => {
  const { plainRouting } = await import('../../src/invoices/submit-invoice.ts');
  const { WORKS_FRAMEWORKS } = await import('../../src/invoices/works-circuits.ts');
  test('A1: ACHEMINER then METTRE_A_DISPOSITION, ending MISE_A_DISPOSITION', () => {
    assert.deepEqual(plainRouting('A1_FACTURE_FOURNISSEUR'), { actions: ['ACHEMINER', 'METTRE_A_DISPOSITION'], to: 'MISE_A_DISPOSITION' });
  });
  test('every other circuit keeps its routing job: a step with effects of its own (A2), a validation circuit (A9, A12), every works piece (routed by the works module, even those going to the buyer as A1 does)', () => {
    for (const framework of [...FRAMEWORKS.filter((f) => f !== 'A1_FACTURE_FOURNISSEUR'), ...WORKS_FRAMEWORKS, 'UNKNOWN']) assert.equal(plainRouting(framework), null, framework);
  });
});
