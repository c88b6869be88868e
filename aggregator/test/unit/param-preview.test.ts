import { Logger } from '@nestjs/common';
import { parseEther } from 'ethers';
import { previewParams } from '@tributary/risk';
import { previewEngine } from '../support/preview-engine';
import { ALICE, T0 } from '../support/risk-service-fixture';

const w = (v: string) => parseEther(v);

/**
 * POST /v1/risk/preview-params against the live engine: the preview of a change equals what the book computes once
 * the same change executes on chain (RiskParameters → LiveRiskParams → the next risk sync), also while the weights
 * are volatility-scaled and the chain's weight is decaying.
 */
describe('preview-params equals the live book after the change executes', () => {
  beforeAll(() => Logger.overrideLogger(false));

  const engine = () =>
    previewEngine(
      {
        assets: [
          { assetId: 1, initWeight: w('0.9'), maintWeight: w('0.9') },
          { assetId: 2, initWeight: w('0.8'), maintWeight: w('0.85') },
        ],
        chains: [{ eid: 2, weight: w('0.8') }],
        markets: [{ marketId: 0, assetId: 2, imr: w('0.1'), mmr: w('0.05'), takerFee: w('0.0005'), openInterestCap: 0n, accountOpenInterestCap: 0n }],
        exposureCaps: [],
        stable: [],
        globals: null,
      },
      { RISK_MIN_SAMPLES: '30', ORACLE_SAMPLE_INTERVAL_S: '3600' },
    );

  it('weights (volatility-scaled), a decaying chain weight and margin ratios: credit and health as the book then computes them', async () => {
    const { service, api, execute, samples, oracle, attestations, changes, clock, weights, book } = engine();
    await service.refresh();
    // AAA's realized volatility above its 0.01 baseline: the book holds its weights scaled down (reached by steps).
    const pricesA = Array.from({ length: 40 }, (_, i) => 1 + 0.005 * Math.sin(i));
    samples.set(
      1,
      pricesA.map((price, i) => ({ assetId: 1, price, updatedAt: T0 + i * 3600, observedAt: T0 + i * 3600 })),
    );
    for (let version = 1; version <= 40; version++) {
      oracle.sampleVersion = version;
      await service.refresh();
    }
    // Chain 2 last heard at T0 and heartbeat 100 s: at T0 + 150 it counts at 0.75 of its configured weight.
    attestations.set(2, 0);
    changes.announce(new Set([ALICE]));
    clock.seconds = T0 + 150;
    await service.refresh();
    expect(weights.all()[0].weight).toBeCloseTo(0.8 * 0.75, 12);

    const change = { assets: [{ assetId: 1, weightInit: 0.85 }], chains: [{ eid: 2, weight: 0.75 }], markets: [{ assetId: 2, imr: 0.15, mmr: 0.1 }] };
    const before = service.get(ALICE)!.result;
    const preview = api.previewParams(change);
    expect(preview.accounts).toBe(1);
    expect(preview.creditBefore).toBe(before.creditLimit);
    expect(service.get(ALICE)!.result).toEqual(before); // a preview changes nothing

    await execute({
      assets: [
        { assetId: 1, initWeight: w('0.85'), maintWeight: w('0.9') },
        { assetId: 2, initWeight: w('0.8'), maintWeight: w('0.85') },
      ],
      chains: [{ eid: 2, weight: w('0.75') }],
      markets: [{ marketId: 0, assetId: 2, imr: w('0.15'), mmr: w('0.1'), takerFee: w('0.0005'), openInterestCap: 0n, accountOpenInterestCap: 0n }],
    });
    const after = service.get(ALICE)!.result;
    expect(weights.all()[0].weight).toBeCloseTo(0.75 * 0.75, 12);
    expect(after.creditLimit).toBeLessThan(before.creditLimit);
    expect(preview.creditAfter).toBeCloseTo(after.creditLimit, 9);
    expect(preview.creditRemoved).toBeCloseTo(before.creditLimit - after.creditLimit, 9);
    expect(preview.creditAdded).toBe(0);
    expect(preview.hardestHit).toEqual([
      {
        account: ALICE,
        creditBefore: before.creditLimit,
        creditAfter: expect.closeTo(after.creditLimit, 9),
        healthBefore: before.health,
        healthAfter: expect.closeTo(after.health!, 9),
      },
    ]);
    // Put in the book as requested (unscaled, undecayed), the same change would promise credit the book never gives.
    const naive = previewParams(book.book!, {
      ...change,
      assets: [{ assetId: '1', weightInit: 0.85 }],
      markets: [{ assetId: '2', imr: 0.15, mmr: 0.1 }],
    });
    expect(naive.creditAfter - after.creditLimit).toBeGreaterThan(100);
  });

  it('an mmr raise that makes the account liquidatable is named before it executes, and the book agrees after', async () => {
    const { service, api, execute, oracle } = engine();
    await service.refresh();
    oracle.tick(2, 31); // long 10 BBB from 100: U = −690 against C_maint = 720, health 1.34 at mmr 0.05
    const before = service.get(ALICE)!.result;
    expect(before.liquidatable).toBe(false);
    const preview = api.previewParams({ markets: [{ assetId: 2, mmr: 0.1 }] });
    expect(preview.newlyLiquidatable.map((i) => i.account)).toEqual([ALICE]);
    await execute({
      markets: [{ marketId: 0, assetId: 2, imr: w('0.1'), mmr: w('0.1'), takerFee: w('0.0005'), openInterestCap: 0n, accountOpenInterestCap: 0n }],
    });
    const after = service.get(ALICE)!.result;
    expect(after.liquidatable).toBe(true);
    expect(after.health).toBeLessThan(1);
    expect(preview.newlyLiquidatable[0]).toMatchObject({
      creditAfter: expect.closeTo(after.creditLimit, 9),
      healthAfter: expect.closeTo(after.health!, 9),
    });
  });
});
