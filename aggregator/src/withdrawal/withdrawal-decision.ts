import type { AccountHoldings, RiskResult } from '@tributary/risk';

/**
 * The aggregator's half of a two-key withdrawal, as plain functions: the exact post-withdrawal risk with the
 * live formulas (docs/risk-model.md) decides. Approve iff L' ≥ F^init and H' ≥ 1 (or unbounded); the hub adds
 * its own checks (mark, fresh push, no seizure in flight, on-chain credit covering the haircut value).
 */

/** The decider's reasons, numbered as IMarginHub.RejectReason. */
export const DECIDER_REJECT_REASONS = { PostWithdrawalCreditBelowFloor: 10, PostWithdrawalHealthBelowOne: 11 } as const;

export interface WithdrawalVerdict {
  approve: boolean;
  /** 0 when approved, else a DECIDER_REJECT_REASONS value. */
  reason: number;
  creditLimitAfter: number;
  floorInitAfter: number;
  healthAfter: number | null;
}

/** One amount leaving a balance, in token units (the model's unit). */
export interface Outflow {
  eid: number;
  /** The book's asset id. */
  assetId: string;
  amount: number;
}

export function verdictOf(after: RiskResult): WithdrawalVerdict {
  const terms = { creditLimitAfter: after.creditLimit, floorInitAfter: after.floorInit, healthAfter: after.health };
  if (!(after.creditLimit >= after.floorInit)) return { approve: false, reason: DECIDER_REJECT_REASONS.PostWithdrawalCreditBelowFloor, ...terms };
  if (after.health !== null && !(after.health >= 1)) return { approve: false, reason: DECIDER_REJECT_REASONS.PostWithdrawalHealthBelowOne, ...terms };
  return { approve: true, reason: 0, ...terms };
}

/** The holdings once `outflows` have left (a balance never goes below zero; emptied balances drop out). */
export function holdingsAfter(holdings: AccountHoldings, outflows: readonly Outflow[]): AccountHoldings {
  const balances = holdings.balances
    .map((b) => {
      const out = outflows.filter((o) => o.eid === b.eid && o.assetId === b.assetId).reduce((sum, o) => sum + o.amount, 0);
      return { ...b, amount: Math.max(0, b.amount - out) };
    })
    .filter((b) => b.amount > 0);
  return { ...holdings, balances };
}

/**
 * The largest amount of one balance the decider would approve now (token units): the whole balance when that
 * passes, else a bisection to 1e-9 of the balance (the verdict is monotone: less out never lowers L' or H').
 */
export function maxApprovable(preview: (holdings: AccountHoldings) => RiskResult, holdings: AccountHoldings, eid: number, assetId: string): number {
  const balance = holdings.balances.find((b) => b.eid === eid && b.assetId === assetId)?.amount ?? 0;
  const passes = (amount: number) => verdictOf(preview(holdingsAfter(holdings, [{ eid, assetId, amount }]))).approve;
  if (balance <= 0 || passes(balance)) return balance;
  if (!passes(0)) return 0;
  let lo = 0;
  let hi = balance;
  for (let i = 0; i < 32 && hi - lo > balance * 1e-9; i++) {
    const mid = (lo + hi) / 2;
    if (passes(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
