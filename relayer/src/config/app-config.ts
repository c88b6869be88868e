import { z } from 'zod';
import { definedEnv, parseConfig } from '@tributary/service-kit';

export const APP_CONFIG = Symbol('APP_CONFIG');

const optionalString = z.string().trim().min(1).optional();

export const appConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3100),
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
  RELAYER_CONFIG: optionalString,
  /** Operator API key (x-api-key); absent = the operator API refuses every request. */
  RELAYER_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Names this process in row claims (default: host:pid). */
  RELAYER_WORKER_ID: z.string().trim().min(1).max(64).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type AppConfig = z.output<typeof appConfigSchema>;

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return parseConfig(appConfigSchema, definedEnv(env));
}
