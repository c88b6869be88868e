import { evaluateRisk, type AccountHoldings, type RiskResult } from '@tributary/risk';
import { DECIDER_REJECT_REASONS, holdingsAfter, maxApprovable, verdictOf } from '../../src/withdrawal/withdrawal-decision';
import { withdrawableAmount } from '../../src/withdrawal/withdrawable';

const assets = [
  { id: 'USDC', price: 1, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 },
  { id: 'ETH', price: 2000, weightInit: 0.8, weightMaint: 0.85, imf: 0, volatility: 0.05 },
];
const market = {
  assets,
  correlations: [],
  chains: [
    { eid: 1, weight: 1 },
    { eid: 2, weight: 1 },
  ],
  params: { zInit: 2, zMaint: 1, horizonDays: 4, stress: 1.25, pnlWeight: 0.5 },
};
const preview = (h: AccountHoldings): RiskResult => evaluateRisk({ ...market, balances: h.balances, positions: h.positions, cash: h.cash ?? 0 });

/**
 * 10,000 USDC on chain 1, 2 ETH on chain 2, short 5 ETH at 2,000 (imr 10 %), a 3,000 USD debt: F^init = 1,000,
 * VaR^init = 2·2·0.05·|4,000 − 10,000| = 1,200, so L′ = 0.95·(10,000 − x) + 3,200 − 3,000 − 200 ≥ 1,000 ⇔ x ≤ 8,947.37 USDC (less
 * 0.008 for the USDC left in the VaR).
 */
const trader: AccountHoldings = {
  balances: [
    { eid: 1, assetId: 'USDC', amount: 10_000 },
    { eid: 2, assetId: 'ETH', amount: 2 },
  ],
  positions: [{ assetId: 'ETH', size: -5, entryPrice: 2000, imr: 0.1, mmr: 0.05 }],
  cash: -3_000,
};

describe('withdrawal decision (post-withdrawal risk)', () => {
  it('approves while L′ ≥ F^init and H′ ≥ 1, rejects with PostWithdrawalCreditBelowFloor once L′ < F^init', () => {
    const small = verdictOf(preview(holdingsAfter(trader, [{ eid: 1, assetId: 'USDC', amount: 1_000 }])));
    expect(small).toMatchObject({ approve: true, reason: 0 });
    expect(small.creditLimitAfter).toBeGreaterThanOrEqual(small.floorInitAfter);
    const all = verdictOf(preview(holdingsAfter(trader, [{ eid: 1, assetId: 'USDC', amount: 10_000 }])));
    expect(all).toMatchObject({ approve: false, reason: DECIDER_REJECT_REASONS.PostWithdrawalCreditBelowFloor });
    expect(all.creditLimitAfter).toBeLessThan(all.floorInitAfter);
  });

  it('rejects with PostWithdrawalHealthBelowOne when the credit test passes but H′ < 1', () => {
    const result = { ...preview(trader), creditLimit: 5_000, floorInit: 1_000, health: 0.97 };
    expect(verdictOf(result)).toMatchObject({ approve: false, reason: DECIDER_REJECT_REASONS.PostWithdrawalHealthBelowOne });
    expect(verdictOf({ ...result, health: null })).toMatchObject({ approve: true });
  });

  it('a cash debt counts: the same withdrawal passes without the debt and fails with a larger one', () => {
    const out = [{ eid: 1, assetId: 'USDC', amount: 7_000 }];
    expect(verdictOf(preview(holdingsAfter({ ...trader, cash: 0 }, out))).approve).toBe(true);
    expect(verdictOf(preview(holdingsAfter({ ...trader, cash: -6_000 }, out))).approve).toBe(false);
  });

  it('holdingsAfter subtracts every outflow of the same balance, never below zero, and drops emptied balances', () => {
    const after = holdingsAfter(trader, [
      { eid: 1, assetId: 'USDC', amount: 4_000 },
      { eid: 1, assetId: 'USDC', amount: 1_000 },
      { eid: 2, assetId: 'ETH', amount: 5 },
      { eid: 2, assetId: 'USDC', amount: 9 },
    ]);
    expect(after.balances).toEqual([{ eid: 1, assetId: 'USDC', amount: 5_000 }]);
    expect(after.positions).toBe(trader.positions);
    expect(after.cash).toBe(-3_000);
  });

  it('maxApprovable is the edge: it passes, a hair more fails; the whole balance when everything passes', () => {
    const max = maxApprovable(preview, trader, 1, 'USDC');
    expect(max).toBeGreaterThan(8_947.35);
    expect(max).toBeLessThan(8_947.37);
    expect(verdictOf(preview(holdingsAfter(trader, [{ eid: 1, assetId: 'USDC', amount: max }]))).approve).toBe(true);
    expect(verdictOf(preview(holdingsAfter(trader, [{ eid: 1, assetId: 'USDC', amount: max + 0.01 }]))).approve).toBe(false);
    const flat = { balances: trader.balances, positions: [], cash: 0 };
    expect(maxApprovable(preview, flat, 2, 'ETH')).toBe(2);
    expect(maxApprovable(preview, flat, 2, 'USDC')).toBe(0);
  });
});

describe('withdrawable amount (both keys)', () => {
  const hub = {
    withdrawableBalance: 5_000_000_000n,
    valuePerToken: 950_000_000_000_000_000n,
    creditBalance: 0n,
    stale: false,
    liquidatable: false,
    seizuresInFlight: 0n,
  };
  const E18 = 10n ** 18n;

  it('is the smallest of the attested balance, the decider’s maximum and the on-chain credit at the hub’s weight', () => {
    expect(withdrawableAmount(9_000_000_000n, { ...hub, creditBalance: 9_500n * E18 }, 6)).toEqual({ amount: 5_000_000_000n, limitedBy: 'balance' });
    expect(withdrawableAmount(1_000_000n, { ...hub, creditBalance: 9_500n * E18 }, 6)).toEqual({ amount: 1_000_000n, limitedBy: 'risk' });
    // 950 USD of credit at 0.95 per USDC: 1,000 USDC
    expect(withdrawableAmount(9_000_000_000n, { ...hub, creditBalance: 950n * E18 }, 6)).toEqual({ amount: 1_000_000_000n, limitedBy: 'credit' });
    expect(withdrawableAmount(9_000_000_000n, { ...hub, creditBalance: -5n * E18 }, 6)).toEqual({ amount: 0n, limitedBy: 'credit' });
  });

  it('is zero while marked, with a seizure in flight, without a price or with a stale push', () => {
    const rich = { ...hub, creditBalance: 10n ** 30n };
    expect(withdrawableAmount(1n, { ...rich, liquidatable: true }, 6).limitedBy).toBe('liquidatable');
    expect(withdrawableAmount(1n, { ...rich, seizuresInFlight: 1n }, 6).limitedBy).toBe('seizure-in-flight');
    expect(withdrawableAmount(1n, { ...rich, valuePerToken: null }, 6).limitedBy).toBe('price-unavailable');
    expect(withdrawableAmount(1n, { ...rich, stale: true }, 6)).toEqual({ amount: 0n, limitedBy: 'stale-credit' });
  });
});
