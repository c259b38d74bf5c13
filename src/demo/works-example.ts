import type { IndexSeries, WorksTerms } from '../works/index.ts';

/**
 * The works contract of docs/works.md § « Exemple chiffré »: the demonstration contract OPH-2026-GO and the
 * tests that reproduce the worked example use these terms.
 */
export const WORKED_EXAMPLE_TERMS: WorksTerms = {
  priceSchedule: [
    { code: '01', label: 'Installation de chantier', kind: 'FORFAIT', unit: 'ens', quantity: '1', unitPrice: '12000.00' },
    { code: '02', label: 'Terrassements en pleine masse', kind: 'UNITAIRE', unit: 'm3', quantity: '850', unitPrice: '18.40' },
    { code: '03', label: 'Béton armé en fondations', kind: 'UNITAIRE', unit: 'm3', quantity: '120', unitPrice: '245.50' },
    { code: '04', label: 'Maçonnerie de façade', kind: 'FORFAIT', unit: 'ens', quantity: '1', unitPrice: '43500.00' },
  ],
  vatRate: '20',
  advance: { amount: '6036.00' },
  retention: { ratePercent: '5' },
  revision: { fixedPart: '0.15', terms: [{ index: 'BT01', weight: '0.85', baseValue: '130.2' }], decimals: 3, rounding: 'UP' },
};

/** The BT01 index values known in May 2026 (April's is the last published). */
export const WORKED_EXAMPLE_INDEXES_MAY: IndexSeries = { BT01: { '2026-01': '130.2', '2026-03': '131.5', '2026-04': '132.1' } };
