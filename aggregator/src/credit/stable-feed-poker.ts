import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Interface, type JsonRpcProvider } from 'ethers';
import { Counter, type Registry } from 'prom-client';
import { AggregatorV3Interface__factory, IMarginHub__factory, StablePriceFeed__factory } from '@tributary/contracts';
import { METRICS_REGISTRY } from '@tributary/service-kit';
import { ChainRegistry } from '../chain/chain-registry';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LeaderElection } from './leader-election';
import { TradingChain } from './trading-chain';

const stableFeedAbi = new Interface(StablePriceFeed__factory.abi);
/** A poke is one SLOAD/SSTORE and two feed reads: ≈ 40k gas. */
const POKE_GAS = 120_000n;

/** What the poker reads of one hub feed. */
export interface StableFeedState {
  /** The oracle's answer now and the stable price a poke now would set (feed units). */
  oracle: bigint;
  stable: bigint;
  /** Unix s of the last poke. */
  lastUpdate: number;
}

/** The chain side of the poker: the hub's feed per asset, a StablePriceFeed's state, and a poke. */
export interface StableFeedPort {
  feeds(): Promise<{ assetId: number; feed: string }[]>;
  /** null: not a StablePriceFeed (a plain oracle feed). */
  state(feed: string): Promise<StableFeedState | null>;
  poke(feed: string): Promise<void>;
}

/** Poke while s has not caught up with p (a feed at rest costs nothing). */
export function needsPoke(state: StableFeedState): boolean {
  return state.stable !== state.oracle;
}

/**
 * Moves the stable prices the hub values collateral with (StablePriceFeed, docs/breakers-and-dampeners.md): every
 * STABLE_FEED_POKE_MS the leader pokes each hub feed whose stable price has not caught up with its oracle. A feed
 * poked less often than its `maxGap` lags behind the oracle (conservative, never ahead), so the period should not
 * exceed it (300 s by default).
 */
@Injectable()
export class StableFeedPoker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StableFeedPoker.name);
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private readonly pokes: Counter<'asset'>;
  port: StableFeedPort | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly chain: TradingChain,
    private readonly leader: LeaderElection,
    registry: ChainRegistry,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.pokes = new Counter({
      name: 'tributary_aggregator_stable_feed_pokes_total',
      help: "Pokes of the hub's StablePriceFeeds (the on-chain stable price the hub values collateral with), per asset",
      labelNames: ['asset'],
      registers: [metrics],
    });
    this.port = chain.enabled && chain.hub && chain.provider ? chainPort(chain, registry) : null;
  }

  onApplicationBootstrap(): void {
    if (this.port && this.config.STABLE_FEED_POKE_MS > 0) this.schedule(this.config.STABLE_FEED_POKE_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass (leader only): pokes every stable feed that needs it; a failure is logged and retried next pass. */
  async pokeAll(): Promise<number> {
    if (!this.port || !this.leader.isLeader) return 0;
    let poked = 0;
    for (const { assetId, feed } of await this.port.feeds()) {
      try {
        const state = await this.port.state(feed);
        if (!state || !needsPoke(state)) continue;
        await this.port.poke(feed);
        this.pokes.inc({ asset: String(assetId) });
        poked++;
      } catch (error) {
        this.logger.warn(`poking the stable price feed of asset ${assetId} failed: ${(error as Error).message.slice(0, 200)}`);
      }
    }
    return poked;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pokeAll()
        .then(() => undefined)
        .catch((error: Error) => this.logger.error(`stable feed pokes failed: ${error.message}`))
        .finally(() => this.schedule(this.config.STABLE_FEED_POKE_MS));
    }, delayMs);
  }
}

/** The trading chain through the liquidator's signer (the pusher's when they share a key). */
function chainPort(chain: TradingChain, registry: ChainRegistry): StableFeedPort {
  const provider = chain.provider as JsonRpcProvider;
  const hub = IMarginHub__factory.connect(chain.hub!, provider);
  return {
    feeds: async () => Promise.all(registry.assets.map(async (a) => ({ assetId: a.assetId, feed: (await hub.assetRisk(a.assetId)).feed }))),
    state: async (feed) => {
      const stable = StablePriceFeed__factory.connect(feed, provider);
      let source: string;
      try {
        source = await stable.source();
      } catch {
        return null;
      }
      const [[s, lastUpdate], round] = await Promise.all([
        stable.stablePrice(),
        AggregatorV3Interface__factory.connect(source, provider).latestRoundData(),
      ]);
      return { oracle: round[1], stable: s, lastUpdate: Number(lastUpdate) };
    },
    poke: async (feed) => {
      const request = { to: feed, data: stableFeedAbi.encodeFunctionData('poke'), gasLimit: POKE_GAS };
      await chain.liquidator!.sendAndWait(request, chain.journal);
    },
  };
}
