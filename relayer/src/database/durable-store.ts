import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { syncWal } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { relayerSqlitePath } from './data-source';

/**
 * Durability of the packet store. Every commit survives the process being killed when it returns (SQLite's
 * write-ahead log; PostgreSQL). `flush()` makes the commits so far survive a power loss as well: on SQLite it
 * fsyncs the log (off the event loop), on PostgreSQL a commit is already fsynced. The pipeline calls it after
 * storing a signed transaction and before broadcasting it.
 */
@Injectable()
export class DurableStore {
  private readonly sqlitePath: string | undefined;

  constructor(@InjectDataSource() dataSource: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    this.sqlitePath = dataSource.options.type === 'better-sqlite3' ? relayerSqlitePath(config) : undefined;
  }

  async flush(): Promise<void> {
    if (this.sqlitePath) await syncWal(this.sqlitePath);
  }
}
