import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { dataSourceOptions } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * Writes the sql.js image to a temporary file, fsyncs it and renames it over `path`: a process killed
 * mid-save (SIGKILL) leaves the previous complete image, never a truncated one. Synchronous, so a row
 * write has reached the disk when its query resolves (the pipeline stores a transaction before broadcasting it).
 */
export function atomicWriteSync(path: string, data: Uint8Array): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

export function relayerDataSourceOptions(config: AppConfig): DataSourceOptions {
  const options = dataSourceOptions({
    url: config.DATABASE_URL,
    sqljsPath: config.SQLJS_PATH,
    schema: config.DATABASE_SCHEMA,
    entities: ENTITIES,
    migrations: MIGRATIONS,
  });
  const location = config.SQLJS_PATH;
  if (options.type !== 'sqljs' || !location) return options;
  return { ...options, autoSave: true, autoSaveCallback: (data: Uint8Array) => atomicWriteSync(location, data) };
}

@Module({
  imports: [TypeOrmModule.forRootAsync({ inject: [APP_CONFIG], useFactory: relayerDataSourceOptions })],
})
export class DatabaseModule {}
