import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../config/index.ts';
import { openDatabase } from '../db/open-database.ts';
import { verifyAllChains } from '../invoices/index.ts';

/** `ouvrage invoices verify-chain`: checks the hash chain of every invoice's path; exit code 1 when one is broken. */
export function registerInvoicesCommands(program: Command) {
  const invoices = program.command('invoices').description('factures');
  invoices
    .command('verify-chain')
    .description("vérifie la chaîne d'empreintes de l'historique de chaque facture (code de sortie 1 si une chaîne est rompue)")
    .option('--invoice <id>', 'une seule facture', (v) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('Identifiant de facture invalide.');
      return n;
    })
    .option('--json', 'résultat en JSON')
    .action(async (o: { invoice?: number; json?: boolean }) => {
      const database = await openDatabase(loadConfig().DATABASE_URL);
      try {
        const r = await verifyAllChains(database.db, o.invoice);
        if (o.json) console.log(JSON.stringify({ ok: r.broken.length === 0, ...r }, null, 2));
        else {
          console.log(`${r.invoices} facture(s), ${r.events} événement(s) vérifiés.`);
          for (const b of r.broken) console.log(`Chaîne rompue : facture ${b.number} (id ${b.invoiceId}), événement n° ${b.brokenAtSeq} : ${b.problem}.`);
          console.log(r.broken.length ? `${r.broken.length} chaîne(s) rompue(s).` : 'Toutes les chaînes sont intègres.');
        }
        process.exitCode = r.broken.length ? 1 : 0;
      } finally {
        await database.close();
      }
    });
}
