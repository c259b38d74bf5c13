import type { Config } from './config/index.ts';
import type { Database } from './db/open-database.ts';
import type { Clock } from './shared/clock.ts';
import type { BlobStore } from './storage/blob-store.ts';

/** What a use case may use: the database, the clock, the configuration and the file store. */
export interface Ctx {
  db: Database;
  clock: Clock;
  config: Config;
  blobs: BlobStore;
}

/** Who acts. Technical accounts act through the API for their one structure. */
export interface Actor {
  userId: number;
  isTechnical: boolean;
}
