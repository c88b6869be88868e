import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { prepareSqliteFile } from './sqlite-file';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseSettings {
  /** postgres://… selects PostgreSQL; absent selects the embedded SQLite engine (better-sqlite3). */
  url?: string;
  /** SQLite file; absent keeps the database in memory. */
  sqlitePath?: string;
  /** How the service rebuilds its state when its file is moved aside (ends the damaged-file message). */
  rebuildAdvice?: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Tests may create the schema from entities; services run migrations. */
  synchronize?: boolean;
  /** PostgreSQL schema, so parallel test suites do not share tables. */
  schema?: string;
}

export function databaseKind(url: string | undefined): DatabaseKind {
  if (!url) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new Error(`unsupported DATABASE_URL scheme: ${url.split(':')[0]} (expected postgres://)`);
}

export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    entities: settings.entities,
    migrations: settings.migrations,
    synchronize: settings.synchronize ?? false,
    migrationsRun: !settings.synchronize,
    logging: false,
  } as const;
  if (databaseKind(settings.url) === 'postgres') {
    return { type: 'postgres', url: settings.url, schema: settings.schema, extra: { max: 10 }, ...common };
  }
  const path = settings.sqlitePath;
  const rebuild = settings.rebuildAdvice ?? 'the service rebuilds its state from the chains';
  return {
    type: 'better-sqlite3',
    database: path ?? ':memory:',
    prepareDatabase: path ? (db) => prepareSqliteFile(db, path, rebuild) : undefined,
    ...common,
  };
}

/**
 * Data source options for `TypeOrmModule.forRootAsync`. PostgreSQL keeps Nest's connection retries (the
 * server may still be starting); a SQLite file that fails to open will fail the same way again, so start-up
 * stops at the first error with its message.
 */
export function typeOrmModuleOptions(options: DataSourceOptions): TypeOrmModuleOptions {
  return options.type === 'postgres' ? options : { ...options, toRetry: () => false };
}
