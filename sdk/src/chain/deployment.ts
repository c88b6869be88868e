import { JsonRpcProvider, Network, formatUnits, type ContractRunner } from 'ethers';
import {
  CollateralVault__factory,
  CreditManager__factory,
  MarginHub__factory,
  PerpMarket__factory,
  SettlementPool__factory,
  TestERC20__factory,
} from '@tributary/contracts';
import { loadManifest, parseManifest, type Manifest, type ManifestAsset, type ManifestChain } from '@tributary/protocol';
import { TributaryError } from '../core/errors';

/** An asset as it exists on one chain: manifest symbol and id, token address and decimals there. */
export interface ChainAsset {
  symbol: string;
  assetId: number;
  token: string;
  decimals: number;
}

/** A listed perp market, read from the PerpMarket (ratios and fee rate as fractions). */
export interface PerpMarketInfo {
  marketId: number;
  assetId: number;
  symbol: string;
  imr: number;
  mmr: number;
  feeRate: number;
}

export interface DeploymentOptions {
  /** How often ethers polls for receipts and the SDK polls for stages (ms, default 250). */
  pollingIntervalMs?: number;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Every chain RPC of the manifest is on this machine (a devnet): the only case where Hardhat's public dev accounts
 * may sign (the CLI's `--dev-account`, the web app's demo accounts, the devnet serving their keys).
 */
export function isLocalManifest(manifest: { chains: readonly { rpcUrl: string }[] }): boolean {
  return manifest.chains.every((c) => {
    try {
      return LOCAL_HOSTS.has(new URL(c.rpcUrl).hostname);
    } catch {
      return false;
    }
  });
}

/**
 * One deployment, from its manifest (protocol/src/manifest.ts): chains by name, assets by symbol, a provider per
 * chain and typed contract handles (ABIs from @tributary/contracts' typechain factories). Names are matched without
 * regard to case; an unknown one is a `TributaryError` that lists the known ones.
 */
export class Deployment {
  readonly pollingIntervalMs: number;
  private readonly providers = new Map<number, JsonRpcProvider>();
  private marketList: Promise<PerpMarketInfo[]> | null = null;

  constructor(
    readonly manifest: Manifest,
    options: DeploymentOptions = {},
  ) {
    this.pollingIntervalMs = options.pollingIntervalMs ?? 250;
  }

  static load(path: string, options?: DeploymentOptions): Deployment {
    return new Deployment(loadManifest(path), options);
  }

  static fromJson(json: unknown, options?: DeploymentOptions): Deployment {
    return new Deployment(parseManifest(json), options);
  }

  get trading(): ManifestChain {
    return this.manifest.chains.find((c) => c.role === 'trading')!;
  }

  get collateralChains(): ManifestChain[] {
    return this.manifest.chains.filter((c) => c.role === 'collateral');
  }

  /** Every chain RPC is on this machine (a devnet): Hardhat's dev accounts may be used. */
  get isLocal(): boolean {
    return isLocalManifest(this.manifest);
  }

  /** A chain by manifest name (or eid). */
  chain(name: string | number): ManifestChain {
    const chain = this.manifest.chains.find((c) => c.eid === Number(name) || c.name.toLowerCase() === String(name).toLowerCase());
    if (!chain)
      throw new TributaryError('unknown-chain', `no chain "${name}" in the manifest (chains: ${this.manifest.chains.map((c) => c.name).join(', ')})`);
    return chain;
  }

  /** A collateral chain with a vault. */
  collateralChain(name: string | number): ManifestChain {
    const chain = this.chain(name);
    if (chain.role !== 'collateral' || !chain.contracts.vault)
      throw new TributaryError(
        'unknown-chain',
        `${chain.name} is not a collateral chain with a vault (collateral chains: ${this.collateralChains.map((c) => c.name).join(', ')})`,
      );
    return chain;
  }

  chainName(eid: number): string {
    return this.manifest.chains.find((c) => c.eid === eid)?.name ?? `eid ${eid}`;
  }

  asset(symbol: string): ManifestAsset {
    const asset = this.manifest.assets.find((a) => a.symbol.toLowerCase() === symbol.toLowerCase());
    if (!asset)
      throw new TributaryError(
        'unlisted-asset',
        `no asset "${symbol}" in the manifest (assets: ${this.manifest.assets.map((a) => a.symbol).join(', ')})`,
      );
    return asset;
  }

  symbol(assetId: number): string {
    return this.manifest.assets.find((a) => a.assetId === assetId)?.symbol ?? `asset ${assetId}`;
  }

  /** `symbol` as listed on `chain` (token and decimals there). */
  chainAsset(chain: ManifestChain, symbol: string): ChainAsset {
    const asset = this.asset(symbol);
    const listed = chain.assets.find((a) => a.assetId === asset.assetId);
    if (!listed) {
      const here = chain.assets.map((a) => this.symbol(a.assetId)).join(', ') || 'none';
      throw new TributaryError('unlisted-asset', `${asset.symbol} is not listed on ${chain.name} (listed there: ${here})`);
    }
    return { symbol: asset.symbol, assetId: asset.assetId, token: listed.token, decimals: listed.decimals };
  }

  /** Decimals of `assetId` on the chain with `eid` (undefined when not listed there). */
  decimals(eid: number, assetId: number): number | undefined {
    return this.manifest.chains.find((c) => c.eid === eid)?.assets.find((a) => a.assetId === assetId)?.decimals;
  }

  provider(chain: ManifestChain): JsonRpcProvider {
    let provider = this.providers.get(chain.eid);
    if (!provider) {
      provider = new JsonRpcProvider(chain.rpcUrl, Network.from(chain.chainId), { staticNetwork: true, cacheTimeout: -1 });
      provider.pollingInterval = this.pollingIntervalMs;
      this.providers.set(chain.eid, provider);
    }
    return provider;
  }

  vault(chain: ManifestChain, runner?: ContractRunner) {
    return CollateralVault__factory.connect(this.collateralChain(chain.eid).contracts.vault!, runner ?? this.provider(chain));
  }

  token(chain: ManifestChain, address: string, runner?: ContractRunner) {
    return TestERC20__factory.connect(address, runner ?? this.provider(chain));
  }

  hub(runner?: ContractRunner) {
    return MarginHub__factory.connect(this.tradingContract('hub'), runner ?? this.provider(this.trading));
  }

  creditManager(runner?: ContractRunner) {
    return CreditManager__factory.connect(this.tradingContract('creditManager'), runner ?? this.provider(this.trading));
  }

  perpMarket(runner?: ContractRunner) {
    return PerpMarket__factory.connect(this.tradingContract('perpMarket'), runner ?? this.provider(this.trading));
  }

  settlementPool(runner?: ContractRunner) {
    return SettlementPool__factory.connect(this.tradingContract('settlementPool'), runner ?? this.provider(this.trading));
  }

  /** The SettlementPool's quote token (USDC) on the trading chain, with its decimals. */
  async quoteToken(runner?: ContractRunner): Promise<{ contract: ReturnType<typeof TestERC20__factory.connect>; decimals: number; symbol: string }> {
    const contract = this.token(this.trading, this.tradingContract('quoteToken'), runner);
    const [decimals, symbol] = await Promise.all([contract.decimals(), contract.symbol()]);
    return { contract, decimals: Number(decimals), symbol };
  }

  /** Listed perp markets (read once from the PerpMarket). */
  markets(): Promise<PerpMarketInfo[]> {
    this.marketList ??= this.readMarkets().catch((error: unknown) => {
      this.marketList = null;
      throw error;
    });
    return this.marketList;
  }

  /** The perp market on `symbol`'s asset. */
  async market(symbol: string): Promise<PerpMarketInfo> {
    const asset = this.asset(symbol);
    const markets = await this.markets();
    const market = markets.find((m) => m.assetId === asset.assetId);
    if (!market)
      throw new TributaryError('no-market', `no perp market on ${asset.symbol} (markets: ${markets.map((m) => m.symbol).join(', ') || 'none'})`);
    return market;
  }

  close(): void {
    for (const provider of this.providers.values()) provider.destroy();
    this.providers.clear();
  }

  private tradingContract(name: keyof ManifestChain['contracts']): string {
    const address = this.trading.contracts[name];
    if (!address) throw new TributaryError('invalid-argument', `the manifest has no ${name} on the trading chain ${this.trading.name}`);
    return address;
  }

  private async readMarkets(): Promise<PerpMarketInfo[]> {
    const perp = this.perpMarket();
    const count = Number(await perp.marketCount());
    const markets = await Promise.all(Array.from({ length: count }, (_, id) => perp.market(id)));
    return markets.flatMap((m, marketId) =>
      m.listed
        ? [
            {
              marketId,
              assetId: Number(m.assetId),
              symbol: this.symbol(Number(m.assetId)),
              imr: Number(formatUnits(m.imr, 18)),
              mmr: Number(formatUnits(m.mmr, 18)),
              feeRate: Number(formatUnits(m.feeRate, 18)),
            },
          ]
        : [],
    );
  }
}
