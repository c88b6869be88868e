import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startAggregator } from './support/aggregator';
import { ALICE, HUB_CHAIN, indexed, rawLog } from './support/synthetic';

/** The ledger survives a restart: sql.js file (SQLJS_PATH) by default, the same schema on PostgreSQL. */
describe('ledger persistence across restarts', () => {
  it('keeps events, rows and cursors, and migrations run once', async () => {
    const sqljsPath = join(mkdtempSync(join(tmpdir(), 'agg-sqljs-')), 'ledger.sqlite');
    const env: Record<string, string> = process.env.DATABASE_URL ? {} : { SQLJS_PATH: sqljsPath };
    const first = await startAggregator(env);
    const logs = [indexed('hub', rawLog('hub', 'AttestationApplied', [ALICE, 40102, 1, 42n, 1n], { block: 5, index: 0 }))];
    await first.ingestor.ingest({
      ...HUB_CHAIN, fromBlock: 5, toBlock: 5, logs, blockHashes: [{ number: 5, hash: logs[0].raw.blockHash }],
      cursor: { eid: HUB_CHAIN.eid, nextBlock: 6, headBlock: 6, headTime: 100, indexedTime: 88 },
    });
    const before = await first.ledger.snapshot();
    await first.close({ keepDatabase: true });
    if (!process.env.DATABASE_URL) expect(statSync(sqljsPath).size).toBeGreaterThan(0);

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
