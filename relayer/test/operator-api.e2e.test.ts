import request from 'supertest';
import type { PacketEntity } from '../src/database/packet.entity';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { TEST_API_KEY, startRelayerApp, type RelayerApp } from './helpers/relayer-app';

const A = (n: number) => '0x' + n.toString(16).padStart(40, '0');
const guid = (n: number) => '0x' + n.toString(16).padStart(64, '0');

function row(n: number, status: PacketEntity['status']): PacketEntity {
  return {
    guid: guid(n),
    srcEid: 40101,
    dstEid: 40102,
    sender: '0x' + '0'.repeat(24) + A(10).slice(2),
    receiver: A(11),
    nonce: n,
    header: '0x01',
    message: '0x',
    payloadHash: guid(1000 + n),
    receiveGas: '200000',
    receiveValue: '0',
    srcBlockNumber: n,
    srcBlockHash: guid(2000 + n),
    srcTxHash: guid(3000 + n),
    status,
    stage: 'prepare',
    pendingAction: null,
    pendingTxHash: null,
    pendingTxNonce: null,
    pendingTxRaw: null,
    pendingChainRaw: null,
    pendingTxSentAt: null,
    attempts: status === 'parked' ? 5 : 0,
    nextAttemptAt: 0,
    lastError: status === 'parked' ? 'revert: lzReceive reverts' : null,
    claimedBy: null,
    claimUntil: null,
    seenAt: 1_700_000_000_000 + n,
    confirmedAt: null,
    deliveredAt: null,
    updatedAt: 0,
  };
}

describe('operator API', () => {
  let db: TestDatabase;
  let relayer: RelayerApp;
  const auth = { 'x-api-key': TEST_API_KEY };

  beforeAll(async () => {
    db = await freshDatabase('api');
    const chain = (name: string, eid: number) => ({
      name,
      eid,
      chainId: eid,
      rpcUrl: 'http://127.0.0.1:18699',
      confirmations: 1,
      endpoint: A(1),
      receiveUln302: A(2),
      worker: A(3),
    });
    relayer = await startRelayerApp({
      config: { chains: [chain('alpha', 40101), chain('beta', 40102)], pathways: [{ srcEid: 40101, sender: A(10), dstEid: 40102, receiver: A(11) }] },
      keyEnv: { RELAYER_PRIVATE_KEY: '0x' + '11'.repeat(32) },
      db,
    });
    for (let n = 1; n <= 7; n++) await relayer.packets.insert(row(n, n <= 4 ? 'delivered' : n <= 6 ? 'parked' : 'executing'));
  });

  afterAll(async () => {
    await relayer?.close();
    await db?.drop();
  });

  const http = () => request(relayer.app.getHttpServer());

  it('refuses requests without the right key', async () => {
    await http().get('/v1/packets').expect(401);
    await http().get('/v1/packets').set('x-api-key', 'wrong-key-wrong-key').expect(401);
    await http()
      .post(`/v1/packets/${guid(5)}/retry`)
      .expect(401);
  });

  it('lists packets by status with pagination', async () => {
    const first = await http().get('/v1/packets?status=delivered&limit=3').set(auth).expect(200);
    expect(first.body).toMatchObject({ total: 4, limit: 3, offset: 0 });
    expect(first.body.items.map((p: { nonce: number }) => p.nonce)).toEqual([1, 2, 3]);
    const second = await http().get('/v1/packets?status=delivered&limit=3&offset=3').set(auth).expect(200);
    expect(second.body.items.map((p: { nonce: number }) => p.nonce)).toEqual([4]);
    const parked = await http().get('/v1/packets?status=parked').set(auth).expect(200);
    expect(parked.body.items[0]).toMatchObject({
      srcChain: 'alpha',
      dstChain: 'beta',
      status: 'parked',
      attempts: 5,
      lastError: 'revert: lzReceive reverts',
    });
  });

  it('answers bad input with a clear 4xx', async () => {
    const bad = await http().get('/v1/packets?limit=1000&status=lost').set(auth).expect(400);
    expect(bad.body.errors.join(' ')).toMatch(/limit[\s\S]*status|status[\s\S]*limit/);
    await http().get('/v1/packets/0x1234').set(auth).expect(400);
    await http()
      .get(`/v1/packets/${guid(99)}`)
      .set(auth)
      .expect(404);
    await http()
      .post(`/v1/packets/${guid(1)}/retry`)
      .set(auth)
      .expect(409);
  });

  it('retries a parked packet: back to executing with a fresh attempt count', async () => {
    const retried = await http()
      .post(`/v1/packets/${guid(5)}/retry`)
      .set(auth)
      .expect(200);
    expect(retried.body).toMatchObject({ status: 'executing', attempts: 0, stage: 'prepare' });
    expect(await relayer.packets.find(guid(5))).toMatchObject({ status: 'executing', attempts: 0 });
    await http()
      .post(`/v1/packets/${guid(5)}/retry`)
      .set(auth)
      .expect(409);
  });

  it('exports packet counts by pathway and status', async () => {
    await relayer.pipeline.refreshGauges();
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/tributary_relayer_packets\{src_chain="alpha",dst_chain="beta",status="delivered"\} 4/);
    expect(metrics.text).toMatch(/tributary_relayer_packets\{src_chain="alpha",dst_chain="beta",status="parked"\} 1/);
    expect(metrics.text).toMatch(/tributary_relayer_queue_length\{chain="beta",stage="prepare"\} 2/);
    expect(metrics.text).toContain('# TYPE tributary_relayer_delivery_latency_seconds histogram');
  });
});
