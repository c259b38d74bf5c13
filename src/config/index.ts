import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^(pglite:\/\/|postgres(ql)?:\/\/)/, 'DATABASE_URL must start with pglite:// or postgres://')
    .default('pglite://./data/pglite'),
  /** Connections of each process's PostgreSQL pool (docs/operations.md). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().default('./data'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().default('Ouvrage <ne-pas-repondre@ouvrage.localhost>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: z.enum(['auto', 'yes', 'no']).default('auto'),
  WORKERS: z.enum(['on', 'off']).default('on'),
  /** HTTP processes of `ouvrage serve` (node:cluster, PostgreSQL only): one per core to use them all. */
  SERVE_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Folder of the e-invoice schemas (UBL 2.1, CII D16B, Factur-X 1.09: the fixtures' einvoice/artefacts) checked at
   * every structured deposit. Unset: OUVRAGE_EINVOICE_ARTEFACTS, then ../shared/fixtures/einvoice/artefacts.
   */
  EINVOICE_ARTEFACTS: z.string().min(1).optional(),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().positive().default(15),
  /** Validation circuits (A9, A12): calendar days a validator has at each level, and reminders (days before the deadline). */
  VALIDATION_DEADLINE_DAYS: z.coerce.number().int().positive().max(365).default(15),
  VALIDATION_REMINDER_DAYS: z.string().regex(/^(\d+(,\d+)*)?$/, 'VALIDATION_REMINDER_DAYS: days before the deadline, comma-separated (e.g. 5,1)').default('5,1'),
});

export type Config = z.infer<typeof schema> & { publicUrl: string; devMailbox: boolean; secureCookies: boolean };

/** Reads and validates the environment once; a bad variable stops the start with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof z.infer<typeof schema>, unknown>> = {}): Config {
  const result = schema.safeParse({ ...env, ...overrides });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = result.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, '');
  return { ...c, publicUrl, devMailbox: !c.SMTP_URL, secureCookies: publicUrl.startsWith('https://') };
}
