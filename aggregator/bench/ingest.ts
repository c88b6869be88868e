/**
 * Ingest benchmark: a synthetic stream of 200k hub AttestationApplied logs (10k accounts × 2 chains × 2
 * assets, 20 logs per block), decoded and ingested in block-range batches (event log insert + collateral
 * upserts + cursor, one transaction per batch), on the embedded SQLite file (WAL) and on PostgreSQL (DATABASE_URL or
 * the local server). Prints events/s (wall clock) and events per CPU second of this process (PostgreSQL's own
 * CPU not included), since the machine may be shared.   npm run bench -w @tributary/aggregator [-- --events 200000]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAddress, hexlify, keccak256, toBeHex } from 'ethers';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@tributary/service-kit';
import { ENTITIES } from '../src/database/entities';
import { MIGRATIONS } from '../src/database/migrations';
import { CONTRACT_INTERFACES, decodeLog } from '../src/events/event-decoder';
import type { RawLog } from '../src/events/raw-log';
import { ChainEventEntity } from '../src/ledger/entities/ledger.entities';
import { LedgerIngestor } from '../src/ledger/ledger-ingestor';
import type { IndexedLog } from '../src/ledger/ledger-store';
import { TypeormLedgerStore } from '../src/ledger/typeorm-ledger.store';

const EVENTS = Number(process.argv[process.argv.indexOf('--events') + 1]) || 200_000;
const PER_BLOCK = 20;
// One batch = one indexer block range (1000 blocks × 20 logs); BENCH_BLOCKS_PER_BATCH overrides.
const BLOCKS_PER_BATCH = Number(process.env.BENCH_BLOCKS_PER_BATCH ?? 1000);
const CHAIN = { chainId: 31337, eid: 40101 };
const HUB = getAddress(hexlify(randomBytes(20)));

function syntheticLogs(count: number): RawLog[] {
  const hub = CONTRACT_INTERFACES.hub;
  const fragment = hub.getEvent('AttestationApplied')!;
  const accounts = Array.from({ length: 10_000 }, () => getAddress(hexlify(randomBytes(20))));
  const sequences = new Map<string, bigint>();
  const logs: RawLog[] = [];
  for (let i = 0; i < count; i++) {
    const account = accounts[i % accounts.length];
    const eid = 40102 + ((i >> 1) % 2);
    const assetId = 1 + (i % 2);
    const key = `${account}/${eid}/${assetId}`;
    const sequence = (sequences.get(key) ?? 0n) + 1n;
    sequences.set(key, sequence);
    const { topics, data } = hub.encodeEventLog(fragment, [account, eid, assetId, BigInt(i) * 10n ** 12n, sequence]);
    const blockNumber = 1 + Math.floor(i / PER_BLOCK);
    logs.push({
      address: HUB,
      topics,
      data,
      blockNumber,
      blockHash: keccak256(toBeHex(blockNumber, 32)),
      logIndex: i % PER_BLOCK,
      transactionHash: keccak256(toBeHex(i, 32)),
    });
  }
  return logs;
}

async function run(label: string, dataSource: DataSource, logs: RawLog[]): Promise<number> {
  const store = new TypeormLedgerStore(dataSource);
  const ingestor = new LedgerIngestor(store);
  const lastBlock = logs[logs.length - 1].blockNumber;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let cursor = 0;
  for (let from = 1; from <= lastBlock; from += BLOCKS_PER_BATCH) {
    const to = Math.min(lastBlock, from + BLOCKS_PER_BATCH - 1);
    const batch: IndexedLog[] = [];
    while (cursor < logs.length && logs[cursor].blockNumber <= to) {
      const raw = logs[cursor++];
      batch.push({ raw, envelope: decodeLog('hub', CHAIN, raw)! });
    }
    await ingestor.ingest({
      ...CHAIN,
      fromBlock: from,
      toBlock: to,
      logs: batch,
      blockHashes: [{ number: to, hash: keccak256(toBeHex(to, 32)) }],
      cursor: { eid: CHAIN.eid, nextBlock: to + 1, headBlock: lastBlock, headTime: 0, indexedTime: 0 },
      pruneAtOrBelow: to - 256,
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const stored = await dataSource.getRepository(ChainEventEntity).count();
  const rate = logs.length / seconds;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `${label.padEnd(12)} ${logs.length} events in ${seconds.toFixed(2)} s = ${fmt(rate)} events/s wall clock; ` +
      `this process used ${cpuSeconds.toFixed(2)} CPU s = ${fmt(logs.length / cpuSeconds)} events per CPU second ` +
      `(stored ${stored}, batches of ${BLOCKS_PER_BATCH * PER_BLOCK}, load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`,
  );
  return rate;
}

async function main(): Promise<void> {
  const logs = syntheticLogs(EVENTS);
  const common = { entities: ENTITIES, migrations: MIGRATIONS };

  const dir = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
  const sqlite = await new DataSource(dataSourceOptions({ ...common, sqlitePath: join(dir, 'ledger.sqlite') })).initialize();
  await run('SQLite', sqlite, logs);
  await sqlite.destroy();
  rmSync(dir, { recursive: true, force: true });

  if (process.env.BENCH_ONLY === 'sqlite') return;
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = await new DataSource({ type: 'postgres', url }).initialize();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  try {
    const pg = await new DataSource(dataSourceOptions({ ...common, url, schema })).initialize();
    await run('PostgreSQL', pg, logs);
    await pg.destroy();
  } finally {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
