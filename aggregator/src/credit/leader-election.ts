import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** Advisory-lock key of the pusher: one leader per (schema, CreditManager), as a signed 64-bit decimal. */
export function leaderLockKey(schema: string, creditManager: string): string {
  const digest = createHash('sha256').update(`tributary:credit-pusher:${schema}:${creditManager.toLowerCase()}`).digest();
  return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}

/**
 * Who pushes credit. PostgreSQL: the replica holding `pg_try_advisory_lock(key)` on a dedicated connection
 * (a query runner kept open while leader; the lock goes with the session, so a crashed leader's connection
 * frees it). Followers retry every CREDIT_LEADER_RETRY_MS; the leader checks its connection as often.
 * sql.js: one process, always the leader.
 */
@Injectable()
export class LeaderElection implements OnModuleDestroy {
  private readonly logger = new Logger(LeaderElection.name);
  private runner: QueryRunner | null = null;
  private leader = false;
  private key: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<boolean> | null = null;
  private stopped = false;
  private readonly listeners = new Set<(leader: boolean) => void>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  get usesLock(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  onChange(listener: (leader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts campaigning for the lock of this CreditManager (tries now, then periodically). */
  async start(creditManager: string): Promise<void> {
    this.key = leaderLockKey(this.config.DATABASE_SCHEMA ?? 'public', creditManager);
    await this.check();
    const loop = () => {
      this.timer = setTimeout(() => {
        void this.check().finally(() => {
          if (!this.stopped) loop();
        });
      }, this.config.CREDIT_LEADER_RETRY_MS);
    };
    if (this.usesLock) loop();
  }

  /** One round: a follower tries to take the lock, the leader checks that its session still holds it. */
  check(): Promise<boolean> {
    this.busy ??= this.round().finally(() => (this.busy = null));
    return this.busy;
  }

  private async round(): Promise<boolean> {
    if (this.stopped || this.key === null) return this.leader;
    if (!this.usesLock) {
      this.set(true);
      return true;
    }
    if (this.runner) {
      try {
        await this.runner.query('SELECT 1');
        return true;
      } catch (error) {
        this.logger.warn(`lost the credit pusher lock (connection failed: ${(error as Error).message})`);
        await this.dropRunner();
        this.set(false);
      }
    }
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [this.key])) as { locked: boolean }[];
      if (row?.locked && !this.stopped) {
        this.runner = runner;
        this.set(true);
        return true;
      }
      if (row?.locked) await runner.query('SELECT pg_advisory_unlock($1)', [this.key]);
    } catch (error) {
      this.logger.warn(`credit pusher lock attempt failed: ${(error as Error).message}`);
    }
    await runner.release().catch(() => undefined);
    return false;
  }

  private set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.logger.log(leader ? 'this replica is now the credit pusher (leader)' : 'this replica is no longer the credit pusher');
    for (const listener of this.listeners) listener(leader);
  }

  private async dropRunner(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (!runner) return;
    await runner.query('SELECT pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  /** Gives the lock up (shutdown, tests). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
    await this.dropRunner();
    this.set(false);
  }

  /** Before TypeORM closes its pool (which would wait for the held connection). */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }
}
