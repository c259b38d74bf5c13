import type { Ctx } from '../context.ts';
import { csvDocument } from '../shared/csv.ts';
import { parisIsoDay } from '../structures/index.ts';
import { DIRECTORY_CSV_HEADER, directoryCsvRows, toEntries } from './model.ts';
import { searchRecipients, usableServicesOf } from './repository.ts';

/** The whole directory as a CSV file (semicolons, UTF-8 with BOM), one line per structure and per service. */
export async function exportDirectory(ctx: Ctx): Promise<{ filename: string; csv: string }> {
  const day = parisIsoDay(ctx.clock.now());
  const { rows } = await searchRecipients(ctx.db, {});
  const services = await usableServicesOf(ctx.db, 'ALL_RECIPIENTS', day);
  return { filename: `annuaire-destinataires-${day}.csv`, csv: csvDocument(DIRECTORY_CSV_HEADER, directoryCsvRows(toEntries(rows, services))) };
}
