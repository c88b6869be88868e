import { formatUnits } from 'ethers';
import { planLiquidationWith, type LiquidationPlan } from '@tributary/risk';
import type { RiskBookSync } from '../risk/book-sync';
import { holdingsOf } from '../risk/risk-inputs';
import type { RiskReader } from '../risk/risk-reader';
import type { ChainObservation, KeeperRiskView } from './keeper-ports';

/**
 * The live risk engine as the keeper sees it: who is below health 1, whether the book already holds the
 * chain's positions and cash for an account (exact: the same 1e18 integers converted the same way), and the
 * DESIGN plan's fraction on the book (`planLiquidationWith` over the book's preview of the account).
 */
export class LiveKeeperRisk implements KeeperRiskView {
  constructor(
    private readonly risk: RiskReader,
    private readonly book: RiskBookSync,
    private readonly targetHealth: number,
    private readonly penalty: () => number,
  ) {}

  liquidatable(): string[] {
    return this.risk
      .all()
      .filter((a) => a.result.liquidatable)
      .map((a) => a.account);
  }

  isLiquidatable(account: string): boolean {
    return this.risk.get(account.toLowerCase())?.result.liquidatable ?? false;
  }

  inSync(account: string, chain: Pick<ChainObservation, 'positions' | 'cash'>): boolean {
    const inputs = this.book.inputsOf(account);
    const positions = chain.positions.filter((p) => p.size !== 0n);
    if (!inputs) return positions.length === 0 && chain.cash === 0n;
    if (inputs.cashWad !== chain.cash || inputs.positions.length !== positions.length) return false;
    return positions.every((p) => inputs.positions.some((q) => q.marketId === p.marketId && q.size === Number(formatUnits(p.size, 18))));
  }

  planFraction(account: string): number {
    return planOnBook(this.book, account, this.targetHealth, this.penalty())?.fraction ?? 1;
  }
}

/** The DESIGN liquidation plan for one account on the live book; null when the book does not hold it. */
export function planOnBook(sync: RiskBookSync, account: string, targetHealth: number, penalty: number): LiquidationPlan | null {
  const inputs = sync.inputsOf(account);
  const book = sync.book;
  if (!inputs || !book) return null;
  const holdings = holdingsOf(inputs);
  return planLiquidationWith(
    {
      positions: holdings.positions,
      cash: inputs.cash,
      priceOf: (assetId) => sync.bookPrice(Number(assetId)),
      targetHealth,
      liquidationPenalty: penalty,
    },
    (positions, cash) => book.preview({ ...holdings, positions, cash }).health,
  );
}
