import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { Clock, METRICS_REGISTRY, SerialQueue } from '@tributary/service-kit';
import type { ManifestAsset } from '@tributary/protocol';
import type { AuctionBreakerState } from '@tributary/risk';
import { ChainRegistry } from '../chain/chain-registry';
import { TradingRpcRepository } from '../chain/trading-rpc.repository';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { registerOracleMetrics } from './oracle-metrics';
import { OracleStress } from './oracle-stress';
import { registerStressMetrics } from './stress-metrics';
import { PriceGuard, type FeedReading, type PriceStatus } from './price-guard';
import { PriceSampleRepository } from './price-sample.repository';

export interface OraclePrice {
  assetId: number;
  symbol: string;
  /** Last accepted price (USD); null until one was accepted. */
  price: number | null;
  /** Feed timestamp / read time of the accepted price (unix s). */
  updatedAt: number | null;
  observedAt: number | null;
  status: PriceStatus;
  detail: string;
  /** Stable (dampened) price the risk book's init side uses; null until a price was accepted; absent = none. */
  stablePrice?: number | null;
}

interface Feed {
  asset: ManifestAsset;
  guard: PriceGuard;
  lastSampleAt: number | null | undefined;
}

/**
 * Polls the Chainlink feed of every manifest asset on the trading chain through a staleness / deviation guard,
 * keeps the last good price, persists one sample per asset per ORACLE_SAMPLE_INTERVAL_S and tells subscribers
 * about every asset whose status or accepted price changed.
 */
@Injectable()
export class OracleService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OracleService.name);
  private readonly feeds = new Map<number, Feed>();
  private readonly listeners = new Set<(changed: OraclePrice[]) => void>();
  private readonly queue = new SerialQueue();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Bumped whenever a sample is persisted (the risk engine re-reads its EWMA inputs then). */
  private samplesVersion = 0;
  /** Stable prices and the auction breakers' price history, on trading-chain time. */
  readonly stress: OracleStress;
  private seeded = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    registry: ChainRegistry,
    private readonly rpc: TradingRpcRepository,
    private readonly samples: PriceSampleRepository,
    private readonly clock: Clock,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    for (const asset of registry.tradingChain ? registry.assets : []) {
      const guard = new PriceGuard({
        heartbeatSeconds: asset.heartbeatSeconds,
        maxDeviation: asset.maxDeviation,
        confirmations: config.ORACLE_DEVIATION_CONFIRMATIONS,
      });
      this.feeds.set(asset.assetId, { asset, guard, lastSampleAt: undefined });
    }
    this.stress = new OracleStress({
      stable: { maxStep: config.STABLE_PRICE_MAX_STEP, intervalSeconds: config.STABLE_PRICE_INTERVAL_S },
      breaker: { maxDrop: config.AUCTION_BREAKER_DROP, windowSeconds: config.AUCTION_BREAKER_WINDOW_S },
      bookEpsilon: config.STABLE_PRICE_BOOK_EPSILON,
    });
    registerOracleMetrics(
      metrics,
      () => this.prices(),
      () => this.nowSeconds(),
    );
    registerStressMetrics(metrics, () => this.stressViews());
  }

  get enabled(): boolean {
    return this.feeds.size > 0;
  }

  get sampleVersion(): number {
    return this.samplesVersion;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.warn('no manifest assets on a trading chain: oracle idle');
      return;
    }
    if (this.config.ORACLE_POLL_MS > 0) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.queue.idle();
  }

  prices(): OraclePrice[] {
    return [...this.feeds.values()].map((feed) => this.view(feed));
  }

  price(assetId: number): OraclePrice | undefined {
    const feed = this.feeds.get(assetId);
    return feed && this.view(feed);
  }

  /** Per asset: oracle and stable price, the tracker's state and the auction breaker at the last chain time. */
  stressViews(): StressView[] {
    return [...this.feeds.values()].map((feed) => {
      const stable = this.stress.stablePrice(feed.asset.assetId);
      return {
        assetId: feed.asset.assetId,
        symbol: feed.asset.symbol,
        price: feed.guard.current.price,
        stablePrice: stable?.price ?? null,
        stableUpdatedAt: stable?.lastUpdate ?? null,
        bookStablePrice: this.stress.bookStablePrice(feed.asset.assetId),
        breaker: this.stress.breaker(feed.asset.assetId),
      };
    });
  }

  subscribe(listener: (changed: OraclePrice[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads every feed once (after any poll in progress); resolves with the assets whose status or price changed. */
  poll(): Promise<OraclePrice[]> {
    return this.queue.run(() => this.pollOnce());
  }

  private async pollOnce(): Promise<OraclePrice[]> {
    const feeds = [...this.feeds.values()];
    const [readings, chainTime] = await Promise.all([Promise.all(feeds.map((feed) => this.read(feed.asset))), this.chainTime()]);
    const now = this.nowSeconds();
    if (!this.seeded && chainTime !== null) await this.seedStress(chainTime);
    const changed: OraclePrice[] = [];
    feeds.forEach((feed, i) => {
      const moved = feed.guard.observe(readings[i], now);
      const { status, price } = feed.guard.current;
      const stableMoved = chainTime !== null && status === 'ok' && price !== null && this.stress.observe(feed.asset.assetId, price, chainTime);
      if (moved || stableMoved) changed.push(this.view(feed));
    });
    for (const feed of feeds) await this.sample(feed, now);
    if (changed.length) {
      for (const price of changed) if (price.status !== 'ok') this.logger.warn(`${price.symbol} price ${price.status}: ${price.detail}`);
      for (const listener of this.listeners) listener(changed);
    }
    return changed;
  }

  /** The trading chain's latest block time (unix s), the dampener's and the breaker's clock; null if unreadable. */
  private async chainTime(): Promise<number | null> {
    try {
      return await this.rpc.latestBlockTimestamp();
    } catch (error) {
      this.logger.warn(`reading the trading chain's time failed: ${(error as Error).message.slice(0, 200)}`);
      return null;
    }
  }

  /** Rebuilds the stable prices from the persisted samples once (a restart does not reset them to the oracle). */
  private async seedStress(chainTime: number): Promise<void> {
    this.seeded = true;
    for (const feed of this.feeds.values()) {
      try {
        const samples = await this.samples.recent(feed.asset.assetId, this.config.ORACLE_SAMPLE_KEEP);
        this.stress.seed(
          feed.asset.assetId,
          samples.map((s) => ({ at: s.observedAt, price: s.price })),
          chainTime,
        );
      } catch (error) {
        this.logger.error(`rebuilding the ${feed.asset.symbol} stable price failed: ${(error as Error).message}`);
      }
    }
  }

  private async read(asset: ManifestAsset): Promise<FeedReading> {
    if (!asset.priceFeed) return { error: 'no priceFeed in the manifest' };
    try {
      return await this.rpc.latestRound(asset.priceFeed);
    } catch (error) {
      return { error: `feed ${asset.priceFeed} read failed: ${(error as Error).message.slice(0, 200)}` };
    }
  }

  /** Persists the accepted price if the asset's last sample is at least one interval old. */
  private async sample(feed: Feed, now: number): Promise<void> {
    const current = feed.guard.current;
    if (current.status !== 'ok' || current.price === null) return;
    try {
      if (feed.lastSampleAt === undefined) feed.lastSampleAt = (await this.samples.latest(feed.asset.assetId))?.observedAt ?? null;
      if (feed.lastSampleAt !== null && now - feed.lastSampleAt < this.config.ORACLE_SAMPLE_INTERVAL_S) return;
      await this.samples.insert({ assetId: feed.asset.assetId, price: current.price, updatedAt: current.updatedAt!, observedAt: now });
      feed.lastSampleAt = now;
      await this.samples.prune(feed.asset.assetId, this.config.ORACLE_SAMPLE_KEEP);
      this.samplesVersion++;
    } catch (error) {
      this.logger.error(`saving a ${feed.asset.symbol} price sample failed: ${(error as Error).message}`);
    }
  }

  private view(feed: Feed): OraclePrice {
    const { price, updatedAt, observedAt, status, detail } = feed.guard.current;
    const stablePrice = this.stress.bookStablePrice(feed.asset.assetId);
    return { assetId: feed.asset.assetId, symbol: feed.asset.symbol, price, updatedAt, observedAt, status, detail, stablePrice };
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.poll()
        .catch((error: Error) => this.logger.error(`oracle poll failed: ${error.message}`))
        .finally(() => this.schedule(this.config.ORACLE_POLL_MS));
    }, delayMs);
  }
}

export interface StressView {
  assetId: number;
  symbol: string;
  price: number | null;
  stablePrice: number | null;
  /** Trading-chain time of the stable price's last step (unix s). */
  stableUpdatedAt: number | null;
  bookStablePrice: number | null;
  breaker: AuctionBreakerState;
}
