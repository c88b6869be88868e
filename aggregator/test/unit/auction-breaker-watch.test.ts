import { Logger } from '@nestjs/common';
import { parseEther } from 'ethers';
import { Registry } from 'prom-client';
import type { Manifest } from '@tributary/protocol';
import type { AuctionBreakerReads, AuctionBreakerRepository } from '../../src/chain/auction-breaker.repository';
import { ChainRegistry } from '../../src/chain/chain-registry';
import { loadAppConfig } from '../../src/config/app-config';
import { AuctionBreakerWatch } from '../../src/oracle/auction-breaker-watch';
import { OracleStress } from '../../src/oracle/oracle-stress';
import type { OracleService } from '../../src/oracle/oracle.service';

const WETH = 2;
const T0 = 1_800_000_000;

class FakeAuctions {
  chains = [{ eid: 40102, name: 'collateral-a' }];
  reads: AuctionBreakerReads = { drop: parseEther('0.3'), windowSeconds: 3600, breakers: [] };
  failing = false;
  read = async (): Promise<AuctionBreakerReads> => {
    if (this.failing) throw new Error('node down');
    return this.reads;
  };
}

function setup(env: Record<string, string> = {}) {
  const auctions = new FakeAuctions();
  const stress = new OracleStress({
    stable: { maxStep: 0.02, intervalSeconds: 3600 },
    breaker: { maxDrop: 0.3, windowSeconds: 3600 },
    bookEpsilon: 0,
  });
  const metrics = new Registry();
  const registry = new ChainRegistry({ assets: [{ assetId: WETH, symbol: 'WETH' }], chains: [] } as unknown as Manifest);
  const watch = new AuctionBreakerWatch(
    loadAppConfig(env),
    auctions as unknown as AuctionBreakerRepository,
    { stress } as unknown as OracleService,
    registry,
    metrics,
  );
  return { auctions, stress, watch, metrics };
}

const breaker = (over: Partial<AuctionBreakerReads['breakers'][number]> = {}) => ({
  assetId: WETH,
  paused: false,
  pausedUntil: 0,
  trippedAt: 0,
  resumedAt: 0,
  referencePrice: 0n,
  ...over,
});

describe('AuctionBreakerWatch (the on-chain auction breakers, beside the oracle’s own)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('keeps what each chain enforces, and shows it in the gauge', async () => {
    const { auctions, watch, metrics } = setup();
    auctions.reads.breakers = [breaker({ paused: true, pausedUntil: T0 + 3600, trippedAt: T0, referencePrice: parseEther('2000') })];
    await watch.poll();
    expect(watch.of(WETH)).toEqual([
      {
        eid: 40102,
        chain: 'collateral-a',
        assetId: WETH,
        paused: true,
        pausedUntil: T0 + 3600,
        trippedAt: T0,
        resumedAt: null,
        referencePrice: 2000,
        maxDrop: 0.3,
        windowSeconds: 3600,
      },
    ]);
    expect(await metrics.metrics()).toContain('tributary_auction_breaker_paused{chain="collateral-a",asset="WETH"} 1');
    auctions.failing = true;
    await watch.poll(); // an unreadable chain keeps its last state
    expect(watch.of(WETH)[0]!.paused).toBe(true);
  });

  it('a guardian resume on chain ends the oracle’s own pause too: points up to it stop counting', async () => {
    const { auctions, stress, watch } = setup();
    stress.observe(WETH, 2000, T0);
    stress.observe(WETH, 1200, T0 + 60);
    expect(stress.breaker(WETH)).toMatchObject({ paused: true, trippedAt: T0 + 60 });
    auctions.reads.breakers = [breaker({ resumedAt: T0 + 120 })];
    await watch.poll();
    expect(stress.breaker(WETH, T0 + 180)).toMatchObject({ paused: false, trippedAt: null });
    stress.observe(WETH, 1150, T0 + 200); // −4 % from the first point after the resume: no trip
    expect(stress.breaker(WETH).paused).toBe(false);
  });
});
