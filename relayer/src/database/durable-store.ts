import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SqljsDriver } from 'typeorm/driver/sqljs/SqljsDriver';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { atomicWriteSync } from './sqljs-file';

/** How often a changed sql.js image is written to disk in the background. */
export const SQLJS_FLUSH_INTERVAL_MS = 250;

/**
 * Durability of the packet store. PostgreSQL: every write is durable when it returns. sql.js: the image is
 * written (atomically) every SQLJS_FLUSH_INTERVAL_MS when something changed, and at once by `flush()`,
 * which the pipeline calls after storing a signed transaction and before broadcasting it. Losing the last
 * few hundred ms of other writes in a crash is harmless: every step re-reads chain state first.
 */
@Injectable()
export class DurableStore implements OnModuleInit, BeforeApplicationShutdown {
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly location: string | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.location = dataSource.options.type === 'sqljs' ? config.SQLJS_PATH : undefined;
  }

  onModuleInit(): void {
    if (!this.location) return;
    this.flush();
    this.timer = setInterval(() => this.dirty && this.flush(), SQLJS_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  markDirty(): void {
    this.dirty = true;
  }

  flush(): void {
    if (!this.location || !this.dataSource.isInitialized) return;
    this.dirty = false;
    atomicWriteSync(this.location, (this.dataSource.driver as SqljsDriver).export());
  }

  /** Before the data source closes (at application shutdown). */
  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }
}
