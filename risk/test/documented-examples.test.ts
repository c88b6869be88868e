import { evaluateRisk, planLiquidation } from '../src';
import { CHAIN_A, ETH, expectClose, params, request } from './fixtures';

// The worked examples of docs/risk-model.md "Cash", "Liquidation plan" and "Stable-price dampener".
describe('docs/risk-model.md examples', () => {
  it('cash: single stable collateral with −2,000 cash', () => {
    const result = evaluateRisk(request({ balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 10_000 }], cash: -2_000 }));
    expectClose(result.collateralInit, 7_500);
    expectClose(result.collateralMaint, 7_700);
    expectClose(result.creditLimit, 7_460);
    expectClose(result.health, 385);
  });

  it('liquidation plan: 10,000 USDC, long 20 ETH from 2,000 at 1,650 → fraction 0.4', () => {
    const plan = planLiquidation(
      request({
        assets: [request({}).assets[0], { ...ETH, price: 1_650 }],
        balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 10_000 }],
        positions: [{ assetId: 'ETH', size: 20, entryPrice: 2_000, imr: 0.1, mmr: 0.05 }],
      }),
    );
    expect(plan.fraction).toBe(0.4);
    expectClose(plan.closedNotional, 13_200);
    expectClose(plan.penalty, 264);
    expectClose(plan.cashAfter, -3_064);
    expectClose(plan.healthAfter, 1.23, 1e-3);
  });

  it('stable price: spike up to 2,000 with s = 1,900 on 10 ETH held', () => {
    const holdings = { balances: [{ eid: CHAIN_A, assetId: 'ETH', amount: 10 }] };
    const damped = evaluateRisk(request({ ...holdings, assets: [{ ...ETH, stablePrice: 1_900 }] }));
    expectClose(damped.collateralInit, 15_200);
    expectClose(damped.varInit, 4_000);
    expectClose(damped.creditLimit, 11_200);
    expectClose(damped.health, 8.5);
    expectClose(evaluateRisk(request({ ...holdings, assets: [ETH] })).creditLimit, 12_000);
  });

  it('stable price: crash to 1,900 with s = 2,000, 10 ETH held and short 5 ETH from 2,000', () => {
    const damped = evaluateRisk(
      request({
        assets: [{ ...ETH, price: 1_900, stablePrice: 2_000 }],
        balances: [{ eid: CHAIN_A, assetId: 'ETH', amount: 10 }],
        positions: [{ assetId: 'ETH', size: -5, entryPrice: 2_000, imr: 0.1, mmr: 0.05 }],
      }),
    );
    expectClose(damped.floorInit, 1_000);
    expectClose(damped.varInit, 1_900);
    expectClose(damped.creditLimit, 14_300);
    expectClose(damped.health, 17.26, 1e-3);
    expect(params.pnlWeight).toBe(0.5);
  });
});
