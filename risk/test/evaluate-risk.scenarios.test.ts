import { decayedChainWeight, evaluateRisk, toFixed18, volatilityScaledWeight } from '../src';
import { BTC, CHAIN_A, CHAIN_B, ETH, USDC, expectClose, request } from './fixtures';

// Shared parameters: z_init 2, z_maint 1, h 4 (√h = 2), stress 1.25, pnlWeight 0.5.
describe('evaluateRisk scenarios (numbers worked out by hand)', () => {
  it('single stable collateral', () => {
    // 10,000 USDC: w = min(0.95, 1.1/(1+0)) = 0.95 → C^init 9,500; C^maint 9,700.
    // e = 10,000; σe = 10 → VaR^init = 2·2·10 = 40, VaR^maint = 20; no floor.
    // H = 9,700 / 20 = 485; L = 9,500 − 40 = 9,460.
    const r = evaluateRisk(request({ balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 10_000 }] }));
    expectClose(r.collateralInit, 9500);
    expectClose(r.collateralMaint, 9700);
    expect(r.exposure).toEqual({ USDC: 10_000, ETH: 0, BTC: 0 });
    expectClose(r.varInit, 40);
    expectClose(r.varMaint, 20);
    expect(r.floorInit).toBe(0);
    expectClose(r.requirementInit, 40);
    expectClose(r.health, 485);
    expectClose(r.creditLimit, 9460);
    expect(r.liquidatable).toBe(false);
  });

  it('ETH collateral only, on two chains of different weight, size cap binding', () => {
    // imf 0.1, S = 60 + 40 = 100 → cap 1.1/(1+0.1·10) = 0.55 → w^init = w^maint = 0.55.
    // C = 60·2000·0.55·1 + 40·2000·0.55·0.5 = 66,000 + 22,000 = 88,000 (both).
    // e = 200,000; σe = 10,000 → VaR^init 40,000, VaR^maint 20,000.
    // H = 88,000 / 20,000 = 4.4; L = 88,000 − 40,000 = 48,000.
    const r = evaluateRisk(
      request({
        assets: [{ ...ETH, imf: 0.1 }],
        chains: [
          { eid: CHAIN_A, weight: 1 },
          { eid: CHAIN_B, weight: 0.5 },
        ],
        balances: [
          { eid: CHAIN_A, assetId: 'ETH', amount: 60 },
          { eid: CHAIN_B, assetId: 'ETH', amount: 40 },
        ],
      }),
    );
    expectClose(r.collateralInit, 88_000);
    expectClose(r.collateralMaint, 88_000);
    expectClose(r.exposure.ETH, 200_000);
    expectClose(r.varInit, 40_000);
    expectClose(r.varMaint, 20_000);
    expectClose(r.health, 4.4);
    expectClose(r.creditLimit, 48_000);
  });

  it('ETH collateral hedged by a short ETH perp', () => {
    // 100 ETH (w 0.8/0.85): C^init 160,000, C^maint 170,000.
    // Perp −100 @ 2,100, price 2,000: U = −100·(2000−2100) = +10,000 → Ua = 0.5·10,000 = 5,000.
    // e = 100·2000 − 100·2000 = 0 → VaR 0. F^init = 200,000·0.1 = 20,000, F^maint = 10,000.
    // H = (170,000 + 5,000) / 10,000 = 17.5; L = 160,000 + 5,000 − max(0, 0 − 20,000) = 165,000.
    const r = evaluateRisk(
      request({
        balances: [{ eid: CHAIN_A, assetId: 'ETH', amount: 100 }],
        positions: [{ assetId: 'ETH', size: -100, entryPrice: 2100, imr: 0.1, mmr: 0.05 }],
      }),
    );
    expectClose(r.unrealizedPnl, 10_000);
    expectClose(r.pnlAdjusted, 5_000);
    expect(r.exposure.ETH).toBe(0);
    expect(r.varInit).toBe(0);
    expectClose(r.floorInit, 20_000);
    expectClose(r.floorMaint, 10_000);
    expectClose(r.requirementInit, 20_000);
    expectClose(r.requirementMaint, 10_000);
    expectClose(r.health, 17.5);
    expectClose(r.creditLimit, 165_000);
  });

  it('two positively correlated assets: stressed ρ capped at 1', () => {
    // 10 ETH (e 20,000, σe 1,000) + 1 BTC (e 30,000, σe 1,200); ρ 0.8 → min(1.25·0.8, 1) = 1.
    // eᵀΣe = (1,000 + 1,200)² → √ = 2,200; VaR^init 8,800, VaR^maint 4,400.
    // C^init = 0.8·50,000 = 40,000; C^maint = 42,500. H = 42,500/4,400; L = 40,000 − 8,800 = 31,200.
    const r = evaluateRisk(
      request({
        correlations: [{ a: 'ETH', b: 'BTC', rho: 0.8 }],
        balances: [
          { eid: CHAIN_A, assetId: 'ETH', amount: 10 },
          { eid: CHAIN_B, assetId: 'BTC', amount: 1 },
        ],
      }),
    );
    expectClose(r.varInit, 8800);
    expectClose(r.varMaint, 4400);
    expectClose(r.health, 42_500 / 4_400);
    expectClose(r.creditLimit, 31_200);
  });

  it('two correlated assets below the cap: ρ 0.4 → 0.5', () => {
    // eᵀΣe = 1,000² + 1,200² + 2·0.5·1,000·1,200 = 1.0e6 + 1.44e6 + 1.2e6 = 3.64e6.
    const r = evaluateRisk(
      request({
        correlations: [{ a: 'BTC', b: 'ETH', rho: 0.4 }],
        balances: [
          { eid: CHAIN_A, assetId: 'ETH', amount: 10 },
          { eid: CHAIN_A, assetId: 'BTC', amount: 1 },
        ],
      }),
    );
    expectClose(r.varInit, 4 * Math.sqrt(3.64e6));
    expectClose(r.creditLimit, 40_000 - 4 * Math.sqrt(3.64e6));
  });

  it('negative correlation: the diversification benefit is weakened by stress', () => {
    // ρ −0.5 → −0.5/1.25 = −0.4. eᵀΣe = 1.0e6 + 1.44e6 − 2·0.4·1.2e6 = 1.48e6 (unstressed would be 1.24e6).
    const r = evaluateRisk(
      request({
        correlations: [{ a: 'ETH', b: 'BTC', rho: -0.5 }],
        balances: [
          { eid: CHAIN_A, assetId: 'ETH', amount: 10 },
          { eid: CHAIN_A, assetId: 'BTC', amount: 1 },
        ],
      }),
    );
    expectClose(r.varInit, 4 * Math.sqrt(1.48e6));
    expectClose(r.varMaint, 2 * Math.sqrt(1.48e6));
    expectClose(r.health, 42_500 / (2 * Math.sqrt(1.48e6)));
  });

  it('losing long perp on thin collateral is liquidatable and gets no credit', () => {
    // 1,000 USDC with σ 0: C^init 950, C^maint 970. Long 10 ETH @ 2,000, price 1,900: U = −1,000 = Ua.
    // e_ETH = 19,000, σe 950 → VaR^init 3,800, VaR^maint 1,900. F^init 1,900, F^maint 950.
    // H = (970 − 1,000)/1,900 < 1 → liquidatable. L = max(0, 950 − 1,000 − (3,800 − 1,900)) = 0.
    const r = evaluateRisk(
      request({
        assets: [{ ...USDC, volatility: 0 }, { ...ETH, price: 1900 }, BTC],
        balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 1000 }],
        positions: [{ assetId: 'ETH', size: 10, entryPrice: 2000, imr: 0.1, mmr: 0.05 }],
      }),
    );
    expectClose(r.unrealizedPnl, -1000);
    expectClose(r.pnlAdjusted, -1000);
    expectClose(r.requirementInit, 3800);
    expectClose(r.requirementMaint, 1900);
    expectClose(r.health, -30 / 1900);
    expect(r.liquidatable).toBe(true);
    expect(r.creditLimit).toBe(0);
  });

  it('dust collateral', () => {
    // 1e-12 ETH, imf 0.1: cap 1.1/(1+1e-7) > 0.8 → w 0.8. C^init = 1e-12·2000·0.8 = 1.6e-9.
    // e = 2e-9, σe = 1e-10 → VaR^init 4e-10, VaR^maint 2e-10. L = 1.2e-9; H = 1.7e-9/2e-10 = 8.5.
    const r = evaluateRisk(request({ assets: [{ ...ETH, imf: 0.1 }], balances: [{ eid: CHAIN_A, assetId: 'ETH', amount: 1e-12 }] }));
    expectClose(r.collateralInit, 1.6e-9);
    expectClose(r.creditLimit, 1.2e-9);
    expectClose(r.health, 8.5);
    // On chain: 1.2e-9 · 1e18 = 1.2e9 wei-units, rounded down from the float's exact value.
    const onChain = toFixed18(r.creditLimit);
    expect(onChain === 1_199_999_999n || onChain === 1_200_000_000n).toBe(true);
  });

  it('zero balances and no positions: nothing required, no credit', () => {
    const r = evaluateRisk(
      request({
        balances: [
          { eid: CHAIN_A, assetId: 'ETH', amount: 0 },
          { eid: CHAIN_B, assetId: 'USDC', amount: 0 },
        ],
      }),
    );
    expect(r).toEqual({
      collateralInit: 0,
      collateralMaint: 0,
      unrealizedPnl: 0,
      pnlAdjusted: 0,
      exposure: { USDC: 0, ETH: 0, BTC: 0 },
      varInit: 0,
      varMaint: 0,
      floorInit: 0,
      floorMaint: 0,
      requirementInit: 0,
      requirementMaint: 0,
      health: null,
      creditLimit: 0,
      creditLimitSigned: 0,
      liquidatable: false,
    });
  });

  it('stale chain: decayed weight lowers collateral, not exposure', () => {
    // Configured 0.8, heartbeat 3,600 s, decay window 7,200 s; silent 5,400 s → 0.8·(1 − 1,800/7,200) = 0.6.
    const decay = { configuredWeight: 0.8, heartbeatSeconds: 3600, decayWindowSeconds: 7200, lastMessageAt: 1_000 };
    expect(decayedChainWeight({ ...decay, now: 1_000 + 3_600 })).toBe(0.8);
    const weight = decayedChainWeight({ ...decay, now: 1_000 + 5_400 });
    expectClose(weight, 0.6);
    expect(decayedChainWeight({ ...decay, now: 1_000 + 3_600 + 7_200 })).toBe(0);
    // 50 ETH on the stale chain: C^init = 100,000·0.8·0.6 = 48,000; C^maint = 100,000·0.85·0.6 = 51,000.
    // VaR^init = 4·0.05·100,000 = 20,000, VaR^maint 10,000. L = 28,000; H = 5.1.
    const r = evaluateRisk(
      request({
        chains: [{ eid: CHAIN_B, weight }],
        balances: [{ eid: CHAIN_B, assetId: 'ETH', amount: 50 }],
      }),
    );
    expectClose(r.collateralInit, 48_000);
    expectClose(r.collateralMaint, 51_000);
    expectClose(r.exposure.ETH, 100_000);
    expectClose(r.creditLimit, 28_000);
    expectClose(r.health, 5.1);
  });

  it('volatility spike: scaled base weights and a larger VaR', () => {
    // Baseline σ 0.05, realized 0.10 → weights × 0.5: 0.4 / 0.425.
    // 10 ETH: C^init = 20,000·0.4 = 8,000; C^maint = 8,500. VaR^init = 4·0.1·20,000 = 8,000, VaR^maint 4,000.
    // L = max(0, 8,000 − 8,000) = 0; H = 8,500 / 4,000 = 2.125.
    const spiked = {
      ...ETH,
      volatility: 0.1,
      weightInit: volatilityScaledWeight(ETH.weightInit, 0.05, 0.1),
      weightMaint: volatilityScaledWeight(ETH.weightMaint, 0.05, 0.1),
    };
    expectClose(spiked.weightInit, 0.4);
    expectClose(spiked.weightMaint, 0.425);
    const r = evaluateRisk(request({ assets: [spiked], balances: [{ eid: CHAIN_A, assetId: 'ETH', amount: 10 }] }));
    expectClose(r.collateralInit, 8000);
    expectClose(r.varInit, 8000);
    expect(r.creditLimit).toBeLessThan(1e-9);
    expectClose(r.health, 2.125);
  });

  it('null health when nothing is required, even with an unrealized loss', () => {
    // 1,000 USDC with σ 0 (w 0.95) and a long 5 ETH perp with σ 0 and imr = mmr = 0.
    // U = 5·(2,000 − 2,100) = −500. VaR 0, F 0 → R^maint 0 → H null, not liquidatable.
    // L = 950 − 500 = 450.
    const r = evaluateRisk(
      request({
        assets: [
          { ...USDC, volatility: 0 },
          { ...ETH, volatility: 0 },
        ],
        balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 1000 }],
        positions: [{ assetId: 'ETH', size: 5, entryPrice: 2100, imr: 0, mmr: 0 }],
      }),
    );
    expect(r.requirementMaint).toBe(0);
    expect(r.health).toBeNull();
    expect(r.liquidatable).toBe(false);
    expectClose(r.creditLimit, 450);
  });
});
