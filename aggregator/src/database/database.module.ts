import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { dataSourceOptions, typeOrmModuleOptions } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** The aggregator's SQLite file (SQLJS_PATH still accepted: a sql.js file is a SQLite file). */
export function aggregatorSqlitePath(config: AppConfig): string | undefined {
  return config.SQLITE_PATH ?? config.SQLJS_PATH;
}

export function aggregatorDataSourceOptions(config: AppConfig): DataSourceOptions {
  return dataSourceOptions({
    url: config.DATABASE_URL,
    sqlitePath: aggregatorSqlitePath(config),
    rebuildAdvice:
      'the aggregator then re-indexes every chain from its start block (the ledger is rebuilt; price samples and risk history kept only in the old file start anew)',
    schema: config.DATABASE_SCHEMA,
    entities: ENTITIES,
    migrations: MIGRATIONS,
  });
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => typeOrmModuleOptions(aggregatorDataSourceOptions(config)),
    }),
  ],
})
export class DatabaseModule {}
