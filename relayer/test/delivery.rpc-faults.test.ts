import { RelayerMetrics } from '../src/metrics/relayer-metrics';
import { startHardhatNode, type LocalChain } from '@tributary/contracts';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { startFaultyProxy, type FaultyProxy } from './helpers/faulty-rpc-proxy';
import { deployPingNetwork, pathwayState, sendPings, type PingNetwork } from './helpers/ping-network';
import { startRelayerApp, type RelayerApp } from './helpers/relayer-app';

const PACKETS_EACH_WAY = 15;

describe('delivery through a faulty RPC (HTTP 500, JSON-RPC errors, answers withheld after the node acted)', () => {
  let node: LocalChain;
  let proxy: FaultyProxy;
  let network: PingNetwork;
  let db: TestDatabase;
  let relayer: RelayerApp | undefined;

  beforeAll(async () => {
    node = await startHardhatNode({ chainId: 31337, port: 18640 });
    network = await deployPingNetwork([
      { name: 'alpha', eid: 40201, chainId: 31337, rpcUrl: node.rpcUrl, confirmations: 1 },
      { name: 'beta', eid: 40202, chainId: 31337, rpcUrl: node.rpcUrl, confirmations: 1 },
    ]);
    proxy = await startFaultyProxy({ port: 18641, upstream: node.rpcUrl, http500: 0.08, rpcError: 0.08, timeoutAfterForward: 0.04 });
    db = await freshDatabase('rpcfaults');
  }, 120_000);

  afterAll(async () => {
    await relayer?.close();
    await proxy?.close();
    network?.close();
    await node?.stop();
    await db?.drop();
  });

  it('delivers every packet exactly once', async () => {
    const [a, b] = network.chains;
    const config = network.relayerConfig({ rpcUrls: { 40201: proxy.url, 40202: proxy.url } });
    config.chains.forEach((c) => (c.rpcTimeoutMs = 1_000));
    relayer = await startRelayerApp({ config, keyEnv: network.keyEnv(), db, autoStart: true });
    await sendPings(a, b, PACKETS_EACH_WAY);
    await sendPings(b, a, PACKETS_EACH_WAY);
    const deadline = Date.now() + 90_000;
    let ab = await pathwayState(a, b);
    let ba = await pathwayState(b, a);
    while ((ab.received < PACKETS_EACH_WAY || ba.received < PACKETS_EACH_WAY) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      [ab, ba] = [await pathwayState(a, b), await pathwayState(b, a)];
    }
    const elapsed = Date.now() - (deadline - 90_000);
    console.log(`${2 * PACKETS_EACH_WAY} packets through the faulty RPC in ${elapsed} ms`, proxy.counts);
    expect(ab).toMatchObject({ received: PACKETS_EACH_WAY, lazyInboundNonce: PACKETS_EACH_WAY });
    expect(ba).toMatchObject({ received: PACKETS_EACH_WAY, lazyInboundNonce: PACKETS_EACH_WAY });
    // The faults really happened, on every kind.
    expect(proxy.counts.http500).toBeGreaterThan(5);
    expect(proxy.counts.rpcError).toBeGreaterThan(5);
    expect(proxy.counts.timeout).toBeGreaterThan(2);
    // Three transactions per packet on each destination, none twice.
    expect(ab.relayerTxCount).toBe(3 * PACKETS_EACH_WAY);
    expect(ba.relayerTxCount).toBe(3 * PACKETS_EACH_WAY);
    const metrics = await relayer.app.get(RelayerMetrics).registry.metrics();
    expect(metrics).toMatch(/tributary_relayer_rpc_errors_total\{chain="alpha",method="[a-zA-Z_]+"\} \d+/);
  }, 120_000);
});
