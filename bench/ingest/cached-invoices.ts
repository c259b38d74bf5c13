import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';

/** Where bench:ingest caches the invoices it generates (one zip per kind and range). */
export const CACHE_DIR = path.resolve(import.meta.dirname, '..', '..', '.cache', 'bench-ingest');

/**
 * The first `count` files (by name) of the cached measured zip of a kind (UBL-…, CII-…, FACTURX-…; not the WARM-…
 * ones), for the benchmarks that measure a part of the ingestion in one process.
 */
export function cachedInvoices(kind: 'ubl' | 'cii' | 'facturx', count: number): Array<{ filename: string; bytes: Uint8Array }> {
  const zip = readdirSync(CACHE_DIR).find((f) => f.toLowerCase().startsWith(kind) && f.endsWith('.zip'));
  if (!zip) throw new Error(`no ${kind} zip in ${CACHE_DIR}: run npm run bench:ingest once`);
  const files = unzipSync(readFileSync(path.join(CACHE_DIR, zip)));
  return Object.keys(files).sort().slice(0, count).map((k) => ({ filename: path.basename(k), bytes: files[k]! }));
}
