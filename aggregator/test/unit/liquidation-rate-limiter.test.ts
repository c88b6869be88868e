import { Registry } from 'prom-client';
import { Clock } from '@tributary/service-kit';
import { loadAppConfig } from '../../src/config/app-config';
import { LiquidationRateLimiter } from '../../src/liquidation/liquidation-rate-limiter.service';
import type { OracleService } from '../../src/oracle/oracle.service';
import type { RiskBookSync } from '../../src/risk/book-sync';
import type { AccountInputs } from '../../src/risk/risk-inputs';
import type { AccountRisk, RiskReader } from '../../src/risk/risk-reader';
import type { AccountHoldings } from '@tributary/risk';

const HOUR = 3_600;

function setup() {
  const oi = { value: 75 * 2_000 };
  const prices = new Map([
    [1, 1],
    [2, 2_000],
  ]);
  const inputs = new Map<string, Partial<AccountInputs>>([
    // Long 10 ETH from 2,500 with 1,000 USDC: closing loses 5,000 + 2 % of 20,000 → 4,400 to seize, capped at 1,000.
    [
      '0xa',
      {
        balances: [{ eid: 2, assetId: 1, symbol: 'USDC', amount: 1_000 }],
        positions: [{ marketId: 0, assetId: 2, size: 10, entryPrice: 2_500, imr: 0.1, mmr: 0.05 }],
        cash: 0,
      },
    ],
    ['0xb', { balances: [], positions: [{ marketId: 0, assetId: 2, size: -5, entryPrice: 2_000, imr: 0.1, mmr: 0.05 }], cash: 100 }],
    ['0xc', { balances: [], positions: [{ marketId: 0, assetId: 2, size: 60, entryPrice: 2_000, imr: 0.1, mmr: 0.05 }], cash: 0 }],
  ] as never);
  const risks = [
    { account: '0xa', health: 0.5, liquidatable: true },
    { account: '0xb', health: 0.9, liquidatable: true },
    { account: '0xc', health: 3, liquidatable: false },
  ].map((r) => ({ account: r.account, result: { health: r.health, liquidatable: r.liquidatable } }) as unknown as AccountRisk);
  // Maintenance health of the fake: (Σ b·p + cash + Σ q·(p − entry)) / Σ |q|·p·mmr (null with no position).
  const price = (id: number | string) => prices.get(Number(id)) ?? 0;
  const preview = (h: AccountHoldings) => {
    const requirement = h.positions.reduce((s, q) => s + Math.abs(q.size) * price(q.assetId) * q.mmr, 0);
    const equity =
      h.balances.reduce((s, b) => s + b.amount * price(b.assetId), 0) +
      (h.cash ?? 0) +
      h.positions.reduce((s, q) => s + q.size * (price(q.assetId) - q.entryPrice), 0);
    return { health: requirement === 0 ? null : equity / requirement };
  };
  const book = {
    book: { preview },
    inputsOf: (a: string) => inputs.get(a),
    bookPrice: (id: number) => prices.get(id) ?? 0,
    openInterest: () => oi.value,
  } as unknown as RiskBookSync;
  const risk = { all: () => risks } as unknown as RiskReader;
  const chain = { time: 1_000 };
  const oracle = {
    stress: {
      get lastChainTime() {
        return chain.time;
      },
    },
  } as unknown as OracleService;
  const registry = new Registry();
  const limiter = new LiquidationRateLimiter(loadAppConfig({}), risk, book, new Clock(), oracle, registry);
  return { limiter, registry, chain, risks, oi, inputs };
}

describe('LiquidationRateLimiter (fake risk engine and book)', () => {
  it('builds candidates from the liquidatable accounts: notional at the book price, seized = deficit capped by collateral', () => {
    const { limiter } = setup();
    expect(limiter.candidates()).toEqual([
      { account: '0xa', health: 0.5, notional: 20_000, seized: 1_000 },
      { account: '0xb', health: 0.9, notional: 10_000, seized: 0 },
    ]);
  });

  it("counts what the plan closes: a partial plan's fraction of the notional and no seizure", () => {
    const { limiter, risks, inputs } = setup();
    // Long 10 ETH at 2,000 on 600 USDC: H = 600 / 1,000 = 0.6. Closing f with the 2 % penalty leaves
    // H = (600 − 400 f) / ((1 − f) · 1,000): 0.8 is the first tenth at ≥ 1.2 (1.4), so 16,000 is closed, nothing seized.
    inputs.set('0xd', {
      balances: [{ eid: 2, assetId: 1, symbol: 'USDC', amount: 600 }],
      positions: [{ marketId: 0, assetId: 2, size: 10, entryPrice: 2_000, imr: 0.1, mmr: 0.05 }],
      cash: 0,
    } as never);
    risks.push({ account: '0xd', result: { health: 0.6, liquidatable: true } } as unknown as AccountRisk);
    expect(limiter.candidates().find((c) => c.account === '0xd')).toEqual({ account: '0xd', health: 0.6, notional: 16_000, seized: 0 });
    // With the chain's penalty at 4 %, H = (600 − 800 f) / ((1 − f) · 1,000) never reaches 1.2: everything is closed,
    // 800 of debt is left and 800 × 1.04 would be seized, capped at the 600 held.
    limiter.usePenalty(0.04);
    expect(limiter.candidates().find((c) => c.account === '0xd')).toEqual({ account: '0xd', health: 0.6, notional: 20_000, seized: 600 });
  });

  it('admits within 10 % of the open interest per hour, lowest health first, and shows the window and the queue', async () => {
    const { limiter, registry, chain, risks, oi } = setup();
    // L_max = 15,000: 0xa (21,000) is larger than the whole limit and goes alone into the empty window.
    expect(limiter.admit(limiter.candidates()).map((c) => c.account)).toEqual(['0xa']);
    const status = limiter.status();
    expect(status).toMatchObject({ limit: 15_000, used: 21_000, openInterest: 150_000, nextReleaseAt: 1_000 + HOUR });
    expect(status.window).toEqual([{ account: '0xa', at: 1_000, cost: 21_000 }]);
    expect(status.queued.map((c) => c.account)).toEqual(['0xb']);
    expect(await registry.getSingleMetricAsString('tributary_aggregator_liquidation_queue_length')).toMatch(/ 1$/);
    expect(limiter.admit(limiter.candidates())).toEqual([]);
    // Liquidations shrink the live open interest; L_max stays a share of its trailing high (24 h).
    oi.value = 50_000;
    expect(limiter.status()).toMatchObject({ limit: 15_000, openInterest: 50_000, referenceOpenInterest: 150_000 });
    chain.time = 1_000 + HOUR; // on chain time: the window frees up; 0xa was liquidated meanwhile
    (risks[0].result as { liquidatable: boolean }).liquidatable = false;
    expect(limiter.admit(limiter.candidates()).map((c) => c.account)).toEqual(['0xb']);
    expect(await registry.getSingleMetricAsString('tributary_aggregator_liquidation_window_used_usd')).toMatch(/ 10000$/);
    expect(await registry.getSingleMetricAsString('tributary_aggregator_liquidations_admitted_total')).toMatch(/ 2$/);
  });
});
