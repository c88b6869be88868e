import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { Manifest } from '@tributary/protocol';
import { Clock } from '@tributary/service-kit';
import { ChainRegistry } from '../../src/chain/chain-registry';
import type { TradingRpcRepository } from '../../src/chain/trading-rpc.repository';
import { loadAppConfig } from '../../src/config/app-config';
import { OracleService } from '../../src/oracle/oracle.service';
import { PriceGuard, type FeedReading } from '../../src/oracle/price-guard';
import type { PriceSample, PriceSampleRepository } from '../../src/oracle/price-sample.repository';

const settings = { heartbeatSeconds: 60, maxDeviation: 0.2, confirmations: 3 };
const at = (price: number, updatedAt: number): FeedReading => ({ price, updatedAt });

describe('PriceGuard', () => {
  it('accepts the first positive fresh price and moves within the deviation band', () => {
    const guard = new PriceGuard(settings);
    expect(guard.current).toMatchObject({ status: 'unavailable', price: null });
    expect(guard.observe(at(2000, 995), 1000)).toBe(true);
    expect(guard.current).toEqual({ status: 'ok', price: 2000, updatedAt: 995, observedAt: 1000, detail: '' });
    expect(guard.observe(at(2390, 1005), 1010)).toBe(true); // +19.5 %
    expect(guard.current).toMatchObject({ status: 'ok', price: 2390 });
    expect(guard.observe(at(2390, 1005), 1011)).toBe(false);
  });

  it('marks a price older than the heartbeat stale and keeps the last good one', () => {
    const guard = new PriceGuard(settings);
    guard.observe(at(2000, 1000), 1000);
    expect(guard.observe(at(2000, 1000), 1060)).toBe(false); // exactly the heartbeat: still fresh
    expect(guard.observe(at(2100, 1000), 1061)).toBe(true);
    expect(guard.current).toMatchObject({ status: 'stale', price: 2000, updatedAt: 1000 });
    expect(guard.current.detail).toBe('price 2100 is 61 s old (heartbeat 60 s)');
    expect(guard.observe(at(2100, 1061), 1061)).toBe(true);
    expect(guard.current).toMatchObject({ status: 'ok', price: 2100 });
  });

  it('holds a jump beyond maxDeviation until the new level was read on `confirmations` consecutive polls', () => {
    const guard = new PriceGuard(settings);
    guard.observe(at(2000, 1000), 1000);
    guard.observe(at(1500, 1001), 1001);
    expect(guard.current).toMatchObject({ status: 'deviating', price: 2000 });
    expect(guard.current.detail).toContain('-25.00% from the last good 2000');
    expect(guard.current.detail).toContain('read 1/3');
    guard.observe(at(1480, 1002), 1002); // same level (within 20 % of 1500)
    expect(guard.current).toMatchObject({ status: 'deviating', price: 2000 });
    guard.observe(at(1490, 1003), 1003);
    expect(guard.current).toMatchObject({ status: 'ok', price: 1490, updatedAt: 1003 });
  });

  it('restarts the confirmation count when the level changes, is interrupted or comes back', () => {
    const guard = new PriceGuard(settings);
    guard.observe(at(2000, 1000), 1000);
    guard.observe(at(1500, 1001), 1001);
    guard.observe(at(1000, 1002), 1002); // a different new level: count 1 again
    expect(guard.current.detail).toContain('read 1/3');
    guard.observe(at(2050, 1003), 1003); // back within the band: accepted, candidate cleared
    expect(guard.current).toMatchObject({ status: 'ok', price: 2050 });
    guard.observe(at(1500, 1004), 1004);
    guard.observe(at(1500, 1000), 1100); // stale in between resets
    guard.observe(at(1500, 1101), 1101);
    expect(guard.current).toMatchObject({ status: 'deviating', price: 2050 });
    expect(guard.current.detail).toContain('read 1/3');
  });

  it('reports failed reads and non-positive answers as unavailable, keeping the last good price', () => {
    const guard = new PriceGuard(settings);
    guard.observe({ error: 'call reverted' }, 1000);
    expect(guard.current).toMatchObject({ status: 'unavailable', price: null, detail: 'call reverted' });
    guard.observe(at(2000, 1000), 1000);
    guard.observe(at(0, 1001), 1001);
    expect(guard.current).toMatchObject({ status: 'unavailable', price: 2000 });
    guard.observe(at(-5, 1002), 1002);
    expect(guard.current.detail).toBe('feed answered -5 (not a positive price)');
  });
});

class FakeClock extends Clock {
  seconds = 1_000_000;
  override now(): number {
    return this.seconds * 1000;
  }
}

describe('OracleService (fake feed, fake sample store, fake clock)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  const feed = '0x00000000000000000000000000000000000000f1';
  const manifest = {
    version: 1,
    chains: [
      {
        name: 't',
        chainId: 1,
        eid: 1,
        rpcUrl: 'http://127.0.0.1:1',
        role: 'trading',
        confirmations: 0,
        startBlock: 0,
        weight: 1,
        heartbeatSeconds: 60,
        decayWindowSeconds: 60,
        layerZero: {} as never,
        contracts: {},
        assets: [],
      },
    ],
    assets: [
      {
        assetId: 2,
        symbol: 'WETH',
        weightInit: 0.8,
        weightMaint: 0.85,
        imf: 0,
        volatility: 0.04,
        priceFeed: feed,
        heartbeatSeconds: 60,
        maxDeviation: 0.2,
      },
      { assetId: 3, symbol: 'NOFEED', weightInit: 0.5, weightMaint: 0.6, imf: 0, volatility: 0.1, heartbeatSeconds: 60, maxDeviation: 0.2 },
    ],
    correlations: [],
  } as Manifest;

  function setup(chain?: { time: number }, stored: PriceSample[] = []) {
    const clock = new FakeClock();
    let answer: FeedReading = { price: 2000, updatedAt: clock.seconds };
    const rpc = {
      latestRound: async () => ('error' in answer ? Promise.reject(new Error(answer.error)) : answer),
      latestBlockTimestamp: async () => (chain ? chain.time : Promise.reject(new Error('no chain time in this test'))),
    } as unknown as TradingRpcRepository;
    const samples = {
      recent: async (assetId: number) => stored.filter((s) => s.assetId === assetId),
      latest: async (assetId: number) => stored.filter((s) => s.assetId === assetId).at(-1) ?? null,
      insert: async (s: PriceSample) => void stored.push(s),
      prune: async () => 0,
    } as unknown as PriceSampleRepository;
    const config = loadAppConfig({ ORACLE_SAMPLE_INTERVAL_S: '100' });
    const oracle = new OracleService(config, new ChainRegistry(manifest), rpc, samples, clock, new Registry());
    return { oracle, clock, stored, setAnswer: (a: FeedReading) => (answer = a) };
  }

  it('guards each feed, emits changes, samples once per interval', async () => {
    const { oracle, clock, stored, setAnswer } = setup();
    const seen: string[][] = [];
    oracle.subscribe((changed) => seen.push(changed.map((p) => `${p.symbol}:${p.status}:${p.price}`)));
    await oracle.poll();
    expect(seen).toEqual([['WETH:ok:2000']]); // NOFEED was unavailable from the start
    expect(oracle.price(3)?.detail).toBe('no priceFeed in the manifest');
    expect(stored).toEqual([{ assetId: 2, price: 2000, updatedAt: clock.seconds, observedAt: clock.seconds }]);

    clock.seconds += 50;
    setAnswer({ price: 2100, updatedAt: clock.seconds });
    await oracle.poll();
    expect(seen.at(-1)).toEqual(['WETH:ok:2100']);
    expect(stored).toHaveLength(1); // within the sample interval
    clock.seconds += 50;
    await oracle.poll();
    expect(stored.map((s) => s.price)).toEqual([2000, 2100]);
    expect(oracle.sampleVersion).toBe(2);

    clock.seconds += 61; // feed not updated: stale
    await oracle.poll();
    expect(oracle.price(2)).toMatchObject({ status: 'stale', price: 2100 });
    setAnswer({ error: 'execution reverted' });
    await oracle.poll();
    expect(oracle.price(2)).toMatchObject({ status: 'unavailable', price: 2100 });
    expect(oracle.price(2)?.detail).toContain('execution reverted');
    expect(stored).toHaveLength(2); // no samples while not ok
  });

  it('steps the stable price on chain time and announces it to the risk engine once it moved ≥ 1 bp', async () => {
    const chain = { time: 5_000 };
    const { oracle, clock, setAnswer } = setup(chain);
    const seen: (number | null | undefined)[] = [];
    oracle.subscribe((changed) => seen.push(...changed.filter((p) => p.assetId === 2).map((p) => p.stablePrice)));
    await oracle.poll();
    expect(oracle.price(2)).toMatchObject({ price: 2000, stablePrice: 2000 });
    clock.seconds += 10;
    chain.time += 10;
    setAnswer({ price: 2300, updatedAt: clock.seconds }); // +15 %, within maxDeviation
    await oracle.poll();
    const stable = oracle.stress.stablePrice(2)!;
    expect(stable).toEqual({ price: expect.closeTo(2000 * (1 + (0.02 * 10) / 3600), 9), lastUpdate: 5_010 });
    // 0.0056 %: below the book's 1 bp step, so the risk engine keeps 2000.
    expect(oracle.price(2)).toMatchObject({ price: 2300, stablePrice: 2000 });
    chain.time += 1_800; // half an hour of chain time (the wall clock has not moved: the feed stays fresh)
    await oracle.poll();
    expect(oracle.price(2)?.stablePrice).toBeCloseTo(stable.price * 1.01, 9);
    expect(seen).toEqual([2000, 2000, oracle.price(2)?.stablePrice]);
    expect(oracle.stressViews()[0]).toMatchObject({ symbol: 'WETH', price: 2300, breaker: { paused: false } });
  });

  it('rebuilds the stable price from the persisted samples on the first poll', async () => {
    const { oracle } = setup({ time: 20_000 }, [
      { assetId: 2, price: 1000, updatedAt: 0, observedAt: 0 },
      { assetId: 2, price: 1000, updatedAt: 3_600, observedAt: 3_600 },
      { assetId: 2, price: 2000, updatedAt: 7_200, observedAt: 7_200 },
    ]);
    await oracle.poll();
    // 1000 → one hour toward 2000 (+2 %), then the first live step from the chain's time: s stays ≈ 1020.
    expect(oracle.price(2)).toMatchObject({ price: 2000, stablePrice: 1020 });
  });
});
