import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import { ChainCursorEntity } from '../database/chain-cursor.entity';
import { rawQuery, tableName } from '../database/bulk-upsert';
import { ChainEventEntity, WithdrawalEntity } from '../ledger/entities/ledger.entities';
import type { WithdrawalRow } from '../ledger/ledger-state';

/** Withdrawals the ledger holds that still take collateral out: undecided, approved, or released but not settled. */
const OUTSTANDING = ['pending', 'approved', 'released'] as const;

/** The decider's reads of the ledger's withdrawal rows. */
@Injectable()
export class WithdrawalLedgerReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Requests the hub holds for a decision (WithdrawalPending indexed, no WithdrawalDecided yet), oldest first. */
  async pending(limit = 200): Promise<WithdrawalRow[]> {
    const rows = await this.dataSource
      .getRepository(WithdrawalEntity)
      .find({ where: { status: 'pending' }, order: { requestId: 'ASC' }, take: limit });
    return rows.map((r) => ({ ...r }));
  }

  /** The account's withdrawals whose amounts are still in its hub-attested balance. */
  async outstanding(account: string): Promise<WithdrawalRow[]> {
    const rows = await this.dataSource.getRepository(WithdrawalEntity).find({ where: { account, status: In([...OUTSTANDING]) } });
    return rows.map((r) => ({ ...r }));
  }

  /**
   * Accounts with an indexed event of chain `eid` less than `finality` blocks deep (above head − finality): their
   * ledger rows may still be rolled back by a reorg. Empty when `finality` is 0.
   */
  async unsettledAccounts(eid: number, finality: number): Promise<Set<string>> {
    if (finality <= 0) return new Set();
    const cursor = await this.dataSource.getRepository(ChainCursorEntity).findOneBy({ eid });
    if (!cursor) return new Set();
    const head = cursor.headBlock ?? Number(cursor.nextBlock) - 1;
    const manager = this.dataSource.manager;
    const rows = await rawQuery<{ account: string }>(
      manager,
      `SELECT DISTINCT account FROM ${tableName(manager, ChainEventEntity)} WHERE eid = ? AND block_number > ? AND account IS NOT NULL`,
      [eid, head - finality],
    );
    return new Set(rows.map((r) => r.account.toLowerCase()));
  }
}
