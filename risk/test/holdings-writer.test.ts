import { evaluateRisk, RiskBook, RiskInputError, type AccountHoldings } from '../src';
import { expectSameResult } from './book-arbitraries';
import { BTC, CHAIN_A, CHAIN_B, ETH, USDC, params } from './fixtures';

const market = {
  assets: [USDC, ETH, BTC],
  correlations: [{ a: 'ETH', b: 'BTC', rho: 0.5 }],
  chains: [
    { eid: CHAIN_A, weight: 1 },
    { eid: CHAIN_B, weight: 0.8 },
  ],
  params,
};

const carol: AccountHoldings = {
  balances: [
    { eid: CHAIN_A, assetId: 'USDC', amount: 1000 },
    { eid: CHAIN_B, assetId: 'ETH', amount: 2 },
  ],
  positions: [{ assetId: 'BTC', size: 0.1, entryPrice: 29000, imr: 0.1, mmr: 0.05, marketId: 7 }],
  cash: -250,
};

describe('RiskBook writer (bulk load without per-account objects)', () => {
  it('rows written by index give what setAccount gives for the same holdings', () => {
    const viaObjects = new RiskBook(market);
    viaObjects.setAccount('carol', carol);
    const book = new RiskBook(market);
    book.reserve(10, 10);
    const { assetIndex, chainIndex } = {
      assetIndex: (id: string) => book.market.assetIndex(id),
      chainIndex: (eid: number) => book.market.chainIndex(eid),
    };
    book
      .writer()
      .begin('carol')
      .cash(-250)
      .balanceAt(chainIndex(CHAIN_A), assetIndex('USDC'), 1000)
      .balanceAt(chainIndex(CHAIN_B), assetIndex('ETH'), 2)
      .positionAt(assetIndex('BTC'), 0.1, 29000, 0.1, 0.05, 7)
      .commit();
    expect(book.result('carol')).toEqual(viaObjects.result('carol'));
    expect(book.holdings('carol')).toEqual(carol);
    expectSameResult(book.result('carol')!, { ...market, ...carol });
  });

  it('a bad row throws and the book keeps the account as it was', () => {
    const book = new RiskBook(market);
    book.setAccount('carol', carol);
    const before = book.result('carol');
    const w = () => book.writer().begin('carol').balance(CHAIN_A, 'ETH', 5);
    expect(() => w().balance(CHAIN_A, 'ETH', 6)).toThrow(/carol: balance of 'ETH' on eid 30101 is listed twice/);
    expect(() => w().positionAt(1, 1, -1, 0.1, 0.05)).toThrow(/entryPrice/);
    expect(() => w().positionAt(9, 1, 1, 0.1, 0.05)).toThrow(RiskInputError);
    expect(() => w().position({ assetId: 'DOGE', size: 1, entryPrice: 1, imr: 0, mmr: 0 })).toThrow(/DOGE/);
    expect(() => w().positionAt(1, 1, 1, 0.1, 0.05, -2)).toThrow(/marketId/);
    expect(() => w().balanceAt(5, 0, 1)).toThrow(/chain index 5/);
    expect(() => w().balance(1, 'ETH', 1)).toThrow(/chain eid 1/);
    expect(() => w().cash(Number.NaN)).toThrow(/cash/);
    // A bad row drops the staged account: committing what came before it is not possible.
    expect(() => book.writer().commit()).toThrow(/begin/);
    expect(book.result('carol')).toEqual(before);
    expect(book.accountCount).toBe(1);
    // The staging keeps nothing of the failed account: the next one starts clean.
    book.writer().begin('dave').balance(CHAIN_A, 'ETH', 6).commit();
    expect(book.holdings('dave')).toEqual({ balances: [{ eid: CHAIN_A, assetId: 'ETH', amount: 6 }], positions: [], cash: 0 });
  });

  it('a balance listed as 0 still makes the account a holder (ticks reach it, holdings list it)', () => {
    const book = new RiskBook(market);
    book.setAccount('zed', { balances: [{ eid: CHAIN_B, assetId: 'BTC', amount: 0 }], positions: [] });
    expect(book.holdings('zed')!.balances).toEqual([{ eid: CHAIN_B, assetId: 'BTC', amount: 0 }]);
    expect(book.onPriceTick('BTC', 1)).toEqual([]); // recomputed, nothing moved
    expect(book.setBalance('zed', { eid: CHAIN_B, assetId: 'BTC', amount: 1 }).collateralInit).toBeCloseTo(0.8 * 0.8, 12);
  });

  it('freed slots and outgrown position ranges are reused; every account keeps its own holdings', () => {
    const book = new RiskBook(market);
    const positionsOf = (i: number, count: number) =>
      Array.from({ length: count }, (_, m) => ({
        assetId: m % 2 ? 'ETH' : 'BTC',
        size: (i + 1) * (m + 1) * (m % 3 ? -0.01 : 0.01),
        entryPrice: 1000 + m,
        imr: 0.1,
        mmr: 0.05,
        marketId: m,
      }));
    const expected = new Map<string, AccountHoldings>();
    // Growing position counts leave old ranges behind until the pool compacts; removals free slots for new accounts.
    for (let round = 1; round <= 6; round++) {
      for (let i = 0; i < 40; i++) {
        const id = `acct-${i}`;
        if (round === 3 && i % 4 === 0) {
          book.removeAccount(id);
          expected.delete(id);
          continue;
        }
        const holdings = {
          balances: [{ eid: CHAIN_A, assetId: 'USDC', amount: 100 * (i + round) }],
          positions: positionsOf(i, round),
          cash: i - round,
        };
        if (i % 2) book.setAccount(id, holdings);
        else {
          book.setAccount(id, { ...holdings, positions: [] });
          book.setPositions(id, holdings.positions);
        }
        expected.set(id, holdings);
      }
    }
    expect(book.accountCount).toBe(expected.size);
    for (const [id, holdings] of expected) {
      expect(book.holdings(id)).toEqual(holdings);
      expectSameResult(book.result(id)!, { ...market, ...holdings, positions: holdings.positions.map(({ marketId: _m, ...p }) => p) });
    }
  });

  it('open interest and the accounts of a market come from the position columns', () => {
    const book = new RiskBook(market);
    book.setAccount('carol', carol);
    book.setAccount('erin', { balances: [], positions: [{ assetId: 'ETH', size: -3, entryPrice: 2100, imr: 0.1, mmr: 0.05, marketId: 3 }] });
    book.setAccount('frank', { balances: [], positions: [{ assetId: 'ETH', size: 1, entryPrice: 2100, imr: 0.1, mmr: 0.05 }] });
    expect(book.openInterest()).toBeCloseTo(0.1 * 30000 + 3 * 2000 + 1 * 2000, 9);
    expect(book.accountsInMarket(7)).toEqual(['carol']);
    expect(book.accountsInMarket(3)).toEqual(['erin']);
    book.removeAccount('erin');
    expect(book.accountsInMarket(3)).toEqual([]);
    expect(book.openInterest()).toBeCloseTo(0.1 * 30000 + 2000, 9);
    expect(evaluateRisk({ ...market, ...carol, positions: [] }).collateralInit).toBeCloseTo(
      book.preview({ ...carol, positions: [] }).collateralInit,
      9,
    );
  });
});
