/**
 * Auction breaker (docs/breakers-and-dampeners.md, after Maker's ClipperMom): when an asset's oracle price falls
 * more than β within one window, new lots and takes of that asset pause until the guardian resumes or the window
 * has passed since the last fall that tripped it. Pure: computed from the price history alone.
 */

/** β: the fall within one window that trips the breaker (30 %). */
export const DEFAULT_AUCTION_BREAKER_DROP = 0.3;
export const DEFAULT_AUCTION_BREAKER_WINDOW_S = 3_600;

export interface AuctionBreakerParams {
  /** β, a fraction in (0, 1). */
  maxDrop: number;
  windowSeconds: number;
}

export const DEFAULT_AUCTION_BREAKER: AuctionBreakerParams = {
  maxDrop: DEFAULT_AUCTION_BREAKER_DROP,
  windowSeconds: DEFAULT_AUCTION_BREAKER_WINDOW_S,
};

export interface PricePoint {
  /** Unix s (on-chain time). */
  at: number;
  price: number;
}

export interface AuctionBreakerState {
  paused: boolean;
  /** The last sample at which the price stood more than β below the window's high (null: never since resume). */
  trippedAt: number | null;
  /** trippedAt + window: when the pause ends without a guardian (null: never tripped). */
  pausedUntil: number | null;
  /** The window's high and the price that tripped it. */
  referencePrice: number | null;
  triggerPrice: number | null;
  /** The largest fall (fraction) within one window seen in the history considered. */
  largestDrop: number;
}

/**
 * The breaker at `now` from `history` (sorted by time here, samples of one second keeping their given order; points after `now` ignored). Each point at time t trips it when
 * `price < (1 − β) · max(prices in [t − window, t])`; the pause lasts until `last trip + window`. A guardian resume
 * at `resumedAt` discards every point at or before it: only a new fall measured after the resume trips it again.
 */
export function auctionBreaker(
  history: readonly PricePoint[],
  now: number,
  params: AuctionBreakerParams = DEFAULT_AUCTION_BREAKER,
  resumedAt: number | null = null,
): AuctionBreakerState {
  validateAuctionBreakerParams(params);
  const points = history.filter((p) => p.at <= now && (resumedAt === null || p.at > resumedAt) && p.price > 0).sort((a, b) => a.at - b.at);
  const state: AuctionBreakerState = { paused: false, trippedAt: null, pausedUntil: null, referencePrice: null, triggerPrice: null, largestDrop: 0 };
  // Monotone deque of indices whose prices decrease: the window's high is at its head.
  const deque: number[] = [];
  let head = 0;
  for (let i = 0; i < points.length; i++) {
    const { at, price } = points[i];
    while (deque.length > head && points[deque[deque.length - 1]].price <= price) deque.pop();
    deque.push(i);
    while (points[deque[head]].at < at - params.windowSeconds) head++;
    const high = points[deque[head]].price;
    const drop = 1 - price / high;
    if (drop > state.largestDrop) state.largestDrop = drop;
    if (price < (1 - params.maxDrop) * high) {
      state.trippedAt = at;
      state.pausedUntil = at + params.windowSeconds;
      state.referencePrice = high;
      state.triggerPrice = price;
    }
  }
  state.paused = state.pausedUntil !== null && now < state.pausedUntil;
  return state;
}

export function validateAuctionBreakerParams(params: AuctionBreakerParams): void {
  if (!(params.maxDrop > 0 && params.maxDrop < 1)) throw new RangeError(`auction breaker maxDrop must be in (0, 1), got ${params.maxDrop}`);
  if (!(params.windowSeconds > 0 && Number.isFinite(params.windowSeconds)))
    throw new RangeError(`auction breaker windowSeconds must be > 0, got ${params.windowSeconds}`);
}
