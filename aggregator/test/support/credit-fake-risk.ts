import type { RiskResult } from '@tributary/risk';
import { RiskReader, type AccountRisk, type CreditFreeze } from '../../src/risk/risk-reader';

/** A RiskReader whose accounts the test sets (unit/service tests of the pusher and the liquidation watch). */
export class FakeRiskReader extends RiskReader {
  private readonly accounts = new Map<string, AccountRisk>();
  private readonly listeners = new Set<(changed: AccountRisk[]) => void>();

  /** Sets (and announces) an account's risk; `creditLimit` in USD. */
  set(
    account: string,
    risk: { creditLimit: number; health?: number | null; frozen?: CreditFreeze[]; collateralMaint?: number; requirementMaint?: number },
  ): AccountRisk {
    const health = risk.health === undefined ? null : risk.health;
    const result: RiskResult = {
      collateralInit: risk.creditLimit,
      collateralMaint: risk.collateralMaint ?? risk.creditLimit,
      unrealizedPnl: 0,
      pnlAdjusted: 0,
      exposure: {},
      varInit: 0,
      varMaint: 0,
      floorInit: 0,
      floorMaint: 0,
      requirementInit: 0,
      requirementMaint: risk.requirementMaint ?? 0,
      health,
      creditLimit: risk.creditLimit,
      creditLimitSigned: risk.creditLimit,
      liquidatable: health !== null && health < 1,
    };
    const entry: AccountRisk = { account: account.toLowerCase(), result, cash: 0n, assets: [2], frozen: risk.frozen ?? [], computedAt: Date.now() };
    this.accounts.set(entry.account, entry);
    for (const listener of this.listeners) listener([entry]);
    return entry;
  }

  get(account: string): AccountRisk | undefined {
    return this.accounts.get(account.toLowerCase());
  }

  all(): AccountRisk[] {
    return [...this.accounts.values()];
  }

  subscribe(listener: (changed: AccountRisk[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async refresh(): Promise<void> {}
}
