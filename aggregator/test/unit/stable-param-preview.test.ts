import { BadRequestException, Logger } from '@nestjs/common';
import { parseEther } from 'ethers';
import { previewEngine } from '../support/preview-engine';
import { ALICE, T0 } from '../support/risk-service-fixture';

const w = (v: string) => parseEther(v);
const MARKET = { marketId: 0, assetId: 2, imr: w('0.1'), mmr: w('0.05'), takerFee: w('0.0005'), openInterestCap: 0n, accountOpenInterestCap: 0n };

/**
 * A proposed stable-price δ/τ (RiskParameters kinds 14, 15) previewed with POST /v1/risk/preview-params equals what
 * the live book computes once the change executes on chain and the horizon passes with the oracle standing still.
 */
describe('preview-params of a dampener change equals the live book after it executes', () => {
  beforeAll(() => Logger.overrideLogger(false));

  const engine = () =>
    previewEngine({
      assets: [
        { assetId: 1, initWeight: w('0.9'), maintWeight: w('0.9') },
        { assetId: 2, initWeight: w('0.8'), maintWeight: w('0.85') },
      ],
      chains: [{ eid: 2, weight: w('0.8') }],
      markets: [MARKET],
      exposureCaps: [],
      stable: [{ assetId: 1, maxStep: w('0.02'), intervalSeconds: 3600n }],
      globals: null,
    });

  /** AAA (Alice's 1000 units of collateral) at 1, then a spike to 1.3 one second later: s barely moves. */
  async function spiked(e: ReturnType<typeof engine>) {
    await e.service.refresh();
    e.oracle.observe(1, 1, T0);
    e.oracle.observe(1, 1.3, T0 + 1);
    await e.service.refresh();
  }

  it('δ doubled: s after one τ, the credit and the liquidatable count under each, the one-block jump; the book agrees after', async () => {
    const e = engine();
    await spiked(e);
    expect(e.api.params().stablePrice).toEqual([
      { assetId: 1, maxStep: 0.02, intervalSeconds: 3600, source: 'chain' },
      { assetId: 2, maxStep: 0.02, intervalSeconds: 3600, source: 'default' },
    ]);
    const before = e.service.get(ALICE)!.result;
    const preview = e.api.previewParams({ assets: [{ assetId: 1, stableMaxStep: 0.04 }], blockSeconds: 2 });
    expect(e.service.get(ALICE)!.result).toEqual(before); // a preview changes nothing
    const stable = preview.stable!;
    const s = e.oracle.stress.stablePrice(1)!.price;
    expect(stable.assets[0]).toMatchObject({ assetId: 1, oraclePrice: 1.3, stablePrice: s, units: 1000 });
    expect(stable.assets[0].current.stablePriceAtHorizon).toBeCloseTo(s * 1.02, 12);
    expect(stable.assets[0].proposed.stablePriceAtHorizon).toBeCloseTo(s * 1.04, 12);
    expect(stable.assets[0].proposed.blockJumpPerUnit).toBeCloseTo(s * Math.expm1((0.04 * 2) / 3600), 15);
    expect(stable.assets[0].proposed.blockJumpUsd).toBeCloseTo(1000 * stable.assets[0].proposed.blockJumpPerUnit, 12);
    expect(stable.now.creditLimit).toBeCloseTo(before.creditLimit, 9);
    expect(stable.proposed.creditLimit).toBeGreaterThan(stable.current.creditLimit);
    expect(stable.creditAdded).toBeCloseTo(stable.proposed.creditLimit - stable.current.creditLimit, 9);
    expect(stable.creditRemoved).toBe(0);
    expect([stable.current.liquidatable, stable.proposed.liquidatable]).toEqual([stable.now.liquidatable, stable.now.liquidatable]);

    // Executed on chain; the engine takes δ 0.04 at its next sync, then one τ passes with the oracle at 1.3.
    await e.execute({ stable: [{ assetId: 1, maxStep: w('0.04'), intervalSeconds: 3600n }] });
    expect(e.api.params().stablePrice[0]).toEqual({ assetId: 1, maxStep: 0.04, intervalSeconds: 3600, source: 'chain' });
    e.oracle.observe(1, 1.3, T0 + 1 + 3600);
    await e.service.refresh();
    expect(e.oracle.stress.bookStablePrice(1)).toBeCloseTo(stable.assets[0].proposed.stablePriceAtHorizon, 12);
    const after = e.service.get(ALICE)!.result;
    expect(after.creditLimit).toBeCloseTo(stable.proposed.creditLimit, 9);
    expect(after.creditLimit - before.creditLimit).toBeGreaterThan(0);
  });

  it('without the change the book reaches the preview’s current column; τ halved is previewed the same way', async () => {
    const e = engine();
    await spiked(e);
    const preview = e.api.previewParams({ assets: [{ assetId: 1, stableIntervalSeconds: 1800 }], stableHorizonSeconds: 600 });
    const stable = preview.stable!;
    expect(stable.horizonSeconds).toBe(600);
    const s = e.oracle.stress.stablePrice(1)!.price;
    expect(stable.assets[0].current.stablePriceAtHorizon).toBeCloseTo(s * (1 + (0.02 * 600) / 3600), 12);
    expect(stable.assets[0].proposed.stablePriceAtHorizon).toBeCloseTo(s * (1 + (0.02 * 600) / 1800), 12);
    e.oracle.observe(1, 1.3, T0 + 1 + 600);
    await e.service.refresh();
    expect(e.service.get(ALICE)!.result.creditLimit).toBeCloseTo(stable.current.creditLimit, 9);
  });

  it('refuses a bad dampener request (zod) and changes nothing', async () => {
    const e = engine();
    await spiked(e);
    const before = e.service.get(ALICE)!.result;
    for (const body of [
      { assets: [{ assetId: 1, stableMaxStep: 1 }] },
      { assets: [{ assetId: 1, stableMaxStep: 0 }] },
      { assets: [{ assetId: 1, stableIntervalSeconds: 1.5 }] },
      { assets: [{ assetId: 1, stableMaxStep: 0.04 }], stableHorizonSeconds: -1 },
      { assets: [{ assetId: 1, stableMaxStep: 0.04 }], blockSeconds: 0 },
      { assets: [{ assetId: 1, stableDelta: 0.04 }] },
    ])
      expect(() => e.api.previewParams(body)).toThrow(BadRequestException);
    expect(e.service.get(ALICE)!.result).toEqual(before);
    expect(e.oracle.stress.paramsOf(1)).toEqual({ maxStep: 0.02, intervalSeconds: 3600 });
  });
});
