import { JsonRpcProvider, Network, NonceManager, parseUnits, type Signer } from 'ethers';
import {
  ICollateralAuction__factory,
  CollateralVault__factory,
  CreditManager__factory,
  MSG_ATTEST,
  MarginHub__factory,
  PerpMarket__factory,
  SettablePriceFeed__factory,
  SettlementPool__factory,
  TestERC20__factory,
  devWallet,
} from '@tributary/contracts';
import type { Manifest, ManifestChain } from '@tributary/protocol';

export function provider(chain: Pick<ManifestChain, 'rpcUrl' | 'chainId'>): JsonRpcProvider {
  const p = new JsonRpcProvider(chain.rpcUrl, Network.from(chain.chainId), { staticNetwork: true, cacheTimeout: -1 });
  p.pollingInterval = 100;
  return p;
}

/** Polls `probe` until it returns a value that is not undefined; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export interface AccountView {
  address: string;
  collateral: { eid: number; assetId: number; symbol: string | null; balance: string }[];
  positions: { marketId: number; size: string }[];
  credit: { limit: string; used: string } | null;
}

/** GET /v1/accounts/:address/risk (aggregator risk breakdown). */
export interface AccountRiskView {
  account: string;
  computedAt: string;
  result: { collateralInit: number; creditLimit: number; health: number | null; liquidatable: boolean; floorInit: number; unrealizedPnl: number };
  frozen: { assetId: number; reason: string; detail: string }[];
  inputs: { balances: { eid: number; assetId: number; amount: number; chainWeight: number }[] };
}

/** GET /v1/risk/chains. */
export interface ChainWeightsView {
  chains: { eid: number; name: string; configuredWeight: number; weight: number; lastMessageAt: string | null }[];
}

/** Typed handles on one manifest's contracts, for a trader (dev account `index`) and the devnet's oracle. */
export class Deployment {
  readonly providers = new Map<number, JsonRpcProvider>();

  constructor(readonly manifest: Manifest) {
    for (const chain of manifest.chains) this.providers.set(chain.eid, provider(chain));
  }

  chain(name: string): ManifestChain {
    const chain = this.manifest.chains.find((c) => c.name === name);
    if (!chain) throw new Error(`no chain ${name} in the manifest`);
    return chain;
  }

  get trading(): ManifestChain {
    return this.manifest.chains.find((c) => c.role === 'trading')!;
  }

  assetId(symbol: string): number {
    return this.manifest.assets.find((a) => a.symbol === symbol)!.assetId;
  }

  wallet(index: number, chain: ManifestChain): Signer {
    return new NonceManager(devWallet(index, this.providers.get(chain.eid)!));
  }

  vault(chain: ManifestChain, signer: Signer) {
    return CollateralVault__factory.connect(chain.contracts.vault!, signer);
  }

  token(chain: ManifestChain, symbol: string, signer: Signer) {
    const asset = chain.assets.find((a) => a.assetId === this.assetId(symbol))!;
    return { contract: TestERC20__factory.connect(asset.token, signer), decimals: asset.decimals };
  }

  hub() {
    return MarginHub__factory.connect(this.trading.contracts.hub!, this.providers.get(this.trading.eid)!);
  }

  creditManager() {
    return CreditManager__factory.connect(this.trading.contracts.creditManager!, this.providers.get(this.trading.eid)!);
  }

  perpMarket(signer: Signer) {
    return PerpMarket__factory.connect(this.trading.contracts.perpMarket!, signer);
  }

  /** Deposits `amount` (human units) and returns the deposit's receipt. */
  async deposit(chain: ManifestChain, trader: Signer, symbol: string, amount: string) {
    const vault = this.vault(chain, trader);
    const { decimals } = this.token(chain, symbol, trader);
    const fee = await vault.quote(MSG_ATTEST);
    return (await (await vault.deposit(this.assetId(symbol), parseUnits(amount, decimals), await trader.getAddress(), { value: fee })).wait())!;
  }

  pool(signer?: Signer) {
    return SettlementPool__factory.connect(this.trading.contracts.settlementPool!, signer ?? this.providers.get(this.trading.eid)!);
  }

  /** The SettlementPool's quote token (USDC) on the trading chain. */
  quoteToken(signer?: Signer) {
    return TestERC20__factory.connect(this.trading.contracts.quoteToken!, signer ?? this.providers.get(this.trading.eid)!);
  }

  /**
   * Sets an asset's USD price as the devnet's oracle account (dev account 3): the trading chain's feed and every
   * collateral chain's auction feed of that asset (the devnet keeps them equal), the chains side by side. Returns
   * the trading feed's block.
   */
  async setPrice(symbol: string, usd: number): Promise<{ block: number }> {
    const price = parseUnits(usd.toFixed(8), 8);
    const feed = this.manifest.assets.find((a) => a.symbol === symbol)!.priceFeed!;
    const oracle = devWallet(3, this.providers.get(this.trading.eid)!);
    const auctionFeeds = this.manifest.chains
      .filter((c) => c.role === 'collateral' && c.contracts.auction)
      .map(async (chain) => {
        const provider = this.providers.get(chain.eid)!;
        const config = await ICollateralAuction__factory.connect(chain.contracts.auction!, provider).assetConfig(this.assetId(symbol));
        if (config.listed) await (await SettablePriceFeed__factory.connect(config.feed, devWallet(3, provider)).setPrice(price)).wait();
      });
    const [receipt] = await Promise.all([
      SettablePriceFeed__factory.connect(feed, oracle)
        .setPrice(price)
        .then((tx) => tx.wait()),
      ...auctionFeeds,
    ]);
    return { block: receipt!.blockNumber };
  }

  close(): void {
    for (const p of this.providers.values()) p.destroy();
  }
}
