import { Transaction, type TransactionResponse } from 'ethers';
import { startHardhatNode, type LocalChain } from '@tributary/contracts';
import { ENDPOINT_ABI, RECEIVE_ULN_ABI } from '../src/chain/abis';
import { RelayerMetrics as RelayerMetricsToken } from '../src/metrics/relayer-metrics';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { FaultInjector } from './helpers/fault-rpc';
import { deployPingNetwork, mine, pathwayState, sendPings, type PingChain, type PingNetwork } from './helpers/ping-network';
import { ShiftedClock, startRelayerApp, type RelayerApp } from './helpers/relayer-app';

const EID_A = 40101;
const EID_B = 40102;
const CONFIRMATIONS = 2;
const VERIFY = RECEIVE_ULN_ABI.getFunction('verify')!.selector;
const COMMIT = RECEIVE_ULN_ABI.getFunction('commitVerification')!.selector;
const LZ_RECEIVE = ENDPOINT_ABI.getFunction('lzReceive')!.selector;

/** pipeline.chainSteps: verify, commitVerification and lzReceive sent back to back, mined in one destination block. */
describe('chained destination steps (one hardhat node, two endpoints)', () => {
  let node: LocalChain;
  let network: PingNetwork;
  let a: PingChain;
  let b: PingChain;
  let db: TestDatabase;
  const clock = new ShiftedClock();
  const faults = new FaultInjector();
  let relayer: RelayerApp | undefined;

  beforeAll(async () => {
    node = await startHardhatNode({ chainId: 31337, port: 18960 });
    network = await deployPingNetwork([
      { name: 'alpha', eid: EID_A, chainId: 31337, rpcUrl: node.rpcUrl, confirmations: CONFIRMATIONS },
      { name: 'beta', eid: EID_B, chainId: 31337, rpcUrl: node.rpcUrl, confirmations: CONFIRMATIONS },
    ]);
    [a, b] = network.chains;
    db = await freshDatabase('chained');
  }, 120_000);

  afterAll(async () => {
    await relayer?.close();
    network?.close();
    await node?.stop();
    await db?.drop();
  });

  const start = async (chainSteps = true) => {
    await relayer?.close();
    faults.disarm();
    relayer = await startRelayerApp({
      config: network.relayerConfig({ maxExecuteAttempts: 2, executeGasOverhead: 60_000, chainSteps }),
      keyEnv: network.keyEnv(),
      db,
      clock,
      rpcFactory: faults.factory(),
    });
    return relayer;
  };
  /** One confirmed packet a → b, known to the relayer; returns its guid. */
  const confirmedPacket = async (r: RelayerApp, gas?: number) => {
    await sendPings(a, b, 1, undefined, gas);
    await mine(a.provider, CONFIRMATIONS);
    await r.watcher.scanOnce(EID_A);
    const [packet] = (await r.packets.page('awaiting_confirmations', 0, 10)).items;
    return packet.guid;
  };
  const tick = async (r: RelayerApp, skipMs = 1_000) => {
    clock.offset += skipMs;
    return r.pipeline.tick();
  };
  const drain = async (r: RelayerApp) => {
    for (let i = 0; i < 20; i++) if ((await tick(r, 30_000)) === 0) return;
  };
  const withoutAutomine = async <T>(body: () => Promise<T>): Promise<T> => {
    await b.provider.send('evm_setAutomine', [false]);
    try {
      return await body();
    } finally {
      await b.provider.send('evm_setAutomine', [true]);
    }
  };
  /** The relayer's transactions on b mined after block `from`, in order. */
  const relayerTxsSince = async (from: number) => {
    const txs: (TransactionResponse & { blockNumber: number })[] = [];
    for (let n = from + 1; n <= (await b.provider.getBlockNumber()); n++) {
      const block = await b.provider.getBlock(n, true);
      for (const tx of block!.prefetchedTransactions) if (tx.from === b.relayerAddress) txs.push(tx as TransactionResponse & { blockNumber: number });
    }
    return txs;
  };
  /** Ticks, then mines one block, until the packet is delivered. */
  const deliverBlockByBlock = (r: RelayerApp, guid: string) =>
    withoutAutomine(async () => {
      for (let i = 0; i < 10 && (await r.packets.find(guid))?.status !== 'delivered'; i++) {
        await tick(r);
        await b.provider.send('evm_mine', []);
      }
    });

  it('verifies, commits and executes a packet in one destination block; three blocks with chainSteps off', async () => {
    for (const chainSteps of [true, false]) {
      const r = await start(chainSteps);
      const guid = await confirmedPacket(r);
      const before = await pathwayState(a, b);
      const from = await b.provider.getBlockNumber();
      await deliverBlockByBlock(r, guid);
      expect((await r.packets.find(guid))?.status).toBe('delivered');
      const txs = await relayerTxsSince(from);
      expect(txs.map((tx) => tx.data.slice(0, 10))).toEqual([VERIFY, COMMIT, LZ_RECEIVE]);
      const receipts = await Promise.all(txs.map((tx) => b.provider.getTransactionReceipt(tx.hash)));
      expect(receipts.map((receipt) => receipt?.status)).toEqual([1, 1, 1]);
      expect(new Set(receipts.map((receipt) => receipt!.blockNumber)).size).toBe(chainSteps ? 1 : 3);
      expect(await pathwayState(a, b)).toEqual({
        lazyInboundNonce: before.lazyInboundNonce + 1,
        received: before.received + 1,
        relayerTxCount: before.relayerTxCount + 3,
      });
    }
  });

  it('rebroadcasts an earlier transaction of the chain that the node dropped', async () => {
    const r = await start();
    const guid = await confirmedPacket(r);
    const before = await pathwayState(a, b);
    await withoutAutomine(async () => {
      await tick(r);
      const sent = (await r.packets.find(guid))!;
      expect(sent).toMatchObject({ stage: 'confirm', status: 'executing', pendingAction: 'execute' });
      const chain = (JSON.parse(sent.pendingChainRaw!) as string[]).map((raw) => Transaction.from(raw));
      expect(chain.map((tx) => tx.data.slice(0, 10))).toEqual([VERIFY, COMMIT]);
      expect(await b.provider.send('hardhat_dropTransaction', [chain[0].hash])).toBe(true);
      // The nonce gap holds commitVerification and lzReceive back.
      await b.provider.send('evm_mine', []);
      expect(await b.provider.getTransactionReceipt(sent.pendingTxHash!)).toBeNull();
      expect(await b.provider.getTransactionCount(b.relayerAddress, 'latest')).toBe(before.relayerTxCount);
      await tick(r, 3_000); // past stuckTimeoutMs / 10: the chain is checked, verify sent again
      await b.provider.send('evm_mine', []);
      const receipts = await Promise.all([chain[0].hash!, chain[1].hash!, sent.pendingTxHash!].map((hash) => b.provider.getTransactionReceipt(hash)));
      expect(receipts.map((receipt) => receipt?.status)).toEqual([1, 1, 1]);
      await tick(r);
    });
    expect(await r.packets.find(guid)).toMatchObject({ status: 'delivered', pendingChainRaw: null, pendingTxRaw: null });
    expect(await pathwayState(a, b)).toEqual({
      lazyInboundNonce: before.lazyInboundNonce + 1,
      received: before.received + 1,
      relayerTxCount: before.relayerTxCount + 3,
    });
  });

  it('recovers a chained lzReceive stored but never broadcast (crash) without sending anything twice', async () => {
    let r = await start();
    const guid = await confirmedPacket(r);
    const before = await pathwayState(a, b);
    faults.arm(
      'lzReceive broadcast',
      (method, args, chain) => method === 'broadcast' && chain === 'beta' && String(Transaction.from(String(args[0])).data).startsWith(LZ_RECEIVE),
    );
    await tick(r);
    expect(faults.fired).toEqual(['lzReceive broadcast']);
    const stored = (await r.packets.find(guid))!;
    expect(stored).toMatchObject({ stage: 'confirm', pendingAction: 'execute' });
    expect(JSON.parse(stored.pendingChainRaw!)).toHaveLength(2);
    expect(await b.provider.getTransaction(stored.pendingTxHash!)).toBeNull();
    r = await start();
    await drain(r);
    expect(await r.packets.find(guid)).toMatchObject({ status: 'delivered', pendingChainRaw: null });
    expect((await b.provider.getTransactionReceipt(stored.pendingTxHash!))?.status).toBe(1);
    expect(await pathwayState(a, b)).toEqual({
      lazyInboundNonce: before.lazyInboundNonce + 1,
      received: before.received + 1,
      relayerTxCount: before.relayerTxCount + 3,
    });
  });

  it('counts a reverted chained lzReceive as an execute failure and parks the packet after maxExecuteAttempts', async () => {
    const r = await start();
    const metrics = r.app.get(RelayerMetricsToken).registry;
    const guid = await confirmedPacket(r, 1); // 1 gas for the OApp: lzReceive reverts
    const before = await pathwayState(a, b);
    // Mined in a block of its own (with automine hardhat would report the revert to eth_sendRawTransaction).
    await withoutAutomine(async () => {
      await tick(r);
      await b.provider.send('evm_mine', []);
      await tick(r);
    });
    // The chained lzReceive was sent unsimulated and reverted: first failed attempt.
    expect(await r.packets.find(guid)).toMatchObject({ status: 'executing', attempts: 1, stage: 'prepare' });
    expect(await metrics.metrics()).toMatch(/tributary_relayer_transactions_total\{chain="beta",action="execute",result="reverted"\} 1/);
    await drain(r);
    const parked = (await r.packets.find(guid))!;
    expect(parked).toMatchObject({ status: 'parked', attempts: 2 });
    expect(parked.lastError).toMatch(/lzReceive reverts/); // the second attempt was simulated, not sent
    expect(await pathwayState(a, b)).toEqual({ ...before, relayerTxCount: before.relayerTxCount + 3 });
    // The next packet of the pathway is chained through to lzReceive and delivered.
    const next = await confirmedPacket(r);
    await drain(r);
    expect((await r.packets.find(next))?.status).toBe('delivered');
    expect(await pathwayState(a, b)).toEqual({
      lazyInboundNonce: before.lazyInboundNonce + 2,
      received: before.received + 1,
      relayerTxCount: before.relayerTxCount + 6,
    });
  });
});
