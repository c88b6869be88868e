import { Injectable } from '@nestjs/common';
import { parseUnits } from 'ethers';
import { ChainRegistry } from '../chain/chain-registry';
import { TradingChain } from '../credit/trading-chain';
import { RiskBookSync } from '../risk/book-sync';
import { bookId, holdingsOf } from '../risk/risk-inputs';
import { holdingsAfter, maxApprovable } from './withdrawal-decision';
import { withdrawableAmount, type WithdrawableLimit } from './withdrawable';
import { WithdrawalLedgerReader } from './withdrawal-ledger.reader';

export interface WithdrawableEntry {
  eid: number;
  assetId: number;
  symbol: string;
  /** Token base units. */
  amount: bigint;
  limitedBy: WithdrawableLimit;
}

/** Per chain and asset, the largest collateral withdrawal the two keys would approve right now. */
@Injectable()
export class WithdrawableService {
  constructor(
    private readonly registry: ChainRegistry,
    private readonly book: RiskBookSync,
    private readonly ledger: WithdrawalLedgerReader,
    private readonly chain: TradingChain,
  ) {}

  get enabled(): boolean {
    return this.book.book !== null && this.chain.hub !== null;
  }

  /** Null when the account is not in the risk book (or the engine or hub is not configured). */
  async of(account: string): Promise<WithdrawableEntry[] | null> {
    const inputs = this.book.inputsOf(account);
    if (!this.enabled || !inputs) return null;
    const outstanding = await this.ledger.outstanding(account);
    const decimalsOf = (eid: number, assetId: number) => this.registry.chain(eid)?.assets.find((a) => a.assetId === assetId)?.decimals;
    const leaving = outstanding.flatMap((w) => {
      const decimals = decimalsOf(w.eid, w.assetId);
      return decimals === undefined ? [] : [{ eid: w.eid, assetId: bookId(w.assetId), amount: Number(w.amount) / 10 ** decimals }];
    });
    const holdings = holdingsAfter(holdingsOf(inputs), leaving);
    const preview = (h: typeof holdings) => this.book.book!.preview(h);
    return Promise.all(
      inputs.balances.map(async (b) => {
        const decimals = decimalsOf(b.eid, b.assetId)!;
        const units = maxApprovable(preview, holdings, b.eid, bookId(b.assetId));
        const riskMax = parseUnits(units.toFixed(decimals), decimals);
        const hub = await this.chain.hubWithdrawalLimits(account, b.eid, b.assetId, decimals);
        const { amount, limitedBy } = withdrawableAmount(riskMax, hub, decimals);
        return { eid: b.eid, assetId: b.assetId, symbol: b.symbol, amount, limitedBy };
      }),
    );
  }
}
