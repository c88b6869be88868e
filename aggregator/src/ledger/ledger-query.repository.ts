import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ChainCursorEntity } from '../database/chain-cursor.entity';
import {
  ChainLivenessEntity,
  AccountEntity,
  CashEntity,
  CashEventEntity,
  ChainEventEntity,
  CollateralEntity,
  CreditEntity,
  CreditEpochEntity,
  PositionEntity,
  WithdrawalEntity,
} from './entities/ledger.entities';
import type { CashEventRow, CashRow, CollateralRow, CreditEpochRow, CreditRow, PositionRow, WithdrawalRow, WithdrawalStatus } from './ledger-state';

export interface AccountLedger {
  address: string;
  collateral: CollateralRow[];
  positions: PositionRow[];
  credit: CreditRow | null;
  withdrawals: WithdrawalRow[];
  /** Signed cash in the SettlementPool (1e18 USD); 0n before any CashChanged. */
  cash: bigint;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface ChainCursor {
  eid: number;
  nextBlock: number;
  headBlock: number | null;
  headTime: number | null;
  indexedTime: number | null;
  updatedAt: string;
}

/** Every ledger row, ordered: two ledgers are equal iff their snapshots are deep-equal. */
export interface LedgerSnapshot {
  accounts: string[];
  collateral: CollateralRow[];
  positions: PositionRow[];
  credit: CreditRow[];
  epochs: CreditEpochRow[];
  withdrawals: WithdrawalRow[];
  cash: CashRow[];
  /** By account, then chain order. */
  cashHistory: CashEventRow[];
}

/** Read side of the ledger (API, risk engine, reconciliation). Amounts are exact bigints. */
@Injectable()
export class LedgerQueryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async account(address: string): Promise<AccountLedger | null> {
    if (!(await this.dataSource.getRepository(AccountEntity).existsBy({ address }))) return null;
    const [collateral, positions, credit, withdrawals, cash] = await Promise.all([
      this.collateralOf(address),
      this.positionsOf(address),
      this.creditOf(address),
      this.dataSource.getRepository(WithdrawalEntity).find({ where: { account: address }, order: { eid: 'ASC', requestId: 'ASC' } }),
      this.cashOf(address),
    ]);
    return { address, collateral, positions, credit, withdrawals: withdrawals.map((w) => ({ ...w })), cash };
  }

  /** Signed cash of `account` in the SettlementPool (1e18 USD) as of the indexed events; 0n if it has none. */
  async cashOf(account: string): Promise<bigint> {
    const row = await this.dataSource.getRepository(CashEntity).findOneBy({ account });
    return row?.cash ?? 0n;
  }

  /** CashChanged of `account`, newest first. */
  async cashHistory(account: string, limit: number, offset: number): Promise<Page<CashEventRow>> {
    const [rows, total] = await this.dataSource.getRepository(CashEventEntity).findAndCount({
      where: { account },
      order: { blockNumber: 'DESC', logIndex: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items: rows.map((r) => ({ ...r })), total };
  }

  async accounts(limit: number, offset: number): Promise<Page<string>> {
    const [rows, total] = await this.dataSource.getRepository(AccountEntity).findAndCount({ order: { address: 'ASC' }, take: limit, skip: offset });
    return { items: rows.map((r) => r.address), total };
  }

  async collateralOf(account: string): Promise<CollateralRow[]> {
    const rows = await this.dataSource.getRepository(CollateralEntity).find({ where: { account }, order: { eid: 'ASC', assetId: 'ASC' } });
    return rows.map((r) => ({ ...r }));
  }

  async positionsOf(account: string): Promise<PositionRow[]> {
    const rows = await this.dataSource.getRepository(PositionEntity).find({ where: { account }, order: { marketId: 'ASC' } });
    return rows.map((r) => ({ ...r }));
  }

  async creditOf(account: string): Promise<CreditRow | null> {
    const row = await this.dataSource.getRepository(CreditEntity).findOneBy({ account });
    return row ? { ...row } : null;
  }

  async withdrawals(account: string, filter: { status?: WithdrawalStatus; limit: number; offset: number }): Promise<Page<WithdrawalRow>> {
    const [rows, total] = await this.dataSource.getRepository(WithdrawalEntity).findAndCount({
      where: { account, ...(filter.status ? { status: filter.status } : {}) },
      order: { eid: 'ASC', requestId: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items: rows.map((r) => ({ ...r })), total };
  }

  /** Collateral rows of one chain (reconciliation), by account and asset. */
  async collateralOnChain(eid: number): Promise<CollateralRow[]> {
    const rows = await this.dataSource.getRepository(CollateralEntity).find({ where: { eid }, order: { account: 'ASC', assetId: 'ASC' } });
    return rows.map((r) => ({ ...r }));
  }

  /**
   * Per collateral chain (eid): the newest trading-chain block where the hub reported one of its vault messages
   * delivered (any type, heartbeats included; chain_liveness).
   */
  async lastMessageBlocks(): Promise<Map<number, number>> {
    const rows = await this.dataSource.getRepository(ChainLivenessEntity).find();
    return new Map(rows.map((r) => [Number(r.eid), Number(r.lastMessageBlock)]));
  }

  /** Per collateral chain (eid): the newest trading-chain block where the hub applied one of its attestations. */
  async lastAttestationBlocks(): Promise<Map<number, number>> {
    const rows = await this.dataSource
      .getRepository(CollateralEntity)
      .createQueryBuilder('c')
      .select('c.eid', 'eid')
      .addSelect('MAX(c.attested_block)', 'block')
      .where('c.attested_block > 0')
      .groupBy('c.eid')
      .getRawMany<{ eid: number | string; block: number | string }>();
    return new Map(rows.map((r) => [Number(r.eid), Number(r.block)]));
  }

  async latestEpoch(): Promise<CreditEpochRow | null> {
    const [row] = await this.dataSource.getRepository(CreditEpochEntity).find({ order: { epoch: 'DESC' }, take: 1 });
    return row ? { ...row } : null;
  }

  async cursors(): Promise<ChainCursor[]> {
    const rows = await this.dataSource.getRepository(ChainCursorEntity).find({ order: { eid: 'ASC' } });
    return rows.map((r) => ({
      eid: r.eid,
      nextBlock: Number(r.nextBlock),
      headBlock: r.headBlock,
      headTime: r.headTime,
      indexedTime: r.indexedTime,
      updatedAt: r.updatedAt,
    }));
  }

  async eventCount(): Promise<number> {
    return this.dataSource.getRepository(ChainEventEntity).count();
  }

  async snapshot(): Promise<LedgerSnapshot> {
    const plain = <T extends object>(rows: T[]): T[] => rows.map((r) => ({ ...r }));
    const [accounts, collateral, positions, credit, epochs, withdrawals, cash, cashHistory] = await Promise.all([
      this.dataSource.getRepository(AccountEntity).find({ order: { address: 'ASC' } }),
      this.dataSource.getRepository(CollateralEntity).find({ order: { account: 'ASC', eid: 'ASC', assetId: 'ASC' } }),
      this.dataSource.getRepository(PositionEntity).find({ order: { account: 'ASC', marketId: 'ASC' } }),
      this.dataSource.getRepository(CreditEntity).find({ order: { account: 'ASC' } }),
      this.dataSource.getRepository(CreditEpochEntity).find({ order: { epoch: 'ASC' } }),
      this.dataSource.getRepository(WithdrawalEntity).find({ order: { eid: 'ASC', requestId: 'ASC' } }),
      this.dataSource.getRepository(CashEntity).find({ order: { account: 'ASC' } }),
      this.dataSource.getRepository(CashEventEntity).find({ order: { account: 'ASC', blockNumber: 'ASC', logIndex: 'ASC' } }),
    ]);
    return {
      accounts: accounts.map((a) => a.address),
      collateral: plain(collateral),
      positions: plain(positions),
      credit: plain(credit),
      epochs: plain(epochs),
      withdrawals: plain(withdrawals),
      cash: plain(cash),
      cashHistory: plain(cashHistory),
    };
  }
}
