import { z } from 'zod';
import type { Ctx } from '../context.ts';
import { parseInput } from '../shared/validate.ts';
import { parisIsoDay } from '../structures/index.ts';
import { toEntries, type DirectoryEntry } from './model.ts';
import { searchRecipients, usableServicesOf } from './repository.ts';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const directorySearchInput = z.object({
  siret: z.preprocess(
    (v) => blankToUndefined(typeof v === 'string' ? v.replace(/\s+/g, '') : v),
    z.string().regex(/^\d{3,14}$/, 'Saisissez au moins les 3 premiers chiffres du SIRET (chiffres uniquement).').optional(),
  ),
  name: z.preprocess(blankToUndefined, z.string().trim().min(2, 'Saisissez au moins 2 caractères du nom.').max(200, 'Nom trop long.').optional()),
  postcode: z.preprocess(blankToUndefined, z.string().trim().regex(/^[0-9][0-9AaBb]\d{0,3}$/, 'Saisissez un code postal ou son début (2 à 5 caractères, ex. 47 ou 47300).').optional()),
  page: z.coerce.number({ message: 'Numéro de page invalide.' }).int().min(1, 'Numéro de page invalide.').max(100_000).default(1),
  pageSize: z.coerce.number({ message: 'Taille de page invalide.' }).int().min(1).max(100, 'Au plus 100 résultats par page.').default(20),
});
export type DirectorySearchInput = z.input<typeof directorySearchInput>;

export interface DirectoryPage {
  results: DirectoryEntry[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Public search of the directory of recipients (no login): active public structures by SIRET prefix,
 * name (contains, case-insensitive) and/or postcode prefix, each with its usable services and what an
 * invoice to it must carry. No criterion lists the whole directory, page by page.
 */
export async function searchDirectory(ctx: Ctx, raw: DirectorySearchInput): Promise<DirectoryPage> {
  const input = parseInput(directorySearchInput, raw);
  const { rows, total } = await searchRecipients(
    ctx.db,
    { siretPrefix: input.siret, name: input.name, postcodePrefix: input.postcode?.toUpperCase() },
    { limit: input.pageSize, offset: (input.page - 1) * input.pageSize },
  );
  const services = await usableServicesOf(ctx.db, rows.map((r) => r.id), parisIsoDay(ctx.clock.now()));
  return { results: toEntries(rows, services), total, page: input.page, pageSize: input.pageSize };
}
