import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { Manifest } from '@tributary/protocol';
import { ChainRegistry } from '../../src/chain/chain-registry';
import { loadAppConfig } from '../../src/config/app-config';
import type { LeaderElection } from '../../src/credit/leader-election';
import { StableFeedPoker, needsPoke, type StableFeedState } from '../../src/credit/stable-feed-poker';
import type { TradingChain } from '../../src/credit/trading-chain';

function setup(leader = true) {
  const metrics = new Registry();
  const poker = new StableFeedPoker(
    loadAppConfig({}),
    { enabled: false } as unknown as TradingChain,
    { isLeader: leader } as unknown as LeaderElection,
    new ChainRegistry({ assets: [], chains: [] } as unknown as Manifest),
    metrics,
  );
  const states: Record<string, StableFeedState | null> = {
    '0xA': { oracle: 2800n, stable: 2001n, lastUpdate: 0 }, // lagging: poke
    '0xB': { oracle: 1000n, stable: 1000n, lastUpdate: 0 }, // caught up
    '0xC': null, // a plain oracle feed
    '0xD': { oracle: 5n, stable: 6n, lastUpdate: 0 }, // its poke fails
  };
  const poked: string[] = [];
  poker.port = {
    feeds: async () => Object.keys(states).map((feed, i) => ({ assetId: i + 1, feed })),
    state: async (feed) => states[feed]!,
    poke: async (feed) => {
      if (feed === '0xD') throw new Error('nonce too low');
      poked.push(feed);
    },
  };
  return { poker, poked, metrics };
}

describe('StableFeedPoker (moves the hub’s on-chain stable prices)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('pokes only the stable feeds that have not caught up; a failed poke is retried next pass', async () => {
    const { poker, poked, metrics } = setup();
    expect(await poker.pokeAll()).toBe(1);
    expect(poked).toEqual(['0xA']);
    expect(await metrics.metrics()).toContain('tributary_aggregator_stable_feed_pokes_total{asset="1"} 1');
    expect(needsPoke({ oracle: 1n, stable: 1n, lastUpdate: 0 })).toBe(false);
  });

  it('a follower pokes nothing', async () => {
    const { poker, poked } = setup(false);
    expect(await poker.pokeAll()).toBe(0);
    expect(poked).toEqual([]);
  });
});
