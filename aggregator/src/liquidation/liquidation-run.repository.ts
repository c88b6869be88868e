import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { KeeperIntent, KeeperOutcome, KeeperRun, KeeperStage } from './keeper-decision';
import { LiquidationRunEntity } from './liquidation-run.entity';

/** Where the keeper keeps its runs (the only side effect besides transactions). */
export interface LiquidationRunStore {
  /** Every run not done yet, and the latest run of each account (done or not). */
  latest(): Promise<KeeperRun[]>;
  save(run: KeeperRun): Promise<void>;
}

export function toEntity(run: KeeperRun): LiquidationRunEntity {
  const e = new LiquidationRunEntity();
  Object.assign(e, { ...run, account: run.account.toLowerCase(), intent: run.intent ? JSON.stringify(run.intent) : null });
  return e;
}

export function fromEntity(e: LiquidationRunEntity): KeeperRun {
  return {
    account: e.account,
    run: e.run,
    stage: e.stage as KeeperStage,
    outcome: e.outcome as KeeperOutcome | null,
    intent: e.intent ? (JSON.parse(e.intent) as KeeperIntent) : null,
    liquidations: e.liquidations,
    seizures: e.seizures,
    settlements: e.settlements,
    fraction: e.fraction === null ? null : Number(e.fraction),
    failures: e.failures,
    nextAttemptAt: e.nextAttemptAt,
    error: e.error,
    lastTxHash: e.lastTxHash,
    startedAt: e.startedAt,
    liquidatedAt: e.liquidatedAt,
    seizedAt: e.seizedAt,
    doneAt: e.doneAt,
    updatedAt: e.updatedAt,
  };
}

/** TypeORM store of `liquidation_run` (SQLite or PostgreSQL). */
@Injectable()
export class LiquidationRunRepository implements LiquidationRunStore {
  private readonly repo: Repository<LiquidationRunEntity>;
  private readonly table: string;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.repo = dataSource.getRepository(LiquidationRunEntity);
    this.table = this.repo.metadata.tablePath;
  }

  async latest(): Promise<KeeperRun[]> {
    const rows = await this.repo
      .createQueryBuilder('r')
      .where(`r.run = (SELECT MAX(l.run) FROM ${this.table} l WHERE l.account = r.account)`)
      .getMany();
    return rows.map(fromEntity);
  }

  async save(run: KeeperRun): Promise<void> {
    await this.repo.save(toEntity(run));
  }
}
