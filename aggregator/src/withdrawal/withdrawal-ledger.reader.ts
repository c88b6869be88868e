import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import { WithdrawalEntity } from '../ledger/entities/ledger.entities';
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
}
