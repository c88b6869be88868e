import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

/** A fresh database for one test suite: a PostgreSQL schema when DATABASE_URL is set, else a SQLite file. */
export interface TestDatabase {
  env: { DATABASE_URL?: string; DATABASE_SCHEMA?: string; SQLITE_PATH?: string };
  kind: 'postgres' | 'sqlite';
  drop(): Promise<void>;
}

export async function freshDatabase(label: string): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), `relayer-${label}-`));
    return { kind: 'sqlite', env: { SQLITE_PATH: join(dir, 'relayer.sqlite') }, drop: async () => undefined };
  }
  const schema = `relayer_${label}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await adminQuery(url, `CREATE SCHEMA "${schema}"`);
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
    drop: async () => {
      await adminQuery(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', url });
  await dataSource.initialize();
  try {
    await dataSource.query(sql);
  } finally {
    await dataSource.destroy();
  }
}
