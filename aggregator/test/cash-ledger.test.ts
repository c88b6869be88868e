import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { bulkUpsert } from '../src/database/bulk-upsert';
import { CashSchema1764600000000 } from '../src/database/migrations/1764600000000-cash-schema';
import { WithdrawalEntity } from '../src/ledger/entities/ledger.entities';
import type { IndexedLog } from '../src/ledger/ledger-store';
import { startAggregator, type Aggregator } from './support/aggregator';
import { ALICE, BOB, HUB_CHAIN, indexed, rawLog } from './support/synthetic';

const E18 = 10n ** 18n;
const MONEY_TABLES = /cash_account|cash_event|"withdrawal"/;

/** Cash rows and history on the real engines (SQLite by default, PostgreSQL with DATABASE_URL). */
describe('cash ledger on the database', () => {
  let agg: Aggregator;
  let ds: DataSource;

  beforeAll(async () => {
    agg = await startAggregator();
    ds = agg.app.get<DataSource>(getDataSourceToken());
  });

  afterAll(() => agg?.close());

  async function ingest(block: number, logs: IndexedLog[]): Promise<void> {
    await agg.ingestor.ingest({
      ...HUB_CHAIN,
      fromBlock: block,
      toBlock: block,
      logs,
      blockHashes: logs.length ? [{ number: block, hash: logs[0].raw.blockHash }] : [],
      cursor: { eid: HUB_CHAIN.eid, nextBlock: block + 1, headBlock: block, headTime: 0, indexedTime: 0 },
    });
  }
  const cash = (account: string, reason: number, delta: bigint, cashAfter: bigint, block: number, index: number) =>
    indexed('settlementPool', rawLog('settlementPool', 'CashChanged', [account, reason, delta, cashAfter], { block, index }));

  it('the money migration creates exactly what the entities declare, on this engine', async () => {
    const log = await ds.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query).filter((q) => MONEY_TABLES.test(q))).toEqual([]);
  });

  it('migrates an existing ledger: withdrawals get deadline 0, down() undoes it and up() again restores it', async () => {
    const runner = ds.createQueryRunner();
    const migration = new CashSchema1764600000000();
    try {
      await migration.down(runner);
      expect(await runner.hasTable('cash_account')).toBe(false);
      expect(await runner.hasTable('cash_event')).toBe(false);
      expect(await runner.hasColumn('withdrawal', 'deadline')).toBe(false);
      // A withdrawal row written before the migration (no deadline column).
      await bulkUpsert(runner.manager, WithdrawalEntity, {
        columns: [
          'eid',
          'request_id',
          'account',
          'asset_id',
          'amount',
          'status',
          'vault_requested',
          'hub_requested',
          'approved',
          'reason',
          'reserved_value',
          'released',
          'vault_rejected',
          'settled',
        ],
        rows: [[40102, '77', BOB, 1, '5', 'approved', true, true, true, 0, '4', false, false, false]],
        conflict: ['eid', 'request_id'],
        overwrite: [],
      });
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const page = await agg.ledger.withdrawals(BOB, { limit: 10, offset: 0 });
    expect(page.items).toEqual([expect.objectContaining({ requestId: 77n, status: 'approved', deadline: 0, reservedValue: 4n })]);
    expect(await agg.ledger.cashOf(BOB)).toBe(0n);
    await ds.createQueryBuilder().delete().from('withdrawal').execute();
    await ds.createQueryBuilder().delete().from('ledger_account').execute();
  });

  it('stores signed cash and its history, pages it newest first, and a rebuild from the event log gives the same ledger', async () => {
    await ingest(10, [
      cash(ALICE, 0, -1200n * E18, -1200n * E18, 10, 0),
      cash(ALICE, 1, -3n * E18, -1203n * E18, 10, 1),
      cash(BOB, 0, 1200n * E18, 1200n * E18, 10, 2),
    ]);
    await ingest(11, [cash(ALICE, 2, 2000n * E18, 797n * E18, 11, 0)]);
    await ingest(12, [
      indexed('creditManager', rawLog('creditManager', 'CreditLimitSet', [ALICE, 1n, -(500n * E18), false], { block: 12, index: 0 })),
      indexed('hub', rawLog('hub', 'WithdrawalPending', [40102, 3n, ALICE, 1, 10n ** 6n, E18, 1_900_000_000n], { block: 12, index: 1 })),
    ]);

    expect(await agg.ledger.cashOf(ALICE)).toBe(797n * E18);
    expect(await agg.ledger.cashOf(BOB)).toBe(1200n * E18);
    expect(await agg.ledger.cashOf('0x0000000000000000000000000000000000000001')).toBe(0n);
    const account = await agg.ledger.account(ALICE);
    expect(account).toMatchObject({ cash: 797n * E18, credit: expect.objectContaining({ limit: -500n * E18, epoch: 1n }) });
    expect(account!.withdrawals).toEqual([
      expect.objectContaining({ requestId: 3n, status: 'pending', deadline: 1_900_000_000, reservedValue: E18 }),
    ]);
    expect(await agg.ledger.withdrawals(ALICE, { status: 'pending', limit: 10, offset: 0 })).toMatchObject({ total: 1 });

    const first = await agg.ledger.cashHistory(ALICE, 2, 0);
    expect(first.total).toBe(3);
    expect(first.items.map((r) => [r.blockNumber, r.logIndex, r.reason, r.delta, r.cashAfter])).toEqual([
      [11, 0, 2, 2000n * E18, 797n * E18],
      [10, 1, 1, -3n * E18, -1203n * E18],
    ]);
    expect(first.items[0].txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect((await agg.ledger.cashHistory(ALICE, 2, 2)).items.map((r) => r.cashAfter)).toEqual([-1200n * E18]);

    const live = await agg.ledger.snapshot();
    expect(live.cash).toEqual([
      { account: BOB, cash: 1200n * E18, version: (10n << 20n) | 2n },
      { account: ALICE, cash: 797n * E18, version: 11n << 20n },
    ]);
    expect(live.cashHistory).toHaveLength(4);
    await agg.store.rebuildFromEventLog(2);
    expect(await agg.ledger.snapshot()).toEqual(live);
  });

  it('rolls cash back with a reorg of the trading chain', async () => {
    const before = await agg.ledger.snapshot();
    await ingest(13, [cash(ALICE, 3, -797n * E18, 0n, 13, 0)]);
    expect(await agg.ledger.cashOf(ALICE)).toBe(0n);
    expect(await agg.ingestor.rollback(HUB_CHAIN.eid, 12)).toEqual({ orphaned: 1, rebuiltAccounts: 1 });
    expect(await agg.ledger.snapshot()).toEqual(before);
  });
});
