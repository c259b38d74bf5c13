import type * as works from '../works/index.ts';
import { formatAmountFr } from '../shared/money.ts';

/** The French rendering of a décompte (the engine's statement) and of the MOE's corrections, line by line. */
export const TOTAL_LABELS: Record<(typeof works.TOTAL_KEYS)[number], string> = {
  works: 'Travaux HT', revision: 'Révision des prix', totalWithoutVat: 'Total HT', vat: 'TVA', totalWithVat: 'Total TTC',
  advanceRepayment: "Remboursement de l'avance", retention: 'Retenue de garantie', penalties: 'Pénalités', amountDue: 'Montant dû',
};
const KEYS = Object.keys(TOTAL_LABELS) as Array<keyof typeof TOTAL_LABELS>;
export const frenchMonth = (m: string | null) => (m && /^\d{4}-\d{2}$/.test(m) ? `${m.slice(5, 7)}/${m.slice(0, 4)}` : m ?? '—');
const frNumber = (s: string) => s.replace('.', ',');
/** « 50 % » for a lump sum, « 600 m3 » for a unit price. */
export const progressText = (kind: string, value: string, unit: string | null) => (kind === 'FORFAIT' ? `${frNumber(value)} %` : `${frNumber(value)}${unit ? ` ${unit}` : ''}`);
const eur = (s: string) => formatAmountFr(s);

export const StatementView = ({ statement: s, title }: { statement: works.Statement; title: string }) => (
  <section aria-labelledby="decompte-titre" id="decompte-section">
    <h2 id="decompte-titre">{title}</h2>
    <p>Montant du marché : {eur(s.contractAmount)} HT{s.final ? ' — décompte final : l’avance est remboursée en totalité.' : ''}</p>
    {s.warnings.length ? <ul class="notice">{s.warnings.map((w) => <li>{w}</li>)}</ul> : null}
    <table>
      <caption>Avancement et montants par prix — cumul à fin {frenchMonth(s.month)}</caption>
      <thead><tr><th scope="col">N°</th><th scope="col">Désignation</th><th scope="col">Avancement précédent</th><th scope="col">Avancement cumulé</th><th scope="col">Montant cumulé HT</th><th scope="col">Montant précédent</th><th scope="col">Montant du mois</th></tr></thead>
      <tbody>
        {s.lines.map((l) => (
          <tr>
            <td>{l.code}</td><td>{l.label}{l.overrun ? <strong> (dépassement de la quantité du marché)</strong> : null}</td>
            <td>{progressText(l.kind, l.previousProgress, l.unit)}</td><td>{progressText(l.kind, l.progress, l.unit)}</td>
            <td>{eur(l.amount)}</td><td>{eur(l.previousAmount)}</td><td>{eur(l.monthAmount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    {s.revisionMonths.length ? (
      <table>
        <caption>Révision des prix, mois par mois</caption>
        <thead><tr><th scope="col">Mois</th><th scope="col">Travaux du mois HT</th><th scope="col">Coefficient</th><th scope="col">Révision</th></tr></thead>
        <tbody>{s.revisionMonths.map((r) => <tr><td>{frenchMonth(r.month)}</td><td>{eur(r.base)}</td><td>{frNumber(r.coefficient)}{r.provisional ? ' (provisoire : index non publié)' : ''}</td><td>{eur(r.amount)}</td></tr>)}</tbody>
      </table>
    ) : null}
    <table>
      <caption>Récapitulatif du décompte</caption>
      <thead><tr><th scope="col">Poste</th><th scope="col">Cumulé à ce jour</th><th scope="col">Décompte précédent</th><th scope="col">Ce mois</th></tr></thead>
      <tbody>
        {KEYS.map((k) => <tr><th scope="row">{TOTAL_LABELS[k]}</th><td>{eur(s.cumulative[k])}</td><td>{eur(s.previous[k])}</td><td>{k === 'amountDue' ? <strong>{eur(s.thisMonth[k])}</strong> : eur(s.thisMonth[k])}</td></tr>)}
      </tbody>
    </table>
    <p>Avance : {eur(s.advance.amount)} — remboursée {eur(s.advance.repaid)}, reste {eur(s.advance.remaining)}.</p>
  </section>
);

export const DifferencesView = ({ differences: d, against }: { differences: { lines: works.LineDifference[]; totals: works.StatementTotals }; against: string }) => (
  <section aria-labelledby="ecarts-titre">
    <h2 id="ecarts-titre">Écarts avec {against}</h2>
    {d.lines.length ? (
      <table>
        <caption>Écarts ligne à ligne</caption>
        <thead><tr><th scope="col">N°</th><th scope="col">Désignation</th><th scope="col">Avancement de l'entreprise</th><th scope="col">Avancement rectifié</th><th scope="col">Montant de l'entreprise</th><th scope="col">Montant rectifié</th><th scope="col">Écart</th></tr></thead>
        <tbody>{d.lines.map((l) => <tr><td>{l.code}</td><td>{l.label}</td><td>{frNumber(l.companyProgress)}</td><td>{frNumber(l.moeProgress)}</td><td>{eur(l.companyAmount)}</td><td>{eur(l.moeAmount)}</td><td>{eur(l.difference)}</td></tr>)}</tbody>
      </table>
    ) : <p>Aucun écart sur les prix.</p>}
    <p>Écart sur le montant dû ce mois : <strong>{eur(d.totals.amountDue)}</strong>{d.totals.penalties !== '0.00' ? ` (dont pénalités ${eur(d.totals.penalties)})` : ''}.</p>
    <p class="hint">Un désaccord sur les montants n'est pas un motif de refus : le maître d'œuvre rectifie les montants dans sa propre pièce ; le titulaire dispose de 30 jours pour contester les montants rectifiés.</p>
  </section>
);
