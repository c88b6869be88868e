import { ZeroAddress, type Signer } from 'ethers';
import {
  CollateralAuction__factory,
  InsuranceFund__factory,
  LiquidationRegistry__factory,
  type CollateralAuction,
  type CollateralVault,
  type InsuranceFund,
  type LiquidationRegistry,
  type MarginHub,
  type PerpMarket,
  type SettlementPool,
} from '../typechain-types';

/**
 * Deploy and wiring helpers of the liquidation flow (docs/liquidation.md). Every step checks the chain first and
 * skips what is already set, so a re-run changes nothing.
 */

export async function deployLiquidationRegistry(signer: Signer, params: { creditManager: string; admin?: string }): Promise<LiquidationRegistry> {
  const admin = params.admin ?? (await signer.getAddress());
  const registry = await new LiquidationRegistry__factory(signer).deploy(admin, params.creditManager);
  await registry.waitForDeployment();
  return registry;
}

export async function deployInsuranceFund(signer: Signer, params: { pool: string; registry: string }): Promise<InsuranceFund> {
  const fund = await new InsuranceFund__factory(signer).deploy(params.pool, params.registry);
  await fund.waitForDeployment();
  return fund;
}

/** Default auction curve: start 1.2 × oracle, floor 0.6 × oracle. */
export const AUCTION_START_FACTOR = 1_200_000_000_000_000_000n;
export const AUCTION_FLOOR_FACTOR = 600_000_000_000_000_000n;

export async function deployCollateralAuction(
  signer: Signer,
  params: { vault: string; quoteToken: string; treasury: string; maxPriceAgeSeconds: bigint | number; owner?: string },
): Promise<CollateralAuction> {
  const owner = params.owner ?? (await signer.getAddress());
  const auction = await new CollateralAuction__factory(signer).deploy(
    owner,
    params.vault,
    params.quoteToken,
    params.treasury,
    params.maxPriceAgeSeconds,
  );
  await auction.waitForDeployment();
  return auction;
}

async function grantOnce(
  contract: { hasRole(role: string, who: string): Promise<boolean>; grantRole(role: string, who: string): Promise<{ wait(): Promise<unknown> }> },
  role: string,
  who: string,
): Promise<void> {
  if (!(await contract.hasRole(role, who))) await (await contract.grantRole(role, who)).wait();
}

/**
 * Trading-chain wiring (each contract connected to its admin/owner): registry ↔ hub and perp market, the market's
 * registry and insurance fund, the pool's HUB_ROLE (auction proceeds) and FUND_ROLE (cover, write-off).
 */
export async function connectLiquidation(params: {
  hub: MarginHub;
  market: PerpMarket;
  pool: SettlementPool;
  registry: LiquidationRegistry;
  fund: string;
}): Promise<void> {
  const [hub, market, registry] = await Promise.all([params.hub.getAddress(), params.market.getAddress(), params.registry.getAddress()]);
  if ((await params.registry.hub()) === ZeroAddress) await (await params.registry.setHub(hub)).wait();
  if ((await params.registry.perpMarket()) === ZeroAddress) await (await params.registry.setPerpMarket(market)).wait();
  if ((await params.hub.registry()) === ZeroAddress) await (await params.hub.setRegistry(registry)).wait();
  if ((await params.market.liquidationRegistry()) === ZeroAddress) await (await params.market.setLiquidationRegistry(registry)).wait();
  if ((await params.market.insuranceFund()) === ZeroAddress) await (await params.market.setInsuranceFund(params.fund)).wait();
  await grantOnce(params.pool, await params.pool.HUB_ROLE(), hub);
  await grantOnce(params.pool, await params.pool.FUND_ROLE(), params.fund);
}

/** The registry's seizure inputs for one collateral chain: its auction and the maint weight of each asset. */
export async function configureSeizure(
  registry: LiquidationRegistry,
  params: { eid: number; auction: string; maintWeights: { assetId: number; weight: bigint }[] },
): Promise<void> {
  if ((await registry.auctionOf(params.eid)).toLowerCase() !== params.auction.toLowerCase()) {
    await (await registry.setAuction(params.eid, params.auction)).wait();
  }
  for (const { assetId, weight } of params.maintWeights) {
    if ((await registry.maintWeight(assetId)) !== weight) await (await registry.setMaintWeight(assetId, weight)).wait();
  }
}

/** Collateral-chain wiring: the vault's auction (once) and the auction's assets (token + feed per asset). */
export async function connectAuction(params: {
  vault: CollateralVault;
  auction: CollateralAuction;
  assets: { assetId: number; token: string; feed: string }[];
}): Promise<void> {
  const auction = await params.auction.getAddress();
  const current = await params.vault.auction();
  if (current === ZeroAddress) await (await params.vault.setAuction(auction)).wait();
  else if (current.toLowerCase() !== auction.toLowerCase()) throw new Error(`vault already sends seizures to ${current}, not ${auction}`);
  for (const asset of params.assets) {
    const config = await params.auction.assetConfig(asset.assetId);
    if (config.listed && config.token.toLowerCase() === asset.token.toLowerCase() && config.feed.toLowerCase() === asset.feed.toLowerCase()) continue;
    await (await params.auction.configureAsset(asset.assetId, asset.token, asset.feed)).wait();
  }
}
