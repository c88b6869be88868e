import { ConfigError, definedEnv, parseConfig } from '@tributary/service-kit';
import { appConfigSchema, type AppConfig } from '../config/app-config';

/**
 * The verifier's env, read into the relayer's app config shape under its own names: VERIFIER_CONFIG,
 * VERIFIER_API_KEY, VERIFIER_WORKER_ID, VERIFIER_SQLITE_PATH / VERIFIER_DATABASE_URL / VERIFIER_DATABASE_SCHEMA,
 * VERIFIER_PORT (default 3300). The relayer's own settings (RELAYER_*, SQLITE_PATH, DATABASE_URL) are never
 * read: the verifier must not share the relayer's store or key.
 */
export function loadVerifierAppConfig(env: NodeJS.ProcessEnv): AppConfig {
  const source = definedEnv(env);
  const mapped: Record<string, string | undefined> = {
    PORT: source.VERIFIER_PORT ?? '3300',
    HOST: source.VERIFIER_HOST ?? source.HOST,
    DATABASE_URL: source.VERIFIER_DATABASE_URL,
    DATABASE_SCHEMA: source.VERIFIER_DATABASE_SCHEMA,
    SQLITE_PATH: source.VERIFIER_SQLITE_PATH,
    MANIFEST_PATH: source.MANIFEST_PATH,
    RELAYER_CONFIG: source.VERIFIER_CONFIG,
    RELAYER_API_KEY: source.VERIFIER_API_KEY,
    RELAYER_WORKER_ID: source.VERIFIER_WORKER_ID,
    LOG_LEVEL: source.LOG_LEVEL,
  };
  const config = parseConfig(appConfigSchema, definedEnv(mapped));
  if (config.DATABASE_URL && !config.DATABASE_SCHEMA)
    throw new ConfigError(["VERIFIER_DATABASE_SCHEMA: required with VERIFIER_DATABASE_URL (never the relayer's schema)"]);
  return config;
}
