import { evaluateRisk, planLiquidation, riskRequestSchema } from '../src';
import { CHAIN_A, ETH, USDC, expectClose, params, request } from './fixtures';

// One ETH long on 10,000 USDC collateral: the numbers below are worked out by hand in docs/risk-model.md.
const usdc = { eid: CHAIN_A, assetId: 'USDC', amount: 10_000 };
const long = { assetId: 'ETH', size: 2, entryPrice: 1_900, imr: 0.1, mmr: 0.05 };

describe('cash term', () => {
  it('counts at weight 1 in both collaterals and moves credit and health one for one', () => {
    const base = evaluateRisk(request({ balances: [usdc], positions: [long] }));
    const withDebt = evaluateRisk(request({ balances: [usdc], positions: [long], cash: -3_000 }));
    expectClose(withDebt.collateralInit, base.collateralInit - 3_000);
    expectClose(withDebt.collateralMaint, base.collateralMaint - 3_000);
    expectClose(withDebt.creditLimit, base.creditLimit - 3_000);
    expectClose(withDebt.health, (base.collateralMaint - 3_000 + base.pnlAdjusted) / base.requirementMaint);
    expect(withDebt.requirementMaint).toBe(base.requirementMaint);
  });

  it('a debt larger than the collateral leaves credit at 0 and the account liquidatable', () => {
    const result = evaluateRisk(request({ balances: [usdc], positions: [long], cash: -12_000 }));
    expect(result.creditLimit).toBe(0);
    expect(result.liquidatable).toBe(true);
  });

  it('cash alone, with nothing required, is unbounded health and full credit', () => {
    const result = evaluateRisk(request({ cash: 500 }));
    expect(result.health).toBeNull();
    expect(result.creditLimit).toBe(500);
  });

  it('defaults to 0 and rejects a non-finite cash', () => {
    expect(riskRequestSchema.parse(request({})).cash).toBe(0);
    expect(riskRequestSchema.safeParse({ ...request({}), cash: 'lots' }).success).toBe(false);
  });
});

describe('stable price (dampener)', () => {
  const ethAt = (price: number, stablePrice?: number) => ({ ...ETH, price, stablePrice });

  it('absent or equal to the oracle price, changes nothing', () => {
    const holdings = { balances: [usdc, { eid: CHAIN_A, assetId: 'ETH', amount: 3 }], positions: [long] };
    const plain = evaluateRisk(request({ ...holdings, assets: [USDC, ethAt(2_000)] }));
    const same = evaluateRisk(request({ ...holdings, assets: [USDC, ethAt(2_000, 2_000)] }));
    expect(same).toEqual(plain);
  });

  it('after a spike up, credit values collateral and a long at the lower stable price; maint stays at the oracle', () => {
    const eth = { eid: CHAIN_A, assetId: 'ETH', amount: 3 };
    const spiked = evaluateRisk(request({ balances: [eth], positions: [long], assets: [USDC, ethAt(2_800, 2_000)] }));
    const oracleOnly = evaluateRisk(request({ balances: [eth], positions: [long], assets: [USDC, ethAt(2_800)] }));
    // C^init = 3 · 2,000 · 0.8; F^init = 2 · 2,800 · 0.1 (p⁺ = oracle); U^init = 2 · (2,000 − 1,900) = 200 → Ua 100.
    expectClose(spiked.collateralInit, 3 * 2_000 * 0.8);
    expectClose(spiked.floorInit, 2 * 2_800 * 0.1);
    const varInit = oracleOnly.varInit;
    expectClose(spiked.varInit, varInit);
    expectClose(spiked.creditLimit, Math.max(0, 4_800 + 0.5 * 200 - Math.max(0, varInit - 560)));
    for (const key of ['collateralMaint', 'unrealizedPnl', 'pnlAdjusted', 'varMaint', 'floorMaint', 'requirementMaint', 'health'] as const) {
      expect(spiked[key]).toBe(oracleOnly[key]);
    }
    expect(spiked.creditLimit).toBeLessThan(oracleOnly.creditLimit);
  });

  it('after a crash, a short is marked at the higher stable price and its floor too', () => {
    const short = { ...long, size: -2, entryPrice: 2_100 };
    const crashed = evaluateRisk(request({ balances: [usdc], positions: [short], assets: [USDC, ethAt(1_500, 2_000)] }));
    // U^init = −2 · (2,000 − 2,100) = 200 → Ua^init 100; F^init = 2 · 2,000 · 0.1 = 400; maint uses 1,500.
    expectClose(crashed.floorInit, 400);
    expectClose(crashed.unrealizedPnl, -2 * (1_500 - 2_100));
    expectClose(crashed.requirementInit, Math.max(crashed.varInit, 400));
    expectClose(crashed.creditLimit, Math.max(0, crashed.collateralInit + 100 - Math.max(0, crashed.varInit - 400)));
    expect(params.pnlWeight).toBe(0.5);
  });
});

describe('signed credit limit', () => {
  it('is C^init + Ua − max(0, VaR^init − F^init) before the max(0, ·): a debt beyond the collateral makes it negative', () => {
    const r = evaluateRisk(request({ balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 5000 }], cash: -12_000 }));
    // C^init = 5,000 × 0.95 − 12,000 = −7,250; VaR of 5,000 USDC at σ 0.001 = 4·5 = 20 (F = 0).
    expectClose(r.creditLimitSigned, -7250 - 20);
    expect(r.creditLimit).toBe(0);
    const healthy = evaluateRisk(request({ balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 5000 }], cash: 100 }));
    expectClose(healthy.creditLimitSigned, healthy.creditLimit);
  });
});

describe('stable price in the liquidation plan', () => {
  it('changes nothing: the plan works on maintenance health at the oracle price', () => {
    const holdings = {
      balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 10_000 }],
      positions: [{ assetId: 'ETH', size: 20, entryPrice: 2_000, imr: 0.1, mmr: 0.05 }],
    };
    const plain = planLiquidation(request({ ...holdings, assets: [USDC, { ...ETH, price: 1_650 }] }));
    const damped = planLiquidation(request({ ...holdings, assets: [USDC, { ...ETH, price: 1_650, stablePrice: 1_990 }] }));
    expect(damped).toEqual(plain);
    expect(plain.fraction).toBe(0.4);
  });
});
