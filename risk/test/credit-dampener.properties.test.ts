import fc from 'fast-check';
import {
  evaluateRisk,
  initialStablePrice,
  sizeAdjustedWeight,
  stablePriceAllowance,
  updateStablePrice,
  type RiskAsset,
  type RiskRequestInput,
  type RiskResult,
  type StablePriceState,
} from '../src';
import { SPIKE_ACCOUNTS, spikeScenario } from '../bench/spike-scenario';

const HOUR = 3_600;
const ASSETS: RiskAsset[] = [
  { id: 'USDC', price: 1, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 },
  { id: 'ETH', price: 2_000, weightInit: 0.8, weightMaint: 0.85, imf: 0.001, volatility: 0.05 },
  { id: 'BTC', price: 30_000, weightInit: 0.75, weightMaint: 0.8, imf: 0, volatility: 0.04 },
];
const EIDS = [30101, 30110];
const params = { zInit: 2.33, zMaint: 1.65, horizonDays: 1, stress: 1.25, pnlWeight: 0.5 };

const balanceArb = fc.record({
  eid: fc.constantFrom(...EIDS),
  assetId: fc.constantFrom('USDC', 'ETH', 'BTC'),
  amount: fc.double({ min: 0, max: 1_000, noNaN: true }),
});
const positionArb = fc.record({
  assetId: fc.constantFrom('ETH', 'BTC'),
  size: fc.double({ min: -50, max: 50, noNaN: true }),
  entryPrice: fc.double({ min: 100, max: 50_000, noNaN: true }),
  imr: fc.double({ min: 0.02, max: 0.3, noNaN: true }),
  mmr: fc.double({ min: 0.01, max: 0.1, noNaN: true }),
});
const accountArb = fc.record({
  balances: fc.uniqueArray(balanceArb, { maxLength: 5, selector: (b) => `${b.eid}:${b.assetId}` }),
  positions: fc.array(positionArb, { maxLength: 3 }),
  cash: fc.double({ min: -20_000, max: 20_000, noNaN: true }),
  chainWeights: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
  rho: fc.double({ min: -1, max: 1, noNaN: true }),
});
/** Steps of a price path: seconds elapsed and a relative move per risky asset (spikes up to +150 %, crashes to −60 %). */
const pathArb = fc.array(
  fc.record({
    dt: fc.integer({ min: 1, max: 2 * HOUR }),
    eth: fc.double({ min: -0.6, max: 1.5, noNaN: true }),
    btc: fc.double({ min: -0.6, max: 1.5, noNaN: true }),
  }),
  { minLength: 1, maxLength: 12 },
);

interface Point {
  result: RiskResult;
  oracle: number[];
  stable: number[];
}

const charge = (r: RiskResult) => Math.max(0, r.varInit - r.floorInit);

describe('credit under the stable-price dampener (random price paths)', () => {
  it('credit rises from t1 to t2 by at most the dampener allowance: init values may rise only up to s(t2), plus the oracle-priced VaR relief', () => {
    fc.assert(
      fc.property(accountArb, pathArb, (account, path) => {
        const chains = EIDS.map((eid, c) => ({ eid, weight: account.chainWeights[c] }));
        const request = (oracle: number[], stable: number[]): RiskRequestInput => ({
          assets: ASSETS.map((a, k) => ({ ...a, price: oracle[k], stablePrice: stable[k] })),
          correlations: [{ a: 'ETH', b: 'BTC', rho: account.rho }],
          chains,
          balances: account.balances,
          positions: account.positions,
          cash: account.cash,
          params,
        });
        // Per risky asset k: G_k = init-weighted units held + long perp size (what p⁻ multiplies), H_k = short size (p⁺).
        const units = ASSETS.map((a) => account.balances.filter((b) => b.assetId === a.id).reduce((s, b) => s + b.amount, 0));
        const G = ASSETS.map((a, k) => {
          const w = sizeAdjustedWeight(a.weightInit, a.imf, units[k]);
          const held = account.balances.filter((b) => b.assetId === a.id).reduce((s, b) => s + b.amount * w * chains[EIDS.indexOf(b.eid)].weight, 0);
          return held + account.positions.filter((p) => p.assetId === a.id && p.size > 0).reduce((s, p) => s + p.size, 0);
        });
        const H = ASSETS.map((a) => account.positions.filter((p) => p.assetId === a.id && p.size < 0).reduce((s, p) => s - p.size, 0));

        let oracle = ASSETS.map((a) => a.price);
        let trackers: StablePriceState[] = oracle.map((p) => initialStablePrice(p, 0));
        const points: Point[] = [{ result: evaluateRisk(request(oracle, oracle)), oracle, stable: oracle }];
        for (const step of path) {
          oracle = [1, oracle[1] * (1 + step.eth), oracle[2] * (1 + step.btc)];
          const now = trackers[0].lastUpdate + step.dt;
          trackers = trackers.map((t, k) => updateStablePrice(t, oracle[k], now));
          const stable = trackers.map((t) => t.price);
          points.push({ result: evaluateRisk(request(oracle, stable)), oracle, stable });
        }
        for (let i = 0; i < points.length; i++) {
          for (let j = i + 1; j < points.length; j++) {
            const [a, b] = [points[i], points[j]];
            let allowance = Math.max(0, charge(a.result) - charge(b.result));
            for (let k = 0; k < ASSETS.length; k++) {
              const low = Math.min(a.oracle[k], a.stable[k]);
              const high = Math.max(a.oracle[k], a.stable[k]);
              allowance += G[k] * Math.max(0, b.stable[k] - low) + H[k] * Math.max(0, high - b.stable[k]);
            }
            const rise = b.result.creditLimit - a.result.creditLimit;
            expect(rise).toBeLessThanOrEqual(allowance + 1e-7 * (1 + Math.abs(a.result.creditLimit) + Math.abs(b.result.creditLimit)));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('from a settled market (s = p), a one-block spike raises credit by at most G·s·δ·Δt/τ plus the VaR relief', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1.5, noNaN: true }), fc.integer({ min: 1, max: 60 }), fc.boolean(), (spike, blockSeconds, free) => {
        const s = spikeScenario(1 + spike, blockSeconds, free ? SPIKE_ACCOUNTS.chargeFree : SPIKE_ACCOUNTS.realistic);
        const G = s.ethInitUnits + s.longSize;
        const relief = Math.max(0, charge(s.before) - charge(s.damped));
        const bound = G * stablePriceAllowance(2_000, blockSeconds) + relief;
        expect(s.damped.creditLimit - s.before.creditLimit).toBeLessThanOrEqual(bound + 1e-6);
        // Maintenance side follows the oracle alone.
        expect(s.damped.health).toBe(s.undamped.health);
        expect(s.damped.collateralMaint).toBe(s.undamped.collateralMaint);
      }),
      { numRuns: 200 },
    );
  });

  it('a 40 % one-block spike (12 s): undamped credit jumps by tens of thousands, damped credit by at most G·s·δ·Δt/τ', () => {
    const realistic = spikeScenario(1.4, 12);
    expect(realistic.undamped.creditLimit - realistic.before.creditLimit).toBeGreaterThan(20_000);
    // The ETH collateral's VaR charge is priced at the oracle: with the init values held at s, credit falls.
    expect(realistic.damped.creditLimit).toBeLessThan(realistic.before.creditLimit);
    const free = spikeScenario(1.4, 12, SPIKE_ACCOUNTS.chargeFree);
    const jump = free.damped.creditLimit - free.before.creditLimit;
    // 100 ETH long gaining at p⁻ = s: U^init rises by 100 · 2,000 · 0.02 · 12 / 3,600 ≈ 13.33, counted at pnlWeight 0.5.
    expect(jump).toBeCloseTo(0.5 * 100 * stablePriceAllowance(2_000, 12), 6);
    expect(free.undamped.creditLimit - free.before.creditLimit).toBeCloseTo(0.5 * 100 * 800, 6);
  });
});
