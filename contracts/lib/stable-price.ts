import type { Signer } from 'ethers';
import { StablePriceFeed__factory, type StablePriceFeed } from '../typechain-types';

/** δ 2 % per τ 1 h (risk/src/stable-price.ts); one poke credits at most 5 minutes of movement. */
export const DEFAULT_STABLE_FEED = { maxStep: 2n * 10n ** 16n, intervalSeconds: 3600, maxGapSeconds: 300 } as const;

/** The hub's init-side price source for one asset: min(oracle, stable price) over `source` (docs/breakers-and-dampeners.md). */
export async function deployStablePriceFeed(
  signer: Signer,
  params: { source: string; maxStep?: bigint; intervalSeconds?: number; maxGapSeconds?: number },
): Promise<StablePriceFeed> {
  const feed = await new StablePriceFeed__factory(signer).deploy(
    params.source,
    params.maxStep ?? DEFAULT_STABLE_FEED.maxStep,
    params.intervalSeconds ?? DEFAULT_STABLE_FEED.intervalSeconds,
    params.maxGapSeconds ?? DEFAULT_STABLE_FEED.maxGapSeconds,
  );
  await feed.waitForDeployment();
  return feed;
}
