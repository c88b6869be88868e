import fc from 'fast-check';
import { evaluateRisk, previewParams, RiskBook, RiskInputError, type RiskRequestInput } from '../src';
import { BTC, CHAIN_A, CHAIN_B, ETH, USDC, params } from './fixtures';

const market = {
  assets: [USDC, { ...ETH, stablePrice: 1900 }, BTC],
  correlations: [{ a: 'ETH', b: 'BTC', rho: 0.6 }],
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

interface Holding {
  usdc: number;
  eth: number;
  size: number;
  entry: number;
  cash: number;
}

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

describe('previewParams', () => {
  it('equals a recompute of every account with the new parameters (weights, chain weight, imr, mmr; evaluateRisk), and changes nothing in the book', () => {
    fc.assert(
      fc.property(fc.array(holdingsArb, { minLength: 1, maxLength: 12 }), fc.double({ min: 0.3, max: 0.95, noNaN: true }), (accounts, weight) => {
        const book = bookOf(accounts);
        const before = [...book.accountIds()].map((id) => book.summary(id)!.creditLimit);
        const change = {
          assets: [{ assetId: 'ETH', weightInit: weight * 0.9, weightMaint: weight }],
          markets: [{ assetId: 'ETH', imr: 0.2, mmr: 0.08 }],
          chains: [{ eid: CHAIN_B, weight: 0.5 }],
        };
        const preview = previewParams(book, change, accounts.length);
        let creditAfter = 0;
        let newly = 0;
        let healed = 0;
        accounts.forEach((h, i) => {
          const request: RiskRequestInput = {
            ...market,
            assets: market.assets.map((a) => (a.id === 'ETH' ? { ...a, weightInit: weight * 0.9, weightMaint: weight } : a)),
            chains: [market.chains[0], { eid: CHAIN_B, weight: 0.5 }],
            balances: book.holdings(`acct${i}`)!.balances,
            positions: book.holdings(`acct${i}`)!.positions.map((p) => ({ ...p, imr: 0.2, mmr: 0.08 })),
            cash: h.cash,
          };
          const r = evaluateRisk(request);
          creditAfter += r.creditLimit;
          const wasLiquidatable = book.summary(`acct${i}`)!.liquidatable;
          if (r.liquidatable && !wasLiquidatable) newly++;
          if (!r.liquidatable && wasLiquidatable) healed++;
          // Every account whose credit falls is listed (top = all) with the recomputed credit and health.
          const hit = preview.hardestHit.find((x) => x.accountId === `acct${i}`);
          if (hit) {
            expect(hit.creditAfter).toBeCloseTo(r.creditLimit, 6);
            expect(hit.healthAfter).toEqual(r.health === null ? null : expect.closeTo(r.health, 6));
          } else expect(r.creditLimit).toBeGreaterThanOrEqual(book.summary(`acct${i}`)!.creditLimit - 1e-9);
        });
        expect(preview.accounts).toBe(accounts.length);
        expect(preview.creditAfter).toBeCloseTo(creditAfter, 6);
        expect(preview.newlyLiquidatable).toHaveLength(newly);
        expect(preview.noLongerLiquidatable).toBe(healed);
        expect(preview.creditAfter - preview.creditBefore).toBeCloseTo(preview.creditAdded - preview.creditRemoved, 6);
        expect([...book.accountIds()].map((id) => book.summary(id)!.creditLimit)).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  it('names the hardest-hit accounts, largest credit fall first, and refuses unknown assets or chains', () => {
    const book = bookOf([
      { usdc: 0, eth: 10, size: 0, entry: 2000, cash: 0 },
      { usdc: 0, eth: 2, size: 0, entry: 2000, cash: 0 },
      { usdc: 10_000, eth: 0, size: 0, entry: 2000, cash: 0 },
    ]);
    const preview = previewParams(book, { assets: [{ assetId: 'ETH', weightInit: 0.5 }] }, 2);
    expect(preview.hardestHit.map((h) => h.accountId)).toEqual(['acct0', 'acct1']);
    expect(preview.creditAdded).toBe(0);
    expect(preview.creditRemoved).toBeGreaterThan(0);
    expect(() => previewParams(book, { assets: [{ assetId: 'DOGE', weightInit: 0.5 }] })).toThrow(RiskInputError);
    expect(() => previewParams(book, { chains: [{ eid: 1, weight: 0.5 }] })).toThrow(RiskInputError);
    expect(() => previewParams(book, { assets: [{ assetId: 'ETH', weightInit: 2 }] })).toThrow(RiskInputError);
  });
});
