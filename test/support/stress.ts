import { EMPTY_RATE_LIMIT_STATE, admitLiquidations, type LiquidationCandidate, type RateLimitState } from '@tributary/risk';
import { TributaryError } from '@tributary/sdk';

/** One asset of `GET /v1/oracle/stress`. */
export interface StressAssetView {
  assetId: number;
  symbol: string;
  price: number | null;
  /** The tracker's stable price (steps every oracle poll) and the chain time of its last step. */
  stablePrice: number | null;
  stableUpdatedAt: string | null;
  /** The stable price the risk book's init side uses (follows the tracker by ≥ 1 bp steps). */
  bookStablePrice: number | null;
  gap: number | null;
  breaker: {
    paused: boolean;
    trippedAt: string | null;
    pausedUntil: string | null;
    referencePrice: number | null;
    triggerPrice: number | null;
    largestDrop: number;
  };
  /** What each collateral chain's CollateralAuction enforces (read by the aggregator every few seconds). */
  onChain: { eid: number; chain: string; paused: boolean; pausedUntil: string | null; referencePrice: number | null; maxDrop: number }[];
}

/** `GET /v1/oracle/stress`. */
export interface OracleStressView {
  chainTime: string | null;
  stablePrice: { maxStep: number; intervalSeconds: number };
  auctionBreaker: { maxDrop: number; windowSeconds: number };
  assets: StressAssetView[];
}

/** `GET /v1/liquidations/queue`. */
export interface LiquidationQueueView {
  limit: number;
  used: number;
  openInterest: number;
  referenceOpenInterest: number;
  windowSeconds: number;
  maxFractionOfOpenInterest: number;
  nextReleaseAt: string | null;
  window: { account: string; at: string; cost: number }[];
  admittable: LiquidationCandidate[];
  queued: LiquidationCandidate[];
}

/** `GET /v1/accounts/:address/risk`, the fields the stress story reads. */
export interface StressRiskView {
  computedAt: string;
  result: { creditLimit: number; varInit: number; floorInit: number; health: number | null; liquidatable: boolean };
  inputs: {
    balances: { eid: number; assetId: number; amount: number; chainWeight: number }[];
    positions: { assetId: number; size: number; entryPrice: number }[];
    prices: { assetId: number; price: number; stablePrice: number | null; status: string }[];
  };
}

const seconds = (iso: string | null): number => (iso === null ? NaN : Date.parse(iso) / 1000);
export { seconds as isoSeconds };

/**
 * The most the stable price may rise between two of its steps `dt` seconds of chain time apart: each oracle poll
 * moves it by at most s·δ·Δt/τ, so steps compound to s·(e^{δ·dt/τ} − 1) (docs/breakers-and-dampeners.md).
 */
export function stableRiseBound(stable: number, dt: number, maxStep: number, intervalSeconds: number): number {
  return stable * Math.expm1((maxStep * Math.max(0, dt)) / intervalSeconds);
}

/**
 * The largest rise of an account's credit limit between two risk reads when only `assetId`'s price moved
 * (docs/breakers-and-dampeners.md "What a spike can do to credit"): G·max(0, s₂ − p⁻₁) + H·max(0, p⁺₁ − s₂) +
 * max(0, charge₁ − charge₂), with G the init-weighted units held (weights ≤ the asset's base weight) plus the long
 * perp size, H the short size and charge = max(0, VaR^init − F^init).
 */
export function creditRiseBound(before: StressRiskView, after: StressRiskView, assetId: number, weightInit: number): number {
  const units = before.inputs.balances.filter((b) => b.assetId === assetId).reduce((s, b) => s + b.amount * weightInit * b.chainWeight, 0);
  const size = before.inputs.positions.filter((p) => p.assetId === assetId).reduce((s, p) => s + p.size, 0);
  const price = (r: StressRiskView) => r.inputs.prices.find((p) => p.assetId === assetId)!;
  const p1 = price(before);
  const s1 = p1.stablePrice ?? p1.price;
  const s2 = price(after).stablePrice ?? price(after).price;
  const charge = (r: StressRiskView) => Math.max(0, r.result.varInit - r.result.floorInit);
  return (
    (units + Math.max(0, size)) * Math.max(0, s2 - Math.min(p1.price, s1)) +
    Math.max(0, -size) * Math.max(0, Math.max(p1.price, s1) - s2) +
    Math.max(0, charge(before) - charge(after))
  );
}

/**
 * Awaits an action the contracts should refuse and returns the custom error's name (`InsufficientCredit`,
 * `MarketOpenInterestCap`, …); fails if the action went through.
 */
export async function revertName(action: PromiseLike<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    const name = error instanceof TributaryError ? (error.details as { errorName?: unknown }).errorName : undefined;
    if (typeof name === 'string') return name;
    throw error;
  }
  throw new Error('the action went through; a revert was expected');
}

/**
 * How long the queue takes to clear at the limiter's settings if nothing else changes: the library's admission
 * (lowest health first, strict order) replayed window after window from the window's current admissions. Returns the
 * windows still needed (0: the queue is empty) and the hours from the first admission to the last.
 */
export function clearingTime(queue: LiquidationQueueView): { windows: number; hours: number } {
  const params = { maxFractionOfOpenInterest: queue.maxFractionOfOpenInterest, windowSeconds: queue.windowSeconds };
  let state: RateLimitState = { admissions: queue.window.map((a) => ({ account: a.account, at: seconds(a.at), cost: a.cost })) };
  if (state.admissions.length === 0) state = EMPTY_RATE_LIMIT_STATE;
  const start = state.admissions.length ? state.admissions[0].at : 0;
  let waiting = [...queue.admittable, ...queue.queued];
  let now = state.admissions.length ? start : 0;
  let windows = 0;
  while (waiting.length > 0) {
    const result = admitLiquidations(state, waiting, now, queue.referenceOpenInterest, params);
    if (result.admitted.length === 0) {
      now = result.nextReleaseAt ?? now + queue.windowSeconds;
      continue;
    }
    windows++;
    state = result.state;
    waiting = result.queued;
    if (waiting.length) now = result.nextReleaseAt ?? now + queue.windowSeconds;
  }
  return { windows, hours: (now - start) / 3600 };
}
