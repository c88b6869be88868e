import { LedgerIngestor } from '../../src/ledger/ledger-ingestor';
import { MemoryLedgerStore } from '../support/memory-ledger-store';
import { ChainIndexer } from '../../src/indexer/chain-indexer';
import { keccak256, toBeHex } from 'ethers';
import { CreditManager__factory, layoutCreditPush } from '@tributary/contracts';
import { FakeChain, attest, cash, chain, limit, setup } from '../support/fake-chain';
import { ALICE, BOB, CONTRACT_ADDRESS, HUB_CHAIN, indexed, rawLog } from '../support/synthetic';

/**
 * A credit push as the chain logs it: AccountIndexed per new account, then CreditBatchPushed; the entries only in
 * the transaction's calldata (registered on the fake chain under the logs' transaction hash).
 */
function pushTx(fake: FakeChain, epoch: bigint, entries: [string, bigint, boolean][], known: string[]) {
  const layout = layoutCreditPush(
    entries.map(([account, base, liquidatable]) => ({ account, base, liquidatable })),
    (a) => (known.indexOf(a) >= 0 ? known.indexOf(a) : undefined),
    known.length,
  );
  const input = CreditManager__factory.createInterface().encodeFunctionData('pushCreditLimits', [epoch, layout.newAccounts, layout.slots]);
  const first = known.length;
  known.push(...layout.newAccounts);
  const makers = [
    ...layout.newAccounts.map(
      (a, i) => (at: { block: number; index: number; fork: number }) => rawLog('creditManager', 'AccountIndexed', [a, BigInt(first + i)], at),
    ),
    (at: { block: number; index: number; fork: number }) => rawLog('creditManager', 'CreditBatchPushed', [epoch, BigInt(entries.length), 0n], at),
  ];
  // Every log of one push shares the transaction: rawLog derives the hash from (block, index); re-key them.
  return makers.map((make) => (at: { block: number; index: number; fork: number }) => {
    const log = { ...make(at), transactionHash: keccak256(toBeHex(at.block * 7919 + 1, 32)) };
    fake.txs.set(log.transactionHash, { to: CONTRACT_ADDRESS.creditManager, input });
    return log;
  });
}

describe('chain indexer', () => {
  it('reads bounded ranges from startBlock up to head − confirmations', async () => {
    const { fake, store, sync, balance } = setup();
    fake.mine();
    for (let s = 1n; s <= 8n; s++) fake.mine([attest(ALICE, s, s * 10n)]);
    await sync();
    // head 8, two confirmations → blocks 1..6 applied, in ranges of at most 3 blocks.
    expect(fake.calls.logs).toEqual([
      [1, 3],
      [4, 6],
    ]);
    expect(balance(ALICE)).toBe(60n);
    expect(await store.cursor(chain.eid)).toBe(7);
    fake.mine();
    fake.mine();
    await sync();
    expect(balance(ALICE)).toBe(80n);
  });

  it('applies each event once: a repeated batch is skipped by its (chainId, blockHash, logIndex)', async () => {
    const store = new MemoryLedgerStore();
    const ingestor = new LedgerIngestor(store);
    const logs = [indexed('perpMarket', rawLog('perpMarket', 'PositionOpened', [ALICE, 0, 5n, 5n, 100n, 100n, 7n, 50n, 0n], { block: 3, index: 0 }))];
    const batch = {
      ...HUB_CHAIN,
      fromBlock: 3,
      toBlock: 3,
      logs,
      blockHashes: [],
      cursor: { eid: chain.eid, nextBlock: 4, headBlock: 3, headTime: 0, indexedTime: 0 },
    };
    expect(await ingestor.ingest(batch)).toEqual({ applied: 1, duplicates: 0 });
    expect(await ingestor.ingest(batch)).toEqual({ applied: 0, duplicates: 1 });
    expect(store.tables.events).toHaveLength(1);
    expect(store.tables.rows.positions.get(`${ALICE}/0`)?.realizedPnl).toBe(7n); // summed once
  });

  it('announces the accounts of a batch after commit, also when another replica stored its events first', async () => {
    const store = new MemoryLedgerStore();
    const heard: { replica: string; accounts: string[]; liveness: boolean }[] = [];
    const replica = (name: string) =>
      new LedgerIngestor(store, (accounts, liveness) => heard.push({ replica: name, accounts: [...accounts], liveness }));
    const logs = [indexed('hub', rawLog('hub', 'AttestationApplied', [ALICE, 40102, 1, 10n, 1n], { block: 3, index: 0 }))];
    const batch = {
      ...HUB_CHAIN,
      fromBlock: 3,
      toBlock: 3,
      logs,
      blockHashes: [],
      cursor: { eid: chain.eid, nextBlock: 4, headBlock: 3, headTime: 0, indexedTime: 0 },
    };
    expect(await replica('a').ingest(batch)).toEqual({ applied: 1, duplicates: 0 });
    expect(await replica('b').ingest(batch)).toEqual({ applied: 0, duplicates: 1 });
    expect(heard).toEqual([
      { replica: 'a', accounts: [ALICE], liveness: true },
      { replica: 'b', accounts: [ALICE], liveness: true },
    ]);
    // A HEARTBEAT changes no account, but its chain's last message moved: the risk engine must re-read it.
    heard.length = 0;
    const heartbeat = [indexed('hub', rawLog('hub', 'HeartbeatReceived', [40102, 7n, 1000n], { block: 4, index: 0 }))];
    await replica('a').ingest({ ...batch, fromBlock: 4, toBlock: 4, logs: heartbeat, cursor: { ...batch.cursor, nextBlock: 5, headBlock: 4 } });
    const credit = [indexed('creditManager', rawLog('creditManager', 'CreditLimitSet', [ALICE, 1n, 1000n, false], { block: 5, index: 0 }))];
    await replica('a').ingest({ ...batch, fromBlock: 5, toBlock: 5, logs: credit, cursor: { ...batch.cursor, nextBlock: 6, headBlock: 5 } });
    expect(heard).toEqual([
      { replica: 'a', accounts: [], liveness: true },
      { replica: 'a', accounts: [ALICE], liveness: false },
    ]);
    expect(store.tables.liveness.get(40102)).toBe(4);
  });

  it('detects a reorg by a stored hash that is no longer canonical, rolls back and follows the new branch', async () => {
    const { fake, store, sync, balance } = setup();
    fake.mine();
    fake.mine([attest(ALICE, 1n, 10n)]);
    fake.mine([attest(BOB, 1n, 5n)]);
    fake.mine([attest(ALICE, 2n, 20n), limit(ALICE, 1n)]);
    fake.mine([attest(BOB, 2n, 6n)]);
    fake.mine();
    fake.mine();
    await sync();
    expect([balance(ALICE), balance(BOB), store.tables.rows.credit.get(ALICE)?.epoch]).toEqual([20n, 6n, 1n]);

    fake.reorg(3); // blocks 3.. replaced: Alice's second attestation and her limit never happened
    fake.mine([attest(BOB, 3n, 7n)]);
    for (let i = 0; i < 4; i++) fake.mine();
    const results = await sync();
    expect(results[0]).toEqual({ kind: 'reorg', forkBlock: 2, orphaned: 3, rebuiltAccounts: 2 });
    expect([balance(ALICE), balance(BOB), store.tables.rows.credit.get(ALICE)]).toEqual([10n, 7n, undefined]);

    const fresh = setup();
    fresh.fake.blocks = fake.blocks;
    await fresh.sync();
    expect(fresh.store.tables.rows).toEqual(store.tables.rows);
    expect(fresh.store.tables.events.map((e) => e.raw)).toEqual(store.tables.events.map((e) => e.raw));
  });

  it('rolls cash and its history back with a reorg and rebuilds them as a fresh replay would', async () => {
    const { fake, store, sync } = setup();
    fake.mine();
    fake.mine([cash(ALICE, 0, -50n, -50n), cash(BOB, 0, 50n, 50n)]);
    fake.mine([cash(ALICE, 1, -1n, -51n)]);
    fake.mine([cash(ALICE, 2, 100n, 49n)]);
    fake.mine();
    fake.mine();
    await sync();
    expect(store.tables.rows.cash.get(ALICE)?.cash).toBe(49n);
    expect(store.tables.rows.cashHistory.filter((r) => r.account === ALICE).map((r) => r.cashAfter)).toEqual([-50n, -51n, 49n]);

    fake.reorg(3); // the repayment of block 3 never happened; a smaller one did
    fake.mine([cash(ALICE, 2, 20n, -31n)]);
    for (let i = 0; i < 3; i++) fake.mine();
    expect((await sync())[0]).toEqual({ kind: 'reorg', forkBlock: 2, orphaned: 1, rebuiltAccounts: 1 });
    expect(store.tables.rows.cash.get(ALICE)?.cash).toBe(-31n);
    expect(store.tables.rows.cash.get(BOB)?.cash).toBe(50n);
    const history = (s: MemoryLedgerStore) =>
      [...s.tables.rows.cashHistory].sort((a, b) => a.account.localeCompare(b.account) || a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
    expect(history(store).map((r) => [r.account, r.blockNumber, r.reason, r.cashAfter])).toEqual([
      [BOB, 1, 0, 50n],
      [ALICE, 1, 0, -50n],
      [ALICE, 2, 1, -51n],
      [ALICE, 3, 2, -31n],
    ]);

    const fresh = setup();
    fresh.fake.blocks = fake.blocks;
    await fresh.sync();
    expect(fresh.store.tables.rows.cash).toEqual(store.tables.rows.cash);
    expect(history(fresh.store)).toEqual(history(store));
  });

  it('re-indexes the chain from its start block when the reorg is deeper than the stored hashes', async () => {
    const { fake, sync, balance, store } = setup({ maxBlockRange: 2, reorgWindow: 2 });
    fake.mine();
    for (let s = 1n; s <= 6n; s++) fake.mine([attest(ALICE, s, s)]);
    fake.mine();
    fake.mine();
    await sync();
    expect(balance(ALICE)).toBe(6n);
    fake.reorg(1);
    for (let i = 0; i < 9; i++) fake.mine(i === 0 ? [attest(ALICE, 1n, 100n)] : []);
    const results = await sync();
    expect(results[0]).toMatchObject({ kind: 'reorg', forkBlock: 0 });
    expect(balance(ALICE)).toBe(100n);
    expect(store.tables.events).toHaveLength(1);
  });

  it('a replica whose shared cursor another replica moved hears of the accounts indexed there (nothing written twice)', async () => {
    const fake = new FakeChain();
    const store = new MemoryLedgerStore();
    const heard: string[][] = [[], []];
    const settings = { maxBlockRange: 3, reorgWindow: 16 };
    const [a, b] = [0, 1].map(
      (i) => new ChainIndexer(chain, fake, store, new LedgerIngestor(store, (accounts) => heard[i]!.push(...accounts)), settings),
    );
    fake.mine();
    fake.mine([attest(ALICE, 1n, 10n)]);
    fake.mine();
    fake.mine();
    await b!.tick(); // b starts: cursor at 1, indexes 1..1 (head 3 − 2 confirmations)
    fake.mine([attest(BOB, 1n, 20n)]);
    fake.mine();
    fake.mine();
    expect(await a!.tick()).toMatchObject({ kind: 'indexed', fromBlock: 2, toBlock: 4 });
    expect(heard[0]).toEqual([BOB]);
    await b!.tick(); // the cursor moved from 2 to 5 under b
    expect(heard[1]).toEqual([ALICE, BOB]);
    expect(store.tables.events).toHaveLength(2);
  });

  it('derives each pushed account from the push calldata (no per-account event): indices resolved, partners as pushed', async () => {
    const { fake, store, sync } = setup({ maxBlockRange: 2, reorgWindow: 16 });
    const known: string[] = [];
    const credit = (account: string) => store.tables.rows.credit.get(account);
    fake.mine();
    fake.mine(
      pushTx(
        fake,
        1n,
        [
          [ALICE, 700n, false],
          [BOB, -5n, true],
        ],
        known,
      ),
    );
    fake.mine();
    fake.mine();
    // Epoch 2 names Alice and Bob by index only (indexed two blocks earlier, in another range).
    fake.mine(pushTx(fake, 2n, [[BOB, 90n, false]], known));
    fake.mine();
    fake.mine();
    await sync();
    expect([credit(ALICE)?.limit, credit(ALICE)?.epoch, credit(ALICE)?.liquidatable]).toEqual([700n, 1n, false]);
    expect([credit(BOB)?.limit, credit(BOB)?.epoch, credit(BOB)?.liquidatable]).toEqual([90n, 2n, false]);
  });

  it('a fresh indexer (restart) reads indices given before its cursor from the chain', async () => {
    const fake = new FakeChain();
    const known: string[] = [];
    fake.mine();
    fake.mine(pushTx(fake, 1n, [[ALICE, 700n, false]], known));
    fake.mine(pushTx(fake, 2n, [[ALICE, 800n, true]], known));
    fake.mine();
    fake.mine();
    const store = new MemoryLedgerStore();
    await store.transaction(async (w) => w.setCursor({ eid: chain.eid, nextBlock: 2, headBlock: 4, headTime: 0, indexedTime: null }));
    const indexer = new ChainIndexer(chain, fake, store, new LedgerIngestor(store), { maxBlockRange: 10, reorgWindow: 16 });
    await indexer.tick();
    expect(store.tables.rows.credit.get(ALICE)).toMatchObject({ limit: 800n, epoch: 2n, liquidatable: true });
  });
});
