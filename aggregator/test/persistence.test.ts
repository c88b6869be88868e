import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startAggregator } from './support/aggregator';
import { ALICE, HUB_CHAIN, indexed, rawLog } from './support/synthetic';

/** The ledger survives a restart: SQLite file (SQLITE_PATH) by default, the same schema on PostgreSQL. */
describe('ledger persistence across restarts', () => {
  it('keeps events, rows and cursors, and migrations run once', async () => {
    const sqlitePath = join(mkdtempSync(join(tmpdir(), 'agg-sqlite-')), 'ledger.sqlite');
    const env: Record<string, string> = process.env.DATABASE_URL ? {} : { SQLITE_PATH: sqlitePath };
    const first = await startAggregator(env);
    const logs = [indexed('hub', rawLog('hub', 'AttestationApplied', [ALICE, 40102, 1, 42n, 1n], { block: 5, index: 0 }))];
    await first.ingestor.ingest({
      ...HUB_CHAIN,
      fromBlock: 5,
      toBlock: 5,
      logs,
      blockHashes: [{ number: 5, hash: logs[0].raw.blockHash }],
      cursor: { eid: HUB_CHAIN.eid, nextBlock: 6, headBlock: 6, headTime: 100, indexedTime: 88 },
    });
    const before = await first.ledger.snapshot();
    await first.close({ keepDatabase: true });
    if (!process.env.DATABASE_URL) expect(statSync(sqlitePath).size).toBeGreaterThan(0);

    const second = await startAggregator(env, first.db);
    try {
      expect(await second.ledger.snapshot()).toEqual(before);
      expect(await second.ledger.eventCount()).toBe(1);
      expect(await second.store.cursor(HUB_CHAIN.eid)).toBe(6);
      expect(await second.store.recentBlockHashes(HUB_CHAIN.eid, 10)).toEqual([{ number: 5, hash: logs[0].raw.blockHash }]);
      const body = (await request(second.http).get(`/v1/accounts/${ALICE}`).expect(200)).body;
      expect(body.collateral[0]).toMatchObject({ balance: '42', sequence: '1' });
    } finally {
      await second.close();
    }
  });
});

describe('concurrent writers of one chain', () => {
  it('apply a batch once when two ingest it at the same time (one process on SQLite, two replicas on PostgreSQL)', async () => {
    const first = await startAggregator();
    const second = process.env.DATABASE_URL ? await startAggregator({}, first.db) : first;
    try {
      const logs = [
        indexed('perpMarket', rawLog('perpMarket', 'PositionOpened', [ALICE, 0, 5n, 5n, 100n, 100n, 7n, 50n, 0n], { block: 3, index: 0 })),
      ];
      const batch = {
        ...HUB_CHAIN,
        fromBlock: 3,
        toBlock: 3,
        logs,
        blockHashes: [],
        cursor: { eid: HUB_CHAIN.eid, nextBlock: 4, headBlock: 3, headTime: 0, indexedTime: 0 },
      };
      const results = await Promise.all([first.ingestor.ingest(batch), second.ingestor.ingest(batch)]);
      expect(results.map((r) => r.applied).sort()).toEqual([0, 1]);
      expect((await first.ledger.positionsOf(ALICE))[0].realizedPnl).toBe(7n);
      expect(await first.ledger.eventCount()).toBe(1);
    } finally {
      if (second !== first) await second.close({ keepDatabase: true });
      await first.close();
    }
  });
});
