import { ZeroAddress, parseEther } from 'ethers';
import { MarginHub__factory, StablePriceFeed__factory, deployStablePriceFeed } from '@tributary/contracts';
import type { DeployConfig } from '../config/schema';
import { ensureContract } from './app';
import type { ChainSession } from './chain-session';
import type { Progress } from './progress';

/**
 * The hub's init-side price per asset (docs/breakers-and-dampeners.md#stable-price-the-dampener): a StablePriceFeed
 * over the asset's oracle feed, answering min(p, s). The one the hub already uses is kept when it wraps the same
 * oracle with the configured gap (fixed per feed). δ and τ are governed (RiskParameters kinds 14, 15) once
 * RiskParameters is the feed's governor: a config that differs is then reported, not applied; before that the
 * deployer sets them. Returns the feed the hub should value each asset with.
 */
export async function ensureStableFeeds(
  session: ChainSession,
  hub: string,
  config: DeployConfig,
  oracleFeeds: Record<number, string>,
  progress: Progress,
): Promise<Record<number, string>> {
  const { maxStep, intervalSeconds, maxGapSeconds } = config.trading.stablePrice;
  const params = { maxStep: parseEther(maxStep.toFixed(15)), intervalSeconds, maxGapSeconds };
  const hubContract = MarginHub__factory.connect(hub, session.provider);
  const out: Record<number, string> = {};
  for (const asset of config.assets) {
    const source = oracleFeeds[asset.assetId]!;
    const current = (await hubContract.assetRisk(asset.assetId)).feed;
    const reusable = (await matches(session, current, source, params)) ? current : undefined;
    out[asset.assetId] = await ensureContract(session, progress, `${asset.symbol} stable price feed`, reusable, async () =>
      (await deployStablePriceFeed(session.deployer, { source, ...params })).getAddress(),
    );
    await reconcileParams(session, out[asset.assetId]!, asset.symbol, params, progress);
  }
  return out;
}

async function reconcileParams(
  session: ChainSession,
  feed: string,
  symbol: string,
  params: { maxStep: bigint; intervalSeconds: number },
  progress: Progress,
): Promise<void> {
  const stable = StablePriceFeed__factory.connect(feed, session.deployer);
  const [step, interval, governor] = await Promise.all([stable.maxStep(), stable.interval(), stable.paramGovernor()]);
  if (step === params.maxStep && interval === BigInt(params.intervalSeconds)) return;
  if (governor !== ZeroAddress) {
    progress.info(
      `${symbol} stable price δ ${step} τ ${interval} s on chain, δ ${params.maxStep} τ ${params.intervalSeconds} s in the config: change it with tributary params propose`,
    );
    return;
  }
  await progress.step(`${symbol} stable price δ ${params.maxStep} τ ${params.intervalSeconds} s`, async () =>
    (await stable.setStableParams(params.maxStep, params.intervalSeconds)).wait(),
  );
}

async function matches(session: ChainSession, feed: string, source: string, params: { maxGapSeconds: number }): Promise<boolean> {
  if ((await session.provider.getCode(feed)) === '0x') return false;
  const stable = StablePriceFeed__factory.connect(feed, session.provider);
  try {
    const [src, gap] = await Promise.all([stable.source(), stable.maxGap(), stable.paramGovernor()]);
    return src.toLowerCase() === source.toLowerCase() && gap === BigInt(params.maxGapSeconds);
  } catch {
    return false; // a plain oracle feed, or a feed from before δ and τ were governed (an older deployment)
  }
}
