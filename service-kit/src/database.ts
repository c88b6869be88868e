import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export type DatabaseKind = 'sqljs' | 'postgres';

export interface DatabaseSettings {
  /** postgres://… selects PostgreSQL; absent selects the embedded sql.js engine. */
  url?: string;
  /** sql.js file to load from and save to; absent keeps the database in memory. */
  sqljsPath?: string;
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
  if (!url) return 'sqljs';
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
  return {
    type: 'sqljs',
    location: settings.sqljsPath,
    autoSave: Boolean(settings.sqljsPath),
    ...common,
  };
}
