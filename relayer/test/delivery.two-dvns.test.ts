import { Transaction, Wallet, type TransactionResponse } from 'ethers';
import { lzContract, startHardhatNode, type LocalChain } from '@tributary/contracts';
import { ENDPOINT_ABI, RECEIVE_ULN_ABI } from '../src/chain/abis';
import { RelayerMetrics } from '../src/metrics/relayer-metrics';
import { ForgeryMonitor } from '../src/verifier/forgery-monitor';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { deployPingNetwork, mine, pathwayState, sendPings, type PingChain, type PingNetwork } from './helpers/ping-network';
import { ShiftedClock, startRelayerApp, type RelayerApp } from './helpers/relayer-app';

const EID_A = 40101;
const EID_B = 40102;
const CONFIRMATIONS = 2;
const VERIFY = RECEIVE_ULN_ABI.getFunction('verify')!.selector;
const COMMIT = RECEIVE_ULN_ABI.getFunction('commitVerification')!.selector;
const LZ_RECEIVE = ENDPOINT_ABI.getFunction('lzReceive')!.selector;

/**
 * Two required DVNs per pathway (the relayer's key and the independent verifier's), each service with its own
 * store: the relayer's executor never commits before the verifier has verified, and chains verify → commit →
 * lzReceive when the verifier was first. The verifier raises its alarm on a verification it never saw sent.
 */
describe('two required DVNs: relayer and independent verifier (one hardhat node, two endpoints)', () => {
  let node: LocalChain;
  let network: PingNetwork;
  let a: PingChain;
  let b: PingChain;
  let relayerDb: TestDatabase;
  let verifierDb: TestDatabase;
  const clock = new ShiftedClock();
  let relayer: RelayerApp;
  let verifier: RelayerApp;

  beforeAll(async () => {
    node = await startHardhatNode({ chainId: 31337, port: 18970 });
    network = await deployPingNetwork(
      [
        { name: 'alpha', eid: EID_A, chainId: 31337, rpcUrl: node.rpcUrl, confirmations: CONFIRMATIONS },
        { name: 'beta', eid: EID_B, chainId: 31337, rpcUrl: node.rpcUrl, confirmations: CONFIRMATIONS },
      ],
      { secondDvn: true },
    );
    [a, b] = network.chains;
    relayerDb = await freshDatabase('two-dvns-relayer');
    verifierDb = await freshDatabase('two-dvns-verifier');
    relayer = await startRelayerApp({
      config: network.relayerConfig({ executeGasOverhead: 60_000 }),
      keyEnv: network.keyEnv(),
      db: relayerDb,
      clock,
    });
    verifier = await startRelayerApp({
      config: network.verifierConfig(),
      keyEnv: network.verifierKeyEnv(),
      db: verifierDb,
      clock,
      role: 'verifier',
      workerId: 'test-verifier',
    });
  }, 120_000);

  afterAll(async () => {
    await relayer?.close();
    await verifier?.close();
    network?.close();
    await node?.stop();
    await relayerDb?.drop();
    await verifierDb?.drop();
  });

  const tick = async (r: RelayerApp, skipMs = 1_000) => {
    clock.offset += skipMs;
    return r.pipeline.tick();
  };
  const drain = async (r: RelayerApp) => {
    for (let i = 0; i < 20; i++) if ((await tick(r, 30_000)) === 0) return;
  };
  /** One confirmed packet a → b, seen by both services; returns its guid. */
  const confirmedPacket = async () => {
    await sendPings(a, b, 1);
    await mine(a.provider, CONFIRMATIONS);
    while ((await relayer.watcher.scanOnce(EID_A)).behind);
    while ((await verifier.watcher.scanOnce(EID_A)).behind);
    const [packet] = (await relayer.packets.page('awaiting_confirmations', 0, 10)).items;
    return packet.guid;
  };
  const txsSince = async (from: number, signer: string) => {
    const txs: TransactionResponse[] = [];
    for (let n = from + 1; n <= (await b.provider.getBlockNumber()); n++) {
      const block = await b.provider.getBlock(n, true);
      for (const tx of block!.prefetchedTransactions) if (tx.from === signer) txs.push(tx);
    }
    return txs;
  };
  const withoutAutomine = async <T>(body: () => Promise<T>): Promise<T> => {
    await b.provider.send('evm_setAutomine', [false]);
    try {
      return await body();
    } finally {
      await b.provider.send('evm_setAutomine', [true]);
    }
  };

  it('with only the relayer verifying the packet is never committed nor executed; once the verifier verifies, it is', async () => {
    const guid = await confirmedPacket();
    const before = await pathwayState(a, b);
    const from = await b.provider.getBlockNumber();
    await drain(relayer);
    expect(await relayer.packets.find(guid)).toMatchObject({ status: 'committing' });
    expect((await txsSince(from, b.relayerAddress)).map((tx) => tx.data.slice(0, 10))).toEqual([VERIFY]);
    expect(await pathwayState(a, b)).toMatchObject({ received: before.received, lazyInboundNonce: before.lazyInboundNonce });

    // The verifier, from its own store and the source chain's logs: verify only.
    await drain(verifier);
    expect(await verifier.packets.find(guid)).toMatchObject({ status: 'verified' });
    expect((await txsSince(from, b.verifierAddress!)).map((tx) => tx.data.slice(0, 10))).toEqual([VERIFY]);

    await drain(relayer);
    expect(await relayer.packets.find(guid)).toMatchObject({ status: 'delivered' });
    expect((await txsSince(from, b.relayerAddress)).map((tx) => tx.data.slice(0, 10))).toEqual([VERIFY, COMMIT, LZ_RECEIVE]);
    expect(await pathwayState(a, b)).toMatchObject({ received: before.received + 1, lazyInboundNonce: before.lazyInboundNonce + 1 });
    expect(await verifier.app.get(RelayerMetrics).registry.metrics()).toMatch(
      /tributary_verifier_transactions_total\{chain="beta",action="verify",result="mined"\} 1/,
    );
  });

  it('chains verify → commit → lzReceive in one block when the verifier verified first', async () => {
    const guid = await confirmedPacket();
    await drain(verifier);
    expect(await verifier.packets.find(guid)).toMatchObject({ status: 'verified' });
    const from = await b.provider.getBlockNumber();
    await withoutAutomine(async () => {
      await tick(relayer);
      await b.provider.send('evm_mine', []);
      await tick(relayer);
    });
    expect(await relayer.packets.find(guid)).toMatchObject({ status: 'delivered' });
    const txs = await txsSince(from, b.relayerAddress);
    expect(txs.map((tx) => tx.data.slice(0, 10))).toEqual([VERIFY, COMMIT, LZ_RECEIVE]);
    expect(new Set(txs.map((tx) => tx.blockNumber)).size).toBe(1);
  });

  it('replaces every transaction of a stuck chained group (not only the last) and delivers', async () => {
    const guid = await confirmedPacket();
    await drain(verifier);
    const registry = relayer.app.get(RelayerMetrics).registry;
    const replacedBefore = await replacedCount(registry);
    await withoutAutomine(async () => {
      await tick(relayer);
      const sent = (await relayer.packets.find(guid))!;
      expect(sent).toMatchObject({ stage: 'confirm', pendingAction: 'execute' });
      const chain = (JSON.parse(sent.pendingChainRaw!) as string[]).map((raw) => Transaction.from(raw));
      const stuckFees = [...chain.map((tx) => tx.maxFeePerGas!), Transaction.from(sent.pendingTxRaw!).maxFeePerGas!];
      await tick(relayer, 25_000); // past gas.stuckTimeoutMs (20 s)
      const replaced = (await relayer.packets.find(guid))!;
      const group = [...(JSON.parse(replaced.pendingChainRaw!) as string[]), replaced.pendingTxRaw!].map((raw) => Transaction.from(raw));
      expect(group.map((tx) => tx.nonce)).toEqual([...chain.map((tx) => tx.nonce), chain[1]!.nonce + 1]);
      group.forEach((tx, i) => expect(tx.maxFeePerGas!).toBeGreaterThan(stuckFees[i]!));
      expect((await replacedCount(registry)) - replacedBefore).toBe(3);
      await b.provider.send('evm_mine', []);
      const receipts = await Promise.all(group.map((tx) => b.provider.getTransactionReceipt(tx.hash!)));
      expect(receipts.map((r) => r?.status)).toEqual([1, 1, 1]);
      await tick(relayer);
    });
    expect(await relayer.packets.find(guid)).toMatchObject({ status: 'delivered' });
  });

  it('the verifier flags a verification by another DVN of a packet the source never sent (and not the genuine ones)', async () => {
    const monitor = verifier.app.get(ForgeryMonitor);
    await monitor.scanOnce();
    const registry = verifier.app.get(RelayerMetrics).registry;
    expect(await registry.metrics()).not.toMatch(/tributary_verifier_forged_verifications_total\{/);
    // The relayer's key "verifies" a made-up a → b packet (nonce 999) on b.
    const genuine = (await relayer.packets.page('delivered', 0, 1)).items[0]!;
    const header = genuine.header.slice(0, 4) + (999).toString(16).padStart(16, '0') + genuine.header.slice(20);
    const uln = lzContract('ReceiveUln302', b.endpoint.receiveUln302, new Wallet(b.relayerKey, b.provider));
    await (await uln.verify(header, '0x' + 'ab'.repeat(32), CONFIRMATIONS)).wait();
    await monitor.scanOnce(); // seen; the verifier's source scan has not passed the head of the sighting yet
    expect(await registry.metrics()).toMatch(/tributary_verifier_unmatched_verifications\{chain="all"\} 1/);
    await mine(a.provider, 1);
    while ((await verifier.watcher.scanOnce(EID_A)).behind);
    await monitor.scanOnce();
    expect(await registry.metrics()).toMatch(/tributary_verifier_forged_verifications_total\{chain="beta",dvn="0x[0-9a-fA-F]{40}"\} 1/);
    expect(await registry.metrics()).toMatch(/tributary_verifier_unmatched_verifications\{chain="all"\} 0/);
  });
});

async function replacedCount(registry: { getSingleMetricAsString(name: string): Promise<string> }): Promise<number> {
  const text = await registry.getSingleMetricAsString('tributary_relayer_transactions_total');
  return [...text.matchAll(/result="replaced"\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}
