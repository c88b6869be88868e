import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { getAddress, type JsonRpcProvider } from 'ethers';
import { IMarginHub__factory, IPerpMarket__factory, RiskParameters__factory, StablePriceFeed__factory, paramKey } from '@tributary/contracts';
import { chainProvider } from './chain-provider';
import { ChainRegistry } from './chain-registry';

const stableFeed = StablePriceFeed__factory.createInterface();

/** Raw chain reads (1e18 words) of one block, mapped to model terms; the caps are shown, not modelled. */
export interface ChainParamReads {
  block: number;
  assets: readonly { assetId: number; initWeight: bigint; maintWeight: bigint }[];
  chains: readonly { eid: number; weight: bigint }[];
  /** Listed markets: margin ratios, taker fee and caps (units 1e18; 0 = no cap). */
  markets: readonly {
    marketId: number;
    assetId: number;
    imr: bigint;
    mmr: bigint;
    takerFee: bigint;
    openInterestCap: bigint;
    accountOpenInterestCap: bigint;
  }[];
  /** Per-account exposure cap per traded asset (USD 1e18; 0 = no cap). */
  exposureCaps: readonly { assetId: number; cap: bigint }[];
  /** The stable price's δ (1e18) and τ (s) per asset whose hub feed is a StablePriceFeed governed by RiskParameters. */
  stable: readonly { assetId: number; maxStep: bigint; intervalSeconds: bigint }[];
  /** The global kinds (id 0): PerpMarket's mark override health and liquidation penalty, the CreditManager's increase guard (1e18 USD, USD/s); null when RiskParameters does not answer for one of them. */
  globals: { markOverrideHealth: bigint; liquidationPenalty: bigint; guardCapacity: bigint; guardRefill: bigint } | null;
}

const GLOBAL_KINDS = ['markOverrideHealth', 'liquidationPenalty', 'guardCapacity', 'guardRefill'] as const;

/**
 * Reads of the trading chain's governed risk parameters, all at one block: maintenance and chain weights, the
 * stable price's δ and τ and the global kinds from RiskParameters.paramValue, initial weights from the hub's assetRisk, margin ratios, taker fees
 * and caps from PerpMarket; and
 * the blocks where RiskParameters emitted ParamExecuted / ParamInitialized. `available` is false when the manifest
 * names no RiskParameters (older deployments: the manifest's values apply).
 */
@Injectable()
export class RiskParamsRepository implements OnModuleDestroy {
  private readonly logger = new Logger(RiskParamsRepository.name);
  private readonly provider: JsonRpcProvider | null = null;
  private readonly addresses: { params: string; hub: string; market: string | null } | null = null;

  constructor(private readonly registry: ChainRegistry) {
    const chain = registry.tradingChain;
    const c = chain?.manifest.contracts;
    if (!chain || !c?.riskParameters || !c.hub) return;
    this.provider = chainProvider(chain);
    this.addresses = { params: getAddress(c.riskParameters), hub: getAddress(c.hub), market: c.perpMarket ? getAddress(c.perpMarket) : null };
  }

  get available(): boolean {
    return this.addresses !== null;
  }

  get address(): string | null {
    return this.addresses?.params ?? null;
  }

  async latestBlock(): Promise<number> {
    return this.rpc.getBlockNumber();
  }

  /**
   * Blocks in [from, to] with a ParamExecuted or ParamInitialized log of RiskParameters, or a StableParamsSet /
   * ParamGovernorSet log of any contract: a StablePriceFeed handed to RiskParameters (or given new δ/τ) is read
   * then, though RiskParameters logs nothing for it. Another contract's log only costs one extra read.
   */
  async changeBlocks(from: number, to: number): Promise<number[]> {
    const contract = RiskParameters__factory.connect(this.addrs.params, this.rpc);
    const topics = [contract.interface.getEvent('ParamExecuted').topicHash, contract.interface.getEvent('ParamInitialized').topicHash];
    const feedTopics = [stableFeed.getEvent('StableParamsSet')!.topicHash, stableFeed.getEvent('ParamGovernorSet')!.topicHash];
    const [logs, feedLogs] = await Promise.all([
      this.rpc.getLogs({ address: this.addrs.params, topics: [topics], fromBlock: from, toBlock: to }),
      this.rpc.getLogs({ topics: [feedTopics], fromBlock: from, toBlock: to }),
    ]);
    return [...new Set([...logs, ...feedLogs].map((l) => l.blockNumber))];
  }

  /** Every governed parameter RiskParameters holds, read at `block`. */
  async read(block: number): Promise<ChainParamReads> {
    const { params, hub, market } = this.addrs;
    const overrides = { blockTag: block };
    const governor = RiskParameters__factory.connect(params, this.rpc);
    const marginHub = IMarginHub__factory.connect(hub, this.rpc);
    const assets = await Promise.all(
      this.registry.assets.map(async (a) => {
        const [risk, maint] = await Promise.all([
          marginHub.assetRisk(a.assetId, overrides),
          governor.paramValue(paramKey('maintWeight', a.assetId), overrides).catch(() => null),
        ]);
        if (!risk.listed) this.logger.warn(`asset ${a.assetId} is not listed on the hub: its manifest weights apply`);
        return { assetId: a.assetId, initWeight: risk.listed ? risk.initWeight : undefined, maintWeight: maint ?? undefined };
      }),
    );
    const stable = await Promise.all(
      this.registry.assets.map(async (a) => {
        const [maxStep, intervalSeconds] = await Promise.all(
          (['stableMaxStep', 'stableInterval'] as const).map((kind) => governor.paramValue(paramKey(kind, a.assetId), overrides).catch(() => null)),
        );
        return maxStep === null || intervalSeconds === null ? [] : [{ assetId: a.assetId, maxStep, intervalSeconds }];
      }),
    );
    const chains = await Promise.all(
      this.registry.chains
        .filter((c) => c.role === 'collateral')
        .map(async (c) => ({ eid: c.eid, weight: await governor.paramValue(paramKey('chainWeight', c.eid), overrides).catch(() => null) })),
    );
    const markets: ChainParamReads['markets'][number][] = [];
    const exposureCaps: ChainParamReads['exposureCaps'][number][] = [];
    if (market) {
      const perp = IPerpMarket__factory.connect(market, this.rpc);
      const count = Number(await perp.marketCount(overrides));
      const all = await Promise.all(
        Array.from({ length: count }, async (_, id) => ({ m: await perp.market(id, overrides), oi: await perp.openInterest(id, overrides) })),
      );
      all.forEach(({ m, oi }, marketId) => {
        if (!m.listed) return;
        markets.push({
          marketId,
          assetId: Number(m.assetId),
          imr: m.imr,
          mmr: m.mmr,
          takerFee: m.feeRate,
          openInterestCap: oi.marketCap,
          accountOpenInterestCap: oi.accountCap,
        });
      });
      for (const assetId of new Set(markets.map((m) => m.assetId))) exposureCaps.push({ assetId, cap: await perp.exposureCap(assetId, overrides) });
    }
    const globals = await Promise.all(GLOBAL_KINDS.map((kind) => governor.paramValue(paramKey(kind), overrides).catch(() => null)));
    if (globals.includes(null))
      this.logger.warn(`RiskParameters did not answer for ${GLOBAL_KINDS.filter((_, i) => globals[i] === null).join(', ')}`);
    return {
      block,
      assets: assets.flatMap((a) =>
        a.initWeight === undefined || a.maintWeight === undefined
          ? []
          : [{ assetId: a.assetId, initWeight: a.initWeight, maintWeight: a.maintWeight }],
      ),
      chains: chains.flatMap((c) => (c.weight === null ? [] : [{ eid: c.eid, weight: c.weight }])),
      markets,
      exposureCaps,
      stable: stable.flat(),
      globals: globals.includes(null)
        ? null
        : { markOverrideHealth: globals[0]!, liquidationPenalty: globals[1]!, guardCapacity: globals[2]!, guardRefill: globals[3]! },
    };
  }

  onModuleDestroy(): void {
    this.provider?.destroy();
  }

  private get addrs(): NonNullable<RiskParamsRepository['addresses']> {
    if (!this.addresses) throw new Error('the manifest names no RiskParameters on the trading chain');
    return this.addresses;
  }

  private get rpc(): JsonRpcProvider {
    if (!this.provider) throw new Error('no trading chain configured');
    return this.provider;
  }
}
