import fc from 'fast-check';
import { RiskBook, type AccountHoldings, type RiskAsset, type RiskCorrelation, type RiskRequestInput } from '../src';
import { ASSET_IDS, EIDS, bookArbitraries, expectSameResult, price, spread } from './book-arbitraries';

const { amount, bookArb, positionArb } = bookArbitraries(spread);

const ACCOUNTS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
const accountArb = fc.constantFrom(...ACCOUNTS);
const holdingsArb = bookArb.map((b) => ({ balances: b.balances, positions: b.positions, cash: b.cash }));
const manyPositions = fc.array(
  positionArb.chain((p) =>
    fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }).map((marketId) => ({ ...p, ...(marketId === undefined ? {} : { marketId }) })),
  ),
  { maxLength: 12 },
);
const assetTermsArb = fc.record({ weightInit: spread(0, 0.9), weightMaint: spread(0, 1), imf: spread(0, 0.1), volatility: spread(0, 0.2) });

/** One step on the book; the model (plain holdings and market config) takes the same step. */
const opArb = fc.oneof(
  fc.record({ op: fc.constant('set' as const), account: accountArb, holdings: holdingsArb }),
  fc.record({
    op: fc.constant('balance' as const),
    account: accountArb,
    eid: fc.constantFrom(...EIDS),
    assetId: fc.constantFrom(...ASSET_IDS),
    amount,
  }),
  fc.record({ op: fc.constant('positions' as const), account: accountArb, positions: manyPositions }),
  fc.record({ op: fc.constant('cash' as const), account: accountArb, cash: spread(-1e6, 1e6) }),
  fc.record({ op: fc.constant('remove' as const), account: accountArb }),
  fc.record({ op: fc.constant('price' as const), assetId: fc.constantFrom(...ASSET_IDS), price }),
  fc.record({ op: fc.constant('stable' as const), assetId: fc.constantFrom(...ASSET_IDS), stable: fc.option(price, { nil: null }) }),
  fc.record({ op: fc.constant('chain' as const), eid: fc.constantFrom(...EIDS), weight: spread(0, 1) }),
  fc.record({ op: fc.constant('terms' as const), assetId: fc.constantFrom(...ASSET_IDS), terms: assetTermsArb }),
  fc.record({
    op: fc.constant('correlation' as const),
    pair: fc.uniqueArray(fc.constantFrom(...ASSET_IDS), { minLength: 2, maxLength: 2 }),
    rho: spread(-1, 1),
  }),
  fc.record({ op: fc.constant('preview' as const), holdings: holdingsArb }),
  fc.record({ op: fc.constant('recomputeAll' as const) }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

interface Model {
  market: Omit<RiskRequestInput, 'balances' | 'positions' | 'cash'> & { assets: RiskAsset[]; correlations: RiskCorrelation[] };
  accounts: Map<string, AccountHoldings>;
}

const request = (model: Model, holdings: AccountHoldings): RiskRequestInput => ({
  ...model.market,
  balances: holdings.balances,
  positions: holdings.positions.map(({ marketId: _m, ...p }) => p),
  cash: holdings.cash,
});

/** Applies `op` to book and model; returns the accounts the book reported as changed (market steps), else null. */
function step(book: RiskBook, model: Model, op: Op): string[] | null {
  const { market, accounts } = model;
  const swapAsset = (id: string, change: (a: RiskAsset) => RiskAsset) => (market.assets = market.assets.map((a) => (a.id === id ? change(a) : a)));
  const ids = (summaries: { accountId: string }[]) => summaries.map((s) => s.accountId);
  switch (op.op) {
    case 'set':
      book.setAccount(op.account, op.holdings);
      accounts.set(op.account, op.holdings);
      return null;
    case 'balance': {
      book.setBalance(op.account, op);
      const held = accounts.get(op.account) ?? { balances: [], positions: [], cash: 0 };
      const others = held.balances.filter((b) => b.eid !== op.eid || b.assetId !== op.assetId);
      accounts.set(op.account, { ...held, balances: [...others, { eid: op.eid, assetId: op.assetId, amount: op.amount }] });
      return null;
    }
    case 'positions':
      book.setPositions(op.account, op.positions);
      accounts.set(op.account, { ...(accounts.get(op.account) ?? { balances: [], cash: 0 }), positions: op.positions });
      return null;
    case 'cash':
      book.setCash(op.account, op.cash);
      accounts.set(op.account, { ...(accounts.get(op.account) ?? { balances: [], positions: [] }), cash: op.cash });
      return null;
    case 'remove':
      expect(book.removeAccount(op.account)).toBe(accounts.delete(op.account));
      return null;
    case 'price':
      swapAsset(op.assetId, (a) => ({ ...a, price: op.price }));
      return ids(book.onPriceTick(op.assetId, op.price));
    case 'stable':
      swapAsset(op.assetId, (a) => ({ ...a, stablePrice: op.stable ?? undefined }));
      return ids(book.onStablePriceTick(op.assetId, op.stable));
    case 'chain':
      market.chains = market.chains.map((c) => (c.eid === op.eid ? { ...c, weight: op.weight } : c));
      return ids(book.setChainWeight(op.eid, op.weight));
    case 'terms':
      swapAsset(op.assetId, (a) => ({ ...a, ...op.terms }));
      return ids(book.setAssetRiskTerms(op.assetId, op.terms));
    case 'correlation': {
      const [a, b] = op.pair;
      const others = market.correlations.filter((c) => !((c.a === a && c.b === b) || (c.a === b && c.b === a)));
      market.correlations = [...others, { a, b, rho: op.rho }];
      return ids(book.setCorrelation(a, b, op.rho));
    }
    case 'preview': {
      const before = [...book.accountIds()];
      expectSameResult(book.preview(op.holdings), request(model, op.holdings));
      expect([...book.accountIds()]).toEqual(before);
      return null;
    }
    case 'recomputeAll':
      book.recomputeAll();
      return null;
  }
}

describe('columnar RiskBook (stateful model)', () => {
  it('equals evaluateRisk for every account after any sequence of updates, ticks, removals and previews', () => {
    fc.assert(
      fc.property(bookArb, fc.array(opArb, { minLength: 1, maxLength: 40 }), (start, ops) => {
        const book = new RiskBook(start);
        const model: Model = {
          market: { assets: start.assets, correlations: start.correlations, chains: start.chains, params: start.params },
          accounts: new Map(),
        };
        for (const op of ops) {
          const before = new Map([...book.summaries()].map((s) => [s.accountId, s]));
          const reported = step(book, model, op);
          expect(new Set(book.accountIds())).toEqual(new Set(model.accounts.keys()));
          for (const [id, holdings] of model.accounts) expectSameResult(book.result(id)!, request(model, holdings));
          if (reported === null) continue;
          // A market step reports exactly the accounts whose credit limit or health moved.
          const moved = [...book.summaries()].filter(
            (s) => !Object.is(s.creditLimit, before.get(s.accountId)!.creditLimit) || !Object.is(s.health, before.get(s.accountId)!.health),
          );
          expect(new Set(reported)).toEqual(new Set(moved.map((s) => s.accountId)));
        }
        // What the book keeps is what it was given (balances as a set, positions in order with their market ids).
        for (const [id, holdings] of model.accounts) {
          const kept = book.holdings(id)!;
          const key = (b: { eid: number; assetId: string }) => `${b.eid}/${b.assetId}`;
          expect(new Map(kept.balances.map((b) => [key(b), b.amount]))).toEqual(new Map(holdings.balances.map((b) => [key(b), b.amount])));
          expect(kept.positions).toEqual(holdings.positions);
          expect(kept.cash).toBe(holdings.cash ?? 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
