import { ZeroAddress, formatUnits, parseEther, parseUnits } from 'ethers';
import {
  CollateralVault__factory,
  CreditManager__factory,
  MarginHub__factory,
  PerpMarket__factory,
  SettablePriceFeed__factory,
  SettlementPool__factory,
  TestERC20__factory,
  configureHubAsset,
  connectCreditToHub,
  connectSettlementPool,
  deployCreditManager,
  deployHub,
  deployPerpMarket,
  deployPriceFeed,
  deploySettlementPool,
  deployTestToken,
  deployVault,
  ensureMarket,
  ensureNativeBalance,
  grantCreditRoles,
  grantDecider,
  listAsset,
  setVaultGuardian,
} from '@tributary/contracts';
import type { Manifest, ManifestChain } from '@tributary/protocol';
import type { AssetConfig, ChainConfig, DeployConfig } from '../config/schema';
import type { ChainSession } from './chain-session';
import { bucketNeedsUpdate, creditIncreaseGuard, outflowGuard, planContract } from './plan';
import { ensureLiquidation } from './liquidation';
import type { Progress } from './progress';

/** 1e18 fixed point of a config fraction, exact to 1e-15 (toFixed(18) would carry binary noise: 0.8 → 0.800000000000000044). */
const wad = (fraction: number): bigint => parseEther(fraction.toFixed(15));

/** Reuses the manifest's (or the journal's) address when code is there; otherwise deploys and journals it. */
export async function ensureContract(
  session: ChainSession,
  progress: Progress,
  label: string,
  recorded: string | undefined,
  deploy: () => Promise<string>,
): Promise<string> {
  const candidates = [recorded, session.journal?.get(session.config.eid, label)].filter((a): a is string => !!a);
  for (const candidate of candidates) {
    if (planContract(candidate, (await session.provider.getCode(candidate)) !== '0x') === 'reuse') {
      progress.exists(label, candidate);
      return candidate;
    }
  }
  const address = await progress.step(`deploying ${label}`, deploy, (a) => a);
  session.journal?.record(session.config.eid, label, address);
  return address;
}

export interface TradingContracts {
  hub: string;
  creditManager: string;
  perpMarket: string;
  settlementPool: string;
  liquidationRegistry: string;
  insuranceFund: string;
  quoteToken: string;
  /** Set after the hub assets are configured (deploy/risk-params.ts). */
  riskParameters?: string;
  feeds: Record<number, string>;
  markets: { assetId: number; symbol: string; marketId: number; imr: number; mmr: number; feeRate: number }[];
  /** Test tokens deployed on the trading chain (the quote USDC on a local chain). */
  testTokens: Record<string, string>;
}

export interface Operators {
  relayer: string;
  pusher: string;
  /** The aggregator's withdrawal-decision key (MarginHub DECIDER_ROLE). */
  decider: string;
  /** The vaults' guardian (pause, cancel queued payouts while paused); never the deployer. */
  guardian: string;
  oracle: string;
  liquidator?: string;
  /** The independent verifier's key (second required DVN), local chains only. */
  verifier?: string;
}

/** Price feeds, CreditManager, MarginHub, SettlementPool (+ its quote token), PerpMarket and their roles, on the trading chain. */
export async function ensureTradingContracts(
  session: ChainSession,
  config: DeployConfig,
  endpoint: string,
  recorded: { chain?: ManifestChain; manifest?: Manifest },
  operators: Operators,
  progress: Progress,
): Promise<TradingContracts> {
  const { deployer } = session;
  const feeds: Record<number, string> = {};
  for (const asset of config.assets) {
    if (asset.priceFeed) {
      feeds[asset.assetId] = asset.priceFeed;
      continue;
    }
    const previous = recorded.manifest?.assets.find((a) => a.assetId === asset.assetId)?.priceFeed;
    feeds[asset.assetId] = await ensureContract(session, progress, `${asset.symbol}/USD price feed`, previous, async () => {
      const feed = await deployPriceFeed(deployer, {
        description: `${asset.symbol} / USD`,
        price: parseUnits(asset.initialPrice!.toFixed(8), 8),
        owner: operators.oracle,
      });
      return feed.getAddress();
    });
  }
  const t = config.trading;
  const prices = await referencePrices(session, config.assets, feeds);
  const guard = creditIncreaseGuard(config, config.guards.creditIncreasePerHour, prices);
  const creditManager = await ensureContract(session, progress, 'CreditManager', recorded.chain?.contracts.creditManager, async () =>
    (
      await deployCreditManager(deployer, {
        staleAfterSeconds: t.creditStaleAfterSeconds,
        guardCapacity: guard.capacity,
        guardRefillPerSecond: guard.refillPerSecond,
      })
    ).getAddress(),
  );
  const hub = await ensureContract(session, progress, 'MarginHub', recorded.chain?.contracts.hub, async () =>
    (
      await deployHub(deployer, {
        endpoint,
        creditManager,
        maxPriceAgeSeconds: t.maxPriceAgeSeconds,
        decisionTimeoutSeconds: t.decisionTimeoutSeconds,
      })
    ).getAddress(),
  );
  const testTokens: Record<string, string> = {};
  let quoteToken = t.quoteToken;
  if (!quoteToken) {
    quoteToken = await ensureContract(session, progress, 'test token USDC', recorded.chain?.contracts.quoteToken, async () =>
      (await deployTestToken(deployer, { name: 'Test USDC', symbol: 'USDC', decimals: 6 })).getAddress(),
    );
    testTokens.USDC = quoteToken;
  }
  const settlementPool = await ensureContract(session, progress, 'SettlementPool', recorded.chain?.contracts.settlementPool, async () =>
    (await deploySettlementPool(deployer, { quoteToken: quoteToken!, creditManager, hub })).getAddress(),
  );
  const perpMarket = await ensureContract(session, progress, 'PerpMarket', recorded.chain?.contracts.perpMarket, async () =>
    (await deployPerpMarket(deployer, { creditManager, settlementPool, maxPriceAgeSeconds: t.maxPriceAgeSeconds })).getAddress(),
  );
  const cm = CreditManager__factory.connect(creditManager, deployer);
  const hubContract = MarginHub__factory.connect(hub, deployer);
  await grantCreditRoles(cm, { pusher: operators.pusher, market: perpMarket, hub });
  await connectSettlementPool({ creditManager: cm, pool: SettlementPool__factory.connect(settlementPool, deployer), market: perpMarket });
  await connectCreditToHub(cm, hub);
  const [capacity, refillPerSecond] = await cm.increaseGuard();
  // Sized from live feed prices when no initial price is configured: rewritten only when 10 % off.
  const tolerance = config.assets.every((a) => a.initialPrice !== undefined) ? 0 : 0.1;
  const governed = (await cm.paramGovernor()) !== ZeroAddress;
  if (governed && bucketNeedsUpdate({ capacity, refillPerSecond }, guard, tolerance)) {
    progress.info(`credit increase guard differs from the config (${guard.capacity} + ${guard.refillPerSecond}/s): governed, use tributary params`);
  } else if (bucketNeedsUpdate({ capacity, refillPerSecond }, guard, tolerance)) {
    await progress.step(
      `credit increase guard → ${formatUnits(guard.capacity, 18)} USD, refill ${formatUnits(guard.refillPerSecond, 18)} USD/s`,
      async () => (await cm.setIncreaseGuard(guard.capacity, guard.refillPerSecond)).wait(),
    );
  }
  await grantDecider(hubContract, operators.decider);
  if ((await hubContract.decisionTimeout()) !== BigInt(t.decisionTimeoutSeconds)) {
    await progress.step(`decision timeout → ${t.decisionTimeoutSeconds} s`, async () =>
      (await hubContract.setDecisionTimeout(t.decisionTimeoutSeconds)).wait(),
    );
  }
  const { liquidationRegistry, insuranceFund } = await ensureLiquidation(
    session,
    config,
    { creditManager, hub, perpMarket, settlementPool },
    recorded,
    progress,
  );
  const markets = await ensureMarkets(session, perpMarket, config.assets, feeds, progress);
  await ensurePoolSeed(session, settlementPool, quoteToken, BigInt(t.poolSeed), testTokens.USDC !== undefined, progress);
  await ensureNativeBalance(deployer, hub, BigInt(config.oappNativeFloat));
  return { hub, creditManager, perpMarket, settlementPool, liquidationRegistry, insuranceFund, quoteToken, feeds, markets, testTokens };
}

/** USD price per asset for sizing guards: the configured initial price, else the feed's answer now. */
async function referencePrices(session: ChainSession, assets: AssetConfig[], feeds: Record<number, string>): Promise<Record<number, number>> {
  const prices: Record<number, number> = {};
  for (const asset of assets) {
    if (asset.initialPrice !== undefined) {
      prices[asset.assetId] = asset.initialPrice;
      continue;
    }
    const feed = SettablePriceFeed__factory.connect(feeds[asset.assetId]!, session.provider);
    const [round, decimals] = await Promise.all([feed.latestRoundData(), feed.decimals()]);
    prices[asset.assetId] = Number(formatUnits(round[1], decimals));
  }
  return prices;
}

/** Keeps at least `seed` quote tokens in the pool: tops it up with `fund` (minting first when it is our test token). */
async function ensurePoolSeed(
  session: ChainSession,
  pool: string,
  quoteToken: string,
  seed: bigint,
  mintable: boolean,
  progress: Progress,
): Promise<void> {
  const token = TestERC20__factory.connect(quoteToken, session.deployer);
  const held = await token.balanceOf(pool);
  if (held >= seed) return;
  const missing = seed - held;
  await progress.step(`seeding the SettlementPool with ${missing} quote units`, async () => {
    if (mintable) await (await token.mint(session.deployerAddress, missing)).wait();
    if ((await token.allowance(session.deployerAddress, pool)) < missing) await (await token.approve(pool, missing)).wait();
    await (await SettlementPool__factory.connect(pool, session.deployer).fund(missing)).wait();
  });
}

async function ensureMarkets(
  session: ChainSession,
  perpMarket: string,
  assets: AssetConfig[],
  feeds: Record<number, string>,
  progress: Progress,
): Promise<TradingContracts['markets']> {
  const market = PerpMarket__factory.connect(perpMarket, session.deployer);
  const result: TradingContracts['markets'] = [];
  for (const asset of assets) {
    if (!asset.market) continue;
    const { imr, mmr, feeRate } = asset.market;
    const { marketId, listed } = await ensureMarket(market, {
      assetId: asset.assetId,
      feed: feeds[asset.assetId]!,
      imr: wad(imr),
      mmr: wad(mmr),
      feeRate: wad(feeRate),
    });
    if (listed) progress.info(`listed ${asset.symbol}-PERP (market ${marketId}, taker fee ${feeRate})`);
    result.push({ assetId: asset.assetId, symbol: asset.symbol, marketId, imr, mmr, feeRate });
  }
  return result;
}

/** Feed and haircut of every asset on the hub, and each asset's decimals per collateral chain. */
export async function ensureHubAssets(
  session: ChainSession,
  hub: string,
  config: DeployConfig,
  feeds: Record<number, string>,
  chainAssets: { eid: number; assets: { assetId: number; decimals: number }[] }[],
): Promise<void> {
  const hubContract = MarginHub__factory.connect(hub, session.deployer);
  for (const asset of config.assets) {
    const chains = chainAssets.flatMap((c) => c.assets.filter((a) => a.assetId === asset.assetId).map((a) => ({ eid: c.eid, decimals: a.decimals })));
    await configureHubAsset(hubContract, { assetId: asset.assetId, feed: feeds[asset.assetId]!, initWeight: wad(asset.weightInit), chains });
  }
}

export interface VaultDeployment {
  vault: string;
  assets: ManifestChain['assets'];
  testTokens: Record<string, string>;
}

/** Test tokens (local chains, when no token is configured), the vault, its listed assets and caps. */
export async function ensureVault(
  session: ChainSession,
  chain: ChainConfig,
  config: DeployConfig,
  hubEid: number,
  endpoint: string,
  recorded: ManifestChain | undefined,
  guardian: string,
  progress: Progress,
): Promise<VaultDeployment> {
  const { deployer } = session;
  const testTokens: Record<string, string> = {};
  const assets: ManifestChain['assets'] = [];
  for (const chainAsset of chain.assets) {
    const asset = config.assets.find((a) => a.symbol === chainAsset.symbol)!;
    const decimals = chainAsset.decimals ?? asset.decimals;
    let token = chainAsset.token;
    if (!token) {
      const previous = recorded?.assets.find((a) => a.assetId === asset.assetId)?.token;
      token = await ensureContract(session, progress, `test token ${asset.symbol}`, previous, async () =>
        (await deployTestToken(deployer, { name: `Test ${asset.symbol}`, symbol: asset.symbol, decimals })).getAddress(),
      );
      testTokens[asset.symbol] = token;
    }
    assets.push({ assetId: asset.assetId, token, decimals, depositCap: chainAsset.depositCap });
  }
  const vault = await ensureContract(session, progress, 'CollateralVault', recorded?.contracts.vault, async () =>
    (await deployVault(deployer, { endpoint, hubEid })).getAddress(),
  );
  const vaultContract = CollateralVault__factory.connect(vault, deployer);
  for (const [i, chainAsset] of chain.assets.entries()) {
    const asset = assets[i]!;
    const outflow = outflowGuard(chainAsset, config.guards.vaultOutflowPerHour);
    const listed = await listAsset(vaultContract, {
      assetId: asset.assetId,
      token: asset.token,
      depositCap: asset.depositCap,
      rateCapacity: outflow.capacity,
      refillPerSecond: outflow.refillPerSecond,
    });
    if (listed) progress.info(`listed ${chainAsset.symbol} (cap ${asset.depositCap}, outflow ${outflow.capacity} + ${outflow.refillPerSecond}/s)`);
    else if ((await vaultContract.assetConfig(asset.assetId)).depositCap !== BigInt(asset.depositCap)) {
      await progress.step(`deposit cap of ${chainAsset.symbol} → ${asset.depositCap}`, async () =>
        (await vaultContract.setDepositCap(asset.assetId, asset.depositCap)).wait(),
      );
    }
    const [enabled, capacity, refillPerSecond] = await vaultContract.outflowLimit(asset.assetId);
    if (!enabled || bucketNeedsUpdate({ capacity, refillPerSecond }, outflow)) {
      await progress.step(`outflow limit of ${chainAsset.symbol} → ${outflow.capacity} + ${outflow.refillPerSecond}/s`, async () =>
        (await vaultContract.setRateLimit(asset.assetId, true, outflow.capacity, outflow.refillPerSecond)).wait(),
      );
    }
  }
  if (await setVaultGuardian(vaultContract, guardian)) progress.info(`guardian ${guardian}`);
  if ((await vaultContract.heartbeatPeriod()) !== BigInt(chain.heartbeatSeconds)) {
    await progress.step(`heartbeat period → ${chain.heartbeatSeconds} s (heartbeat() at most every ${chain.heartbeatSeconds / 4} s)`, async () =>
      (await vaultContract.setHeartbeatPeriod(chain.heartbeatSeconds)).wait(),
    );
  }
  await ensureNativeBalance(deployer, vault, BigInt(config.oappNativeFloat));
  return { vault, assets, testTokens };
}
