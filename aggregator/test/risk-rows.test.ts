import type { RiskRowsPage } from '../src/ledger/ledger-query.repository';
import { startAggregator, type Aggregator } from './support/aggregator';
import { ALICE, BOB, HUB_CHAIN, indexed, rawLog } from './support/synthetic';

const E18 = 10n ** 18n;
const CAROL = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const DAVE = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';

/** The start-up rows of the risk book, keyset-paged, on the real engines (SQLite by default, PostgreSQL with DATABASE_URL). */
describe('risk book rows from the database', () => {
  let agg: Aggregator;

  beforeAll(async () => {
    agg = await startAggregator();
    const attest = (account: string, eid: number, assetId: number, balance: bigint, sequence: bigint, index: number) =>
      indexed('hub', rawLog('hub', 'AttestationApplied', [account, eid, assetId, balance, sequence], { block: 10, index }));
    const logs = [
      attest(ALICE, 40102, 1, 5_000_000_000n, 1n, 0),
      attest(ALICE, 40103, 2, 3n * E18, 1n, 1),
      attest(BOB, 40102, 2, E18, 1n, 2),
      attest(BOB, 40102, 2, 0n, 2n, 3), // withdrawn to 0: no row for the book
      attest(CAROL, 40103, 1, 7n, 1n, 4),
      attest(DAVE, 40102, 1, 1n, 1n, 5),
      indexed('settlementPool', rawLog('settlementPool', 'CashChanged', [ALICE, 0, -(150n * E18), -(150n * E18)], { block: 10, index: 6 })),
      indexed('settlementPool', rawLog('settlementPool', 'CashChanged', [CAROL, 2, 5n * E18, 5n * E18], { block: 10, index: 7 })),
      indexed(
        'perpMarket',
        rawLog('perpMarket', 'PositionOpened', [CAROL, 0, -E18, -E18, 2000n * E18, 2000n * E18, 0n, 200n * E18, 0n], { block: 10, index: 8 }),
      ),
    ];
    await agg.ingestor.ingest({
      ...HUB_CHAIN,
      fromBlock: 10,
      toBlock: 10,
      logs,
      blockHashes: [{ number: 10, hash: logs[0].raw.blockHash }],
      cursor: { eid: HUB_CHAIN.eid, nextBlock: 11, headBlock: 11, headTime: 0, indexedTime: 0 },
    });
  });

  afterAll(() => agg?.close());

  it('pages of 3 accounts, then of 1: the nonzero rows of the snapshot, in its account order, amounts as exact strings', async () => {
    const snapshot = await agg.ledger.snapshot();
    const expected: RiskRowsPage = {
      accounts: snapshot.accounts,
      collateral: snapshot.collateral
        .filter((r) => r.balance !== 0n)
        .map((r) => ({ account: r.account, eid: r.eid, assetId: r.assetId, balance: String(r.balance) })),
      positions: snapshot.positions
        .filter((r) => r.size !== 0n)
        .map((r) => ({ account: r.account, marketId: r.marketId, size: String(r.size), entryPrice: String(r.entryPrice) })),
      cash: snapshot.cash.filter((r) => r.cash !== 0n).map((r) => ({ account: r.account, cash: String(r.cash) })),
    };
    expect(expected.accounts).toHaveLength(4);
    expect(expected.collateral).toHaveLength(4); // Bob's zero balance left out
    expect(await agg.ledger.accountCount()).toBe(4);
    for (const pageSize of [3, 1]) {
      const all: RiskRowsPage = { accounts: [], collateral: [], positions: [], cash: [] };
      let after: string | null = null;
      for (let pages = 0; ; pages++) {
        const page: RiskRowsPage = await agg.ledger.riskRowsPage(after, pageSize);
        if (page.accounts.length === 0) {
          expect(pages).toBe(Math.ceil(4 / pageSize));
          break;
        }
        expect(page.accounts.length).toBeLessThanOrEqual(pageSize);
        for (const key of ['accounts', 'collateral', 'positions', 'cash'] as const) (all[key] as unknown[]).push(...page[key]);
        after = page.accounts[page.accounts.length - 1];
      }
      expect(all).toEqual(expected);
    }
  });
});
