import request from 'supertest';
import type { PacketEntity } from '../src/database/packet.entity';
import { packetRow, twoChainConfig, word as guid } from './helpers/packet-rows';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { TEST_API_KEY, startRelayerApp, type RelayerApp } from './helpers/relayer-app';

const row = (n: number, status: PacketEntity['status']) =>
  packetRow(n, {
    header: '0x01',
    status,
    attempts: status === 'parked' ? 5 : 0,
    lastError: status === 'parked' ? 'revert: lzReceive reverts' : null,
    seenAt: 1_700_000_000_000 + n,
  });

describe('operator API', () => {
  let db: TestDatabase;
  let relayer: RelayerApp;
  const auth = { 'x-api-key': TEST_API_KEY };

  beforeAll(async () => {
    db = await freshDatabase('api');
    relayer = await startRelayerApp({
      config: twoChainConfig('http://127.0.0.1:18699'),
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
