import { parseEther } from 'ethers';
import type { ManifestAsset } from '@tributary/protocol';
import { chainParams, fromWad, manifestParams, paramChanges, withGovernedWeights } from '../../src/risk/governed-params';

const asset = {
  assetId: 1,
  symbol: 'AAA',
  weightInit: 0.9,
  weightMaint: 0.95,
  imf: 0,
  volatility: 0.01,
  heartbeatSeconds: 60,
  maxDeviation: 0.2,
} as ManifestAsset;

describe('governed risk parameters (chain words → model terms)', () => {
  it('maps 1e18 words to fractions per kind and keeps the block they were read at', () => {
    const p = chainParams({
      block: 42,
      assets: [{ assetId: 1, initWeight: parseEther('0.85'), maintWeight: parseEther('0.9') }],
      chains: [{ eid: 40161, weight: parseEther('0.95') }],
      markets: [
        {
          marketId: 0,
          assetId: 1,
          imr: parseEther('0.1'),
          mmr: 50_000_000_000_000_000n,
          takerFee: parseEther('0.0005'),
          openInterestCap: parseEther('500'),
          accountOpenInterestCap: 0n,
        },
      ],
      exposureCaps: [{ assetId: 1, cap: parseEther('1000000') }],
      stable: [{ assetId: 1, maxStep: parseEther('0.02'), intervalSeconds: 3600n }],
      globals: {
        markOverrideHealth: parseEther('2'),
        liquidationPenalty: parseEther('0.02'),
        guardCapacity: parseEther('1000000'),
        guardRefill: parseEther('27.5'),
      },
    });
    expect(p.source).toBe('chain');
    expect(p.block).toBe(42);
    expect([...p.assets]).toEqual([[1, { weightInit: 0.85, weightMaint: 0.9 }]]);
    expect([...p.chains]).toEqual([[40161, 0.95]]);
    expect([...p.markets]).toEqual([[0, { imr: 0.1, mmr: 0.05, takerFee: 0.0005 }]]);
    expect([...p.marketCaps]).toEqual([[0, { assetId: 1, openInterestCap: 500, accountOpenInterestCap: null }]]); // 0 = no cap
    expect([...p.exposureCaps]).toEqual([[1, 1_000_000]]);
    expect(p.liquidation).toEqual({ markOverrideHealth: 2, penalty: 0.02 });
    expect(p.pusherGuard).toEqual({ capacityUsd: 1_000_000, refillUsdPerSecond: 27.5 });
    expect([...p.stable]).toEqual([[1, { maxStep: 0.02, intervalSeconds: 3600 }]]); // τ in seconds, not 1e18
    expect(chainParams({ block: 1, assets: [], chains: [], markets: [], exposureCaps: [], stable: [], globals: null })).toMatchObject({
      liquidation: null,
      pusherGuard: null,
    });
    expect(fromWad(1n)).toBe(1e-18);
  });

  it('replaces only the base weights of an asset the chain governs', () => {
    const p = chainParams({
      block: 1,
      assets: [{ assetId: 1, initWeight: parseEther('0.8'), maintWeight: parseEther('0.9') }],
      chains: [],
      markets: [],
      exposureCaps: [],
      stable: [],
      globals: null,
    });
    expect(withGovernedWeights(asset, p)).toEqual({ ...asset, weightInit: 0.8, weightMaint: 0.9 });
    expect(withGovernedWeights({ ...asset, assetId: 2 }, p)).toEqual({ ...asset, assetId: 2 });
  });

  it('lists every changed parameter by kind and id, and nothing for equal reads', () => {
    const before = manifestParams([asset], [{ eid: 2, weight: 1 }], new Map([[0, { imr: 0.1, mmr: 0.05, takerFee: 0.0005 }]]));
    expect(before).toMatchObject({ source: 'manifest', block: null, liquidation: null, pusherGuard: null });
    expect(paramChanges(before, before)).toEqual([]);
    const after = chainParams({
      block: 7,
      assets: [{ assetId: 1, initWeight: parseEther('0.9'), maintWeight: parseEther('0.9') }],
      chains: [
        { eid: 2, weight: parseEther('0.95') },
        { eid: 3, weight: parseEther('1') },
      ],
      markets: [
        {
          marketId: 0,
          assetId: 1,
          imr: parseEther('0.1'),
          mmr: parseEther('0.06'),
          takerFee: parseEther('0.001'),
          openInterestCap: parseEther('10'),
          accountOpenInterestCap: 0n,
        },
      ],
      exposureCaps: [{ assetId: 1, cap: parseEther('5000') }],
      stable: [{ assetId: 1, maxStep: parseEther('0.04'), intervalSeconds: 1800n }],
      globals: {
        markOverrideHealth: parseEther('2'),
        liquidationPenalty: parseEther('0.02'),
        guardCapacity: parseEther('1000'),
        guardRefill: parseEther('1'),
      },
    });
    expect(paramChanges(before, after)).toEqual([
      { kind: 'maintWeight', id: 1, old: 0.95, value: 0.9 },
      { kind: 'chainWeight', id: 2, old: 1, value: 0.95 },
      { kind: 'chainWeight', id: 3, old: undefined, value: 1 },
      { kind: 'mmr', id: 0, old: 0.05, value: 0.06 },
      { kind: 'marketOpenInterestCap', id: 0, old: undefined, value: 10 },
      { kind: 'accountExposureCap', id: 1, old: undefined, value: 5000 },
      { kind: 'takerFee', id: 0, old: 0.0005, value: 0.001 },
      { kind: 'stableMaxStep', id: 1, old: undefined, value: 0.04 },
      { kind: 'stableInterval', id: 1, old: undefined, value: 1800 },
      { kind: 'markOverrideHealth', id: 0, old: undefined, value: 2 },
      { kind: 'liquidationPenalty', id: 0, old: undefined, value: 0.02 },
      { kind: 'guardCapacity', id: 0, old: undefined, value: 1000 },
      { kind: 'guardRefill', id: 0, old: undefined, value: 1 },
    ]);
    const raised = { ...after, liquidation: { markOverrideHealth: 2.5, penalty: 0.02 }, pusherGuard: { capacityUsd: 2000, refillUsdPerSecond: 1 } };
    expect(paramChanges(after, raised)).toEqual([
      { kind: 'markOverrideHealth', id: 0, old: 2, value: 2.5 },
      { kind: 'guardCapacity', id: 0, old: 1000, value: 2000 },
    ]);
  });
});
