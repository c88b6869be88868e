import type { RiskResult } from '@tributary/risk';

/** Why credit increases are held back for an account: a held (or traded) asset has a bad price now. */
export interface CreditFreeze {
  assetId: number;
  symbol: string;
  reason: 'stale' | 'deviating' | 'unavailable';
  /** Human-readable detail, e.g. "price 1843.2 is 2 h old (heartbeat 3600 s)". */
  detail: string;
}

/** The live risk of one account, as the credit pusher and the liquidation watch consume it. */
export interface AccountRisk {
  /** Lower-case 0x address. */
  account: string;
  /** Every term of the risk model (docs/risk-model.md), USD, float64. */
  result: RiskResult;
  /** Cash (1e18 USD, signed) the result was computed at: the pusher pushes creditLimit − cash. */
  cash: bigint;
  /** Asset ids the account holds collateral in or has positions on. */
  assets: number[];
  /** Non-empty while a price guard blocks credit increases for this account (decreases still go out). */
  frozen: CreditFreeze[];
  /** ms since epoch (the aggregator's clock). */
  computedAt: number;
}

/**
 * Read side of the live risk engine (implemented by RiskService, provided under this class as the
 * Nest token). The credit pusher and the liquidation watch depend on this, not on the engine.
 */
export abstract class RiskReader {
  abstract get(account: string): AccountRisk | undefined;
  abstract all(): AccountRisk[];
  /** Called with the accounts whose credit limit, health, liquidatability or freeze changed. */
  abstract subscribe(listener: (changed: AccountRisk[]) => void): () => void;
  /** Resolves once everything the ledger and the oracle held when it was called is reflected. */
  abstract refresh(): Promise<void>;
}

/** Same credit limit, health, liquidatability and freezes: nothing a reader acts on changed. */
export function sameRisk(a: AccountRisk, b: AccountRisk): boolean {
  return (
    Object.is(a.result.creditLimit, b.result.creditLimit) &&
    Object.is(a.result.health, b.result.health) &&
    a.result.liquidatable === b.result.liquidatable &&
    freezeKey(a) === freezeKey(b)
  );
}

const freezeKey = (risk: AccountRisk): string => risk.frozen.map((f) => `${f.assetId}:${f.reason}`).join(',');
