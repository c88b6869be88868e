import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { dataSourceOptions } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DurableStore } from './durable-store';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function relayerDataSourceOptions(config: AppConfig): DataSourceOptions {
  const options = dataSourceOptions({
    url: config.DATABASE_URL,
    sqljsPath: config.SQLJS_PATH,
    schema: config.DATABASE_SCHEMA,
    entities: ENTITIES,
    migrations: MIGRATIONS,
  });
  // sql.js: no save per write (a full image export each time); DurableStore writes the file atomically.
  if (options.type !== 'sqljs') return options;
  return { ...options, autoSave: false };
}

@Module({
  imports: [TypeOrmModule.forRootAsync({ inject: [APP_CONFIG], useFactory: relayerDataSourceOptions })],
  providers: [DurableStore],
  exports: [DurableStore],
})
export class DatabaseModule {}
