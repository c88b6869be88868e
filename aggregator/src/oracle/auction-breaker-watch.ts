import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { formatUnits } from 'ethers';
import { Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@tributary/service-kit';
import { AuctionBreakerRepository } from '../chain/auction-breaker.repository';
import { ChainRegistry } from '../chain/chain-registry';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { OracleService } from './oracle.service';

/** One collateral chain's auction breaker of one asset, as last read. */
export interface OnChainBreaker {
  eid: number;
  chain: string;
  assetId: number;
  paused: boolean;
  /** Unix s; null = never. */
  pausedUntil: number | null;
  trippedAt: number | null;
  resumedAt: number | null;
  referencePrice: number | null;
  /** The auction's governed β and window. */
  maxDrop: number;
  windowSeconds: number;
}

const orNull = (seconds: number): number | null => (seconds === 0 ? null : seconds);

/**
 * The on-chain half of the auction breaker (docs/breakers-and-dampeners.md#auction-breaker): reads every collateral
 * chain's CollateralAuction every AUCTION_BREAKER_POLL_MS and keeps what each enforces. A guardian resume there is
 * applied to the oracle's own breaker too (points up to it stop counting), so both say the same after a resume;
 * a pause or resume is logged, and the gauge `tributary_auction_breaker_paused{chain,asset}` shows it.
 */
@Injectable()
export class AuctionBreakerWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuctionBreakerWatch.name);
  private readonly states = new Map<string, OnChainBreaker>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private warnedParams = new Set<number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: AuctionBreakerRepository,
    private readonly oracle: OracleService,
    private readonly registry: ChainRegistry,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    const symbol = (assetId: number) => registry.asset(assetId)?.symbol ?? String(assetId);
    const all = () => this.all();
    new Gauge({
      name: 'tributary_auction_breaker_paused',
      help: "1 while a collateral chain's auction pauses an asset's lots and takes (its breaker tripped), else 0",
      labelNames: ['chain', 'asset'] as const,
      registers: [metrics],
      collect() {
        this.reset();
        for (const b of all()) this.set({ chain: b.chain, asset: symbol(b.assetId) }, b.paused ? 1 : 0);
      },
    });
  }

  onApplicationBootstrap(): void {
    if (this.repo.chains.length && this.config.AUCTION_BREAKER_POLL_MS > 0) this.schedule(0);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  all(): OnChainBreaker[] {
    return [...this.states.values()];
  }

  /** The breakers of one asset, one per collateral chain whose auction sells it. */
  of(assetId: number): OnChainBreaker[] {
    return this.all().filter((b) => b.assetId === assetId);
  }

  /** Reads every chain once; a chain that cannot be read keeps its last state. */
  async poll(): Promise<void> {
    for (const { eid, name } of this.repo.chains) {
      try {
        const reads = await this.repo.read(eid);
        const maxDrop = Number(formatUnits(reads.drop, 18));
        this.checkParams(eid, name, maxDrop, reads.windowSeconds);
        for (const b of reads.breakers) {
          const key = `${eid}:${b.assetId}`;
          const before = this.states.get(key);
          const next: OnChainBreaker = {
            eid,
            chain: name,
            assetId: b.assetId,
            paused: b.paused,
            pausedUntil: orNull(b.pausedUntil),
            trippedAt: orNull(b.trippedAt),
            resumedAt: orNull(b.resumedAt),
            referencePrice: b.referencePrice === 0n ? null : Number(formatUnits(b.referencePrice, 18)),
            maxDrop,
            windowSeconds: reads.windowSeconds,
          };
          this.states.set(key, next);
          if (next.paused !== (before?.paused ?? false)) {
            const what = next.paused ? `paused until ${new Date(next.pausedUntil! * 1000).toISOString()}` : 'resumed';
            this.logger.warn(`auction breaker of asset ${b.assetId} on ${name}: ${what}`);
          }
          if (next.resumedAt !== null) this.oracle.stress.resumedAt(b.assetId, next.resumedAt);
        }
      } catch (error) {
        this.logger.error(`reading the auction breaker on ${name} failed: ${(error as Error).message.slice(0, 200)}`);
      }
    }
  }

  /** The oracle's own breaker uses the env's β and window: say so once if a chain governs other values. */
  private checkParams(eid: number, name: string, maxDrop: number, windowSeconds: number): void {
    if (this.warnedParams.has(eid)) return;
    if (maxDrop !== this.config.AUCTION_BREAKER_DROP || windowSeconds !== this.config.AUCTION_BREAKER_WINDOW_S) {
      this.warnedParams.add(eid);
      this.logger.warn(
        `the auction on ${name} trips at β ${maxDrop} over ${windowSeconds} s; this aggregator computes β ${this.config.AUCTION_BREAKER_DROP} over ${this.config.AUCTION_BREAKER_WINDOW_S} s (AUCTION_BREAKER_DROP / _WINDOW_S)`,
      );
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.poll().finally(() => this.schedule(this.config.AUCTION_BREAKER_POLL_MS));
    }, delayMs);
  }
}
