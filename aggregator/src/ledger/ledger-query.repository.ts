import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { rawQuery, tableName } from '../database/bulk-upsert';
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

/**
 * The rows the risk book loads for a page of accounts (keyset-paged by address), as the database returns them:
 * amounts are exact decimal strings, every list is in the database's order of `account` (the order of `accounts`).
 */
export interface RiskRowsPage {
  accounts: string[];
  collateral: { account: string; eid: number; assetId: number; balance: string }[];
  positions: { account: string; marketId: number; size: string; entryPrice: string }[];
  cash: { account: string; cash: string }[];
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

  async accountCount(): Promise<number> {
    return this.dataSource.getRepository(AccountEntity).count();
  }

  /**
   * The accounts after `after` (null: from the first), at most `limit`, with their nonzero collateral, open
   * positions and cash: what the risk book needs, in plain SQL (no entity objects), one range read per table.
   */
  async riskRowsPage(after: string | null, limit: number): Promise<RiskRowsPage> {
    const manager = this.dataSource.manager;
    const table = (entity: Parameters<typeof tableName>[1]) => tableName(manager, entity);
    const accountRows = await rawQuery<{ address: string }>(
      manager,
      after === null
        ? `SELECT address FROM ${table(AccountEntity)} ORDER BY address LIMIT ?`
        : `SELECT address FROM ${table(AccountEntity)} WHERE address > ? ORDER BY address LIMIT ?`,
      after === null ? [limit] : [after, limit],
    );
    const accounts = accountRows.map((r) => r.address);
    if (accounts.length === 0) return { accounts, collateral: [], positions: [], cash: [] };
    const range = [accounts[0], accounts[accounts.length - 1]];
    // Integer columns come back as numbers on both engines (int4 on PostgreSQL); the aliases give the row its shape.
    const [collateral, positions, cash] = await Promise.all([
      rawQuery<RiskRowsPage['collateral'][number]>(
        manager,
        `SELECT account, eid, asset_id AS "assetId", balance FROM ${table(CollateralEntity)} WHERE account >= ? AND account <= ? AND balance <> '0' ORDER BY account, eid, asset_id`,
        range,
      ),
      rawQuery<RiskRowsPage['positions'][number]>(
        manager,
        `SELECT account, market_id AS "marketId", size, entry_price AS "entryPrice" FROM ${table(PositionEntity)} WHERE account >= ? AND account <= ? AND size <> '0' ORDER BY account, market_id`,
        range,
      ),
      rawQuery<RiskRowsPage['cash'][number]>(
        manager,
        `SELECT account, cash FROM ${table(CashEntity)} WHERE account >= ? AND account <= ? AND cash <> '0' ORDER BY account`,
        range,
      ),
    ]);
    return { accounts, collateral, positions, cash };
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
