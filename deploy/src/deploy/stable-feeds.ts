import { parseEther } from 'ethers';
import { MarginHub__factory, StablePriceFeed__factory, deployStablePriceFeed } from '@tributary/contracts';
import type { DeployConfig } from '../config/schema';
import { ensureContract } from './app';
import type { ChainSession } from './chain-session';
import type { Progress } from './progress';

/**
 * The hub's init-side price per asset (docs/breakers-and-dampeners.md#stable-price-the-dampener): a StablePriceFeed
 * over the asset's oracle feed, answering min(p, s). The one the hub already uses is kept when it wraps the same
 * oracle with the configured δ, τ and gap (its parameters are fixed: a config change deploys a new one). Returns
 * the feed the hub should value each asset with.
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
  }
  return out;
}

async function matches(
  session: ChainSession,
  feed: string,
  source: string,
  params: { maxStep: bigint; intervalSeconds: number; maxGapSeconds: number },
): Promise<boolean> {
  if ((await session.provider.getCode(feed)) === '0x') return false;
  const stable = StablePriceFeed__factory.connect(feed, session.provider);
  try {
    const [src, step, interval, gap] = await Promise.all([stable.source(), stable.maxStep(), stable.interval(), stable.maxGap()]);
    return (
      src.toLowerCase() === source.toLowerCase() &&
      step === params.maxStep &&
      interval === BigInt(params.intervalSeconds) &&
      gap === BigInt(params.maxGapSeconds)
    );
  } catch {
    return false; // a plain oracle feed (an older deployment)
  }
}
