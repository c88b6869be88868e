import type { HardhatNetworkUserConfig } from 'hardhat/types';

/**
 * The local chain a `hardhat node` runs, from the HH_* variables `startHardhatNode` sets (this package's
 * hardhat.config.ts and the bare node's config both use it).
 */
export function hardhatNetworkFromEnv(env: NodeJS.ProcessEnv = process.env): HardhatNetworkUserConfig {
  return {
    chainId: Number(env.HH_CHAIN_ID ?? 31337),
    // Devnet chains mine on an interval (HH_BLOCK_TIME_MS); tests keep automine.
    mining: env.HH_BLOCK_TIME_MS ? { auto: false, interval: Number(env.HH_BLOCK_TIME_MS) } : { auto: true },
    accounts: { count: Number(env.HH_ACCOUNTS ?? 20) },
    // Devnet node processes keep chain time on the wall clock: a burst of automined deploy transactions would
    // otherwise push each block a second ahead (100 transactions = 100 s in the future), and clocks that compare
    // chain time with wall time (chain weight decay, staleness) would be off by that much.
    allowBlocksWithSameTimestamp: env.HH_WALL_CLOCK === '1',
  };
}
