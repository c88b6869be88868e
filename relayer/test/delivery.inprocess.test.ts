import { keccak256 as keccak, Transaction } from 'ethers';
import { startHardhatNode, type LocalChain } from '@tributary/contracts';
import { ENDPOINT_ABI, RECEIVE_ULN_ABI } from '../src/chain/abis';
import { RelayerMetrics as RelayerMetricsToken } from '../src/metrics/relayer-metrics';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { FaultInjector } from './helpers/fault-rpc';
import { deployPingNetwork, mine, pathwayState, sendPings, type PingNetwork } from './helpers/ping-network';
import { ShiftedClock, startRelayerApp, type RelayerApp } from './helpers/relayer-app';

const EID_A = 40101;
const EID_B = 40102;
const LZ_RECEIVE = ENDPOINT_ABI.getFunction('lzReceive')!.selector;
const VERIFY = RECEIVE_ULN_ABI.getFunction('verify')!.selector;

/** Both endpoints live on one hardhat node; the relayer talks JSON-RPC to it as to two chains. */
describe('relayer delivery on one hardhat node with two endpoints (restarts at every stage)', () => {
  let node: LocalChain;
  let network: PingNetwork;
  let db: TestDatabase;
  const clock = new ShiftedClock();
  const faults = new FaultInjector();
  let relayer: RelayerApp | undefined;

  beforeAll(async () => {
    node = await startHardhatNode({ chainId: 31337, port: 18610 });
    network = await deployPingNetwork([
      { name: 'alpha', eid: EID_A, chainId: 31337, rpcUrl: node.rpcUrl, confirmations: 6 },
      { name: 'beta', eid: EID_B, chainId: 31337, rpcUrl: node.rpcUrl, confirmations: 6 },
    ]);
    db = await freshDatabase('inprocess');
  }, 120_000);

  afterAll(async () => {
    await relayer?.close();
    network?.close();
    await node?.stop();
    await db?.drop();
  });

  // One step per transaction (pipeline.chainSteps off) so every stage can be interrupted; chained sends: delivery.chained.test.ts.
  const start = async () => {
    relayer = await startRelayerApp({
      config: network.relayerConfig({ maxExecuteAttempts: 2, executeGasOverhead: 60_000, chainSteps: false }),
      keyEnv: network.keyEnv(),
      db,
      clock,
      rpcFactory: faults.factory(),
    });
    return relayer;
  };
  const restart = async () => {
    await relayer!.close();
    faults.disarm();
    return start();
  };
  const scanAll = async (r: RelayerApp) => {
    await r.watcher.scanOnce(EID_A);
    await r.watcher.scanOnce(EID_B);
  };
  const tickNow = async (r: RelayerApp) => {
    clock.offset += 30_000;
    return r.pipeline.tick();
  };
  /** Runs pipeline ticks, skipping backoff delays, until nothing is due. */
  const drain = async (r: RelayerApp, ticks = 20) => {
    for (let i = 0; i < ticks; i++) {
      clock.offset += 30_000;
      if ((await r.pipeline.tick()) === 0) return;
    }
  };

  it('waits for confirmations, survives a restart after prepare, after verify and after commit, and sends nothing twice', async () => {
    const [a, b] = network.chains;
    await sendPings(a, b, 3);
    await sendPings(b, a, 1);
    let r = await start();
    await scanAll(r);
    expect((await r.packets.page(undefined, 0, 10)).total).toBe(4);

    // Not confirmed yet: nothing is verified.
    await tickNow(r);
    expect((await r.packets.page('awaiting_confirmations', 0, 10)).total).toBe(4);
    expect((await pathwayState(a, b)).relayerTxCount).toBe(0);
    await mine(a.provider, 6);

    // 1. Crash after prepare: the verify transaction is signed and stored, never broadcast.
    faults.arm('verify broadcast', (method, args, chain) => method === 'broadcast' && chain === 'beta' && txSelector(args[0]) === VERIFY);
    await tickNow(r);
    expect(faults.fired).toContain('verify broadcast');
    r = await restart();
    // 2. Crash after verify: mined, but the receipt was never read.
    faults.arm('commit receipt', (method) => method === 'receipt');
    await drain(r, 1);
    r = await restart();
    // 3. Crash after commit, before lzReceive.
    faults.arm('lzReceive simulation', (method, args) => method === 'call' && String(args[1]).startsWith(LZ_RECEIVE));
    await drain(r, 3);
    expect(faults.fired).toEqual(['verify broadcast', 'commit receipt', 'lzReceive simulation']);
    r = await restart();
    await drain(r);

    expect((await r.packets.page('delivered', 0, 10)).total).toBe(4);
    const ab = await pathwayState(a, b);
    expect(ab).toMatchObject({ lazyInboundNonce: 3, received: 3 });
    // verify + commit + lzReceive per packet, exactly: nothing was sent twice.
    expect(ab.relayerTxCount).toBe(9);
    expect(await pathwayState(b, a)).toMatchObject({ lazyInboundNonce: 1, received: 1, relayerTxCount: 3 });
  });

  it('parks a packet whose lzReceive keeps reverting and reports it', async () => {
    const [a, b] = network.chains;
    // 1 gas for lzReceive: the OApp runs out of gas, every simulation reverts.
    await sendPings(a, b, 1, undefined, 1);
    await mine(a.provider, 6);
    const r = relayer!;
    await scanAll(r);
    await drain(r);
    const parked = await r.packets.page('parked', 0, 10);
    expect(parked.total).toBe(1);
    expect(parked.items[0]).toMatchObject({ nonce: 4, attempts: 2 });
    expect(parked.items[0].lastError).toMatch(/lzReceive reverts/);
    const metrics = await r.app.get(RelayerMetricsToken).registry.metrics();
    expect(metrics).toMatch(/tributary_relayer_packets_parked_total\{src_chain="alpha",dst_chain="beta"\} 1/);
    // Verified and committed, not executed; the next packet of the pathway is not blocked by it.
    await sendPings(a, b, 1);
    await mine(a.provider, 6);
    await scanAll(r);
    await drain(r);
    expect(await pathwayState(a, b)).toMatchObject({ received: 4, lazyInboundNonce: 5 });
  });

  it('never verifies a packet whose source block left the canonical chain', async () => {
    const [a, b] = network.chains;
    const r = relayer!;
    const snapshot = await a.provider.send('evm_snapshot', []);
    await sendPings(a, b, 1);
    await scanAll(r);
    const [seen] = (await r.packets.page('awaiting_confirmations', 0, 10)).items;
    expect(seen.nonce).toBe(6);
    await tickNow(r);
    // The block with the packet is orphaned; the chain grows past the confirmation depth without it.
    await a.provider.send('evm_revert', [snapshot]);
    await mine(a.provider, 10);
    await scanAll(r);
    await drain(r);
    expect((await r.packets.find(seen.guid))?.status).toBe('reorged');
    const before = await pathwayState(a, b);
    expect(before.lazyInboundNonce).toBe(5);
    const lookup = RECEIVE_ULN_ABI.decodeFunctionResult(
      'hashLookup',
      await b.provider.call({
        to: b.endpoint.receiveUln302,
        data: RECEIVE_ULN_ABI.encodeFunctionData('hashLookup', [keccak(seen.header), seen.payloadHash, b.relayerAddress]),
      }),
    );
    expect(lookup[0]).toBe(false);
  });

  it('replaces a stuck transaction at the same nonce with a higher fee', async () => {
    const [a, b] = network.chains;
    const r = relayer!;
    const before = await pathwayState(a, b);
    await sendPings(a, b, 1);
    await mine(a.provider, 6);
    await scanAll(r);
    await a.provider.send('evm_setAutomine', [false]);
    try {
      await tickNow(r);
      const [sent] = (await r.packets.page('verifying', 0, 10)).items;
      expect(sent).toMatchObject({ stage: 'confirm', pendingAction: 'verify' });
      const original = Transaction.from(sent.pendingTxRaw!);
      // Not stuck yet: nothing replaced.
      await r.pipeline.tick();
      expect((await r.packets.find(sent.guid))?.pendingTxHash).toBe(sent.pendingTxHash);
      clock.offset += 25_000; // past gas.stuckTimeoutMs (20 s)
      await r.pipeline.tick();
      const replaced = (await r.packets.find(sent.guid))!;
      const replacement = Transaction.from(replaced.pendingTxRaw!);
      expect(replaced.pendingTxHash).not.toBe(sent.pendingTxHash);
      expect(replacement.nonce).toBe(original.nonce);
      expect(replacement.maxFeePerGas! * 100n).toBeGreaterThanOrEqual(original.maxFeePerGas! * 120n);
      await a.provider.send('evm_mine', []);
      expect(await b.provider.getTransactionReceipt(original.hash!)).toBeNull();
      expect((await b.provider.getTransactionReceipt(replacement.hash!))?.status).toBe(1);
    } finally {
      await a.provider.send('evm_setAutomine', [true]);
    }
    await drain(r);
    const after = await pathwayState(a, b);
    expect(after.received).toBe(before.received + 1);
    expect(after.relayerTxCount).toBe(before.relayerTxCount + 3);
  });
});

function txSelector(raw: unknown): string {
  return Transaction.from(String(raw)).data.slice(0, 10);
}
