import type { HubWithdrawalLimits } from '../chain/credit-contracts';

/** Which check sets an account's largest withdrawal of one asset now. */
export type WithdrawableLimit = 'risk' | 'credit' | 'balance' | 'stale-credit' | 'liquidatable' | 'seizure-in-flight' | 'price-unavailable';

export interface WithdrawableAmount {
  /** Token base units. */
  amount: bigint;
  limitedBy: WithdrawableLimit;
}

/**
 * The largest withdrawal both keys approve right now: the decider's (`riskMax`, from the post-withdrawal risk)
 * and the hub's (attested balance not yet pending, and on-chain credit covering the haircut value; nothing while
 * marked, stale or with a seizure in flight). Plain function over the reads.
 */
export function withdrawableAmount(riskMax: bigint, hub: HubWithdrawalLimits, decimals: number): WithdrawableAmount {
  if (hub.liquidatable) return { amount: 0n, limitedBy: 'liquidatable' };
  if (hub.seizuresInFlight > 0n) return { amount: 0n, limitedBy: 'seizure-in-flight' };
  if (hub.valuePerToken === null) return { amount: 0n, limitedBy: 'price-unavailable' };
  const byCredit =
    hub.creditBalance <= 0n
      ? 0n
      : hub.valuePerToken === 0n
        ? hub.withdrawableBalance
        : (hub.creditBalance * 10n ** BigInt(decimals)) / hub.valuePerToken;
  const candidates: [bigint, WithdrawableLimit][] = [
    [hub.withdrawableBalance, 'balance'],
    [riskMax, 'risk'],
    [byCredit, 'credit'],
  ];
  let best = candidates[0];
  for (const c of candidates) if (c[0] < best[0]) best = c;
  if (best[0] > 0n && hub.stale) return { amount: 0n, limitedBy: 'stale-credit' };
  return { amount: best[0] < 0n ? 0n : best[0], limitedBy: best[1] };
}
