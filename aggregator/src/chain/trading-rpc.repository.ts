import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { formatUnits, getAddress, type JsonRpcProvider } from 'ethers';
import { AggregatorV3Interface__factory, IPerpMarket__factory } from '@tributary/contracts';
import { chainProvider } from './chain-provider';
import { ChainRegistry } from './chain-registry';

export interface FeedRound {
  /** Answer scaled by the feed's decimals (USD). */
  price: number;
  /** Feed timestamp (unix s). */
  updatedAt: number;
}

export interface PerpMarketTerms {
  assetId: number;
  /** Initial / maintenance margin ratios (fractions; on chain 1e18). */
  imr: number;
  mmr: number;
  listed: boolean;
}

/**
 * Reads of the trading chain the oracle and the risk engine need: Chainlink feeds, PerpMarket listings and
 * block timestamps. Listings, feed decimals and block timestamps never change once read, so they are cached.
 */
@Injectable()
export class TradingRpcRepository implements OnModuleDestroy {
  private readonly provider: JsonRpcProvider | null = null;
  private readonly perpMarket: string | null = null;
  private readonly decimals = new Map<string, Promise<number>>();
  private readonly markets = new Map<number, PerpMarketTerms>();
  private readonly blockTimes = new Map<number, number>();

  constructor(registry: ChainRegistry) {
    const chain = registry.tradingChain;
    if (!chain) return;
    this.provider = chainProvider(chain);
    const market = chain.manifest.contracts.perpMarket;
    this.perpMarket = market ? getAddress(market) : null;
  }

  async latestRound(feed: string): Promise<FeedRound> {
    const contract = AggregatorV3Interface__factory.connect(feed, this.rpc);
    let decimals = this.decimals.get(feed);
    if (!decimals) {
      decimals = contract.decimals().then(Number);
      this.decimals.set(feed, decimals);
      decimals.catch(() => this.decimals.delete(feed));
    }
    const [round, scale] = await Promise.all([contract.latestRoundData(), decimals]);
    return { price: Number(formatUnits(round.answer, scale)), updatedAt: Number(round.updatedAt) };
  }

  async market(marketId: number): Promise<PerpMarketTerms> {
    const cached = this.markets.get(marketId);
    if (cached) return cached;
    if (!this.perpMarket) throw new Error('the trading chain has no PerpMarket in the manifest');
    const m = await IPerpMarket__factory.connect(this.perpMarket, this.rpc).market(marketId);
    const terms = { assetId: Number(m.assetId), imr: Number(formatUnits(m.imr, 18)), mmr: Number(formatUnits(m.mmr, 18)), listed: m.listed };
    // An unlisted market may be listed later: only listings are final.
    if (terms.listed) this.markets.set(marketId, terms);
    return terms;
  }

  async blockTimestamp(blockNumber: number): Promise<number> {
    const cached = this.blockTimes.get(blockNumber);
    if (cached !== undefined) return cached;
    const block = await this.rpc.getBlock(blockNumber);
    if (!block) throw new Error(`trading-chain block ${blockNumber} not found`);
    if (this.blockTimes.size >= 1024) this.blockTimes.clear(); // only the newest attestation blocks are asked for
    this.blockTimes.set(blockNumber, block.timestamp);
    return block.timestamp;
  }

  /** The latest block's timestamp (unix s): the trading chain's clock. */
  async latestBlockTimestamp(): Promise<number> {
    const block = await this.rpc.getBlock('latest');
    if (!block) throw new Error('trading-chain latest block not found');
    return block.timestamp;
  }

  onModuleDestroy(): void {
    this.provider?.destroy();
  }

  private get rpc(): JsonRpcProvider {
    if (!this.provider) throw new Error('no trading chain configured');
    return this.provider;
  }
}
