import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { getAddress } from 'ethers';
import { In, type DataSource } from 'typeorm';
import { CreditEntity, CreditEpochEntity } from '../ledger/entities/ledger.entities';

/** The ledger's view of an account's credit (CreditLimitSet / Consumed / Reserved events, as indexed). */
export interface LedgerCredit {
  limit: bigint;
  epoch: bigint;
  liquidatable: boolean;
  /** used + reserved. */
  committed: bigint;
}

const KEYS_PER_SELECT = 500;

/** Bulk read of the ledger's credit rows (the pusher asks for many accounts at once). Keys: lower-case addresses. */
@Injectable()
export class CreditLedgerReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async credit(accounts: readonly string[]): Promise<Map<string, LedgerCredit>> {
    const out = new Map<string, LedgerCredit>();
    const repo = this.dataSource.getRepository(CreditEntity);
    const checksummed = accounts.map((a) => getAddress(a));
    for (let i = 0; i < checksummed.length; i += KEYS_PER_SELECT) {
      const rows = await repo.findBy({ account: In(checksummed.slice(i, i + KEYS_PER_SELECT)) });
      for (const r of rows)
        out.set(r.account.toLowerCase(), { limit: r.limit, epoch: r.epoch, liquidatable: r.liquidatable, committed: r.used + r.reserved });
    }
    return out;
  }

  /** Accounts the ledger has a credit row for (takeover: every account the CreditManager may hold credit for). */
  async accounts(): Promise<string[]> {
    const rows = await this.dataSource.getRepository(CreditEntity).find({ select: { account: true } });
    return rows.map((r) => r.account.toLowerCase());
  }

  /** Newest CreditBatchPushed epoch the ledger has indexed (null = none). */
  async latestEpoch(): Promise<bigint | null> {
    const [row] = await this.dataSource.getRepository(CreditEpochEntity).find({ order: { epoch: 'DESC' }, take: 1 });
    return row ? row.epoch : null;
  }
}
