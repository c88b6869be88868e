import fc from 'fast-check';
import { evaluateRisk, previewStableParams, RiskBook, RiskInputError } from '../src';
import { CHAIN_A, CHAIN_B, ETH, USDC, params } from './fixtures';

// ETH recovering: the oracle at 2,000, the stable price still at 1,800 (so s climbs toward p).
const market = {
  assets: [USDC, { ...ETH, stablePrice: 1800 }],
  correlations: [],
  chains: [
    { eid: CHAIN_A, weight: 1 },
    { eid: CHAIN_B, weight: 0.9 },
  ],
  params,
};
const holdingsArb = fc.record({
  usdc: fc.integer({ min: 0, max: 50_000 }),
  eth: fc.integer({ min: 0, max: 20 }),
  size: fc.integer({ min: -5, max: 5 }),
  entry: fc.integer({ min: 1000, max: 3000 }),
  cash: fc.integer({ min: -3000, max: 3000 }),
});

type Holding = typeof holdingsArb extends fc.Arbitrary<infer T> ? T : never;

function bookOf(accounts: Holding[]): RiskBook {
  const book = new RiskBook(market);
  accounts.forEach((h, i) =>
    book.setAccount(`acct${i}`, {
      balances: [
        { eid: CHAIN_A, assetId: 'USDC', amount: h.usdc },
        { eid: CHAIN_B, assetId: 'ETH', amount: h.eth },
      ].filter((b) => b.amount > 0),
      positions: h.size === 0 ? [] : [{ assetId: 'ETH', size: h.size, entryPrice: h.entry, imr: 0.1, mmr: 0.05 }],
      cash: h.cash,
    }),
  );
  return book;
}

const current = { maxStep: 0.02, intervalSeconds: 3600 };
const proposed = { maxStep: 0.04, intervalSeconds: 3600 };
const state = { price: 1800, lastUpdate: 1000 };

describe('previewStableParams (a proposed δ/τ against the book)', () => {
  it('credit at the horizon under each equals evaluateRisk at the stable price the tracker reaches; liquidations never move', () => {
    fc.assert(
      fc.property(fc.array(holdingsArb, { minLength: 1, maxLength: 10 }), fc.integer({ min: 60, max: 10_800 }), (accounts, horizon) => {
        const book = bookOf(accounts);
        const preview = previewStableParams(book, [{ assetId: 'ETH', current, proposed, state }], {
          now: 1000,
          horizonSeconds: horizon,
          blockSeconds: 12,
        });
        const sAt = (delta: number) => Math.min(2000, 1800 + (1800 * delta * horizon) / 3600);
        const [eth] = preview.assets;
        expect(eth.current.stablePriceAtHorizon).toBeCloseTo(sAt(0.02), 9);
        expect(eth.proposed.stablePriceAtHorizon).toBeCloseTo(sAt(0.04), 9);
        let [creditCurrent, creditProposed, added, removed] = [0, 0, 0, 0];
        accounts.forEach((_, i) => {
          const h = book.holdings(`acct${i}`)!;
          const at = (s: number) =>
            evaluateRisk({ ...market, assets: [USDC, { ...ETH, stablePrice: s }], balances: h.balances, positions: h.positions, cash: h.cash })
              .creditLimit;
          const [c, q] = [at(sAt(0.02)), at(sAt(0.04))];
          creditCurrent += c;
          creditProposed += q;
          if (q > c) added += q - c;
          else removed += c - q;
        });
        expect(preview.current.creditLimit).toBeCloseTo(creditCurrent, 6);
        expect(preview.proposed.creditLimit).toBeCloseTo(creditProposed, 6);
        expect(preview.creditAdded).toBeCloseTo(added, 6);
        expect(preview.creditRemoved).toBeCloseTo(removed, 6);
        expect(preview.proposed.liquidatable).toBe(preview.now.liquidatable);
        expect(preview.current.liquidatable).toBe(preview.now.liquidatable);
      }),
      { numRuns: 40 },
    );
  });

  it('the one-block jump is s·(e^{δΔt/τ} − 1) per unit, times the units held long; the horizon defaults to the current τ', () => {
    const book = bookOf([
      { usdc: 0, eth: 10, size: 5, entry: 2000, cash: 0 },
      { usdc: 0, eth: 2, size: -3, entry: 2000, cash: 0 },
    ]);
    const preview = previewStableParams(book, [{ assetId: 'ETH', current, proposed: { maxStep: 0.02, intervalSeconds: 1800 }, state }], {
      now: 1000,
      blockSeconds: 12,
    });
    const [eth] = preview.assets;
    expect(eth.units).toBe(17);
    expect(eth.current.blockJumpPerUnit).toBeCloseTo(1800 * Math.expm1((0.02 * 12) / 3600), 12);
    expect(eth.proposed.blockJumpPerUnit).toBeCloseTo(1800 * Math.expm1((0.02 * 12) / 1800), 12);
    expect(eth.proposed.blockJumpUsd).toBeCloseTo(17 * eth.proposed.blockJumpPerUnit, 9);
    expect(preview.horizonSeconds).toBeNull();
    expect(eth.current.stablePriceAtHorizon).toBeCloseTo(1836, 9); // one τ at δ 2 %
    expect(eth.proposed.stablePriceAtHorizon).toBeCloseTo(1872, 9); // the same δ over half the τ: twice as far
    expect(preview.creditAdded).toBeGreaterThan(0);
  });

  it('refuses bad parameters, an unknown asset and a non-positive block time', () => {
    const book = bookOf([{ usdc: 100, eth: 1, size: 0, entry: 2000, cash: 0 }]);
    const opts = { now: 1000, blockSeconds: 12 };
    expect(() => previewStableParams(book, [{ assetId: 'ETH', current, proposed: { maxStep: 1, intervalSeconds: 3600 } }], opts)).toThrow(
      RiskInputError,
    );
    expect(() => previewStableParams(book, [{ assetId: 'DOGE', current, proposed }], opts)).toThrow(RiskInputError);
    expect(() => previewStableParams(book, [{ assetId: 'ETH', current, proposed }], { ...opts, blockSeconds: 0 })).toThrow(RiskInputError);
  });
});
