import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, ROLES, STATUSES, STATUS_INFO, availableActions, circuitOf, nextStatus, statusLabel } from '../../src/invoices/lifecycle.ts';
import { WORKS_FRAMEWORKS, WORKS_FRAMEWORK_INFO, isWorksFramework, worksFrameworkByCode, type WorksFramework } from '../../src/invoices/works-circuits.ts';

/**
 * The works circuits of docs/works.md §2, written out by hand (independently of the table): for every works
 * framework, every status × action × role not listed here must be refused.
 */
type Row = [string, string, string, string];
const draft = (depositor: string): Row[] => [['BROUILLON', 'DEPOSER', depositor, 'DEPOSEE'], ['BROUILLON', 'SUPPRIMER', depositor, 'SUPPRIMEE']];
const MOE_OPEN = ['MISE_A_DISPOSITION_MOE', 'PRISE_EN_COMPTE_MOE'];
const MOA_OPEN = ['MISE_A_DISPOSITION_MOA', 'PRISE_EN_COMPTE_MOA'];

const toMoe = (final: boolean): Row[] => [
  ...draft('FOURNISSEUR'),
  ['DEPOSEE', 'TRANSMETTRE_MOE', 'SYSTEME', 'A_ASSOCIER_MOE'],
  ['A_ASSOCIER_MOE', 'METTRE_A_DISPOSITION_MOE', 'SYSTEME', 'MISE_A_DISPOSITION_MOE'],
  ['MISE_A_DISPOSITION_MOE', 'PRENDRE_EN_COMPTE', 'MOE', 'PRISE_EN_COMPTE_MOE'],
  ['MISE_A_DISPOSITION_MOE', 'REFUSER', 'MOE', 'REFUSEE_MOE'],
  ['PRISE_EN_COMPTE_MOE', 'REFUSER', 'MOE', 'REFUSEE_MOE'],
  ['MISE_A_DISPOSITION_MOE', 'CONSTATER_ABSENCE_VALIDATION_MOE', 'SYSTEME', 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE'],
  ['PRISE_EN_COMPTE_MOE', 'CONSTATER_ABSENCE_VALIDATION_MOE', 'SYSTEME', 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE'],
  ['A_ASSOCIER_MOE', 'ASSOCIER', 'SYSTEME', 'ASSOCIEE'],
  ['MISE_A_DISPOSITION_MOE', 'ASSOCIER', 'SYSTEME', 'ASSOCIEE'],
  ['PRISE_EN_COMPTE_MOE', 'ASSOCIER', 'SYSTEME', 'ASSOCIEE'],
  ['ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE', 'ASSOCIER', 'SYSTEME', 'ASSOCIEE'],
  ['REFUSEE_MOE', 'DUPLIQUER', 'FOURNISSEUR', 'DUPLIQUE_APRES_REFUS'],
  ...(final
    ? (['A_ASSOCIER_MOE', ...MOE_OPEN, 'ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE'].map((s) => [s, 'REMPLACER_PAR_A22', 'SYSTEME', 'REMPLACEE_PAR_A22']) as Row[])
    : []),
];
/** A subcontractor's projets (A10, A11): first the validation levels of an A9 (the titulaire; then the mandataire for a co-contractor's subcontractor). */
const validation: Row[] = [
  ['DEPOSEE', 'SOUMETTRE_VALIDATION', 'SYSTEME', 'A_VALIDER_1'],
  ['A_VALIDER_1', 'VALIDER', 'VALIDEUR_1', 'VALIDEE_1'],
  ['A_VALIDER_1', 'REFUSER_VALIDATION', 'VALIDEUR_1', 'REFUSEE_1'],
  ['A_VALIDER_1', 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', 'ABSENCE_VALIDATION_1_HORS_DELAI'],
  ['A_VALIDER_1', 'SIGNALER_ERREUR_VALIDEUR', 'VALIDEUR_1', 'ERREUR_FOURNISSEUR_SUR_VALIDEUR'],
  ['A_VALIDER_1', 'CORRIGER_VALIDEUR', 'FOURNISSEUR', 'A_VALIDER_1'],
  ['ERREUR_FOURNISSEUR_SUR_VALIDEUR', 'CORRIGER_VALIDEUR', 'FOURNISSEUR', 'A_VALIDER_1'],
  ['VALIDEE_1', 'SOUMETTRE_VALIDATION', 'SYSTEME', 'A_VALIDER_2'],
  ['ABSENCE_VALIDATION_1_HORS_DELAI', 'SOUMETTRE_VALIDATION', 'SYSTEME', 'A_VALIDER_2'],
  ['A_VALIDER_2', 'VALIDER', 'VALIDEUR_2', 'VALIDEE_2'],
  ['A_VALIDER_2', 'REFUSER_VALIDATION', 'VALIDEUR_2', 'REFUSEE_2'],
  ['A_VALIDER_2', 'CONSTATER_ABSENCE_VALIDATION', 'SYSTEME', 'ABSENCE_VALIDATION_2_HORS_DELAI'],
  ['VALIDEE_1', 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE'],
  ['ABSENCE_VALIDATION_1_HORS_DELAI', 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE'],
  ['VALIDEE_2', 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE'],
  ['ABSENCE_VALIDATION_2_HORS_DELAI', 'TRANSMETTRE', 'SYSTEME', 'DEPOSEE'],
];
const toMoa = (depositor: string, opts: { tacit?: boolean; replaceable?: boolean } = {}): Row[] => [
  ...draft(depositor),
  ['DEPOSEE', 'TRANSMETTRE_MOA', 'SYSTEME', 'A_ASSOCIER_MOA'],
  ['A_ASSOCIER_MOA', 'METTRE_A_DISPOSITION_MOA', 'SYSTEME', 'MISE_A_DISPOSITION_MOA'],
  ['MISE_A_DISPOSITION_MOA', 'PRENDRE_EN_COMPTE', 'MOA', 'PRISE_EN_COMPTE_MOA'],
  ['A_ASSOCIER_MOA', 'ASSOCIER', 'SYSTEME', 'ASSOCIEE'],
  ['MISE_A_DISPOSITION_MOA', 'ASSOCIER', 'SYSTEME', 'ASSOCIEE'],
  ['PRISE_EN_COMPTE_MOA', 'ASSOCIER', 'SYSTEME', 'ASSOCIEE'],
  ...(opts.tacit
    ? []
    : ([['MISE_A_DISPOSITION_MOA', 'REFUSER', 'MOA', 'REFUSEE_MOA'], ['PRISE_EN_COMPTE_MOA', 'REFUSER', 'MOA', 'REFUSEE_MOA'], ['REFUSEE_MOA', 'DUPLIQUER', depositor, 'DUPLIQUE_APRES_REFUS']] as Row[])),
  ...(opts.replaceable ? (['A_ASSOCIER_MOA', ...MOA_OPEN].map((s) => [s, 'REMPLACER_PAR_A22', 'SYSTEME', 'REMPLACEE_PAR_A22']) as Row[]) : []),
];
const toSupplier = (depositor: string): Row[] => [
  ...draft(depositor),
  ['DEPOSEE', 'TRANSMETTRE_FOURNISSEUR', 'SYSTEME', 'A_ASSOCIER_FOURNISSEUR'],
  ['A_ASSOCIER_FOURNISSEUR', 'REFUSER', 'FOURNISSEUR', 'REFUSEE_FOURNISSEUR'],
  ['A_ASSOCIER_FOURNISSEUR', 'ASSOCIER', 'SYSTEME', 'ASSOCIEE'],
];
/** The payer processes the piece as a standard invoice (chorus-pro.md §3.2–§3.3). */
const OPEN = ['MISE_A_DISPOSITION', 'COMPLETEE'];
const each = (from: string[], action: string, role: string, to: string): Row[] => from.map((s) => [s, action, role, to]);
const toPayer = (depositor: string): Row[] => [
  ...draft(depositor),
  ['DEPOSEE', 'ACHEMINER', 'SYSTEME', 'EN_COURS_ACHEMINEMENT'],
  ['EN_COURS_ACHEMINEMENT', 'METTRE_A_DISPOSITION', 'SYSTEME', 'MISE_A_DISPOSITION'],
  ...each(OPEN, 'SUSPENDRE', 'DESTINATAIRE', 'SUSPENDUE'),
  ['SUSPENDUE', 'COMPLETER', 'FOURNISSEUR', 'COMPLETEE'],
  ...each(OPEN, 'METTRE_A_RECYCLER', 'DESTINATAIRE', 'A_RECYCLER'),
  ['A_RECYCLER', 'RECYCLER', 'FOURNISSEUR', 'DEPOSEE'],
  ...each([...OPEN, 'SERVICE_FAIT'], 'REJETER', 'DESTINATAIRE', 'REJETEE'),
  ['REJETEE', 'TRAITER_REJET', 'FOURNISSEUR', 'REJETEE'],
  ...each(OPEN, 'SERVICE_FAIT', 'DESTINATAIRE', 'SERVICE_FAIT'),
  ...each([...OPEN, 'SERVICE_FAIT'], 'MANDATER', 'DESTINATAIRE', 'MANDATEE'),
  ...each([...OPEN, 'SERVICE_FAIT', 'MANDATEE'], 'METTRE_A_DISPOSITION_COMPTABLE', 'DESTINATAIRE', 'MISE_A_DISPOSITION_COMPTABLE'),
  ...each([...OPEN, 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE'], 'COMPTABILISER', 'DESTINATAIRE', 'COMPTABILISEE'),
  ...each([...OPEN, 'SERVICE_FAIT', 'MANDATEE', 'MISE_A_DISPOSITION_COMPTABLE', 'COMPTABILISEE'], 'METTRE_EN_PAIEMENT', 'DESTINATAIRE', 'MISE_EN_PAIEMENT'),
];

const EXPECTED: Record<WorksFramework, Row[]> = {
  A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR: toMoe(false),
  A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT: [...toMoe(false), ...validation],
  A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT: toMoe(false),
  A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR: toMoe(true),
  A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT: [...toMoe(true), ...validation],
  A14_PROJET_DECOMPTE_FINAL_COTRAITANT: toMoe(true),
  A5_ETAT_ACOMPTE_FOURNISSEUR: toMoa('FOURNISSEUR'),
  A15_ETAT_ACOMPTE_MOE: toMoa('MOE'),
  A17_PROJET_DECOMPTE_GENERAL_MOE: toMoa('MOE', { replaceable: true }),
  A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE: toMoa('FOURNISSEUR', { tacit: true }),
  A18_DECOMPTE_GENERAL_MOE: toSupplier('MOE'),
  A20_DECOMPTE_GENERAL_MOA: toSupplier('MOA'),
  A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR: toPayer('FOURNISSEUR'),
  A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR: toPayer('FOURNISSEUR'),
  A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR: toPayer('FOURNISSEUR'),
  A16_ETAT_ACOMPTE_VALIDE_MOE: toPayer('MOE'),
  A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE: toPayer('MOE'),
  A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE: toPayer('MOE'),
  A19_ETAT_ACOMPTE_VALIDE_MOA: toPayer('MOA'),
};
/** Inputs that satisfy every guard, so only the table decides (the validation levels: one, else two). */
const FULL_INPUT = { reason: 'AUTRE', mandateNumber: 'M-2026-0042', at: new Date('2026-06-01T00:00:00Z') };
const tryBoth = (status: string, framework: string, action: (typeof ACTIONS)[number], role: (typeof ROLES)[number]) => {
  const facts = (levels: number) => ({ status, framework, validationLevels: levels, validationDone: false, validationDueAt: new Date('2026-05-01T00:00:00Z') });
  const one = nextStatus(facts(1), action, role, FULL_INPUT);
  return !one.ok && one.code === 'GUARD_FAILED' ? nextStatus(facts(2), action, role, FULL_INPUT) : one;
};

describe('the works circuits in the lifecycle table', () => {
  for (const framework of WORKS_FRAMEWORKS) {
    test(`${framework}: every status × action × role is allowed exactly as the circuit says`, () => {
      const expected = new Map(EXPECTED[framework].map(([f, a, r, to]) => [`${f}|${a}|${r}`, to]));
      assert.equal(expected.size, EXPECTED[framework].length, 'no duplicate in the expectation');
      let allowed = 0;
      for (const status of STATUSES)
        for (const action of ACTIONS)
          for (const role of ROLES) {
            const r = tryBoth(status, framework, action, role);
            const want = expected.get(`${status}|${action}|${role}`);
            if (want) {
              assert.equal(r.ok && r.to, want, `${status} ${action} ${role}`);
              allowed++;
            } else {
              assert.equal(r.ok, false, `${status} ${action} ${role} must be refused`);
              if (!r.ok) assert.equal(r.code, 'TRANSITION_NOT_ALLOWED');
            }
          }
      assert.equal(allowed, expected.size);
    });
  }

  test('every Chorus Pro framework A4–A25 is a works circuit, except A9 and A12 (invoices with a validator, not works pieces) and A21 (energy-tax refund, not procurement)', () => {
    const codes = Array.from({ length: 22 }, (_, i) => `A${i + 4}`);
    const withCircuit = codes.filter((c) => worksFrameworkByCode(c));
    assert.deepEqual(codes.filter((c) => !withCircuit.includes(c)), ['A9', 'A12', 'A21']);
    for (const f of WORKS_FRAMEWORKS) {
      assert.ok(circuitOf(f), f);
      assert.ok(isWorksFramework(f));
      assert.match(WORKS_FRAMEWORK_INFO[f].label, new RegExp(`^${WORKS_FRAMEWORK_INFO[f].code} – Dépôt par `));
    }
    assert.equal(isWorksFramework('A1_FACTURE_FOURNISSEUR'), false);
  });

  test('each piece follows a piece sent to its depositor, except where a party is absent (initial deposit) or the procedure is tacit', () => {
    const substitutions: string[] = [];
    for (const f of WORKS_FRAMEWORKS) {
      const i = WORKS_FRAMEWORK_INFO[f];
      for (const p of i.previous) if (WORKS_FRAMEWORK_INFO[p].destination !== i.depositor) substitutions.push(`${WORKS_FRAMEWORK_INFO[p].code}→${i.code}`);
    }
    assert.deepEqual(substitutions.sort(), [
      // The company stands in for an absent MOE (A5) or MOE and MOA (A6).
      'A10→A5', 'A10→A6', 'A13→A5', 'A13→A6', 'A4→A5', 'A4→A6', 'A5→A6',
      // The MOE deposits the décompte général itself, the MOA being absent.
      'A17→A18',
      // Tacit procedure.
      'A17→A22', 'A18→A24', 'A20→A24', 'A22→A23', 'A22→A25',
      'A11→A22', 'A14→A22', 'A7→A22',
    ].sort());
  });

  test('an amount disagreement is never a refusal reason for the MOE or the MOA; the titulaire contests a DG by a claim', () => {
    for (const [framework, status, role] of [['A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR', 'MISE_A_DISPOSITION_MOE', 'MOE'], ['A15_ETAT_ACOMPTE_MOE', 'PRISE_EN_COMPTE_MOA', 'MOA']] as const) {
      const r = nextStatus({ status, framework }, 'REFUSER', role, { reason: 'MONTANT_ERRONE' });
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.code, 'GUARD_FAILED');
      assert.match(!r.ok ? r.message : '', /désaccord sur les montants n'est pas un motif de refus/);
      const blank = nextStatus({ status, framework }, 'REFUSER', role, { reason: ' ' });
      assert.match(!blank.ok ? blank.message : '', /motif est obligatoire/);
      assert.equal(nextStatus({ status, framework }, 'REFUSER', role, { reason: 'PIECES_JUSTIFICATIVES_ABSENTES' }).ok, true);
    }
    const dg = { status: 'A_ASSOCIER_FOURNISSEUR', framework: 'A20_DECOMPTE_GENERAL_MOA' };
    assert.match((nextStatus(dg, 'REFUSER', 'FOURNISSEUR', { reason: 'DOUBLON' }) as { message: string }).message, /mémoire en réclamation/);
    assert.equal(nextStatus(dg, 'REFUSER', 'FOURNISSEUR', { reason: 'RECLAMATION' }).ok, true);
  });

  test('the buttons offered follow the table; works actions never apply to a plain invoice', () => {
    assert.deepEqual(availableActions({ status: 'MISE_A_DISPOSITION_MOE', framework: 'A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR' }, 'MOE'), ['PRENDRE_EN_COMPTE', 'REFUSER']);
    assert.deepEqual(availableActions({ status: 'MISE_A_DISPOSITION_MOE', framework: 'A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR' }, 'FOURNISSEUR'), []);
    assert.deepEqual(availableActions({ status: 'A_ASSOCIER_FOURNISSEUR', framework: 'A20_DECOMPTE_GENERAL_MOA' }, 'FOURNISSEUR'), ['REFUSER']);
    assert.ok(availableActions({ status: 'MISE_A_DISPOSITION', framework: 'A19_ETAT_ACOMPTE_VALIDE_MOA' }, 'DESTINATAIRE').includes('MANDATER'));
    for (const role of ROLES) assert.deepEqual(availableActions({ status: 'MISE_A_DISPOSITION_MOE', framework: 'A1_FACTURE_FOURNISSEUR' }, role), []);
    assert.equal(nextStatus({ status: 'BROUILLON', framework: 'A1_FACTURE_FOURNISSEUR' }, 'DEPOSER', 'MOE').ok, false);
  });

  test('every works status carries a French label', () => {
    for (const f of WORKS_FRAMEWORKS)
      for (const [from, , , to] of EXPECTED[f])
        for (const s of [from, to]) assert.ok(STATUS_INFO[s as keyof typeof STATUS_INFO]?.label, `label of ${s}`);
    assert.equal(statusLabel('ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE'), "Absence de validation du maître d'œuvre dans le délai réglementaire");
  });
});
