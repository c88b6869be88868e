import fc from 'fast-check';
import { namesCaps, previewCaps, RiskBook, RiskInputError } from '../src';
import { CHAIN_A, ETH, USDC, params } from './fixtures';

const market = { assets: [USDC, ETH], correlations: [], chains: [{ eid: CHAIN_A, weight: 1 }], params };

function bookOf(accounts: { eth: number; size: number }[]): RiskBook {
  const book = new RiskBook(market);
  accounts.forEach((a, i) =>
    book.setAccount(`acct${i}`, {
      balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 100_000 }, ...(a.eth > 0 ? [{ eid: CHAIN_A, assetId: 'ETH', amount: a.eth }] : [])],
      positions: a.size === 0 ? [] : [{ assetId: 'ETH', size: a.size, entryPrice: 2000, imr: 0.1, mmr: 0.05 }],
    }),
  );
  return book;
}

describe('previewCaps', () => {
  it('open interest is Σ |size|; accounts over a cap are exactly those above it, largest first; the exposure counts collateral', () => {
    const book = bookOf([
      { eth: 0, size: 4 },
      { eth: 0, size: -7 },
      { eth: 10, size: -10 }, // hedged: exposure 0
      { eth: 5, size: 2 }, // exposure 7 ETH = 14,000 USD
    ]);
    const preview = previewCaps(book, {
      markets: [{ assetId: 'ETH', openInterestCap: 20, accountOpenInterestCap: 5 }],
      assets: [{ assetId: 'ETH', accountExposureCap: 10_000 }],
    });
    expect(preview.markets).toEqual([
      {
        assetId: 'ETH',
        openInterest: 23,
        openInterestCap: 20,
        openInterestOver: 3,
        accountOpenInterestCap: 5,
        accountsOver: 2,
        largestOver: [
          { accountId: 'acct2', value: 10 },
          { accountId: 'acct1', value: 7 },
        ],
      },
    ]);
    expect(preview.exposure).toEqual([
      {
        assetId: 'ETH',
        accountExposureCap: 10_000,
        accountsOver: 2,
        largestOver: [
          { accountId: 'acct1', value: 14_000 },
          { accountId: 'acct3', value: 14_000 },
        ],
      },
    ]);
  });

  it('matches a direct count on random books; only named caps appear; bad input throws', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ eth: fc.integer({ min: 0, max: 20 }), size: fc.integer({ min: -15, max: 15 }) }), { maxLength: 15 }),
        fc.integer({ min: 1, max: 12 }),
        (accounts, cap) => {
          const preview = previewCaps(bookOf(accounts), { markets: [{ assetId: 'ETH', accountOpenInterestCap: cap }] }, 3);
          const over = accounts.filter((a) => Math.abs(a.size) > cap);
          expect(preview.markets[0].openInterest).toBe(accounts.reduce((s, a) => s + Math.abs(a.size), 0));
          expect(bookOf(accounts).assetOpenInterest('USDC')).toBe(0);
          expect(preview.markets[0].openInterestCap).toBeNull();
          expect(preview.markets[0].openInterestOver).toBe(0);
          expect(preview.markets[0].accountsOver).toBe(over.length);
          expect(preview.markets[0].largestOver).toHaveLength(Math.min(3, over.length));
          expect(preview.exposure).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
    const book = bookOf([{ eth: 1, size: 1 }]);
    expect(() => previewCaps(book, { markets: [{ assetId: 'BTC', openInterestCap: 1 }] })).toThrow(RiskInputError);
    expect(() => previewCaps(book, { assets: [{ assetId: 'ETH', accountExposureCap: 0 }] })).toThrow(RiskInputError);
    expect(namesCaps({ markets: [{ assetId: 'ETH' }] })).toBe(false);
    expect(namesCaps({ assets: [{ assetId: 'ETH', accountExposureCap: 5 }] })).toBe(true);
  });
});
