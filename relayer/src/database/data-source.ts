import type { DataSourceOptions } from 'typeorm';
import { dataSourceOptions } from '@tributary/service-kit';
import type { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** The relayer's SQLite file (SQLJS_PATH still accepted: a sql.js file is a SQLite file). */
export function relayerSqlitePath(config: AppConfig): string | undefined {
  return config.SQLITE_PATH ?? config.SQLJS_PATH;
}

export function relayerDataSourceOptions(config: AppConfig): DataSourceOptions {
  return dataSourceOptions({
    url: config.DATABASE_URL,
    sqlitePath: relayerSqlitePath(config),
    rebuildAdvice: 'the relayer then rescans every pathway from its start block (what is already delivered is recognised on chain)',
    schema: config.DATABASE_SCHEMA,
    entities: ENTITIES,
    migrations: MIGRATIONS,
  });
}
