import type { Config } from './config/index.ts';
import type { Database } from './db/open-database.ts';
import type { Clock } from './shared/clock.ts';
import type { BlobStore } from './storage/blob-store.ts';
import type { XsdValidator } from './validation/xsd.ts';

/** What a use case may use: the database, the clock, the configuration, the file store and the XSD schemas. */
export interface Ctx {
  db: Database;
  clock: Clock;
  config: Config;
  blobs: BlobStore;
  /** The process's XSD validator (schemas compiled once per process, shared by all its deposits); null without the schemas. */
  xsd: XsdValidator | null;
}

/** Who acts. Technical accounts act through the API for their one structure. */
export interface Actor {
  userId: number;
  isTechnical: boolean;
}
