import { evaluateRisk, liquidationPlanRequestSchema, planLiquidation, planLiquidationWith } from '../src';
import { CHAIN_A, expectClose, params, request } from './fixtures';

// 10,000 USDC and a 20 ETH long from 3,000 marked at 2,700, mmr 8 %: C^maint + U = 9,700 − 6,000 = 3,700
// over R^maint = F^maint = 4,320, H ≈ 0.856. Closing f: H(f) = (3,700 − 1,080 f) / (4,320 (1 − f)) with the
// 2 % penalty, so 0.1 → 0.924, 0.2 → 1.008, 0.3 → 1.116, 0.4 → 1.261: the plan for 1.2 is 0.4.
const underwater = request({
  balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 10_000 }],
  positions: [{ assetId: 'ETH', size: 20, entryPrice: 3_000, imr: 0.1, mmr: 0.08 }],
  assets: [
    { id: 'USDC', price: 1, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 },
    { id: 'ETH', price: 2_700, weightInit: 0.8, weightMaint: 0.85, imf: 0, volatility: 0.01 },
  ],
});

describe('planLiquidation', () => {
  it('picks the smallest tenth that restores the target health, with cash, penalty and health after', () => {
    const before = evaluateRisk(underwater);
    expect(before.liquidatable).toBe(true);
    const plan = planLiquidation({ ...underwater, params: { ...params, targetHealth: 1.2, liquidationPenalty: 0.02 } });
    const f = plan.fraction;
    expect(f).toBe(0.4);
    expectClose(plan.healthAfter, (3_700 - 1_080 * 0.4) / (4_320 * 0.6), 1e-6);
    expectClose(plan.closedNotional, f * 20 * 2_700);
    expectClose(plan.penalty, 0.02 * f * 20 * 2_700);
    expectClose(plan.cashAfter, f * 20 * (2_700 - 3_000) - 0.02 * f * 20 * 2_700);
    const after = evaluateRisk({ ...underwater, cash: plan.cashAfter, positions: [{ ...underwater.positions![0], size: (1 - f) * 20 }] });
    expect(plan.healthAfter).toBe(after.health);
    expect(after.health === null || after.health >= 1.2).toBe(true);
    const smaller = evaluateRisk({
      ...underwater,
      cash: 0.3 * 20 * -300 - 0.02 * 0.3 * 54_000,
      positions: [{ ...underwater.positions![0], size: 0.7 * 20 }],
    });
    expect(smaller.health!).toBeLessThan(1.2);
  });

  it('never goes below 0.1 and returns 1.0 when no fraction reaches the target', () => {
    expect(planLiquidation({ ...underwater, params: { ...params, targetHealth: 0.01 } }).fraction).toBe(0.1);
    const hopeless = { ...underwater, cash: -1e9 };
    const plan = planLiquidation({ ...hopeless, params: { ...params, targetHealth: 1.2 } });
    expect(plan.fraction).toBe(1);
    expect(plan.healthAfter!).toBeLessThan(0);
    const flat = planLiquidation({ ...underwater, balances: [], cash: 1_000, params: { ...params, targetHealth: 50 } });
    expect(flat).toMatchObject({ fraction: 1, healthAfter: null });
  });

  it('fills the defaults (target 1.2, penalty 2 %) and validates them', () => {
    const parsed = liquidationPlanRequestSchema.parse(underwater);
    expect(parsed.params.targetHealth).toBe(1.2);
    expect(parsed.params.liquidationPenalty).toBe(0.02);
    expect(parsed.params.zInit).toBe(params.zInit);
    expect(liquidationPlanRequestSchema.safeParse({ ...underwater, params: { ...params, liquidationPenalty: 2 } }).success).toBe(false);
    const explicit = planLiquidation({ ...underwater, params: { ...params, targetHealth: 1.2, liquidationPenalty: 0.02 } });
    expect(planLiquidation(underwater)).toEqual(explicit);
  });

  it('planLiquidationWith gives the same plan with any health function (the keeper plans on the live book)', () => {
    const viaRequest = planLiquidation({ ...underwater, params: { ...params, targetHealth: 1.2, liquidationPenalty: 0.02 } });
    const prices = new Map(underwater.assets.map((a) => [a.id, a.price]));
    const viaCallback = planLiquidationWith(
      { positions: underwater.positions!, cash: 0, priceOf: (id) => prices.get(id)!, targetHealth: 1.2, liquidationPenalty: 0.02 },
      (positions, cash) => evaluateRisk({ ...underwater, positions, cash }).health,
    );
    expect(viaCallback).toEqual(viaRequest);
  });
});
