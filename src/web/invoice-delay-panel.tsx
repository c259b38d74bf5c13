import { formatAmountFr } from '../shared/money.ts';
import type * as invoices from '../invoices/index.ts';

type Delay = NonNullable<Awaited<ReturnType<typeof invoices.getInvoice>>['paymentDelay']>;
const day = (iso: string) => iso.split('-').reverse().join('/');
const plural = (n: number, w: string) => `${n} ${w}${n > 1 ? 's' : ''}`;

/** The payment clock: the supplier sees the days left, the recipient what is due; late interest and indemnity once late. */
export const PaymentDelay = ({ delay, side }: { delay: Delay; side: 'EMISES' | 'RECUES' }) => {
  const c = delay.compensation;
  const money = (a: string) => formatAmountFr(a, delay.currency);
  return (
    <section aria-labelledby="delai-paiement">
      <h2 id="delai-paiement">Délai de paiement</h2>
      <p>
        Délai de {plural(delay.delayDays, 'jour')} à compter du dépôt le {day(delay.startedOn)}
        {delay.suspendedDays ? `, prolongé de ${plural(delay.suspendedDays, 'jour')} de suspension` : ''} : paiement au plus tard le <strong>{day(delay.dueOn)}</strong>.
      </p>
      {delay.state === 'EN_COURS' ? (
        <p role="status">{side === 'EMISES' ? `Il reste ${plural(delay.daysLeft ?? 0, 'jour')} au destinataire pour payer.` : `À payer : ${money(delay.amountDue)} d'ici ${plural(delay.daysLeft ?? 0, 'jour')} (le ${day(delay.dueOn)} au plus tard).`}</p>
      ) : null}
      {delay.state === 'SUSPENDU' ? <p role="status">Le délai est arrêté pendant la suspension (il restera {plural(delay.daysLeft ?? 0, 'jour')}).</p> : null}
      {delay.state === 'ARRETE' ? <p role="status">Le délai est arrêté : la facture a été rejetée.</p> : null}
      {delay.state === 'PAYE' ? <p role="status">Payée dans le délai (mise en paiement le {day(delay.paidOn!)}).</p> : null}
      {delay.state === 'DEPASSE' || delay.state === 'PAYE_EN_RETARD' ? (
        <div class="notice" role="status">
          <p><strong>{delay.state === 'DEPASSE' ? `Délai dépassé de ${plural(delay.daysLate, 'jour')}.` : `Payée avec ${plural(delay.daysLate, 'jour')} de retard (mise en paiement le ${day(delay.paidOn!)}).`}</strong></p>
          {c ? (
            <dl class="facts">
              <dt>Intérêts moratoires</dt><dd>{money(c.interest)} ({c.interestRate.replace(/0+$/, '').replace(/\.$/, '').replace('.', ',')} % = taux BCE {c.ecbRate.replace(/0+$/, '').replace(/\.$/, '').replace('.', ',')} % + 8 points, sur {money(delay.amountDue)} pendant {plural(c.daysLate, 'jour')})</dd>
              <dt>Indemnité forfaitaire pour frais de recouvrement</dt><dd>{money(c.indemnity)}</dd>
              <dt>{delay.compensationFinal ? 'Total dû au fournisseur' : 'Total dû si payée aujourd’hui'}</dt><dd><strong>{money(c.total)}</strong></dd>
            </dl>
          ) : null}
        </div>
      ) : null}
    </section>
  );
};
