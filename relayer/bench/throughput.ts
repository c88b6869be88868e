/**
 * Relayer throughput: two `hardhat node` processes mining a block every second (BENCH_BLOCK_TIME_MS,
 * default 1000), real EndpointV2 + ULN302, the relayer as its own process (`node dist/main.js`, SQLite
 * unless DATABASE_URL is set), 1 confirmation.
 *
 * BENCH_MODE=backlog (default): N pings alpha → beta are sent and mined first, then the relayer starts;
 *   packets/s = N / (relayer start → last lzReceive). Latency includes waiting in that backlog.
 * BENCH_MODE=stream: the relayer runs while the N pings are sent (latency under a steady stream).
 * Latency = source confirmation reached → lzReceive mined, read from the relayer's store (confirmed_at, delivered_at).
 *
 *   npm run build -w @tributary/relayer && npm run bench -w @tributary/relayer   (BENCH_PACKETS=200)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHardhatNode } from '@tributary/contracts';
import { DataSource } from 'typeorm';
import { deployPingNetwork, pathwayState, sendPings, trader } from '../test/helpers/ping-network';
import { RelayerProcess } from '../test/helpers/relayer-process';
import { freshDatabase } from '../test/helpers/database';

const PACKETS = Number(process.env.BENCH_PACKETS ?? 200);
const BLOCK_TIME_MS = Number(process.env.BENCH_BLOCK_TIME_MS ?? 1000) || undefined;
const MODE = process.env.BENCH_MODE === 'stream' ? 'stream' : 'backlog';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'relayer-bench-'));
  const chains = await Promise.all([
    startHardhatNode({ chainId: 62001, port: 18680, blockTimeMs: BLOCK_TIME_MS }),
    startHardhatNode({ chainId: 62002, port: 18681, blockTimeMs: BLOCK_TIME_MS }),
  ]);
  const db = await freshDatabase('bench');
  let relayer: RelayerProcess | undefined;
  try {
    const network = await deployPingNetwork([
      { name: 'alpha', eid: 40501, chainId: 62001, rpcUrl: chains[0].rpcUrl, confirmations: 1 },
      { name: 'beta', eid: 40502, chainId: 62002, rpcUrl: chains[1].rpcUrl, confirmations: 1 },
    ]);
    const [a, b] = network.chains;
    const configPath = join(dir, 'relayer.json');
    writeFileSync(configPath, JSON.stringify(network.relayerConfig({ pollIntervalMs: 250 })));
    relayer = new RelayerProcess(
      { ...db.env, ...network.keyEnv(), RELAYER_CONFIG: configPath, PORT: '18690', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
      join(dir, 'relayer.log'),
    );
    let sendSeconds: number;
    let started: number;
    if (MODE === 'backlog') {
      const t = Date.now();
      await sendPings(a, b, PACKETS, trader(a));
      sendSeconds = (Date.now() - t) / 1000;
      await relayer.start();
      started = Date.now();
    } else {
      await relayer.start();
      started = Date.now();
      await sendPings(a, b, PACKETS, trader(a));
      sendSeconds = (Date.now() - started) / 1000;
    }
    let state = await pathwayState(a, b);
    while (state.received < PACKETS && Date.now() - started < 600_000) {
      await new Promise((r) => setTimeout(r, 200));
      state = await pathwayState(a, b);
    }
    const done = Date.now();
    await relayer.stop();
    relayer = undefined;
    const latencies = await readLatencies(db.env);
    network.close();
    const seconds = (done - started) / 1000;
    console.log(
      JSON.stringify(
        {
          mode: MODE,
          mining: BLOCK_TIME_MS ? `interval ${BLOCK_TIME_MS} ms` : 'automine',
          database: db.kind,
          packets: PACKETS,
          delivered: state.received,
          sendSeconds,
          totalSeconds: seconds,
          packetsPerSecond: Number((state.received / seconds).toFixed(2)),
          latencySeconds: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] },
          relayerTransactions: state.relayerTxCount,
        },
        null,
        2,
      ),
    );
  } finally {
    await relayer?.stop();
    await Promise.all(chains.map((c) => c.stop()));
    await db.drop();
  }
}

/** confirmed_at → delivered_at of every delivered packet, from the relayer's store, seconds ascending. */
async function readLatencies(env: { DATABASE_URL?: string; DATABASE_SCHEMA?: string; SQLITE_PATH?: string }): Promise<number[]> {
  const dataSource = env.DATABASE_URL
    ? new DataSource({ type: 'postgres', url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA })
    : new DataSource({ type: 'better-sqlite3', database: env.SQLITE_PATH!, readonly: true });
  await dataSource.initialize();
  const table = env.DATABASE_SCHEMA ? `"${env.DATABASE_SCHEMA}".packet` : 'packet';
  const rows: { confirmed_at: string | number; delivered_at: string | number }[] = await dataSource.query(
    `SELECT confirmed_at, delivered_at FROM ${table} WHERE status = 'delivered' AND confirmed_at IS NOT NULL AND delivered_at IS NOT NULL`,
  );
  await dataSource.destroy();
  return rows.map((r) => (Number(r.delivered_at) - Number(r.confirmed_at)) / 1000).sort((x, y) => x - y);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
