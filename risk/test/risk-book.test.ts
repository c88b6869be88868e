import { evaluateRisk, RiskBook, RiskInputError } from '../src';
import { BTC, CHAIN_A, CHAIN_B, ETH, USDC, expectClose, params } from './fixtures';

const market = {
  assets: [USDC, ETH, BTC],
  correlations: [{ a: 'ETH', b: 'BTC', rho: 0.5 }],
  chains: [
    { eid: CHAIN_A, weight: 1 },
    { eid: CHAIN_B, weight: 1 },
  ],
  params,
};

function newBook(): RiskBook {
  const book = new RiskBook(market);
  book.setAccount('alice', { balances: [{ eid: CHAIN_A, assetId: 'ETH', amount: 10 }], positions: [] });
  book.setAccount('bob', { balances: [{ eid: CHAIN_B, assetId: 'USDC', amount: 5000 }], positions: [] });
  book.setAccount('carol', {
    balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 1000 }],
    positions: [{ assetId: 'BTC', size: 0.1, entryPrice: 29000, imr: 0.1, mmr: 0.05 }],
  });
  return book;
}

describe('RiskBook', () => {
  it('a price tick recomputes and returns only the accounts exposed to that asset', () => {
    const book = newBook();
    const changed = book.onPriceTick('ETH', 1800);
    expect(changed.map((c) => c.accountId)).toEqual(['alice']);
    // 10 ETH @ 1,800: C^init 14,400, VaR^init = 4·0.05·18,000 = 3,600 → L = 10,800.
    expectClose(changed[0].creditLimit, 10_800);
    expect(book.onPriceTick('BTC', 31000).map((c) => c.accountId)).toEqual(['carol']);
    expect(book.onPriceTick('ETH', 1800)).toEqual([]); // same price: nothing changed
  });

  it('a chain weight change reaches only accounts with balances on that chain', () => {
    const book = newBook();
    const changed = book.setChainWeight(CHAIN_B, 0.5);
    expect(changed.map((c) => c.accountId)).toEqual(['bob']);
    expectClose(changed[0].collateralInit, 5000 * 0.95 * 0.5);
  });

  it('setBalance is an idempotent post-state update', () => {
    const book = newBook();
    book.setBalance('alice', { eid: CHAIN_B, assetId: 'ETH', amount: 5 });
    const once = book.setBalance('alice', { eid: CHAIN_B, assetId: 'ETH', amount: 5 });
    expectClose(once.collateralInit, 15 * 2000 * 0.8);
    expect(book.onPriceTick('ETH', 2100).map((c) => c.accountId)).toEqual(['alice']);
  });

  it('matches evaluateRisk after positions, risk-term and correlation changes', () => {
    const book = newBook();
    book.setPositions('alice', [{ assetId: 'BTC', size: -0.5, entryPrice: 30500, imr: 0.1, mmr: 0.05 }]);
    book.setAssetRiskTerms('BTC', { weightInit: 0.7, weightMaint: 0.75, imf: 0.01, volatility: 0.06 });
    expect(book.setCorrelation('BTC', 'ETH', -0.3).map((c) => c.accountId)).toEqual(['alice']);
    const expected = evaluateRisk({
      ...market,
      assets: [USDC, ETH, { ...BTC, weightInit: 0.7, weightMaint: 0.75, imf: 0.01, volatility: 0.06 }],
      correlations: [{ a: 'ETH', b: 'BTC', rho: -0.3 }],
      balances: [{ eid: CHAIN_A, assetId: 'ETH', amount: 10 }],
      positions: [{ assetId: 'BTC', size: -0.5, entryPrice: 30500, imr: 0.1, mmr: 0.05 }],
    });
    const actual = book.result('alice')!;
    expectClose(actual.creditLimit, expected.creditLimit, 1e-12);
    expectClose(actual.health, expected.health!, 1e-12);
    expectClose(actual.exposure.BTC, expected.exposure.BTC, 1e-12);
  });

  it('rejects bad input and changes nothing', () => {
    const book = newBook();
    const before = book.summary('alice');
    expect(() => book.setBalance('alice', { eid: CHAIN_A, assetId: 'DOGE', amount: 1 })).toThrow(RiskInputError);
    expect(() => book.setBalance('alice', { eid: 1, assetId: 'ETH', amount: 1 })).toThrow(/chain eid 1/);
    expect(() => book.setBalance('alice', { eid: CHAIN_A, assetId: 'ETH', amount: -1 })).toThrow(/amount/);
    expect(() => book.setPositions('alice', [{ assetId: 'ETH', size: 1, entryPrice: 1, imr: 2, mmr: 0 }])).toThrow(/imr/);
    const twice = { eid: CHAIN_A, assetId: 'ETH', amount: 1 };
    expect(() => book.setAccount('alice', { balances: [twice, twice], positions: [] })).toThrow(/listed twice/);
    expect(() => book.onPriceTick('ETH', Number.NaN)).toThrow(/price/);
    expect(() => book.setChainWeight(CHAIN_A, 1.5)).toThrow(/chain weight/);
    expect(book.summary('alice')).toEqual(before);
    expect(book.onPriceTick('ETH', 2000)).toEqual([]);
    // The duplicate check leaves no residue: the same balance alone is accepted afterwards.
    expectClose(book.setAccount('dave', { balances: [twice], positions: [] }).collateralInit, 1600);
  });

  it('removes accounts from the indexes', () => {
    const book = newBook();
    expect(book.removeAccount('alice')).toBe(true);
    expect(book.onPriceTick('ETH', 1500)).toEqual([]);
    expect(book.result('alice')).toBeUndefined();
    expect(book.accountCount).toBe(2);
  });

  it('preview gives what evaluateRisk gives for the same holdings, and keeps nothing', () => {
    const book = newBook();
    const holdings = {
      balances: [{ eid: CHAIN_A, assetId: 'ETH', amount: 4 }],
      positions: [{ assetId: 'BTC', size: -0.2, entryPrice: 31000, imr: 0.1, mmr: 0.05 }],
      cash: -1500,
    };
    const before = [...book.accountIds()];
    const preview = book.preview(holdings);
    const direct = evaluateRisk({
      ...market,
      balances: holdings.balances,
      positions: holdings.positions,
      cash: holdings.cash,
    });
    expectClose(preview.creditLimit, direct.creditLimit);
    expectClose(preview.floorInit, direct.floorInit);
    expect(preview.health).not.toBeNull();
    expectClose(preview.health!, direct.health!);
    expect([...book.accountIds()]).toEqual(before);
    expect(() => book.preview({ balances: [{ eid: 999, assetId: 'ETH', amount: 1 }], positions: [] })).toThrow(RiskInputError);
    expect([...book.accountIds()]).toEqual(before);
  });
});
