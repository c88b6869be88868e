import type { RiskResult } from '@tributary/risk';
import { HEALTH_BUCKETS, summarizeBook } from '../../src/risk/book-summary';
import type { AccountRisk } from '../../src/risk/risk-reader';

const risk = (account: string, health: number | null, frozen = false): AccountRisk => ({
  account,
  result: { health, liquidatable: health !== null && health < 1, creditLimit: 100, collateralMaint: 50, requirementMaint: 25 } as RiskResult,
  cash: 0n,
  assets: [1],
  frozen: frozen ? [{ assetId: 1, symbol: 'USDC', reason: 'stale', detail: 'old' }] : [],
  computedAt: 0,
});

describe('risk book summary', () => {
  it('counts each finite health in the band [from, to) that holds it, unbounded apart; lists the lowest first', () => {
    const book = [risk('0xc', 1.2), risk('0xa', 0.7), risk('0xb', null), risk('0xd', 12, true), risk('0xe', 1), risk('0xf', 0.7)];
    const summary = summarizeBook(book, 3);
    expect(summary).toMatchObject({ accounts: 6, liquidatable: 2, frozen: 1, unbounded: 1 });
    expect(summary.buckets.map((b) => b.count)).toEqual([2, 1, 1, 0, 0, 0, 1]);
    expect(summary.buckets.map((b) => b.label)).toEqual(HEALTH_BUCKETS.map((b) => b.label));
    expect(summary.nearest.map((n) => [n.account, n.health])).toEqual([
      ['0xa', 0.7],
      ['0xf', 0.7],
      ['0xe', 1],
    ]);
    expect(summarizeBook(book, 0).nearest).toEqual([]);
  });

  it('an empty book has empty bands', () => {
    expect(summarizeBook([], 10)).toMatchObject({ accounts: 0, liquidatable: 0, unbounded: 0, nearest: [] });
  });
});
