import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadAppConfig, type AppConfig } from '../../src/config/app-config';

/**
 * Config of a fresh database for one test suite: in-memory SQLite by default, or a new PostgreSQL schema
 * when DATABASE_URL is set (CI runs the suite on both). `drop()` removes the schema.
 */
export async function freshDatabase(
  env: Record<string, string> = {},
): Promise<{ config: AppConfig; kind: 'sqlite' | 'postgres'; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  const base = { LOG_LEVEL: 'silent', INDEXER_POLL_MS: '0', RECONCILE_INTERVAL_MS: '0', ...env };
  if (!url) return { config: loadAppConfig(base), kind: 'sqlite', drop: async () => undefined };
  const schema = `agg_${randomBytes(6).toString('hex')}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  return {
    config: loadAppConfig({ ...base, DATABASE_URL: url, DATABASE_SCHEMA: schema }),
    kind: 'postgres',
    drop: () => withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, work: (client: DataSource) => Promise<T>): Promise<T> {
  const client = await new DataSource({ type: 'postgres', url }).initialize();
  try {
    return await work(client);
  } finally {
    await client.destroy();
  }
}
