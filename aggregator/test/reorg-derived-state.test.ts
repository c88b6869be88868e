import { LedgerChanges, type LedgerChange } from '../src/ledger/ledger-changes';
import { WithdrawalLedgerReader } from '../src/withdrawal/withdrawal-ledger.reader';
import { startAggregator, type Aggregator } from './support/aggregator';
import { ALICE, BOB, HUB_CHAIN, indexed, rawLog } from './support/synthetic';

const heartbeat = (eid: number, sequence: bigint, block: number) =>
  indexed('hub', rawLog('hub', 'HeartbeatReceived', [eid, sequence, 1000n], { block, index: 0 }));
const attestation = (account: string, balance: bigint, block: number) =>
  indexed('hub', rawLog('hub', 'AttestationApplied', [account, 40102, 1, balance, 1n], { block, index: 0 }));

/** Derived state a trading-chain rollback must return to the fork point, on the real store (SQLite or PostgreSQL). */
describe('reorg rollback of derived state (TypeORM store)', () => {
  let agg: Aggregator;
  const heard: LedgerChange[] = [];

  beforeAll(async () => {
    agg = await startAggregator();
    agg.app.get(LedgerChanges).changes.subscribe((change) => heard.push(change));
  });
  afterAll(() => agg?.close());

  async function ingest(block: number, logs: ReturnType<typeof heartbeat>[], headBlock = block): Promise<void> {
    await agg.ingestor.ingest({
      ...HUB_CHAIN,
      fromBlock: block,
      toBlock: block,
      logs,
      blockHashes: [{ number: block, hash: logs[0]?.raw.blockHash ?? `0x${String(block).padStart(64, '0')}` }],
      cursor: { eid: HUB_CHAIN.eid, nextBlock: block + 1, headBlock, headTime: block, indexedTime: block },
    });
  }

  it("lowers each chain's last-message block to its newest delivery still in the log, and forgets a chain with none", async () => {
    await ingest(3, [heartbeat(40102, 1n, 3)]);
    await ingest(5, [heartbeat(40103, 1n, 5)]);
    await ingest(7, [heartbeat(40102, 2n, 7)]);
    expect(await agg.ledger.lastMessageBlocks()).toEqual(
      new Map([
        [40102, 7],
        [40103, 5],
      ]),
    );
    heard.length = 0;
    expect(await agg.ingestor.rollback(HUB_CHAIN.eid, 4)).toEqual({ orphaned: 2, rebuiltAccounts: 0 });
    expect(await agg.ledger.lastMessageBlocks()).toEqual(new Map([[40102, 3]]));
    // Announced with the rollback, so the chain weights re-read it and the pusher reloads its view.
    expect(heard).toEqual([{ accounts: new Set(), liveness: true, eid: HUB_CHAIN.eid, reorg: { eid: HUB_CHAIN.eid, forkBlock: 4 } }]);
    expect(await agg.store.cursor(HUB_CHAIN.eid)).toBe(5);
  });

  it('names the accounts whose trading-chain events are less than `finality` blocks deep (the withdrawal decider waits for them)', async () => {
    await ingest(8, [attestation(ALICE, 10n, 8)]);
    await ingest(10, [attestation(BOB, 20n, 10)], 11);
    const reader = agg.app.get(WithdrawalLedgerReader);
    const lower = (a: string) => a.toLowerCase();
    expect(await reader.unsettledAccounts(HUB_CHAIN.eid, 0)).toEqual(new Set()); // indexing and finality agree
    expect(await reader.unsettledAccounts(HUB_CHAIN.eid, 1)).toEqual(new Set()); // head 11: block 10 is one deep
    expect(await reader.unsettledAccounts(HUB_CHAIN.eid, 2)).toEqual(new Set([lower(BOB)]));
    expect(await reader.unsettledAccounts(HUB_CHAIN.eid, 4)).toEqual(new Set([lower(ALICE), lower(BOB)]));
    expect(await reader.unsettledAccounts(40999, 4)).toEqual(new Set()); // a chain never indexed
  });
});
