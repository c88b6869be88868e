import { Registry } from 'prom-client';
import { Clock } from '@tributary/service-kit';
import { loadAppConfig } from '../../src/config/app-config';
import { LiquidationRateLimiter } from '../../src/liquidation/liquidation-rate-limiter.service';
import type { OracleService } from '../../src/oracle/oracle.service';
import type { RiskBookSync } from '../../src/risk/book-sync';
import type { AccountInputs } from '../../src/risk/risk-inputs';
import type { AccountRisk, RiskReader } from '../../src/risk/risk-reader';

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
  const book = {
    book: {},
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
  return { limiter, registry, chain, risks, oi };
}

describe('LiquidationRateLimiter (fake risk engine and book)', () => {
  it('builds candidates from the liquidatable accounts: notional at the book price, seized = deficit capped by collateral', () => {
    const { limiter } = setup();
    expect(limiter.candidates()).toEqual([
      { account: '0xa', health: 0.5, notional: 20_000, seized: 1_000 },
      { account: '0xb', health: 0.9, notional: 10_000, seized: 0 },
    ]);
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
