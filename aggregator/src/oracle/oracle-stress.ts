import {
  auctionBreaker,
  initialStablePrice,
  updateStablePrice,
  type AuctionBreakerParams,
  type AuctionBreakerState,
  type PricePoint,
  type StablePriceParams,
  type StablePriceState,
} from '@tributary/risk';

export interface OracleStressSettings {
  stable: StablePriceParams;
  breaker: AuctionBreakerParams;
  /** Relative move of the stable price after which the risk book takes the new value. */
  bookEpsilon: number;
}

/** A history point is kept at least this often while the price stands still (so the window's high stays visible). */
const HISTORY_KEEPALIVE_S = 60;

/**
 * The oracle side of the breakers and dampeners, per asset, on trading-chain time: the stable price (the risk
 * library's tracker), the stable price the risk book was last given, and a short price history for the auction
 * breaker. Plain state, no I/O: OracleService feeds it on every poll and seeds it from the persisted samples.
 */
export class OracleStress {
  private readonly stable = new Map<number, StablePriceState>();
  private readonly announced = new Map<number, number>();
  private readonly history = new Map<number, PricePoint[]>();
  private chainTime: number | null = null;
  /** The latest guardian resume on chain per asset (unix s): points up to it no longer count. */
  private readonly resumed = new Map<number, number>();
  /** The governed δ/τ per asset (RiskParameters kinds 14, 15); absent: `settings.stable`. */
  private readonly stableParams = new Map<number, StablePriceParams>();

  constructor(readonly settings: OracleStressSettings) {}

  /** Trading-chain time (unix s) of the last observation; null before the first. */
  get lastChainTime(): number | null {
    return this.chainTime;
  }

  /**
   * Replays persisted samples (oldest first; those after `now` ignored) through the tracker, so a restart does not
   * reset the stable price to a price that just spiked; the tracker then continues from `now` (chain time).
   */
  seed(assetId: number, samples: readonly PricePoint[], now: number): void {
    const past = samples.filter((s) => s.at <= now && s.price > 0);
    if (this.stable.has(assetId) || past.length === 0) return;
    let state = initialStablePrice(past[0].price, past[0].at);
    for (const s of past.slice(1)) state = updateStablePrice(state, s.price, s.at, this.paramsOf(assetId));
    this.stable.set(assetId, { price: state.price, lastUpdate: now });
    // The breaker's history too (coarse: one sample per sampling interval), so a restart keeps a recent fall.
    for (const s of past) this.record(assetId, s.price, s.at);
  }

  /**
   * One accepted oracle price at chain time `now`: steps the stable price and records the point. Returns whether
   * the stable price the book should use changed (first value, moved ≥ bookEpsilon, or reached the oracle price).
   */
  observe(assetId: number, price: number, now: number): boolean {
    this.chainTime = this.chainTime === null ? now : Math.max(this.chainTime, now);
    const before = this.stable.get(assetId);
    const next = before ? updateStablePrice(before, price, now, this.paramsOf(assetId)) : initialStablePrice(price, now);
    this.stable.set(assetId, next);
    this.record(assetId, price, now);
    const announced = this.announced.get(assetId);
    const changed =
      announced === undefined ||
      (next.price !== announced && (next.price === price || Math.abs(next.price / announced - 1) >= this.settings.bookEpsilon));
    if (changed) this.announced.set(assetId, next.price);
    return changed;
  }

  /** δ and τ the tracker steps the asset with. */
  paramsOf(assetId: number): StablePriceParams {
    return this.stableParams.get(assetId) ?? this.settings.stable;
  }

  /**
   * The chain's governed δ/τ (absent for an asset: the env defaults). Not retroactive: the state was stepped at the
   * old values up to the last poll, so only time after it (at most one poll) moves at the new ones, like the chain's
   * feed, which settles s at the old values in the block that changes them.
   */
  setStableParams(params: ReadonlyMap<number, StablePriceParams>): void {
    this.stableParams.clear();
    for (const [assetId, p] of params) this.stableParams.set(assetId, p);
  }

  /** The tracker's exact state (moves every poll). */
  stablePrice(assetId: number): StablePriceState | undefined {
    return this.stable.get(assetId);
  }

  /** The stable price the risk book uses (changes by at least bookEpsilon); null before the first price. */
  bookStablePrice(assetId: number): number | null {
    return this.announced.get(assetId) ?? null;
  }

  /** The auction breaker of an asset at `now` (chain time; default: the last observation's). */
  breaker(assetId: number, now = this.chainTime ?? 0): AuctionBreakerState {
    return auctionBreaker(this.history.get(assetId) ?? [], now, this.settings.breaker, this.resumed.get(assetId) ?? null);
  }

  /** A guardian resumed the asset's auctions on chain at `at` (unix s): the same resume applies here. */
  resumedAt(assetId: number, at: number): void {
    if (at > (this.resumed.get(assetId) ?? 0)) this.resumed.set(assetId, at);
  }

  private record(assetId: number, price: number, now: number): void {
    let points = this.history.get(assetId);
    if (!points) this.history.set(assetId, (points = []));
    const last = points[points.length - 1];
    if (last && now < last.at) return;
    if (last && last.price === price && now - last.at < HISTORY_KEEPALIVE_S) return;
    points.push({ at: now, price });
    // Keep two windows: a trip's pause lasts one window after a point whose high is up to one window older.
    const from = now - 2 * this.settings.breaker.windowSeconds;
    let drop = 0;
    while (drop < points.length - 1 && points[drop].at < from) drop++;
    if (drop > 0) points.splice(0, drop);
  }
}
