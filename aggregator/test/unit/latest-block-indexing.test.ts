import type { CommitListener, RolledBack } from '../../src/ledger/ledger-ingestor';
import { attest, setup } from '../support/fake-chain';
import { ALICE, BOB, rawLog } from '../support/synthetic';

const heartbeat = (eid: number, sequence: bigint) => (at: { block: number; index: number; fork: number }) =>
  rawLog('hub', 'HeartbeatReceived', [eid, sequence, 1000n], at);

/** The trading chain followed at its latest block (confirmations 0): every ingested block can still be reorged out. */
describe('indexing at the latest block', () => {
  const latest = (onCommitted?: CommitListener) => setup({ maxBlockRange: 100, reorgWindow: 16 }, { confirmations: 0, onCommitted });

  it('ingests the head block itself, and an unchanged head costs one head read and nothing else', async () => {
    const { fake, store, indexer, sync, balance } = latest();
    fake.mine();
    fake.mine([attest(ALICE, 1n, 10n)]);
    await sync();
    expect(balance(ALICE)).toBe(10n);
    expect(await store.cursor(40101)).toBe(2);

    const calls = { ...fake.calls, logs: fake.calls.logs.length };
    const before = structuredClone(store.tables);
    expect(await indexer.tick()).toEqual({ kind: 'caught-up', headBlock: 1 });
    expect([fake.calls.heads - calls.heads, fake.calls.blocks - calls.blocks, fake.calls.logs.length - calls.logs]).toEqual([1, 0, 0]);
    expect(store.tables).toEqual(before); // no write either

    fake.mine([attest(ALICE, 2n, 25n)]);
    const result = await indexer.tick();
    expect(result).toMatchObject({ kind: 'indexed', fromBlock: 2, toBlock: 2, applied: 1, headBlock: 2 });
    expect(balance(ALICE)).toBe(25n);
  });

  it('a reorg of the head block alone (same height, another hash) is rolled back and the new head ingested', async () => {
    const heard: { accounts: string[]; liveness: boolean; reorg?: RolledBack }[] = [];
    const { fake, store, sync, balance } = latest((accounts, liveness, { reorg }) => heard.push({ accounts: [...accounts], liveness, reorg }));
    fake.mine();
    fake.mine([attest(ALICE, 1n, 10n)]);
    fake.mine([attest(ALICE, 2n, 30n), attest(BOB, 1n, 5n)]);
    await sync();
    expect([balance(ALICE), balance(BOB)]).toEqual([30n, 5n]);

    fake.reorg(2); // block 2 replaced at the same height: Alice's top-up went elsewhere, Bob's never happened
    fake.mine([attest(ALICE, 2n, 12n)]);
    heard.length = 0;
    const results = await sync();
    expect(results[0]).toEqual({ kind: 'reorg', forkBlock: 1, orphaned: 2, rebuiltAccounts: 2 });
    expect(results[1]).toMatchObject({ kind: 'indexed', fromBlock: 2, toBlock: 2, applied: 1 });
    expect([balance(ALICE), balance(BOB)]).toEqual([12n, undefined]);
    // Listeners hear the rollback (with the accounts whose rows were rebuilt) before the new block's changes.
    expect(heard[0]).toEqual({ accounts: expect.arrayContaining([ALICE, BOB]), liveness: true, reorg: { eid: 40101, forkBlock: 1 } });
    expect(heard[1]).toEqual({ accounts: [ALICE], liveness: true, reorg: undefined });

    const fresh = latest();
    fresh.fake.blocks = fake.blocks;
    await fresh.sync();
    expect(fresh.store.tables.rows).toEqual(store.tables.rows);
  });

  it("rolls a chain's last-message block back to its newest delivery still on the chain (none left: forgotten)", async () => {
    const { fake, store, sync } = latest();
    fake.mine();
    fake.mine([heartbeat(40102, 1n)]); // block 1
    fake.mine([heartbeat(40103, 1n)]); // block 2
    fake.mine([heartbeat(40102, 2n)]); // block 3
    await sync();
    expect([...store.tables.liveness]).toEqual([
      [40102, 3],
      [40103, 2],
    ]);

    fake.reorg(2); // blocks 2 and 3 gone: 40102 was last heard in block 1, 40103 never
    fake.mine();
    fake.mine();
    await sync();
    expect([...store.tables.liveness]).toEqual([[40102, 1]]);
  });
});
