import { z } from 'zod';

/** Thrown at start-up when configuration does not validate; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}

/** Redacts a connection string's password for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/** Drops unset and empty variables so schema defaults apply to them. */
export function definedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

const optionalString = z.string().trim().min(1).optional();

/** The settings every Tributary service reads: listen address, database (PostgreSQL or the embedded file), manifest, log level. */
export function serviceConfigShape(defaultPort: number) {
  return {
    PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    /** Embedded SQLite file (unset = in memory); SQLJS_PATH is the older name of the same setting. */
    SQLITE_PATH: optionalString,
    SQLJS_PATH: optionalString,
    DATABASE_SCHEMA: optionalString,
    MANIFEST_PATH: optionalString,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  };
}
