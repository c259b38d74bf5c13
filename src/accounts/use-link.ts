import type { Executor } from '../db/open-database.ts';
import type { TokenPurpose } from '../db/schema.ts';
import { AppError } from '../shared/app-error.ts';
import { hashToken } from '../shared/tokens.ts';
import { findToken } from './repository.ts';

/** Loads a one-time link's record, refusing unknown, used and expired links with clear errors. */
export async function loadValidLink(db: Executor, token: string, purpose: TokenPurpose, now: Date) {
  const row = typeof token === 'string' && token.length < 100 ? await findToken(db, hashToken(token), purpose) : undefined;
  if (!row) throw new AppError('NOT_FOUND', 'LINK_UNKNOWN', "Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.");
  if (row.used_at) throw new AppError('GONE', 'LINK_USED', 'Ce lien a déjà été utilisé ou a été remplacé par un lien plus récent.');
  if (new Date(row.expires_at) <= now) throw new AppError('GONE', 'LINK_EXPIRED', 'Ce lien a expiré (validité de 60 minutes). Demandez-en un nouveau.');
  return row;
}
