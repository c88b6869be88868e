import { read, type TraderContext } from './context';
import { usd } from '../core/units';

/** An account's credit as the trading chain sees it now (1e18 USD). */
export interface OnChainCredit {
  /** Pushed base (limit − cash at the push). */
  base: bigint;
  /** Live cash in the SettlementPool (signed). */
  cash: bigint;
  /** base + cash: the limit the chain applies. */
  limit: bigint;
  used: bigint;
  /** What a trade or a withdrawal may still take (CreditManager.availableCredit). */
  available: bigint;
  /** Chain time (s) of the last push; 0 = never pushed. */
  updatedAt: number;
  liquidatable: boolean;
}

export async function onChainCredit(ctx: TraderContext, account: string): Promise<OnChainCredit> {
  const cm = ctx.deployment.creditManager();
  const pool = ctx.deployment.trading.contracts.settlementPool ? ctx.deployment.settlementPool() : null;
  const [state, available, cash] = await read('reading credit on the trading chain', () =>
    Promise.all([cm.account(account), cm.availableCredit(account), pool ? pool.cashOf(account) : Promise.resolve(0n)]),
  );
  return {
    base: state.limit,
    cash,
    limit: state.limit + cash,
    used: state.used,
    available,
    updatedAt: Number(state.updatedAt),
    liquidatable: state.liquidatable,
  };
}

/**
 * Whether the chain's credit agrees with the aggregator's risk (`riskLimit`, USD): within the pusher's default
 * hysteresis (max(1 % of the on-chain limit, 1 USD)), so no push is due.
 */
export function creditInLine(onChain: OnChainCredit, riskLimit: number): boolean {
  const chainLimit = usd(onChain.limit);
  return Math.abs(chainLimit - riskLimit) <= Math.max(0.01 * Math.abs(chainLimit), 1) + 1e-6;
}
