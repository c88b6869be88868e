import { parseEther, parseUnits } from 'ethers';
import {
  type CollateralAuction,
  CollateralAuction__factory,
  CollateralVault__factory,
  LiquidationRegistry__factory,
  configureSeizure,
  connectAuction,
  deployCollateralAuction,
  deployPriceFeed,
  deployTestToken,
} from '@tributary/contracts';
import type { ManifestChain } from '@tributary/protocol';
import type { ChainConfig, DeployConfig } from '../config/schema';
import type { ChainSession } from './chain-session';
import { ensureContract, type VaultDeployment } from './app';
import type { Progress } from './progress';

const AUCTION_LABEL = 'CollateralAuction';
const wad = (fraction: number): bigint => parseEther(fraction.toFixed(18));

export interface AuctionDeployment {
  auction: string;
  /** The auction's USD feed per asset id (settable feeds owned by the oracle key, same prices as the trading chain's). */
  feeds: Record<number, string>;
  /** Test tokens deployed for the auction (the quote USDC when the chain has none). */
  testTokens: Record<string, string>;
}

/**
 * The Dutch auction of one local collateral chain (docs/liquidation.md): a settable USD feed per asset sold there
 * (the oracle key moves it with the trading chain's), the chain's test USDC as quote token (deployed when the
 * chain lists none), the deployer as treasury; the vault sends its seizures to it. A public chain gets none
 * here (its feeds and quote token are not in the config): `seize` there reports a shortfall.
 */
export async function ensureAuction(
  session: ChainSession,
  chain: ChainConfig,
  config: DeployConfig,
  vault: VaultDeployment,
  recorded: ManifestChain | undefined,
  operators: { oracle: string; guardian: string },
  progress: Progress,
): Promise<AuctionDeployment | undefined> {
  const { oracle } = operators;
  if (!chain.local) return undefined;
  const { deployer } = session;
  const testTokens: Record<string, string> = {};
  const feeds: Record<number, string> = {};
  // A recorded (or journaled) auction with code is reused with its quote token and the feeds it lists.
  const recordedAuction = recorded?.contracts.auction ?? session.journal?.get(session.config.eid, AUCTION_LABEL);
  const existing =
    recordedAuction && (await session.provider.getCode(recordedAuction)) !== '0x'
      ? CollateralAuction__factory.connect(recordedAuction, deployer)
      : undefined;
  for (const asset of vault.assets) {
    const global = config.assets.find((a) => a.assetId === asset.assetId)!;
    const listed = await existing?.assetConfig(asset.assetId);
    if (listed?.listed) {
      feeds[asset.assetId] = listed.feed;
      continue;
    }
    if (global.initialPrice === undefined) {
      progress.info(`no initial price for ${global.symbol}: the auction on ${chain.name} does not sell it`);
      continue;
    }
    feeds[asset.assetId] = await ensureContract(session, progress, `${global.symbol}/USD auction feed`, undefined, async () =>
      (
        await deployPriceFeed(deployer, {
          description: `${global.symbol} / USD`,
          price: parseUnits(global.initialPrice!.toFixed(8), 8),
          owner: oracle,
        })
      ).getAddress(),
    );
  }
  let quoteToken = existing ? await existing.quoteToken() : vault.testTokens.USDC;
  if (!quoteToken) {
    quoteToken = await ensureContract(session, progress, 'test token USDC (auction quote)', undefined, async () =>
      (await deployTestToken(deployer, { name: 'Test USDC', symbol: 'USDC', decimals: 6 })).getAddress(),
    );
  }
  if (!Object.values(vault.testTokens).some((t) => t.toLowerCase() === quoteToken!.toLowerCase())) testTokens.USDC = quoteToken;
  const auction = await ensureContract(session, progress, AUCTION_LABEL, recordedAuction, async () =>
    (
      await deployCollateralAuction(deployer, {
        vault: vault.vault,
        quoteToken: quoteToken!,
        treasury: session.deployerAddress,
        maxPriceAgeSeconds: config.trading.maxPriceAgeSeconds,
      })
    ).getAddress(),
  );
  const contract = CollateralAuction__factory.connect(auction, deployer);
  await connectAuction({
    vault: CollateralVault__factory.connect(vault.vault, deployer),
    auction: contract,
    assets: vault.assets.filter((a) => feeds[a.assetId]).map((a) => ({ assetId: a.assetId, token: a.token, feed: feeds[a.assetId]! })),
  });
  await ensureBreaker(contract, config, operators.guardian, progress);
  return { auction, feeds, testTokens };
}

/**
 * The auction breaker: the vaults' guardian may resume a paused asset; β and the window from the config while the
 * auction is being configured, then its governance starts (the trading chain's delay). A governed value that
 * differs from the config is reported, not applied.
 */
async function ensureBreaker(auction: CollateralAuction, config: DeployConfig, guardian: string, progress: Progress): Promise<void> {
  if ((await auction.guardian()).toLowerCase() !== guardian.toLowerCase()) {
    await progress.step(`auction guardian ${guardian}`, async () => (await auction.setGuardian(guardian)).wait());
  }
  const { drop, windowSeconds } = config.auctionBreaker;
  const wanted = [parseEther(drop.toFixed(15)), BigInt(windowSeconds)] as const;
  const current = [await auction.breakerDrop(), await auction.breakerWindow()];
  const differs = current[0] !== wanted[0] || current[1] !== wanted[1];
  if ((await auction.paramDelay()) === 0n) {
    if (differs)
      await progress.step(`auction breaker β ${drop}, window ${windowSeconds} s`, async () => (await auction.setBreakerParams(...wanted)).wait());
    const delay = config.trading.paramDelaySeconds;
    await progress.step(`auction breaker governed (delay ${delay} s)`, async () => (await auction.activateGovernance(delay)).wait());
  } else if (differs) {
    progress.info(`auction breaker is β ${current[0]}, window ${current[1]} s on chain; the config differs: change it by proposal`);
  }
}

/** The trading chain's registry learns each collateral chain's auction (seizure target) and the maint weights. */
export async function ensureSeizureTargets(
  session: ChainSession,
  config: DeployConfig,
  registry: string,
  auctions: Map<number, AuctionDeployment>,
): Promise<void> {
  const contract = LiquidationRegistry__factory.connect(registry, session.deployer);
  const maintWeights = config.assets.map((a) => ({ assetId: a.assetId, weight: wad(a.weightMaint) }));
  for (const [eid, { auction }] of auctions) await configureSeizure(contract, { eid, auction, maintWeights });
}
