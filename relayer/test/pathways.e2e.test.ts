import request from 'supertest';
import { startHardhatNode, type LocalChain } from '@tributary/contracts';
import { pathwaysResponseSchema, type PathwayView, type PathwaysResponse } from '../src/api/pathways.schemas';
import { percentile } from '../src/api/pathways.service';
import { SignerBalances } from '../src/balances/signer-balances';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { FaultInjector } from './helpers/fault-rpc';
import { deployPingNetwork, mine, sendPings, type PingNetwork } from './helpers/ping-network';
import { ShiftedClock, TEST_API_KEY, startRelayerApp, type RelayerApp } from './helpers/relayer-app';

const EID_A = 40101;
const EID_B = 40102;

/** GET /v1/pathways against real endpoints on one hardhat node: backlog, delivery, latency, parking, signer balances. */
describe('operator pathway view (GET /v1/pathways)', () => {
  let node: LocalChain;
  let network: PingNetwork;
  let db: TestDatabase;
  let relayer: RelayerApp;
  const clock = new ShiftedClock();
  const faults = new FaultInjector();
  let betaSignerBefore: bigint;

  beforeAll(async () => {
    node = await startHardhatNode({ chainId: 31337, port: 18650 });
    network = await deployPingNetwork([
      { name: 'alpha', eid: EID_A, chainId: 31337, rpcUrl: node.rpcUrl, confirmations: 2 },
      { name: 'beta', eid: EID_B, chainId: 31337, rpcUrl: node.rpcUrl, confirmations: 2 },
    ]);
    db = await freshDatabase('pathways');
    relayer = await startRelayerApp({
      config: network.relayerConfig({ maxExecuteAttempts: 2, executeGasOverhead: 60_000 }),
      keyEnv: network.keyEnv(),
      db,
      clock,
      rpcFactory: faults.factory(),
    });
  }, 120_000);

  afterAll(async () => {
    await relayer?.close();
    network?.close();
    await node?.stop();
    await db?.drop();
  });

  const get = async (): Promise<PathwaysResponse> => {
    const response = await request(relayer.app.getHttpServer()).get('/v1/pathways').set('x-api-key', TEST_API_KEY).expect(200);
    return pathwaysResponseSchema.parse(response.body);
  };
  const pathway = (body: PathwaysResponse, src: number, dst: number): PathwayView => body.pathways.find((p) => p.srcEid === src && p.dstEid === dst)!;
  const scanAndDrain = async () => {
    await relayer.watcher.scanOnce(EID_A);
    await relayer.watcher.scanOnce(EID_B);
    for (let i = 0; i < 20; i++) {
      clock.offset += 30_000;
      if ((await relayer.pipeline.tick()) === 0) return;
    }
  };
  const onChainBalance = (eid: number) => network.byEid(eid).provider.getBalance(network.byEid(eid).relayerAddress);

  it('refuses callers without the operator key', async () => {
    await request(relayer.app.getHttpServer()).get('/v1/pathways').expect(401);
  });

  it('lists every configured pathway, empty, and each destination signer with its balance', async () => {
    const body = await get();
    expect(body.pathways.map((p) => `${p.srcChain}->${p.dstChain}`)).toEqual(['alpha->beta', 'beta->alpha']);
    expect(pathway(body, EID_A, EID_B)).toMatchObject({
      sender: network.byEid(EID_A).app.target,
      receiver: network.byEid(EID_B).app.target,
      lastPacket: null,
      backlog: 0,
      oldestUndeliveredSeenAt: null,
      parked: 0,
      latency: { samples: 0, p50Seconds: null, p99Seconds: null },
    });
    expect(body.signers.map((s) => [s.chain, s.address])).toEqual([
      ['alpha', network.byEid(EID_A).relayerAddress],
      ['beta', network.byEid(EID_B).relayerAddress],
    ]);
    for (const signer of body.signers) {
      expect(signer).toMatchObject({ balanceWei: (await onChainBalance(signer.eid)).toString(), error: null });
      expect(signer.readAt).not.toBeNull();
    }
    betaSignerBefore = BigInt(body.signers.find((s) => s.chain === 'beta')!.balanceWei!);
  });

  it('shows undelivered packets as backlog, then their delivery latency once delivered', async () => {
    const [a, b] = network.chains;
    await sendPings(a, b, 3);
    await relayer.watcher.scanOnce(EID_A);
    const waiting = pathway(await get(), EID_A, EID_B);
    expect(waiting).toMatchObject({
      backlog: 3,
      latency: { samples: 0 },
      lastPacket: { nonce: 3, status: 'awaiting_confirmations', deliveredAt: null },
    });
    expect(waiting.oldestUndeliveredSeenAt).not.toBeNull();

    await mine(a.provider, 2);
    await scanAndDrain();
    const done = pathway(await get(), EID_A, EID_B);
    expect(done).toMatchObject({ backlog: 0, oldestUndeliveredSeenAt: null, parked: 0, lastPacket: { nonce: 3, status: 'delivered' } });
    expect(done.lastPacket!.deliveredAt).not.toBeNull();
    const rows = (await relayer.packets.page('delivered', 0, 10)).items;
    const seconds = rows.map((p) => (p.deliveredAt! - p.confirmedAt!) / 1000);
    expect(done.latency).toEqual({ samples: 3, p50Seconds: percentile(seconds, 0.5), p99Seconds: percentile(seconds, 0.99) });
    expect(done.latency.p50Seconds).toBeGreaterThan(0);
    expect(pathway(await get(), EID_B, EID_A)).toMatchObject({ lastPacket: null, backlog: 0, latency: { samples: 0 } });
  });

  it('counts a parked packet on its pathway', async () => {
    const [a, b] = network.chains;
    // 1 gas for lzReceive: every execution reverts, the packet parks after maxExecuteAttempts.
    await sendPings(a, b, 1, undefined, 1);
    await mine(a.provider, 2);
    await scanAndDrain();
    expect(pathway(await get(), EID_A, EID_B)).toMatchObject({
      backlog: 0,
      parked: 1,
      latency: { samples: 3 },
      lastPacket: { nonce: 4, status: 'parked' },
    });
  });

  it('follows the signer balance as delivery spends gas, keeps the last reading when a read fails, and exports the gauge', async () => {
    const balances = relayer.app.get(SignerBalances);
    await balances.refresh();
    const spent = (await get()).signers.find((s) => s.chain === 'beta')!;
    expect(spent.balanceWei).toBe((await onChainBalance(EID_B)).toString());
    expect(BigInt(spent.balanceWei!)).toBeLessThan(betaSignerBefore);

    faults.arm('balance read fails', (method, _args, chain) => method === 'balance' && chain === 'beta');
    await balances.refresh();
    const failed = (await get()).signers.find((s) => s.chain === 'beta')!;
    expect(failed).toMatchObject({ balanceWei: spent.balanceWei, readAt: spent.readAt });
    expect(failed.error).toMatch(/simulated crash/);

    await balances.refresh();
    expect((await get()).signers.find((s) => s.chain === 'beta')!.error).toBeNull();
    const metrics = await request(relayer.app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/tributary_relayer_signer_balance_wei\{chain="beta"\} \d/);
    expect(metrics.text).toMatch(/tributary_relayer_signer_balance_wei\{chain="alpha"\} \d/);
  });
});
