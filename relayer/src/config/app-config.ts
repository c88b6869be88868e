import { z } from 'zod';
import { definedEnv, parseConfig, serviceConfigShape } from '@tributary/service-kit';

export const APP_CONFIG = Symbol('APP_CONFIG');

const optionalString = z.string().trim().min(1).optional();

export const appConfigSchema = z.object({
  ...serviceConfigShape(3100),
  RELAYER_CONFIG: optionalString,
  /** Operator API key (x-api-key); absent = the operator API refuses every request. */
  RELAYER_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Names this process in row claims (default: host:pid). */
  RELAYER_WORKER_ID: z.string().trim().min(1).max(64).optional(),
});

export type AppConfig = z.output<typeof appConfigSchema>;

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return parseConfig(appConfigSchema, definedEnv(env));
}
