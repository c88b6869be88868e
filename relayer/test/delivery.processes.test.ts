import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHardhatNode, type LocalChain } from '@tributary/contracts';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { deployPingNetwork, pathwayState, sendPings, trader, type PingNetwork } from './helpers/ping-network';
import { RelayerProcess } from './helpers/relayer-process';

const PACKETS = 200;
const RETURN_PACKETS = 20;
const KILLS = 4;

/** Two hardhat node processes (a block every 500 ms: transactions wait in the mempool), the relayer as its own process, SIGKILLed at random moments. */
describe('relayer process killed with SIGKILL while 200 packets are in flight', () => {
  let chains: LocalChain[] = [];
  let network: PingNetwork;
  let db: TestDatabase;
  let relayer: RelayerProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'relayer-processes-'));

  beforeAll(async () => {
    chains = await Promise.all([
      startHardhatNode({ chainId: 61001, port: 18620, blockTimeMs: 500 }),
      startHardhatNode({ chainId: 61002, port: 18621, blockTimeMs: 500 }),
    ]);
    network = await deployPingNetwork([
      { name: 'alpha', eid: 40301, chainId: 61001, rpcUrl: chains[0].rpcUrl, confirmations: 1 },
      { name: 'beta', eid: 40302, chainId: 61002, rpcUrl: chains[1].rpcUrl, confirmations: 1 },
    ]);
    db = await freshDatabase('processes');
  }, 120_000);

  afterAll(async () => {
    await relayer?.stop();
    network?.close();
    await Promise.all(chains.map((c) => c.stop()));
    await db?.drop();
  });

  it('delivers every packet exactly once', async () => {
    const [a, b] = network.chains;
    const configPath = join(dir, 'relayer.json');
    writeFileSync(configPath, JSON.stringify(network.relayerConfig({ pollIntervalMs: 250 }), null, 2));
    relayer = new RelayerProcess(
      {
        ...db.env,
        ...network.keyEnv(),
        RELAYER_CONFIG: configPath,
        PORT: '18630',
        LOG_LEVEL: process.env.TEST_RELAYER_LOG_LEVEL ?? 'warn',
        RELAYER_WORKER_ID: 'relayer-under-test',
      },
      join(dir, 'relayer.log'),
    );
    await relayer.start();
    const started = Date.now();
    const sending = Promise.all([sendPings(a, b, PACKETS, trader(a)), sendPings(b, a, RETURN_PACKETS, trader(b))]);

    // Kill at random moments spread over the delivery: after a random share of packets has been delivered.
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const progress: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const threshold = Math.floor(((i + random() * 0.5) / KILLS) * PACKETS * 0.75) + 1;
      while ((await pathwayState(a, b)).received < threshold) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, random() * 300));
      await relayer.kill();
      progress.push((await pathwayState(a, b)).received);
      await relayer.start();
    }
    await sending;

    const deadline = Date.now() + 150_000;
    let ab = await pathwayState(a, b);
    let ba = await pathwayState(b, a);
    while ((ab.received < PACKETS || ba.received < RETURN_PACKETS) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      [ab, ba] = [await pathwayState(a, b), await pathwayState(b, a)];
    }
    console.log(
      `${PACKETS + RETURN_PACKETS} packets delivered in ${Date.now() - started} ms with ${KILLS} SIGKILLs; delivered A→B at each kill: ${progress.join(', ')}`,
    );
    // Every kill hit a relayer with packets still in flight.
    expect(Math.max(...progress)).toBeLessThan(PACKETS);
    expect(ab).toMatchObject({ lazyInboundNonce: PACKETS, received: PACKETS });
    expect(ba).toMatchObject({ lazyInboundNonce: RETURN_PACKETS, received: RETURN_PACKETS });
    // No duplicate execution or verification: exactly verify + commit + lzReceive per packet from the relayer key.
    expect(ab.relayerTxCount).toBe(3 * PACKETS);
    expect(ba.relayerTxCount).toBe(3 * RETURN_PACKETS);
    expect(relayer.starts).toBe(KILLS + 1);
  }, 240_000);
});
